"""The conference list's scheduled work (run by the task worker, see bpd.background)."""

from django.utils.translation import gettext_lazy as _

from bpd.background import jobs
from bpd.conferences import services


@jobs.job(
    "conferences.remind_deadlines",
    every=jobs.DAILY,
    label=_("Conferences: remind followers of deadlines 14, 3 and 1 days ahead"),
)
def remind_deadlines():
    sent = services.remind_deadlines()
    return f"{len(sent)} deadline reminders sent"
