"""Events, dates and members for the RSVP tests (made directly, not through the
organiser's services, so these tests depend only on the RSVP code)."""

import datetime as dt
import itertools

from django.utils import timezone

from bpd.events.models import Event, Occurrence
from tests.factories import ProfileFactory, UserFactory

_numbers = itertools.count(1)


def make_event(
    *, capacity=2, status=Event.Status.PUBLISHED, starts_in=dt.timedelta(days=3), **extra
):
    """A published one-off event with `capacity` seats and its one date."""
    number = next(_numbers)
    starts = timezone.now().replace(microsecond=0) + starts_in
    event = Event.objects.create(
        title=extra.pop("title", f"Study group {number}"),
        slug=f"rsvp-event-{number}",
        summary="Python together",
        time_zone=extra.pop("time_zone", "Africa/Lagos"),
        starts_at=starts,
        capacity=capacity,
        status=status,
        **extra,
    )
    return event


def make_occurrence(event=None, *, starts_in=None, **event_kwargs):
    event = event or make_event(**event_kwargs)
    starts = timezone.now().replace(microsecond=0) + starts_in if starts_in else event.starts_at
    return Occurrence.objects.create(
        event=event,
        original_start=starts,
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=event.duration_minutes),
    )


def make_member(*, language="en", time_zone="", **profile):
    user = UserFactory(language=language)
    ProfileFactory(user=user, time_zone=time_zone, **profile)
    return user
