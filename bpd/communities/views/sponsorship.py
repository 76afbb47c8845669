"""Sponsorship pages: the leader's requests (new, edit, check against the rules, submit,
withdraw, complete), the executors' queue and decisions, the policy, and the public list
of completed sponsorships.

Requests are fetched through `sponsorship_selectors.led_by` (leaders: the communities
they lead) or `reviewable_by` (executors); anything else is a 404. Each POST parses one
form and calls one service; a refusal comes back on the page it was made from."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bpd.communities import policy as rules
from bpd.communities import sponsorship as services
from bpd.communities import sponsorship_selectors as selectors
from bpd.communities import workflow
from bpd.communities.models import Community, Policy, SponsorshipRequest
from bpd.communities.sponsorship_forms import (
    ApproveForm,
    CommentForm,
    CompleteForm,
    PolicyForm,
    RequestForm,
    SubmitForm,
    WithdrawForm,
)
from bpd.members.roles import executor_required, is_executor, role_required
from bpd.website.caching import public_page
from bpd.website.forms import ConfirmForm

S = SponsorshipRequest.Status
PER_PAGE = 50


def _leads_any(user):
    return Community.objects.led_by(user).exists()


leader_required = role_required(_leads_any)


def _own(request, pk):
    """A request of a community this leader leads (404 otherwise)."""
    return get_object_or_404(
        selectors.led_by(request.user).select_related("community", "city", "submitted_policy"),
        pk=pk,
    )


def _reviewed(request, pk):
    return get_object_or_404(
        selectors.reviewable_by(request.user).select_related(
            "community", "city", "submitted_policy", "decided_policy", "event", "conference"
        ),
        pk=pk,
    )


def _attempt(request, act, done):
    """Run a service; a refusal becomes a message. True when it went through."""
    try:
        act()
    except services.REFUSED as error:
        messages.error(request, str(error))
        return False
    messages.success(request, done)
    return True


# --- The leader's pages --------------------------------------------------------------------


@leader_required
def mine(request):
    communities = list(
        Community.objects.led_by(request.user).filter(status=Community.Status.ACTIVE)
    )
    page = Paginator(selectors.for_leader(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "communities/sponsorship/mine.html",
        {"communities": communities, "page_obj": page, "policy": services.current_policy()},
    )


def _form_page(request, *, community, sponsorship=None):
    """New and edit: "Save the draft" saves; "Check against the rules" shows the checks
    for the answers as typed, saving nothing."""
    policy = services.current_policy()
    form = RequestForm(
        request.POST or None, community=community, policy=policy, sponsorship=sponsorship
    )
    checks = None
    if request.method == "POST" and form.is_valid():
        if "check" in request.POST:
            checks = rules.check(
                form.check_data(),
                policy=policy,
                community=community,
                today=timezone.localdate(),
                exclude=sponsorship,
            )
        else:
            try:
                saved = services.save_draft(
                    request=sponsorship, community=community, by=request.user,
                    data=form.data_for_service(),
                )  # fmt: skip
            except services.REFUSED as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, _("Draft saved. Check it against the rules, then send it.")
                )
                return redirect("communities:sponsorship_request", saved.pk)
    context = {
        "form": form,
        "community": community,
        "sponsorship": sponsorship,
        "checks": checks,
        "policy": policy,
    }
    return render(request, "communities/sponsorship/edit.html", context)


@leader_required
def new(request):
    """The form for the one community the leader leads, or which of theirs to ask for."""
    communities = list(
        Community.objects.led_by(request.user).filter(status=Community.Status.ACTIVE)
    )
    if len(communities) == 1:
        return _form_page(request, community=communities[0])
    return render(request, "communities/sponsorship/pick.html", {"communities": communities})


@leader_required
def new_for(request, slug):
    community = get_object_or_404(
        Community.objects.led_by(request.user).filter(status=Community.Status.ACTIVE), slug=slug
    )
    return _form_page(request, community=community)


@leader_required
def edit(request, pk):
    sponsorship = _own(request, pk)
    if sponsorship.status not in services.EDITABLE:
        messages.error(
            request, _("Only a draft, or a request sent back for changes, can be changed.")
        )
        return redirect("communities:sponsorship_request", sponsorship.pk)
    return _form_page(request, community=sponsorship.community, sponsorship=sponsorship)


def withdraw_confirm_form(data=None):
    return ConfirmForm(
        data,
        label=_("I understand that a withdrawn request cannot be sent again"),
        auto_id="withdraw_%s",
    )


def _detail_page(request, sponsorship, *, submit=None, withdraw=None, confirm=None, done=None):
    steps = {step.name for step in workflow.available(sponsorship, request.user)}
    checks = stored = None
    policy = services.current_policy()
    if sponsorship.status in services.EDITABLE:
        checks = services.checks_for(sponsorship, policy=policy)
    if sponsorship.submitted_checks:
        stored = rules.from_stored(sponsorship.submitted_checks)
    context = {
        "sponsorship": sponsorship,
        "policy": policy,
        "checks": checks,
        "stored_checks": stored,
        "hard": rules.hard_failures(checks or []),
        "soft": rules.soft_failures(checks or []),
        "steps": steps,
        "transitions": selectors.transitions(sponsorship),
        "submit_form": submit or SubmitForm(initial={"justification": sponsorship.justification}),
        "withdraw_form": withdraw or WithdrawForm(auto_id="withdraw_%s"),
        "withdraw_confirm": confirm or withdraw_confirm_form(),
        "complete_form": done or CompleteForm(sponsorship=sponsorship),
        "currency": _currency(sponsorship),
    }
    return render(request, "communities/sponsorship/request.html", context)


def _currency(sponsorship):
    """The currency its amounts are in: the policy version it met, else the current one."""
    for version in (sponsorship.decided_policy_id and sponsorship.decided_policy,
                    sponsorship.submitted_policy_id and sponsorship.submitted_policy):  # fmt: skip
        if version:
            return version.currency
    return services.current_policy().currency


@leader_required
def detail(request, pk):
    return _detail_page(request, _own(request, pk))


@leader_required
@require_POST
def submit(request, pk):
    sponsorship = _own(request, pk)
    form = SubmitForm(request.POST)
    if form.is_valid():
        sent = _attempt(
            request,
            lambda: services.submit(
                request=sponsorship,
                by=request.user,
                justification=form.cleaned_data["justification"],
            ),
            _("Sent. Executors are told; you will get an email when they decide."),
        )
        if sent:
            return redirect("communities:sponsorship_request", sponsorship.pk)
        sponsorship.refresh_from_db()
    return _detail_page(request, sponsorship, submit=form)


@leader_required
@require_POST
def withdraw(request, pk):
    sponsorship = _own(request, pk)
    form = WithdrawForm(request.POST, auto_id="withdraw_%s")
    confirm = withdraw_confirm_form(request.POST)
    if form.is_valid() and confirm.is_valid():
        _attempt(
            request,
            lambda: services.withdraw(
                request=sponsorship, by=request.user, comment=form.cleaned_data["comment"]
            ),
            _("The request is withdrawn."),
        )
        return redirect("communities:sponsorship_request", sponsorship.pk)
    return _detail_page(request, sponsorship, withdraw=form, confirm=confirm)


@require_POST
@role_required(lambda user: is_executor(user) or _leads_any(user))
def complete(request, pk):
    """The leader (from the request's page) or an executor (from the review page)."""
    leads = selectors.led_by(request.user).filter(pk=pk).exists()
    gate = selectors.led_by(request.user) if leads else selectors.reviewable_by(request.user)
    sponsorship = get_object_or_404(gate.select_related("community", "city"), pk=pk)
    form = CompleteForm(request.POST, sponsorship=sponsorship)
    back = "communities:sponsorship_request" if leads else "communities:sponsorship_review_request"
    if form.is_valid():
        completed = _attempt(
            request,
            lambda: services.complete(
                request=sponsorship,
                by=request.user,
                report=form.cleaned_data["report"],
                tickets_used=form.cleaned_data["tickets_used"],
            ),
            _("Completed. Thank you for the report."),
        )
        if completed:
            return redirect(back, sponsorship.pk)
    if leads:
        return _detail_page(request, sponsorship, done=form)
    return _review_page(request, sponsorship, forms={"complete": form})


# --- The executors' pages ------------------------------------------------------------------


@executor_required
def review_queue(request):
    policy = services.current_policy()
    page = Paginator(selectors.queue(), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "committed": selectors.committed(policy),
        "waiting": selectors.waiting_count(),
        "policy": policy,
    }
    return render(request, "communities/sponsorship/queue.html", context)


def cancel_confirm_form(data=None):
    return ConfirmForm(
        data,
        label=_("I understand that the community loses this sponsorship"),
        auto_id="cancel_confirm_%s",
    )


def _decision_forms(sponsorship, currency):
    return {
        "approve": ApproveForm(sponsorship=sponsorship, currency=currency, prefix="approve"),
        "changes": CommentForm(label=_("What to change"), prefix="changes"),
        "decline": CommentForm(label=_("Why it is declined"), prefix="decline"),
        "cancel": CommentForm(label=_("Why it is cancelled"), prefix="cancel"),
        "cancel_confirm": cancel_confirm_form(),
        "complete": CompleteForm(sponsorship=sponsorship),
    }


def _review_page(request, sponsorship, *, forms=None):
    policy = services.current_policy()
    currency = _currency(sponsorship)
    steps = {step.name for step in workflow.available(sponsorship, request.user)}
    now_checks = None
    decided = sponsorship.status in (S.APPROVED, S.PAID)
    if sponsorship.status in (S.SUBMITTED, S.CHANGES_REQUESTED) or decided:
        now_checks = services.checks_for(sponsorship, policy=policy, approved=decided)
    context = {
        "sponsorship": sponsorship,
        "stored_checks": rules.from_stored(sponsorship.submitted_checks),
        "now_checks": now_checks,
        "checked_approved": decided,
        "policy": policy,
        "currency": currency,
        "steps": steps,
        "transitions": selectors.transitions(sponsorship),
        **_decision_forms(sponsorship, currency),
        **(forms or {}),
    }
    return render(request, "communities/sponsorship/review.html", context)


@executor_required
def review(request, pk):
    return _review_page(request, _reviewed(request, pk))


@executor_required
@require_POST
def approve(request, pk):
    sponsorship = _reviewed(request, pk)
    currency = services.current_policy().currency
    form = ApproveForm(request.POST, sponsorship=sponsorship, currency=currency, prefix="approve")
    if form.is_valid():
        try:
            services.approve(
                request=sponsorship,
                by=request.user,
                amount_approved=form.amount_minor(),
                tickets_approved=form.cleaned_data["tickets_approved"],
                override_reason=form.cleaned_data["override_reason"],
                comment=form.cleaned_data["comment"],
            )
        except services.REFUSED as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Approved. The money is committed in the year's pool."))
            return redirect("communities:sponsorship_review_request", sponsorship.pk)
    return _review_page(request, sponsorship, forms={"approve": form})


def _with_comment(name, service, done, *, confirm=None):
    @executor_required
    @require_POST
    def view(request, pk):
        sponsorship = _reviewed(request, pk)
        labels = {"changes": _("What to change"), "decline": _("Why it is declined"),
                  "cancel": _("Why it is cancelled")}  # fmt: skip
        form = CommentForm(request.POST, label=labels[name], prefix=name)
        confirmed = confirm(request.POST) if confirm else None
        forms = {name: form, **({"cancel_confirm": confirmed} if confirm else {})}
        if form.is_valid() and (confirmed is None or confirmed.is_valid()):
            try:
                service(request=sponsorship, by=request.user, comment=form.cleaned_data["comment"])
            except services.REFUSED as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, done())
                return redirect("communities:sponsorship_review_request", sponsorship.pk)
        return _review_page(request, sponsorship, forms=forms)

    view.__name__ = name
    return view


request_changes = _with_comment(
    "changes", services.request_changes, lambda: _("Sent back to the community with your comment.")
)
decline = _with_comment(
    "decline", services.decline, lambda: _("Declined. The community is told why.")
)
cancel = _with_comment(
    "cancel",
    services.cancel,
    lambda: _("Cancelled. What was still committed is released."),
    confirm=cancel_confirm_form,
)


def _rule_rows(policy):
    """(label, value in words, cannot be set aside) for each rule of `policy`."""

    def money(minor):
        return rules.words(minor, policy.currency)

    return [
        (_("Minimum days between request and event"), policy.min_lead_days, policy.lead_time_hard),
        (_("Most for one event"), money(policy.max_per_event), policy.per_event_hard),
        (_("Most per expected attendee"), money(policy.max_per_attendee), policy.per_attendee_hard),
        (_("Most per sponsored ticket"), money(policy.max_per_ticket), policy.per_ticket_hard),
        (
            _("Most for one community in a year"),
            money(policy.max_per_community_year),
            policy.per_community_hard,
        ),
        (_("The year's pool"), money(policy.pool_total), True),
    ]


@executor_required
def policy_page(request):
    current = services.current_policy()
    shares = rules.region_pools(current)
    form = PolicyForm(request.POST or None, policy=current, region_pools=shares)
    if request.method == "POST" and form.is_valid():
        data, new_shares, note = form.data_for_service()
        try:
            created = services.change_policy(
                by=request.user, data=data, region_pools=new_shares, note=note
            )
        except services.REFUSED as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Version %(version)s is the policy now. Decisions already made keep theirs.")
                % {"version": created.version},
            )
            return redirect("communities:sponsorship_policy")
    versions = Policy.objects.prefetch_related("region_pools").order_by("-version")[:50]
    context = {
        "policy": current,
        "rule_rows": _rule_rows(current),
        "shares": sorted(shares.items()),
        "form": form,
        "versions": versions,
    }
    return render(request, "communities/sponsorship/policy.html", context)


# --- Public -------------------------------------------------------------------------------


@public_page
def sponsored(request, year=None):
    years = selectors.sponsored_years()
    asked = request.GET.get("year", "")
    if year is None and asked:
        if not (asked.isascii() and asked.isdigit() and len(asked) == 4):
            raise Http404
        year = int(asked)
    if year is None:
        year = years[0] if years else timezone.localdate().year
    if not 2000 <= year <= 2100:
        raise Http404
    currency = services.current_policy().currency
    context = {"data": selectors.sponsored(year, currency), "years": years, "year": year}
    return render(request, "communities/sponsorship/sponsored.html", context)


public_patterns = [
    path("sponsored/", sponsored, name="sponsored"),
    path("sponsored/<int:year>/", sponsored, name="sponsored_year"),
]

urlpatterns = [
    path("sponsorship/", mine, name="sponsorship"),
    path("sponsorship/new/", new, name="sponsorship_new"),
    path("sponsorship/new/<slug:slug>/", new_for, name="sponsorship_new_for"),
    path("sponsorship/policy/", policy_page, name="sponsorship_policy"),
    path("sponsorship/review/", review_queue, name="sponsorship_review"),
    path("sponsorship/review/<int:pk>/", review, name="sponsorship_review_request"),
    path("sponsorship/review/<int:pk>/approve/", approve, name="sponsorship_approve"),
    path("sponsorship/review/<int:pk>/changes/", request_changes, name="sponsorship_changes"),
    path("sponsorship/review/<int:pk>/decline/", decline, name="sponsorship_decline"),
    path("sponsorship/review/<int:pk>/cancel/", cancel, name="sponsorship_cancel"),
    path("sponsorship/<int:pk>/", detail, name="sponsorship_request"),
    path("sponsorship/<int:pk>/edit/", edit, name="sponsorship_edit"),
    path("sponsorship/<int:pk>/submit/", submit, name="sponsorship_submit"),
    path("sponsorship/<int:pk>/withdraw/", withdraw, name="sponsorship_withdraw"),
    path("sponsorship/<int:pk>/complete/", complete, name="sponsorship_complete"),
]
