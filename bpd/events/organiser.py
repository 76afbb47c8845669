"""Reads for the organiser's pages: their events with the next date and seat counts,
and one event's dates with seats taken and waiting, each in a fixed number of queries."""

from django.db.models import Count, Max, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bpd.events.models import Event, Occurrence, Rsvp
from bpd.members.roles import is_executor

UPCOMING_SHOWN = 12  # dates of a series listed on its page
PAST_SHOWN = 10
PAST_EVENTS_SHOWN = 50

# Who besides executors opens the organiser's pages, and where they start a new event.
# A programme above events registers here (a local community's leaders), so events
# never import it; which events each person manages is `add_organiser_scope`'s part.
_ORGANISER_CHECKS = []
_NEW_EVENT_LINKS = []


def add_organiser_check(check):
    """`check(user) -> bool`: this person may open the organiser's pages (they see only
    the events `Event.objects.organised_by` gives them)."""
    if check not in _ORGANISER_CHECKS:
        _ORGANISER_CHECKS.append(check)


def add_new_event_links(provider):
    """`provider(user) -> [(label, url)]`: where this person creates an event (the
    events list offers them beside, or instead of, the executors' "New event")."""
    if provider not in _NEW_EVENT_LINKS:
        _NEW_EVENT_LINKS.append(provider)


def can_organise(user) -> bool:
    """Executors; anyone a registered check lets in; anyone who manages an event."""
    if not user.is_authenticated:
        return False
    if is_executor(user) or any(check(user) for check in _ORGANISER_CHECKS):
        return True
    return Event.objects.organised_by(user).exists()


def new_event_links(user) -> list[tuple[str, str]]:
    """[(label, url)] where `user` may create an event: executors a BPD event; others
    what the registered providers give them."""
    links = [(_("New event"), reverse("events:create"))] if is_executor(user) else []
    for provider in _NEW_EVENT_LINKS:
        links += provider(user)
    return links


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
