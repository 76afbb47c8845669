"""Demo events: a weekly Discord study group, a monthly online talk and two local meetups,
with a few RSVPs by demo accounts (one meetup full, with a waiting list). Built through the
organiser's and the RSVP services, so occurrences, audit and waiting list are real.
Development only; idempotent."""

import datetime as dt
import zoneinfo

from django.utils import timezone

from bpd.events import rsvp, services
from bpd.events.models import Event
from bpd.members.demo import demo_email
from bpd.members.models import City, User
from bpd.members.roles import Role

STUDY_GROUP = "Python study group on Discord (demo)"


def _next(weekday: int, at: dt.time, zone: str, now: dt.datetime, *, first_of_month=False):
    """The next `weekday` (0 = Monday) at `at` on `zone`'s clock after `now`, in UTC;
    with `first_of_month`, the next such day that is the first of its month."""
    tz = zoneinfo.ZoneInfo(zone)
    day = now.astimezone(tz).date() + dt.timedelta(days=1)
    while day.weekday() != weekday or (first_of_month and day.day > 7):
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, at, tzinfo=tz).astimezone(dt.UTC)


def _city(name: str, country: str):
    return City.objects.filter(name=name, country=country).order_by("-population").first()


def _specs(now):
    days = dt.timedelta
    return [
        {
            "title": STUDY_GROUP,
            "summary": "Work through a Python book together, one chapter a week, every level welcome.",
            "description": "We meet in the study-group voice channel. Bring questions and code.",
            "kind": Event.Kind.ONLINE,
            "online_url": "https://discord.gg/blackpythondevs",
            "link_shown_to": Event.LinkShown.ATTENDEES,
            "time_zone": "America/New_York",
            "starts_at": _next(1, dt.time(18), "America/New_York", now),
            "duration_minutes": 90,
            "rule": "FREQ=WEEKLY;BYDAY=TU",
            "capacity": 30,
        },
        {
            "title": "Monthly talk: Python in production (demo)",
            "summary": "A member shows how their team runs Python, then questions.",
            "kind": Event.Kind.ONLINE,
            "online_url": "https://discord.gg/blackpythondevs",
            "link_shown_to": Event.LinkShown.EVERYONE,
            "time_zone": "Africa/Lagos",
            "starts_at": _next(3, dt.time(19), "Africa/Lagos", now, first_of_month=True),
            "duration_minutes": 60,
            "rule": "FREQ=MONTHLY;BYDAY=1TH",
        },
        {
            "title": "Accra meetup: testing with pytest (demo)",
            "summary": "An evening of short talks and pairing on tests, in person.",
            "kind": Event.Kind.IN_PERSON,
            "venue": "Impact Hub Accra",
            "address": "Osu, Accra",
            "city": _city("Accra", "GH"),
            "time_zone": "Africa/Accra",
            "starts_at": dt.datetime.combine(
                (now + days(10)).date(), dt.time(17, 30), tzinfo=dt.UTC
            ),
            "duration_minutes": 150,
            "capacity": 3,
        },
        {
            "title": "Nairobi meetup: data with pandas (demo)",
            "summary": "Talks and a hands-on session on data analysis.",
            "kind": Event.Kind.IN_PERSON,
            "venue": "iHub",
            "address": "Senteu Plaza, Ngong Road",
            "city": _city("Nairobi", "KE"),
            "time_zone": "Africa/Nairobi",
            "starts_at": dt.datetime.combine((now + days(24)).date(), dt.time(15), tzinfo=dt.UTC),
            "duration_minutes": 180,
            "capacity": 40,
        },
    ]


def create_demo_events(now: dt.datetime | None = None) -> int:
    """Create and publish the demo events once; returns how many were created."""
    if Event.objects.filter(title=STUDY_GROUP).exists():
        return 0
    now = now or timezone.now()
    organiser = User.objects.get(email=demo_email(Role.EXECUTOR.value))
    events = []
    for data in _specs(now):
        event = services.save_event(event=None, by=organiser, data=data)
        events.append(services.publish_event(event=event, by=organiser))
    member = User.objects.get(email=demo_email(Role.MEMBER.value))
    leader = User.objects.get(email=demo_email(Role.LEADER.value))
    others = list(User.objects.filter(email__startswith="demo-member0").order_by("email")[:8])
    study, talk, accra, nairobi = (e.occurrences.order_by("starts_at").first() for e in events)
    for person in [member, leader, *others[:5]]:
        rsvp.rsvp(occurrence=study, member=person)
    for person in [member, *others[5:8]]:
        rsvp.rsvp(occurrence=talk, member=person)
    # Three seats: three members take them, the demo member and leader wait in that order.
    for person in [*others[:3], member, leader]:
        rsvp.rsvp(occurrence=accra, member=person)
    rsvp.rsvp(occurrence=nairobi, member=leader)
    events.append(_past_meetup(organiser, [member, *others], now))
    return len(events)


def _past_meetup(organiser, people, now):
    """A meetup three weeks ago with its attendance recorded, for the archive (/events/past/)
    and the attendee page. Seats taken before the date are written directly: the RSVP
    service rightly refuses a date that is over."""
    from bpd.events.models import Rsvp

    data = {
        "title": "Lagos meetup: Django from scratch (demo)",
        "summary": "A workshop building a small Django site together.",
        "kind": Event.Kind.IN_PERSON,
        "venue": "Co-Creation Hub",
        "address": "Yaba, Lagos",
        "city": _city("Lagos", "NG"),
        "time_zone": "Africa/Lagos",
        "starts_at": dt.datetime.combine((now - dt.timedelta(days=21)).date(), dt.time(15), tzinfo=dt.UTC),
        "duration_minutes": 180,
        "capacity": 25,
    }  # fmt: skip
    event = services.publish_event(
        event=services.save_event(event=None, by=organiser, data=data), by=organiser
    )
    occurrence = event.occurrences.get()
    seats = Rsvp.objects.bulk_create(
        Rsvp(occurrence=occurrence, member=person, status=Rsvp.Status.GOING) for person in people
    )
    rsvp.record_attendance(
        occurrence=occurrence,
        by=organiser,
        attended={seat.pk: number % 4 != 3 for number, seat in enumerate(seats)},
    )
    return event
