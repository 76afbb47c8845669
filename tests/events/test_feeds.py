"""The calendar feeds: valid iCalendar (round-tripped through the parser), times in UTC,
cancelled dates marked, and the personal feed behind a secret, revocable address that
costs a fixed number of queries."""

import datetime as dt

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bpd.conferences.models import Conference, Deadline, Follow
from bpd.events import rsvp as rsvps
from bpd.events.models import CalendarSettings, Event, Rsvp
from tests.events.public_factories import make_date, make_event, make_rsvp
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
NOW = timezone.now().replace(microsecond=0)


def soon(days):
    return NOW + dt.timedelta(days=days)


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "Set-Cookie" not in response
    return icalendar.Calendar.from_ical(response.content)


def events_in(calendar):
    return {str(item["UID"]): item for item in calendar.walk("VEVENT")}


def test_event_file_lists_every_coming_date_in_utc(client):
    event = make_event(title="Study group")
    first = make_date(event, soon(1))
    cancelled = make_date(event, soon(8), cancelled=True, cancel_reason="Holiday")
    make_date(event, soon(-7))  # over: left out

    items = events_in(parse(client.get(f"/events/{event.slug}.ics")))

    assert set(items) == {
        f"occurrence-{first.pk}@blackpythondevs",
        f"occurrence-{cancelled.pk}@blackpythondevs",
    }
    item = items[f"occurrence-{first.pk}@blackpythondevs"]
    assert item.decoded("DTSTART") == first.starts_at
    assert item.decoded("DTSTART").tzinfo is not None
    assert item.decoded("DTSTART").utcoffset() == dt.timedelta(0)
    assert item["DTSTART"].to_ical().endswith(b"Z")
    assert item.decoded("DTEND") == first.ends_at
    assert str(item["SUMMARY"]) == "Study group"
    assert str(item["STATUS"]) == "CONFIRMED"
    assert str(items[f"occurrence-{cancelled.pk}@blackpythondevs"]["STATUS"]) == "CANCELLED"


def test_event_file_never_carries_the_online_link(client):
    event = make_event(link_shown_to=Event.LinkShown.ATTENDEES)
    make_date(event, soon(1))

    assert event.online_url.encode() not in client.get(f"/events/{event.slug}.ics").content


def test_event_file_of_a_draft_is_not_found(client):
    event = make_event(status=Event.Status.DRAFT)

    assert client.get(f"/events/{event.slug}.ics").status_code == 404


def test_public_feed_covers_last_month_and_next_six_of_published_events(client):
    shown = [make_date(make_event(), soon(days)) for days in (-20, 2, 150)]
    make_date(make_event(), soon(-60))
    make_date(make_event(), soon(250))
    make_date(make_event(status=Event.Status.DRAFT), soon(2))

    items = events_in(parse(client.get("/events/feed.ics")))

    assert set(items) == {f"occurrence-{date.pk}@blackpythondevs" for date in shown}


def make_deadline(member, days, kind=Deadline.Kind.CFP_CLOSES):
    conference = Conference.objects.create(
        name=f"PyCon {days}",
        url="https://pycon.example/",
        starts_on=soon(days + 30).date(),
        ends_on=soon(days + 32).date(),
        status=Conference.Status.PUBLISHED,
    )
    Follow.objects.create(conference=conference, member=member)
    return Deadline.objects.create(conference=conference, kind=kind, due_at=soon(days), zone="AoE")


def feed_url(member):
    token = CalendarSettings.objects.get_or_create(member=member)[0].feed_token
    return f"/events/feed/{token}.ics"


def test_personal_feed_has_my_seats_and_followed_deadlines_only(client):
    member, other = UserFactory(), UserFactory()
    going = make_rsvp(make_date(make_event(), soon(3)), member)
    offered = make_rsvp(make_date(make_event(), soon(4)), member, Rsvp.Status.OFFERED)
    make_rsvp(make_date(make_event(), soon(5)), member, Rsvp.Status.WAITING)
    make_rsvp(make_date(make_event(), soon(6)), other)
    mine = make_deadline(member, 10)
    make_deadline(other, 11)

    response = client.get(feed_url(member))
    items = events_in(parse(response))

    assert set(items) == {
        f"occurrence-{going.occurrence_id}@blackpythondevs",
        f"occurrence-{offered.occurrence_id}@blackpythondevs",
        f"deadline-{mine.pk}@blackpythondevs",
    }
    assert response["Cache-Control"].startswith("private")
    assert items[f"deadline-{mine.pk}@blackpythondevs"].decoded("DTSTART") == mine.due_at


def test_personal_feed_unknown_address_is_not_found(client):
    assert client.get("/events/feed/not-a-real-token.ics").status_code == 404


def test_personal_feed_old_address_stops_working_when_renewed(client):
    member = UserFactory()
    old = feed_url(member)

    rsvps.renew_feed_token(member=member)

    assert client.get(old).status_code == 404
    assert client.get(feed_url(member)).status_code == 200


@pytest.mark.parametrize("count", [5, 200])
def test_personal_feed_costs_at_most_five_queries(client, count):
    member = UserFactory()
    event = make_event()
    for day in range(count):
        make_rsvp(make_date(event, soon(day + 1)), member)
    make_deadline(member, 10)
    url = feed_url(member)

    with CaptureQueriesContext(connection) as queries:
        items = events_in(parse(client.get(url)))

    assert len(items) == count + 1
    assert len(queries) <= 5, [query["sql"] for query in queries]
