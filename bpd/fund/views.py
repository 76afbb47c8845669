import csv
import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bpd.fund import access, allocation, imports, letters, money, selectors, services, waittimes
from bpd.fund.forms import (
    ApplicationForm,
    BookingForm,
    BookingStatusForm,
    ConflictForm,
    CriterionFormSet,
    DecisionForm,
    OutOfPocketForm,
    RateForm,
    ReportForm,
    ReviewForm,
    RoundForm,
    RoundTextFormSet,
    VisaOutcomeForm,
    WaitTimeImportForm,
)
from bpd.fund.models import (
    Application,
    Booking,
    Category,
    Decision,
    ExchangeRate,
    OutOfPocket,
    Review,
    Round,
)
from bpd.fund.services import FundError
from bpd.members.roles import Role, has_role, is_executor
from bpd.members.views import executor_required
from bpd.website import languages
from bpd.website.versions import versioned

S = Application.Status
ROWS_PER_PAGE = 100


# Applicants ------------------------------------------------------------------


@login_required
def index(request):
    now = timezone.now()
    rounds = Round.objects.filter(closes_at__gt=now).prefetch_related("texts").order_by("closes_at")
    mine = (
        Application.objects.filter(applicant=request.user)
        .select_related("round", "event")
        .order_by("-created_at")
    )
    reviewing = (
        Round.objects.filter(reviewers=request.user)
        if has_role(request.user, Role.REVIEWER)
        else []
    )
    manageable = (
        Round.objects.all()[:20]
        if (is_executor(request.user) or access.is_treasurer(request.user))
        else []
    )
    return render(
        request,
        "fund/index.html",
        {
            "rounds": [
                (r, r.localised_description(languages.current()), r.is_open(now)) for r in rounds
            ],
            "mine": mine,
            "reviewing": reviewing,
            "manageable": manageable,
            "is_leader": has_role(request.user, Role.LEADER),
        },
    )


@login_required
def apply(request, slug):
    round = access.round_by_slug(slug)
    application = Application.objects.filter(round=round, applicant=request.user).first()
    if application and application.status != S.DRAFT:
        return redirect("fund:application", application.pk)
    if round.requires_leader and not has_role(request.user, Role.LEADER):
        return render(request, "fund/not_eligible.html", {"round": round}, status=403)
    if not round.is_open():
        messages.error(request, _("This round is not accepting applications now."))
        return redirect("fund:index")
    application = application or Application(round=round, applicant=request.user)
    form = ApplicationForm(request.POST or None, instance=application, round=round)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            event = form.event()
            if event is not None and event.pk is None:
                event.save()
            application = form.save(commit=False)
            application.event = event
            application.origin_country = form.cleaned_data.get("country") or ""
            application.origin_city = form.instance.city if hasattr(form.instance, "city") else None
            application.passport_country = form.cleaned_data.get("passport_country") or ""
            application.consent_at = timezone.now() if form.cleaned_data.get("consent") else None
            application.save()
            services.save_costs(application=application, costs=form.costs())
        if "submit" in request.POST:
            try:
                services.submit(application=application, actor=request.user)
            except FundError as error:
                messages.error(request, str(error))
                return redirect("fund:apply", round.slug)
            messages.success(
                request, _("Your application has been submitted. You can follow it here.")
            )
            return redirect("fund:application", application.pk)
        messages.success(
            request, _("Draft saved. You can come back and submit it before the deadline.")
        )
        return redirect("fund:apply", round.slug)
    return render(
        request, "fund/apply.html", {"round": round, "form": form, "application": application}
    )


@login_required
def application_detail(request, pk):
    application = access.own_application(request.user, pk)
    decision = getattr(application, "decision", None)
    if decision and not decision.released_at:
        decision = None  # staged decisions stay private until released together
    bookings = application.bookings.all() if application.status in {S.ACCEPTED, S.COMPLETED} else []
    return render(
        request,
        "fund/application.html",
        {
            "application": application,
            "decision": decision,
            "bookings": bookings,
            "visa_form": VisaOutcomeForm(instance=application),
            "report_form": ReportForm(),
            "out_of_pocket": application.out_of_pocket.filter(settled_at__isnull=True),
        },
    )


@login_required
@require_POST
def withdraw(request, pk):
    application = access.own_application(request.user, pk)
    try:
        services.withdraw(application=application, actor=request.user)
        messages.success(request, _("Your application has been withdrawn."))
    except FundError as error:
        messages.error(request, str(error))
    return redirect("fund:application", application.pk)


@login_required
@require_POST
def reply(request, pk):
    application = access.own_application(request.user, pk)
    accept = request.POST.get("answer") == "accept"
    try:
        services.reply_to_offer(application=application, actor=request.user, accept=accept)
        messages.success(
            request,
            _("Thank you: your answer is recorded.")
            if accept
            else _("You declined the award. Thank you for telling us quickly."),
        )
    except FundError as error:
        messages.error(request, str(error))
    return redirect("fund:application", application.pk)


@login_required
@require_POST
def visa_outcome(request, pk):
    application = access.own_application(request.user, pk)
    form = VisaOutcomeForm(request.POST, instance=application)
    if application.status == S.ACCEPTED and form.is_valid():
        services.record_visa_outcome(
            application=application,
            actor=request.user,
            appointment_date=form.cleaned_data["appointment_date"],
            decision=form.cleaned_data["visa_decision"],
        )
        messages.success(request, _("Visa details saved. The treasurer has been told."))
    return redirect("fund:application", application.pk)


@login_required
@require_POST
def trip_report(request, pk):
    application = access.own_application(request.user, pk)
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            services.submit_report(application=application, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Thank you for your report!"))
        except FundError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, _("Please fill in every part of the report."))
    return redirect("fund:application", application.pk)


@login_required
def letter(request, pk):
    application = access.own_application(request.user, pk)
    if application.status not in {S.ACCEPTED, S.COMPLETED}:
        return render(request, "fund/no_letter.html", {"application": application}, status=404)
    response = HttpResponse(letters.funding_letter(application), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="funding-confirmation-{application.pk}.pdf"'
    )
    return response


# Reviewers -------------------------------------------------------------------


@login_required
def review_queue(request, slug):
    round = access.round_by_slug(slug)
    access.require(round.reviewers.filter(pk=request.user.pk).exists())
    applications = selectors.reviewer_queue(round, request.user)
    return render(request, "fund/review_queue.html", {"round": round, "applications": applications})


@login_required
def review(request, pk):
    application = access.reviewable_application(request.user, pk)
    criteria = application.round.criteria.all()
    mine = (
        Review.objects.filter(application=application, reviewer=request.user)
        .prefetch_related("scores")
        .first()
    )
    initial = {}
    if mine:
        initial["comment"] = mine.comment
        for score in mine.scores.all():
            initial[f"score_{score.criterion_id}"] = score.value
            initial[f"note_{score.criterion_id}"] = score.comment
    form = ReviewForm(request.POST or None, criteria=criteria, initial=initial)
    if request.method == "POST" and "declare_conflict" in request.POST:
        conflict = ConflictForm(request.POST)
        conflict.is_valid()
        services.declare_conflict(
            application=application,
            reviewer=request.user,
            reason=conflict.cleaned_data.get("reason", ""),
        )
        messages.success(
            request, _("Conflict recorded. This application is no longer in your queue.")
        )
        return redirect("fund:review_queue", application.round.slug)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_review(
                application=application,
                reviewer=request.user,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
            )
            messages.success(
                request, _("Review submitted. You can now see the other reviewers' scores.")
            )
        except FundError as error:
            messages.error(request, str(error))
        return redirect("fund:review", application.pk)
    others = []
    if mine and mine.submitted_at:
        others = (
            Review.objects.filter(application=application, submitted_at__isnull=False)
            .exclude(reviewer=request.user)
            .prefetch_related("scores__criterion")
        )
    return render(
        request,
        "fund/review.html",
        {
            "application": application,
            "form": form,
            "conflict_form": ConflictForm(),
            "others": others,
            "mine": mine,
            "costs": application.costs.all(),
        },
    )


@login_required
def committee(request, slug):
    round = access.round_by_slug(slug)
    access.require(access.can_see_committee(request.user, round))
    executor = is_executor(request.user)
    # Each person's table is kept until any application, review or decision changes:
    # reviewers' tables differ (their conflicts are left out), so the key names the viewer.
    raw = f"{round.pk}|{request.user.pk}|{executor}|{languages.current()}|{request.GET.urlencode()}|{selectors.fund_version()}"
    key = "committee:" + hashlib.sha1(raw.encode()).hexdigest()
    table = versioned.get(key)
    if table is None:
        ranked = selectors.committee_queryset(round, viewer=request.user)
        page = Paginator(ranked, ROWS_PER_PAGE).get_page(request.GET.get("page"))
        table = render_to_string(
            "fund/_committee_table.html",
            {
                "round": round,
                "rows": selectors.committee_rows(round, page.object_list),
                "page_obj": page,
                "is_executor": executor,
            },
            request=request,
        )
        versioned.set(key, table, 600)
    return render(
        request,
        "fund/committee.html",
        # Rendered by us from our own template: safe to insert as HTML.
        {"round": round, "table": mark_safe(table), "is_executor": executor},
    )


# Executors -------------------------------------------------------------------


@executor_required
def manage(request):
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        round = form.save()
        services.record(round=round, actor=request.user, action="round_created")
        messages.success(request, _("Round created. Now add the rubric."))
        return redirect("fund:round_edit", round.slug)
    return render(request, "fund/manage.html", {"form": form, "rounds": Round.objects.all()})


@executor_required
def round_edit(request, slug):
    round = access.round_by_slug(slug)
    form = RoundForm(request.POST or None, instance=round)
    criteria = CriterionFormSet(request.POST or None, instance=round, prefix="criteria")
    texts = RoundTextFormSet(request.POST or None, instance=round, prefix="texts")
    if request.method == "POST" and all(f.is_valid() for f in (form, criteria, texts)):
        with transaction.atomic():
            form.save()
            criteria.save()
            texts.save()
            services.record(round=round, actor=request.user, action="round_changed")
        messages.success(request, _("Round saved."))
        return redirect("fund:round_edit", round.slug)
    return render(
        request,
        "fund/round_edit.html",
        {"round": round, "form": form, "criteria": criteria, "texts": texts},
    )


@executor_required
def allocate(request, slug):
    round = access.round_by_slug(slug)
    waiting = selectors.committee_queryset(round).filter(status=S.SUBMITTED)
    exclude_not_feasible = request.GET.get("exclude_not_feasible", "on") == "on"
    cap = request.GET.get("max_per_country") or round.max_per_country
    cap = int(cap) if cap else None
    left = round.budget - selectors.committed(round)
    candidates = [
        allocation.Candidate(key=pk, cost=total, value=score, country=country)
        for pk, total, score, country, verdict in waiting.values_list(
            "pk", "requested_total", "score", "origin_country", "verdict"
        )
        if score is not None and total and not (exclude_not_feasible and verdict == "not_feasible")
    ]
    proposal = allocation.propose(candidates, left, max_per_country=cap)
    chosen = set(proposal.chosen)
    if request.method == "POST" and request.POST.get("action") == "stage_proposal":
        with transaction.atomic():
            for application in waiting.filter(decision__isnull=True).prefetch_related(
                "costs", "round__rates"
            ):
                if application.pk in chosen:
                    services.stage_decision(
                        application=application,
                        outcome=Decision.Outcome.AWARD,
                        items=selectors.default_award_items(application),
                        actor=request.user,
                    )
                elif application.score is not None:
                    services.stage_decision(
                        application=application,
                        outcome=Decision.Outcome.WAITLIST,
                        actor=request.user,
                    )
        messages.success(
            request,
            _("The proposal is staged. Adjust any decision, then release them all together."),
        )
        return redirect("fund:allocate", round.slug)
    if request.method == "POST" and request.POST.get("action") == "release":
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
    staged_awards = selectors.staged_awards_total(round)
    page = Paginator(waiting, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "fund/allocate.html",
        {
            "round": round,
            "rows": selectors.committee_rows(round, page.object_list),
            "page_obj": page,
            "query": query.urlencode(),
            "proposal": proposal,
            "chosen": chosen,
            "left": left,
            "staged_awards": staged_awards,
            "cap": cap,
            "exclude_not_feasible": exclude_not_feasible,
        },
    )


@executor_required
def decide(request, pk):
    application = get_object_or_404(Application.objects.select_related("round", "event"), pk=pk)
    round = application.round
    existing = getattr(application, "decision", None)
    initial = {
        "outcome": existing.outcome if existing else "award",
        "reason": existing.reason if existing else "",
    }
    amounts = (
        {i.category: i.amount for i in existing.items.all()}
        if existing
        else selectors.default_award_items(application)
    )
    for category, amount in amounts.items():
        initial[f"award_{category}"] = money.to_major(amount, round.currency)
    form = DecisionForm(request.POST or None, round=round, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.stage_decision(
                application=application,
                outcome=form.cleaned_data["outcome"],
                items=form.items() if form.cleaned_data["outcome"] == "award" else {},
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
            messages.success(
                request, _("Decision staged. It is sent when all decisions are released.")
            )
            return redirect("fund:allocate", round.slug)
        except FundError as error:
            messages.error(request, str(error))
    history = application.audit.select_related("actor")[:50]
    return render(
        request,
        "fund/decide.html",
        {
            "application": application,
            "form": form,
            "costs": application.costs.all(),
            "history": history,
        },
    )


# Treasurer -------------------------------------------------------------------


@login_required
def money_view(request, slug):
    round = access.round_by_slug(slug)
    access.require(access.is_treasurer(request.user))
    form = RateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ExchangeRate.objects.update_or_create(
            round=round,
            currency=form.cleaned_data["currency"],
            defaults={"rate": form.cleaned_data["rate"], "as_of": form.cleaned_data["as_of"]},
        )
        services.record(
            round=round,
            actor=request.user,
            action="rate_set",
            currency=form.cleaned_data["currency"],
            rate=str(form.cleaned_data["rate"]),
        )
        messages.success(request, _("Exchange rate saved."))
        return redirect("fund:money", round.slug)
    awards = (
        Application.objects.filter(round=round, status__in=[S.OFFERED, S.ACCEPTED, S.COMPLETED])
        .select_related("applicant__profile", "event", "decision")
        .prefetch_related("decision__items", "bookings", "out_of_pocket")
    )
    rows = []
    for application in awards:
        award = sum(i.amount for i in application.decision.items.all())
        used = sum(selectors.booking_cost(b) for b in application.bookings.all())
        pocket = [o for o in application.out_of_pocket.all() if not o.settled_at]
        rows.append(
            {"application": application, "award": award, "used": used, "out_of_pocket": pocket}
        )
    committed = selectors.committed(round)
    return render(
        request,
        "fund/money.html",
        {
            "round": round,
            "rows": rows,
            "committed": committed,
            "spent": selectors.spent(round),
            "left": round.budget - committed,
            "rates": round.rates.all(),
            "form": form,
        },
    )


@login_required
def bookings(request, pk):
    application = access.staff_application(request.user, pk)
    round = application.round
    form = BookingForm(request.POST or None, prefix="booking")
    pocket_form = OutOfPocketForm(request.POST or None, prefix="pocket")
    if request.method == "POST" and request.POST.get("action") == "add_booking" and form.is_valid():
        try:
            services.add_booking(
                application=application,
                actor=request.user,
                category=form.cleaned_data["category"],
                vendor=form.cleaned_data["vendor"],
                reference=form.cleaned_data["reference"],
                description=form.cleaned_data["description"],
                starts_at=form.cleaned_data["starts_at"],
                amount=form.amount(),
                currency=form.cleaned_data["currency"],
                rate=form.cleaned_data["rate"],
                refundable=form.cleaned_data["refundable"],
                status=form.cleaned_data["status"],
            )
            messages.success(request, _("Booking recorded."))
            return redirect("fund:bookings", application.pk)
        except FundError as error:
            messages.error(request, str(error))
    if request.method == "POST" and request.POST.get("action") == "status":
        booking = get_object_or_404(
            Booking, pk=request.POST.get("booking"), application=application
        )
        status_form = BookingStatusForm(request.POST)
        if status_form.is_valid():
            refund = status_form.cleaned_data.get("refunded")
            try:
                services.set_booking_status(
                    booking=booking,
                    status=status_form.cleaned_data["status"],
                    actor=request.user,
                    refunded=money.to_minor(refund, round.currency) if refund else 0,
                )
                messages.success(request, _("Booking updated."))
            except FundError as error:
                messages.error(request, str(error))
        return redirect("fund:bookings", application.pk)
    if request.method == "POST" and request.POST.get("action") == "cancel_all":
        refunds = {
            int(key.split("_")[1]): money.to_minor(value or 0, round.currency)
            for key, value in request.POST.items()
            if key.startswith("refund_")
        }
        try:
            services.cancel_after_refusal(
                application=application, actor=request.user, refunds=refunds
            )
            messages.success(request, _("Bookings cancelled; refunds and losses recorded."))
        except FundError as error:
            messages.error(request, str(error))
        return redirect("fund:bookings", application.pk)
    if (
        request.method == "POST"
        and request.POST.get("action") == "out_of_pocket"
        and pocket_form.is_valid()
    ):
        OutOfPocket.objects.create(
            application=application,
            description=pocket_form.cleaned_data["description"],
            amount=money.to_minor(
                pocket_form.cleaned_data["amount"], pocket_form.cleaned_data["currency"]
            ),
            currency=pocket_form.cleaned_data["currency"],
        )
        services.record(
            round=round,
            application=application,
            actor=request.user,
            action="out_of_pocket_recorded",
        )
        messages.warning(
            request,
            _("Out-of-pocket cost recorded. Pay it back to the traveller and mark it settled."),
        )
        return redirect("fund:bookings", application.pk)
    if request.method == "POST" and request.POST.get("action") == "settle":
        item = get_object_or_404(OutOfPocket, pk=request.POST.get("item"), application=application)
        item.settled_at = timezone.now()
        item.save(update_fields=["settled_at"])
        services.record(
            round=round, application=application, actor=request.user, action="out_of_pocket_settled"
        )
        return redirect("fund:bookings", application.pk)
    return render(
        request,
        "fund/bookings.html",
        {
            "application": application,
            "round": round,
            "bookings": application.bookings.all(),
            "form": form,
            "pocket_form": pocket_form,
            "out_of_pocket": application.out_of_pocket.all(),
            "status_choices": Booking.Status.choices,
            "next_statuses": services.BOOKING_FLOW,
            "headroom": selectors.headroom(application),
        },
    )


@login_required
def report(request, slug):
    round = access.round_by_slug(slug)
    access.require(access.is_treasurer(request.user))
    data = selectors.round_report(round)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{round.slug}-report.csv"'
        writer = csv.writer(response)
        writer.writerow(["section", "key", "committed_minor", "spent_minor", "currency"])
        writer.writerow(["total", "budget", round.budget, "", round.currency])
        writer.writerow(["total", "all", data["committed"], data["spent"], round.currency])
        for section in ("by_category", "by_region", "by_country"):
            for row in data[section]:
                writer.writerow(
                    [section, row["key"], row["committed"], row["spent"], round.currency]
                )
        for key, count in data["outcomes"].items():
            writer.writerow(["outcome", key, count, "", ""])
        writer.writerow(["losses", "all", "", data["losses"], round.currency])
        writer.writerow(["out_of_pocket", "unsettled", data["out_of_pocket_count"], "", ""])
        return response
    return render(
        request,
        "fund/report.html",
        {"round": round, "data": data, "categories": dict(Category.choices)},
    )


@login_required
def wait_times(request):
    access.require(access.is_treasurer(request.user))
    form = WaitTimeImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            content = form.cleaned_data["file"].read().decode("utf-8")
            batch = imports.import_wait_times(
                content=content,
                kind=form.cleaned_data["kind"],
                destination=form.cleaned_data["destination"],
                as_of=form.cleaned_data["as_of"],
                source=form.cleaned_data["source"],
                imported_by=request.user,
            )
            refreshed = services.refresh_verdicts()
            messages.success(
                request,
                _("%(count)s wait times imported; %(refreshed)s verdicts updated.")
                % {"count": batch.waits.count(), "refreshed": refreshed},
            )
            return redirect("fund:wait_times")
        except UnicodeDecodeError:
            problems = [(0, _("The file is not UTF-8 text."))]
        except waittimes.WaitTimeError as error:
            problems = error.problems
    from bpd.fund.models import VisaDataset, WaitTimeImport

    return render(
        request,
        "fund/wait_times.html",
        {
            "form": form,
            "problems": problems,
            "imports": WaitTimeImport.objects.all()[:20],
            "dataset": VisaDataset.objects.first(),
        },
    )
