"""The Fund on the ledger: each money change of the Fund writes the entries it implies,
in the same transaction; corrections reverse, never edit; a sync run twice adds nothing;
and the ledger's figures equal the Fund's on generated data."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from bpd.fund import ledger_sync, selectors, services
from bpd.fund.models import Application, Booking, ExchangeRate, OutOfPocket
from bpd.fund.services import FundError
from bpd.ledger import services as ledger
from bpd.ledger.models import Entry, Pool
from tests.fund.conftest import make_application
from tests.ledger import fund_scenarios

pytestmark = pytest.mark.django_db
K = Entry.Kind


def pool_of(round):
    return Pool.objects.get(key=f"fund.round:{round.pk}")


def live(source, kind=None):
    entries = Entry.objects.filter(
        source=source, reverses__isnull=True, reversed_by__isnull=True
    ).order_by("pk")
    return list(entries.filter(kind=kind) if kind else entries)


def offered(round, event, executor, items=None, **kwargs):
    application = make_application(round, event, **kwargs)
    services.stage_decision(
        application=application, outcome="award", items=items or {"flight": 80_000},
        actor=executor,
    )  # fmt: skip
    services.release_decisions(round=round, actor=executor)
    application.refresh_from_db()
    return application


def accepted(round, event, executor, **kwargs):
    application = offered(round, event, executor, **kwargs)
    services.reply_to_offer(application=application, actor=application.applicant, accept=True)
    application.refresh_from_db()
    return application


# The pool -------------------------------------------------------------------------------


def test_a_rounds_pool_follows_the_round(fund_round):
    pool = ledger_sync.sync_round(fund_round)

    assert (pool.programme, pool.name, pool.budget, pool.currency, pool.year) == (
        "fund", "Test round", 300_000, "USD", fund_round.decision_date.year,
    )  # fmt: skip
    fund_round.budget = 450_000
    fund_round.save()
    ledger_sync.sync_round(fund_round)
    assert pool_of(fund_round).budget == 450_000


# Awards ---------------------------------------------------------------------------------


def test_an_offered_award_is_committed_in_the_travellers_country(fund_round, event, executor):
    application = offered(fund_round, event, executor, items={"flight": 80_000}, country="KE")

    [commitment] = live(f"fund.application:{application.pk}")
    assert (commitment.kind, commitment.amount_in_pool_currency) == (K.COMMITMENT, 80_000)
    assert (commitment.country, commitment.region, commitment.recorded_by) == (
        "KE", "002", executor,
    )  # fmt: skip
    assert ledger.figures(pool_of(fund_round)).committed == selectors.committed(fund_round)


def test_accepting_commits_nothing_more(fund_round, event, executor):
    application = accepted(fund_round, event, executor)

    assert len(Entry.objects.filter(source=f"fund.application:{application.pk}")) == 1


@pytest.mark.parametrize("how", ["declined", "lapsed"])
def test_a_declined_or_lapsed_offer_is_released(fund_round, event, executor, how):
    application = offered(fund_round, event, executor)

    if how == "declined":
        services.reply_to_offer(application=application, actor=application.applicant, accept=False)
    else:
        services.lapse_overdue_offers(now=timezone.now() + dt.timedelta(days=30))

    kinds = sorted(
        e.kind for e in Entry.objects.filter(source=f"fund.application:{application.pk}")
    )
    assert kinds == [K.COMMITMENT, K.RELEASE]
    assert ledger.committed_for(f"fund.application:{application.pk}") == {pool_of(fund_round).pk: 0}


def test_the_waiting_list_moving_up_is_committed(fund_round, event, executor):
    first = offered(fund_round, event, executor, items={"flight": 200_000})
    waiting = make_application(fund_round, event, costs={"flight": 150_000})
    services.stage_decision(application=waiting, outcome="waitlist", actor=executor)
    services.release_decisions(round=fund_round, actor=executor)

    services.reply_to_offer(application=first, actor=first.applicant, accept=False)

    waiting.refresh_from_db()
    assert waiting.status == Application.Status.OFFERED
    assert ledger.committed_for(f"fund.application:{waiting.pk}") == {
        pool_of(fund_round).pk: 150_000
    }
    assert (
        ledger.figures(pool_of(fund_round)).committed == 150_000 == selectors.committed(fund_round)
    )


# Bookings -------------------------------------------------------------------------------


def test_a_planned_or_quoted_booking_is_not_paid(fund_round, event, executor, treasurer):
    application = accepted(fund_round, event, executor)

    booking = services.add_booking(
        application=application, actor=treasurer, category="flight", vendor="Air",
        amount=10_000, currency="USD",
    )  # fmt: skip
    fund_scenarios.move(booking, treasurer, ("quoted", {}))

    assert live(f"fund.booking:{booking.pk}") == []


def test_a_paid_booking_is_a_payment_with_its_currency_rate_vendor_and_reference(
    fund_round, event, executor, treasurer
):
    application = accepted(fund_round, event, executor)

    booking = services.add_booking(
        application=application, actor=treasurer, category="flight", vendor="Kenya Airways",
        reference="KQ123", amount=5_000_000, currency="NGN", status="booked",
    )  # fmt: skip

    [payment] = live(f"fund.booking:{booking.pk}")
    assert (payment.kind, payment.amount, payment.currency, payment.rate) == (
        K.PAYMENT, 5_000_000, "NGN", Decimal("0.001"),
    )  # fmt: skip
    assert payment.amount_in_pool_currency == booking.amount_in_round_currency == 5_000
    assert (payment.vendor, payment.reference, payment.country) == ("Kenya Airways", "KQ123", "NG")


def test_a_booking_above_the_award_commits_the_difference(fund_round, event, executor, treasurer):
    application = accepted(fund_round, event, executor, items={"flight": 80_000})

    services.add_booking(
        application=application, actor=treasurer, category="flight", vendor="Air",
        amount=95_000, currency="USD", status="booked",
    )  # fmt: skip

    assert ledger.committed_for(f"fund.application:{application.pk}") == {
        pool_of(fund_round).pk: 95_000
    }


def test_a_cancelled_paid_booking_keeps_its_payment_and_records_its_loss(
    fund_round, event, executor, treasurer
):
    application = accepted(fund_round, event, executor)
    booking = services.add_booking(
        application=application, actor=treasurer, category="flight", vendor="Air",
        amount=30_000, currency="USD", status="booked",
    )  # fmt: skip

    fund_scenarios.move(booking, treasurer, ("cancelled", {"expected_refund": 10_000}))

    source = f"fund.booking:{booking.pk}"
    assert [(e.kind, e.amount) for e in live(source)] == [(K.PAYMENT, 30_000), (K.LOSS, 20_000)]


def test_a_refund_larger_than_expected_reverses_the_provisional_loss(
    fund_round, event, executor, treasurer
):
    application = accepted(fund_round, event, executor)
    booking = services.add_booking(
        application=application, actor=treasurer, category="flight", vendor="Air",
        amount=30_000, currency="USD", status="booked",
    )  # fmt: skip
    fund_scenarios.move(booking, treasurer, ("cancelled", {"expected_refund": 10_000}))
    [provisional] = live(f"fund.booking:{booking.pk}", K.LOSS)

    fund_scenarios.move(booking, treasurer, ("refunded", {"refunded": 25_000}))

    source = f"fund.booking:{booking.pk}"
    assert [(e.kind, e.amount) for e in live(source)] == [
        (K.PAYMENT, 30_000), (K.REFUND, 25_000), (K.LOSS, 5_000),
    ]  # fmt: skip
    reversal = Entry.objects.get(reverses=provisional)
    assert (reversal.kind, reversal.amount, reversal.recorded_by) == (K.LOSS, 20_000, treasurer)
    assert Entry.objects.filter(pk=provisional.pk, amount=20_000).exists()  # never edited
    assert ledger.figures(pool_of(fund_round)).lost == 5_000


def test_a_full_refund_leaves_no_loss(fund_round, event, executor, treasurer):
    application = accepted(fund_round, event, executor)
    booking = services.add_booking(
        application=application, actor=treasurer, category="flight", vendor="Air",
        amount=30_000, currency="USD", status="booked", refundable=True,
    )  # fmt: skip

    fund_scenarios.move(booking, treasurer, ("cancelled", {}), ("refunded", {"refunded": 30_000}))

    figures = ledger.figures(pool_of(fund_round))
    assert (figures.paid, figures.refunded, figures.lost) == (0, 30_000, 0)


# Out-of-pocket costs ----------------------------------------------------------------------


def test_an_out_of_pocket_cost_paid_back_is_a_payment_at_the_rounds_rate(
    fund_round, event, executor, treasurer
):
    application = accepted(fund_round, event, executor)
    item = services.record_out_of_pocket(
        application=application, actor=treasurer, description="Taxi", amount=500_000,
        currency="NGN",
    )  # fmt: skip
    assert live(f"fund.out_of_pocket:{item.pk}") == []  # recorded, not yet paid back

    services.settle_out_of_pocket(item=item, actor=treasurer)

    [payment] = live(f"fund.out_of_pocket:{item.pk}")
    assert (payment.kind, payment.amount, payment.currency, payment.amount_in_pool_currency) == (
        K.PAYMENT, 500_000, "NGN", 500,
    )  # fmt: skip


def test_paying_back_in_a_currency_without_a_rate_is_refused_and_nothing_changes(
    fund_round, event, executor, treasurer
):
    application = accepted(fund_round, event, executor)
    item = services.record_out_of_pocket(
        application=application, actor=treasurer, description="Taxi", amount=5_000,
        currency="KES",
    )  # fmt: skip
    entries = Entry.objects.count()

    with pytest.raises(FundError, match="no exchange rate for KES"):
        services.settle_out_of_pocket(item=item, actor=treasurer)

    assert OutOfPocket.objects.get(pk=item.pk).settled_at is None
    assert Entry.objects.count() == entries
    ExchangeRate.objects.create(round=fund_round, currency="KES", rate="0.0077", as_of="2026-01-01")
    services.settle_out_of_pocket(item=item, actor=treasurer)
    assert live(f"fund.out_of_pocket:{item.pk}")[0].amount_in_pool_currency == 39


# Corrections and idempotence --------------------------------------------------------------


def test_a_sync_run_again_adds_nothing(fund_round, event, executor, treasurer):
    fund_scenarios.generate(fund_round, event, executor, treasurer, seed=3, size=6)
    entries = Entry.objects.count()

    for application in Application.objects.filter(round=fund_round):
        assert ledger_sync.sync_application(application) == []

    assert Entry.objects.count() == entries


def test_a_record_changed_behind_the_ledgers_back_is_corrected_by_reversal(
    fund_round, event, executor, treasurer
):
    application = accepted(fund_round, event, executor)
    booking = services.add_booking(
        application=application, actor=treasurer, category="flight", vendor="Air",
        amount=30_000, currency="USD", status="booked",
    )  # fmt: skip
    Booking.objects.filter(pk=booking.pk).update(vendor="Air (corrected)")
    [before] = live(f"fund.booking:{booking.pk}")

    ledger_sync.sync_application(application)

    [after] = live(f"fund.booking:{booking.pk}")
    assert after.vendor == "Air (corrected)"
    assert Entry.objects.get(reverses=before).vendor == "Air"


def test_a_refusal_by_the_ledger_refuses_the_funds_change(fund_round, event, executor, treasurer):
    application = accepted(fund_round, event, executor, items={"flight": 80_000})
    # Someone else's money fills the pool (as if recorded outside the Fund).
    ledger.record(
        pool=pool_of(fund_round), kind=K.COMMITMENT, purpose="x", amount=220_000,
        currency="USD", source="elsewhere",
    )  # fmt: skip

    with pytest.raises(FundError, match="more than is left"):
        services.add_booking(
            application=application, actor=treasurer, category="flight", vendor="Air",
            amount=90_000, currency="USD", status="booked",
        )  # fmt: skip

    assert not application.bookings.exists()


# The ledger's figures equal the Fund's --------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 5, 8])
def test_the_reports_money_from_the_ledger_equals_the_funds_records(
    fund_round, event, executor, treasurer, seed
):
    fund_scenarios.generate(fund_round, event, executor, treasurer, seed=seed)

    from_ledger = selectors.report_money_from_ledger(fund_round)
    from_records = selectors.report_money_from_records(fund_round)

    assert from_ledger == from_records
    assert selectors.round_report(fund_round) == selectors.round_report(
        fund_round, money_figures=selectors.report_money_from_records
    )
    figures = ledger.figures(pool_of(fund_round))
    assert figures.committed == selectors.committed(fund_round)
    assert figures.lost == from_records["losses"]
    assert figures.refunded == from_records["refunded"]


def test_generated_data_covers_what_the_equality_must_hold_for(
    fund_round, event, executor, treasurer
):
    fund_scenarios.generate(fund_round, event, executor, treasurer, seed=1)

    statuses = set(Application.objects.filter(round=fund_round).values_list("status", flat=True))
    assert {"accepted", "offer_declined", "lapsed"} <= statuses
    bookings = Booking.objects.filter(application__round=fund_round)
    assert set(bookings.values_list("status", flat=True)) == set(Booking.Status.values)
    assert set(bookings.values_list("currency", flat=True)) >= {"USD", "EUR", "NGN", "GBP"}
    assert bookings.filter(refunded__gt=0).exists()
    assert bookings.filter(loss__gt=0).exists()
    assert Entry.objects.filter(reverses__isnull=False).exists()  # a corrected loss
    assert OutOfPocket.objects.filter(settled_at__isnull=False).exists()
