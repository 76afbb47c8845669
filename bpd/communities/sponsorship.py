"""Sponsorship requests: what a leader and an executor do to one, as services.

Each function takes keyword arguments, runs in one transaction, locks the request's row
first (two executors deciding at once are taken one after the other), and moves its
status only through `workflow.move`, which checks the step and writes the Transition and
the audit entry. Money is committed in and released from the ledger in the same
transaction, so a refusal there (the pool is spent) leaves nothing written. Emails go
after the commit, each in its reader's language.

The policy is versioned the same way: `change_policy` always writes a new version."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bpd.audit import services as audit
from bpd.audit.verbs import Verb
from bpd.communities import policy as rules
from bpd.communities import workflow
from bpd.communities.models import Community, Policy, RegionPool, SponsorshipRequest
from bpd.communities.workflow import WorkflowError
from bpd.ledger import services as ledger
from bpd.ledger.models import Entry, Pool, Programme
from bpd.members import mail, regions
from bpd.members.roles import Role

S = SponsorshipRequest.Status
EDITABLE = (S.DRAFT, S.CHANGES_REQUESTED)
# What a leader fills in; `save_draft` writes these and nothing else.
FIELDS = (
    "event", "conference", "title", "starts_on", "ends_on", "venue", "city",
    "expected_attendance", "ticket_price", "ticket_currency", "tickets_requested", "amount",
    "organiser_name", "organiser_contact", "organiser_details", "distribution", "report_plan",
)  # fmt: skip
# The policy's values a new version takes from the form (the currency stays: the pools
# are kept in it).
POLICY_FIELDS = (
    "min_lead_days", "lead_time_hard", "max_per_event", "per_event_hard", "max_per_attendee",
    "per_attendee_hard", "max_per_ticket", "per_ticket_hard", "max_per_community_year",
    "per_community_hard", "pool_total",
)  # fmt: skip


class SponsorshipError(Exception):
    """A request refused; the message is for the person who tried."""


# What a page catches from these services.
REFUSED = (SponsorshipError, WorkflowError)


# --- Reading the policy ------------------------------------------------------------------


def current_policy():
    """The newest version, or the defaults (version 1, not saved yet) when none was saved:
    for pages, which must not write. Services use `Policy.current()`, which saves it."""
    return Policy.objects.order_by("-version").first() or Policy(version=1)


# --- Helpers ----------------------------------------------------------------------------


def _locked(request):
    return (
        # Only the request's own row: locking the community and city too deadlocked
        # against a payment on PostgreSQL.
        SponsorshipRequest.objects.select_for_update(of=("self",), no_key=True)
        .select_related("community", "city")
        .get(pk=request.pk)
    )


def _may(request, name, by):
    """Refuse early, with workflow's own words, a step `by` may not take now."""
    step = workflow.STEPS[name]
    if request.status not in step.sources:
        raise WorkflowError(
            _("A request that is “%(status)s” cannot do this.")
            % {"status": request.get_status_display()}
        )
    if not step.allowed(by, request):
        raise WorkflowError(_("You cannot do this for this request."))


def _today(today):
    return today or timezone.localdate()


def leaders_of(community):
    return get_user_model().objects.filter(leaderships__community=community, is_active=True)


def executors():
    return get_user_model().objects.filter(groups__name=Role.EXECUTOR, is_active=True).distinct()


def _mail(people, name, request, **context):
    """Email each of `people` once the transaction commits."""
    people = list(people)
    payload = {"sponsorship": request, "community": request.community, **context}

    def send():
        for person in people:
            mail.send(person, f"communities/email/{name}", payload)

    transaction.on_commit(send)


# --- The leader's side -----------------------------------------------------------------


def save_draft(*, request=None, community, by, data):
    """Create a draft for `community` (request None) or change a draft, or a request sent
    back for changes. `data` holds FIELDS. Returns the request."""
    with transaction.atomic():
        if not Community.objects.led_by(by).filter(pk=community.pk).exists():
            raise SponsorshipError(_("Only a leader of this community can ask for sponsorship."))
        if community.status != Community.Status.ACTIVE:
            raise SponsorshipError(_("Only an active community can ask for sponsorship."))
        created = request is None
        if created:
            request = SponsorshipRequest(community=community, created_by=by)
        else:
            request = _locked(request)
            if request.community_id != community.pk:
                raise SponsorshipError(_("This request belongs to another community."))
            if request.status not in EDITABLE:
                raise SponsorshipError(
                    _("Only a draft, or a request sent back for changes, can be changed.")
                )
        before = {} if created else _fields(request)
        for name in FIELDS:
            setattr(request, name, data[name])
        request.country = request.city.country
        if request.ends_on < request.starts_on:
            raise SponsorshipError(_("The last day cannot come before the first."))
        if min(request.amount, request.ticket_price) < 0:
            raise SponsorshipError(_("An amount cannot be negative."))
        request.save()
        after = _fields(request)
        changed = [name for name in after if after[name] != before.get(name)]
        if changed:
            audit.log(
                actor=by,
                verb=Verb.REQUEST_SAVED,
                subject=request,
                parent=community,
                before={name: before[name] for name in changed if name in before},
                after={name: after[name] for name in changed},
                status=request.status,
            )
        return request


def _fields(request):
    """What the audit log compares when a request is written (ids for linked rows, dates
    as text)."""
    values = {}
    for name in FIELDS:
        value = getattr(request, f"{name}_id" if name in {"event", "conference", "city"} else name)
        values[name] = value.isoformat() if isinstance(value, dt.date) else value
    return values


def checks_for(request, *, today=None, policy=None, approved=False):
    """The rules as they stand now for a saved request (its own approval left out);
    `approved`: for what was approved rather than what was asked."""
    policy = policy or current_policy()
    data = request
    if approved and request.amount_approved is not None:
        data = {
            "starts_on": request.starts_on,
            "amount": request.amount_approved,
            "expected_attendance": request.expected_attendance,
            "tickets_requested": request.tickets_approved or request.tickets_requested,
            "country": request.country,
        }
    return rules.check(
        data, policy=policy, community=request.community, today=_today(today), exclude=request
    )


def submit(*, request, by, justification="", today=None, now=None):
    """Send the request to executors. Refused while a hard rule fails, and without a
    justification while a soft one does; the policy version and the checks are kept."""
    with transaction.atomic():
        request = _locked(request)
        _may(request, "submit", by)
        policy = Policy.current()
        checks = checks_for(request, today=today, policy=policy)
        hard = rules.hard_failures(checks)
        if hard:
            raise SponsorshipError(
                _(
                    "This request breaks a rule that cannot be set aside: %(rules)s. Change it first."
                )
                % {"rules": ", ".join(c.label for c in hard)}
            )
        justification = (justification or "").strip()
        if rules.soft_failures(checks) and not justification:
            raise SponsorshipError(
                _("This request goes beyond a rule: say why it should go ahead all the same.")
            )
        request.justification = justification
        request.submitted_policy = policy
        request.submitted_checks = [c.stored() for c in checks]
        request.submitted_at = now or timezone.now()
        request.save(
            update_fields=[
                "justification", "submitted_policy", "submitted_checks", "submitted_at",
                "updated_at",
            ]
        )  # fmt: skip
        workflow.move(request, "submit", by=by, now=now)
        _mail(executors(), "request_submitted", request)
        return request


def withdraw(*, request, by, comment="", now=None):
    """The leader takes the request back; after approval its commitment is released."""
    with transaction.atomic():
        request = _locked(request)
        _may(request, "withdraw", by)
        was_approved = request.status == S.APPROVED
        workflow.move(request, "withdraw", by=by, comment=comment, now=now)
        if was_approved:
            _release(request, by=by, note=_("Withdrawn by the community"))
        return request


def complete(*, request, by, report, tickets_used, now=None):
    """Close a sponsorship whose tickets were issued, with the community's report and the
    number of tickets used."""
    with transaction.atomic():
        request = _locked(request)
        _may(request, "complete", by)
        report = (report or "").strip()
        if not report:
            raise SponsorshipError(_("Write the report: what happened, and who came."))
        funded = request.tickets_approved or request.tickets_requested
        if tickets_used is None or not 0 <= tickets_used <= funded:
            raise SponsorshipError(
                _("Tickets used must be between 0 and the %(funded)s tickets funded.")
                % {"funded": funded}
            )
        request.outcome_report = report
        request.tickets_used = tickets_used
        request.save(update_fields=["outcome_report", "tickets_used", "updated_at"])
        workflow.move(request, "complete", by=by, now=now)
        return request


# --- The executor's side -----------------------------------------------------------------


def request_changes(*, request, by, comment, now=None):
    """Send the request back to the community with what to change (comment required)."""
    return _decide(request, "request_changes", by, comment, "request_changes", now)


def decline(*, request, by, comment, now=None):
    """Decline the request, saying why (comment required)."""
    with transaction.atomic():
        request = _locked(request)
        _may(request, "decline", by)
        request.decided_by = by
        request.decided_at = now or timezone.now()
        request.decided_policy = Policy.current()
        request.save(update_fields=["decided_by", "decided_at", "decided_policy", "updated_at"])
        workflow.move(request, "decline", by=by, comment=comment, now=now)
        _mail(leaders_of(request.community), "request_declined", request, comment=comment.strip())
        return request


def _decide(request, name, by, comment, mail_name, now):
    with transaction.atomic():
        request = _locked(request)
        _may(request, name, by)
        workflow.move(request, name, by=by, comment=comment, now=now)
        _mail(leaders_of(request.community), mail_name, request, comment=(comment or "").strip())
        return request


def approve(
    *,
    request,
    by,
    amount_approved,
    tickets_approved,
    override_reason="",
    comment="",
    today=None,
    now=None,
):
    """Approve `request` for `amount_approved` (minor units of the policy's currency, at
    most what was asked) and `tickets_approved`, under the current policy version, and
    commit the money in the year's pool. A rule that fails now needs `override_reason`
    (audited); the pools cannot be overridden: the ledger refuses and nothing is written."""
    with transaction.atomic():
        request = _locked(request)
        _may(request, "approve", by)
        if not 0 < amount_approved <= request.amount:
            raise SponsorshipError(_("Approve more than nothing, and at most the amount asked."))
        if not 0 < tickets_approved <= request.tickets_requested:
            raise SponsorshipError(
                _("Approve at least one ticket, and at most the tickets asked for.")
            )
        policy = Policy.current()
        approved = {
            "starts_on": request.starts_on,
            "amount": amount_approved,
            "expected_attendance": request.expected_attendance,
            "tickets_requested": tickets_approved,
            "country": request.country,
        }
        checks = rules.check(
            approved,
            policy=policy,
            community=request.community,
            today=_today(today),
            exclude=request,
        )
        overridden = [c for c in checks if not c.ok and c.overridable]
        override_reason = (override_reason or "").strip()
        if overridden and not override_reason:
            raise SponsorshipError(
                _("These rules fail now: %(rules)s. Give the reason for approving all the same.")
                % {"rules": ", ".join(c.label for c in overridden)}
            )
        request.amount_approved = amount_approved
        request.tickets_approved = tickets_approved
        request.decided_policy = policy
        request.decided_by = by
        request.decided_at = now or timezone.now()
        request.override_reason = override_reason if overridden else ""
        request.save(
            update_fields=[
                "amount_approved", "tickets_approved", "decided_policy", "decided_by",
                "decided_at", "override_reason", "updated_at",
            ]
        )  # fmt: skip
        workflow.move(request, "approve", by=by, comment=comment, now=now)
        if overridden:
            audit.log(
                actor=by,
                verb=Verb.RULE_OVERRIDDEN,
                subject=request,
                parent=request.community,
                reason=override_reason,
                rules=[c.rule for c in overridden],
                checks=[c.stored() for c in overridden],
                policy=policy.version,
            )
        _commit(request, policy=policy, by=by)
        _mail(
            leaders_of(request.community),
            "request_approved",
            request,
            comment=(comment or "").strip(),
            currency=policy.currency,
        )
        return request


def year_pool(year, policy):
    """The ledger pool of `year`'s sponsorships, made from the policy when missing."""
    return ledger.pool_for(
        programme=Programme.SPONSORSHIP,
        key=rules.pool_key(year),
        name=f"Local community sponsorship {year}",
        year=year,
        currency=policy.currency,
        budget=policy.pool_total,
    )


def _commit(request, *, policy, by):
    year = request.starts_on.year
    pool = year_pool(year, policy)
    if pool.currency != policy.currency:
        raise SponsorshipError(
            _(
                "The %(year)s pool is kept in %(pool)s, the policy in %(policy)s: nothing was recorded."
            )
            % {"year": year, "pool": pool.currency, "policy": policy.currency}
        )
    region = regions.region_code(request.country, "region")
    try:
        ledger.record(
            pool=pool,
            kind=Entry.Kind.COMMITMENT,
            purpose=f"Sponsorship: {request.title} ({request.community.name})",
            amount=request.amount_approved,
            currency=policy.currency,
            source=rules.source_of(request),
            by=by,
            vendor=request.organiser_name,
            country=request.country,
            region_budget=rules.region_pools(policy).get(region),
        )
    except ledger.LedgerError as error:
        raise SponsorshipError(str(error)) from error


def _release(request, *, by, note):
    """Release what is still committed for `request` and was not paid, pool by pool: money
    paid to the organiser stays committed (it is spent) until a refund releases it."""
    paid = ledger.paid_for(rules.source_of(request))
    for pool_id, committed in ledger.committed_for(rules.source_of(request)).items():
        amount = committed - max(paid.get(pool_id, 0), 0)
        if amount <= 0:
            continue
        pool = Pool.objects.get(pk=pool_id)
        try:
            ledger.record(
                pool=pool,
                kind=Entry.Kind.RELEASE,
                purpose=f"Sponsorship released: {request.title} ({request.community.name})",
                amount=amount,
                currency=pool.currency,
                source=rules.source_of(request),
                by=by,
                vendor=request.organiser_name,
                country=request.country,
                note=note[:500],
            )
        except ledger.LedgerError as error:
            raise SponsorshipError(str(error)) from error


def cancel(*, request, by, comment, now=None):
    """Cancel an approved (or paid) sponsorship, saying why; what is still committed for
    it in the ledger and was not paid is released (a refund releases the rest)."""
    with transaction.atomic():
        request = _locked(request)
        _may(request, "cancel", by)
        workflow.move(request, "cancel", by=by, comment=comment, now=now)
        _release(request, by=by, note=comment.strip())
        _mail(leaders_of(request.community), "request_cancelled", request, comment=comment.strip())
        return request


# --- The policy --------------------------------------------------------------------------


def policy_values(policy):
    values = {name: getattr(policy, name) for name in POLICY_FIELDS}
    values["currency"] = policy.currency
    values["region_pools"] = rules.region_pools(policy)
    return values


def change_policy(*, by, data, region_pools, note, today=None):
    """Write a new version of the policy: `data` holds POLICY_FIELDS, `region_pools`
    {M49 region code: amount} (regions left out have no share of their own), `note` what
    changed and why. The pools of this year and later follow its `pool_total`, unless more
    is committed in one than the new total. Returns the new version."""
    note = (note or "").strip()
    if not note:
        raise SponsorshipError(_("Say what changed and why."))
    unknown = set(region_pools) - set(rules.REGIONS)
    if unknown:
        raise SponsorshipError(_("Choose regions from the list."))
    for name in POLICY_FIELDS:
        if not name.endswith("_hard") and data[name] < 0:
            raise SponsorshipError(_("An amount cannot be negative."))
    if any(amount < 0 or amount > data["pool_total"] for amount in region_pools.values()):
        raise SponsorshipError(_("A region's share must be between 0 and the year's pool."))
    try:
        with transaction.atomic():
            latest = Policy.objects.select_for_update().order_by("-version").first()
            policy = Policy.objects.create(
                version=(latest.version if latest else 0) + 1,
                currency=latest.currency if latest else Policy().currency,
                note=note[:500],
                created_by=by,
                **{name: data[name] for name in POLICY_FIELDS},
            )
            RegionPool.objects.bulk_create(
                RegionPool(policy=policy, region=code, amount=amount)
                for code, amount in sorted(region_pools.items())
            )
            audit.log(
                actor=by,
                verb=Verb.POLICY_CHANGED,
                subject=policy,
                before=policy_values(latest) if latest else {},
                after=policy_values(policy),
                reason=note,
                version=policy.version,
            )
            _follow_pools(policy, by=by, today=_today(today))
    except IntegrityError as error:
        raise SponsorshipError(
            _(
                "Someone changed the policy at the same moment. Look at the new version and try again."
            )
        ) from error
    return policy


def _follow_pools(policy, *, by, today: dt.date):
    """The sponsorship pools of this year and later take the new total; refused when one
    already has more committed than that."""
    pools = Pool.objects.select_for_update().filter(
        programme=Programme.SPONSORSHIP, year__gte=today.year, key__startswith="sponsorship:"
    )
    for pool in pools:
        if pool.budget == policy.pool_total:
            continue
        committed = ledger.figures(pool).committed
        if committed > policy.pool_total:
            raise SponsorshipError(
                _(
                    "%(committed)s is already committed in the %(year)s pool: the pool cannot be smaller."
                )
                % {"committed": rules.words(committed, pool.currency), "year": pool.year}
            )
        before = pool.budget
        pool.budget = policy.pool_total
        pool.save(update_fields=["budget"])
        audit.log(
            actor=by,
            verb=Verb.POOL_CHANGED,
            subject=pool,
            before={"budget": before},
            after={"budget": pool.budget},
            reason=_("The sponsorship policy's pool changed (version %(version)s).")
            % {"version": policy.version},
        )
