"""Claiming an offer: who may, and taking it so that the last code or seat goes to
exactly one member.

`eligibility(offer, user)` lists the reasons a member may not claim (empty: they may),
checked against their profile at claim time. `claim(*, offer, user, consent=False)`
takes the offer's row lock, checks again that the member has no claim and that a code or
seat is left (after the lock is held: two members claiming the last one at once queue on
the lock, and the second finds none left), then writes the claim and, for a pool, gives
the first free code. One claim per member per offer is also a database constraint, keyed
on the member, so a changed email never claims twice.

A claim from a pool of unique codes costs five queries however large or empty the pool:
the offer's lock, the member's profile, the first free code (a partial index), the
claim and the code's update."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bpd.members import mail, regions
from bpd.members.models import Profile
from bpd.partners.models import Claim, Code, Offer

K = Offer.Kind
# Kinds whose claims count against the offer's quantity while they are active.
LIMITED = {K.UNIQUE_CODES, K.SEATS}


class ClaimError(Exception):
    """A claim refused; the message is for the member, in their language."""


def profile_of(user):
    """The member's profile (one query), or None before they have one."""
    return Profile.objects.filter(user=user).first() if user.is_authenticated else None


def eligibility(offer, user, *, now=None, profile=False, claimed_before=None) -> list[str]:
    """Why `user` may not claim `offer` now (translated sentences; empty: they may).
    `profile`: theirs if already loaded; `claimed_before`: whether they ever claimed
    another offer (looked up when None and the offer asks)."""
    now = now or timezone.now()
    if not user.is_authenticated:
        return [_("Sign in as a member to claim it.")]
    if profile is False:
        profile = profile_of(user)
    reasons = []
    if offer.status != Offer.Status.APPROVED or offer.partner.status != offer.partner.Status.ACTIVE:
        reasons.append(_("This offer is not available."))
    if offer.starts_at and now < offer.starts_at:
        reasons.append(_("This offer is not open yet."))
    if offer.ends_at and now >= offer.ends_at:
        reasons.append(_("This offer has ended."))
    country = getattr(profile, "country", "") or ""
    if offer.countries and country not in offer.countries:
        reasons.append(_("This offer is for members in other countries."))
    # A region may be named at any M49 level: "002" Africa, "202" Sub-Saharan Africa,
    # "011" Western Africa (the intermediate level was missed before).
    areas = {
        regions.region_code(country, level) for level in ("region", "subregion", "intermediate")
    }
    if offer.regions and not (areas - {""}) & set(offer.regions):
        reasons.append(_("This offer is for members in other regions."))
    if offer.skill_levels and getattr(profile, "skill_level", "") not in offer.skill_levels:
        reasons.append(_("This offer is for members at another level of Python experience."))
    if offer.career_statuses and getattr(profile, "career_status", "") not in offer.career_statuses:
        reasons.append(_("This offer is for members in another career situation."))
    if offer.first_timers_until and now < offer.first_timers_until:
        if claimed_before is None:
            claimed_before = Claim.objects.filter(user=user).exclude(offer=offer).exists()
        if claimed_before:
            reasons.append(
                _("Until %(day)s this offer is for members claiming their first offer.")
                % {"day": timezone.localtime(offer.first_timers_until).date().isoformat()}
            )
    return reasons


def taken(offer) -> int:
    """Codes or seats held now (active claims)."""
    return offer.claims.filter(status=Claim.Status.ACTIVE).count()


def remaining(offer) -> int | None:
    """What is left to claim: None when the offer has no limit. A pool of codes is also
    limited by the free codes in it."""
    left = None
    if offer.quantity is not None:
        left = max(0, offer.quantity - taken(offer))
    if offer.kind == K.UNIQUE_CODES:
        free = offer.codes.filter(given_at__isnull=True, revoked=False).count()
        left = free if left is None else min(left, free)
    return left


def claim(*, offer, user, consent=False, now=None) -> Claim:
    """`user` claims `offer`; returns the claim (with its code for a pool). Seats need
    `consent` to share the member's email with the partner. Refusals raise ClaimError
    and write nothing."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            row = _claim(offer, user, consent, now)
            if row.offer.kind == K.SEATS:
                transaction.on_commit(lambda: _seat_claimed_mail(row))
            return row
    except IntegrityError:
        # The constraint one_claim_per_member: this member's claim is already in.
        raise ClaimError(_("You have already claimed this offer.")) from None


def _claim(offer, user, consent, now):
    offer = Offer.objects.select_for_update().select_related("partner").get(pk=offer.pk)
    profile = profile_of(user)
    claimed_before = None
    if offer.first_timers_until and now < offer.first_timers_until:
        claimed_before = Claim.objects.filter(user=user).exclude(offer=offer).exists()
    reasons = eligibility(offer, user, now=now, profile=profile, claimed_before=claimed_before)
    if reasons:
        raise ClaimError(reasons[0])
    if offer.kind == K.SEATS and not consent:
        raise ClaimError(
            _("A seat needs your agreement to share your email address with the partner.")
        )
    code = None
    if offer.kind == K.UNIQUE_CODES:
        # Looked for after the lock: whoever held it before may have taken the last one.
        # The pool is the limit (codes are never imported beyond the offer's quantity).
        code = (
            Code.objects.filter(offer=offer, given_at__isnull=True, revoked=False)
            .order_by("id")
            .first()
        )
        if code is None:
            raise ClaimError(_("Every code of this offer has been claimed."))
    elif offer.kind == K.SEATS and offer.quantity is not None and taken(offer) >= offer.quantity:
        raise ClaimError(_("Every seat of this offer has been claimed."))
    country = getattr(profile, "country", "") or ""
    row = Claim(
        offer=offer,
        user=user,
        claimed_at=now,
        country=country,
        region=regions.region_code(country, "region"),
    )
    if offer.kind == K.SEATS:
        row.shared_email, row.consented_at = user.email, now
    row.save(force_insert=True)  # a second claim by the member fails on the constraint
    if code is not None:
        # Still free: the offer's lock makes this certain on PostgreSQL; the condition
        # keeps SQLite (no row locks) from giving one code twice.
        if not Code.objects.filter(pk=code.pk, given_at__isnull=True).update(
            claim=row, given_at=now
        ):
            raise ClaimError(_("Someone claimed that code a moment ago. Please try again."))
        code.claim, code.given_at = row, now
    return row


def _seat_claimed_mail(row):
    """The member's confirmation: their seat is on its way, and what was shared."""
    user = row.user
    zone = getattr(Profile.objects.filter(user=user).first(), "time_zone", "") or None
    mail.send(user, "partners/email/claim_seat", {"claim": row, "offer": row.offer}, time_zone=zone)
