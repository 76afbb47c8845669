"""Fund migration 0008 moves the Fund onto the ledger and loses no record: every figure of
every round's report is identical before the migration (worked out from the Fund's own
records, as the report did until then) and after it (read from the ledger, as the report
does now), on generated data with every booking status, refunds larger and smaller than
expected, losses, four currencies and their rates, declined and lapsed awards, the
waiting list moving up and out-of-pocket costs paid back. The entries it writes are the
ones the services' own sync writes. Runs on SQLite and on PostgreSQL (DATABASE_URL)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from bpd.fund import selectors
from bpd.fund.models import Booking, OutOfPocket, Round
from bpd.ledger import services as ledger
from bpd.ledger.models import Entry, Pool
from tests.ledger import fund_scenarios

BEFORE = [("fund", "0007_event_becomes_conference")]
pytestmark = pytest.mark.django_db(transaction=True)
K = Entry.Kind


def _migrate(targets=None):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


def reports():
    """Every round's report as the Fund made it before the ledger: from its records."""
    return {
        round.pk: selectors.round_report(round, money_figures=selectors.report_money_from_records)
        for round in Round.objects.all()
    }


def pool_figures():
    return {pool.key: ledger.figures(pool) for pool in Pool.objects.filter(programme="fund")}


@pytest.fixture
def two_rounds(fund_round, event, executor, treasurer):
    """The test round, and a second in euros with its own data."""
    Round.objects.filter(pk=fund_round.pk).update(budget=2_000_000)
    fund_round.refresh_from_db()
    other = Round.objects.create(
        name="Euro round", slug="euro-round", opens_at=fund_round.opens_at,
        closes_at=fund_round.closes_at, decision_date=fund_round.decision_date,
        budget=900_000, currency="EUR", covered=["flight", "hotel", "visa"],
        cap_per_person=300_000,
    )  # fmt: skip
    other.criteria.create(name="Impact", weight=1)
    fund_scenarios.add_rates(other, {"USD": "0.92", "NGN": "0.00061", "GBP": "1.17"})
    fund_scenarios.generate(fund_round, event, executor, treasurer, seed=11, size=12)
    fund_scenarios.generate(other, event, executor, treasurer, seed=12, size=8)
    return fund_round, other


def test_every_report_figure_is_identical_before_and_after_the_migration(two_rounds):
    before = reports()
    synced = pool_figures()
    synced_entries = Entry.objects.filter(pool__programme="fund").count()

    _migrate(BEFORE)  # back to before the ledger: the Fund's pools and entries are gone
    assert not Pool.objects.filter(programme="fund").exists()
    assert reports() == before  # the Fund's records were not touched
    _migrate()

    for round in Round.objects.all():
        after = selectors.round_report(round)  # read from the ledger
        assert after == before[round.pk], round.name
        for key in ("committed", "spent", "refunded", "losses", "by_region", "by_country"):
            assert after[key] == before[round.pk][key], key
    assert pool_figures() == synced  # what the migration wrote is what the sync had
    # Corrections the sync reversed are not brought over: the migration writes each
    # record's money once, so it holds no more entries than the sync's live ones.
    assert Entry.objects.filter(pool__programme="fund").count() <= synced_entries


def test_no_money_record_is_left_out_by_the_migration(two_rounds):
    _migrate(BEFORE)
    _migrate()

    paid = [b for b in Booking.objects.all() if b.was_paid and b.amount_in_round_currency]
    payments = Entry.objects.filter(source__startswith="fund.booking:", kind=K.PAYMENT)
    assert sorted(e.source for e in payments) == sorted(f"fund.booking:{b.pk}" for b in paid)
    for booking in paid:
        entry = payments.get(source=f"fund.booking:{booking.pk}")
        assert (entry.amount, entry.currency, entry.rate, entry.amount_in_pool_currency) == (
            booking.amount, booking.currency, booking.rate, booking.amount_in_round_currency,
        )  # fmt: skip
        assert (entry.vendor, entry.reference) == (booking.vendor, booking.reference)
    refunds = Entry.objects.filter(source__startswith="fund.booking:", kind=K.REFUND)
    assert sum(e.amount for e in refunds) == sum(b.refunded for b in Booking.objects.all())
    losses = Entry.objects.filter(source__startswith="fund.booking:", kind=K.LOSS)
    assert sum(e.amount for e in losses) == sum(b.loss for b in Booking.objects.all())
    settled = OutOfPocket.objects.filter(settled_at__isnull=False)
    paid_back = Entry.objects.filter(source__startswith="fund.out_of_pocket:", kind=K.PAYMENT)
    assert sorted(e.source for e in paid_back) == sorted(
        f"fund.out_of_pocket:{o.pk}" for o in settled
    )
    for round in Round.objects.all():
        pool = Pool.objects.get(key=f"fund.round:{round.pk}")
        assert (pool.budget, pool.currency, pool.name) == (round.budget, round.currency, round.name)


def test_the_migration_run_twice_adds_nothing(two_rounds):
    from importlib import import_module

    from django.apps import apps

    entries = Entry.objects.count()
    import_module("bpd.fund.migrations.0008_ledger").forwards(apps, None)

    assert Entry.objects.count() == entries
