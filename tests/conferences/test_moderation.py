"""Suggesting, moderating (publish, reject with a reason, edit: audited, suggester
emailed), the Fund's panel, validation, personal data."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from bpd.audit.models import Entry
from bpd.audit.verbs import Verb
from bpd.conferences import panels, personal_data, services
from bpd.conferences.forms import ConferenceForm
from bpd.conferences.models import Conference, Follow
from bpd.fund.models import Round
from tests.conferences.conftest import make_conference, make_deadline, member
from tests.queries import get_with_queries

pytestmark = pytest.mark.django_db


def suggestion(**changes):
    today = timezone.localdate()
    return {
        "name": "PyCon Lagos", "url": "https://pycon-lagos.example.org",
        "starts_on": (today + dt.timedelta(days=100)).isoformat(),
        "ends_on": (today + dt.timedelta(days=102)).isoformat(), "country": "NG", "city": "Lagos",
        "cfp_closes_date": (today + dt.timedelta(days=30)).isoformat(), "cfp_closes_time": "23:59",
        "cfp_closes_zone": "AoE", "languages": "en, yo",
    } | changes  # fmt: skip


def test_a_member_suggests_and_sees_the_state(client):
    person = member()
    client.force_login(person)
    response = client.post(reverse("conferences:suggest"), suggestion())
    assert response.status_code == 302
    conference = Conference.objects.get(name="PyCon Lagos")
    assert conference.status == "suggested"
    assert conference.suggested_by == person
    deadline = conference.deadlines.get()
    assert deadline.zone == "AoE"
    assert deadline.local_due.hour == 23
    assert deadline.due_at.astimezone(dt.UTC).hour == 11  # 23:59 UTC-12 is 11:59 UTC next day
    assert conference.languages == ["en", "yo"]
    assert "Suggested" in client.get(reverse("conferences:suggest")).content.decode()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_on": "2020-01-01", "starts_on": "2020-02-01"}, "ends_on"),
        ({"starts_on": "1999-12-31"}, "starts_on"),
        ({"ends_on": "2099-01-01"}, "ends_on"),
        ({"cfp_closes_zone": "Mars/Olympus"}, "cfp_closes_zone"),
        ({"cfp_closes_zone": ""}, "cfp_closes_zone"),
        ({"url": "http://insecure.example.org"}, "url"),
        ({"country": "", "online": ""}, "country"),
        ({"languages": "english!!"}, "languages"),
    ],
)
def test_suggestions_are_checked(changes, field):
    form = ConferenceForm(suggestion(**changes))
    assert not form.is_valid()
    assert field in form.errors


def test_staff_publish_audited_and_the_suggester_is_told(
    client, executor, mailoutbox, django_capture_on_commit_callbacks
):
    person = member()
    conference = make_conference(status="suggested", suggested_by=person)
    client.force_login(executor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("conferences:review", args=[conference.pk]),
            suggestion(name="Renamed", action="publish"),
        )
    conference.refresh_from_db()
    assert conference.status == "published"
    assert conference.name == "Renamed"
    verbs = set(Entry.objects.values_list("verb", flat=True))
    assert {Verb.CONFERENCE_CHANGED, Verb.CONFERENCE_PUBLISHED} <= verbs
    assert [m.to for m in mailoutbox] == [[person.email]]


def test_rejecting_needs_a_reason_and_the_member_reads_it(
    client, executor, mailoutbox, django_capture_on_commit_callbacks
):
    person = member()
    conference = make_conference(status="suggested", suggested_by=person)
    client.force_login(executor)
    url = reverse("conferences:review", args=[conference.pk])
    client.post(url, {"action": "reject", "reason": ""})
    assert Conference.objects.get(pk=conference.pk).status == "suggested"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "reject", "reason": "Not a Python event"})
    conference.refresh_from_db()
    assert conference.status == "rejected"
    assert Entry.objects.get(verb=Verb.CONFERENCE_REJECTED).reason == "Not a Python event"
    assert "Not a Python event" in mailoutbox[0].body
    client.force_login(person)
    assert "Not a Python event" in client.get(reverse("conferences:suggest")).content.decode()


def test_publishing_twice_is_refused(executor):
    conference = make_conference()
    with pytest.raises(services.ConferenceError):
        services.publish(conference=conference, by=executor)


def test_moderate_lists_suggestions_including_fund_applicants_events(client, executor):
    make_conference(name="From the Fund", status="suggested", suggested_by=member())
    client.force_login(executor)
    page = client.get(reverse("conferences:moderate")).content.decode()
    assert "From the Fund" in page


def test_moderate_query_count_does_not_grow(client, executor, uncached):
    client.force_login(executor)
    for _ in range(2):
        make_conference(status="suggested", suggested_by=member())
        make_conference()
    client.get(reverse("conferences:moderate"))
    _r, few = get_with_queries(client, reverse("conferences:moderate"))
    for _ in range(12):
        make_conference(status="suggested", suggested_by=member())
        make_conference()
    _r, many = get_with_queries(client, reverse("conferences:moderate"))
    assert len(many) == len(few), "\n".join(many)


def _round(now, **changes):
    values = {
        "name": "Spring 2027", "slug": "spring-2027", "opens_at": now - dt.timedelta(days=1),
        "closes_at": now + dt.timedelta(days=10), "decision_date": (now + dt.timedelta(days=20)).date(),
        "budget": 1000, "currency": "USD", "covered": ["flight"],
    }  # fmt: skip
    return Round.objects.create(**(values | changes))


def test_the_fund_panel_shows_an_open_round_for_a_later_conference(client):
    now = timezone.now()
    _round(now)
    conference = make_conference(days=60)
    shown = panels.panels(conference)
    assert len(shown) == 1
    assert "round Spring 2027 is open until" in shown[0].text
    assert shown[0].url == reverse("fund:apply", args=["spring-2027"])
    page = client.get(reverse("conferences:detail", args=[conference.slug])).content.decode()
    assert "community leaders can apply to attend" in page


def test_no_fund_panel_when_no_round_is_open_or_decisions_come_too_late():
    now = timezone.now()
    _round(now, opens_at=now + dt.timedelta(days=1), slug="later", name="Later")
    _round(now, slug="late", name="Late", decision_date=(now + dt.timedelta(days=90)).date())
    assert panels.panels(make_conference(days=60)) == []


def test_personal_data_collects_and_forget_keeps_the_public_conference():
    person = member()
    conference = make_conference(suggested_by=person)
    deadline = make_deadline(conference)
    services.follow(conference=conference, member=person)
    services.set_talk(conference=conference, member=person, title="Typing", consent=True)
    services.remind_deadlines(now=deadline.due_at - dt.timedelta(days=1))

    data = personal_data.collect(person)
    assert data["following"][0]["conference"] == conference.name
    assert data["talks"][0]["title"] == "Typing"
    assert data["deadline_reminders"][0]["days_before"] == 1
    assert data["suggested"][0]["status"] == "published"
    assert personal_data.readable(data)

    personal_data.forget(person, "remove")
    conference.refresh_from_db()
    assert conference.suggested_by is None
    assert not Follow.objects.filter(member=person).exists()
