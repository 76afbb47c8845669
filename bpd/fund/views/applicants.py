"""The pages of the person who applies."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bpd.fund import feasibility, selectors, services
from bpd.fund.forms import (
    ApplicationForm,
    ConsentForm,
    PassportNameForm,
    ReplyForm,
    ReportForm,
    VisaOutcomeForm,
    event_label,
)
from bpd.fund.models import (
    Application,
    Round,
)
from bpd.fund.services import FundError
from bpd.fund.views.common import _attempt, _refuse_invalid
from bpd.fund.views.letters import letter_pdf
from bpd.ledger import money
from bpd.members.roles import Role, has_role
from bpd.website import languages

S = Application.Status


def index(request):
    """The Fund's own page: public (how it works, the rounds), and for a member also their
    applications and the rounds they review or run."""
    now = timezone.now()
    rounds = Round.objects.filter(closes_at__gt=now).prefetch_related("texts").order_by("closes_at")
    mine = Application.objects.owned_by(request.user).select_related("round", "event")
    managed = Round.objects.money_for(request.user) | Round.objects.managed_by(request.user)
    context = {
        "rounds": [
            (r, r.localised_description(languages.current()), r.is_open(now)) for r in rounds
        ],
        "mine": mine.order_by("-created_at"),
        "reviewing": Round.objects.reviewed_by(request.user),
        "manageable": managed[:20],
        "is_leader": has_role(request.user, Role.LEADER),
    }
    return render(request, "fund/index.html", context)


def _draft_to_edit(request, slug):
    """(round, the member's draft or None, a response to return instead)."""
    round = get_object_or_404(Round, slug=slug)
    application = Application.objects.owned_by(request.user).filter(round=round).first()
    if application and application.status != S.DRAFT:
        return round, application, redirect("fund:application", application.pk)
    if round.requires_leader and not has_role(request.user, Role.LEADER):
        return round, None, render(request, "fund/not_eligible.html", {"round": round}, status=403)
    if not round.is_open():
        messages.error(request, _("This round is not accepting applications now."))
        return round, None, redirect("fund:index")
    return round, application, None


@login_required
def apply(request, slug):
    """The application form. "Save draft" keeps it; "Continue" keeps it and, when nothing
    is missing, goes on to check the answers before submitting."""
    round, application, refusal = _draft_to_edit(request, slug)
    if refusal:
        return refusal
    instance = application or Application(round=round, applicant=request.user)
    form = ApplicationForm(request.POST or None, instance=instance, round=round)
    if request.method == "POST" and form.is_valid():
        try:
            instance = services.save_draft(round=round, applicant=request.user, draft=form.draft())
        except FundError as error:
            form.add_error(None, str(error))  # nothing was saved; the page keeps the input
        else:
            if "continue" not in request.POST:
                messages.success(
                    request, _("Draft saved. You can come back and submit it before the deadline.")
                )
                return redirect("fund:apply", round.slug)
            problems = selectors.submission_problems(instance, consent_needed=False)
            if not problems:
                return redirect("fund:check_answers", round.slug)
            for problem in problems:
                form.add_error(None, problem)
            messages.info(request, _("Draft saved. A few answers are still missing."))
    today = timezone.localdate()
    context = {
        "round": round,
        "form": form,
        "application": instance,
        "visa": feasibility.details(instance, today) if instance.pk else None,
    }
    return render(request, "fund/apply.html", context)


@login_required
def check_answers(request, slug):
    """Everything the applicant entered, each with a way to change it, then the consent
    and Submit (the GOV.UK "check your answers" pattern)."""
    round, application, refusal = _draft_to_edit(request, slug)
    if refusal:
        return refusal
    if application is None:
        return redirect("fund:apply", round.slug)
    problems = selectors.submission_problems(application, consent_needed=False)
    if problems:
        for problem in problems:
            messages.error(request, problem)
        return redirect("fund:apply", round.slug)
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit(application=application, actor=request.user, consent=True)
        except FundError as error:
            form.add_error(None, str(error))
        else:
            return redirect("fund:submitted", application.pk)
    context = {
        "round": round,
        "application": application,
        "answers": _answers(application),
        "total": selectors.requested_total(application),
        "visa": feasibility.details(application, timezone.localdate()),
        "form": form,
    }
    return render(request, "fund/check_answers.html", context)


def _answers(application):
    """(label, value, field id to change it) for each answer, in the form's order."""
    event = application.event
    origin = languages.country_name(application.origin_country)
    if application.origin_city_id:
        origin = f"{application.origin_city.name}, {origin}"
    event_field = "id_event_choice" if event and event.listed else "id_new_event_name"
    rows = [
        (_("Event"), event_label(event) if event else "—", event_field),
        (_("Country you travel from"), origin, "id_country"),
        (_("Passport country"), languages.country_name(application.passport_country), "id_passport_country"),
        (_("What you will do at the event"), application.purpose, "id_purpose"),
        (_("What you will bring back to your local community"), application.give_back, "id_give_back"),
        (_("The event's own travel or opportunity grant"), application.get_event_grant_display(), "id_event_grant"),
    ]  # fmt: skip
    if application.event_grant_notes:
        rows.append((_("Details"), application.event_grant_notes, "id_event_grant_notes"))
    rows.append((_("Currency of your estimates"), application.currency, "id_currency"))
    for cost in application.costs.all():
        label = _("Estimate: %(item)s") % {"item": cost.get_category_display()}
        rows.append((label, money.display(cost.amount, cost.currency), f"id_cost_{cost.category}"))
    return rows


@login_required
def submitted(request, pk):
    """The confirmation after submitting: what was applied for and what happens next."""
    application = _own(request, pk)
    if application.status == S.DRAFT:
        return redirect("fund:apply", application.round.slug)
    context = {
        "application": application,
        "round": application.round,
        "costs": application.costs.all(),
    }
    return render(request, "fund/submitted.html", context)


def _own(request, pk):
    related = ("round", "event", "origin_city")
    return get_object_or_404(
        Application.objects.owned_by(request.user).select_related(*related), pk=pk
    )


@login_required
def application_detail(request, pk):
    return _application_page(request, _own(request, pk))


def _application_page(request, application, *, reply_form=None, passport_form=None):
    """The applicant's page; after a refused reply or passport name it comes back with
    that form bound, so its errors show beside the field."""
    decision = getattr(application, "decision", None)
    if decision and not decision.released_at:
        decision = None  # staged decisions stay private until released together
    travelling = application.status in S.TRAVELLING
    context = {
        "application": application,
        "decision": decision,
        "bookings": application.bookings.all() if travelling else [],
        "letter": selectors.current_letter(application) if travelling else None,
        "reply_form": reply_form or ReplyForm(),
        "passport_form": passport_form or PassportNameForm(),
        "visa_form": VisaOutcomeForm(instance=application),
        "report_form": ReportForm(),
        "out_of_pocket": application.out_of_pocket.filter(settled_at__isnull=True),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "fund/application.html", context, status=status)


@login_required
@require_POST
def withdraw(request, pk):
    application = _own(request, pk)
    done = _("Your application has been withdrawn.")
    _attempt(request, lambda: services.withdraw(application=application, actor=request.user), done)
    return redirect("fund:application", application.pk)


@login_required
@require_POST
def reply(request, pk):
    application = _own(request, pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        if "answer" in form.errors:  # not sent by the page's buttons
            return _refuse_invalid(request, form, "fund:application", application.pk)
        return _application_page(request, application, reply_form=form)
    accept = form.cleaned_data["answer"] == "accept"
    _attempt(
        request,
        lambda: services.reply_to_offer(
            application=application,
            actor=request.user,
            accept=accept,
            passport_name=form.cleaned_data["passport_name"] if accept else "",
        ),
        _("Thank you: your answer is recorded. Your funding letter is ready to download.")
        if accept
        else _("You declined the award. Thank you for telling us quickly."),
    )
    return redirect("fund:application", application.pk)


@login_required
@require_POST
def passport_name(request, pk):
    """The name as in the passport, from those who accepted before it was asked for."""
    application = _own(request, pk)
    form = PassportNameForm(request.POST)
    if not form.is_valid():
        return _application_page(request, application, passport_form=form)
    _attempt(
        request,
        lambda: services.give_passport_name(
            application=application,
            actor=request.user,
            passport_name=form.cleaned_data["passport_name"],
        ),
        _("Thank you. Your funding letter is ready to download."),
    )
    return redirect("fund:application", application.pk)


@login_required
@require_POST
def visa_outcome(request, pk):
    application = _own(request, pk)
    form = VisaOutcomeForm(request.POST, instance=application)
    if not form.is_valid():
        return _refuse_invalid(request, form, "fund:application", application.pk)
    _attempt(
        request,
        lambda: services.record_visa_outcome(
            application=application,
            actor=request.user,
            appointment_date=form.cleaned_data["appointment_date"],
            decision=form.cleaned_data["visa_decision"],
        ),
        _("Visa details saved. The treasurer has been told."),
    )
    return redirect("fund:application", application.pk)


@login_required
@require_POST
def trip_report(request, pk):
    application = _own(request, pk)
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please fill in every part of the report."))
        return redirect("fund:application", application.pk)
    _attempt(
        request,
        lambda: services.submit_report(
            application=application, actor=request.user, **form.cleaned_data
        ),
        _("Thank you for your report!"),
    )
    return redirect("fund:application", application.pk)


@login_required
def letter(request, pk):
    """The applicant's funding letter in force (the same reference every time, until the
    Fund's staff re-issue it). The name in the passport is asked for first."""
    application = _own(request, pk)
    if application.status not in S.TRAVELLING:
        return render(request, "fund/no_letter.html", {"application": application}, status=404)
    if not application.passport_name:
        messages.info(
            request,
            _(
                "Before you download your funding letter, give your name exactly as in your passport."
            ),
        )
        return redirect(reverse("fund:application", args=[application.pk]) + "#letter-h")
    letter = selectors.current_letter(application)
    if letter is None:
        context = {"application": application, "not_issued": True}
        return render(request, "fund/no_letter.html", context, status=404)
    return letter_pdf(application, letter)
