"""Local Black Python Devs communities, the sponsorship BPD gives their conferences and
meetups, and the sponsored tickets drawn by a lottery anyone can verify.

Three parts, one app, because each needs the one before:
- communities: a place, its leaders (a leader acts for their own community only) and
  the members who join or follow it; the events it hosts (`HostedEvent`);
- sponsorship: a request checked against the versioned `Policy` before it is sent,
  decided by executors, paid by the treasurer straight to the organiser (the ledger);
- tickets: a `Draw` per sponsorship, published before its window closes (a commitment
  to a secret seed and the named public randomness it will be combined with), its
  entries, the order they were drawn in, and the codes given to the winners."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bpd.conferences.models import Conference
from bpd.events.models import Event
from bpd.members.models import City

TEXT_LIMIT = 8000


# --- Communities ---------------------------------------------------------------------


class CommunityQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Community.Status.ACTIVE)

    def led_by(self, user):
        """Communities `user` leads. Executors act for every community through their own
        pages; this is the scope of the leader role alone."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(leaderships__user=user)


class Community(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Active")
        DECLINED = "declined", pgettext_lazy("community status", "Declined")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("address"), max_length=140, unique=True)
    city = models.ForeignKey(City, on_delete=models.PROTECT, verbose_name=_("city"))
    # Copied from the city, so lists filter and group by country without a join.
    country = models.CharField(_("country"), max_length=2, db_index=True)
    # The description in the language it was written in; translations are CommunityText.
    language = models.CharField(_("language"), max_length=8, default="en")
    description = models.TextField(_("description"), max_length=TEXT_LIMIT)
    website = models.URLField(_("website"), max_length=500, blank=True)
    # Other places the community lives (Meetup, Discord, social media): one address per line.
    links = models.TextField(_("other links"), max_length=2000, blank=True)
    # The logo as a WebP rendition (`bpd.website.images.webp_rendition`), never the upload.
    logo = models.ImageField(_("logo"), upload_to="communities/", blank=True)
    logo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    logo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="communities_proposed",
    )
    # Why the proposal was declined, or anything the proposer should know.
    decision_note = models.CharField(_("note to the proposer"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "city", name="one_community_name_per_city")
        ]
        verbose_name = _("community")
        verbose_name_plural = _("communities")

    def __str__(self):
        return self.name


class CommunityText(models.Model):
    """The description in another of the site's languages."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    description = models.TextField(_("description"), max_length=TEXT_LIMIT)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["community", "language"], name="community_text_per_language"
            )
        ]

    def __str__(self):
        return f"{self.community} [{self.language}]"


class Leadership(models.Model):
    """`user` leads `community`: may edit it, host its events and ask for sponsorship."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="leaderships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="leaderships"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["community", "user"], name="one_leadership_per_person")
        ]

    def __str__(self):
        return f"{self.user} leads {self.community}"


class Membership(models.Model):
    """A member who joined a community (counts as its member; priority in its draws) or
    only follows it (hears about its events)."""

    class Kind(models.TextChoices):
        MEMBER = "member", _("Member")
        FOLLOWER = "follower", _("Follower")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_memberships"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["community", "user"], name="one_membership_per_person")
        ]

    def __str__(self):
        return f"{self.user} in {self.community} ({self.kind})"


class HostedEvent(models.Model):
    """An event (bpd.events) the community hosts: its leaders manage it."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="community_host")
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="hosted")
    # When its members and followers were told it is on (a scheduled job, once published).
    announced_at = models.DateTimeField(null=True, blank=True, editable=False)

    def __str__(self):
        return f"{self.event} by {self.community}"


# --- Sponsorship -----------------------------------------------------------------------


class Policy(models.Model):
    """The rules a sponsorship request is checked against. Never edited in place: a change
    is a new version, and every submission and decision records the version it met.

    Amounts are minor units of `currency` (the pools' currency). Defaults follow the
    PSF's published grant rules: apply at least six weeks ahead, about USD 10 per attendee."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    min_lead_days = models.PositiveIntegerField(
        _("minimum days between request and event"), default=42
    )
    lead_time_hard = models.BooleanField(_("lead time is a hard rule"), default=True)
    max_per_event = models.BigIntegerField(_("most for one event"), default=150000)
    per_event_hard = models.BooleanField(_("most per event is a hard rule"), default=True)
    max_per_attendee = models.BigIntegerField(_("most per expected attendee"), default=1000)
    per_attendee_hard = models.BooleanField(_("most per attendee is a hard rule"), default=False)
    max_per_ticket = models.BigIntegerField(_("most per sponsored ticket"), default=10000)
    per_ticket_hard = models.BooleanField(_("most per ticket is a hard rule"), default=False)
    max_per_community_year = models.BigIntegerField(
        _("most for one community in a year"), default=300000
    )
    per_community_hard = models.BooleanField(
        _("most per community per year is a hard rule"), default=False
    )
    # The year's pool for all sponsorships; each region's share is a RegionPool. Pools are
    # always hard: money committed never exceeds them (bpd.ledger.services.commit).
    pool_total = models.BigIntegerField(_("the year's pool"), default=2000000)
    note = models.CharField(_("what changed and why"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_per_event__gte=0)
                & models.Q(max_per_attendee__gte=0)
                & models.Q(max_per_ticket__gte=0)
                & models.Q(max_per_community_year__gte=0)
                & models.Q(pool_total__gte=0),
                name="policy_not_negative",
            )
        ]
        verbose_name = _("sponsorship policy")
        verbose_name_plural = _("sponsorship policies")

    def __str__(self):
        return f"v{self.version}"

    @classmethod
    def current(cls):
        """The newest version (the defaults, as version 1, when none was saved yet)."""
        return cls.objects.order_by("-version").first() or cls.objects.create(version=1)


class RegionPool(models.Model):
    """A region's share of the year's pool under one policy version (UN M49 region code)."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="region_pools")
    region = models.CharField(_("region"), max_length=3)
    amount = models.BigIntegerField(_("the region's pool"))

    class Meta:
        ordering = ["region"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "region"], name="one_pool_per_region"),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="region_pool_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.region}: {self.amount}"


class SponsorshipRequest(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        CHANGES_REQUESTED = "changes", _("Changes requested")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        PAID = "paid", _("Paid")
        TICKETS_ISSUED = "tickets", _("Tickets issued")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        CANCELLED = "cancelled", _("Cancelled")

    class Distribution(models.TextChoices):
        LOTTERY = "lottery", _("A BPD lottery among members near the event")
        COMMUNITY = "community", _("The community gives them to named members")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="requests")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sponsorship_requests",
    )
    # What is sponsored: one of the community's events, or a conference from the list.
    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("event")
    )
    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("conference")
    )
    title = models.CharField(_("event name"), max_length=200)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    city = models.ForeignKey(City, on_delete=models.PROTECT, verbose_name=_("city"))
    country = models.CharField(_("country"), max_length=2)
    expected_attendance = models.PositiveIntegerField(_("expected attendance"))
    ticket_price = models.BigIntegerField(_("ticket price (minor units)"))
    ticket_currency = models.CharField(_("ticket currency"), max_length=3)
    tickets_requested = models.PositiveIntegerField(_("tickets requested"))
    # In the policy's (the pools') currency.
    amount = models.BigIntegerField(_("amount requested (minor units)"))
    organiser_name = models.CharField(_("organiser who will invoice BPD"), max_length=200)
    organiser_contact = models.EmailField(_("organiser's email"), max_length=254)
    organiser_details = models.TextField(_("invoicing details"), max_length=2000, blank=True)
    distribution = models.CharField(
        _("how tickets reach members"),
        max_length=10,
        choices=Distribution.choices,
        default=Distribution.LOTTERY,
    )
    report_plan = models.TextField(
        _("what the community will report afterwards"), max_length=TEXT_LIMIT
    )
    # Why the request should go ahead although it breaks a soft rule.
    justification = models.TextField(_("justification"), max_length=TEXT_LIMIT, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # The policy version the request was last checked against on submission, and the
    # checks as they stood then (a list of {"rule", "ok", "hard", "value", "limit"}).
    submitted_policy = models.ForeignKey(
        Policy, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_checks = models.JSONField(default=list, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The decision: who, when, under which version, and the reason a rule was overridden.
    decided_policy = models.ForeignKey(
        Policy, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    override_reason = models.TextField(
        _("reason for overriding a rule"), max_length=2000, blank=True
    )
    # What was approved (may be less than asked), in the policy's currency.
    amount_approved = models.BigIntegerField(
        _("amount approved (minor units)"), null=True, blank=True
    )
    tickets_approved = models.PositiveIntegerField(_("tickets approved"), null=True, blank=True)
    paid_at = models.DateField(_("paid on"), null=True, blank=True)
    # The community's report after the event, and the tickets actually used.
    outcome_report = models.TextField(_("report"), max_length=TEXT_LIMIT, blank=True)
    tickets_used = models.PositiveIntegerField(_("tickets used"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0) & models.Q(ticket_price__gte=0),
                name="request_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="request_dates_in_order",
            ),
        ]
        verbose_name = _("sponsorship request")
        verbose_name_plural = _("sponsorship requests")

    def __str__(self):
        return f"{self.title} ({self.community})"


class Transition(models.Model):
    """One step of a request's life: who moved it, from where to where, and why."""

    request = models.ForeignKey(
        SponsorshipRequest, on_delete=models.CASCADE, related_name="transitions"
    )
    name = models.CharField(max_length=30)
    from_status = models.CharField(max_length=10, choices=SponsorshipRequest.Status.choices)
    to_status = models.CharField(max_length=10, choices=SponsorshipRequest.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.request_id}: {self.from_status} → {self.to_status}"


# --- Sponsored tickets and the draw ------------------------------------------------------


class Draw(models.Model):
    """The lottery for one sponsorship's tickets (see `bpd.communities.lottery`).

    Its rules are published before the window closes: the tiers, the number of tickets,
    the algorithm, `commitment` (SHA-256 of the secret seed) and the public randomness it
    will be combined with (`randomness_source`, e.g. "drand quicknet round 12345678",
    named in advance; its value is typed in at the draw). At the draw the secret is
    revealed, the combined seed fixed, and every entry ranked."""

    class Tier(models.TextChoices):
        FIRST_TIME = "first_time", _("First BPD-sponsored ticket")
        NOT_FUNDED = "not_funded", _("Not funded by BPD this year")
        COMMUNITY_MEMBER = "community_member", _("Member of the hosting community")

    request = models.OneToOneField(
        SponsorshipRequest, on_delete=models.PROTECT, related_name="draw"
    )
    tickets = models.PositiveIntegerField(_("tickets"))
    opens_at = models.DateTimeField(_("applications open"))
    closes_at = models.DateTimeField(_("applications close"))
    # Who may enter: members in the event's country, or within this many km of its city.
    radius_km = models.PositiveIntegerField(_("or within (km)"), null=True, blank=True)
    # The draw's priority rules, in order (Tier values); see lottery.tier_of.
    priorities = models.JSONField(_("priority rules"), default=list, blank=True)
    confirm_days = models.PositiveIntegerField(_("days a winner has to confirm"), default=5)
    algorithm = models.CharField(max_length=40, default="bpd-draw-v1")
    commitment = models.CharField(max_length=64)
    # Hidden until the draw: only its hash (commitment) is shown before.
    secret = models.CharField(max_length=64)
    randomness_source = models.CharField(_("public randomness it will use"), max_length=200)
    randomness_value = models.CharField(_("public randomness value"), max_length=200, blank=True)
    seed = models.CharField(max_length=64, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    drawn_at = models.DateTimeField(null=True, blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-closes_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="draw_window_in_order"
            )
        ]

    def __str__(self):
        return f"Draw for {self.request}"


class TicketEntry(models.Model):
    """One member's application for a sponsored ticket. Public pages show the number only."""

    class Status(models.TextChoices):
        ENTERED = "entered", _("Entered")
        WAITING = "waiting", _("Waiting")  # drawn, below the tickets, in order
        OFFERED = "offered", _("Offered a ticket")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")
        LAPSED = "lapsed", _("Did not confirm in time")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    draw = models.ForeignKey(Draw, on_delete=models.CASCADE, related_name="entries")
    number = models.PositiveIntegerField()
    # Kept without a person when the member deletes their account: the draw stays verifiable.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ticket_entries",
    )
    tier = models.PositiveSmallIntegerField(default=0)
    statement = models.TextField(_("a few words (optional)"), max_length=1000, blank=True)
    key = models.CharField(max_length=64, blank=True)
    rank = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ENTERED)
    offered_at = models.DateTimeField(null=True, blank=True)
    confirm_by = models.DateTimeField(null=True, blank=True)
    # None until the leader records it.
    attended = models.BooleanField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["draw", "number"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "number"], name="one_entry_number_per_draw"),
            models.UniqueConstraint(
                fields=["draw", "user"],
                condition=models.Q(user__isnull=False),
                name="one_entry_per_member_per_draw",
            ),
        ]
        verbose_name = _("ticket application")
        verbose_name_plural = _("ticket applications")

    def __str__(self):
        return f"#{self.number} in {self.draw_id}"


class TicketCode(models.Model):
    """A code (or a registered name) from the organiser, given to one winner only."""

    draw = models.ForeignKey(Draw, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(_("code"), max_length=200)
    entry = models.OneToOneField(
        TicketEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="code"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "code"], name="one_code_once_per_draw")
        ]

    def __str__(self):
        return f"code {self.pk}"
