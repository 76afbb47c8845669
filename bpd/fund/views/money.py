"""The treasurer's pages: rates, bookings, out-of-pocket costs, reports, wait times."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bpd.fund import exports, selectors, services, waittimes
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
from bpd.ledger import money
from bpd.members.roles import treasurer_required
from bpd.website.forms import ConfirmForm

CANCELLED = Booking.Status.CANCELLED


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


def cancel_confirm_form(data=None):
    return ConfirmForm(
        data,
        label=_(
            "I understand that every open booking is cancelled, and what is paid and not "
            "refunded is recorded as a loss"
        ),
        auto_id="cancel_%s",
    )


def status_confirm_form(booking, data=None):
    """The box in front of cancelling one booking, with ids of its own (one per row)."""
    return ConfirmForm(
        data,
        label=_("I understand that cancelling cannot be undone"),
        auto_id=f"status_{booking.pk}_%s",
    )


def _bookings_page(
    request, application, form=None, pocket_form=None, cancel=None, status_confirm=None
):
    """The bookings page; after a refused form it comes back with that form bound, so
    its errors show (`status_confirm` is one row's (booking id, bound box))."""
    bookings = list(application.bookings.all())
    currency = application.round.currency
    for booking in bookings:
        # Cancelling has its own form and box; the status list offers the other moves.
        following = booking.next_statuses()
        booking.other_statuses = [s for s in following if s[0] != CANCELLED]
        booking.can_cancel = len(booking.other_statuses) < len(following)
        # The refund received is asked for only where a move records it (a paid booking,
        # cancelled -> refunded), prefilled with the refund expected; the refund expected only
        # when a paid booking is cancelled, prefilled with the service's default.
        booking.takes_refund = any(s == Booking.Status.REFUNDED for s, __ in booking.other_statuses)
        booking.refund_prefill = exports.major(booking.expected_refund, currency)
        booking.expected_prefill = exports.major(
            booking.amount_in_round_currency if booking.refundable else 0, currency
        )
        booking.confirm_form = status_confirm_form(booking)
        if status_confirm and status_confirm[0] == booking.pk:
            booking.confirm_form = status_confirm[1]
            # Back with the refund as typed, not the default: it is what they meant.
            booking.expected_prefill = request.POST.get("expected_refund", "")
    cancel_form, cancel_confirm = cancel or (
        CancelAllForm(bookings=bookings, currency=application.round.currency),
        cancel_confirm_form(),
    )
    context = {
        "application": application,
        "round": application.round,
        "bookings": bookings,
        "form": form or BookingForm(prefix="booking", round=application.round),
        "pocket_form": pocket_form or OutOfPocketForm(prefix="pocket", round=application.round),
        "cancel_form": cancel_form,
        "cancel_confirm_form": cancel_confirm,
        # The bound box of a refused row, for the error summary (rows' boxes are not
        # in the context by themselves).
        "status_confirm_form": status_confirm[1] if status_confirm else None,
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
    form = BookingForm(request.POST, prefix="booking", round=application.round)
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
    """A booking's next status; cancelling (which cannot be undone) needs the box ticked."""
    booking = get_object_or_404(
        Booking.objects.filter(application__in=Application.objects.bookable_by(request.user)),
        pk=pk,
    )
    form = BookingStatusForm(request.POST, booking=booking)
    target = redirect("fund:bookings", booking.application_id)
    if not form.is_valid():
        return _refuse_invalid(request, form, "fund:bookings", booking.application_id)
    if form.cleaned_data["status"] == CANCELLED:
        confirm = status_confirm_form(booking, request.POST)
        if not confirm.is_valid():
            application = _bookable(request, booking.application_id)
            return _bookings_page(request, application, status_confirm=(booking.pk, confirm))
    currency = booking.application.round.currency
    amounts = {
        name: money.to_minor(form.cleaned_data[name], currency)
        for name in ("expected_refund", "refunded")
        if form.cleaned_data.get(name) is not None
    }
    _attempt(
        request,
        lambda: services.set_booking_status(
            booking=booking, status=form.cleaned_data["status"], actor=request.user, **amounts
        ),
        _("Booking updated."),
    )
    return target


@treasurer_required
@require_POST
def cancel_all(request, pk):
    """After a refused visa: cancel every open booking, once the box is ticked."""
    application = _bookable(request, pk)
    form = CancelAllForm(
        request.POST, bookings=application.bookings.all(), currency=application.round.currency
    )
    confirm = cancel_confirm_form(request.POST)
    if not all([form.is_valid(), confirm.is_valid()]):
        return _bookings_page(request, application, cancel=(form, confirm))
    _attempt(
        request,
        lambda: services.cancel_after_refusal(
            application=application, actor=request.user, expected_refunds=form.expected_refunds()
        ),
        _("Bookings cancelled. Record each refund on its row when it arrives."),
    )
    return redirect("fund:bookings", application.pk)


@treasurer_required
@require_POST
def out_of_pocket(request, pk):
    application = _bookable(request, pk)
    form = OutOfPocketForm(request.POST, prefix="pocket", round=application.round)
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
    statuses = dict(Application.Status.choices)
    visas = dict(Application._meta.get_field("visa_decision").choices)
    context = {
        "round": round,
        "data": data,
        "categories": dict(Category.choices),
        # Labels, not codes: (label, code, count).
        "outcomes": [(statuses.get(k, k), k, n) for k, n in data["outcomes"].items()],
        "visas": [(visas.get(k, k), k, n) for k, n in data["visas"].items()],
    }
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
