"""Reads for the organiser's pages: their events with the next date and seat counts,
and one event's dates with seats taken and waiting, each in a fixed number of queries."""

from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from bpd.events.models import Event, Occurrence, Rsvp

UPCOMING_SHOWN = 12  # dates of a series listed on its page
PAST_SHOWN = 10
PAST_EVENTS_SHOWN = 50


def events_for(user, now=None):
    """{"drafts", "upcoming", "past"}: the events `user` organises, each annotated with
    `next_start`, `last_start`, `seats_taken` and `waiting` (of dates still to come)."""
    now = now or timezone.now()
    coming = Q(occurrences__ends_at__gte=now, occurrences__cancelled=False)
    events = (
        Event.objects.organised_by(user)
        .select_related(None)
        .annotate(
            next_start=Min("occurrences__starts_at", filter=coming),
            last_start=Max("occurrences__starts_at"),
            seats_taken=Count(
                "occurrences__rsvps", filter=coming & Q(occurrences__rsvps__status__in=Rsvp.SEATED)
            ),
            waiting=Count(
                "occurrences__rsvps",
                filter=coming & Q(occurrences__rsvps__status=Rsvp.Status.WAITING),
            ),
        )
    )
    published = Event.Status.PUBLISHED
    return {
        "drafts": list(events.filter(status=Event.Status.DRAFT).order_by("starts_at")),
        "upcoming": list(
            events.filter(status=published, next_start__isnull=False).order_by("next_start")
        ),
        "past": list(
            events.exclude(status=Event.Status.DRAFT)
            .exclude(status=published, next_start__isnull=False)
            .order_by("-last_start")[:PAST_EVENTS_SHOWN]
        ),
    }


def with_seats(occurrences):
    return occurrences.annotate(
        seats_taken=Count("rsvps", filter=Q(rsvps__status__in=Rsvp.SEATED)),
        waiting=Count("rsvps", filter=Q(rsvps__status=Rsvp.Status.WAITING)),
    )


def dates_of(event, now=None):
    """(coming, more_coming, recent past) dates of `event`, with seat counts."""
    now = now or timezone.now()
    dates = with_seats(Occurrence.objects.filter(event=event))
    coming = list(dates.filter(ends_at__gte=now).order_by("starts_at")[: UPCOMING_SHOWN + 1])
    past = list(dates.filter(ends_at__lt=now).order_by("-starts_at")[:PAST_SHOWN])
    return coming[:UPCOMING_SHOWN], len(coming) > UPCOMING_SHOWN, past
