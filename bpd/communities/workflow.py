"""A sponsorship request's life as named transitions: where each may start, where it
ends, who may take it and whether it needs a comment. `move` is the one place a
request's status changes; services call it inside their own transaction and add what
the step does besides (money in the ledger, emails, the draw)."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bpd.audit import services as audit
from bpd.audit.verbs import Verb
from bpd.communities.models import Community, SponsorshipRequest, Transition
from bpd.members.roles import is_executor, is_treasurer

S = SponsorshipRequest.Status


class WorkflowError(Exception):
    """A transition refused; the message is for the person who tried it."""


def _leader(user, request):
    return Community.objects.led_by(user).filter(pk=request.community_id).exists()


def _executor(user, request):
    return is_executor(user)


def _treasurer(user, request):
    return is_treasurer(user)


def _leader_or_executor(user, request):
    return is_executor(user) or _leader(user, request)


@dataclass(frozen=True)
class Step:
    name: str
    label: object
    sources: tuple
    target: str
    allowed: object  # (user, request) -> bool
    comment_required: bool = False


STEPS = {
    step.name: step
    for step in (
        Step(
            "submit", gettext_lazy("Submit"), (S.DRAFT, S.CHANGES_REQUESTED), S.SUBMITTED, _leader
        ),
        Step(
            "request_changes",
            gettext_lazy("Ask for changes"),
            (S.SUBMITTED,),
            S.CHANGES_REQUESTED,
            _executor,
            comment_required=True,
        ),
        Step("approve", gettext_lazy("Approve"), (S.SUBMITTED,), S.APPROVED, _executor),
        Step(
            "decline",
            gettext_lazy("Decline"),
            (S.SUBMITTED, S.CHANGES_REQUESTED),
            S.DECLINED,
            _executor,
            comment_required=True,
        ),
        Step("pay", gettext_lazy("Record the payment"), (S.APPROVED,), S.PAID, _treasurer),
        Step(
            "issue_tickets",
            gettext_lazy("Mark the tickets issued"),
            (S.PAID,),
            S.TICKETS_ISSUED,
            _leader_or_executor,
        ),
        Step(
            "complete",
            gettext_lazy("Complete with the report"),
            (S.TICKETS_ISSUED,),
            S.COMPLETED,
            _leader_or_executor,
        ),
        Step(
            "withdraw",
            gettext_lazy("Withdraw"),
            (S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED, S.APPROVED),
            S.WITHDRAWN,
            _leader,
        ),
        Step(
            "cancel",
            gettext_lazy("Cancel the sponsorship"),
            (S.APPROVED, S.PAID, S.TICKETS_ISSUED),
            S.CANCELLED,
            _executor,
            comment_required=True,
        ),
    )
}


def available(request, user):
    """The steps `user` may take on `request` now, in the order of STEPS."""
    return [
        step
        for step in STEPS.values()
        if request.status in step.sources and step.allowed(user, request)
    ]


def move(request, name, *, by, comment="", now=None):
    """Take step `name`: check it, change the status, keep a Transition and an audit
    entry. The caller holds the request's row lock (select_for_update) and the
    transaction; `request` is the locked instance. Returns the Transition."""
    step = STEPS.get(name)
    if step is None:
        raise WorkflowError(_("That is not something a request can do."))
    if request.status not in step.sources:
        raise WorkflowError(
            _("A request that is “%(status)s” cannot do this.")
            % {"status": request.get_status_display()}
        )
    if not step.allowed(by, request):
        raise WorkflowError(_("You cannot do this for this request."))
    comment = (comment or "").strip()
    if step.comment_required and not comment:
        raise WorkflowError(_("Say why: the community will read it."))
    before = request.status
    request.status = step.target
    request.save(update_fields=["status", "updated_at"])
    entry = Transition.objects.create(
        request=request,
        name=name,
        from_status=before,
        to_status=step.target,
        by=by,
        comment=comment,
        at=now or timezone.now(),
    )
    audit.log(
        actor=by,
        verb=Verb.REQUEST_TRANSITION,
        subject=request,
        parent=request.community,
        before={"status": before},
        after={"status": step.target},
        reason=comment,
        step=name,
    )
    return entry
