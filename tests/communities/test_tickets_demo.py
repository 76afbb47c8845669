"""The demo's sponsored tickets (bpd/communities/demo_tickets.py): one open draw with
entries, one completed draw whose draw.json verifies with the script; idempotent."""

import json

import pytest

from bpd.communities import tickets, verify_draw
from bpd.communities.demo_tickets import create_demo_tickets
from bpd.communities.models import Draw, TicketEntry
from tests.factories import CityFactory, ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db
E = TicketEntry.Status


@pytest.fixture
def demo_members():
    CityFactory(
        name="Accra", country="GH", latitude=5.556, longitude=-0.1969, timezone="Africa/Accra"
    )
    return [
        ProfileFactory(
            user=UserFactory(email=f"demo-member{n:04d}@demo.example"), country="GH"
        ).user
        for n in range(20)
    ]


def test_the_demo_makes_an_open_draw_and_a_verifiable_completed_one(demo_members):
    assert create_demo_tickets() == 2
    assert create_demo_tickets() == 0

    opened = Draw.objects.get(drawn_at__isnull=True)
    completed = Draw.objects.get(drawn_at__isnull=False)
    assert tickets.is_open(opened)
    assert opened.entries.filter(status=E.ENTERED).count() == 6
    ok, problems, ordering, _winners = verify_draw.verify(
        json.loads(json.dumps(tickets.draw_json(completed)))
    )
    assert ok, problems
    statuses = dict(completed.entries.values_list("rank", "status"))
    assert [statuses[rank] for rank in range(1, 7)] == [
        E.CONFIRMED, E.DECLINED, E.CONFIRMED, E.LAPSED, E.CONFIRMED, E.CONFIRMED,
    ]  # fmt: skip
    assert completed.codes.filter(entry__status=E.CONFIRMED).count() == 4
    assert len(ordering) == 12


def test_without_members_in_ghana_the_demo_makes_nothing(db):
    assert create_demo_tickets() == 0
