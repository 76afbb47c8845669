"""Two members take the last seat at the same moment: exactly one gets it (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from bpd.events import rsvp as rsvps
from bpd.events.models import Rsvp
from tests.events.rsvp_factories import make_member, make_occurrence

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks are what this proves; run with DATABASE_URL on PostgreSQL",
)
def test_two_members_taking_the_last_seat_at_once_exactly_one_gets_it():
    occurrence = make_occurrence(capacity=2)
    rsvps.rsvp(occurrence=occurrence, member=make_member())  # one seat left
    people = [make_member(), make_member()]
    barrier = threading.Barrier(2)
    answers = []

    def take(person):
        try:
            barrier.wait()
            answers.append(rsvps.rsvp(occurrence=occurrence, member=person).status)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(answers) == [Rsvp.Status.GOING, Rsvp.Status.WAITING]
    assert Rsvp.objects.filter(occurrence=occurrence, status__in=Rsvp.SEATED).count() == 2
