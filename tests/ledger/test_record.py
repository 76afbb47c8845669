"""Writing to the ledger: the rate rules, amounts never negative, the pool and a region's
share at their last unit, figures per kind, reversals, payments beyond what is committed."""

from decimal import Decimal

import pytest

from bpd.ledger import services as ledger
from bpd.ledger.models import Entry
from bpd.ledger.services import LedgerError
from tests.ledger.helpers import make_pool

pytestmark = pytest.mark.django_db
K = Entry.Kind


def commit(pool, amount, *, country="GH", source="test:1", region_budget=None, currency=None,
           rate=1):  # fmt: skip
    return ledger.record(
        pool=pool, kind=K.COMMITMENT, purpose="Test", amount=amount,
        currency=currency or pool.currency, rate=rate, source=source, country=country,
        region_budget=region_budget,
    )  # fmt: skip


def entry(pool, kind, amount, *, currency=None, rate=1, source="test:1", country="GH"):
    return ledger.record(
        pool=pool, kind=kind, purpose="Test", amount=amount, currency=currency or pool.currency,
        rate=rate, source=source, country=country,
    )  # fmt: skip


# Rates --------------------------------------------------------------------------------


def test_the_pools_own_currency_is_recorded_at_a_rate_of_1():
    pool = make_pool(currency="USD")

    recorded = entry(pool, K.PAYMENT, 12_345)

    assert recorded.rate == 1
    assert recorded.amount_in_pool_currency == 12_345


@pytest.mark.parametrize("rate", ["1.1", "0.5", "2"])
def test_the_pools_own_currency_at_another_rate_is_refused(rate):
    pool = make_pool(currency="USD")

    with pytest.raises(LedgerError, match="rate of 1"):
        entry(pool, K.PAYMENT, 100, rate=Decimal(rate))

    assert not Entry.objects.exists()


@pytest.mark.parametrize("rate", ["0", "-0.5", "-1", "0.000000001", "NaN", "Infinity", "abc"])
def test_another_currency_needs_a_rate_above_zero(rate):
    pool = make_pool(currency="USD")

    with pytest.raises(LedgerError):
        entry(pool, K.PAYMENT, 100, currency="EUR", rate=rate)

    assert not Entry.objects.exists()


def test_a_rate_above_a_million_is_refused():
    pool = make_pool(currency="USD")

    with pytest.raises(LedgerError, match="1,000,000"):
        entry(pool, K.PAYMENT, 100, currency="EUR", rate=Decimal("1000000.01"))
    assert entry(pool, K.PAYMENT, 1, currency="EUR", rate=Decimal(1_000_000)).rate == 1_000_000


def test_another_currency_is_converted_at_its_rate_kept_to_8_places():
    pool = make_pool(currency="USD")

    recorded = entry(pool, K.PAYMENT, 420_000, currency="GHS", rate=Decimal("0.085712345678"))

    assert recorded.rate == Decimal("0.08571235")
    assert recorded.amount_in_pool_currency == 35_999  # GHS 4,200.00 at 0.08571235 = USD 359.99
    recorded.refresh_from_db()
    assert recorded.rate == Decimal("0.08571235")


def test_a_currency_without_minor_units_converts_to_the_pools():
    pool = make_pool(currency="USD")

    recorded = entry(pool, K.PAYMENT, 15_000, currency="JPY", rate=Decimal("0.0067"))

    assert recorded.amount_in_pool_currency == 10_050  # ¥15,000 = $100.50


def test_an_unknown_currency_or_kind_is_refused():
    pool = make_pool()

    with pytest.raises(LedgerError):
        entry(pool, K.PAYMENT, 100, currency="XYZ", rate=2)
    with pytest.raises(LedgerError):
        entry(pool, "gift", 100)
    assert not Entry.objects.exists()


# Amounts --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(K.values))
def test_a_negative_amount_is_refused_for_every_kind(kind):
    pool = make_pool()

    with pytest.raises(LedgerError, match="negative"):
        entry(pool, kind, -1)
    with pytest.raises(LedgerError, match="negative"):
        ledger.record(
            pool=pool, kind=kind, purpose="x", amount=1, currency="USD", source="s",
            amount_in_pool_currency=-1,
        )  # fmt: skip

    assert not Entry.objects.exists()


def test_a_negative_payment_is_refused():
    pool = make_pool()

    with pytest.raises(LedgerError, match="negative"):
        ledger.pay(pool=pool, source="s", purpose="x", amount=-5, currency="USD")

    assert not Entry.objects.exists()


def test_a_programmes_own_conversion_is_kept():
    pool = make_pool(currency="USD")

    recorded = ledger.record(
        pool=pool, kind=K.PAYMENT, purpose="x", amount=78_000, currency="EUR",
        rate=Decimal("1.08"), source="s", amount_in_pool_currency=84_241,
    )  # fmt: skip

    assert recorded.amount_in_pool_currency == 84_241


# The pool and a region's share at their edges ------------------------------------------


def test_a_commitment_may_take_the_last_unit_of_the_pool():
    pool = make_pool(budget=100_000)
    commit(pool, 99_999)

    commit(pool, 1)

    assert ledger.figures(pool).committed == 100_000
    assert ledger.figures(pool).available == 0


def test_one_unit_beyond_the_pool_is_refused_and_nothing_is_written():
    pool = make_pool(budget=100_000)
    commit(pool, 100_000)

    with pytest.raises(LedgerError, match="more than is left"):
        commit(pool, 1)

    assert Entry.objects.count() == 1
    assert ledger.figures(pool).committed == 100_000


def test_a_commitment_in_another_currency_counts_in_the_pools():
    pool = make_pool(budget=1_000, currency="USD")  # $10

    with pytest.raises(LedgerError):
        commit(pool, 1_000_000, currency="NGN", rate=Decimal("0.0011"))  # NGN 10,000 = $11
    commit(pool, 1_000_000, currency="NGN", rate=Decimal("0.001"))  # exactly $10.00

    assert ledger.figures(pool).committed == 1_000


def test_a_release_makes_room_again():
    pool = make_pool(budget=100_000)
    commit(pool, 100_000)
    entry(pool, K.RELEASE, 30_000)

    commit(pool, 30_000)

    assert ledger.figures(pool).committed == 100_000


def test_payments_refunds_and_losses_do_not_use_the_pools_room():
    pool = make_pool(budget=100_000)
    for kind in (K.PAYMENT, K.REFUND, K.LOSS):
        entry(pool, kind, 50_000)

    commit(pool, 100_000)

    assert ledger.figures(pool).committed == 100_000


def test_a_regions_share_may_be_committed_to_its_last_unit():
    pool = make_pool(budget=100_000)
    commit(pool, 39_999, country="GH", region_budget=40_000)  # Ghana: Africa (002)

    commit(pool, 1, country="NG", region_budget=40_000)  # Nigeria: Africa too

    assert ledger.figures(pool, region="002").committed == 40_000


def test_one_unit_beyond_a_regions_share_is_refused():
    pool = make_pool(budget=100_000)
    commit(pool, 40_000, country="KE", region_budget=40_000)

    with pytest.raises(LedgerError, match="region's share"):
        commit(pool, 1, country="GH", region_budget=40_000)

    assert Entry.objects.count() == 1


def test_a_regions_share_counts_only_that_regions_entries():
    pool = make_pool(budget=100_000)
    commit(pool, 50_000, country="BR")  # Americas (019)

    commit(pool, 40_000, country="GH", region_budget=40_000)

    assert ledger.figures(pool, region="002").committed == 40_000
    assert ledger.figures(pool, region="019").committed == 50_000


def test_the_pool_still_holds_when_a_regions_share_has_room():
    pool = make_pool(budget=50_000)
    commit(pool, 45_000, country="BR")

    with pytest.raises(LedgerError, match="more than is left in"):
        commit(pool, 10_000, country="GH", region_budget=40_000)


def test_entries_keep_the_country_and_its_un_m49_region():
    pool = make_pool()

    assert commit(pool, 1, country="JM").region == "019"
    assert commit(pool, 1, country="").region == ""


# Figures per kind -----------------------------------------------------------------------


def test_figures_add_up_each_kind_in_the_pools_currency():
    pool = make_pool(budget=500_000, currency="USD")
    commit(pool, 200_000)
    commit(pool, 50_000, source="test:2")
    entry(pool, K.RELEASE, 50_000, source="test:2")
    entry(pool, K.PAYMENT, 100_000, currency="EUR", rate=Decimal("1.10"))  # $1,100
    entry(pool, K.PAYMENT, 20_000)
    entry(pool, K.REFUND, 30_000)
    entry(pool, K.LOSS, 5_000)

    figures = ledger.figures(pool)

    assert figures.budget == 500_000
    assert figures.committed == 200_000
    assert figures.available == 300_000
    assert figures.paid == 110_000 + 20_000 - 30_000
    assert figures.refunded == 30_000
    assert figures.lost == 5_000


def test_figures_of_an_empty_pool_are_nothing():
    pool = make_pool(budget=7)

    figures = ledger.figures(pool)

    assert (figures.committed, figures.paid, figures.lost, figures.available) == (0, 0, 0, 7)


def test_committed_for_and_paid_for_are_per_source_and_pool():
    one, two = make_pool(), make_pool()
    commit(one, 10_000, source="a")
    commit(two, 5_000, source="a")
    entry(one, K.RELEASE, 4_000, source="a")
    entry(one, K.PAYMENT, 3_000, source="a")
    entry(one, K.REFUND, 1_000, source="a")
    commit(one, 99, source="b")

    assert ledger.committed_for("a") == {one.pk: 6_000, two.pk: 5_000}
    assert ledger.paid_for("a") == {one.pk: 2_000}


# Reversals ------------------------------------------------------------------------------


def test_a_reversal_cancels_an_entry_in_every_figure():
    pool = make_pool()
    loss = entry(pool, K.LOSS, 30_000)
    paid = entry(pool, K.PAYMENT, 10_000)

    reversal = ledger.reverse(entry=loss, note="Refund came back larger")
    ledger.reverse(entry=paid)

    assert reversal.reverses == loss
    assert (reversal.kind, reversal.amount) == (K.LOSS, 30_000)
    assert ledger.figures(pool).lost == 0
    assert ledger.figures(pool).paid == 0
    assert ledger.paid_for("test:1") == {pool.pk: 0}
    assert Entry.objects.count() == 4  # nothing edited, nothing deleted


def test_an_entry_is_reversed_once_and_a_reversal_never():
    pool = make_pool()
    paid = entry(pool, K.PAYMENT, 10_000)
    reversal = ledger.reverse(entry=paid)

    with pytest.raises(LedgerError, match="already"):
        ledger.reverse(entry=paid)
    with pytest.raises(LedgerError, match="cannot be reversed"):
        ledger.reverse(entry=reversal)
    assert Entry.objects.count() == 2


def test_reversing_a_release_commits_again_and_must_fit():
    pool = make_pool(budget=100_000)
    commit(pool, 100_000)
    release = entry(pool, K.RELEASE, 40_000)
    commit(pool, 40_000, source="test:2")

    with pytest.raises(LedgerError, match="more than is left"):
        ledger.reverse(entry=release)

    assert ledger.figures(pool).committed == 100_000


# Payments beyond what is committed --------------------------------------------------------


def test_a_payment_within_its_commitment_commits_nothing_more():
    pool = make_pool(budget=100_000)
    commit(pool, 50_000, source="req")

    paid = ledger.pay(pool=pool, source="req", purpose="x", amount=50_000, currency="USD")

    assert paid.kind == K.PAYMENT
    assert Entry.objects.filter(kind=K.COMMITMENT).count() == 1
    assert ledger.figures(pool).committed == 50_000


def test_a_payment_beyond_its_commitment_commits_the_difference_first():
    pool = make_pool(budget=100_000)
    commit(pool, 50_000, source="req")

    ledger.pay(
        pool=pool, source="req", purpose="x", amount=600_000, currency="GHS",
        rate=Decimal("0.09"),
    )  # GHS 6,000 = $540  # fmt: skip

    assert ledger.committed_for("req") == {pool.pk: 54_000}
    assert ledger.paid_for("req") == {pool.pk: 54_000}


def test_a_payment_the_pool_cannot_cover_is_refused_and_nothing_is_written():
    pool = make_pool(budget=100_000)
    commit(pool, 90_000, source="other")

    with pytest.raises(LedgerError, match="more than is left"):
        ledger.pay(pool=pool, source="req", purpose="x", amount=10_001, currency="USD")

    assert Entry.objects.count() == 1
    ledger.pay(pool=pool, source="req", purpose="x", amount=10_000, currency="USD")
    assert ledger.figures(pool).committed == 100_000


def test_a_payment_beyond_the_regions_share_is_refused():
    pool = make_pool(budget=100_000)
    commit(pool, 30_000, source="other", country="KE", region_budget=30_000)

    with pytest.raises(LedgerError, match="region's share"):
        ledger.pay(
            pool=pool, source="req", purpose="x", amount=1, currency="USD", country="GH",
            region_budget=30_000,
        )  # fmt: skip


# Pools that follow their owner ------------------------------------------------------------


def test_align_pool_makes_and_then_follows_its_owner():
    first = ledger.align_pool(
        programme="fund", key="fund.round:99", name="Round", year=2027, currency="USD",
        budget=1_000,
    )  # fmt: skip

    again = ledger.align_pool(
        programme="fund", key="fund.round:99", name="Round (renamed)", year=2027,
        currency="USD", budget=2_000,
    )  # fmt: skip

    assert again.pk == first.pk
    first.refresh_from_db()
    assert (first.name, first.budget) == ("Round (renamed)", 2_000)


def test_a_pools_currency_cannot_change_once_money_is_in_it():
    pool = ledger.align_pool(
        programme="fund", key="fund.round:98", name="R", year=2027, currency="USD", budget=1_000
    )
    ledger.align_pool(
        programme="fund", key="fund.round:98", name="R", year=2027, currency="EUR", budget=1_000
    )  # nothing in it yet: it may
    entry(pool, K.PAYMENT, 1, currency="EUR")

    with pytest.raises(LedgerError, match="currency cannot change"):
        ledger.align_pool(
            programme="fund", key="fund.round:98", name="R", year=2027, currency="USD",
            budget=1_000,
        )  # fmt: skip
