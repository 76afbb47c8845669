"""Every write in the Fund: one keyword-only function per state change.

Each checks the state it starts from inside a transaction, writes, records who did
what in the audit log (`bpd.audit`), and schedules any email for after the commit.
Views only parse a form and call one of these.
"""

import datetime as dt
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bpd.audit import services as audit
from bpd.audit.verbs import Verb
from bpd.conferences.models import Conference
from bpd.fund import feasibility, imports, ledger_sync, letters, notifications, selectors
from bpd.fund.models import (
    Application,
    AwardItem,
    Booking,
    Conflict,
    CostItem,
    Decision,
    ExchangeRate,
    FundingLetter,
    OutOfPocket,
    Review,
    Round,
    Score,
    TripReport,
)
from bpd.ledger import money
from bpd.ledger.services import LedgerError
from bpd.members.roles import Role, has_role

S = Application.Status


class FundError(Exception):
    """An action that is not allowed now; the message is for the person who tried."""


def _log(
    *, actor, verb, round=None, application=None, reason="", before=None, after=None, **detail
):
    """Write one audit entry about an application (filed under its round) or a round."""
    audit.log(
        actor=actor,
        verb=verb,
        subject=application or round,
        parent=application.round if application else None,
        person=application.applicant if application else None,
        before=before,
        after=after,
        reason=reason,
        **detail,
    )


def _transition(application, *, allowed, to, actor, verb, **detail):
    if application.status not in allowed:
        raise FundError(
            _("This application is “%(status)s”; that cannot be changed this way.")
            % {"status": application.get_status_display()}
        )
    before = application.status
    application.status = to
    application.save(update_fields=["status", "updated_at"])
    _log(
        actor=actor,
        verb=verb,
        application=application,
        before={"status": before},
        after={"status": to},
        **detail,
    )


def _sync_ledger(application, actor):
    """Bring the platform's ledger in line with `application`'s money (see
    `bpd.fund.ledger_sync`), inside the caller's transaction: if the ledger refuses (no
    rate for a currency, a pool that would be exceeded), the whole change is refused."""
    try:
        ledger_sync.sync_application(application, by=actor)
    except LedgerError as error:
        raise FundError(str(error)) from error


def _lock_round(round):
    """Serialise every change to what a round has committed (row lock on PostgreSQL;
    SQLite's IMMEDIATE transactions already take the database write lock). FOR NO KEY
    UPDATE: writers of the round queue as before, while the foreign-key checks PostgreSQL
    makes at COMMIT for rows pointing at the round (an application answering its offer,
    which then locks the round's pool in the ledger) are not blocked: a round locked FOR
    UPDATE while its holder waits for the pool could deadlock with them."""
    return Round.objects.select_for_update(no_key=True).get(pk=round.pk)


# Rounds --------------------------------------------------------------------


def _money_is_committed(round):
    return selectors.committed(round) > 0 or selectors.staged_awards_total(round) > 0


def save_round(*, actor, form, criteria=None, texts=None):
    """Create or change a round from its validated forms (the round, its rubric, its
    translations). Once money is committed or awards are staged, the fields that say how
    money is counted (currency, budget, caps) are frozen, except that the budget may grow."""
    with transaction.atomic():
        round = form.instance
        creating = round.pk is None
        if not creating:
            stored = _lock_round(round)
            changed = [f for f in Round.MONEY_FIELDS if getattr(stored, f) != getattr(round, f)]
            if changed and _money_is_committed(stored):
                grows = changed == ["budget"] and round.budget > stored.budget
                if not grows:
                    raise FundError(
                        _(
                            "Money is already committed in this round, so its currency, caps "
                            "and budget cannot change (the budget may only grow). Nothing was saved."
                        )
                    )
            before = {f: getattr(stored, f) for f in Round.MONEY_FIELDS}
        round = form.save()
        try:
            ledger_sync.sync_round(round)  # the round's pool follows its name and budget
        except LedgerError as error:
            raise FundError(str(error)) from error
        for formset in (criteria, texts):
            if formset is not None:
                formset.instance = round
                formset.save()
        after = {f: getattr(round, f) for f in Round.MONEY_FIELDS}
        _log(
            actor=actor,
            verb=Verb.ROUND_CREATED if creating else Verb.ROUND_CHANGED,
            round=round,
            before=None if creating else before,
            after=after,
        )
    return round


# A rate says how many units of the round's currency one unit of another buys. Real
# rates between ISO currencies lie far inside these bounds; anything outside is a typo.
MIN_RATE = Decimal("0.000001")
MAX_RATE = Decimal("1000000")


def set_rate(*, round, actor, currency, rate, as_of):
    """The treasurer's rate for `currency` in this round, entered once and used by every
    estimate and booking in that currency (the round's own currency is always 1)."""
    if currency == round.currency:
        raise FundError(_("The round's own currency always counts at 1."))
    if not MIN_RATE <= Decimal(rate) <= MAX_RATE:
        raise FundError(
            _("An exchange rate must be between %(low)s and %(high)s.")
            % {"low": MIN_RATE, "high": MAX_RATE}
        )
    with transaction.atomic():
        existing = ExchangeRate.objects.filter(round=round, currency=currency).first()
        ExchangeRate.objects.update_or_create(
            round=round, currency=currency, defaults={"rate": rate, "as_of": as_of}
        )
        _log(
            actor=actor,
            verb=Verb.RATE_SET,
            round=round,
            before={"rate": str(existing.rate)} if existing else None,
            after={"rate": str(rate), "as_of": as_of.isoformat()},
            currency=currency,
        )


# Applying ------------------------------------------------------------------


@dataclass
class Draft:
    """What an applicant typed, parsed by the form: the application's own fields, the
    event (one from the list, or a new one's details), where they travel from, and the
    estimates ({category: minor units} in `fields["currency"]`)."""

    fields: dict
    listed_event: Conference | None = None
    new_event: dict | None = None
    origin_country: str = ""
    origin_city: object = None
    passport_country: str = ""
    costs: dict = field(default_factory=dict)


def save_draft(*, round, applicant, draft, now=None):
    """Create or update `applicant`'s draft in `round`. An event not in the list is kept as
    one row that later saves update (never a new row per save)."""
    now = now or timezone.now()
    if not round.is_open(now):
        raise FundError(_("This round is not accepting applications now."))
    if round.requires_leader and not has_role(applicant, Role.LEADER):
        raise FundError(_("This round is for community leaders."))
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .filter(round=round, applicant=applicant)
            .select_related("event")
            .first()
        ) or Application(round=round, applicant=applicant)
        if application.status != S.DRAFT:
            raise FundError(_("This application has been submitted; it can no longer be edited."))
        for name, value in draft.fields.items():
            setattr(application, name, value)
        previous = application.event if application.event_id else None
        own_event = previous if previous is not None and not previous.listed else None
        if draft.listed_event is not None:
            application.event = draft.listed_event
        elif draft.new_event:
            event = own_event or Conference(suggested_by=applicant)
            for name, value in draft.new_event.items():
                setattr(event, name, value)
            event.save()
            application.event = event
        else:
            application.event = None
        application.origin_country = draft.origin_country
        application.origin_city = draft.origin_city
        application.passport_country = draft.passport_country
        application.save()
        unused = own_event is not None and application.event_id != own_event.pk
        if unused and not Application.objects.filter(event=own_event).exists():
            own_event.delete()  # the applicant's own unlisted event, no longer used
        application.costs.all().delete()
        CostItem.objects.bulk_create(
            CostItem(
                application=application,
                category=category,
                amount=amount,
                currency=application.currency,
            )
            for category, amount in draft.costs.items()
            if amount
        )
        _log(actor=applicant, verb=Verb.DRAFT_SAVED, application=application)
    return application


def submit(*, application, actor, consent, now=None):
    """Submit a draft. `consent` is the applicant's agreement to how the application is
    handled, given on the "check your answers" page; without it nothing is submitted."""
    now = now or timezone.now()
    round = application.round
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if not round.is_open(now):
            raise FundError(_("This round is not accepting applications now."))
        if consent:
            application.consent_at = application.consent_at or now
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
        _transition(
            application, allowed={S.DRAFT}, to=S.SUBMITTED, actor=actor, verb=Verb.SUBMITTED
        )
        feasibility.refresh(application, today=now.date())
        transaction.on_commit(lambda: notifications.submitted(application))
    return application


def withdraw(*, application, actor):
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        # No money to release: what may be withdrawn (a draft, a submitted or waiting-list
        # application) holds none in the ledger.
        _transition(
            application, allowed=S.WITHDRAWABLE, to=S.WITHDRAWN, actor=actor, verb=Verb.WITHDRAWN
        )


# Reviewing -----------------------------------------------------------------


def _refuse_own(application, actor):
    """Nobody acts on their own application or one they declared a conflict on."""
    if actor is None:
        return
    if application.applicant_id == actor.pk:
        raise FundError(_("This is your own application: another person must handle it."))
    if Conflict.objects.filter(application=application, reviewer=actor).exists():
        raise FundError(
            _(
                "You declared a conflict of interest on this application: another person must handle it."
            )
        )


def _refuse_after_decision(application):
    if Decision.objects.filter(application=application).exists():
        raise FundError(
            _(
                "A decision is already staged or sent for this application, so its reviews "
                "are closed and can no longer change."
            )
        )


def declare_conflict(*, application, reviewer, reason=""):
    """Record a conflict of interest (a reviewer's, an executor's or the treasurer's): from
    now on they neither score, decide nor book for this application. It can be declared at
    any time; before a decision is staged their scores are withdrawn, after it they stay,
    because reviews are closed then and the record of the decision must not change."""
    with transaction.atomic():
        Conflict.objects.get_or_create(
            application=application, reviewer=reviewer, defaults={"reason": reason}
        )
        if not Decision.objects.filter(application=application).exists():
            Review.objects.filter(application=application, reviewer=reviewer).delete()
        _log(
            actor=reviewer,
            verb=Verb.CONFLICT_DECLARED,
            application=application,
            reason=reason,
        )


def submit_review(*, application, reviewer, scores, comment=""):
    """`scores` maps criterion ids to (value 1 to 5, comment)."""
    if application.status not in Application.REVIEWABLE:
        raise FundError(_("Only submitted applications can be reviewed."))
    _refuse_own(application, reviewer)
    _refuse_after_decision(application)
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
        _log(actor=reviewer, verb=Verb.REVIEW_SUBMITTED, application=application)
    return review


# Deciding ------------------------------------------------------------------


def record_visa_check(*, application, actor, verdict, source, now=None):
    """A staff member's own visa check, with where the answer came from (an embassy's
    page, the applicant's existing visa, a call to the consulate). It settles an
    "unknown" verdict or overrides the computed one; the audit log keeps both."""
    now = now or timezone.now()
    source = (source or "").strip()
    if verdict not in {"feasible", "at_risk", "not_feasible"}:
        raise FundError(_("Choose the verdict of your check."))
    if not source:
        raise FundError(_("Say where the answer comes from: it is kept with the check."))
    with transaction.atomic():
        application = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
        _refuse_own(application, actor)
        if application.status not in S.IN_PLAY:
            raise FundError(_("This application is no longer in play."))
        before = application.verdict
        application.visa_check_verdict = verdict
        application.visa_check_source = source[:500]
        application.visa_checked_by = actor
        application.visa_checked_at = now
        application.verdict = verdict
        application.save(
            update_fields=[
                "visa_check_verdict", "visa_check_source", "visa_checked_by",
                "visa_checked_at", "verdict",
            ]
        )  # fmt: skip
        _log(
            actor=actor,
            verb=Verb.VISA_CHECKED,
            application=application,
            reason=source,
            before={"verdict": before},
            after={"verdict": verdict},
            computed=(application.verdict_details or {}).get("computed", before),
        )
    return application


def allow_few_reviews(*, application, actor, reason):
    """Let the proposal include `application` although it has fewer reviews than the round
    needs: an executor's call, with the reason recorded in the audit log."""
    reason = (reason or "").strip()
    if not reason:
        raise FundError(_("Say why it may be proposed with fewer reviews."))
    if application.status != S.SUBMITTED:
        raise FundError(_("Only an application waiting for a decision can be allowed in."))
    _refuse_own(application, actor)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        application.few_reviews_reason = reason[:500]
        application.save(update_fields=["few_reviews_reason", "updated_at"])
        _log(actor=actor, verb=Verb.FEW_REVIEWS_ALLOWED, application=application, reason=reason)
    return application


def stage_decision(*, application, outcome, actor, items=None, reason=""):
    """Stage (not yet send) a decision. `items` maps categories to amounts in the round currency."""
    if application.status != S.SUBMITTED:
        raise FundError(_("Decisions are staged for submitted applications only."))
    _refuse_own(application, actor)
    if hasattr(application, "decision") and application.decision.released_at:
        raise FundError(_("This decision has already been released."))
    items = {k: int(v) for k, v in (items or {}).items() if v}
    if outcome == Decision.Outcome.AWARD:
        # The stored verdict, not the caller's copy: a check may have changed it.
        verdict = Application.objects.values_list("verdict", flat=True).get(pk=application.pk)
        if verdict == "not_feasible":
            raise FundError(
                _(
                    "The visa check says this trip is not feasible, and nobody is approved for "
                    "a trip they cannot make. If you know better (for example, the applicant "
                    "already holds a valid visa), record a visa check with its source first."
                )
            )
        if not items:
            raise FundError(_("An award needs at least one amount."))
        not_covered = set(items) - set(application.round.covered)
        if not_covered:
            raise FundError(
                _("This round does not cover: %(items)s.")
                % {"items": ", ".join(sorted(not_covered))}
            )
        _check_caps(application, sum(items.values()))
    with transaction.atomic():
        Decision.objects.filter(application=application).delete()
        decision = Decision.objects.create(
            application=application, outcome=outcome, reason=reason, staged_by=actor
        )
        AwardItem.objects.bulk_create(
            AwardItem(decision=decision, category=category, amount=amount)
            for category, amount in items.items()
        )
        _log(
            actor=actor,
            verb=Verb.DECISION_STAGED,
            application=application,
            reason=reason,
            after={"outcome": outcome, "items": items},
        )
    return decision


def _check_caps(application, total):
    """Refuse an award or booking that takes `application` to `total` (round currency)
    above the round's cap per person or per person per calendar year of the trip."""
    round = application.round
    if round.cap_per_person and total > round.cap_per_person:
        raise FundError(
            _("This is above the round's cap per person (%(cap)s). Nothing was recorded.")
            % {"cap": money.display(round.cap_per_person, round.currency)}
        )
    if round.cap_per_year and application.event_id and application.applicant_id:
        year = application.event.starts_on.year
        held = selectors.year_committed(
            applicant=application.applicant, year=year, currency=round.currency, exclude=application
        )
        if held + total > round.cap_per_year:
            raise FundError(
                _(
                    "This person already holds %(held)s in awards for trips in %(year)s; with this "
                    "they would pass the cap per person per year (%(cap)s). Nothing was recorded."
                )
                % {
                    "held": money.display(held, round.currency),
                    "year": year,
                    "cap": money.display(round.cap_per_year, round.currency),
                }
            )


def stage_proposal(*, round, actor, max_per_country=None):
    """Stage the allocation proposal: awards (at the applicants' estimates) for the chosen
    applications, the waiting list for the other scored ones. Decisions already staged are
    kept. Returns how many were staged."""
    with transaction.atomic():
        round = _lock_round(round)
        proposal, _left = selectors.allocation_proposal(
            round, actor, max_per_country=max_per_country
        )
        chosen = set(proposal.chosen)
        undecided = (
            selectors.awaiting_decision(round, actor)
            .filter(decision__isnull=True)
            .select_related("round", "applicant")
            .prefetch_related("costs", "round__rates")
        )
        count = 0
        for application in undecided:
            if application.pk in chosen:
                stage_decision(
                    application=application,
                    outcome=Decision.Outcome.AWARD,
                    items=selectors.default_award_items(application),
                    actor=actor,
                )
            elif application.score is not None:
                stage_decision(
                    application=application, outcome=Decision.Outcome.WAITLIST, actor=actor
                )
            else:
                continue
            count += 1
    return count


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
        verb=Verb.OFFERED,
        amount=total,
    )
    _sync_ledger(application, actor)
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
        mine = [d for d in staged if d.application.applicant_id == actor.pk]
        conflicted = Conflict.objects.filter(
            reviewer=actor, application__in=[d.application_id for d in staged]
        ).exists()
        if mine or conflicted:
            raise FundError(
                _(
                    "Your own application, or one you declared a conflict on, is among the "
                    "staged decisions: another executor must release them. Nothing was released."
                )
            )
        unresolved = selectors.visa_unresolved(staged)
        if unresolved:
            raise FundError(
                _(
                    "The visa check of these awards is not settled: %(numbers)s. Record a visa "
                    "check with its source on each (or import wait times), or change the "
                    "decision. Nothing was released."
                )
                % {"numbers": ", ".join(f"#{d.application_id}" for d in unresolved)}
            )
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
                verb=Verb.WAITLISTED,
            )
        for decision in staged:
            if decision.outcome == Decision.Outcome.DECLINE:
                _transition(
                    decision.application,
                    allowed={S.SUBMITTED},
                    to=S.DECLINED,
                    actor=actor,
                    verb=Verb.DECLINED,
                )
        _log(actor=actor, verb=Verb.DECISIONS_RELEASED, round=round, count=len(staged))
        transaction.on_commit(lambda: notifications.decisions_released(staged))
    return staged


def reply_to_offer(*, application, actor, accept, passport_name="", now=None):
    """Accept or decline an offered award. On acceptance, `passport_name` (the name exactly
    as in the passport) is kept for the funding letter, which is issued there and then;
    without it the letter waits until the name is given (`give_passport_name`)."""
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
                verb=Verb.OFFER_ACCEPTED,
            )
            _sync_ledger(application, actor)
            passport_name = _clean_passport_name(passport_name)
            if passport_name:
                application.passport_name = passport_name
                application.save(update_fields=["passport_name", "updated_at"])
                _issue_letter(application, actor=actor, now=now)
            return None
        _transition(
            application,
            allowed={S.OFFERED},
            to=S.OFFER_DECLINED,
            actor=actor,
            verb=Verb.OFFER_DECLINED,
        )
        # Its money released before the waiting list moves up into it. The round is locked
        # first, then its pool in the ledger, as everywhere (the other order could deadlock).
        _lock_round(application.round)
        _sync_ledger(application, actor)
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
                # Its own row only: the round is locked above (no key), and a FOR UPDATE
                # on it here could deadlock with a reply holding the round's pool.
                Application.objects.select_for_update(of=("self",))
                .select_related("round")
                .filter(pk=pk, status=S.OFFERED, decision__offer_deadline__lt=now)
                .first()
            )
            if application is None:
                continue  # accepted, declined or lapsed meanwhile
            _transition(
                application, allowed={S.OFFERED}, to=S.LAPSED, actor=None, verb=Verb.OFFER_LAPSED
            )
            _sync_ledger(application, None)
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
            if decision.application.verdict not in selectors.RELEASABLE_VERDICTS:
                continue  # never offered while its visa check is unsettled or negative
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


def rate_for(round, currency):
    """The round's rate for `currency`: 1 for its own currency, else the treasurer's."""
    if currency == round.currency:
        return Decimal(1)
    rate = ExchangeRate.objects.filter(round=round, currency=currency).first()
    if rate is None:
        raise FundError(
            _(
                "This round has no exchange rate for %(currency)s yet: set it on the round's "
                "money page first. Nothing was recorded."
            )
            % {"currency": currency}
        )
    return rate.rate


def add_booking(
    *,
    application,
    actor,
    category,
    vendor,
    amount,
    currency,
    reference="",
    description="",
    starts_at=None,
    refundable=False,
    status=Booking.Status.PLANNED,
):
    """Record something BPD pays directly, converted at the round's rate for its currency.
    Never takes the round over its budget, nor the traveller over the round's caps."""
    if application.status not in S.TRAVELLING:
        raise FundError(_("Bookings are made for accepted awards only."))
    _refuse_own(application, actor)
    if amount < 0:
        raise FundError(_("A booking's cost cannot be negative."))
    if status in Booking.Status.CLOSED:
        # Cancelled or refunded only through `set_booking_status`, which records the refund
        # and the loss; a booking born cancelled would have neither.
        raise FundError(
            _("Record the booking first, then cancel it, so its refund and loss are recorded.")
        )
    rate = rate_for(application.round, currency)
    in_round = money.convert(amount, currency, rate, application.round.currency)
    with transaction.atomic():
        round = _lock_round(application.round)
        figures = selectors.round_money(round)
        mine = selectors.application_money(application)
        if in_round > figures.headroom + mine.headroom:
            raise FundError(
                _("This booking would take the round over its budget. Nothing was recorded.")
            )
        _check_caps(application, max(mine.award, mine.used + in_round))
        booking = Booking.objects.create(
            application=application,
            category=category,
            vendor=vendor,
            reference=reference,
            description=description,
            starts_at=starts_at,
            amount=amount,
            currency=currency,
            rate=rate,
            amount_in_round_currency=in_round,
            refundable=refundable,
            status=status,
        )
        _sync_ledger(application, actor)
        _log(
            actor=actor,
            verb=Verb.BOOKING_ADDED,
            application=application,
            after={"status": status, "amount": in_round},
            booking=booking.pk,
        )
    return booking


def _refund_within_cost(booking, amount):
    """`amount` (round currency, minor units) if it is a refund this booking can bring back:
    from nothing to its whole price. Anything else is refused, never trimmed to fit."""
    if amount < 0:
        raise FundError(_("A refund cannot be negative. Nothing was recorded."))
    if amount > booking.amount_in_round_currency:
        raise FundError(
            _("A refund cannot be more than the booking cost (%(cost)s). Nothing was recorded.")
            % {
                "cost": money.display(
                    booking.amount_in_round_currency, booking.application.round.currency
                )
            }
        )
    return amount


def _money_state(booking):
    return {
        "status": booking.status,
        "expected_refund": booking.expected_refund,
        "refunded": booking.refunded,
        "loss": booking.loss,
    }


def set_booking_status(*, booking, status, actor, expected_refund=None, refunded=None):
    """Move a booking to one of the statuses it may move to (`Booking.next_statuses`).

    Cancelling a paid booking records the refund expected (`expected_refund`; by default its
    whole price if it is refundable, else nothing) and, provisionally, the loss: the price less
    that refund. "Refunded" records the refund actually received (`refunded`, required) and the
    final loss: the price less what came back. A booking cancelled before it was paid loses
    nothing and has no refund. Amounts are in the round's currency (minor units), from nothing
    to the booking's price; anything else is refused and nothing is written.
    """
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("application__round")
            .get(pk=booking.pk)
        )
        _refuse_own(booking.application, actor)
        if status not in {s for s, __ in booking.next_statuses()}:
            raise FundError(
                _("A booking cannot go from “%(a)s” to “%(b)s”.")
                % {"a": booking.get_status_display(), "b": Booking.Status(status).label}
            )
        paid_and_cancelled = status == Booking.Status.CANCELLED and booking.was_paid
        if (expected_refund and not paid_and_cancelled) or (
            refunded and status != Booking.Status.REFUNDED
        ):
            # Never dropped in silence: the treasurer would believe it recorded.
            raise FundError(
                _(
                    "Nothing was paid for this booking, so there is no refund to record. "
                    "Nothing was recorded."
                )
                if not booking.was_paid
                else _(
                    "A refund is recorded only when a paid booking is cancelled (the refund "
                    "expected) or marked refunded (the refund received). Nothing was recorded."
                )
            )
        before = _money_state(booking)
        price = booking.amount_in_round_currency
        if paid_and_cancelled:
            if expected_refund is None:
                expected_refund = price if booking.refundable else 0
            booking.expected_refund = _refund_within_cost(booking, expected_refund)
            booking.loss = price - booking.expected_refund
        elif status == Booking.Status.REFUNDED:
            if refunded is None:
                raise FundError(_("Enter the refund received. Nothing was recorded."))
            booking.refunded = _refund_within_cost(booking, refunded)
            booking.loss = price - booking.refunded
        booking.status = status
        booking.save(update_fields=["status", "expected_refund", "refunded", "loss"])
        _sync_ledger(booking.application, actor)
        _log(
            actor=actor,
            verb=Verb.BOOKING_STATUS,
            application=booking.application,
            before=before,
            after=_money_state(booking),
            booking=booking.pk,
            currency=booking.application.round.currency,
        )
    return booking


def cancel_after_refusal(*, application, actor, expected_refunds=None):
    """After a refused visa: cancel every open booking, all or none.

    `expected_refunds` maps the ids of paid bookings to the refund expected (round currency,
    minor units; by default a refundable booking's whole price, else nothing): each is then
    awaited, its loss provisional until the refund is recorded as received. A booking not yet
    paid is cancelled at no loss.
    """
    if application.visa_decision != "refused":
        raise FundError(_("Bookings are cancelled this way only after a refused visa."))
    expected_refunds = expected_refunds or {}
    with transaction.atomic():
        for booking in application.bookings.filter(status__in=Booking.Status.OPEN):
            set_booking_status(
                booking=booking,
                status=Booking.Status.CANCELLED,
                actor=actor,
                expected_refund=expected_refunds.get(booking.pk),
            )


def record_out_of_pocket(*, application, actor, description, amount, currency):
    """Something the traveller had to pay themselves: a problem to put right."""
    if application.status not in S.TRAVELLING:
        raise FundError(_("Out-of-pocket costs are recorded for accepted awards only."))
    _refuse_own(application, actor)
    with transaction.atomic():
        item = OutOfPocket.objects.create(
            application=application, description=description, amount=amount, currency=currency
        )
        _log(
            actor=actor,
            verb=Verb.OUT_OF_POCKET_RECORDED,
            application=application,
            after={"amount": amount, "currency": currency},
            item=item.pk,
        )
    return item


def settle_out_of_pocket(*, item, actor, now=None):
    """The traveller has been paid back."""
    with transaction.atomic():
        item = (
            OutOfPocket.objects.select_for_update(of=("self",))
            .select_related("application__round")
            .get(pk=item.pk)
        )
        if item.settled_at:
            raise FundError(_("This cost was already paid back."))
        _refuse_own(item.application, actor)
        item.settled_at = now or timezone.now()
        item.save(update_fields=["settled_at"])
        _sync_ledger(item.application, actor)
        _log(
            actor=actor,
            verb=Verb.OUT_OF_POCKET_SETTLED,
            application=item.application,
            item=item.pk,
        )
    return item


def record_visa_outcome(*, application, actor, appointment_date=None, decision=""):
    if application.status != S.ACCEPTED:
        raise FundError(_("Visa details are recorded once an award is accepted."))
    with transaction.atomic():
        before = {"visa_decision": application.visa_decision}
        application.appointment_date = appointment_date
        application.visa_decision = decision
        application.save(update_fields=["appointment_date", "visa_decision", "updated_at"])
        _log(
            actor=actor,
            verb=Verb.VISA_OUTCOME,
            application=application,
            before=before,
            after={"visa_decision": decision},
        )


def submit_report(*, application, actor, summary, brought_back, people_reached=0):
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status != S.ACCEPTED:
            raise FundError(_("A trip report is written after an accepted award."))
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
            verb=Verb.REPORT_SUBMITTED,
        )


# Trip-report reminders: weeks after the event's last day, and how many were sent before.
REPORT_REMINDERS = ((7, 0), (21, 1))


def remind_trip_reports(*, today=None):
    """Remind travellers who have not written their trip report, one and three weeks after
    the event ended (not those whose visa was refused: they did not travel). Each reminder
    is claimed with a conditional update, so two workers never send it twice."""
    today = today or timezone.localdate()
    sent = []
    for days, before in REPORT_REMINDERS:
        due = Application.objects.filter(
            status=S.ACCEPTED,
            report_reminders_sent=before,
            event__ends_on__lte=today - dt.timedelta(days=days),
        ).exclude(visa_decision="refused")
        for pk in due.values_list("pk", flat=True):
            claimed = Application.objects.filter(pk=pk, report_reminders_sent=before).update(
                report_reminders_sent=before + 1
            )
            if claimed:
                application = Application.objects.select_related("event", "applicant").get(pk=pk)
                transaction.on_commit(
                    lambda a=application, n=before + 1: notifications.report_reminder(a, n)
                )
                sent.append(pk)
    return sent


def import_wait_times(*, actor, content, kind, destination, as_of, source):
    """Load a file of consulate wait times, then refresh every live visa verdict.
    Raises `waittimes.WaitTimeError` (with the problems per line) and writes nothing on
    a bad file."""
    with transaction.atomic():
        batch = imports.import_wait_times(
            content=content,
            kind=kind,
            destination=destination,
            as_of=as_of,
            source=source,
            imported_by=actor,
        )
        refreshed = refresh_verdicts()
        audit.log(
            actor=actor,
            verb=Verb.WAIT_TIMES_IMPORTED,
            subject=batch,
            after={"rows": batch.waits.count(), "refreshed": refreshed},
        )
    return batch, refreshed


def refresh_verdicts(*, today=None):
    """Recompute the visa verdict of every application still in play (after new data)."""
    today = today or timezone.now().date()
    live = Application.objects.filter(status__in=S.IN_PLAY).select_related("event", "origin_city")
    count = 0
    for application in live:
        feasibility.refresh(application, today=today)
        count += 1
    return count


# Funding letters -----------------------------------------------------------

PASSPORT_NAME_LIMIT = Application._meta.get_field("passport_name").max_length
# References: "BLOF-", the round's short name, "-", then a random token that makes them
# unguessable (50 bits: a reference cannot be found by trying).
REFERENCE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"  # base32, no 0/O or 1/I to confuse
REFERENCE_TOKEN_LENGTH = 10


def _clean_passport_name(value):
    """The name with its spaces tidied (a passport has no double spaces), or ""."""
    return " ".join((value or "").split())[:PASSPORT_NAME_LIMIT]


def _new_reference(round):
    limit = FundingLetter._meta.get_field("reference").max_length
    room = limit - len("BLOF--") - REFERENCE_TOKEN_LENGTH
    slug = round.slug.upper()[:room].strip("-_")
    token = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_TOKEN_LENGTH))
    return f"BLOF-{slug}-{token}"


def _issue_letter(application, *, actor, now, verb=Verb.LETTER_ISSUED, before=None):
    name, title = letters.signatory(application.round)
    letter = FundingLetter.objects.create(
        application=application,
        reference=_new_reference(application.round),
        issued_at=now,
        issued_by=actor,
        signatory_name=name,
        signatory_title=title,
    )
    _log(
        actor=actor,
        verb=verb,
        application=application,
        before=before,
        after={"reference": letter.reference},
    )
    return letter


def _lock_for_letter(application):
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("round__signatory__profile")
        .get(pk=application.pk)
    )
    if application.status not in S.TRAVELLING:
        raise FundError(_("A funding letter is issued for an accepted award only."))
    return application


def give_passport_name(*, application, actor, passport_name, now=None):
    """The applicant's name exactly as in their passport, given once after accepting (for
    those who accepted before it was asked for); their funding letter is issued with it."""
    now = now or timezone.now()
    passport_name = _clean_passport_name(passport_name)
    if not passport_name:
        raise FundError(_("Enter your name exactly as in your passport."))
    with transaction.atomic():
        application = _lock_for_letter(application)
        if application.applicant_id != actor.pk:
            raise FundError(_("Only the applicant gives the name in their passport."))
        if application.passport_name:
            raise FundError(
                _(
                    "Your name as in your passport is already recorded. To correct it, write to the Fund."
                )
            )
        application.passport_name = passport_name
        application.save(update_fields=["passport_name", "updated_at"])
        _log(actor=actor, verb=Verb.PASSPORT_NAME_GIVEN, application=application)
        # A letter staff issued before the name was known printed the display name: it is
        # replaced, so that no reference confirms a name other than the passport's.
        _replace_letter(application, actor=actor, now=now)
    return application


def issue_letter(*, application, actor, now=None):
    """The application's funding letter in force, issued now if it has none (signed by the
    round's signatory as of now). Issuing again is `reissue_letter`."""
    now = now or timezone.now()
    with transaction.atomic():
        application = _lock_for_letter(application)
        if application.applicant_id != actor.pk:
            _refuse_own(application, actor)
        return selectors.current_letter(application) or _issue_letter(
            application, actor=actor, now=now
        )


def reissue_letter(*, application, actor, now=None):
    """Replace the letter in force with a new one (a new reference, the round's signatory
    as of now): the old reference then says, when checked, that it was superseded. The
    Fund's staff do this, never for their own application."""
    now = now or timezone.now()
    with transaction.atomic():
        application = _lock_for_letter(application)
        _refuse_own(application, actor)
        return _replace_letter(application, actor=actor, now=now)


def _replace_letter(application, *, actor, now):
    """Supersede the letter in force, if any, and issue a new one (the caller holds the lock)."""
    current = selectors.current_letter(application)
    if current is None:
        return _issue_letter(application, actor=actor, now=now)
    current.superseded_at = now
    current.save(update_fields=["superseded_at"])
    return _issue_letter(
        application,
        actor=actor,
        now=now,
        verb=Verb.LETTER_REISSUED,
        before={"reference": current.reference},
    )
