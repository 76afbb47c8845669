"""Claims at the same moment (PostgreSQL row locks): the last code and the last seat go
to exactly one member, and a member claiming twice at once gets one claim."""

import threading

import pytest
from django.db import connection, connections

from bpd.partners import claims
from bpd.partners.models import Claim, Code, Offer
from tests.factories import ProfileFactory
from tests.partners.factories import OfferFactory, add_codes

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks are what this proves; run with DATABASE_URL on PostgreSQL",
    ),
]


def at_once(*calls):
    """Run `calls` in threads released together; returns (results, refusals)."""
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            barrier.wait()
            results.append(call())
        except claims.ClaimError as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results, errors


def test_two_members_claiming_the_last_code_at_once_one_gets_it():
    offer = OfferFactory(kind=Offer.Kind.UNIQUE_CODES)
    add_codes(offer, 1)
    people = [ProfileFactory().user for _ in range(2)]

    results, errors = at_once(*(lambda p=p: claims.claim(offer=offer, user=p) for p in people))

    assert (len(results), len(errors)) == (1, 1)
    assert "Every code" in str(errors[0])
    assert Claim.objects.filter(offer=offer).count() == 1
    assert Code.objects.get(offer=offer).claim_id == results[0].pk


def test_many_members_claiming_a_small_pool_at_once_never_share_a_code():
    offer = OfferFactory(kind=Offer.Kind.UNIQUE_CODES)
    add_codes(offer, 3)
    people = [ProfileFactory().user for _ in range(8)]

    results, errors = at_once(*(lambda p=p: claims.claim(offer=offer, user=p) for p in people))

    assert (len(results), len(errors)) == (3, 5)
    given = Code.objects.filter(offer=offer, claim__isnull=False)
    assert given.count() == 3
    assert len(set(given.values_list("claim", flat=True))) == 3


def test_two_members_claiming_the_last_seat_at_once_one_gets_it():
    offer = OfferFactory(kind=Offer.Kind.SEATS, quantity=2)
    claims.claim(offer=offer, user=ProfileFactory().user, consent=True)
    people = [ProfileFactory().user for _ in range(2)]

    results, errors = at_once(
        *(lambda p=p: claims.claim(offer=offer, user=p, consent=True) for p in people)
    )

    assert (len(results), len(errors)) == (1, 1)
    assert "Every seat" in str(errors[0])
    assert Claim.objects.filter(offer=offer, status=Claim.Status.ACTIVE).count() == 2


def test_one_member_claiming_twice_at_once_gets_one_claim():
    offer = OfferFactory(kind=Offer.Kind.UNIQUE_CODES)
    add_codes(offer, 5)
    person = ProfileFactory().user

    results, errors = at_once(
        lambda: claims.claim(offer=offer, user=person),
        lambda: claims.claim(offer=offer, user=person),
    )

    assert (len(results), len(errors)) == (1, 1)
    assert Claim.objects.filter(offer=offer, user=person).count() == 1
    assert Code.objects.filter(offer=offer, claim__isnull=False).count() == 1
