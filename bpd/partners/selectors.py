"""Reads for the public Partners page and the member's offers and claims.

Every list here costs the same few queries whatever the number of partners, offers or
claims: texts in the reader's language and the member's own claims are fetched once
for the whole list, never per row."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from bpd.members.roles import is_executor
from bpd.partners import claims
from bpd.partners.models import Claim, Code, Offer, OfferText, Partner, PartnerText
from bpd.website import languages


@dataclass(frozen=True)
class Text:
    description: str
    language: str  # the language the text is in
    translated: bool  # False: the reader's language had none, this is the original

    @property
    def language_name(self):
        return dict(settings.LANGUAGES).get(self.language, self.language)


def text_of(thing, language=None) -> Text:
    """`thing`'s description (a partner or an offer) in the reader's language, else the
    one it was written in. Reads the prefetched `in_language` rows (see `_texts`)."""
    language = language or languages.current()
    if language == thing.language:
        return Text(thing.description, thing.language, True)
    found = [row.description for row in getattr(thing, "in_language", ()) if row.description]
    if found:
        return Text(found[0], language, True)
    return Text(thing.description, thing.language, False)


def _texts(model, language):
    return Prefetch(
        "texts", queryset=model.objects.filter(language=language), to_attr="in_language"
    )


def _count(queryset):
    """A subquery counting `queryset` (correlated on the offer), 0 when empty."""
    counted = queryset.order_by().values("offer").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def live_offers(now=None):
    """Live offers with their partner, their text in the reader's language, and what is
    taken (`held`: active claims) and left in the pool (`free_codes`): one query, plus
    one for the texts."""
    return (
        Offer.objects.live(now)
        .select_related("partner")
        .prefetch_related(_texts(OfferText, languages.current()))
        .annotate(
            held=_count(Claim.objects.filter(offer=OuterRef("pk"), status=Claim.Status.ACTIVE)),
            free_codes=_count(
                Code.objects.filter(offer=OuterRef("pk"), given_at__isnull=True, revoked=False)
            ),
        )
        .order_by("partner__name", "title", "pk")
    )


def remaining(offer) -> int | None:
    """What is left of an offer from `live_offers` (None: no limit), as claims.remaining
    says, from the annotations instead of two more queries."""
    left = None
    if offer.quantity is not None and offer.kind in claims.LIMITED:
        left = max(0, offer.quantity - offer.held)
    if offer.kind == Offer.Kind.UNIQUE_CODES:
        left = offer.free_codes if left is None else min(left, offer.free_codes)
    return left


@dataclass
class ShownOffer:
    """An offer as a page shows it."""

    offer: Offer
    text: Text
    left: int | None = None
    reasons: list = field(default_factory=list)  # why this member may not claim it
    claim: Claim | None = None  # this member's claim of it

    @property
    def public(self):
        return self.offer.audience == Offer.Audience.PUBLIC and self.offer.kind in (
            Offer.Kind.SHARED_CODE,
            Offer.Kind.LINK,
        )


@dataclass
class ShownPartner:
    partner: Partner
    text: Text
    links: list
    offers: list  # ShownOffer, public ones first


def _partners_with_offers(partners, now=None):
    language = languages.current()
    partners = list(partners.prefetch_related(_texts(PartnerText, language)))
    by_partner = {partner.pk: [] for partner in partners}
    for offer in live_offers(now).filter(partner__in=partners):
        shown = ShownOffer(offer, text_of(offer, language))
        by_partner[offer.partner_id].append(shown)
    return [
        ShownPartner(
            partner=partner,
            text=text_of(partner, language),
            links=partner.links.split(),
            offers=sorted(by_partner[partner.pk], key=lambda shown: not shown.public),
        )
        for partner in partners
    ]


def public_partners(now=None) -> list[ShownPartner]:
    """Active partners, each with its text and live offers: three queries."""
    return _partners_with_offers(Partner.objects.active(), now)


def page_component(request, language, now=None):
    """A page's `[[component:partners]]`: active partners with a live offer (every live
    offer shows on the public Partners page), each with those offers in `live`; two
    queries. None (nothing shown) while no partner has one."""
    live = Offer.objects.live(now)
    partners = list(
        Partner.objects.active()
        .filter(Exists(live.filter(partner=OuterRef("pk"))))
        .prefetch_related(Prefetch("offers", queryset=live.order_by("title", "pk"), to_attr="live"))
    )
    return {"partners": partners} if partners else None


def partner_page(slug, viewer, now=None) -> ShownPartner | None:
    """One partner's page: active partners for everyone, ended ones for staff too."""
    partners = Partner.objects.all() if is_executor(viewer) else Partner.objects.active()
    found = _partners_with_offers(partners.filter(slug=slug), now)
    return found[0] if found else None


@dataclass
class MemberOffers:
    claimable: list  # ShownOffer the member may claim now
    not_now: list  # ShownOffer with the reasons they may not
    claimed: list  # ShownOffer the member already holds


def member_offers(user, now=None) -> MemberOffers:
    """The live offers as `user` sees them, split into what they may claim, what they
    may not (with the reasons) and what they already claimed: five queries at most."""
    now = now or timezone.now()
    language = languages.current()
    profile = claims.profile_of(user)
    own = {
        row.offer_id: row
        for row in Claim.objects.filter(user=user).only("pk", "offer_id", "status", "claimed_at")
    }
    found = MemberOffers([], [], [])
    for offer in live_offers(now):
        shown = ShownOffer(offer, text_of(offer, language), left=remaining(offer))
        if offer.pk in own:
            shown.claim = own[offer.pk]
            found.claimed.append(shown)
            continue
        claimed_before = any(offer_id != offer.pk for offer_id in own)
        shown.reasons = claims.eligibility(
            offer, user, now=now, profile=profile, claimed_before=claimed_before
        )
        if not shown.reasons and shown.left == 0:
            shown.reasons = [_all_taken(offer)]
        (found.not_now if shown.reasons else found.claimable).append(shown)
    return found


def _all_taken(offer):
    if offer.kind == Offer.Kind.SEATS:
        return _("Every seat of this offer has been claimed.")
    return _("Every code of this offer has been claimed.")


def claimable_offer(pk, now=None):
    """A live offer by its id (with its text), or None: members reach no other."""
    offer = live_offers(now).filter(pk=pk).first()
    if offer is None:
        return None
    return ShownOffer(offer, text_of(offer), left=remaining(offer))


def mine(user):
    """The member's claims, newest first, each with its offer, partner and code (one
    query), expired offers included: the member keeps seeing what they hold."""
    return list(
        Claim.objects.filter(user=user)
        .select_related("offer__partner", "code")
        .order_by("-claimed_at", "-pk")
    )


def code_of(claim):
    """The code given to `claim` (select_related), or None."""
    try:
        return claim.code
    except Code.DoesNotExist:
        return None


def hub_summary(user, now=None):
    """(number of offers the member may claim now, their active claims, the nearest end
    of an offer they hold, or None)."""
    now = now or timezone.now()
    offers = member_offers(user, now)
    ends = list(
        Claim.objects.filter(user=user, status=Claim.Status.ACTIVE).values_list(
            "offer__ends_at", flat=True
        )
    )
    nearest = min((end for end in ends if end and end > now), default=None)
    return len(offers.claimable), len(ends), nearest


def next_change(now=None):
    """When an approved offer next starts or ends: the public pages change then."""
    now = now or timezone.now()
    approved = Offer.objects.filter(status=Offer.Status.APPROVED)
    moments = [
        approved.filter(**{f"{name}__gt": now}).order_by(name).values_list(name, flat=True).first()
        for name in ("starts_at", "ends_at")
    ]
    return min((moment for moment in moments if moment), default=None)
