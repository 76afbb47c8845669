"""Deadline reminders: 14, 3 and 1 days before, once each, the nearest only when late,
none after unfollowing; in the member's language and zone."""

import datetime as dt
import zoneinfo

import pytest
from babel.dates import format_date
from django.utils import timezone

from bpd.conferences import services
from bpd.conferences.models import DeadlineReminder
from tests.conferences.conftest import make_conference, make_deadline, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    conference = make_conference()
    due = timezone.now().replace(microsecond=0) + dt.timedelta(days=30)
    deadline = make_deadline(conference, due_at=due)
    follower = member(time_zone="Africa/Lagos")
    services.follow(conference=conference, member=follower)
    return conference, deadline, follower


def run(at, capture):
    with capture(execute=True):
        return services.remind_deadlines(now=at)


def test_reminders_go_at_fourteen_three_and_one_days_once_each(
    setup, mailoutbox, django_capture_on_commit_callbacks
):
    _conference, deadline, follower = setup
    due = deadline.due_at
    assert run(due - dt.timedelta(days=15), django_capture_on_commit_callbacks) == []
    for days in (14, 3, 1):
        at = due - dt.timedelta(days=days, minutes=-5)
        sent = run(at, django_capture_on_commit_callbacks)
        assert [r.days_before for r in sent] == [days]
        assert run(at + dt.timedelta(hours=1), django_capture_on_commit_callbacks) == []
    assert len(mailoutbox) == 3
    assert mailoutbox[0].to == [follower.email]
    assert "in 14 days" in mailoutbox[0].subject
    assert "WAT" in mailoutbox[0].body
    assert "AoE" in mailoutbox[0].body


def test_a_late_job_sends_only_the_nearest_reminder(
    setup, mailoutbox, django_capture_on_commit_callbacks
):
    _conference, deadline, _follower = setup
    sent = run(deadline.due_at - dt.timedelta(hours=20), django_capture_on_commit_callbacks)
    assert [r.days_before for r in sent] == [1]
    assert len(mailoutbox) == 1
    # Nothing more: 3 and 14 are past and never sent afterwards.
    assert run(deadline.due_at - dt.timedelta(hours=2), django_capture_on_commit_callbacks) == []


def test_unfollowing_stops_reminders(setup, mailoutbox, django_capture_on_commit_callbacks):
    conference, deadline, follower = setup
    services.unfollow(conference=conference, member=follower)
    assert run(deadline.due_at - dt.timedelta(days=2), django_capture_on_commit_callbacks) == []
    assert mailoutbox == []


def test_the_email_is_in_the_members_language(
    setup, mailoutbox, django_capture_on_commit_callbacks
):
    _conference, deadline, follower = setup
    follower.language = "fr"
    follower.save()
    run(deadline.due_at - dt.timedelta(days=2), django_capture_on_commit_callbacks)
    lagos = deadline.due_at.astimezone(zoneinfo.ZoneInfo("Africa/Lagos"))
    assert format_date(lagos.date(), "long", locale="fr") in mailoutbox[0].body
    assert DeadlineReminder.objects.filter(member=follower, days_before=3).count() == 1


def test_the_job_is_registered():
    from bpd.background import jobs

    assert "conferences.remind_deadlines" in jobs.JOBS
