"""Partners of Black Python Devs (content creators and companies) and the offers they
make to members: a shared code, a pool of unique codes, seats the partner provisions for
named members, or a landing-page link.

A member claims an offer once (`Claim`, keyed on the member, never on an email). A unique
code or a seat is taken under the offer's row lock, with availability checked again after
the lock is held, so the last one goes to exactly one member. Partners see how their
offers are used in aggregate; the only personal data they see is the email a member
agreed, at claim time, to share for a seat."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

TEXT_LIMIT = 8000
CODE_LIMIT = 200


class PartnerQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Partner.Status.ACTIVE)

    def of(self, user):
        """The organisations `user` acts for as a partner (their scope, nothing else)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(people__user=user)


class Partner(models.Model):
    """An organisation that gives members something: its public page thanks it."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        ENDED = "ended", pgettext_lazy("partnership status", "Ended")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("address"), max_length=140, unique=True)
    # The description in the language it was written in; translations are PartnerText.
    language = models.CharField(_("language"), max_length=8, default="en")
    description = models.TextField(_("description"), max_length=TEXT_LIMIT, blank=True)
    # What the partner gives back to BPD, e.g. "20% of every sale is donated to BPD".
    gives_back = models.CharField(_("what they give back"), max_length=300, blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    # Other places the partner lives: one address per line.
    links = models.TextField(_("other links"), max_length=2000, blank=True)
    # The logo as a WebP rendition (`bpd.website.images.webp_rendition`), never the upload.
    logo = models.ImageField(_("logo"), upload_to="partners/", blank=True)
    logo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    logo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(Lower("name"), name="one_partner_per_name")]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self):
        return self.name


class PartnerText(models.Model):
    """The partner's description in another of the site's languages."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    description = models.TextField(_("description"), max_length=TEXT_LIMIT)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "language"], name="partner_text_per_language"
            )
        ]

    def __str__(self):
        return f"{self.partner} [{self.language}]"


class PartnerPerson(models.Model):
    """`user` acts for `partner` in the partner portal (and for no other partner)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="people")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_roles"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "user"], name="one_partner_role_per_person")
        ]

    def __str__(self):
        return f"{self.user} for {self.partner}"


class OfferQuerySet(models.QuerySet):
    def live(self, now=None):
        """Approved offers inside their validity window (what members may claim)."""
        now = now or timezone.now()
        return self.filter(
            status=Offer.Status.APPROVED, partner__status=Partner.Status.ACTIVE
        ).filter(
            Q(starts_at__isnull=True) | Q(starts_at__lte=now),
            Q(ends_at__isnull=True) | Q(ends_at__gt=now),
        )


class Offer(models.Model):
    """Something a partner gives members. Drafted by the partner or staff, approved by
    staff before any member sees it; an expired offer leaves members' lists and stays in
    reports."""

    class Kind(models.TextChoices):
        SHARED_CODE = "shared", _("One code for everyone")
        UNIQUE_CODES = "codes", _("A unique code for each member")
        SEATS = "seats", _("Seats the partner provisions")
        LINK = "link", _("A landing page")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", pgettext_lazy("offer status", "Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Audience(models.TextChoices):
        PUBLIC = "public", _("Anyone (shown on the public Partners page)")
        MEMBERS = "members", _("Members only")

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="offers")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=140)
    # The description in the language it was written in; translations are OfferText.
    language = models.CharField(_("language"), max_length=8, default="en")
    description = models.TextField(_("description"), max_length=TEXT_LIMIT, blank=True)
    # What the member gets, in a few words: "10% off", "a 30-day trial", "a free seat".
    value = models.CharField(_("what members get"), max_length=120)
    # The shared code (kind SHARED_CODE); unique codes are Code rows.
    shared_code = models.CharField(_("code"), max_length=CODE_LIMIT, blank=True)
    # Where the member redeems it, or the landing page itself (kind LINK).
    url = models.URLField(_("address"), max_length=500, blank=True)
    # Shared codes and links may be public; unique codes and seats are always for members.
    audience = models.CharField(
        _("who sees it"), max_length=10, choices=Audience.choices, default=Audience.MEMBERS
    )
    starts_at = models.DateTimeField(_("available from"), null=True, blank=True)
    ends_at = models.DateTimeField(_("available until"), null=True, blank=True)
    # How many members may claim it (seats: the seats; codes: at most the codes in the
    # pool). Empty: no limit (shared codes and links only).
    quantity = models.PositiveIntegerField(_("how many"), null=True, blank=True)
    # Eligibility, checked against the member's profile when they claim. Empty: anyone.
    countries = models.JSONField(_("countries"), default=list, blank=True)  # ISO 3166 alpha-2
    regions = models.JSONField(_("regions"), default=list, blank=True)  # UN M49 region codes
    skill_levels = models.JSONField(_("Python experience"), default=list, blank=True)
    career_statuses = models.JSONField(_("career status"), default=list, blank=True)
    # Until then, only members who have never claimed an offer may claim this one.
    first_timers_until = models.DateTimeField(
        _("first-time claimers only until"), null=True, blank=True
    )
    # Seats: a seat not used this many days after it was provisioned goes back to the pool
    # (a reminder is sent first). Empty: never reclaimed.
    reclaim_days = models.PositiveSmallIntegerField(
        _("reclaim unused seats after (days)"), null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("note to the partner"), max_length=500, blank=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        ordering = ["partner__name", "title", "pk"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")

    def __str__(self):
        return f"{self.partner}: {self.title}"


class OfferText(models.Model):
    """The offer's description in another of the site's languages."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    description = models.TextField(_("description"), max_length=TEXT_LIMIT)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["offer", "language"], name="offer_text_per_language")
        ]

    def __str__(self):
        return f"{self.offer} [{self.language}]"


class Claim(models.Model):
    """A member's claim of an offer: one per member per offer, whatever their email.

    Unique codes: the `Code` given. Seats: the email the member agreed to share (kept as
    it was shared, so the member sees exactly what the partner got), then provisioned and
    used as the partner reports; an unused seat is reclaimed after the offer's reclaim
    period (a reminder first) and goes back to the pool."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Yours")
        RECLAIMED = "reclaimed", _("Reclaimed (not used in time)")
        REVOKED = "revoked", _("Revoked")

    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="claims")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="offer_claims",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    claimed_at = models.DateTimeField(default=timezone.now)
    # UN M49 region and country of the member when they claimed (for the partner's
    # aggregate figures; kept when the account is deleted, the person is not).
    country = models.CharField(max_length=2, blank=True)
    region = models.CharField(max_length=3, blank=True)
    # Seats: what the member agreed to share with the partner, and when.
    shared_email = models.EmailField(blank=True)
    consented_at = models.DateTimeField(null=True, blank=True)
    provisioned_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=500, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-claimed_at", "-pk"]
        constraints = [
            # Keyed on the member: changing one's email never claims an offer twice.
            models.UniqueConstraint(
                fields=["offer", "user"],
                condition=Q(user__isnull=False),
                name="one_claim_per_member",
            )
        ]
        indexes = [models.Index(fields=["offer", "status"], name="claim_offer_status")]

    def __str__(self):
        return f"{self.offer} claimed by {self.user_id}"


class Code(models.Model):
    """One unique code of an offer's pool. Given to at most one claim; a revoked code is
    never given again (its member may have used it)."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(_("code"), max_length=CODE_LIMIT)
    claim = models.OneToOneField(
        Claim, on_delete=models.SET_NULL, null=True, blank=True, related_name="code"
    )
    given_at = models.DateTimeField(null=True, blank=True)
    # Reported by the partner (CSV upload of redemptions).
    redeemed_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)
    imported_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["offer", "code"], name="one_code_per_offer")]
        indexes = [
            # The next free code is the first row of this index, however empty the pool.
            models.Index(
                fields=["offer", "id"],
                condition=Q(given_at__isnull=True, revoked=False),
                name="code_free_in_pool",
            )
        ]

    def __str__(self):
        return self.code


class Redemption(models.Model):
    """A use the partner reported back (CSV upload): a code or seat used on a day. Counted
    in the portal; never tied to a person beyond the claim."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="redemptions")
    claim = models.ForeignKey(
        Claim, on_delete=models.SET_NULL, null=True, blank=True, related_name="redemptions"
    )
    reference = models.CharField(max_length=CODE_LIMIT)  # the code, or the seat's reference
    redeemed_on = models.DateField()
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reported_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-redeemed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "reference"], name="one_redemption_per_reference"
            )
        ]

    def __str__(self):
        return f"{self.offer}: {self.reference} on {self.redeemed_on}"
