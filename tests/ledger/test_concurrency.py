"""Commitments and payments racing for the last of a pool (PostgreSQL): the pool's row
lock takes them one after the other, so exactly one fits and the pool is never exceeded.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bpd_test .venv/bin/python -m pytest tests/ledger/test_concurrency.py
"""

import threading

import pytest
from django.db import connection, connections

from bpd.ledger import services as ledger
from bpd.ledger.models import Entry, Pool
from bpd.ledger.services import LedgerError
from tests.ledger.helpers import make_pool

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks are what this proves; run with DATABASE_URL on PostgreSQL",
    ),
]
K = Entry.Kind


def race(*actions):
    """Run `actions` at the same moment, each in its own thread and connection; returns
    "ok" or the refusal's message for each, in order."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait()
            action()
            outcomes[index] = "ok"
        except LedgerError as error:
            outcomes[index] = str(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def commitment(pool, amount, source, *, country="GH", region_budget=None):
    return lambda: ledger.record(
        pool=pool, kind=K.COMMITMENT, purpose="race", amount=amount, currency=pool.currency,
        source=source, country=country, region_budget=region_budget,
    )  # fmt: skip


@pytest.mark.parametrize("attempt", range(3))
def test_two_commitments_racing_for_the_last_units_exactly_one_succeeds(attempt):
    pool = make_pool(budget=100_000)
    ledger.record(
        pool=pool, kind=K.COMMITMENT, purpose="earlier", amount=40_000, currency="USD",
        source="earlier",
    )  # fmt: skip

    # 60,000 left: either fits alone, both together do not.
    outcomes = race(commitment(pool, 60_000, "a"), commitment(pool, 60_000, "b"))

    assert outcomes.count("ok") == 1, outcomes
    figures = ledger.figures(pool)
    assert figures.committed == 100_000
    assert figures.committed <= pool.budget


def test_two_commitments_racing_for_a_regions_share_exactly_one_succeeds():
    pool = make_pool(budget=1_000_000)  # plenty in the pool: the region's share is the limit
    ledger.record(
        pool=pool, kind=K.COMMITMENT, purpose="earlier", amount=10_000, currency="USD",
        source="earlier", country="KE", region_budget=50_000,
    )  # fmt: skip

    outcomes = race(
        commitment(pool, 40_000, "a", country="GH", region_budget=50_000),
        commitment(pool, 40_000, "b", country="NG", region_budget=50_000),
    )

    assert outcomes.count("ok") == 1, outcomes
    assert any("region's share" in o for o in outcomes if o != "ok")
    assert ledger.figures(pool, region="002").committed == 50_000


def test_a_payment_racing_a_commitment_for_the_last_units_never_exceeds_the_pool():
    pool = make_pool(budget=100_000)
    # An approved request whose commitment covers 20,000; its payment of 70,000 must commit
    # 50,000 more. Another approval wants 50,000 of the 50,000 left.
    ledger.record(
        pool=pool, kind=K.COMMITMENT, purpose="approved", amount=20_000, currency="USD",
        source="paid",
    )  # fmt: skip
    ledger.record(
        pool=pool, kind=K.COMMITMENT, purpose="earlier", amount=30_000, currency="USD",
        source="earlier",
    )  # fmt: skip

    outcomes = race(
        lambda: ledger.pay(pool=pool, source="paid", purpose="race", amount=70_000, currency="USD"),
        commitment(pool, 50_000 + 1, "other"),
    )

    assert outcomes.count("ok") == 1, outcomes
    figures = ledger.figures(pool)
    assert figures.committed <= pool.budget
    if outcomes[0] == "ok":  # the payment won: it is covered by what it committed
        assert ledger.paid_for("paid") == {pool.pk: 70_000}
        assert ledger.committed_for("paid") == {pool.pk: 70_000}
    else:  # the approval won: the payment wrote nothing at all
        assert not Entry.objects.filter(source="paid", kind=K.PAYMENT).exists()
        assert ledger.committed_for("paid") == {pool.pk: 20_000}


def test_many_commitments_racing_fill_the_pool_and_no_more():
    pool = make_pool(budget=100_000)

    outcomes = race(*(commitment(pool, 30_000, f"r{n}") for n in range(6)))

    assert outcomes.count("ok") == 3, outcomes
    assert ledger.figures(pool).committed == 90_000


@pytest.mark.parametrize("attempt", range(3))
def test_fund_changes_racing_on_one_round_keep_the_ledger_equal_to_the_records(
    fund_round, event, executor, treasurer, attempt
):
    """An offer declined, an overdue offer lapsing and a booking recorded, all at once on
    one round: each locks the round's pool in the ledger; none deadlocks, and the pool
    still equals the Fund's records."""
    import datetime as dt

    from django.utils import timezone

    from bpd.fund import selectors
    from bpd.fund import services as fund
    from bpd.fund.models import Application, Decision
    from tests.fund.conftest import make_application

    people = [make_application(fund_round, event) for _ in range(3)]
    for application in people:
        fund.stage_decision(
            application=application, outcome="award", items={"flight": 50_000}, actor=executor
        )
    fund.release_decisions(round=fund_round, actor=executor)
    replying, lapsing, travelling = (Application.objects.get(pk=a.pk) for a in people)
    fund.reply_to_offer(application=travelling, actor=travelling.applicant, accept=True)
    Decision.objects.filter(application=lapsing).update(
        offer_deadline=timezone.now() - dt.timedelta(minutes=1)
    )

    def refused(action):
        def run():
            try:
                action()
            except fund.FundError as error:
                raise LedgerError(str(error)) from error

        return run

    outcomes = race(
        refused(lambda: fund.reply_to_offer(
            application=replying, actor=replying.applicant, accept=False
        )),
        refused(lambda: fund.lapse_overdue_offers()),
        refused(lambda: fund.add_booking(
            application=Application.objects.get(pk=travelling.pk), actor=treasurer,
            category="flight", vendor="Air", amount=60_000, currency="USD", status="booked",
        )),
    )  # fmt: skip

    assert outcomes == ["ok", "ok", "ok"], outcomes
    pool = Pool.objects.get(key=f"fund.round:{fund_round.pk}")
    assert ledger.figures(pool).committed == selectors.committed(fund_round) == 60_000
    assert selectors.report_money_from_ledger(fund_round) == selectors.report_money_from_records(
        fund_round
    )
