"""Reads for the treasurer's pages: totals per pool, per year and programme, per region,
and the entries themselves. Each is one query whatever the number of entries; amounts
are summed in each pool's own currency (never added across currencies) and reversals
count against what they reverse."""

from dataclasses import dataclass, field

from bpd.ledger.models import Entry, Pool
from bpd.ledger.services import net_by
from bpd.members import regions

K = Entry.Kind


@dataclass
class Totals:
    """Money in one currency's minor units: committed (commitments less releases), paid
    (payments, before refunds), refunded, lost."""

    currency: str
    committed: int = 0
    paid: int = 0
    refunded: int = 0
    lost: int = 0

    def add(self, kind, amount):
        if kind == K.COMMITMENT:
            self.committed += amount
        elif kind == K.RELEASE:
            self.committed -= amount
        elif kind == K.PAYMENT:
            self.paid += amount
        elif kind == K.REFUND:
            self.refunded += amount
        elif kind == K.LOSS:
            self.lost += amount

    @property
    def net_paid(self):
        return self.paid - self.refunded

    @property
    def empty(self):
        return not (self.committed or self.paid or self.refunded or self.lost)


@dataclass
class PoolRow:
    pool: Pool
    totals: Totals

    @property
    def available(self):
        return self.pool.budget - self.totals.committed


@dataclass
class GroupRow:
    """Totals of the pools of one year and programme (or one year and region) in one
    currency; `budget` is None for regions (a region's share is not a pool)."""

    year: int
    label: str
    totals: Totals
    key: str = ""  # the programme or region code, for filter links
    budget: int | None = None
    pools: list = field(default_factory=list)

    @property
    def available(self):
        return None if self.budget is None else self.budget - self.totals.committed


def pools():
    """Every pool, newest year first."""
    return list(Pool.objects.order_by("-year", "programme", "name", "pk"))


def pool_rows(all_pools):
    """Each pool with its totals: one query."""
    sums = net_by(Entry.objects.all(), "pool_id")
    rows = {pool.pk: PoolRow(pool, Totals(pool.currency)) for pool in all_pools}
    for (pool_id, kind), amount in sums.items():
        if pool_id in rows:
            rows[pool_id].totals.add(kind, amount)
    return list(rows.values())


def by_year_and_programme(rows):
    """The pool rows added up per year, programme and currency (no query)."""
    groups = {}
    for row in rows:
        pool = row.pool
        key = (pool.year, pool.programme, pool.currency)
        group = groups.get(key)
        if group is None:
            group = groups[key] = GroupRow(
                year=pool.year,
                label=pool.get_programme_display(),
                key=pool.programme,
                totals=Totals(pool.currency),
                budget=0,
            )
        group.budget += pool.budget
        group.pools.append(pool)
        for kind, amount in (
            (K.COMMITMENT, row.totals.committed),
            (K.PAYMENT, row.totals.paid),
            (K.REFUND, row.totals.refunded),
            (K.LOSS, row.totals.lost),
        ):
            group.totals.add(kind, amount)
    return sorted(groups.values(), key=lambda g: (-g.year, g.key, g.totals.currency))


def by_region():
    """Totals per year, UN M49 region of the members served and currency: one query.
    Entries that serve no one place (a pool-wide cost) are under "—"."""
    sums = net_by(Entry.objects.all(), "pool__year", "pool__currency", "region")
    groups = {}
    for (year, currency, region, kind), amount in sums.items():
        group = groups.get((year, region, currency))
        if group is None:
            group = groups[(year, region, currency)] = GroupRow(
                year=year,
                label=regions.area_name(region) or "—",
                key=region or NO_REGION,
                totals=Totals(currency),
            )
        group.totals.add(kind, amount)
    return sorted(
        (g for g in groups.values() if not g.totals.empty),
        key=lambda g: (-g.year, g.label, g.totals.currency),
    )


# The filter value for entries that serve no one region.
NO_REGION = "none"


# The UN M49 regions (level "region" of bpd.members.regions): Africa, Americas, Asia,
# Europe, Oceania. Fixed by the standard; the ledger stores an entry's region at this level.
REGIONS = ("002", "019", "142", "150", "009")


def entries(*, pool=None, programme="", year=None, kind="", region=""):
    """The ledger, newest first, filtered; its pool fetched with it."""
    rows = Entry.objects.select_related("pool")
    if pool is not None:
        rows = rows.filter(pool=pool)
    if programme:
        rows = rows.filter(programme=programme)
    if year:
        rows = rows.filter(pool__year=year)
    if kind:
        rows = rows.filter(kind=kind)
    if region == NO_REGION:
        rows = rows.filter(region="")
    elif region:
        rows = rows.filter(region=region)
    return rows.order_by("-occurred_on", "-pk")
