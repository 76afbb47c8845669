"""Every write in the Fund: one function per action, each checking the state it
starts from, recording who and when, and holding a transaction where money moves."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bpd.fund import feasibility, notifications, selectors
from bpd.fund.models import (
    Application,
    AuditEvent,
    AwardItem,
    Booking,
    Conflict,
    CostItem,
    Decision,
    Review,
    Round,
    Score,
    TripReport,
)

S = Application.Status


class FundError(Exception):
    """An action that is not allowed now; the message is for the person who tried."""


def record(*, round, actor, action, application=None, **detail):
    AuditEvent.objects.create(
        round=round, application=application, actor=actor, action=action, detail=detail
    )


def _transition(application, *, allowed, to, actor, action, **detail):
    if application.status not in allowed:
        raise FundError(
            _("This application is “%(status)s”; that cannot be changed this way.")
            % {"status": application.get_status_display()}
        )
    before = application.status
    application.status = to
    application.save(update_fields=["status", "updated_at"])
    record(
        round=application.round,
        application=application,
        actor=actor,
        action=action,
        before=before,
        after=to,
        **detail,
    )


# Applying ------------------------------------------------------------------


def save_costs(*, application, costs):
    """Replace the estimates: {category: minor units} in the application's currency."""
    application.costs.all().delete()
    CostItem.objects.bulk_create(
        CostItem(
            application=application, category=category, amount=amount, currency=application.currency
        )
        for category, amount in costs.items()
        if amount
    )


def submit(*, application, actor, now=None):
    now = now or timezone.now()
    round = application.round
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if not round.is_open(now):
            raise FundError(_("This round is not accepting applications now."))
        problems = selectors.submission_problems(application)
        if problems:
            raise FundError(" ".join(problems))
        application.requested_total = selectors.requested_total(application)
        application.first_time = not selectors.prior_awards(application.applicant).exists()
        application.submitted_at = now
        application.consent_at = application.consent_at or now
        application.save(
            update_fields=["requested_total", "first_time", "submitted_at", "consent_at"]
        )
        _transition(application, allowed={S.DRAFT}, to=S.SUBMITTED, actor=actor, action="submitted")
        feasibility.refresh(application, today=now.date())
    return application


def withdraw(*, application, actor):
    with transaction.atomic():
        _transition(
            application,
            allowed={S.DRAFT, S.SUBMITTED, S.WAITLISTED},
            to=S.WITHDRAWN,
            actor=actor,
            action="withdrawn",
        )


# Reviewing -----------------------------------------------------------------


def declare_conflict(*, application, reviewer, reason=""):
    with transaction.atomic():
        Conflict.objects.get_or_create(
            application=application, reviewer=reviewer, defaults={"reason": reason}
        )
        # A conflicted reviewer's scores never count.
        Review.objects.filter(application=application, reviewer=reviewer).delete()
        record(
            round=application.round,
            application=application,
            actor=reviewer,
            action="conflict_declared",
        )


def submit_review(*, application, reviewer, scores, comment=""):
    """`scores` maps criterion ids to (value 1 to 5, comment)."""
    if application.status not in Application.REVIEWABLE:
        raise FundError(_("Only submitted applications can be reviewed."))
    if Conflict.objects.filter(application=application, reviewer=reviewer).exists():
        raise FundError(_("You declared a conflict of interest on this application."))
    criteria = list(application.round.criteria.all())
    if {c.pk for c in criteria} != set(scores):
        raise FundError(_("Score every criterion."))
    with transaction.atomic():
        review, _created = Review.objects.update_or_create(
            application=application, reviewer=reviewer, defaults={"comment": comment}
        )
        review.scores.all().delete()
        Score.objects.bulk_create(
            Score(review=review, criterion_id=pk, value=value, comment=note)
            for pk, (value, note) in scores.items()
        )
        total_weight = sum(c.weight for c in criteria) or 1
        review.weighted_score = sum(c.weight * scores[c.pk][0] for c in criteria) / total_weight
        review.submitted_at = timezone.now()
        review.save(update_fields=["weighted_score", "submitted_at"])
        record(
            round=application.round,
            application=application,
            actor=reviewer,
            action="review_submitted",
        )
    return review


# Deciding ------------------------------------------------------------------


def stage_decision(*, application, outcome, actor, items=None, reason=""):
    """Stage (not yet send) a decision. `items` maps categories to amounts in the round currency."""
    if application.status != S.SUBMITTED:
        raise FundError(_("Decisions are staged for submitted applications only."))
    if hasattr(application, "decision") and application.decision.released_at:
        raise FundError(_("This decision has already been released."))
    items = {k: int(v) for k, v in (items or {}).items() if v}
    if outcome == Decision.Outcome.AWARD:
        if not items:
            raise FundError(_("An award needs at least one amount."))
        not_covered = set(items) - set(application.round.covered)
        if not_covered:
            raise FundError(
                _("This round does not cover: %(items)s.")
                % {"items": ", ".join(sorted(not_covered))}
            )
        cap = application.round.cap_per_person
        if cap and sum(items.values()) > cap:
            raise FundError(_("The award is above the round's cap per person."))
    with transaction.atomic():
        Decision.objects.filter(application=application).delete()
        decision = Decision.objects.create(
            application=application, outcome=outcome, reason=reason, staged_by=actor
        )
        AwardItem.objects.bulk_create(
            AwardItem(decision=decision, category=category, amount=amount)
            for category, amount in items.items()
        )
        record(
            round=application.round,
            application=application,
            actor=actor,
            action="decision_staged",
            outcome=outcome,
            total=sum(items.values()),
        )
    return decision


def _lock_round(round):
    """Serialise every change to what a round has committed (row lock on PostgreSQL;
    SQLite's IMMEDIATE transactions already take the database write lock)."""
    return Round.objects.select_for_update().get(pk=round.pk)


def _offer(decision, *, actor, now, budget_left):
    total = decision.total
    if total > budget_left:
        raise FundError(_("Not enough budget left for this award."))
    application = decision.application
    decision.offered_at = now
    decision.offer_deadline = now + dt.timedelta(days=application.round.offer_reply_days)
    decision.save(update_fields=["offered_at", "offer_deadline"])
    _transition(
        application,
        allowed={S.SUBMITTED, S.WAITLISTED},
        to=S.OFFERED,
        actor=actor,
        action="offered",
        amount=total,
    )
    return total


def release_decisions(*, round, actor, now=None):
    """Send every staged decision at once. All or nothing: awards must fit the budget."""
    now = now or timezone.now()
    with transaction.atomic():
        round = _lock_round(round)
        staged = list(
            Decision.objects.filter(
                application__round=round, released_at__isnull=True, application__status=S.SUBMITTED
            )
            .select_related("application__applicant", "application__round")
            # Reviews rank the waiting list (score_of) without a query per application.
            .prefetch_related("items", "application__reviews")
            .order_by("pk")
        )
        if not staged:
            raise FundError(_("There are no staged decisions to release."))
        left = round.budget - selectors.committed(round)
        awards = [d for d in staged if d.outcome == Decision.Outcome.AWARD]
        if sum(d.total for d in awards) > left:
            raise FundError(
                _("The staged awards add up to more than the budget left. Nothing was released.")
            )
        waitlist = sorted(
            (d for d in staged if d.outcome == Decision.Outcome.WAITLIST),
            key=lambda d: -(selectors.score_of(d.application) or 0),
        )
        next_position = (
            Decision.objects.filter(
                application__round=round, waitlist_position__isnull=False
            ).count()
            + 1
        )
        for decision in staged:
            decision.released_at = now
            decision.save(update_fields=["released_at"])
        for decision in awards:
            left -= _offer(decision, actor=actor, now=now, budget_left=left)
        for position, decision in enumerate(waitlist, start=next_position):
            decision.waitlist_position = position
            decision.save(update_fields=["waitlist_position"])
            _transition(
                decision.application,
                allowed={S.SUBMITTED},
                to=S.WAITLISTED,
                actor=actor,
                action="waitlisted",
            )
        for decision in staged:
            if decision.outcome == Decision.Outcome.DECLINE:
                _transition(
                    decision.application,
                    allowed={S.SUBMITTED},
                    to=S.DECLINED,
                    actor=actor,
                    action="declined",
                )
        record(round=round, actor=actor, action="decisions_released", count=len(staged))
        transaction.on_commit(lambda: notifications.decisions_released(staged))
    return staged


def reply_to_offer(*, application, actor, accept, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("decision", "round")
            .get(pk=application.pk)
        )
        decision = application.decision
        if application.status != S.OFFERED:
            raise FundError(_("There is no open offer to reply to."))
        if decision.offer_deadline and now > decision.offer_deadline:
            raise FundError(_("The reply deadline has passed."))
        decision.replied_at = now
        decision.save(update_fields=["replied_at"])
        if accept:
            _transition(
                application,
                allowed={S.OFFERED},
                to=S.ACCEPTED,
                actor=actor,
                action="offer_accepted",
            )
            return None
        _transition(
            application,
            allowed={S.OFFERED},
            to=S.OFFER_DECLINED,
            actor=actor,
            action="offer_declined",
        )
        return offer_next_from_waitlist(round=application.round, actor=None, now=now)


def lapse_overdue_offers(*, now=None):
    """Offers past their deadline lapse, and the waiting list moves up.

    Run every five minutes by the task worker (bpd/background/tasks.py) and by
    `manage.py fund_tick`. Safe to run twice at the same moment: each offer is
    re-read under the round's lock and skipped if another run already lapsed it.
    """
    now = now or timezone.now()
    promoted = []
    overdue = Application.objects.filter(
        status=S.OFFERED, decision__offer_deadline__lt=now
    ).values_list("pk", "round_id")
    for pk, round_id in overdue:
        with transaction.atomic():
            round = _lock_round(Round(pk=round_id))
            application = (
                Application.objects.select_for_update()
                .select_related("round")
                .filter(pk=pk, status=S.OFFERED, decision__offer_deadline__lt=now)
                .first()
            )
            if application is None:
                continue  # accepted, declined or lapsed meanwhile
            _transition(
                application, allowed={S.OFFERED}, to=S.LAPSED, actor=None, action="offer_lapsed"
            )
            nxt = offer_next_from_waitlist(round=round, actor=None, now=now)
            if nxt:
                promoted.append(nxt)
    return promoted


def offer_next_from_waitlist(*, round, actor, now=None):
    """Offer the best-placed waiting-list application whose award fits the freed budget."""
    now = now or timezone.now()
    with transaction.atomic():
        round = _lock_round(round)
        left = round.budget - selectors.committed(round)
        waiting = (
            Decision.objects.filter(application__round=round, application__status=S.WAITLISTED)
            .select_related("application__applicant", "application__round")
            .prefetch_related("items")
            .order_by("waitlist_position")
        )
        for decision in waiting:
            if not decision.items.exists():
                amounts = selectors.default_award_items(decision.application)
                AwardItem.objects.bulk_create(
                    AwardItem(decision=decision, category=c, amount=a) for c, a in amounts.items()
                )
                decision = Decision.objects.prefetch_related("items").get(pk=decision.pk)
            if 0 < decision.total <= left:
                _offer(decision, actor=actor, now=now, budget_left=left)
                transaction.on_commit(lambda d=decision: notifications.promoted_from_waitlist(d))
                return decision.application
        transaction.on_commit(lambda: notifications.waitlist_exhausted(round))
        return None


# Booking and money ---------------------------------------------------------


def add_booking(
    *,
    application,
    actor,
    category,
    vendor,
    amount,
    currency,
    rate,
    reference="",
    description="",
    starts_at=None,
    refundable=False,
    status=Booking.Status.PLANNED,
):
    """Record something BPD pays directly. The round's budget is never exceeded."""
    if application.status not in {S.ACCEPTED, S.COMPLETED}:
        raise FundError(_("Bookings are made for accepted awards only."))
    from bpd.fund import money

    in_round = money.convert(amount, currency, rate, application.round.currency)
    with transaction.atomic():
        round = _lock_round(application.round)
        if in_round > round.budget - selectors.committed(round) + selectors.headroom(application):
            raise FundError(
                _("This booking would take the round over its budget. Nothing was recorded.")
            )
        booking = Booking.objects.create(
            application=application,
            category=category,
            vendor=vendor,
            reference=reference,
            description=description,
            starts_at=starts_at,
            amount=amount,
            currency=currency,
            rate=Decimal(str(rate)),
            amount_in_round_currency=in_round,
            refundable=refundable,
            status=status,
        )
        record(
            round=round,
            application=application,
            actor=actor,
            action="booking_added",
            booking=booking.pk,
            amount=in_round,
            status=status,
        )
    return booking


BOOKING_FLOW = {
    "planned": {"quoted", "booked", "cancelled"},
    "quoted": {"booked", "cancelled"},
    "booked": {"used", "cancelled"},
    "cancelled": {"refunded"},
    "used": set(),
    "refunded": set(),
}


def set_booking_status(*, booking, status, actor, refunded=0, loss=None):
    """Move a booking along BOOKING_FLOW. On cancellation, money already paid and not
    refunded is recorded as a loss (unless `loss` says otherwise)."""
    if status not in BOOKING_FLOW[booking.status]:
        raise FundError(
            _("A booking cannot go from “%(a)s” to “%(b)s”.")
            % {"a": booking.get_status_display(), "b": Booking.Status(status).label}
        )
    with transaction.atomic():
        before = booking.status
        paid = before in {"booked", "used"} or (before == "cancelled" and booking.loss > 0)
        booking.status = status
        if status in {"cancelled", "refunded"}:
            booking.refunded = refunded
            if loss is None:
                loss = max(0, booking.amount_in_round_currency - refunded) if paid else 0
            booking.loss = loss
        booking.save(update_fields=["status", "refunded", "loss"])
        record(
            round=booking.application.round,
            application=booking.application,
            actor=actor,
            action="booking_status",
            booking=booking.pk,
            before=before,
            after=status,
            refunded=booking.refunded,
            loss=booking.loss,
        )


def record_visa_outcome(*, application, actor, appointment_date=None, decision=""):
    with transaction.atomic():
        application.appointment_date = appointment_date
        application.visa_decision = decision
        application.save(update_fields=["appointment_date", "visa_decision", "updated_at"])
        record(
            round=application.round,
            application=application,
            actor=actor,
            action="visa_outcome",
            decision=decision,
        )


def cancel_after_refusal(*, application, actor, refunds):
    """After a refused visa: cancel every open booking, recording refunds and losses.

    `refunds` maps booking ids to the refund received (round currency, minor units).
    """
    if application.visa_decision != "refused":
        raise FundError(_("Bookings are cancelled this way only after a refused visa."))
    with transaction.atomic():
        for booking in application.bookings.filter(status__in=["planned", "quoted", "booked"]):
            refund = min(int(refunds.get(booking.pk, 0)), booking.amount_in_round_currency)
            set_booking_status(booking=booking, status="cancelled", actor=actor, refunded=refund)
            if booking.status == "cancelled" and refund:
                set_booking_status(booking=booking, status="refunded", actor=actor, refunded=refund)


def submit_report(*, application, actor, summary, brought_back, people_reached=0):
    with transaction.atomic():
        TripReport.objects.update_or_create(
            application=application,
            defaults={
                "summary": summary,
                "brought_back": brought_back,
                "people_reached": people_reached,
            },
        )
        _transition(
            application,
            allowed={S.ACCEPTED},
            to=S.COMPLETED,
            actor=actor,
            action="report_submitted",
        )


def refresh_verdicts(*, today=None):
    """Recompute the visa verdict of every application still in play (after new data)."""
    today = today or timezone.now().date()
    live = Application.objects.filter(
        status__in=[S.SUBMITTED, S.WAITLISTED, S.OFFERED, S.ACCEPTED]
    ).select_related("event", "origin_city")
    count = 0
    for application in live:
        feasibility.refresh(application, today=today)
        count += 1
    return count
