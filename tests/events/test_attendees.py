"""The organiser's attendee page: who may open it, names only as members share them,
the CSV export (audited, formula-safe), attendance, and its cost at two sizes. Also the
member's pages: answering, "My events" and the calendar settings."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from bpd.audit.models import Entry
from bpd.audit.verbs import Verb
from bpd.events import rsvp as rsvps
from bpd.events.models import CalendarSettings, Rsvp
from bpd.members.roles import Role
from bpd.members.visibility import Visibility
from tests.events.rsvp_factories import make_member, make_occurrence
from tests.factories import ProfileFactory, UserFactory
from tests.queries import get_with_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(client):
    user = UserFactory(roles=[Role.EXECUTOR])
    ProfileFactory(user=user)
    client.force_login(user)
    return user


def url(occurrence):
    return reverse("events:attendees", args=[occurrence.pk])


def seat(occurrence, **profile):
    person = make_member(**profile)
    rsvps.rsvp(occurrence=occurrence, member=person)
    return person


def test_attendees_are_for_organisers_only(client):
    occurrence = make_occurrence()
    client.force_login(make_member())

    assert client.get(url(occurrence)).status_code == 404


def test_attendees_show_names_only_as_members_share_them(client, organiser):
    occurrence = make_occurrence(capacity=5)
    seat(occurrence, display_name="Ama Public", name_visibility=Visibility.MEMBERS)
    hidden = seat(occurrence, display_name="Kofi Hidden", name_visibility=Visibility.ONLY_ME)
    leaders = seat(occurrence, display_name="Zola Leaders", name_visibility=Visibility.LEADERS)

    page = client.get(url(occurrence)).text

    assert "Ama Public" in page
    assert "Kofi Hidden" not in page
    assert "A member (name not shared)" in page
    assert "Zola Leaders" in page
    recorded = Entry.objects.filter(verb=Verb.PRIVATE_VIEWED)
    assert [entry.person_id for entry in recorded] == [leaders.pk]
    assert hidden.pk not in {entry.person_id for entry in recorded}


def test_attendees_list_the_waiting_list_in_order(client, organiser):
    occurrence = make_occurrence(capacity=1)
    seat(occurrence, display_name="First Seat")
    seat(occurrence, display_name="Second Waiting")
    seat(occurrence, display_name="Third Waiting")

    page = client.get(url(occurrence)).text

    assert page.index("First Seat") < page.index("Second Waiting") < page.index("Third Waiting")


def test_the_csv_export_is_formula_safe_and_audited(client, organiser):
    occurrence = make_occurrence(capacity=5)
    seat(occurrence, display_name='=HYPERLINK("http://evil")', name_visibility=Visibility.MEMBERS)

    response = client.get(url(occurrence) + "?format=csv")

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][0] == '\'=HYPERLINK("http://evil")'
    assert rows[1][1] == "Going"
    entry = Entry.objects.get(verb=Verb.ATTENDEES_EXPORTED)
    assert entry.actor == organiser


def test_attendance_is_recorded_and_audited(client, organiser):
    occurrence = make_occurrence(capacity=5, starts_in=dt.timedelta(minutes=10))
    came, absent = seat(occurrence), seat(occurrence)
    occurrence.__class__.objects.filter(pk=occurrence.pk).update(
        starts_at=occurrence.starts_at - dt.timedelta(hours=1)
    )
    came_rsvp = Rsvp.objects.get(member=came)

    response = client.post(url(occurrence), {"attended": [str(came_rsvp.pk)]})

    assert response.status_code == 302
    assert Rsvp.objects.get(member=came).attended is True
    assert Rsvp.objects.get(member=absent).attended is False
    assert Entry.objects.get(verb=Verb.ATTENDANCE_RECORDED).after["attended"] == 1


def test_attendance_waits_for_the_start(client, organiser):
    occurrence = make_occurrence(capacity=5)
    person = seat(occurrence)
    row = Rsvp.objects.get(member=person)

    client.post(url(occurrence), {"attended": [str(row.pk)]})

    assert Rsvp.objects.get(member=person).attended is None
    assert not Entry.objects.filter(verb=Verb.ATTENDANCE_RECORDED).exists()


def test_attendees_page_costs_the_same_queries_at_two_sizes(client, organiser, uncached):
    small, large = make_occurrence(capacity=2), make_occurrence(capacity=10)
    for occurrence, people in ((small, 3), (large, 16)):
        for _ in range(people):
            seat(occurrence, name_visibility=Visibility.LEADERS)

    client.get(url(small))  # the first visit fills the caches every page reads
    _page, few = get_with_queries(client, url(small))
    _page, many = get_with_queries(client, url(large))

    assert len(few) == len(many)


def test_my_events_page_costs_the_same_queries_at_two_sizes(client, uncached):
    member = make_member()
    client.force_login(member)
    rsvps.rsvp(occurrence=make_occurrence(capacity=5), member=member)
    client.get(reverse("events:mine"))  # the first visit fills the caches every page reads
    _page, few = get_with_queries(client, reverse("events:mine"))
    for _ in range(6):
        rsvps.rsvp(occurrence=make_occurrence(capacity=5), member=member)
        full = make_occurrence(capacity=1)
        rsvps.rsvp(occurrence=full, member=make_member())
        rsvps.rsvp(occurrence=full, member=member)

    page, many = get_with_queries(client, reverse("events:mine"))

    assert len(few) == len(many)
    assert "You are first on the waiting list." in page.text


# --- The member's side ---------------------------------------------------------------------


def test_rsvp_answers_post_only_and_goes_back_to_the_event(client):
    occurrence = make_occurrence()
    member = make_member()
    client.force_login(member)
    address = reverse("events:rsvp", args=[occurrence.pk])

    assert client.get(address).status_code == 405
    response = client.post(address)

    assert response["Location"] == reverse("events:detail", args=[occurrence.event.slug])
    assert Rsvp.objects.get(member=member).status == Rsvp.Status.GOING


def test_a_refused_rsvp_says_why(client):
    occurrence = make_occurrence()
    occurrence.__class__.objects.filter(pk=occurrence.pk).update(cancelled=True)
    client.force_login(make_member())

    response = client.post(reverse("events:rsvp", args=[occurrence.pk]), follow=True)

    assert "This date is cancelled." in response.text
    assert not Rsvp.objects.exists()


def test_calendar_settings_get_writes_nothing_and_offers_to_create(client):
    member = make_member()
    client.force_login(member)

    page = client.get(reverse("events:calendar_settings")).text

    assert "Create my calendar address" in page
    assert not CalendarSettings.objects.exists()


def test_a_new_calendar_address_revokes_the_old_one(client):
    member = make_member()
    client.force_login(member)
    address = reverse("events:calendar_settings")
    client.post(address, {"action": "create"})
    old = CalendarSettings.objects.get(member=member).feed_token

    unconfirmed = client.post(address, {"action": "renew"})
    assert CalendarSettings.objects.get(member=member).feed_token == old
    assert unconfirmed.status_code == 200
    client.post(address, {"action": "renew", "confirm": "on"})

    new = CalendarSettings.objects.get(member=member).feed_token
    assert new != old
    assert client.get(reverse("events:personal_feed", args=[old])).status_code == 404
    assert new in client.get(address).text


def test_reminders_can_be_turned_off(client):
    member = make_member()
    client.force_login(member)

    client.post(reverse("events:calendar_settings"), {"action": "reminders"})

    assert CalendarSettings.objects.get(member=member).reminders is False
