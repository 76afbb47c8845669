"""Events, dates and RSVPs for the public pages' tests (rows made directly, so these
tests do not depend on how the organiser's side expands a series)."""

import datetime as dt
import itertools

from django.utils import timezone

from bpd.events.models import Event, Occurrence, Rsvp
from tests.factories import UserFactory

_numbers = itertools.count(1)


def make_event(**fields) -> Event:
    number = next(_numbers)
    values = {
        "title": f"Study group {number}",
        "slug": f"study-group-{number}",
        "summary": "We read Python together.",
        "time_zone": "America/New_York",
        "starts_at": timezone.now() + dt.timedelta(days=1),
        "status": Event.Status.PUBLISHED,
        "published_at": timezone.now(),
        "online_url": "https://discord.example/room",
    }
    return Event.objects.create(**(values | fields))


def make_date(event, starts_at=None, *, minutes=60, **fields) -> Occurrence:
    starts_at = starts_at or event.starts_at
    return Occurrence.objects.create(
        event=event,
        original_start=starts_at,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=minutes),
        **fields,
    )


def make_rsvp(occurrence, member=None, status=Rsvp.Status.GOING, **fields) -> Rsvp:
    return Rsvp.objects.create(
        occurrence=occurrence, member=member or UserFactory(), status=status, **fields
    )
