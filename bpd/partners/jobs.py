"""The partners' scheduled work: seats provisioned and not used are reminded about, then
reclaimed and given back to the pool (`portal.reclaim_unused_seats`)."""

from django.utils.translation import gettext_lazy as _

from bpd.background import jobs
from bpd.partners import portal


@jobs.job(
    "partners.reclaim_seats",
    every=jobs.DAILY,
    label=_("Partners: remind members about unused seats, then give those seats back"),
)
def reclaim_seats():
    reminded, reclaimed = portal.reclaim_unused_seats()
    return f"{reminded} seat reminders queued, {reclaimed} unused seats reclaimed"
