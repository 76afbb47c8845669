"""A payment and an approval racing for the last of the year's pool (PostgreSQL): the
pool's row lock takes them one after the other, exactly one gets the money, and nothing
half-written is left by the other.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bpd_test .venv/bin/python -m pytest tests/communities/test_payments_concurrency.py
"""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from bpd.communities import payments, sponsorship
from bpd.communities import policy as rules
from bpd.communities.models import Policy, SponsorshipRequest
from bpd.ledger import services as ledger
from bpd.ledger.models import Entry, Pool
from bpd.members.roles import Role
from tests.communities.test_payments import approved
from tests.factories import ProfileFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks are what this proves; run with DATABASE_URL on PostgreSQL",
    ),
]
S = SponsorshipRequest.Status
K = Entry.Kind
REFUSED = (payments.PaymentError, ledger.LedgerError, *sponsorship.REFUSED)


def race(actions):
    """Run the named actions at the same moment; {name: "ok" or the refusal, or the
    unexpected error as "error: …"}."""
    barrier = threading.Barrier(len(actions))
    outcomes = {}

    def run(name, action):
        try:
            barrier.wait()
            action()
            outcomes[name] = "ok"
        except REFUSED as error:
            outcomes[name] = str(error)
        except Exception as error:  # a deadlock, say: reported, never hidden in the thread
            outcomes[name] = f"error: {error!r}"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in actions.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def setup_race():
    """A request approved earlier whose commitment was released (its payment must commit
    again), in a pool of 80,000 that has room for it or for another approval, not both."""
    treasurer = ProfileFactory(user=UserFactory(roles=[Role.TREASURER])).user
    to_pay = approved(50_000, committed=0)
    pool = sponsorship.year_pool(to_pay.starts_on.year, Policy.current())
    Pool.objects.filter(pk=pool.pk).update(budget=80_000)
    return treasurer, to_pay, pool


def paying(to_pay, treasurer):
    return lambda: payments.record_payment(
        request=to_pay, by=treasurer, amount=50_000, currency="USD", rate=None,
        reference="INV-1", paid_on=timezone.localdate(),
    )  # fmt: skip


def test_a_payment_racing_a_commitment_for_the_last_of_the_pool():
    treasurer, to_pay, pool = setup_race()
    other = approved(50_000, committed=0, community=to_pay.community)

    outcomes = race(
        {
            "pay": paying(to_pay, treasurer),
            "commit": lambda: ledger.record(
                pool=pool, kind=K.COMMITMENT, purpose="approval", amount=50_000,
                currency="USD", source=rules.source_of(other), country=other.country,
            ),
        }
    )  # fmt: skip

    assert list(outcomes.values()).count("ok") == 1, outcomes
    pool.refresh_from_db()
    assert ledger.figures(pool).committed <= pool.budget == 80_000
    to_pay.refresh_from_db()
    if outcomes["pay"] == "ok":
        assert (to_pay.status, ledger.paid_for(rules.source_of(to_pay))) == (
            S.PAID, {pool.pk: 50_000},
        )  # fmt: skip
    else:  # refused: not paid, no payment, no extra commitment, no step taken
        assert (to_pay.status, to_pay.paid_at) == (S.APPROVED, None)
        assert not Entry.objects.filter(source=rules.source_of(to_pay)).exists()
        assert not to_pay.transitions.exists()


@pytest.mark.parametrize("attempt", range(4))  # either may reach the pool first
def test_a_payment_racing_an_approval_for_the_last_of_the_pool(attempt):
    """No deadlock whichever locks first (see `payments._locked`), one winner."""
    treasurer, to_pay, pool = setup_race()
    executor = ProfileFactory(user=UserFactory(roles=[Role.EXECUTOR])).user
    to_approve = approved(50_000, committed=0, community=to_pay.community)
    SponsorshipRequest.objects.filter(pk=to_approve.pk).update(
        status=S.SUBMITTED, amount_approved=None, decided_policy=None
    )

    outcomes = race(
        {
            "pay": paying(to_pay, treasurer),
            "approve": lambda: sponsorship.approve(
                request=to_approve, by=executor, amount_approved=50_000, tickets_approved=10,
                override_reason="Testing the race",
            ),
        }
    )  # fmt: skip

    assert list(outcomes.values()).count("ok") == 1, outcomes
    pool.refresh_from_db()
    assert ledger.figures(pool).committed <= pool.budget == 80_000
    loser = to_approve if outcomes["pay"] == "ok" else to_pay
    assert not Entry.objects.filter(source=rules.source_of(loser)).exists()
