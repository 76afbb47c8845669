import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from bpd.events.demo import STUDY_GROUP, create_demo_events
from bpd.events.models import Event, Rsvp
from bpd.members.demo import demo_email
from bpd.members.roles import Role
from tests.factories import CityFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_accounts():
    UserFactory(email=demo_email(Role.EXECUTOR.value), roles=[Role.EXECUTOR])
    UserFactory(email=demo_email(Role.LEADER.value), roles=[Role.LEADER])
    UserFactory(email=demo_email(Role.MEMBER.value))
    for n in range(8):
        UserFactory(email=f"demo-member{n:04}@example.com")
    CityFactory(name="Accra", country="GH", timezone="Africa/Accra")
    CityFactory(name="Nairobi", country="KE", timezone="Africa/Nairobi")
    CityFactory(name="Lagos", country="NG", timezone="Africa/Lagos")


def test_demo_events_are_published_with_rsvps_and_a_waiting_list(demo_accounts):
    created = create_demo_events()

    assert created == Event.objects.published().count() == 5
    study = Event.objects.get(title=STUDY_GROUP)
    first = study.occurrences.order_by("starts_at").first()
    local = first.starts_at.astimezone(zoneinfo.ZoneInfo("America/New_York"))
    assert (local.weekday(), local.time(), study.capacity) == (1, dt.time(18), 30)
    assert study.link_shown_to == Event.LinkShown.ATTENDEES
    accra = Event.objects.get(city__name="Accra")
    statuses = list(Rsvp.objects.filter(occurrence__event=accra).values_list("status", flat=True))
    assert sorted(statuses) == ["going"] * 3 + ["waiting"] * 2
    assert Event.objects.get(city__name="Nairobi").kind == Event.Kind.IN_PERSON


def test_demo_events_rerun_adds_nothing(demo_accounts):
    create_demo_events()

    assert create_demo_events() == 0
    assert Event.objects.count() == 5


def test_demo_has_a_past_meetup_with_attendance_for_the_archive(demo_accounts):
    create_demo_events()

    past = Event.objects.get(title="Lagos meetup: Django from scratch (demo)")
    marks = Rsvp.objects.filter(occurrence__event=past).values_list("attended", flat=True)
    assert past.occurrences.get().ends_at < timezone.now()
    assert set(marks) == {True, False}
