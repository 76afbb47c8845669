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


@jobs.job(
    "fund.remind_trip_reports",
    every=jobs.DAILY,
    label=_("Fund: remind travellers of their trip report, one and three weeks after the event"),
)
def remind_trip_reports():
    sent = services.remind_trip_reports()
    return f"{len(sent)} trip-report reminders sent"
