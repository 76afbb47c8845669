"""The treasurer's pages: rates, bookings, out-of-pocket costs, reports, wait times."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bpd.fund import exports, money, selectors, services, waittimes
from bpd.fund.forms import (
    BookingForm,
    BookingStatusForm,
    CancelAllForm,
    OutOfPocketForm,
    RateForm,
    WaitTimeImportForm,
)
from bpd.fund.models import (
    Application,
    Booking,
    Category,
    OutOfPocket,
    Round,
    VisaDataset,
    WaitTimeImport,
)
from bpd.fund.views.common import _attempt, _refuse_invalid
from bpd.members.roles import treasurer_required


@treasurer_required
def money_view(request, slug):
    round = get_object_or_404(Round.objects.money_for(request.user), slug=slug)
    form = RateForm(request.POST or None, round=round)
    if request.method == "POST" and form.is_valid():
        _attempt(
            request,
            lambda: services.set_rate(round=round, actor=request.user, **form.cleaned_data),
            _("Exchange rate saved."),
        )
        return redirect("fund:money", round.slug)
    context = {
        "round": round,
        "figures": selectors.round_money(round),
        "rates": round.rates.all(),
        "form": form,
    }
    return render(request, "fund/money.html", context)


def _bookable(request, pk):
    related = ("round", "event", "applicant__profile")
    return get_object_or_404(
        Application.objects.bookable_by(request.user).select_related(*related), pk=pk
    )


def _bookings_page(request, application, form=None, pocket_form=None):
    bookings = application.bookings.all()
    context = {
        "application": application,
        "round": application.round,
        "bookings": bookings,
        "form": form or BookingForm(prefix="booking"),
        "pocket_form": pocket_form or OutOfPocketForm(prefix="pocket"),
        "cancel_form": CancelAllForm(bookings=bookings, currency=application.round.currency),
        "out_of_pocket": application.out_of_pocket.all(),
        "headroom": selectors.application_money(application).headroom,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "fund/bookings.html", context, status=status)


@treasurer_required
def bookings(request, pk):
    return _bookings_page(request, _bookable(request, pk))


@treasurer_required
@require_POST
def add_booking(request, pk):
    application = _bookable(request, pk)
    form = BookingForm(request.POST, prefix="booking")
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "cost"}
        recorded = _attempt(
            request,
            lambda: services.add_booking(
                application=application, actor=request.user, amount=form.amount(), **data
            ),
            _("Booking recorded."),
        )
        if recorded:
            return redirect("fund:bookings", application.pk)
    return _bookings_page(request, application, form=form)


@treasurer_required
@require_POST
def booking_status(request, pk):
    booking = get_object_or_404(
        Booking.objects.filter(application__in=Application.objects.bookable_by(request.user)),
        pk=pk,
    )
    form = BookingStatusForm(request.POST)
    target = redirect("fund:bookings", booking.application_id)
    if not form.is_valid():
        return _refuse_invalid(request, form, "fund:bookings", booking.application_id)
    currency = booking.application.round.currency
    refund = money.to_minor(form.cleaned_data.get("refunded") or 0, currency)
    _attempt(
        request,
        lambda: services.set_booking_status(
            booking=booking, status=form.cleaned_data["status"], actor=request.user, refunded=refund
        ),
        _("Booking updated."),
    )
    return target


@treasurer_required
@require_POST
def cancel_all(request, pk):
    application = _bookable(request, pk)
    form = CancelAllForm(
        request.POST, bookings=application.bookings.all(), currency=application.round.currency
    )
    if not form.is_valid():
        return _refuse_invalid(request, form, "fund:bookings", application.pk)
    _attempt(
        request,
        lambda: services.cancel_after_refusal(
            application=application, actor=request.user, refunds=form.refunds()
        ),
        _("Bookings cancelled; refunds and losses recorded."),
    )
    return redirect("fund:bookings", application.pk)


@treasurer_required
@require_POST
def out_of_pocket(request, pk):
    application = _bookable(request, pk)
    form = OutOfPocketForm(request.POST, prefix="pocket")
    if not form.is_valid():
        return _bookings_page(request, application, pocket_form=form)
    data = form.cleaned_data
    recorded = _attempt(
        request,
        lambda: services.record_out_of_pocket(
            application=application,
            actor=request.user,
            description=data["description"],
            amount=money.to_minor(data["amount"], data["currency"]),
            currency=data["currency"],
        ),
        None,
    )
    if recorded:
        messages.warning(
            request,
            _("Out-of-pocket cost recorded. Pay it back to the traveller and mark it settled."),
        )
    return redirect("fund:bookings", application.pk)


@treasurer_required
@require_POST
def settle(request, pk):
    item = get_object_or_404(
        OutOfPocket.objects.filter(application__in=Application.objects.bookable_by(request.user)),
        pk=pk,
    )
    _attempt(request, lambda: services.settle_out_of_pocket(item=item, actor=request.user), None)
    return redirect("fund:bookings", item.application_id)


@treasurer_required
def report(request, slug):
    round = get_object_or_404(Round.objects.money_for(request.user), slug=slug)
    data = selectors.round_report(round)
    if request.GET.get("format") == "csv":
        return exports.report_csv(round, data)
    context = {"round": round, "data": data, "categories": dict(Category.choices)}
    return render(request, "fund/report.html", context)


@treasurer_required
def wait_times(request):
    form = WaitTimeImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            content = data.pop("file").read().decode("utf-8")
            batch, refreshed = services.import_wait_times(
                actor=request.user, content=content, **data
            )
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
    context = {
        "form": form,
        "problems": problems,
        "imports": WaitTimeImport.objects.all()[:20],
        "dataset": VisaDataset.objects.first(),
    }
    return render(request, "fund/wait_times.html", context)
