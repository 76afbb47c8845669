"""The public list, a conference's page, the deadlines page, following and speaking."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from bpd.conferences.models import Follow, Speaker
from bpd.members.visibility import Visibility
from tests.conferences.conftest import make_conference, make_deadline, member
from tests.queries import get_with_queries

pytestmark = pytest.mark.django_db
INDEX = reverse("conferences:index")
DEADLINES = reverse("conferences:deadlines")


def test_index_lists_upcoming_published_conferences_with_their_next_deadline(client):
    shown = make_conference(name="PyCon Ghana", country="GH", city="Accra")
    make_deadline(shown, kind="financial_aid", due_at=timezone.now() + dt.timedelta(days=5))
    make_conference(name="Hidden suggestion", status="suggested")
    make_conference(name="Long over", days=-30)

    page = client.get(INDEX).content.decode()

    assert "PyCon Ghana" in page
    assert "Accra, Ghana" in page
    assert "Financial aid deadline" in page
    assert "in 5 days" in page
    assert "Hidden suggestion" not in page
    assert "Long over" not in page
    assert reverse("conferences:deadlines_ics") in page
    assert reverse("conferences:suggest") in page


def test_index_filters_by_region_online_support_and_tag(client):
    make_conference(name="In Africa", country="KE", tags=["diversity"])
    make_conference(name="In Europe", country="DE")
    online = make_conference(name="Online one", country="", city="", online=True)
    make_deadline(online, kind="grant")

    assert "In Europe" not in client.get(INDEX, {"region": "002"}).content.decode()
    assert "In Africa" in client.get(INDEX, {"region": "002"}).content.decode()
    page = client.get(INDEX, {"online": "yes"}).content.decode()
    assert "Online one" in page
    assert "In Africa" not in page
    page = client.get(INDEX, {"support": "on"}).content.decode()
    assert "Online one" in page
    assert "In Europe" not in page
    page = client.get(INDEX, {"tag": "diversity"}).content.decode()
    assert "In Africa" in page
    assert "In Europe" not in page


def test_index_says_so_when_nothing_matches(client):
    page = client.get(INDEX, {"country": "IS"}).content.decode()
    assert "No upcoming conference matches these filters." in page


def test_detail_shows_each_deadline_in_the_readers_zone_and_the_original(client):
    conference = make_conference()
    due = dt.datetime(2030, 3, 16, 11, 59, tzinfo=dt.UTC)
    make_deadline(conference, due_at=due, zone="AoE")
    reader = member(time_zone="Africa/Lagos")
    client.force_login(reader)
    session = client.session
    session["time_zone"] = "Africa/Lagos"
    session.save()

    page = client.get(reverse("conferences:detail", args=[conference.slug])).content.decode()

    assert "March 16, 2030, 12:59\u202fPM WAT (March 15, 2030, 11:59\u202fPM AoE)" in page


def test_unpublished_conferences_have_no_page(client):
    conference = make_conference(status="suggested")
    assert client.get(reverse("conferences:detail", args=[conference.slug])).status_code == 404


def test_a_member_follows_and_unfollows(client):
    conference = make_conference()
    person = member()
    client.force_login(person)
    client.post(reverse("conferences:follow", args=[conference.slug]))
    client.post(reverse("conferences:follow", args=[conference.slug]))
    assert Follow.objects.filter(member=person).count() == 1
    page = client.get(reverse("conferences:detail", args=[conference.slug])).content.decode()
    assert "Unfollow" in page
    client.post(reverse("conferences:unfollow", args=[conference.slug]))
    assert not Follow.objects.filter(member=person).exists()


def test_speakers_show_only_with_consent_and_as_far_as_their_profile_allows(client):
    conference = make_conference()
    url = reverse("conferences:detail", args=[conference.slug])
    public = member(display_name="Ada Public", name_visibility=Visibility.PUBLIC)
    quiet = member(display_name="Quiet Leaders", name_visibility=Visibility.LEADERS)
    shy = member(display_name="No Consent", name_visibility=Visibility.PUBLIC)
    Speaker.objects.create(conference=conference, member=public, title="Typing", consent=True)
    Speaker.objects.create(conference=conference, member=quiet, title="Async", consent=True)
    Speaker.objects.create(conference=conference, member=shy, title="Hidden", consent=False)

    page = client.get(url).content.decode()
    assert "Ada Public" in page
    assert "Typing" in page
    assert "Quiet Leaders" not in page
    assert "Async" in page
    assert "No Consent" not in page
    assert "Hidden" not in page
    assert reverse("members:profile", args=[public.profile.pk]) not in page  # visitors: no link

    client.force_login(member())
    page = client.get(url).content.decode()
    assert reverse("members:profile", args=[public.profile.pk]) in page
    assert "Quiet Leaders" not in page


def test_a_member_says_they_speak_and_takes_it_back(client):
    conference = make_conference()
    person = member()
    client.force_login(person)
    url = reverse("conferences:speaking", args=[conference.slug])
    client.post(url, {"title": "Packaging", "consent": "on"})
    assert Speaker.objects.get(member=person).consent is True
    client.post(url, {"remove": "1"})
    assert not Speaker.objects.filter(member=person).exists()


def test_deadlines_page_lists_soonest_first_and_filters_by_kind(client):
    later = make_deadline(
        make_conference(name="Later conf"), due_at=timezone.now() + dt.timedelta(days=9)
    )
    sooner = make_deadline(
        make_conference(name="Sooner conf"),
        kind="grant",
        due_at=timezone.now() + dt.timedelta(days=2),
    )
    page = client.get(DEADLINES).content.decode()
    assert page.index(sooner.conference.name) < page.index(later.conference.name)
    page = client.get(DEADLINES, {"kind": "grant"}).content.decode()
    assert "Sooner conf" in page
    assert "Later conf" not in page


def _many(count):
    for _ in range(count):
        conference = make_conference(tags=["python"])
        make_deadline(conference)
        make_deadline(conference, kind="grant")


@pytest.mark.parametrize("url", [INDEX, DEADLINES])
def test_list_query_count_does_not_grow(client, url, uncached):
    _many(2)
    client.get(url)  # the first visit fills the caches every page reads
    _response, few = get_with_queries(client, url)
    _many(15)
    _response, many = get_with_queries(client, url)
    assert len(many) == len(few), "\n".join(many)
