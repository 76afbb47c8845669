"""Reads for the Fund: what a round has committed and spent, rankings, queues and reports."""

import statistics
from collections import defaultdict

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from bpd.fund import money
from bpd.fund.models import Application, AwardItem, Booking, Decision, Review
from bpd.website.versions import Version

S = Application.Status
FUNDED = [S.OFFERED, S.ACCEPTED, S.COMPLETED]


def booking_cost(booking):
    """What a booking uses of the budget: its price, or after cancellation what was lost."""
    if booking.status in {Booking.Status.CANCELLED, Booking.Status.REFUNDED}:
        return booking.loss
    return booking.amount_in_round_currency


def _funded(round):
    return (
        Application.objects.filter(round=round, status__in=FUNDED)
        .select_related("decision")
        .prefetch_related("decision__items", "bookings")
    )


def _award_total(application):
    decision = getattr(application, "decision", None)
    return sum(item.amount for item in decision.items.all()) if decision else 0


def committed(round):
    """Money promised: for each funded application, its award or what its bookings use, if more."""
    total = 0
    for application in _funded(round):
        used = sum(booking_cost(b) for b in application.bookings.all())
        total += max(_award_total(application), used)
    return total


def headroom(application):
    """How much more can be booked for `application` without committing new money."""
    used = sum(booking_cost(b) for b in application.bookings.all())
    return max(0, _award_total(application) - used)


def spent(round):
    paid = Booking.objects.filter(application__round=round)
    return sum(
        booking_cost(b) for b in paid if b.status in {"booked", "used", "cancelled", "refunded"}
    )


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
    """Award amounts when a waiting-list application is promoted: its estimates, within the cap."""
    round = application.round
    rates = {rate.currency: rate.rate for rate in round.rates.all()}
    rates[round.currency] = 1
    items = {}
    for cost in application.costs.all():
        if cost.category in round.covered and cost.currency in rates:
            items[cost.category] = money.convert(
                cost.amount, cost.currency, rates[cost.currency], round.currency
            )
    return items


def prior_awards(user):
    return Application.objects.filter(applicant=user, status__in=[S.ACCEPTED, S.COMPLETED])


def submission_problems(application):
    from bpd.members.roles import Role, has_role

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
    if application.consent_at is None:
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
    """Applications this reviewer must score: conflicts excluded, own application excluded."""
    return (
        Application.objects.filter(
            round=round, round__reviewers=reviewer, status__in=Application.REVIEWABLE
        )
        .exclude(conflicts__reviewer=reviewer)
        .exclude(applicant=reviewer)
        .select_related("event", "applicant__profile")
        .prefetch_related(
            Prefetch(
                "reviews", queryset=Review.objects.filter(reviewer=reviewer), to_attr="my_reviews"
            )
        )
        .order_by("submitted_at", "pk")
    )


def committee_queryset(round, viewer=None):
    """Applications ranked by the weighted mean of submitted reviews, with spread and prior awards,
    computed by the database. A reviewer (`viewer` not staff) never gets applications they
    declared a conflict on, nor their own."""
    from django.db.models import Avg, Count, F, Max, Min, OuterRef, Q, Subquery
    from django.db.models.functions import Coalesce

    from bpd.members.roles import is_executor

    submitted = Q(reviews__submitted_at__isnull=False)
    prior = (
        Application.objects.filter(
            applicant=OuterRef("applicant"), status__in=[S.ACCEPTED, S.COMPLETED]
        )
        .exclude(round=round)
        .order_by()
        .values("applicant")
        .annotate(n=Count("pk"))
        .values("n")
    )
    applications = Application.objects.filter(round=round, status__in=Application.REVIEWABLE)
    if viewer is not None and not is_executor(viewer):
        applications = applications.exclude(conflicts__reviewer=viewer).exclude(applicant=viewer)
    return (
        applications.annotate(
            score=Avg("reviews__weighted_score", filter=submitted),
            high=Max("reviews__weighted_score", filter=submitted),
            low=Min("reviews__weighted_score", filter=submitted),
            review_count=Count("reviews", filter=submitted),
            prior_awards=Coalesce(Subquery(prior), 0),
        )
        .select_related("event", "decision")
        .prefetch_related("decision__items")
        .order_by(F("score").desc(nulls_last=True), "pk")
    )


def committee_rows(round, applications=None):
    """Rows for the committee table: one per application (a page of `committee_queryset`)."""
    from bpd.members.regions import region_of

    if applications is None:
        applications = committee_queryset(round)
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
                "region": region_of(application.origin_country),
                "prior_awards": application.prior_awards,
                "decision": getattr(application, "decision", None),
            }
        )
    return rows


def round_report(round):
    """Committed vs spent vs budget by category, region and country; outcomes; losses; out-of-pocket."""
    from bpd.fund.models import OutOfPocket
    from bpd.members.regions import region_of
    from bpd.website.languages import country_name

    funded = list(_funded(round).select_related("event"))
    by_category, by_region, by_country = (
        defaultdict(lambda: [0, 0]),
        defaultdict(lambda: [0, 0]),
        defaultdict(lambda: [0, 0]),
    )
    losses = 0
    for application in funded:
        award = {item.category: item.amount for item in application.decision.items.all()}
        used = defaultdict(int)
        paid = 0
        for booking in application.bookings.all():
            cost = booking_cost(booking)
            used[booking.category] += cost
            if booking.status in {"booked", "used", "cancelled", "refunded"}:
                paid += cost
                by_category[booking.category][1] += cost
            if booking.status in {"cancelled", "refunded"}:
                losses += booking.loss
        committed_here = 0
        for category in set(award) | set(used):
            amount = max(award.get(category, 0), used.get(category, 0))
            by_category[category][0] += amount
            committed_here += amount
        region = region_of(application.origin_country) or "—"
        country = country_name(application.origin_country) or "—"
        for bucket, key in ((by_region, region), (by_country, country)):
            bucket[key][0] += committed_here
            bucket[key][1] += paid

    def rows(table):
        return [
            {"key": key, "committed": c, "spent": s}
            for key, (c, s) in sorted(table.items(), key=lambda kv: -kv[1][0])
        ]

    outcomes = defaultdict(int)
    for status in (
        Application.objects.filter(round=round)
        .exclude(status=S.DRAFT)
        .values_list("status", flat=True)
    ):
        outcomes[status] += 1
    visas = defaultdict(int)
    for decision in Application.objects.filter(round=round, status__in=FUNDED).values_list(
        "visa_decision", flat=True
    ):
        visas[decision or "pending"] += 1
    return {
        "committed": sum(row[0] for row in by_category.values()),
        "spent": sum(row[1] for row in by_category.values()),
        "by_category": rows(by_category),
        "by_region": rows(by_region),
        "by_country": rows(by_country),
        "outcomes": dict(outcomes),
        "visas": dict(visas),
        "losses": losses,
        "out_of_pocket_count": OutOfPocket.objects.filter(
            application__round=round, settled_at__isnull=True
        ).count(),
        "reports": Application.objects.filter(round=round, status=S.COMPLETED).count(),
    }


def staged_awards_total(round):
    """Money in awards staged but not yet released."""
    from django.db.models import Sum

    staged = AwardItem.objects.filter(
        decision__application__round=round,
        decision__released_at__isnull=True,
        decision__outcome=Decision.Outcome.AWARD,
    )
    return staged.aggregate(total=Sum("amount"))["total"] or 0


FUND = Version("fund:version")


def fund_version():
    """A number that changes whenever an application, review, conflict or decision changes."""
    return FUND.get()


def bump_fund_version(**kwargs):
    FUND.bump()
