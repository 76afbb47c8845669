"""The pages of the person who applies."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bpd.fund import letters, services
from bpd.fund.forms import (
    ApplicationForm,
    ReplyForm,
    ReportForm,
    VisaOutcomeForm,
)
from bpd.fund.models import (
    Application,
    Round,
)
from bpd.fund.services import FundError
from bpd.fund.views.common import _attempt, _refuse_invalid
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


@login_required
def apply(request, slug):
    round = get_object_or_404(Round, slug=slug)
    application = Application.objects.owned_by(request.user).filter(round=round).first()
    if application and application.status != S.DRAFT:
        return redirect("fund:application", application.pk)
    if round.requires_leader and not has_role(request.user, Role.LEADER):
        return render(request, "fund/not_eligible.html", {"round": round}, status=403)
    if not round.is_open():
        messages.error(request, _("This round is not accepting applications now."))
        return redirect("fund:index")
    instance = application or Application(round=round, applicant=request.user)
    form = ApplicationForm(request.POST or None, instance=instance, round=round)
    if request.method == "POST" and form.is_valid():
        submitting = "submit" in request.POST
        save = services.save_and_submit if submitting else services.save_draft
        try:
            application = save(round=round, applicant=request.user, draft=form.draft())
        except FundError as error:
            form.add_error(None, str(error))  # nothing was saved; the page keeps the input
        else:
            if submitting:
                messages.success(
                    request, _("Your application has been submitted. You can follow it here.")
                )
                return redirect("fund:application", application.pk)
            messages.success(
                request, _("Draft saved. You can come back and submit it before the deadline.")
            )
            return redirect("fund:apply", round.slug)
    context = {"round": round, "form": form, "application": instance}
    return render(request, "fund/apply.html", context)


def _own(request, pk):
    related = ("round", "event", "origin_city")
    return get_object_or_404(
        Application.objects.owned_by(request.user).select_related(*related), pk=pk
    )


@login_required
def application_detail(request, pk):
    application = _own(request, pk)
    decision = getattr(application, "decision", None)
    if decision and not decision.released_at:
        decision = None  # staged decisions stay private until released together
    travelling = application.status in S.TRAVELLING
    context = {
        "application": application,
        "decision": decision,
        "bookings": application.bookings.all() if travelling else [],
        "visa_form": VisaOutcomeForm(instance=application),
        "report_form": ReportForm(),
        "out_of_pocket": application.out_of_pocket.filter(settled_at__isnull=True),
    }
    return render(request, "fund/application.html", context)


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
        return _refuse_invalid(request, form, "fund:application", application.pk)
    accept = form.cleaned_data["answer"] == "accept"
    _attempt(
        request,
        lambda: services.reply_to_offer(application=application, actor=request.user, accept=accept),
        _("Thank you: your answer is recorded.")
        if accept
        else _("You declined the award. Thank you for telling us quickly."),
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
    application = _own(request, pk)
    if application.status not in S.TRAVELLING:
        return render(request, "fund/no_letter.html", {"application": application}, status=404)
    response = HttpResponse(letters.funding_letter(application), content_type="application/pdf")
    filename = f"funding-confirmation-{application.pk}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
