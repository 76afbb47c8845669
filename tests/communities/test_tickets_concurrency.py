"""Entry numbers and offers under concurrent requests (PostgreSQL row locks): two members
applying at once get different numbers; a decline and a lapse at once never offer more
tickets than the draw has."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from bpd.communities import tickets
from bpd.communities.models import Draw, TicketEntry
from bpd.members.roles import Role
from tests.communities.factories import DrawFactory
from tests.factories import ProfileFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks are what this proves; run with DATABASE_URL on PostgreSQL",
    ),
]
E = TicketEntry.Status


def at_once(*calls):
    barrier = threading.Barrier(len(calls))
    errors = []

    def run(call):
        try:
            barrier.wait()
            call()
        except tickets.TicketError as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


def test_members_applying_at_once_get_different_numbers():
    draw = DrawFactory()
    people = [ProfileFactory(country="GH").user for _ in range(6)]

    at_once(*(lambda p=p: tickets.apply(draw=draw, user=p) for p in people))

    numbers = sorted(draw.entries.values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4, 5, 6]


def test_a_decline_and_a_lapse_at_once_never_give_out_more_tickets():
    draw = DrawFactory(tickets=2)
    for _ in range(5):
        tickets.apply(draw=draw, user=ProfileFactory(country="GH").user)
    now = timezone.now()
    Draw.objects.filter(pk=draw.pk).update(
        opens_at=now - dt.timedelta(days=3), closes_at=now - dt.timedelta(minutes=1)
    )
    boss = ProfileFactory(user=UserFactory(roles=[Role.EXECUTOR])).user
    tickets.run_draw(draw=Draw.objects.get(pk=draw.pk), by=boss, randomness_value="ab")
    first, second = draw.entries.filter(status=E.OFFERED).order_by("rank")
    late = second.confirm_by + dt.timedelta(minutes=1)

    at_once(
        lambda: tickets.decline(entry=first, user=first.user, now=late - dt.timedelta(hours=1)),
        lambda: tickets.lapse_overdue(now=late),
        lambda: tickets.confirm(entry=first, user=first.user),
    )

    taken = list(draw.entries.filter(status__in=tickets.TAKEN).values_list("rank", flat=True))
    waiting = list(draw.entries.filter(status=E.WAITING).values_list("rank", flat=True))
    assert len(taken) <= 2
    # Passed on in the published order: nobody waiting is ahead of someone offered.
    assert not waiting or not taken or max(taken) < min(waiting)
