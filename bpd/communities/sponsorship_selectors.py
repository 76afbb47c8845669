"""Reading sponsorship requests: the gates pages fetch them through, the executors'
queue with the money committed at its top, and the public list of completed ones.

A leader reaches a request only through `led_by(user)` (the communities they lead), an
executor through `reviewable_by(user)`; anything else is a 404, so an id tells nobody
anything."""

from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from bpd.communities import policy as rules
from bpd.communities.models import Community, SponsorshipRequest, Transition
from bpd.ledger import services as ledger
from bpd.ledger.models import Pool
from bpd.members import regions
from bpd.members.roles import is_executor

S = SponsorshipRequest.Status
# The order requests are listed in: what needs someone first, then along the way.
STATE_ORDER = [
    S.SUBMITTED, S.CHANGES_REQUESTED, S.DRAFT, S.APPROVED, S.PAID, S.TICKETS_ISSUED,
    S.COMPLETED, S.DECLINED, S.WITHDRAWN, S.CANCELLED,
]  # fmt: skip


def _by_state(order=STATE_ORDER):
    return Case(
        *(When(status=status, then=Value(i)) for i, status in enumerate(order)),
        output_field=IntegerField(),
    )


def led_by(user):
    """Requests of the communities `user` leads."""
    return SponsorshipRequest.objects.filter(community__in=Community.objects.led_by(user))


def reviewable_by(user):
    """Every request sent to BPD (no drafts), for executors; nothing for anyone else."""
    if not is_executor(user):
        return SponsorshipRequest.objects.none()
    return sent()


# For leaders: what waits for them (changes asked for, a draft, a report to write) first.
LEADER_ORDER = [
    S.CHANGES_REQUESTED, S.DRAFT, S.TICKETS_ISSUED, S.SUBMITTED, S.APPROVED, S.PAID,
    S.COMPLETED, S.DECLINED, S.WITHDRAWN, S.CANCELLED,
]  # fmt: skip


def for_leader(user):
    """The leader's requests, those waiting for them first, with their community."""
    return (
        led_by(user)
        .select_related("community")
        .annotate(state_rank=_by_state(LEADER_ORDER))
        .order_by("state_rank", "-updated_at", "-pk")
    )


def sent():
    """Requests that were sent to BPD at some point: not drafts, nor drafts withdrawn."""
    return SponsorshipRequest.objects.exclude(status=S.DRAFT).exclude(
        status=S.WITHDRAWN, submitted_at__isnull=True
    )


def queue():
    """Requests for executors: submitted first (oldest first), then the others by state."""
    return (
        sent()
        .select_related("community")
        .annotate(state_rank=_by_state())
        .order_by("state_rank", "submitted_at", "-pk")
    )


def waiting_count():
    return SponsorshipRequest.objects.filter(status=S.SUBMITTED).count()


def transitions(request):
    """The request's steps, oldest first (a list: pages read the last one)."""
    return list(Transition.objects.filter(request=request).order_by("at", "pk"))


@dataclass(frozen=True)
class Committed:
    label_code: str  # "" for the whole pool, else an M49 region code
    year: int
    committed: int
    budget: int
    currency: str

    @property
    def name(self):
        return regions.area_name(self.label_code) if self.label_code else ""


def committed(policy, years=None):
    """Money committed against each year's pool and each region's share of it, for the
    top of the executors' queue: this year and next by default."""
    this_year = timezone.localdate().year
    years = years or [this_year, this_year + 1]
    pools = {
        pool.year: pool for pool in Pool.objects.filter(key__in=[rules.pool_key(y) for y in years])
    }
    shares = rules.region_pools(policy)
    rows = []
    for year in years:
        pool = pools.get(year)
        figures = ledger.figures(pool) if pool else None
        budget = pool.budget if pool else policy.pool_total
        currency = pool.currency if pool else policy.currency
        rows.append(Committed("", year, figures.committed if figures else 0, budget, currency))
        for code, amount in sorted(shares.items()):
            region = ledger.figures(pool, region=code).committed if pool else 0
            rows.append(Committed(code, year, region, amount, currency))
    return rows


# --- The public list ----------------------------------------------------------------------


def completed():
    return SponsorshipRequest.objects.filter(status=S.COMPLETED)


def sponsored_years():
    """The years (of the events) with completed sponsorships, latest first."""
    return sorted({day.year for day in completed().dates("starts_on", "year")}, reverse=True)


@dataclass(frozen=True)
class Year:
    year: int
    rows: list
    amount: int
    tickets_funded: int
    tickets_used: int
    currency: str


def sponsored(year, currency):
    """Completed sponsorships of events in `year`, by date, with the year's totals."""
    rows = list(
        completed()
        .filter(starts_on__year=year)
        .select_related("community")
        .only(
            "title", "starts_on", "ends_on", "amount", "amount_approved", "tickets_requested",
            "tickets_approved", "tickets_used", "country", "community__name", "community__slug",
        )
        .order_by("starts_on", "pk")
    )  # fmt: skip
    totals = (
        completed()
        .filter(starts_on__year=year)
        .aggregate(
            amount=Coalesce(Sum(Coalesce("amount_approved", "amount")), 0),
            funded=Coalesce(Sum(Coalesce("tickets_approved", "tickets_requested")), 0),
            used=Coalesce(Sum("tickets_used"), 0),
        )
    )
    return Year(year, rows, totals["amount"], totals["funded"], totals["used"], currency)


def needs_leader(user):
    """The leader's requests that wait for them: sent back for changes, or tickets issued
    and the report still to write."""
    return (
        led_by(user)
        .filter(Q(status=S.CHANGES_REQUESTED) | Q(status=S.TICKETS_ISSUED))
        .select_related("community")
        .order_by("updated_at", "pk")
    )
