"""The treasurer's payments to organisers: the approved sponsorships waiting for their
payment and those paid, and one request's page where its payment (or, once cancelled,
its refund) is recorded. For the treasurer and executors (`treasurer_required`).

Requests are fetched through `payable_by`: approved or later only (a draft is not the
treasurer's business); anything else is a 404. Each POST parses one form and calls one
service in `bpd.communities.payments`; a refusal comes back on the page, beside the form."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bpd.communities import payments as services
from bpd.communities import policy as rules
from bpd.communities.models import SponsorshipRequest
from bpd.communities.payments_forms import PaymentForm, RefundForm
from bpd.ledger.models import Entry
from bpd.members.roles import is_treasurer, treasurer_required

S = SponsorshipRequest.Status
PER_PAGE = 25


def payable_by(user):
    """The requests whose money `user` may see and record: the treasurer and executors,
    every request from its approval on."""
    if not is_treasurer(user):
        return SponsorshipRequest.objects.none()
    return SponsorshipRequest.objects.filter(status__in=(S.APPROVED, *services.PAID_OR_LATER))


def _currency(request):
    return request.decided_policy.currency if request.decided_policy_id else "USD"


@treasurer_required
def index(request):
    visible = payable_by(request.user).select_related("community", "decided_policy")
    waiting = list(visible.filter(status=S.APPROVED).order_by("starts_on", "pk"))
    paid = visible.filter(status__in=services.PAID_OR_LATER, paid_at__isnull=False)
    page = Paginator(paid.order_by("-paid_at", "-pk"), PER_PAGE).get_page(request.GET.get("page"))
    figures = services.ledger_figures([*waiting, *page.object_list])
    for row in [*waiting, *page.object_list]:
        row.currency = _currency(row)
        row.ledger = figures.get(row.pk)
    context = {"waiting": waiting, "page_obj": page, "query": ""}
    return render(request, "communities/payments/index.html", context)


def _payable(request, pk):
    return get_object_or_404(
        payable_by(request.user).select_related("community", "city", "decided_policy"), pk=pk
    )


def _page(request, sponsorship, *, payment_form=None, refund_form=None):
    pool = services.pool_of(sponsorship)
    currency = pool.currency if pool else _currency(sponsorship)
    entries = list(
        Entry.objects.filter(source=rules.source_of(sponsorship))
        .select_related("pool")
        .order_by("occurred_on", "pk")
    )
    ledger = services.ledger_figures([sponsorship]).get(sponsorship.pk)
    context = {
        "sponsorship": sponsorship,
        "currency": currency,
        "entries": entries,
        "ledger": ledger,
        # A refused form comes back bound, whatever the request's state, so its error shows.
        "payment_form": payment_form,
        "refund_form": refund_form,
    }
    if payment_form is None and sponsorship.status == S.APPROVED:
        context["payment_form"] = PaymentForm(pool_currency=currency)
    refundable = sponsorship.status == S.CANCELLED and ledger and ledger.outstanding > 0
    if refund_form is None and refundable:
        context["refund_form"] = RefundForm(pool_currency=currency)
    status = 400 if request.method == "POST" else 200
    return render(request, "communities/payments/request.html", context, status=status)


@treasurer_required
def payment(request, pk):
    """GET: the request's money and, while it is approved, the payment form; POST: record
    the payment."""
    sponsorship = _payable(request, pk)
    if request.method != "POST":
        return _page(request, sponsorship)
    pool = services.pool_of(sponsorship)
    form = PaymentForm(
        request.POST, pool_currency=pool.currency if pool else _currency(sponsorship)
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_payment(
                request=sponsorship,
                by=request.user,
                amount=form.minor(),
                currency=data["currency"],
                rate=data["rate"],
                reference=data["reference"],
                paid_on=data["date"],
            )
        except services.PaymentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Payment recorded. The community's leaders have been told by email."),
            )
            return redirect("communities:payment", sponsorship.pk)
    return _page(request, sponsorship, payment_form=form)


@treasurer_required
@require_POST
def refund(request, pk):
    sponsorship = _payable(request, pk)
    pool = services.pool_of(sponsorship)
    form = RefundForm(request.POST, pool_currency=pool.currency if pool else _currency(sponsorship))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_refund(
                request=sponsorship,
                by=request.user,
                amount=form.minor(),
                currency=data["currency"],
                rate=data["rate"],
                reason=data["reason"],
                reference=data["reference"],
                refunded_on=data["date"],
            )
        except services.PaymentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Refund recorded."))
            return redirect("communities:payment", sponsorship.pk)
    return _page(request, sponsorship, refund_form=form)


urlpatterns = [
    path("payments/", index, name="payments"),
    path("payments/<int:pk>/", payment, name="payment"),
    path("payments/<int:pk>/refund/", refund, name="payment_refund"),
]
