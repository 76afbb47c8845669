import datetime as dt

import pytest

from bpd.conferences.demo import create_demo_conferences
from bpd.conferences.models import Conference, Deadline, Follow
from bpd.members.demo import demo_email
from bpd.members.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_demo_conferences_are_twenty_upcoming_with_deadlines_in_several_zones():
    member = UserFactory(email=demo_email(Role.MEMBER.value))
    leader = UserFactory(email=demo_email(Role.LEADER.value), roles=[Role.LEADER])
    today = dt.date(2027, 3, 1)

    created = create_demo_conferences(today=today)

    listed = Conference.objects.published().upcoming(today)
    assert created == listed.count() == 20
    deadlines = Deadline.objects.filter(conference__in=listed)
    assert deadlines.filter(kind=Deadline.Kind.CFP_CLOSES).count() == 20
    assert deadlines.filter(kind=Deadline.Kind.FINANCIAL_AID).exists()
    assert deadlines.filter(kind=Deadline.Kind.OPPORTUNITY_GRANT).exists()
    assert {"AoE", "America/New_York", "Europe/Berlin", "Africa/Lagos", "Asia/Tokyo", "UTC"} <= set(
        deadlines.values_list("zone", flat=True)
    )
    closing = deadlines.filter(kind=Deadline.Kind.CFP_CLOSES)
    assert all(d.local_due.date() > today for d in closing)
    assert Follow.objects.filter(member=member).count() == 5
    suggested = Conference.objects.get(status=Conference.Status.SUGGESTED)
    assert suggested.suggested_by == leader


def test_demo_conferences_rerun_adds_nothing():
    create_demo_conferences()

    assert create_demo_conferences() == 0
    assert Conference.objects.count() == 20
