"""Times in the reader's zone, the event's own zone named beside them: a member reads
their profile zone, a visitor the zone they chose (a cookie) or UTC."""

import datetime as dt
import zoneinfo

import pytest

from bpd.members.middleware import SESSION_KEY
from tests.events.public_factories import make_date, make_event
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def first_tuesday(year, month):
    day = dt.date(year, month, 1)
    return day + dt.timedelta(days=(1 - day.weekday()) % 7)


# Next year's first Tuesday of January, 18:00 in Atlanta (Eastern Standard Time, 23:00
# UTC), and of July, when Atlanta is on daylight-saving time (22:00 UTC).
YEAR = dt.date.today().year + 1
W, S = first_tuesday(YEAR, 1), first_tuesday(YEAR, 7)
WINTER = dt.datetime(YEAR, 1, W.day, 18, 0, tzinfo=NEW_YORK)
SUMMER = dt.datetime(YEAR, 7, S.day, 18, 0, tzinfo=NEW_YORK)


@pytest.fixture
def series():
    event = make_event(title="Atlanta study group", time_zone="America/New_York", starts_at=WINTER)
    make_date(event, WINTER)
    make_date(event, SUMMER)
    return event


def as_visitor_in(client, zone):
    client.cookies["bpd_tz"] = zone
    return client


def as_member_in(client, zone):
    client.force_login(UserFactory())
    session = client.session
    session[SESSION_KEY] = zone
    session.save()
    return client


@pytest.mark.parametrize("signed_in", [False, True])
@pytest.mark.parametrize(
    ("zone", "winter", "summer"),
    [
        # Tuesday 18:00 in Atlanta is Wednesday 00:00 in Lagos and 02:00 in Nairobi.
        (
            "America/New_York",
            f"January {W.day}, {YEAR}, 6:00\u202fPM EST",
            f"July {S.day}, {YEAR}, 6:00\u202fPM EDT",
        ),
        (
            "Africa/Lagos",
            f"January {W.day + 1}, {YEAR}, 12:00\u202fAM WAT",
            f"July {S.day}, {YEAR}, 11:00\u202fPM WAT",
        ),
        (
            "Africa/Nairobi",
            f"January {W.day + 1}, {YEAR}, 2:00\u202fAM EAT",
            f"July {S.day + 1}, {YEAR}, 1:00\u202fAM EAT",
        ),
    ],
)
def test_event_page_shows_the_readers_clock(client, series, zone, winter, summer, signed_in):
    reader = as_member_in(client, zone) if signed_in else as_visitor_in(client, zone)

    page = reader.get(f"/events/{series.slug}/").text

    assert winter in page
    # Daylight saving: still 18:00 in Atlanta in July, so an hour earlier in Lagos.
    assert summer in page


def test_the_events_own_clock_is_named_beside_the_readers(client, series):
    page = as_visitor_in(client, "Africa/Lagos").get(f"/events/{series.slug}/").text

    assert f"(January {W.day}, {YEAR}, 6:00\u202fPM EST where it is held)" in page
    assert f"(July {S.day}, {YEAR}, 6:00\u202fPM EDT where it is held)" in page


def test_a_visitor_without_a_choice_reads_utc_and_the_events_zone(client, series):
    page = client.get(f"/events/{series.slug}/").text

    assert f"January {W.day}, {YEAR}, 11:00\u202fPM UTC" in page
    assert "6:00\u202fPM EST where it is held" in page
    assert "Choose your time zone" in page


def test_index_groups_by_the_readers_day(client, series):
    page = as_visitor_in(client, "Africa/Nairobi").get("/events/").text

    assert f"<h3>January {W.day + 1}, {YEAR}</h3>" in page


def test_choosing_a_zone_sets_a_cookie_for_a_year_and_goes_back(client):
    response = client.post("/events/zone/", {"zone": "Africa/Lagos", "next": "/events/past/"})

    assert response.status_code == 302
    assert response["Location"] == "/events/past/"
    cookie = response.cookies["bpd_tz"]
    assert cookie.value == "Africa/Lagos"
    assert cookie["max-age"] == 365 * 24 * 60 * 60
    assert cookie["samesite"] == "Lax"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]
)
def test_choosing_a_zone_never_goes_to_another_site(client, target):
    response = client.post("/events/zone/", {"zone": "Africa/Lagos", "next": target})

    assert response["Location"] == "/events/"


def test_an_unknown_zone_is_refused(client):
    response = client.post("/events/zone/", {"zone": "Mars/Olympus"})

    assert response.status_code == 400
    assert "bpd_tz" not in response.cookies


def test_a_forged_cookie_is_ignored(client, series):
    page = as_visitor_in(client, "Mars/Olympus").get(f"/events/{series.slug}/").text

    assert "11:00\u202fPM UTC" in page


def test_the_zone_page_preselects_the_chosen_zone(client):
    page = as_visitor_in(client, "Africa/Nairobi").get("/events/zone/").text

    assert '<option value="Africa/Nairobi" selected>' in page
