"""The organiser's side of the events' scheduled work (the RSVP side is in rsvp_jobs.py)."""

from django.utils.translation import gettext_lazy as _

from bpd.background import jobs
from bpd.events import services
from bpd.events.models import Event


@jobs.job(
    "events.make_occurrences",
    every=jobs.DAILY,
    label=_("Events: make the dates of every published series up to two years ahead"),
)
def make_occurrences():
    made = 0
    for event in Event.objects.published().exclude(rule="").iterator():
        made += services.materialize(event=event)
    return f"{made} event dates made"
