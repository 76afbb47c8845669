"""Reads for the public event pages, the feeds and the hub: which events and dates a
reader sees, with seat counts, attendance and the reader's own RSVPs, each in a fixed
number of queries whatever the data size."""

import datetime as dt

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from bpd.events.models import Event, Occurrence, Rsvp
from bpd.members import regions

# UN M49 regions (the top level: Africa, Americas, Asia, Europe, Oceania) an in-person
# event's city can be in; the index filters by these.
REGION_CODES = ("002", "019", "142", "150", "009")
# How many coming dates an event page lists (and describes for search engines).
NEXT_ON_PAGE = 8


# An event's page stays up once published, cancelled or not (people have the link).
LISTED = (Event.Status.PUBLISHED, Event.Status.CANCELLED)


def listed_events():
    return Event.objects.filter(status__in=LISTED)


def visible_events(user):
    """Events `user` may open: every published (or since cancelled) one, and to organisers
    their drafts too."""
    if user is not None and user.is_authenticated:
        return (listed_events() | Event.objects.organised_by(user)).distinct()
    return listed_events()


def with_seats(occurrences):
    """Each occurrence with `seats_taken` (going or offered) and `waiting` counted."""
    return occurrences.annotate(
        seats_taken=Count("rsvps", filter=Q(rsvps__status__in=Rsvp.SEATED)),
        waiting=Count("rsvps", filter=Q(rsvps__status=Rsvp.Status.WAITING)),
    )


def _filtered(occurrences, *, kind="", language="", region=""):
    if kind:
        occurrences = occurrences.filter(event__kind=kind)
    if language:
        occurrences = occurrences.filter(event__language=language)
    if region:
        occurrences = occurrences.filter(event__city__country__in=regions.countries_in(region))
    return occurrences


def upcoming(*, kind="", language="", region="", now=None, once_from=None):
    """Dates of published events not over yet, soonest first (cancelled ones included,
    marked), each with its event, city and seat counts. From `once_from` on, each event
    appears once, at its next date, so a weekly series does not fill the list; an event
    with a date before `once_from` is not repeated after it."""
    found = Occurrence.objects.public().upcoming(now).select_related("event", "event__city")
    if once_from is not None:
        first = (
            Occurrence.objects.filter(
                event=OuterRef("event"), ends_at__gte=now or timezone.now(), cancelled=False
            )
            .order_by("starts_at", "pk")
            .values("pk")[:1]
        )
        found = found.filter(Q(starts_at__lt=once_from) | Q(pk=Subquery(first)))
    return with_seats(_filtered(found, kind=kind, language=language, region=region)).order_by(
        "starts_at", "pk"
    )


def past(*, kind="", language="", region="", now=None):
    """Dates of published events that are over, latest first, with `attended` (members
    marked present), `recorded` (attendance marks of any kind) and `seats_taken`."""
    found = Occurrence.objects.public().past(now).select_related("event", "event__city")
    found = _filtered(found, kind=kind, language=language, region=region).filter(cancelled=False)
    return found.annotate(
        attended=Count("rsvps", filter=Q(rsvps__attended=True)),
        recorded=Count("rsvps", filter=Q(rsvps__attended__isnull=False)),
        seats_taken=Count("rsvps", filter=Q(rsvps__status=Rsvp.Status.GOING)),
    ).order_by("-starts_at", "-pk")


def next_dates(event, *, now=None, limit=NEXT_ON_PAGE):
    """The event's coming dates (cancelled ones included, marked), with seat counts."""
    return list(with_seats(event.occurrences.upcoming(now)).order_by("starts_at")[:limit])


def rsvps_of(user, occurrences) -> dict[int, Rsvp]:
    """`user`'s RSVP for each of `occurrences`, by occurrence id (one query; none for visitors)."""
    if user is None or not user.is_authenticated or not occurrences:
        return {}
    rows = Rsvp.objects.filter(member=user, occurrence__in=[o.pk for o in occurrences])
    return {rsvp.occurrence_id: rsvp for rsvp in rows}


def has_seat(user, event) -> bool:
    """Whether `user` holds a seat at any coming date of `event` (for the online link)."""
    if user is None or not user.is_authenticated:
        return False
    return Rsvp.objects.filter(
        member=user,
        occurrence__event=event,
        occurrence__ends_at__gte=timezone.now(),
        status__in=Rsvp.SEATED,
    ).exists()


def seats_left(occurrence) -> int | None:
    """Free seats of an occurrence annotated by `with_seats` (None: no limit)."""
    capacity = occurrence.event.capacity
    if capacity is None:
        return None
    return max(capacity - occurrence.seats_taken, 0)


def my_seats(user, *, now=None, limit=3):
    """`user`'s next dates with a seat (going or offered), soonest first."""
    return list(
        Rsvp.objects.filter(
            member=user,
            status__in=Rsvp.SEATED,
            occurrence__ends_at__gte=now or timezone.now(),
            occurrence__cancelled=False,
            occurrence__event__status=Event.Status.PUBLISHED,
        )
        .select_related("occurrence__event")
        .order_by("occurrence__starts_at")[:limit]
    )


def feed_window(now=None) -> tuple[dt.datetime, dt.datetime]:
    """What the public feed covers: the last month and the next six."""
    now = now or timezone.now()
    return now - dt.timedelta(days=31), now + dt.timedelta(days=183)


def next_change(now=None) -> dt.datetime | None:
    """When cached public event pages next go stale with nobody saving anything: the
    next start or end of a published date (it moves from "coming" to "past")."""
    now = now or timezone.now()
    public = Occurrence.objects.public().filter(cancelled=False)
    moments = [
        public.filter(starts_at__gt=now).order_by("starts_at").values_list("starts_at", flat=True).first(),
        public.filter(ends_at__gt=now).order_by("ends_at").values_list("ends_at", flat=True).first(),
    ]  # fmt: skip
    return min((moment for moment in moments if moment is not None), default=None)
