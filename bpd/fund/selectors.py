"""Reads for the Fund: what a round has committed and spent, rankings, queues and reports."""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    F,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from bpd.fund import allocation
from bpd.fund.models import (
    Application,
    AwardItem,
    Booking,
    Category,
    Decision,
    FundingLetter,
    Review,
    Round,
)
from bpd.ledger import money
from bpd.ledger.models import Entry as LedgerEntry
from bpd.ledger.services import net_by
from bpd.members.regions import region_of
from bpd.members.roles import Role, has_role
from bpd.website.languages import country_name
from bpd.website.versions import Version

S = Application.Status


@dataclass
class ApplicationMoney:
    """One funded application's money, in the round's currency (minor units).

    award: what the decision promised; used: what its bookings use of the budget
    (`Booking.cost`: a booking's price, or once cancelled what was paid and has not come
    back); committed: the larger of the two (the award is promised even before anything
    is booked, and a booking above the award commits the difference); spent: what has
    left BPD's account and not come back; headroom: what can still be booked without
    committing new money.

    Refunds: `expected` is what cancelled paid bookings were expected to bring back,
    `refunded` what did, `awaited` what is expected and not yet received. An awaited
    refund is money not yet back: it stays in `used` and `spent` until it arrives, so
    the budget can never be exceeded by counting on it. `lost` is the price less the
    refund of every cancelled paid booking; `lost_provisional` is the part of it
    reckoned on refunds still awaited (final once they are recorded as received).
    """

    application: Application
    award: int = 0
    used: int = 0
    spent: int = 0
    expected: int = 0
    refunded: int = 0
    awaited: int = 0
    lost: int = 0
    lost_provisional: int = 0
    awarded_by_category: dict = field(default_factory=dict)
    spent_by_category: dict = field(default_factory=dict)

    @property
    def committed(self):
        return max(self.award, self.used)

    @property
    def headroom(self):
        return max(0, self.award - self.used)

    @property
    def unsettled(self):
        """Out-of-pocket costs not yet paid back to the traveller."""
        return [o for o in self.application.out_of_pocket.all() if not o.settled_at]


@dataclass
class RoundMoney:
    """A round's money: the one definition every page, report, CSV and budget check uses."""

    round: Round
    rows: list
    staged: int = 0

    @property
    def committed(self):
        return sum(row.committed for row in self.rows)

    @property
    def spent(self):
        return sum(row.spent for row in self.rows)

    @property
    def expected(self):
        return sum(row.expected for row in self.rows)

    @property
    def refunded(self):
        return sum(row.refunded for row in self.rows)

    @property
    def awaited(self):
        return sum(row.awaited for row in self.rows)

    @property
    def lost(self):
        return sum(row.lost for row in self.rows)

    @property
    def lost_provisional(self):
        return sum(row.lost_provisional for row in self.rows)

    @property
    def headroom(self):
        """Budget not yet committed (staged awards are not committed until released)."""
        return self.round.budget - self.committed


def application_money(application):
    """The money of one application (its decision items and bookings prefetched or not)."""
    row = ApplicationMoney(application=application)
    decision = getattr(application, "decision", None)
    if decision is not None and application.status in S.FUNDED:
        for item in decision.items.all():
            row.award += item.amount
            row.awarded_by_category[item.category] = item.amount
    for booking in application.bookings.all():
        row.used += booking.cost
        if booking.is_spending:
            row.spent += booking.cost
            row.spent_by_category[booking.category] = (
                row.spent_by_category.get(booking.category, 0) + booking.cost
            )
        row.refunded += booking.refunded
        row.lost += booking.loss
        if booking.status in Booking.Status.CLOSED and booking.was_paid:
            row.expected += booking.expected_refund
        if booking.awaiting_refund:
            row.awaited += booking.expected_refund
            row.lost_provisional += booking.loss
    return row


def funded(round):
    """The round's applications that hold money (offered, accepted, completed)."""
    return (
        Application.objects.filter(round=round, status__in=S.FUNDED)
        .select_related("decision", "event", "applicant__profile")
        .prefetch_related("decision__items", "bookings", "out_of_pocket")
        .order_by("pk")
    )


def round_money(round):
    return RoundMoney(
        round=round,
        rows=[application_money(a) for a in funded(round)],
        staged=staged_awards_total(round),
    )


def committed(round):
    return round_money(round).committed


def year_committed(*, applicant, year, currency, exclude):
    """What `applicant` holds in awards for trips starting in `year`, across rounds in
    `currency` (rounds in other currencies cannot be added up), except `exclude`."""
    others = (
        Application.objects.filter(
            applicant=applicant,
            status__in=S.FUNDED,
            event__starts_on__year=year,
            round__currency=currency,
        )
        .exclude(pk=exclude.pk)
        .select_related("decision")
        .prefetch_related("decision__items", "bookings")
    )
    return sum(application_money(a).committed for a in others)


def requested_total(application):
    """The estimates in the round's currency, at the treasurer's rates (None if a rate is missing)."""
    round = application.round
    rates = {rate.currency: rate.rate for rate in round.rates.all()}
    rates[round.currency] = 1
    total = 0
    for cost in application.costs.all():
        if cost.currency not in rates:
            return None
        total += money.convert(cost.amount, cost.currency, rates[cost.currency], round.currency)
    return total


def default_award_items(application):
    """Award amounts when a waiting-list application is promoted: its estimates, within the
    cap, leaving out a visa where none is needed."""
    round = application.round
    rates = {rate.currency: rate.rate for rate in round.rates.all()}
    rates[round.currency] = 1
    items = {}
    for cost in application.costs.all():
        if cost.category == Category.VISA and not application.needs_visa:
            continue  # no visa to obtain: nothing to award for one
        if cost.category in round.covered and cost.currency in rates:
            items[cost.category] = money.convert(
                cost.amount, cost.currency, rates[cost.currency], round.currency
            )
    return items


def prior_awards(user):
    return Application.objects.filter(applicant=user, status__in=S.TRAVELLING)


# Verdicts an award may be released with; "unknown" needs a staff member's visa check.
RELEASABLE_VERDICTS = frozenset({"feasible", "at_risk"})


def staged_decisions(round, viewer):
    """Decisions staged in `round` and not yet released, with their applications, among
    those `viewer` may decide (never their own or one they declared a conflict on)."""
    return (
        Decision.objects.filter(
            application__in=awaiting_decision(round, viewer).values("pk"),
            released_at__isnull=True,
        )
        .select_related("application")
        .order_by("application_id")
    )


def visa_unresolved(decisions):
    """The staged awards whose visa check must be resolved before they are released."""
    return [
        d
        for d in decisions
        if d.outcome == "award" and d.application.verdict not in RELEASABLE_VERDICTS
    ]


def submission_problems(application, *, consent_needed=True):
    """What stops `application` from being submitted, in the applicant's words. Without
    `consent_needed` the answer is whether it can go to "check your answers" (where the
    consent is asked for, last)."""
    problems = []
    round = application.round
    if round.requires_leader and not has_role(application.applicant, Role.LEADER):
        problems.append(_("This round is for community leaders."))
    if not application.event_id:
        problems.append(_("Choose or add the event."))
    if not application.passport_country:
        problems.append(_("Give your passport country."))
    if not application.origin_country:
        problems.append(_("Say where you travel from."))
    if not application.purpose.strip() or not application.give_back.strip():
        problems.append(_("Say what you will do there and what you will bring back."))
    if not application.costs.exists():
        problems.append(_("Estimate at least one cost."))
    if consent_needed and application.consent_at is None:
        problems.append(_("Agree to how we handle your data."))
    total = requested_total(application)
    if application.costs.exists() and total is None:
        problems.append(
            _("We have no exchange rate for your currency yet; please choose another currency.")
        )
    elif total and round.cap_per_person and total > round.cap_per_person:
        problems.append(_("Your estimate is above the round's cap per person."))
    return problems


def score_of(application):
    """Mean of the submitted reviewers' weighted scores (None before any review)."""
    scores = [
        r.weighted_score
        for r in application.reviews.all()
        if r.submitted_at and r.weighted_score is not None
    ]
    return statistics.fmean(scores) if scores else None


def reviewer_queue(round, reviewer):
    """Applications of `round` this reviewer must score (through the gate
    `Application.objects.reviewable_by`), with their own review attached."""
    return (
        Application.objects.reviewable_by(reviewer)
        .filter(round=round)
        .select_related("event", "applicant__profile")
        .prefetch_related(
            Prefetch(
                "reviews", queryset=Review.objects.filter(reviewer=reviewer), to_attr="my_reviews"
            )
        )
        .order_by("submitted_at", "pk")
    )


def committee_queryset(round, viewer):
    """The applications of `round` that `viewer` may see in the committee table (through the
    gate `Application.objects.in_committee_for`), ranked by the weighted mean of submitted
    reviews, with spread and prior awards, computed by the database."""
    submitted = Q(reviews__submitted_at__isnull=False)
    prior = (
        Application.objects.filter(applicant=OuterRef("applicant"), status__in=S.TRAVELLING)
        .exclude(round=round)
        .order_by()
        .values("applicant")
        .annotate(n=Count("pk"))
        .values("n")
    )
    applications = Application.objects.in_committee_for(viewer, round)
    return (
        applications.annotate(
            score=Avg("reviews__weighted_score", filter=submitted),
            high=Max("reviews__weighted_score", filter=submitted),
            low=Min("reviews__weighted_score", filter=submitted),
            review_count=Count("reviews", filter=submitted),
            prior_awards=Coalesce(Subquery(prior), 0),
        )
        .select_related("event", "decision", "round")
        .prefetch_related("decision__items")
        .order_by(F("score").desc(nulls_last=True), "pk")
    )


def committee_rows(applications):
    """Rows for the committee table: one per application (a page of `committee_queryset`)."""
    rows = []
    for application in applications:
        rows.append(
            {
                "application": application,
                "score": application.score,
                "spread": (application.high - application.low)
                if application.review_count > 1
                else 0,
                "reviews": application.review_count,
                "too_few_reviews": application.review_count < application.round.min_reviews
                and not application.few_reviews_reason,
                "region": region_of(application.origin_country),
                "prior_awards": application.prior_awards,
                "decision": getattr(application, "decision", None),
            }
        )
    return rows


def ledger_key(round):
    """The name of `round`'s pool in the platform's ledger (bpd.ledger)."""
    return f"fund.round:{round.pk}"


# Ledger sources of the entries that are bookings' money (payments, refunds, losses); an
# out-of-pocket cost paid back is a payment too, but not part of what bookings spent.
BOOKING_SOURCE = "fund.booking:"


def _place_rows(committed, spent):
    """Rows by region and by country from {country code: amount} of committed and spent
    money, largest first: ({region rows}, {country rows})."""
    by_region, by_country = defaultdict(lambda: [0, 0]), defaultdict(lambda: [0, 0])
    country_codes = {}  # name in the reader's language -> ISO code, for the CSV's code column
    for origin in set(committed) | set(spent):
        amounts = (committed.get(origin, 0), spent.get(origin, 0))
        country_codes[country_name(origin) or "—"] = origin
        for bucket, key in (
            (by_region, region_of(origin) or "—"),
            (by_country, country_name(origin) or "—"),
        ):
            bucket[key][0] += amounts[0]
            bucket[key][1] += amounts[1]

    def rows(table, codes=None):
        return [
            {"key": key, "committed": a, "spent": b, "code": (codes or {}).get(key, "")}
            for key, (a, b) in sorted(table.items(), key=lambda kv: (-kv[1][0], kv[0]))
        ]

    return rows(by_region), rows(by_country, country_codes)


def report_money_from_records(round, figures=None):
    """The report's money figures from the Fund's own records (`round_money`): what the
    ledger must equal (tests/ledger/test_fund_equality.py)."""
    figures = figures or round_money(round)
    committed, spent = defaultdict(int), defaultdict(int)
    for row in figures.rows:
        committed[row.application.origin_country] += row.committed
        spent[row.application.origin_country] += row.spent
    by_region, by_country = _place_rows(committed, spent)
    return {
        "committed": figures.committed,
        "spent": figures.spent,
        "refunded": figures.refunded,
        "losses": figures.lost,
        "by_region": by_region,
        "by_country": by_country,
    }


def report_money_from_ledger(round):
    """The report's money figures from the platform's ledger: the round's pool, its
    commitments less releases (committed), the payments for bookings less their refunds
    (spent), refunds and losses, per country of the travellers. One query."""
    entries = LedgerEntry.objects.filter(pool__key=ledger_key(round)).annotate(
        booking=Case(
            When(source__startswith=BOOKING_SOURCE, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )
    K = LedgerEntry.Kind
    committed, spent = defaultdict(int), defaultdict(int)
    refunded = lost = 0
    for (country, booking, kind), total in net_by(entries, "country", "booking").items():
        if kind == K.COMMITMENT:
            committed[country] += total
        elif kind == K.RELEASE:
            committed[country] -= total
        elif kind == K.PAYMENT and booking:
            spent[country] += total
        elif kind == K.REFUND and booking:
            spent[country] -= total
            refunded += total
        elif kind == K.LOSS:
            lost += total
    # Countries whose money was all released (a declined offer) hold nothing: no row.
    places = {c for c in set(committed) | set(spent) if committed[c] or spent[c]}
    by_region, by_country = _place_rows(
        {c: committed[c] for c in places}, {c: spent[c] for c in places}
    )
    return {
        "committed": sum(committed.values()),
        "spent": sum(spent.values()),
        "refunded": refunded,
        "losses": lost,
        "by_region": by_region,
        "by_country": by_country,
    }


def round_report(round, *, money_figures=report_money_from_ledger):
    """Budget, committed and spent, refunds and losses, committed and spent by region
    and country: the money, read from the platform's ledger (`money_figures`). Awarded
    and spent by category, refunds expected and awaited, provisional losses, outcomes,
    visas and out-of-pocket costs: from the Fund's own records (`round_money`), which
    hold what the ledger does not (what a booking was for, a refund not yet received)."""
    figures = round_money(round)
    by_category = defaultdict(lambda: [0, 0])
    for row in figures.rows:
        for category, amount in row.awarded_by_category.items():
            by_category[category][0] += amount
        for category, amount in row.spent_by_category.items():
            by_category[category][1] += amount

    outcomes = defaultdict(int)
    visas = defaultdict(int)
    for status, visa in (
        Application.objects.filter(round=round)
        .exclude(status=S.DRAFT)
        .values_list("status", "visa_decision")
    ):
        outcomes[status] += 1
        if status in S.FUNDED:
            visas[visa or "pending"] += 1
    return {
        "money": figures,
        **money_figures(round),
        "by_category": [
            {"key": key, "awarded": a, "spent": b, "code": ""}
            for key, (a, b) in sorted(by_category.items(), key=lambda kv: (-kv[1][0], kv[0]))
        ],
        "outcomes": dict(outcomes),
        "visas": dict(visas),
        "losses_provisional": figures.lost_provisional,
        "refunds_expected": figures.expected,
        "refunds_awaited": figures.awaited,
        "out_of_pocket_count": sum(
            1
            for row in figures.rows
            for o in row.application.out_of_pocket.all()
            if not o.settled_at
        ),
        "reports": outcomes.get(S.COMPLETED, 0),
    }


def staged_awards_total(round):
    """Money in awards staged but not yet released."""
    staged = AwardItem.objects.filter(
        decision__application__round=round,
        decision__released_at__isnull=True,
        decision__outcome=Decision.Outcome.AWARD,
    )
    return staged.aggregate(total=Sum("amount"))["total"] or 0


# Changes whenever an application, review, conflict or decision changes (cached
# committee tables include it in their keys; apps.py says what it watches).
FUND = Version("fund:version")


def awaiting_decision(round, viewer):
    """Submitted applications of `round`, ranked, for the allocation page."""
    return committee_queryset(round, viewer).filter(status=S.SUBMITTED)


def allocation_proposal(round, viewer, *, max_per_country=None):
    """The proposal for the money left: the best-scored submitted applications that fit,
    at most `max_per_country` per country, leaving out trips whose visa is not feasible
    (nobody is approved for a trip they cannot make) and those with fewer reviews than
    the round needs (unless an executor allowed one)."""
    left = round.budget - committed(round)
    rows = awaiting_decision(round, viewer).values_list(
        "pk", "requested_total", "score", "origin_country", "verdict", "review_count",
        "few_reviews_reason",
    )  # fmt: skip
    candidates = [
        allocation.Candidate(key=pk, cost=total, value=score, country=country)
        for pk, total, score, country, verdict, reviews, allowed in rows
        if score is not None
        and total
        and verdict != "not_feasible"
        and (reviews >= round.min_reviews or allowed)
    ]
    return allocation.propose(candidates, left, max_per_country=max_per_country), left


def review_initial(review):
    """The review form's starting values from the reviewer's earlier review, if any."""
    if review is None:
        return {}
    initial = {"comment": review.comment}
    for score in review.scores.all():
        initial[f"score_{score.criterion_id}"] = score.value
        initial[f"note_{score.criterion_id}"] = score.comment
    return initial


def decision_initial(application):
    """The decision form's starting values: the staged decision, else an award of the
    estimates (within what the round covers)."""
    existing = getattr(application, "decision", None)
    initial = {
        "outcome": existing.outcome if existing else "award",
        "reason": existing.reason if existing else "",
    }
    amounts = (
        {i.category: i.amount for i in existing.items.all()}
        if existing
        else default_award_items(application)
    )
    for category, amount in amounts.items():
        initial[f"award_{category}"] = money.to_major(amount, application.round.currency)
    return initial


# Funding letters -----------------------------------------------------------


def current_letter(application):
    """The application's funding letter in force (None before one is issued): the newest
    one not superseded."""
    return application.letters.filter(superseded_at__isnull=True).first()


def letters_of(application):
    """Every letter issued for `application`, newest first, with who issued each."""
    return application.letters.select_related("issued_by__profile")


def letter_to_check(reference):
    """The letter a public check asks about, by its reference as printed (case and the
    spaces around it do not matter), or None. Letters of deleted accounts are gone."""
    reference = (reference or "").strip().upper()
    if not reference or len(reference) > FundingLetter._meta.get_field("reference").max_length:
        return None
    return (
        FundingLetter.objects.filter(reference=reference, application__applicant__isnull=False)
        .select_related("application__round", "application__event", "application__applicant")
        .first()
    )
