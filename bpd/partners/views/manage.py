"""Partners: what staff manage (partners, the people who act for them, offers waiting
for approval, claims to revoke or re-issue) and the offer pages a partner's people
share with staff (writing an offer, sending it, withdrawing it, adding codes).

Staff pages are for executors only (others 403, visitors sent to sign in). Offer pages
are for executors and holders of the partner role; a partner's people reach their own
partner's offers only, through `Partner.objects.of(user)` (another partner's: 404).
Every write is one service call."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bpd.audit import selectors as audit_log
from bpd.members.roles import Role, executor_required, has_role, is_executor, role_required
from bpd.partners import forms, services
from bpd.partners.models import Claim, Code, Offer, Partner, PartnerPerson
from bpd.website.forms import ConfirmForm

PER_PAGE = 25
CLAIMS_PER_PAGE = 50
HISTORY_SHOWN = 30
K, S = Offer.Kind, Offer.Status


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _count(queryset, field):
    """A correlated count of `queryset` rows whose `field` is the outer row (0 if none)."""
    counted = (
        queryset.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_counts(offers):
    """Offers with `held` (active claims), `claims_count` (all claims) and `free_codes`
    (codes left in the pool), one query whatever the number of claims or codes."""
    return offers.annotate(
        held=_count(Claim.objects.filter(status=Claim.Status.ACTIVE), "offer"),
        claims_count=_count(Claim.objects.all(), "offer"),
        free_codes=_count(Code.objects.filter(given_at__isnull=True, revoked=False), "offer"),
    )


def left_of(offer):
    """What is left to claim of an offer annotated by `with_counts` (None: no limit)."""
    left = None
    if offer.quantity is not None:
        left = max(0, offer.quantity - offer.held)
    if offer.kind == K.UNIQUE_CODES:
        left = offer.free_codes if left is None else min(left, offer.free_codes)
    return left


def _portal_url():
    try:
        return reverse("partners:portal")
    except NoReverseMatch:
        return ""


# --- Staff: partners and their people ----------------------------------------------------


@executor_required
def manage(request):
    form = forms.StatusFilterForm(request.GET or None)
    status = form.chosen()
    partners = Partner.objects.annotate(
        people_count=_count(PartnerPerson.objects.all(), "partner"),
        live_count=_count(Offer.objects.live(), "partner"),
        pending_count=_count(Offer.objects.filter(status=S.PENDING), "partner"),
    ).order_by("name", "pk")
    if status:
        partners = partners.filter(status=status)
    page = Paginator(partners, PER_PAGE).get_page(request.GET.get("page"))
    waiting = (
        Offer.objects.filter(status=S.PENDING)
        .select_related("partner")
        .order_by("created_at", "pk")
    )
    context = {
        "filter_form": form,
        "page_obj": page,
        "query": _query(request),
        "waiting": list(waiting),
    }
    return render(request, "partners/manage/index.html", context)


@executor_required
def manage_new(request):
    form = forms.PartnerForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            partner = services.save_partner(
                by=request.user, data=form.partner_data(), logo=form.cleaned_data.get("logo")
            )
        except services.PartnerError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Partner added. Now add the people who act for it."))
            return redirect("partners:manage_partner", partner.pk)
    return render(request, "partners/manage/partner_new.html", {"form": form})


def _removal_form(person, data=None):
    return forms.ReasonForm(data, auto_id=f"remove_{person.pk}_%s")


def _partner_page(request, partner, *, form=None, person_form=None, removal=None):
    people = list(
        PartnerPerson.objects.filter(partner=partner)
        .select_related("user__profile")
        .order_by("added_at", "pk")
    )
    removals = [
        (person, removal[1] if removal and removal[0] == person.pk else _removal_form(person))
        for person in people
    ]
    offers = list(with_counts(partner.offers.order_by("-created_at", "-pk")))
    context = {
        "partner": partner,
        "form": form or forms.PartnerForm(partner=partner),
        "person_form": person_form or forms.PersonForm(auto_id="person_%s"),
        "removals": removals,
        "removal_refused": removal[1] if removal else None,
        "offers": [(offer, left_of(offer)) for offer in offers],
        "history": audit_log.history(partner).order_by("-at", "-pk")[:HISTORY_SHOWN],
    }
    return render(request, "partners/manage/partner.html", context)


@executor_required
def manage_partner(request, pk):
    partner = get_object_or_404(Partner.objects.prefetch_related("texts"), pk=pk)
    form = forms.PartnerForm(request.POST or None, request.FILES or None, partner=partner)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_partner(
                partner=partner,
                by=request.user,
                data=form.partner_data(),
                logo=form.cleaned_data.get("logo"),
                remove_logo=form.cleaned_data.get("remove_logo", False),
            )
        except services.PartnerError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("partners:manage_partner", partner.pk)
    return _partner_page(request, partner, form=form)


@executor_required
@require_POST
def person_add(request, pk):
    partner = get_object_or_404(Partner, pk=pk)
    form = forms.PersonForm(request.POST, auto_id="person_%s")
    if form.is_valid():
        try:
            services.add_person(partner=partner, by=request.user, email=form.cleaned_data["email"])
        except services.PartnerError as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, _("They act for this partner now, and have been emailed."))
            return redirect("partners:manage_partner", partner.pk)
    return _partner_page(request, partner, person_form=form)


@executor_required
@require_POST
def person_remove(request, pk):
    person = get_object_or_404(PartnerPerson.objects.select_related("partner"), pk=pk)
    partner = person.partner
    form = _removal_form(person, request.POST)
    if form.is_valid():
        try:
            services.remove_person(
                person=person, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.PartnerError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("They no longer act for this partner, and have been emailed.")
            )
            return redirect("partners:manage_partner", partner.pk)
    return _partner_page(request, partner, removal=(person.pk, form))


# --- Staff: an offer in full, its decision and its claims ----------------------------------------


def _claim_form(kind, claim, data=None):
    label = _("Why revoke it") if kind == "revoke" else _("Why re-issue it")
    return forms.ReasonForm(data, label=label, auto_id=f"{kind}_{claim.pk}_%s")


def _may_reissue(offer, claim):
    if offer.kind == K.UNIQUE_CODES:
        return claim.status in (Claim.Status.ACTIVE, Claim.Status.REVOKED)
    return offer.kind == K.SEATS and claim.status != Claim.Status.ACTIVE


def _review_page(request, offer, *, refused=None, **bound):
    offer = with_counts(Offer.objects.filter(pk=offer.pk)).select_related("partner").get()
    claims = (
        Claim.objects.filter(offer=offer)
        .select_related("user__profile", "code")
        .order_by("-claimed_at", "-pk")
    )
    page = Paginator(claims, CLAIMS_PER_PAGE).get_page(request.GET.get("page"))
    rows = []
    for claim in page.object_list:
        revoke = reissue = None
        if claim.status == Claim.Status.ACTIVE:
            revoke = _claim_form("revoke", claim)
        if _may_reissue(offer, claim):
            reissue = _claim_form("reissue", claim)
        if refused and refused[1] == claim.pk:
            if refused[0] == "revoke":
                revoke = refused[2]
            else:
                reissue = refused[2]
        rows.append((claim, revoke, reissue))
    context = {
        "offer": offer,
        "left": left_of(offer),
        "texts": list(offer.texts.order_by("language")),
        "page_obj": page,
        "rows": rows,
        "approve_form": forms.ReasonForm(
            required=False, label=_("Note to the partner (optional)"), auto_id="approve_%s"
        ),
        "reject_form": forms.ReasonForm(label=_("Why it is rejected"), auto_id="reject_%s"),
        "history": audit_log.history(offer).order_by("-at", "-pk")[:HISTORY_SHOWN],
        "claim_refused": refused[2] if refused else None,
        "Status": S,
        "Kind": K,
        **bound,
    }
    return render(request, "partners/manage/offer_review.html", context)


@executor_required
def offer_review(request, pk):
    return _review_page(request, get_object_or_404(Offer, pk=pk))


@executor_required
@require_POST
def offer_approve(request, pk):
    offer = get_object_or_404(Offer, pk=pk)
    form = forms.ReasonForm(
        request.POST,
        required=False,
        label=_("Note to the partner (optional)"),
        auto_id="approve_%s",
    )
    if form.is_valid():
        try:
            services.approve_offer(offer=offer, by=request.user, note=form.cleaned_data["reason"])
        except services.PartnerError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Approved: members can claim it within its dates. The partner has been emailed."),
            )
            return redirect("partners:offer_review", offer.pk)
    return _review_page(request, offer, approve_form=form)


@executor_required
@require_POST
def offer_reject(request, pk):
    offer = get_object_or_404(Offer, pk=pk)
    form = forms.ReasonForm(request.POST, label=_("Why it is rejected"), auto_id="reject_%s")
    if form.is_valid():
        try:
            services.reject_offer(offer=offer, by=request.user, note=form.cleaned_data["reason"])
        except services.PartnerError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Rejected; the partner has been emailed and may change it.")
            )
            return redirect("partners:offer_review", offer.pk)
    return _review_page(request, offer, reject_form=form)


def _claim_action(request, pk, kind, service, done):
    claim = get_object_or_404(Claim.objects.select_related("offer"), pk=pk)
    form = _claim_form(kind, claim, request.POST)
    if form.is_valid():
        try:
            service(claim=claim, by=request.user, reason=form.cleaned_data["reason"])
        except services.PartnerError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            return redirect("partners:offer_review", claim.offer_id)
    return _review_page(request, claim.offer, refused=(kind, claim.pk, form))


@executor_required
@require_POST
def claim_revoke(request, pk):
    return _claim_action(
        request,
        pk,
        "revoke",
        services.revoke_claim,
        _("Claim revoked; the member has been emailed."),
    )


@executor_required
@require_POST
def claim_reissue(request, pk):
    return _claim_action(
        request, pk, "reissue", services.reissue_claim, _("Re-issued; the member has been emailed.")
    )


# --- Offers: written by the partner's people or staff ------------------------------------------


def _writes_offers(user):
    return is_executor(user) or has_role(user, Role.PARTNER)


offer_writers_required = role_required(_writes_offers)


def _partners_for(user):
    return Partner.objects.all() if is_executor(user) else Partner.objects.of(user)


def _offer_for(request, pk):
    """The offer `pk` if it belongs to a partner `request.user` acts for (staff: any)."""
    partners = _partners_for(request.user)
    return get_object_or_404(
        Offer.objects.filter(partner__in=partners)
        .select_related("partner")
        .prefetch_related("texts"),
        pk=pk,
    )


def _editable(offer, user):
    """None when `user` may not change `offer` now, else whether only its dates,
    quantity and eligibility may change."""
    if offer.status == S.WITHDRAWN:
        return None
    if is_executor(user):
        return offer.status == S.APPROVED
    return False if offer.status in (S.DRAFT, S.REJECTED) else None


def _withdraw_confirm(data=None):
    return ConfirmForm(
        data,
        label=_("I understand that members can no longer claim it; claims made stay"),
        auto_id="withdraw_%s",
    )


def _offer_page(request, offer, form=None, confirm=None):
    limited = _editable(offer, request.user)
    if form is None and limited is not None:
        form = forms.OfferForm(offer=offer, limited=limited)
    counted = with_counts(Offer.objects.filter(pk=offer.pk)).get()
    context = {
        "offer": offer,
        "form": form if limited is not None else None,
        "limited": limited,
        "staff": is_executor(request.user),
        "held": counted.held,
        "left": left_of(counted),
        "withdraw_confirm": confirm or _withdraw_confirm(),
        "portal_url": _portal_url(),
        "Status": S,
        "Kind": K,
    }
    return render(request, "partners/manage/offer_edit.html", context)


def _after(request, offer):
    if is_executor(request.user):
        return redirect("partners:offer_review", offer.pk)
    return redirect("partners:offer_edit", offer.pk)


@offer_writers_required
def offer_new(request, slug):
    partner = get_object_or_404(_partners_for(request.user), slug=slug)
    form = forms.OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            offer = services.save_offer(partner=partner, by=request.user, data=form.offer_data())
        except services.OfferInvalid as error:
            form.add_service_errors(error)
        except services.PartnerError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved as a draft. Send it for approval when it is ready."))
            return redirect("partners:offer_edit", offer.pk)
    context = {"partner": partner, "form": form, "portal_url": _portal_url()}
    return render(request, "partners/manage/offer_new.html", context)


@offer_writers_required
def offer_edit(request, pk):
    offer = _offer_for(request, pk)
    limited = _editable(offer, request.user)
    form = None
    if request.method == "POST" and limited is not None:
        form = forms.OfferForm(request.POST, offer=offer, limited=limited)
        if form.is_valid():
            try:
                services.save_offer(
                    offer=offer, partner=offer.partner, by=request.user, data=form.offer_data()
                )
            except services.OfferInvalid as error:
                form.add_service_errors(error)
            except services.PartnerError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Saved."))
                return redirect("partners:offer_edit", offer.pk)
    return _offer_page(request, offer, form=form)


@offer_writers_required
@require_POST
def offer_submit(request, pk):
    offer = _offer_for(request, pk)
    try:
        services.submit_offer(offer=offer, by=request.user)
    except services.PartnerError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Sent for approval: BPD's staff have been emailed."))
    return redirect("partners:offer_edit", offer.pk)


@offer_writers_required
@require_POST
def offer_withdraw(request, pk):
    offer = _offer_for(request, pk)
    confirm = _withdraw_confirm(request.POST)
    if not confirm.is_valid():
        return _offer_page(request, offer, confirm=confirm)
    try:
        services.withdraw_offer(offer=offer, by=request.user)
    except services.PartnerError as error:
        messages.error(request, str(error))
        return redirect("partners:offer_edit", offer.pk)
    messages.success(request, _("Withdrawn: members can no longer claim it."))
    return _after(request, offer)


@offer_writers_required
def offer_codes(request, pk):
    offer = _offer_for(request, pk)
    form = forms.CodesForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = services.add_codes(offer=offer, by=request.user, text=form.codes_text())
        except services.PartnerError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(count)s codes added to the pool.") % {"count": added})
            return redirect("partners:offer_codes", offer.pk)
    pool = Code.objects.filter(offer=offer).aggregate(
        total=Count("pk"),
        free=Count("pk", filter=Q(given_at__isnull=True, revoked=False)),
        given=Count("pk", filter=Q(given_at__isnull=False, revoked=False)),
        revoked=Count("pk", filter=Q(revoked=True)),
    )
    context = {
        "offer": offer,
        "form": form,
        "pool": pool,
        "takes_codes": offer.kind == K.UNIQUE_CODES and offer.status != S.WITHDRAWN,
        "staff": is_executor(request.user),
        "portal_url": _portal_url(),
        "now": timezone.now(),
    }
    return render(request, "partners/manage/offer_codes.html", context)


urlpatterns = [
    path("manage/", manage, name="manage"),
    path("manage/new/", manage_new, name="manage_new"),
    path("manage/<int:pk>/", manage_partner, name="manage_partner"),
    path("manage/<int:pk>/people/", person_add, name="person_add"),
    path("manage/people/<int:pk>/remove/", person_remove, name="person_remove"),
    path("manage/offers/<int:pk>/", offer_review, name="offer_review"),
    path("manage/offers/<int:pk>/approve/", offer_approve, name="offer_approve"),
    path("manage/offers/<int:pk>/reject/", offer_reject, name="offer_reject"),
    path("manage/claims/<int:pk>/revoke/", claim_revoke, name="claim_revoke"),
    path("manage/claims/<int:pk>/reissue/", claim_reissue, name="claim_reissue"),
    path("portal/<slug:slug>/offers/new/", offer_new, name="offer_new"),
    path("offers/<int:pk>/edit/", offer_edit, name="offer_edit"),
    path("offers/<int:pk>/submit/", offer_submit, name="offer_submit"),
    path("offers/<int:pk>/withdraw/", offer_withdraw, name="offer_withdraw"),
    path("offers/<int:pk>/codes/", offer_codes, name="offer_codes"),
]
