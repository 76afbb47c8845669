"""Conferences and deadlines for the conference list's tests."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from bpd.conferences.models import Conference, Deadline
from bpd.members.roles import Role
from tests.factories import ProfileFactory, UserFactory

_numbers = itertools.count(1)


def make_conference(*, status=Conference.Status.PUBLISHED, days=60, **fields):
    start = timezone.localdate() + dt.timedelta(days=days)
    number = next(_numbers)
    values = {
        "name": f"PyCon Test {number}",
        "url": f"https://pycon{number}.example.org",
        "starts_on": start,
        "ends_on": start + dt.timedelta(days=2),
        "country": "NG",
        "city": "Lagos",
        "status": status,
    }
    return Conference.objects.create(**(values | fields))


def make_deadline(conference, *, kind=Deadline.Kind.CFP_CLOSES, due_at=None, zone="AoE"):
    due_at = due_at or timezone.now() + dt.timedelta(days=20)
    return Deadline.objects.create(conference=conference, kind=kind, due_at=due_at, zone=zone)


def member(time_zone="", **profile):
    return ProfileFactory(time_zone=time_zone, **profile).user


@pytest.fixture
def conference(db):
    return make_conference()


@pytest.fixture
def executor(db):
    return ProfileFactory(user=UserFactory(roles=[Role.EXECUTOR])).user
