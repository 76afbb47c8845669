"""The sponsorship rules, checked against a request's numbers.

`check` answers, rule by rule, whether a request fits a `Policy` version, with the
numbers in words ("Lead time: 61 days, minimum 42 — ok"), so the leader sees before
submitting what executors will see. `evaluate` is the pure part (numbers in, checks out);
`read_figures` fetches what it needs from the database: what the community has already
received in the event's year, and what is committed against the year's pool and the
region's share of it (from the ledger).

A check is stored with a submission as numbers (`Check.stored`), never as text: the page
writes it again in the reader's language (`from_stored`).

Rules whose `*_hard` flag is set on the policy stop a submission; the others ask for a
justification. The pools are always hard: the ledger refuses a commitment beyond them."""

import datetime as dt
from dataclasses import dataclass, field

from babel.numbers import format_currency
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from bpd.communities.models import SponsorshipRequest
from bpd.ledger import money
from bpd.ledger import services as ledger
from bpd.ledger.models import Pool
from bpd.members import regions
from bpd.website import languages

S = SponsorshipRequest.Status
# A request counts against the community's year and the pools from its approval on.
APPROVED_OR_LATER = (S.APPROVED, S.PAID, S.TICKETS_ISSUED, S.COMPLETED)
# The UN M49 regions a pool may be shared out to.
REGIONS = ("002", "019", "142", "150", "009")  # Africa, Americas, Asia, Europe, Oceania

LEAD_TIME = "lead_time"
PER_EVENT = "per_event"
PER_ATTENDEE = "per_attendee"
PER_TICKET = "per_ticket"
PER_COMMUNITY = "per_community"
POOL = "pool"
REGION_POOL = "region_pool"
# The rules an executor may override with a reason; the pools never (the ledger holds them).
OVERRIDABLE = (LEAD_TIME, PER_EVENT, PER_ATTENDEE, PER_TICKET, PER_COMMUNITY)


def pool_key(year):
    """The ledger pool of a year's sponsorships."""
    return f"sponsorship:{year}"


def source_of(request):
    """How the ledger names a request's entries."""
    return f"communities.request:{request.pk}"


def words(minor, currency):
    """An amount for a sentence, with its currency code: "USD 600", "USD 12.50"."""
    whole = minor % (10 ** money.precision(currency)) == 0
    return format_currency(
        money.to_major(minor, currency),
        currency,
        format="¤¤ #,##0" if whole else "¤¤ #,##0.00",
        currency_digits=False,
        locale=languages.current(),
    )


@dataclass(frozen=True)
class Check:
    """One rule against one request: `value` is what the request asks (days, or minor
    units of the policy's currency), `limit` what the rule allows."""

    rule: str
    label: str
    ok: bool
    hard: bool
    value: int
    limit: int
    message: str
    currency: str = "USD"
    detail: dict = field(default_factory=dict)

    @property
    def overridable(self):
        return self.rule in OVERRIDABLE

    def stored(self):
        """The check as numbers, for `SponsorshipRequest.submitted_checks`."""
        return {
            "rule": self.rule,
            "ok": self.ok,
            "hard": self.hard,
            "value": self.value,
            "limit": self.limit,
            "currency": self.currency,
            "detail": dict(self.detail),
        }


@dataclass(frozen=True)
class Figures:
    """What a request is checked against besides its own numbers, all in minor units of
    the policy's currency and excluding the request itself."""

    year: int
    community_year: int  # approved or later, the community's events in `year`
    pool_budget: int
    pool_committed: int
    region: str = ""  # the M49 region of the event's country
    region_budget: int | None = None  # None: the region has no share of its own
    region_committed: int = 0


def _get(data, name, default=None):
    if isinstance(data, dict):
        return data.get(name, default)
    return getattr(data, name, default)


def hard_failures(checks):
    return [c for c in checks if not c.ok and c.hard]


def soft_failures(checks):
    return [c for c in checks if not c.ok and not c.hard]


def region_pools(policy):
    """{region code: amount} of a policy version (none for an unsaved one)."""
    if policy.pk is None:
        return {}
    return dict(policy.region_pools.values_list("region", "amount"))


def read_figures(*, policy, community, year, country, exclude=None):
    """The year's figures for a request of `community` in `country`; `exclude` (a saved
    request) leaves its own approval and commitment out, so re-checking an approved
    request does not count it twice."""
    received = (
        SponsorshipRequest.objects.filter(
            community=community, status__in=APPROVED_OR_LATER, starts_on__year=year
        )
        .exclude(pk=getattr(exclude, "pk", None))
        .aggregate(total=Sum(Coalesce("amount_approved", "amount")))["total"]
        or 0
    )
    pool = Pool.objects.filter(key=pool_key(year)).first()
    region = regions.region_code(country, "region") if country else ""
    region_budget = region_pools(policy).get(region) if region else None
    committed = region_committed = own = 0
    if pool is not None:
        if exclude is not None and exclude.pk:
            own = ledger.committed_for(source_of(exclude)).get(pool.pk, 0)
        committed = ledger.figures(pool).committed - own
        if region_budget is not None:
            region_committed = ledger.figures(pool, region=region).committed - own
    return Figures(
        year=year,
        community_year=received,
        # What the ledger enforces: the pool's budget once it exists, the policy's before.
        pool_budget=pool.budget if pool is not None else policy.pool_total,
        pool_committed=committed,
        region=region,
        region_budget=region_budget,
        region_committed=region_committed,
    )


def check(request_data, *, policy, community, today, figures=None, exclude=None):
    """Every rule of `policy` against `request_data` (a request, or a dict with
    starts_on, amount, expected_attendance, tickets_requested, country), as Checks in a
    fixed order. `figures` defaults to what `read_figures` finds now."""
    starts_on = _get(request_data, "starts_on")
    if figures is None:
        figures = read_figures(
            policy=policy,
            community=community,
            year=starts_on.year,
            country=_get(request_data, "country", ""),
            exclude=exclude,
        )
    return evaluate(request_data, policy=policy, figures=figures, today=today)


def evaluate(request_data, *, policy, figures, today):
    """The pure part of `check`: no database."""
    starts_on: dt.date = _get(request_data, "starts_on")
    amount = int(_get(request_data, "amount") or 0)
    attendance = int(_get(request_data, "expected_attendance") or 0)
    tickets = int(_get(request_data, "tickets_requested") or 0)
    currency = policy.currency
    days = (starts_on - today).days
    rows = [
        (LEAD_TIME, days >= policy.min_lead_days, policy.lead_time_hard, days,
         policy.min_lead_days, {}),
        (PER_EVENT, amount <= policy.max_per_event, policy.per_event_hard, amount,
         policy.max_per_event, {}),
        # amount / attendance <= most per attendee, kept in whole numbers.
        (PER_ATTENDEE, amount <= attendance * policy.max_per_attendee, policy.per_attendee_hard,
         amount, attendance * policy.max_per_attendee,
         {"people": attendance, "each_most": policy.max_per_attendee}),
        (PER_TICKET, tickets > 0 and amount <= tickets * policy.max_per_ticket,
         policy.per_ticket_hard, amount, tickets * policy.max_per_ticket,
         {"tickets": tickets, "each_most": policy.max_per_ticket}),
        (PER_COMMUNITY, figures.community_year + amount <= policy.max_per_community_year,
         policy.per_community_hard, figures.community_year + amount,
         policy.max_per_community_year,
         {"year": figures.year, "received": figures.community_year}),
        (POOL, figures.pool_committed + amount <= figures.pool_budget, True,
         figures.pool_committed + amount, figures.pool_budget,
         {"year": figures.year, "committed": figures.pool_committed}),
    ]  # fmt: skip
    if figures.region_budget is not None:
        rows.append(
            (
                REGION_POOL,
                figures.region_committed + amount <= figures.region_budget,
                True,
                figures.region_committed + amount,
                figures.region_budget,
                {
                    "year": figures.year,
                    "committed": figures.region_committed,
                    "region": figures.region,
                },
            )
        )
    return [
        make(rule, ok=ok, hard=hard, value=value, limit=limit, currency=currency, detail=detail)
        for rule, ok, hard, value, limit, detail in rows
    ]


def make(rule, *, ok, hard, value, limit, currency, detail):
    """A Check with its label and message in the active language."""
    return Check(
        rule=rule,
        label=label(rule),
        ok=ok,
        hard=hard,
        value=value,
        limit=limit,
        message=message(rule, ok=ok, value=value, limit=limit, currency=currency, detail=detail),
        currency=currency,
        detail=detail,
    )


def from_stored(rows):
    """Checks kept with a submission, written out again in the active language."""
    checks = []
    for row in rows or []:
        try:
            checks.append(
                make(
                    row["rule"],
                    ok=bool(row["ok"]),
                    hard=bool(row["hard"]),
                    value=int(row["value"]),
                    limit=int(row["limit"]),
                    currency=row.get("currency") or "USD",
                    detail=row.get("detail") or {},
                )
            )
        except (KeyError, TypeError, ValueError):
            continue  # a row this code does not know how to read: left out, not guessed
    return checks


def label(rule):
    return {
        LEAD_TIME: _("Lead time"),
        PER_EVENT: _("Most for one event"),
        PER_ATTENDEE: _("Most per expected attendee"),
        PER_TICKET: _("Most per sponsored ticket"),
        PER_COMMUNITY: _("Most for one community in a year"),
        POOL: _("The year's pool"),
        REGION_POOL: _("The region's share of the pool"),
    }.get(rule, rule)


def _verdict(rule, ok):
    if ok:
        return pgettext("rule check", "ok")
    if rule == LEAD_TIME:
        return pgettext("rule check", "too short")
    return pgettext("rule check", "over the limit")


def _per(amount, count, currency):
    """amount / count, to the currency's minor unit (for showing only)."""
    return words(round(amount / count), currency) if count else words(amount, currency)


def message(rule, *, ok, value, limit, currency, detail):
    """The rule, the request's numbers and the verdict, in one sentence."""
    verdict = _verdict(rule, ok)
    d = detail
    if rule == LEAD_TIME:
        if value < 0:
            return _("Lead time: the event starts before today, minimum %(minimum)s days — %(verdict)s") % {
                "minimum": limit, "verdict": verdict,
            }  # fmt: skip
        return ngettext(
            "Lead time: %(days)s day, minimum %(minimum)s — %(verdict)s",
            "Lead time: %(days)s days, minimum %(minimum)s — %(verdict)s",
            value,
        ) % {"days": value, "minimum": limit, "verdict": verdict}
    if rule == PER_EVENT:
        return _("Amount: %(amount)s for this event, most %(most)s — %(verdict)s") % {
            "amount": words(value, currency),
            "most": words(limit, currency),
            "verdict": verdict,
        }
    if rule == PER_ATTENDEE:
        return ngettext(
            "Per expected attendee: %(amount)s for %(people)s person is %(each)s each, "
            "most %(most)s each — %(verdict)s",
            "Per expected attendee: %(amount)s for %(people)s people is %(each)s each, "
            "most %(most)s each — %(verdict)s",
            d.get("people", 0),
        ) % {
            "amount": words(value, currency),
            "people": d.get("people", 0),
            "each": _per(value, d.get("people", 0), currency),
            "most": words(d.get("each_most", 0), currency),
            "verdict": verdict,
        }
    if rule == PER_TICKET:
        return ngettext(
            "Per ticket: %(amount)s for %(tickets)s ticket is %(each)s each, "
            "most %(most)s each — %(verdict)s",
            "Per ticket: %(amount)s for %(tickets)s tickets is %(each)s each, "
            "most %(most)s each — %(verdict)s",
            d.get("tickets", 0),
        ) % {
            "amount": words(value, currency),
            "tickets": d.get("tickets", 0),
            "each": _per(value, d.get("tickets", 0), currency),
            "most": words(d.get("each_most", 0), currency),
            "verdict": verdict,
        }
    if rule == PER_COMMUNITY:
        return _(
            "In %(year)s your community has received %(received)s of %(most)s; "
            "with this request %(total)s — %(verdict)s"
        ) % {
            "year": d.get("year", ""),
            "received": words(d.get("received", 0), currency),
            "most": words(limit, currency),
            "total": words(value, currency),
            "verdict": verdict,
        }
    if rule == POOL:
        return _(
            "The %(year)s pool: %(committed)s committed of %(budget)s; "
            "with this request %(total)s — %(verdict)s"
        ) % {
            "year": d.get("year", ""),
            "committed": words(d.get("committed", 0), currency),
            "budget": words(limit, currency),
            "total": words(value, currency),
            "verdict": verdict,
        }
    if rule == REGION_POOL:
        return _(
            "%(region)s's share of the %(year)s pool: %(committed)s committed of %(budget)s; "
            "with this request %(total)s — %(verdict)s"
        ) % {
            "region": regions.area_name(d.get("region", "")),
            "year": d.get("year", ""),
            "committed": words(d.get("committed", 0), currency),
            "budget": words(limit, currency),
            "total": words(value, currency),
            "verdict": verdict,
        }
    return f"{label(rule)} — {verdict}"
