"""The member's offers: what they may claim (and what not, and why), claiming one, and
"your codes and seats". Reads go through `selectors` (live offers only, the member's own
claims only); the one write is `claims.claim`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from bpd.partners import claims, selectors
from bpd.partners.member_forms import ClaimForm
from bpd.partners.models import Claim, Offer


@login_required
@require_GET
def offers(request):
    context = {"found": selectors.member_offers(request.user)}
    return render(request, "partners/member/offers.html", context)


@login_required
def claim(request, pk):
    shown = selectors.claimable_offer(pk)
    if shown is None:
        raise Http404
    offer = shown.offer
    # Bound on every POST: a one-click claim posts no field at all.
    data = request.POST if request.method == "POST" else None
    form = ClaimForm(data, offer=offer, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            claims.claim(offer=offer, user=request.user, consent=form.agreed())
        except claims.ClaimError as error:
            messages.error(request, str(error))
            return redirect("partners:offers")
        messages.success(request, _claimed_message(offer))
        return redirect("partners:mine")
    already = Claim.objects.filter(offer=offer, user=request.user).exists()
    reasons = [] if already else claims.eligibility(offer, request.user)
    context = {"shown": shown, "form": form, "already": already, "reasons": reasons}
    return render(request, "partners/member/claim.html", context)


def _claimed_message(offer):
    if offer.kind == Offer.Kind.SEATS:
        return _(
            "Your seat is on its way: %(partner)s will set it up for your email address. "
            "We sent you an email."
        ) % {"partner": offer.partner.name}
    return _("It is yours: %(value)s from %(partner)s.") % {
        "value": offer.value,
        "partner": offer.partner.name,
    }


@login_required
@require_GET
def mine(request):
    rows = [(row, selectors.code_of(row)) for row in selectors.mine(request.user)]
    return render(request, "partners/member/mine.html", {"rows": rows})


urlpatterns = [
    path("offers/", offers, name="offers"),
    path("offers/<int:pk>/claim/", claim, name="claim"),
    path("mine/", mine, name="mine"),
]
