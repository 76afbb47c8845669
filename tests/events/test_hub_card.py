"""The events card on the members' hub: the member's next seats and followed deadlines,
the events pages, at a cost that does not grow with the data; events in the sitemap."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.events.public_factories import make_date, make_event, make_rsvp
from tests.events.test_feeds import make_deadline
from tests.factories import ProfileFactory, UserFactory
from tests.queries import get_with_queries

pytestmark = pytest.mark.django_db
HUB = "/members/"


def soon(days):
    return timezone.now() + dt.timedelta(days=days)


@pytest.fixture
def member(client):
    user = UserFactory()
    ProfileFactory(user=user)
    client.force_login(user)
    return user


def test_hub_card_shows_my_next_three_seats_and_deadlines(client, member):
    for day in range(1, 5):
        make_rsvp(make_date(make_event(title=f"Session {day}"), soon(day)), member)
    make_deadline(member, 9)

    page = client.get(HUB).text

    assert "Session 1" in page
    assert "Session 3" in page
    assert "Session 4" not in page
    assert "PyCon 9: Call for proposals closes" in page
    for url in ("/events/", "/events/mine/", "/events/calendar/", "/conferences/"):
        assert f'href="{url}"' in page


def test_hub_card_costs_the_same_whatever_the_data_size(client, member, uncached):
    make_rsvp(make_date(make_event(), soon(1)), member)
    make_deadline(member, 5)
    client.get(HUB)  # the first visit fills the caches every page reads
    _response, few = get_with_queries(client, HUB)
    for day in range(2, 12):
        make_rsvp(make_date(make_event(), soon(day)), member)
        make_deadline(member, day + 20)
    client.get(HUB)  # new events are public content: the first visit after refills the caches
    _response, many = get_with_queries(client, HUB)

    assert len(many) == len(few), "\n".join(many)


def test_sitemap_lists_the_index_and_each_published_event_in_every_language(client):
    event = make_event(slug="weekly-study-group")

    sitemap = client.get("/sitemap.xml").text

    assert "/events/weekly-study-group/</loc>" in sitemap
    assert "/fr/events/weekly-study-group/</loc>" in sitemap
    assert "/sw/events/</loc>" in sitemap
    assert event.slug in sitemap


def test_header_has_events_before_the_fund(client, site_content):
    page = client.get("/").text

    header = page[page.index("<header") : page.index("</header>")]
    assert header.index('href="/events/"') < header.index('href="/fund/"')
