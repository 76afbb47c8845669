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


def figures(pool, region=None):
    """What is committed, paid and lost against `pool` (or its entries for one UN M49
    `region`), in its currency's minor units."""
    entries = Entry.objects.filter(pool=pool)
    if region is not None:
        entries = entries.filter(region=region)
    sums = dict(
        entries.values_list("kind")
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
    region_budget=None,
):
    """Record one movement against `pool`. A commitment must fit what is left of the
    pool and, with `region_budget`, of the region's share (the entries of the pool whose
    region is `country`'s). The pool's row is locked before the check, so commitments
    racing for its last units are taken one after the other. Returns the entry."""
    if amount < 0:
        raise LedgerError(_("An amount cannot be negative."))
    if currency not in money.CURRENCIES:
        raise LedgerError(_("Choose a currency from the list."))
    with transaction.atomic():
        pool = Pool.objects.select_for_update().get(pk=pool.pk)
        rate = _check_rate(rate, currency, pool)
        in_pool = money.convert(amount, currency, rate, pool.currency)
        region = regions.region_code(country, "region") if country else ""
        if kind == Entry.Kind.COMMITMENT:
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
            region=region,
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
