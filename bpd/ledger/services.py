"""Writing to the ledger. Every function runs in a transaction and locks the pools it
checks, so two commitments racing for the last of a pool cannot both succeed: the
second waits for the first, then re-reads what is committed and is refused."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from bpd.ledger import money
from bpd.ledger.models import Entry, Pool
from bpd.members import regions


class LedgerError(Exception):
    """A write the ledger refused; the message is for the person who tried it."""


@dataclass(frozen=True)
class PoolFigures:
    budget: int
    committed: int  # commitments less releases
    paid: int  # payments less refunds
    lost: int
    refunded: int = 0

    @property
    def available(self):
        return self.budget - self.committed


def net_by(entries, *fields):
    """Sums of `amount_in_pool_currency` of `entries` per `fields` and kind, reversals
    subtracted: {(*values, kind): net}. One query."""
    rows = (
        entries.order_by()
        .values(*fields, "kind")
        .annotate(
            plus=Sum("amount_in_pool_currency", filter=Q(reverses__isnull=True)),
            minus=Sum("amount_in_pool_currency", filter=Q(reverses__isnull=False)),
        )
    )
    return {
        (*(row[name] for name in fields), row["kind"]): (row["plus"] or 0) - (row["minus"] or 0)
        for row in rows
    }


def figures(pool, region=None):
    """What is committed, paid and lost against `pool` (or its entries for one UN M49
    `region`), in its currency's minor units; reversed entries count for nothing."""
    entries = Entry.objects.filter(pool=pool)
    if region is not None:
        entries = entries.filter(region=region)
    sums = net_by(entries)

    def of(kind):
        return sums.get((kind,), 0)

    return PoolFigures(
        budget=pool.budget,
        committed=of(Entry.Kind.COMMITMENT) - of(Entry.Kind.RELEASE),
        paid=of(Entry.Kind.PAYMENT) - of(Entry.Kind.REFUND),
        lost=of(Entry.Kind.LOSS),
        refunded=of(Entry.Kind.REFUND),
    )


def lock_pool(pk):
    """The pool's row, locked until the transaction ends: every check of what is left in
    a pool runs under it. FOR NO KEY UPDATE (PostgreSQL): it queues the pool's writers one
    after the other without blocking the foreign-key checks of rows that point at the pool,
    which PostgreSQL makes at COMMIT (a lock those checks waited for could deadlock)."""
    return Pool.objects.select_for_update(no_key=True).get(pk=pk)


def pool_for(*, programme, key, name, year, currency, budget):
    """The pool named `key`, made with these values if it does not exist yet."""
    pool, _created = Pool.objects.get_or_create(
        key=key,
        defaults={
            "programme": programme,
            "name": name,
            "year": year,
            "currency": currency,
            "budget": budget,
        },
    )
    return pool


def align_pool(*, programme, key, name, year, currency, budget):
    """The pool named `key`, made or brought in line with its owner (a Fund round whose
    name or budget changed). Its currency changes only while nothing is recorded in it:
    amounts in the pool's currency would otherwise mean another money."""
    with transaction.atomic():
        pool = pool_for(
            programme=programme, key=key, name=name, year=year, currency=currency, budget=budget
        )
        wanted = {"name": name[:200], "year": year, "currency": currency, "budget": budget}
        changed = [field for field, value in wanted.items() if getattr(pool, field) != value]
        if not changed:
            return pool
        pool = lock_pool(pool.pk)
        if "currency" in changed and pool.entries.exists():
            raise LedgerError(
                _("Money is recorded in “%(pool)s”: its currency cannot change.")
                % {"pool": pool.name}
            )
        for field in changed:
            setattr(pool, field, wanted[field])
        pool.save(update_fields=changed)
    return pool


# The rules of rates (as the Fund's): how many units of the pool's currency one unit of the
# money paid buys, above zero and at most a million, kept to 8 decimal places.
MAX_RATE = Decimal(1_000_000)
RATE_PLACES = Decimal("0.00000001")


def check_rate(rate, currency, pool):
    """`rate` as the ledger keeps it for money in `currency` recorded in `pool`: 1 for the
    pool's own currency, else above zero and at most a million, to 8 decimal places.
    Raises LedgerError otherwise (for forms that check before they record)."""
    return _check_rate(rate, currency, pool)


def _check_rate(rate, currency, pool):
    try:
        rate = Decimal(str(rate))
    except ArithmeticError:
        raise LedgerError(_("An exchange rate must be more than zero.")) from None
    if currency == pool.currency:
        if rate != 1:
            raise LedgerError(_("Money in the pool's own currency has a rate of 1."))
        return Decimal(1)
    if not rate.is_finite() or rate.quantize(RATE_PLACES) <= 0:
        raise LedgerError(_("An exchange rate must be more than zero."))
    if rate > MAX_RATE:
        raise LedgerError(_("An exchange rate can be at most 1,000,000."))
    return rate.quantize(RATE_PLACES)


def record(
    *,
    pool,
    kind,
    purpose,
    amount,
    currency,
    rate=1,
    source,
    by=None,
    vendor="",
    reference="",
    country="",
    occurred_on=None,
    note="",
    region_budget=None,
    amount_in_pool_currency=None,
):
    """Record one movement against `pool`. A commitment must fit what is left of the
    pool and, with `region_budget`, of the region's share (the entries of the pool whose
    region is `country`'s). The pool's row is locked before the check, so commitments
    racing for its last units are taken one after the other. Returns the entry.

    `amount_in_pool_currency`: the amount converted by the programme already, at `rate`
    (a Fund booking keeps its own converted figure); by default the ledger converts."""
    if amount < 0 or (amount_in_pool_currency is not None and amount_in_pool_currency < 0):
        raise LedgerError(_("An amount cannot be negative."))
    if currency not in money.CURRENCIES:
        raise LedgerError(_("Choose a currency from the list."))
    if kind not in Entry.Kind.values:
        raise LedgerError(_("That is not a kind of ledger entry."))
    with transaction.atomic():
        pool = lock_pool(pool.pk)
        rate = _check_rate(rate, currency, pool)
        in_pool = (
            money.convert(amount, currency, rate, pool.currency)
            if amount_in_pool_currency is None
            else amount_in_pool_currency
        )
        region = regions.region_code(country, "region") if country else ""
        if kind == Entry.Kind.COMMITMENT:
            _check_room(pool, in_pool, region=region, region_budget=region_budget)
        kwargs = {"occurred_on": occurred_on} if occurred_on else {}
        return Entry.objects.create(
            pool=pool,
            programme=pool.programme,
            kind=kind,
            purpose=purpose[:200],
            vendor=vendor[:200],
            reference=reference[:100],
            amount=amount,
            currency=currency,
            rate=rate,
            amount_in_pool_currency=in_pool,
            country=country,
            region=region,
            source=source,
            note=note[:500],
            recorded_by=by,
            **kwargs,
        )


def _check_room(pool, in_pool, *, region, region_budget):
    """Refuse committing `in_pool` more against the locked `pool` (and the region's
    share of it, with `region_budget`) than is left."""
    if figures(pool).committed + in_pool > pool.budget:
        raise LedgerError(
            _("This would commit more than is left in “%(pool)s”. Nothing was recorded.")
            % {"pool": pool.name}
        )
    if region_budget is not None and (
        figures(pool, region=region).committed + in_pool > region_budget
    ):
        raise LedgerError(
            _(
                "This would commit more than is left of the region's share of "
                "“%(pool)s”. Nothing was recorded."
            )
            % {"pool": pool.name}
        )


def reverse(*, entry, by=None, note=""):
    """Cancel `entry` with a reversal: an entry of the same kind and amounts that points at
    it and that every figure subtracts. The ledger is never edited: a wrong entry is
    reversed, then the right one recorded. Reversing a release commits its money again,
    so it must fit the pool. Returns the reversal."""
    with transaction.atomic():
        pool = lock_pool(entry.pool_id)
        entry = Entry.objects.get(pk=entry.pk)
        if entry.reverses_id:
            raise LedgerError(_("A reversal cannot be reversed: record the entry again."))
        if Entry.objects.filter(reverses=entry).exists():
            raise LedgerError(_("This entry was reversed already."))
        if entry.kind == Entry.Kind.RELEASE:
            _check_room(
                pool, entry.amount_in_pool_currency, region=entry.region, region_budget=None
            )
        return Entry.objects.create(
            pool=pool,
            programme=entry.programme,
            kind=entry.kind,
            purpose=entry.purpose,
            vendor=entry.vendor,
            reference=entry.reference,
            amount=entry.amount,
            currency=entry.currency,
            rate=entry.rate,
            amount_in_pool_currency=entry.amount_in_pool_currency,
            country=entry.country,
            region=entry.region,
            source=entry.source,
            note=note[:500],
            reverses=entry,
            recorded_by=by,
        )


def pay(
    *,
    pool,
    source,
    purpose,
    amount,
    currency,
    rate=1,
    by=None,
    vendor="",
    reference="",
    country="",
    occurred_on=None,
    note="",
    region_budget=None,
):
    """Record a payment for `source`. Money is never paid beyond the pool: whatever the
    payment takes beyond what is committed for `source` and not yet paid is committed
    first, checked like any commitment (the pool and, with `region_budget`, the region's
    share), under the same lock. Returns the payment entry."""
    with transaction.atomic():
        if amount < 0:
            raise LedgerError(_("An amount cannot be negative."))
        if currency not in money.CURRENCIES:
            raise LedgerError(_("Choose a currency from the list."))
        locked = lock_pool(pool.pk)
        rate = _check_rate(rate, currency, locked)
        in_pool = money.convert(amount, currency, rate, locked.currency)
        committed = committed_for(source).get(locked.pk, 0)
        paid = paid_for(source).get(locked.pk, 0)
        beyond = paid + in_pool - committed
        if beyond > 0:
            record(
                pool=locked,
                kind=Entry.Kind.COMMITMENT,
                purpose=purpose,
                amount=beyond,
                currency=locked.currency,
                source=source,
                by=by,
                country=country,
                occurred_on=occurred_on,
                note="Committed by the payment that needed it",
                region_budget=region_budget,
            )
        return record(
            pool=locked,
            kind=Entry.Kind.PAYMENT,
            purpose=purpose,
            amount=amount,
            currency=currency,
            rate=rate,
            source=source,
            by=by,
            vendor=vendor,
            reference=reference,
            country=country,
            occurred_on=occurred_on,
            note=note,
        )


def _per_pool(source, plus, minus):
    sums = net_by(Entry.objects.filter(source=source, kind__in=[plus, minus]), "pool_id")
    out = {}
    for (pool_id, kind), total in sums.items():
        out[pool_id] = out.get(pool_id, 0) + (total if kind == plus else -total)
    return out


def committed_for(source):
    """What is still committed for `source` (commitments less releases), per pool."""
    return _per_pool(source, Entry.Kind.COMMITMENT, Entry.Kind.RELEASE)


def paid_for(source):
    """What was paid for `source` and not refunded (payments less refunds), per pool."""
    return _per_pool(source, Entry.Kind.PAYMENT, Entry.Kind.REFUND)
