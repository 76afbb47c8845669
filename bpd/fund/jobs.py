"""The Fund's scheduled work (run by the task worker, see bpd.background)."""

from django.utils.translation import gettext_lazy as _

from bpd.background import jobs
from bpd.fund import services


@jobs.job(
    "fund.expire_offers",
    every=jobs.FREQUENTLY,
    label=_("Fund: expire unanswered offers, move the waiting list"),
)
def expire_offers():
    promoted = services.lapse_overdue_offers()
    return f"{len(promoted)} waiting-list applications offered an award"
