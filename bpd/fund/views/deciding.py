"""Executors' pages: rounds, the allocation proposal, decisions."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bpd.audit import selectors as audit
from bpd.fund import selectors, services
from bpd.fund.forms import (
    AllocationOptionsForm,
    CriterionFormSet,
    DecisionForm,
    FewReviewsForm,
    RoundForm,
    RoundTextFormSet,
    VisaCheckForm,
)
from bpd.fund.models import (
    Application,
    Round,
)
from bpd.fund.services import FundError
from bpd.fund.views.common import _attempt, conflict_forms
from bpd.members.roles import executor_required
from bpd.website.forms import ConfirmForm

ROWS_PER_PAGE = 100


def _save_round(request, form, criteria=None, texts=None):
    """Save the round's forms through the service; on refusal the error shows on the form."""
    try:
        return services.save_round(actor=request.user, form=form, criteria=criteria, texts=texts)
    except FundError as error:
        form.add_error(None, str(error))
        return None


@executor_required
def manage(request):
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and (round := _save_round(request, form)):
        messages.success(request, _("Round created. Now add the rubric."))
        return redirect("fund:round_edit", round.slug)
    return render(request, "fund/manage.html", {"form": form, "rounds": Round.objects.all()})


@executor_required
def round_edit(request, slug):
    round = get_object_or_404(Round.objects.managed_by(request.user), slug=slug)
    form = RoundForm(request.POST or None, instance=round)
    criteria = CriterionFormSet(request.POST or None, instance=round, prefix="criteria")
    texts = RoundTextFormSet(request.POST or None, instance=round, prefix="texts")
    valid = request.method == "POST" and all(f.is_valid() for f in (form, criteria, texts))
    if valid and _save_round(request, form, criteria, texts):
        messages.success(request, _("Round saved."))
        return redirect("fund:round_edit", round.slug)
    context = {"round": round, "form": form, "criteria": criteria, "texts": texts}
    return render(request, "fund/round_edit.html", context)


def _allocation_options(request, round):
    form = AllocationOptionsForm(request.GET)
    return form, form.options(round)


def stage_confirm_form(data=None):
    return ConfirmForm(
        data,
        label=_(
            "I understand that this replaces the staged decisions of every application "
            "in the proposal"
        ),
        auto_id="stage_%s",
    )


def release_confirm_form(data=None):
    return ConfirmForm(
        data,
        label=_(
            "I understand that every staged decision is sent to its applicant now, "
            "and that this cannot be undone"
        ),
        auto_id="release_%s",
    )


def _allocate_page(request, round, stage_confirm=None, release_confirm=None):
    """The allocation page; after a refused stage or release it comes back with that
    box's error (the options stay in the query string)."""
    options_form, options = _allocation_options(request, round)
    proposal, left = selectors.allocation_proposal(round, request.user, **options)
    waiting = selectors.awaiting_decision(round, request.user)
    page = Paginator(waiting, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "round": round,
        "rows": selectors.committee_rows(page.object_list),
        "page_obj": page,
        "query": query.urlencode(),
        "proposal": proposal,
        "chosen": set(proposal.chosen),
        "left": left,
        "staged_awards": selectors.staged_awards_total(round),
        "options_form": options_form,
        "cap": options["max_per_country"],
        "unsettled": selectors.visa_unresolved(selectors.staged_decisions(round, request.user)),
        "stage_confirm_form": stage_confirm or stage_confirm_form(),
        # Pages link to the allocation page itself, also when a refused stage or
        # release shows it at their own address (which answers POST only).
        "base": reverse("fund:allocate", args=[round.slug]),
        "release_confirm_form": release_confirm or release_confirm_form(),
    }
    return render(request, "fund/allocate.html", context)


@executor_required
def allocate(request, slug):
    round = get_object_or_404(Round.objects.managed_by(request.user), slug=slug)
    return _allocate_page(request, round)


@executor_required
@require_POST
def stage_proposal(request, slug):
    round = get_object_or_404(Round.objects.managed_by(request.user), slug=slug)
    confirm = stage_confirm_form(request.POST)
    if not confirm.is_valid():
        return _allocate_page(request, round, stage_confirm=confirm)
    _form, options = _allocation_options(request, round)
    _attempt(
        request,
        lambda: services.stage_proposal(round=round, actor=request.user, **options),
        _("The proposal is staged. Adjust any decision, then release them all together."),
    )
    return redirect("fund:allocate", round.slug)


@executor_required
@require_POST
def release(request, slug):
    round = get_object_or_404(Round.objects.managed_by(request.user), slug=slug)
    confirm = release_confirm_form(request.POST)
    if not confirm.is_valid():
        return _allocate_page(request, round, release_confirm=confirm)
    try:
        released = services.release_decisions(round=round, actor=request.user)
        messages.success(
            request,
            _("%(count)s decisions released; applicants have been emailed.")
            % {"count": len(released)},
        )
    except FundError as error:
        messages.error(request, str(error))
    return redirect("fund:allocate", round.slug)


def stage_decision_confirm_form(data=None):
    return ConfirmForm(
        data,
        label=_(
            "I understand that this decision replaces any staged before, and is sent to the "
            "applicant when the decisions are released"
        ),
    )


def decide_page(
    request, application, form=None, confirm=None, conflict=None, few=None, visa_check=None
):
    """The decide page; after a refused decision or conflict it comes back with the
    bound forms, so their errors show."""
    reviews = application.reviews.filter(submitted_at__isnull=False).count()
    if form is None:
        form = DecisionForm(
            round=application.round, initial=selectors.decision_initial(application)
        )
    conflict_form, conflict_confirm = conflict or conflict_forms()
    context = {
        "application": application,
        "form": form,
        "confirm_form": confirm or stage_decision_confirm_form(),
        "costs": application.costs.all(),
        "history": audit.history(application, limit=50),
        "conflict_form": conflict_form,
        "conflict_confirm_form": conflict_confirm,
        "reviews": reviews,
        "too_few_reviews": reviews < application.round.min_reviews,
        "few_reviews_form": few or FewReviewsForm(),
        "visa_check_form": visa_check or VisaCheckForm(auto_id="visa_%s"),
        "visa_unsettled": application.verdict not in selectors.RELEASABLE_VERDICTS,
    }
    return render(request, "fund/decide.html", context)


@executor_required
@require_POST
def allow_few_reviews(request, pk):
    application = get_object_or_404(
        Application.objects.decidable_by(request.user).select_related("round", "event"), pk=pk
    )
    form = FewReviewsForm(request.POST)
    if form.is_valid():
        allowed = _attempt(
            request,
            lambda: services.allow_few_reviews(
                application=application,
                reason=form.cleaned_data["few_reviews_reason"],
                actor=request.user,
            ),
            _("The proposal may now include this application."),
        )
        if allowed:
            return redirect("fund:decide", application.pk)
    return decide_page(request, application, few=form)


@executor_required
@require_POST
def visa_check(request, pk):
    """An executor records their own visa check, with its source (audited)."""
    application = get_object_or_404(
        Application.objects.decidable_by(request.user).select_related("round", "event"), pk=pk
    )
    form = VisaCheckForm(request.POST, auto_id="visa_%s")
    if form.is_valid():
        recorded = _attempt(
            request,
            lambda: services.record_visa_check(
                application=application, actor=request.user, **form.cleaned_data
            ),
            _("Visa check recorded. It is in the audit log with its source."),
        )
        if recorded:
            return redirect("fund:decide", application.pk)
    return decide_page(request, application, visa_check=form)


@executor_required
def decide(request, pk):
    application = get_object_or_404(
        Application.objects.decidable_by(request.user).select_related("round", "event"), pk=pk
    )
    if request.method != "POST":
        return decide_page(request, application)
    round = application.round
    form = DecisionForm(request.POST, round=round, initial=selectors.decision_initial(application))
    confirm = stage_decision_confirm_form(request.POST)
    if all([form.is_valid(), confirm.is_valid()]):
        staged = _attempt(
            request,
            lambda: services.stage_decision(
                application=application,
                outcome=form.cleaned_data["outcome"],
                items=form.items() if form.cleaned_data["outcome"] == "award" else {},
                reason=form.cleaned_data["reason"],
                actor=request.user,
            ),
            _("Decision staged. It is sent when all decisions are released."),
        )
        if staged:
            return redirect("fund:allocate", round.slug)
    return decide_page(request, application, form=form, confirm=confirm)
