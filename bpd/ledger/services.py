"""Writing to the ledger. Every function runs in a transaction and locks the pools it
checks, so two commitments racing for the last of a pool cannot both succeed: the
second waits for the first, then re-reads what is committed and is refused."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
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

    @property
    def available(self):
        return self.budget - self.committed


def figures(pool):
    """What is committed, paid and lost against `pool`, in its currency's minor units."""
    sums = dict(
        Entry.objects.filter(pool=pool)
        .values_list("kind")
        .annotate(total=Sum("amount_in_pool_currency"))
        .values_list("kind", "total")
    )

    def of(kind):
        return sums.get(kind) or 0

    return PoolFigures(
        budget=pool.budget,
        committed=of(Entry.Kind.COMMITMENT) - of(Entry.Kind.RELEASE),
        paid=of(Entry.Kind.PAYMENT) - of(Entry.Kind.REFUND),
        lost=of(Entry.Kind.LOSS),
    )


def pool_for(*, programme, key, name, year, currency, budget, region=""):
    """The pool named `key`, made with these values if it does not exist yet."""
    pool, _created = Pool.objects.get_or_create(
        key=key,
        defaults={
            "programme": programme,
            "name": name,
            "year": year,
            "currency": currency,
            "budget": budget,
            "region": region,
        },
    )
    return pool


def _check_rate(rate, currency, pool):
    rate = Decimal(rate)
    if currency == pool.currency:
        if rate != 1:
            raise LedgerError(_("Money in the pool's own currency has a rate of 1."))
    elif rate <= 0:
        raise LedgerError(_("An exchange rate must be more than zero."))
    return rate


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
    also_within=(),
):
    """Record one movement against `pool`. A commitment must fit the pool (and every pool
    in `also_within`, e.g. the year's total when `pool` is a region's share): the pools
    are locked, in key order, before the check. Returns the entry."""
    if amount < 0:
        raise LedgerError(_("An amount cannot be negative."))
    if currency not in money.CURRENCIES:
        raise LedgerError(_("Choose a currency from the list."))
    with transaction.atomic():
        pools = list(
            Pool.objects.select_for_update()
            .filter(pk__in={pool.pk, *(p.pk for p in also_within)})
            .order_by("key")
        )
        locked = {p.pk: p for p in pools}
        pool = locked[pool.pk]
        rate = _check_rate(rate, currency, pool)
        in_pool = money.convert(amount, currency, rate, pool.currency)
        if kind == Entry.Kind.COMMITMENT:
            for each in pools:
                if each.currency != pool.currency:
                    raise LedgerError(_("These pools do not share a currency."))
                if figures(each).committed + in_pool > each.budget:
                    raise LedgerError(
                        _(
                            "This would commit more than is left in “%(pool)s”. Nothing was recorded."
                        )
                        % {"pool": each.name}
                    )
        kwargs = {"occurred_on": occurred_on} if occurred_on else {}
        return Entry.objects.create(
            pool=pool,
            programme=pool.programme,
            kind=kind,
            purpose=purpose[:200],
            vendor=vendor,
            reference=reference,
            amount=amount,
            currency=currency,
            rate=rate,
            amount_in_pool_currency=in_pool,
            country=country,
            region=regions.region_code(country, "region") if country else "",
            source=source,
            note=note,
            recorded_by=by,
            **kwargs,
        )


def committed_for(source):
    """What is still committed for `source` (commitments less releases), per pool."""
    rows = (
        Entry.objects.filter(source=source, kind__in=[Entry.Kind.COMMITMENT, Entry.Kind.RELEASE])
        .values_list("pool_id", "kind")
        .annotate(total=Sum("amount_in_pool_currency"))
    )
    out = {}
    for pool_id, kind, total in rows:
        sign = 1 if kind == Entry.Kind.COMMITMENT else -1
        out[pool_id] = out.get(pool_id, 0) + sign * (total or 0)
    return out
