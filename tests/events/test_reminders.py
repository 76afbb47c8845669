"""Reminders 24 hours and 1 hour before, each sent once, none when turned off, written
in the member's language and time zone."""

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone, translation

from bpd.background import jobs
from bpd.events import rsvp as rsvps
from bpd.events.models import Rsvp
from bpd.website.templatetags.bpd import moment
from tests.events.rsvp_factories import make_member, make_occurrence

pytestmark = pytest.mark.django_db


def seat(starts_in, **member):
    occurrence = make_occurrence(capacity=None, starts_in=starts_in)
    person = make_member(**member)
    rsvps.rsvp(occurrence=occurrence, member=person)
    return occurrence, person


def remind(capture, now=None):
    with capture(execute=True):
        return rsvps.send_reminders(now=now)


def test_reminder_a_day_before_is_sent_once(django_capture_on_commit_callbacks, mailoutbox):
    _occurrence, person = seat(dt.timedelta(hours=20))

    first = remind(django_capture_on_commit_callbacks)
    second = remind(django_capture_on_commit_callbacks)

    assert (first, second) == (1, 0)
    assert [m.to for m in mailoutbox] == [[person.email]]
    assert "Coming up" in mailoutbox[0].subject
    assert Rsvp.objects.get(member=person).reminded_day_at is not None


def test_reminder_an_hour_before_follows_the_day_one(
    django_capture_on_commit_callbacks, mailoutbox
):
    occurrence, _person = seat(dt.timedelta(hours=20))
    remind(django_capture_on_commit_callbacks)
    an_hour_before = occurrence.starts_at - dt.timedelta(minutes=50)

    sent = remind(django_capture_on_commit_callbacks, now=an_hour_before)
    again = remind(django_capture_on_commit_callbacks, now=an_hour_before)

    assert (sent, again) == (1, 0)
    assert [m.subject.startswith("Starting within the hour") for m in mailoutbox] == [False, True]


def test_a_late_run_sends_only_the_hour_reminder(django_capture_on_commit_callbacks, mailoutbox):
    _occurrence, person = seat(dt.timedelta(minutes=40))

    sent = remind(django_capture_on_commit_callbacks)

    assert sent == 1
    assert len(mailoutbox) == 1
    assert "within the hour" in mailoutbox[0].subject
    row = Rsvp.objects.get(member=person)
    assert row.reminded_hour_at is not None
    assert row.reminded_day_at is None


def test_no_reminder_further_than_a_day_ahead(django_capture_on_commit_callbacks, mailoutbox):
    seat(dt.timedelta(hours=30))

    assert remind(django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []


def test_no_reminder_when_turned_off(django_capture_on_commit_callbacks, mailoutbox):
    _occurrence, person = seat(dt.timedelta(hours=20))
    rsvps.set_reminders(member=person, on=False)

    assert remind(django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []


def test_no_reminder_for_the_waiting_list_or_a_cancelled_date(
    django_capture_on_commit_callbacks, mailoutbox
):
    full = make_occurrence(capacity=1, starts_in=dt.timedelta(hours=20))
    rsvps.rsvp(occurrence=full, member=make_member())
    Rsvp.objects.filter(occurrence=full).update(reminded_day_at=timezone.now())
    rsvps.rsvp(occurrence=full, member=make_member())  # waiting
    cancelled, _person = seat(dt.timedelta(hours=20))
    cancelled.__class__.objects.filter(pk=cancelled.pk).update(cancelled=True)

    assert remind(django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []


def test_reminder_is_in_the_members_language_and_zone(
    django_capture_on_commit_callbacks, mailoutbox
):
    occurrence, _person = seat(dt.timedelta(hours=20), language="fr", time_zone="Asia/Tokyo")

    remind(django_capture_on_commit_callbacks)

    with translation.override("fr"), timezone.override(zoneinfo.ZoneInfo("Asia/Tokyo")):
        expected = moment(occurrence.starts_at)
    assert "JST" in expected
    message = mailoutbox[0]
    assert expected in message.body
    html = message.alternatives[0][0]
    assert 'lang="fr"' in html
    assert expected in html


def test_a_member_without_a_zone_reads_the_events_zone(
    django_capture_on_commit_callbacks, mailoutbox
):
    _occurrence, _person = seat(dt.timedelta(hours=20))  # the event is in Africa/Lagos

    remind(django_capture_on_commit_callbacks)

    assert "WAT" in mailoutbox[0].body


def test_the_reminder_job_is_registered_and_idempotent(
    django_capture_on_commit_callbacks, mailoutbox
):
    seat(dt.timedelta(hours=20))

    assert jobs.JOBS["events.send_reminders"][1] == jobs.FREQUENTLY
    assert jobs.JOBS["events.expire_offers"][1] == jobs.FREQUENTLY
    job = jobs.JOBS["events.send_reminders"][0]
    with django_capture_on_commit_callbacks(execute=True):
        assert job() == "1 reminders sent"
        assert job() == "0 reminders sent"
    assert len(mailoutbox) == 1
