"""The deadline feed is valid iCalendar: it parses back to the same times, in UTC."""

import datetime as dt

import icalendar
from django.urls import reverse

from bpd.conferences.ical import deadline_event
from tests.conferences.conftest import make_conference, make_deadline


def test_deadlines_ics_round_trips_through_the_parser(client, db):
    conference = make_conference(name="PyCon Africa")
    due = dt.datetime(2030, 3, 16, 11, 59, tzinfo=dt.UTC)  # 15 March 23:59 AoE
    deadline = make_deadline(conference, due_at=due, zone="AoE")
    make_deadline(make_conference(status="suggested"), due_at=due)  # not published: left out

    response = client.get(reverse("conferences:deadlines_ics"))

    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0"
    assert calendar["PRODID"]
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    assert str(event["UID"]) == f"deadline-{deadline.pk}@blackpythondevs"
    assert event["DTSTART"].dt == due
    assert event["DTEND"].dt == due
    assert str(event["SUMMARY"]) == "PyCon Africa: Call for proposals closes"
    assert "15 March 2030, 23:59 AoE" in str(event["DESCRIPTION"])
    assert str(event["URL"]) == conference.url
    assert b"DTSTART:20300316T115900Z" in response.content


def test_deadline_event_uid_is_stable(db):
    deadline = make_deadline(make_conference())
    assert deadline_event(deadline)["UID"] == deadline_event(deadline)["UID"]
