"""The partner portal: a partner's offers and their use, its seats to provision, and the
redemptions it reports back. Partner people see their own partners only (another
partner's offer is a 404), executors every partner; members and others get 403.

Thin views: each fetches through `portal.offers_for(user)`, parses one form and calls one
service of `bpd.partners.portal`."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bpd.members.roles import role_required
from bpd.partners import portal
from bpd.partners import portal_forms as f
from bpd.partners.models import Offer
from bpd.website import spreadsheet

portal_required = role_required(portal.may_use)
SEATS_PER_PAGE = 100


@portal_required
def index(request):
    """The partners this person acts for (every partner for executors), each with its
    offers: kind, status, validity, what is left, claims and redemptions."""
    partners = portal.portal_partners(request.user)
    return render(request, "partners/portal/index.html", {"partners": partners})


def _offer(request, pk):
    return get_object_or_404(portal.offers_for(request.user).select_related("partner"), pk=pk)


@portal_required
def offer(request, pk):
    """One offer's use per month and per region, counts below 10 hidden."""
    offer = _offer(request, pk)
    context = {"offer": offer, "tables": portal.use_tables(offer), "small": portal.SMALL}
    return render(request, "partners/portal/offer.html", context)


@portal_required
def offer_csv(request, pk):
    offer = _offer(request, pk)
    return _csv(f"offer-{offer.pk}-use.csv", portal.use_rows(portal.use_tables(offer)))


@portal_required
def redemptions(request, pk):
    """Upload the redemptions the partner reports back; a report of what was recorded."""
    offer = _offer(request, pk)
    reportable = offer.kind in portal.REPORTABLE
    form = f.RedemptionsForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and reportable and form.is_valid():
        report = portal.report_redemptions(
            offer=offer, by=request.user, file=form.cleaned_data["file"]
        )
        if report.ok:
            messages.success(
                request,
                _("%(recorded)s recorded, %(known)s already known.")
                % {"recorded": report.recorded, "known": report.known},
            )
            return redirect("partners:portal_redemptions", offer.pk)
        for line in report.error_lines():
            form.add_error("file", line)
    context = {"offer": offer, "form": form, "reportable": reportable, "report": report}
    return render(request, "partners/portal/redemptions.html", context)


def _seat_offer(request, pk):
    offer = _offer(request, pk)
    if offer.kind != Offer.Kind.SEATS:
        raise Http404
    return offer


@portal_required
def seats(request, pk):
    """Seats to provision: the active seat claims with the email each member shared; mark
    them provisioned or used."""
    offer = _seat_offer(request, pk)
    page = Paginator(portal.seat_claims(offer), SEATS_PER_PAGE).get_page(request.GET.get("page"))
    form = f.SeatsForm(request.POST or None, claims=page.object_list)
    if request.method == "POST" and form.is_valid():
        used = request.POST.get("action") == "used"
        try:
            changed = portal.mark_seats(
                offer=offer, claim_pks=form.cleaned_data["seats"], by=request.user, used=used
            )
        except portal.PortalError as error:
            messages.error(request, str(error))
        else:
            if used:
                text = ngettext("%(n)d seat marked used.", "%(n)d seats marked used.", changed)
            else:
                text = ngettext(
                    "%(n)d seat marked provisioned.", "%(n)d seats marked provisioned.", changed
                )
            messages.success(request, text % {"n": changed})
            return redirect(request.get_full_path())
    context = {"offer": offer, "page_obj": page, "form": form, "base": request.path}
    return render(request, "partners/portal/seats.html", context)


@portal_required
def seats_csv(request, pk):
    offer = _seat_offer(request, pk)
    return _csv(f"offer-{offer.pk}-seats.csv", portal.seat_rows(offer))


class _Echo:
    def write(self, value):
        return value


def _csv(filename, rows):
    writer = spreadsheet.Writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


urlpatterns = [
    path("portal/", index, name="portal"),
    path("portal/offers/<int:pk>/", offer, name="portal_offer"),
    path("portal/offers/<int:pk>/use.csv", offer_csv, name="portal_offer_csv"),
    path("portal/offers/<int:pk>/redemptions/", redemptions, name="portal_redemptions"),
    path("portal/offers/<int:pk>/seats/", seats, name="portal_seats"),
    path("portal/offers/<int:pk>/seats.csv", seats_csv, name="portal_seats_csv"),
]
