"""Scheduled work for RSVPs (run by the task worker, see bpd.background): offers that
lapse move the waiting list up; reminders go out 24 hours and 1 hour before."""

from django.utils.translation import gettext_lazy as _

from bpd.background import jobs
from bpd.events import rsvp


@jobs.job(
    "events.expire_offers",
    every=jobs.FREQUENTLY,
    label=_("Events: lapse unconfirmed seat offers, offer the seats to the next people waiting"),
)
def expire_offers():
    return f"{rsvp.expire_offers()} seat offers lapsed"


@jobs.job(
    "events.send_reminders",
    every=jobs.FREQUENTLY,
    label=_("Events: email reminders 24 hours and 1 hour before each date"),
)
def send_reminders():
    return f"{rsvp.send_reminders()} reminders sent"
