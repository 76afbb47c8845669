"""The public event pages: the index (soonest first, this week first, filters that
survive pagination), the archive with attendance, an event's page with its RSVP
buttons, its online link only for those allowed, schema.org data, and the page budget."""

import datetime as dt
import gzip
import json
import re
import zoneinfo

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone

from bpd.events import recurrence
from bpd.events.models import Event, Rsvp
from tests.events.public_factories import make_date, make_event, make_rsvp
from tests.factories import CityFactory, UserFactory
from tests.queries import get_with_queries

pytestmark = pytest.mark.django_db
BUDGET = 14 * 1024
NOW = timezone.now()


def soon(days, hours=0):
    return NOW + dt.timedelta(days=days, hours=hours)


def test_index_lists_this_week_first_then_later(client):
    later = make_event(title="Monthly talk")
    make_date(later, soon(20))
    week = make_event(title="Weekly study group")
    make_date(week, soon(2))

    page = client.get("/events/").text

    assert page.index("This week") < page.index("Weekly study group") < page.index("Later")
    assert page.index("Later") < page.index("Monthly talk")


def test_index_shows_each_series_once_after_this_week(client):
    weekly = make_event(title="Weekly study group", rule="FREQ=WEEKLY", starts_at=soon(2))
    for week in range(6):
        make_date(weekly, soon(2 + 7 * week))
    first = soon(15).astimezone(zoneinfo.ZoneInfo("America/New_York")).date()
    rule = recurrence.build_rule(repeats=recurrence.FORTNIGHTLY, first=first)
    later = make_event(title="Fortnightly talk", rule=rule, starts_at=soon(15))
    for fortnight in range(4):
        make_date(later, soon(15 + 14 * fortnight))
    once = make_event(title="Accra meetup")
    make_date(once, soon(30))

    page = client.get("/events/").text

    # This week: every date; later: each event once, at its next date, its rule in words.
    assert page.count("Weekly study group") == 1
    assert page.count("Fortnightly talk") == 1
    assert "Every two weeks on" in page
    assert page.index("Fortnightly talk") < page.index("Accra meetup")
    assert "Every two weeks on" in client.get(f"/events/{later.slug}/").text


def test_index_leaves_out_drafts_and_past_dates(client):
    make_date(make_event(title="Hidden draft", status=Event.Status.DRAFT), soon(1))
    make_date(make_event(title="Already over"), soon(-3))

    page = client.get("/events/").text

    assert "Hidden draft" not in page
    assert "Already over" not in page
    assert "No events are coming up that match" in page


def test_index_filters_by_kind_language_and_region(client):
    lagos = CityFactory(name="Lagos", country="NG")
    berlin = CityFactory(name="Berlin", country="DE", timezone="Europe/Berlin")
    make_date(make_event(title="Lagos meetup", kind=Event.Kind.IN_PERSON, city=lagos), soon(1))
    make_date(make_event(title="Berlin meetup", kind=Event.Kind.IN_PERSON, city=berlin), soon(1))
    make_date(make_event(title="Causerie", language="fr"), soon(1))

    africa = client.get("/events/?region=002").text
    french = client.get("/events/?language=fr").text
    in_person = client.get("/events/?kind=in_person").text

    assert "Lagos meetup" in africa
    assert "Berlin meetup" not in africa
    assert "Causerie" in french
    assert "Lagos meetup" not in french
    assert "Causerie" not in in_person
    assert "Berlin meetup" in in_person


def test_index_filters_survive_pagination(client):
    for day in range(25):
        make_date(make_event(language="fr"), soon(day + 1))

    page = client.get("/events/?language=fr").text

    assert 'href="/events/?language=fr&amp;page=2"' in page


def test_past_counts_attendance_where_recorded_else_seats(client):
    recorded = make_date(make_event(title="Recorded"), soon(-10))
    make_rsvp(recorded, attended=True)
    make_rsvp(recorded, attended=True)
    make_rsvp(recorded, attended=False)
    unrecorded = make_date(make_event(title="Unrecorded"), soon(-5))
    for _ in range(3):
        make_rsvp(unrecorded)

    page = client.get("/events/past/").text

    assert "2 people attended" in page
    assert "3 seats taken (attendance not recorded)" in page
    assert page.index("Unrecorded") < page.index("Recorded<")  # latest first


def json_ld(page):
    return json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1]
    )


def test_detail_describes_each_date_for_search_engines(client):
    event = make_event(
        kind=Event.Kind.IN_PERSON, venue="Impact Hub", city=CityFactory(name="Lagos")
    )
    make_date(event, soon(1))
    make_date(event, soon(8), cancelled=True, cancel_reason="Public holiday")

    items = json_ld(client.get(f"/events/{event.slug}/").text)

    first, cancelled = items
    assert first["@type"] == "Event"
    assert first["name"] == event.title
    assert first["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert first["eventStatus"] == "https://schema.org/EventScheduled"
    assert cancelled["eventStatus"] == "https://schema.org/EventCancelled"
    assert first["location"]["@type"] == "Place"
    assert first["location"]["address"]["addressLocality"] == "Lagos"
    assert first["organizer"]["name"] == "Black Python Devs"
    assert dt.datetime.fromisoformat(first["startDate"]).utcoffset() is not None
    assert dt.datetime.fromisoformat(first["endDate"]) > dt.datetime.fromisoformat(
        first["startDate"]
    )


def test_detail_online_event_is_a_virtual_location(client):
    event = make_event(kind=Event.Kind.ONLINE)
    make_date(event, soon(1))

    (item,) = json_ld(client.get(f"/events/{event.slug}/").text)

    assert item["location"]["@type"] == "VirtualLocation"
    assert item["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"


def test_detail_marks_a_cancelled_date_with_its_reason(client):
    event = make_event()
    make_date(event, soon(3), cancelled=True, cancel_reason="Our host is ill")

    page = client.get(f"/events/{event.slug}/").text

    assert "Cancelled" in page
    assert "Our host is ill" in page
    assert "/rsvp/" not in page


def test_detail_hides_the_online_link_from_people_without_a_seat(client):
    event = make_event(link_shown_to=Event.LinkShown.ATTENDEES)
    date = make_date(event, soon(1))
    member = UserFactory()

    visitor = client.get(f"/events/{event.slug}/").text
    client.force_login(member)
    without = client.get(f"/events/{event.slug}/").text
    make_rsvp(date, member)
    with_seat = client.get(f"/events/{event.slug}/").text

    assert event.online_url not in visitor
    assert event.online_url not in without
    assert event.online_url in with_seat


def test_detail_shows_the_link_to_everyone_when_the_organiser_says_so(client):
    event = make_event(link_shown_to=Event.LinkShown.EVERYONE)
    make_date(event, soon(1))

    assert event.online_url in client.get(f"/events/{event.slug}/").text


@pytest.mark.parametrize(
    ("status", "action", "label"),
    [
        (None, "rsvp", "RSVP: save me a seat"),
        (Rsvp.Status.GOING, "cancel", "Cancel my RSVP"),
        (Rsvp.Status.WAITING, "cancel", "Leave the waiting list"),
        (Rsvp.Status.OFFERED, "confirm", "Confirm my seat"),
        (Rsvp.Status.CANCELLED, "rsvp", "RSVP: save me a seat"),
    ],
)
def test_detail_offers_the_button_for_the_members_rsvp(client, status, action, label):
    event = make_event(capacity=5)
    date = make_date(event, soon(1))
    member = UserFactory()
    if status:
        make_rsvp(
            date,
            member,
            status,
            offer_expires_at=soon(1) if status == Rsvp.Status.OFFERED else None,
        )
    client.force_login(member)

    page = client.get(f"/events/{event.slug}/").text

    assert f'action="/events/occurrences/{date.pk}/{action}/"' in page
    assert label in page


def test_detail_full_date_offers_the_waiting_list(client):
    event = make_event(capacity=1)
    date = make_date(event, soon(1))
    make_rsvp(date)
    client.force_login(UserFactory())

    page = client.get(f"/events/{event.slug}/").text

    assert "Join the waiting list" in page
    assert "0 seats left" in page


def test_detail_asks_visitors_to_sign_in_to_rsvp(client):
    event = make_event()
    make_date(event, soon(1))

    page = client.get(f"/events/{event.slug}/").text

    assert "Sign in to RSVP" in page
    assert 'method="post"' not in page


def test_detail_of_a_draft_is_not_found_for_visitors(client):
    event = make_event(status=Event.Status.DRAFT)

    assert client.get(f"/events/{event.slug}/").status_code == 404


def page_size(response):
    with open(finders.find("website/site.css"), "rb") as handle:
        css = handle.read()
    return len(gzip.compress(response.content)) + len(gzip.compress(css))


@pytest.mark.parametrize("code", ["", "fr/", "ha/"])
def test_public_event_pages_fit_the_budget(client, site_content, code):
    city = CityFactory(name="Nairobi", country="KE", timezone="Africa/Nairobi")
    busiest = make_event(
        kind=Event.Kind.HYBRID,
        venue="iHub",
        city=city,
        capacity=30,
        description="Long text. " * 300,
    )
    for day in range(30):
        make_date(busiest, soon(day, 2), cancelled=day % 7 == 3, cancel_reason="Holiday")
    for day in range(30):
        make_rsvp(make_date(make_event(), soon(-day - 1)), attended=True)

    for url in ["events/", "events/past/", f"events/{busiest.slug}/", "events/zone/"]:
        response = client.get(f"/{code}{url}")
        assert response.status_code == 200
        assert page_size(response) <= BUDGET, (url, page_size(response))


def fill(count):
    city = CityFactory(name="Accra", country="GH", timezone="Africa/Accra")
    for number in range(count):
        event = make_event(kind=Event.Kind.IN_PERSON, city=city)
        make_rsvp(make_date(event, soon(number + 1)))
        make_rsvp(make_date(event, soon(-number - 1)), attended=True)


@pytest.mark.parametrize("url", ["/events/", "/events/past/", "/events/?region=002&kind=in_person"])
def test_list_pages_cost_the_same_whatever_the_data_size(client, url, uncached):
    fill(2)
    client.get(url)  # the first visit fills the caches every page reads
    _response, few = get_with_queries(client, url)
    fill(15)
    _response, many = get_with_queries(client, url)

    assert len(many) == len(few), many


def test_detail_costs_the_same_whatever_the_number_of_dates(client, uncached):
    event = make_event(capacity=10)
    member = UserFactory()
    client.force_login(member)
    make_rsvp(make_date(event, soon(1)), member)
    client.get(f"/events/{event.slug}/")  # the first visit fills the caches every page reads
    _response, few = get_with_queries(client, f"/events/{event.slug}/")
    for day in range(2, 12):
        make_rsvp(make_date(event, soon(day)), member)
    _response, many = get_with_queries(client, f"/events/{event.slug}/")

    assert len(many) == len(few)
