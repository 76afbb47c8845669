from enum import nonmember

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bpd.ledger import money
from bpd.members.fields import CodeListField
from bpd.members.models import City
from bpd.members.roles import Role, has_role, is_executor, is_treasurer

# The longest free text anyone types here (about a page); forms show and enforce it.
TEXT_LIMIT = 4000


class Category(models.TextChoices):
    VISA = "visa", _("Visa appointment and fees")
    FLIGHT = "flight", _("Flight")
    HOTEL = "hotel", _("Hotel")
    GROUND = "ground", _("Ground transport")
    TICKET = "ticket", _("Event ticket")
    PER_DIEM = "per_diem", _("Per-diem")


def _categories():
    return Category.choices


def _currency_choices():
    return [(code, code) for code in money.CURRENCIES]


class RoundQuerySet(models.QuerySet):
    """Which rounds a person may work on. Views fetch rounds only through these."""

    def reviewed_by(self, user):
        """Rounds `user` reviews: listed on the round AND holding the reviewer role now
        (removing the role ends their access even while they are still listed)."""
        if not has_role(user, Role.REVIEWER):
            return self.none()
        return self.filter(reviewers=user)

    def committee_for(self, user):
        """Rounds whose committee table `user` may open: executors all, reviewers their own."""
        if is_executor(user):
            return self.all()
        return self.reviewed_by(user)

    def managed_by(self, user):
        """Rounds `user` may set up, decide and release: executors only."""
        return self.all() if is_executor(user) else self.none()

    def money_for(self, user):
        """Rounds whose money (rates, bookings, reports) `user` may handle: the treasurer
        and executors."""
        return self.all() if is_treasurer(user) else self.none()


class Round(models.Model):
    """A funding round: a budget, a window to apply in, and the rules."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short name for addresses"), unique=True)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_LIMIT)
    opens_at = models.DateTimeField(_("applications open"))
    closes_at = models.DateTimeField(_("applications close"))
    decision_date = models.DateField(_("decisions by"))
    budget = models.BigIntegerField(_("budget (minor units)"))
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    covered = CodeListField(_("what the round covers"), choices_source=_categories)
    cap_per_person = models.BigIntegerField(
        _("cap per person (minor units)"), null=True, blank=True
    )
    cap_per_year = models.BigIntegerField(
        _("cap per person per calendar year (minor units)"), null=True, blank=True
    )
    requires_leader = models.BooleanField(_("only community leaders may apply"), default=True)
    max_per_country = models.PositiveSmallIntegerField(
        _("at most this many awards per country"), null=True, blank=True
    )
    offer_reply_days = models.PositiveSmallIntegerField(_("days to reply to an offer"), default=10)
    min_reviews = models.PositiveSmallIntegerField(
        _("reviews needed before an application is proposed"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("With fewer, the committee table flags it and the proposal leaves it out."),
    )
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="fund_rounds_reviewing",
        verbose_name=_("reviewers"),
    )
    # Who signs the funding letters of this round (an executor), and their role as printed.
    signatory = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("letters signed by"),
    )
    signatory_title = models.CharField(
        _("signatory's role, as printed on letters"), max_length=120, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = RoundQuerySet.as_manager()

    # Fields that say how money is counted: frozen once any money is committed.
    MONEY_FIELDS = ("currency", "budget", "cap_per_person", "cap_per_year")

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("funding round")
        verbose_name_plural = _("funding rounds")

    def __str__(self):
        return self.name

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def localised_description(self, language):
        for text in self.texts.all():
            if text.language == language and text.description:
                return text.description
        return self.description


class RoundText(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    description = models.TextField(_("description"), max_length=TEXT_LIMIT)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "language"], name="round_text_per_language")
        ]

    def __str__(self):
        return f"{self.round} [{self.language}]"


class Criterion(models.Model):
    """One line of the rubric, scored 1 to 5."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=120)
    guidance = models.CharField(_("what a 5 looks like"), max_length=300, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name


class ApplicationQuerySet(models.QuerySet):
    """The gate: views fetch applications only through these methods, for lists and
    details alike, so a forgotten check cannot leak one."""

    def owned_by(self, user):
        """The applicant's own applications."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(applicant=user)

    def reviewable_by(self, user):
        """Applications `user` may score: in a round they review (role held now), past the
        draft stage, not their own and not one they declared a conflict on."""
        if not user.is_authenticated:
            return self.none()
        return (
            self.filter(
                round__in=Round.objects.reviewed_by(user), status__in=Application.REVIEWABLE
            )
            .exclude(conflicts__reviewer=user)
            .exclude(applicant=user)
        )

    def not_conflicted_for(self, user):
        """Leaves out `user`'s own applications and those they declared a conflict on: the
        rule that binds reviewers, executors and the treasurer alike."""
        if not user.is_authenticated:
            return self.none()
        return self.exclude(applicant=user).exclude(conflicts__reviewer=user)

    def in_committee_for(self, user, round):
        """The rows of `round`'s committee table `user` may see: executors every submitted
        application but their own and their conflicts; reviewers what they may review."""
        rows = self.filter(round=round, status__in=Application.REVIEWABLE)
        if is_executor(user):
            return rows.not_conflicted_for(user)
        return rows.filter(pk__in=self.reviewable_by(user).values("pk"))

    def decidable_by(self, user):
        """Applications `user` may stage a decision on: executors, never on their own
        application or one they declared a conflict on."""
        return self.filter(round__in=Round.objects.managed_by(user)).not_conflicted_for(user)

    def bookable_by(self, user):
        """Applications whose bookings and costs `user` may handle: the treasurer and
        executors, never their own application or one they declared a conflict on."""
        return self.filter(round__in=Round.objects.money_for(user)).not_conflicted_for(user)

    def letters_handled_by(self, user):
        """Accepted awards whose funding letter `user` may download, issue and re-issue: the
        treasurer and executors, never for their own application or one they declared a
        conflict on."""
        return self.bookable_by(user).filter(status__in=Application.Status.TRAVELLING)

    def conflict_declarable_by(self, user):
        """Applications `user` may declare a conflict on: those they review or decide."""
        return self.filter(
            models.Q(pk__in=self.reviewable_by(user).values("pk"))
            | models.Q(pk__in=self.decidable_by(user).values("pk"))
        )

    def visible_to(self, user):
        """Everything `user` may see by any of the rules above (their own included)."""
        if not user.is_authenticated:
            return self.none()
        if is_treasurer(user):
            return self.all()
        return self.filter(
            models.Q(applicant=user) | models.Q(pk__in=self.reviewable_by(user).values("pk"))
        )


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        OFFERED = "offered", _("Award offered")
        WAITLISTED = "waitlisted", _("On the waiting list")
        DECLINED = "declined", _("Not funded")
        ACCEPTED = "accepted", _("Award accepted")
        OFFER_DECLINED = "offer_declined", _("Award declined by applicant")
        LAPSED = "lapsed", _("Offer expired")
        COMPLETED = "completed", _("Trip completed")

        # Groups of statuses, the one place each rule is stated.
        REVIEWABLE = nonmember(
            frozenset(
                {"submitted", "offered", "waitlisted", "declined", "accepted", "offer_declined",
                 "lapsed", "completed"}
            )
        )  # fmt: skip
        FUNDED = nonmember(frozenset({"offered", "accepted", "completed"}))  # money is promised
        TRAVELLING = nonmember(frozenset({"accepted", "completed"}))  # bookings can exist
        IN_PLAY = nonmember(frozenset({"submitted", "waitlisted", "offered", "accepted"}))
        WITHDRAWABLE = nonmember(frozenset({"draft", "submitted", "waitlisted"}))

    class EventGrant(models.TextChoices):
        NONE = "none", _("The event has no such grant")
        NOT_APPLIED = "not_applied", _("I have not applied")
        WAITING = "waiting", _("I applied and am waiting")
        AWARDED = "awarded", _("I was awarded a grant")
        REFUSED = "refused", _("I applied and was not awarded")

    REVIEWABLE = Status.REVIEWABLE

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="applications")
    # Kept without a person when the member deletes their account: money records stay auditable.
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="fund_applications",
    )
    event = models.ForeignKey(
        "conferences.Conference",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("event"),
    )
    origin_city = models.ForeignKey(
        City, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("travelling from")
    )
    origin_country = models.CharField(_("country you travel from"), max_length=2, blank=True)
    passport_country = models.CharField(_("passport country"), max_length=2, blank=True)
    purpose = models.TextField(
        _("what you will do at the event"), blank=True, max_length=TEXT_LIMIT
    )
    give_back = models.TextField(
        _("what you will bring back to your local community"), blank=True, max_length=TEXT_LIMIT
    )
    event_grant = models.CharField(
        _("the event's own travel or opportunity grant"),
        max_length=20,
        choices=EventGrant.choices,
        default=EventGrant.NOT_APPLIED,
    )
    event_grant_notes = models.CharField(_("details"), max_length=300, blank=True)
    currency = models.CharField(_("currency of your estimates"), max_length=3, default="USD")
    consent_at = models.DateTimeField(null=True, blank=True, editable=False)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    requested_total = models.BigIntegerField(
        null=True,
        blank=True,
        help_text="Sum of the estimates in the round's currency, set on submission.",
    )
    first_time = models.BooleanField(default=True)
    verdict = models.CharField(max_length=20, blank=True, db_index=True)
    # Set by an executor (audited): why it may be proposed with fewer reviews than the
    # round asks for. Empty: it may not.
    few_reviews_reason = models.CharField(max_length=500, blank=True)
    verdict_details = models.JSONField(default=dict, blank=True)
    # A staff member's own visa check (audited): it resolves an "unknown" verdict, or
    # overrides the computed one, and always says where its answer came from.
    visa_check_verdict = models.CharField(max_length=20, blank=True)
    visa_check_source = models.CharField(max_length=500, blank=True)
    visa_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    visa_checked_at = models.DateTimeField(null=True, blank=True)
    # The name exactly as in the passport, asked for once when the award is accepted and
    # printed on the funding letter. Private: only the applicant and the Fund's staff.
    passport_name = models.CharField(_("name as in your passport"), max_length=200, blank=True)
    # Trip-report reminders sent after the event (one week, then three weeks).
    report_reminders_sent = models.PositiveSmallIntegerField(default=0)
    # Visa outcome and trip, after an award.
    appointment_date = models.DateField(_("visa appointment date"), null=True, blank=True)
    visa_decision = models.CharField(
        _("visa decision"),
        max_length=10,
        blank=True,
        choices=[("pending", _("Pending")), ("granted", _("Granted")), ("refused", _("Refused"))],
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "applicant"], name="one_application_per_round")
        ]
        indexes = [models.Index(fields=["round", "status"])]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self):
        return f"{self.round} #{self.pk}"

    def get_absolute_url(self):
        return reverse("fund:application", args=[self.pk])

    @property
    def is_funded(self):
        """Money is promised: offered, accepted or completed."""
        return self.status in self.Status.FUNDED

    @property
    def is_travelling(self):
        """Accepted or completed: bookings, the itinerary and the letter exist."""
        return self.status in self.Status.TRAVELLING

    @property
    def is_withdrawable(self):
        return self.status in self.Status.WITHDRAWABLE

    @property
    def event_over(self):
        """The event has ended (the trip report is asked for from then on)."""
        return bool(self.event_id and self.event.ends_on < timezone.localdate())

    @property
    def needs_visa(self):
        """Whether the trip needs a visa obtained before travel (an appointment, an
        e-visa or a travel authorisation). Unknown counts as needed: staff check it."""
        requirement = (self.verdict_details or {}).get("requirement", "unknown")
        return requirement not in NO_VISA_BEFORE_TRAVEL


# Requirements (bpd.fund.visa.Requirement values) with nothing to obtain before travel.
NO_VISA_BEFORE_TRAVEL = frozenset({"none", "on_arrival"})


class CostItem(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="costs")
    category = models.CharField(max_length=20, choices=Category.choices)
    amount = models.BigIntegerField(_("estimate (minor units)"))
    currency = models.CharField(max_length=3)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "category"], name="one_cost_per_category"
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="cost_not_negative"),
        ]

    def __str__(self):
        return f"{self.get_category_display()}: {money.display(self.amount, self.currency)}"


class ExchangeRate(models.Model):
    """How many units of the round's currency one unit of `currency` buys, as the treasurer set it."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="rates")
    currency = models.CharField(max_length=3)
    rate = models.DecimalField(max_digits=18, decimal_places=8)
    as_of = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "currency"], name="one_rate_per_currency")
        ]

    def __str__(self):
        return f"1 {self.currency} = {self.rate} {self.round.currency}"


class Review(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="fund_reviews"
    )
    comment = models.TextField(_("comment for the committee"), blank=True, max_length=TEXT_LIMIT)
    weighted_score = models.FloatField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="one_review_per_reviewer"
            )
        ]

    def __str__(self):
        return f"Review of {self.application_id}"


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE)
    value = models.PositiveSmallIntegerField()
    comment = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="one_score_per_criterion"),
            models.CheckConstraint(
                condition=models.Q(value__gte=1, value__lte=5), name="score_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.value}"


class Conflict(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="conflicts")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="fund_conflicts"
    )
    reason = models.CharField(_("reason (seen by staff only)"), max_length=300, blank=True)
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="one_conflict_per_reviewer"
            )
        ]

    def __str__(self):
        return f"Conflict on {self.application_id}"


class Decision(models.Model):
    """The committee's decision: staged first, then released with every other one at once."""

    class Outcome(models.TextChoices):
        AWARD = "award", _("Award")
        WAITLIST = "waitlist", _("Waiting list")
        DECLINE = "decline", _("Decline")

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="decision"
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    reason = models.TextField(
        _("reason (sent to the applicant)"), blank=True, max_length=TEXT_LIMIT
    )
    waitlist_position = models.PositiveIntegerField(null=True, blank=True)
    staged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    staged_at = models.DateTimeField(default=timezone.now)
    released_at = models.DateTimeField(null=True, blank=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_deadline = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.get_outcome_display()} for {self.application_id}"

    @property
    def total(self):
        return sum(item.amount for item in self.items.all())


class AwardItem(models.Model):
    """What BPD covers, per category, in the round's currency."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="items")
    category = models.CharField(max_length=20, choices=Category.choices)
    amount = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "category"], name="one_award_item_per_category"
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="award_not_negative"),
        ]

    def __str__(self):
        return f"{self.category}: {self.amount}"


class Booking(models.Model):
    """Something BPD books and pays for directly; the traveller never pays."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        QUOTED = "quoted", _("Quoted")
        BOOKED = "booked", _("Booked")
        USED = "used", pgettext_lazy("booking status", "Used")
        CANCELLED = "cancelled", _("Cancelled")
        REFUNDED = "refunded", _("Refunded")

        # Groups of statuses, the one place each rule is stated.
        SPENDING = nonmember(frozenset({"booked", "used", "cancelled", "refunded"}))  # money left
        OPEN = nonmember(frozenset({"planned", "quoted", "booked"}))  # can still be cancelled
        CLOSED = nonmember(frozenset({"cancelled", "refunded"}))  # costs what was lost
        PAID = nonmember(frozenset({"booked", "used"}))  # paid, and not cancelled
        FLOW = nonmember(
            {
                "planned": ("quoted", "booked", "cancelled"),
                "quoted": ("booked", "cancelled"),
                "booked": ("used", "cancelled"),
                "cancelled": ("refunded",),
                "used": (),
                "refunded": (),
            }
        )

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="bookings")
    category = models.CharField(_("type"), max_length=20, choices=Category.choices)
    vendor = models.CharField(_("vendor"), max_length=200)
    reference = models.CharField(_("booking reference"), max_length=100, blank=True)
    description = models.CharField(_("details for the traveller"), max_length=300, blank=True)
    starts_at = models.DateTimeField(_("date and time"), null=True, blank=True)
    amount = models.BigIntegerField(_("cost (minor units)"))
    currency = models.CharField(_("currency"), max_length=3)
    rate = models.DecimalField(
        _("exchange rate to the round's currency"), max_digits=18, decimal_places=8
    )
    amount_in_round_currency = models.BigIntegerField(editable=False)
    refundable = models.BooleanField(_("refundable"), default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    expected_refund = models.BigIntegerField(
        default=0, help_text="Refund expected on cancellation, round currency minor units."
    )
    refunded = models.BigIntegerField(
        default=0, help_text="Refund received, round currency minor units."
    )
    loss = models.BigIntegerField(default=0, help_text="Money lost, round currency minor units.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="booking_not_negative")
        ]

    def __str__(self):
        return f"{self.get_category_display()} — {self.vendor}"

    @property
    def cost(self):
        """What this booking uses of the budget: its price; once cancelled, what was paid and
        has not come back. A refund counts only once received: until then the budget holds
        the whole price, so money that may never return is never spent twice. A booking
        cancelled before it was paid uses nothing."""
        if self.status in Booking.Status.CLOSED:
            return self.amount_in_round_currency - self.refunded if self.was_paid else 0
        return self.amount_in_round_currency

    @property
    def was_paid(self):
        """Whether BPD paid for it: booked or used, or it was when cancelled. A paid booking,
        once cancelled, carries its loss and the refund expected or received (together its
        price); one cancelled before it was paid carries none of them."""
        if self.status in Booking.Status.CLOSED:
            return bool(self.loss or self.expected_refund or self.refunded)
        return self.status in Booking.Status.PAID

    @property
    def awaiting_refund(self):
        """Cancelled after it was paid, a refund expected and not yet recorded as received."""
        return (
            self.status == Booking.Status.CANCELLED and self.was_paid and self.expected_refund > 0
        )

    @property
    def is_open(self):
        return self.status in Booking.Status.OPEN

    @property
    def is_spending(self):
        return self.status in Booking.Status.SPENDING

    def next_statuses(self):
        """The statuses this booking may move to, as (value, label) pairs: `Status.FLOW`, except
        that a booking cancelled before it was paid has no refund to come."""
        return [
            (s, Booking.Status(s).label)
            for s in Booking.Status.FLOW[self.status]
            if s != Booking.Status.REFUNDED or self.was_paid
        ]


class FundingLetter(models.Model):
    """One issued funding letter. Its reference lets a consulate check it is genuine; a
    re-issued letter supersedes the earlier one (which then says so when checked)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="letters")
    reference = models.CharField(max_length=40, unique=True)
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signatory_name = models.CharField(max_length=200, blank=True)
    signatory_title = models.CharField(max_length=120, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]

    def __str__(self):
        return self.reference


class OutOfPocket(models.Model):
    """Money a traveller had to pay themselves. The target is none; each is a problem to fix."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="out_of_pocket"
    )
    description = models.CharField(_("what was paid"), max_length=300)
    amount = models.BigIntegerField(_("amount (minor units)"))
    currency = models.CharField(max_length=3)
    settled_at = models.DateTimeField(_("paid back to the traveller"), null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.description


class TripReport(models.Model):
    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="report")
    summary = models.TextField(_("how it went"), max_length=TEXT_LIMIT)
    brought_back = models.TextField(
        _("what you are bringing back to your community"), max_length=TEXT_LIMIT
    )
    people_reached = models.PositiveIntegerField(
        _("people you have shared it with so far"), default=0
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Report {self.application_id}"


class VisaDataset(models.Model):
    """One load of the passport/destination requirements file, with its as-of date."""

    source = models.CharField(max_length=200)
    as_of = models.DateField()
    loaded_at = models.DateTimeField(default=timezone.now)
    rows = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-as_of", "-pk"]

    def __str__(self):
        return f"{self.source} ({self.as_of})"


class VisaRequirement(models.Model):
    passport = models.CharField(max_length=2)
    destination = models.CharField(max_length=2)
    requirement = models.CharField(max_length=20)
    days = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["passport", "destination"], name="one_requirement_per_pair"
            )
        ]

    def __str__(self):
        return f"{self.passport}→{self.destination}: {self.requirement}"


class WaitTimeImport(models.Model):
    source = models.CharField(max_length=200)
    destination = models.CharField(_("visas for (country)"), max_length=2)
    as_of = models.DateField(_("as of"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-as_of", "-pk"]

    def __str__(self):
        return f"{self.destination} wait times as of {self.as_of}"


class WaitTime(models.Model):
    batch = models.ForeignKey(WaitTimeImport, on_delete=models.CASCADE, related_name="waits")
    post = models.CharField(max_length=120)
    post_country = models.CharField(max_length=2, db_index=True)
    category = models.CharField(max_length=120)
    wait_days = models.PositiveIntegerField(null=True, blank=True)
    closed = models.BooleanField(default=False)

    def __str__(self):
        return f"{self.post}: {self.wait_days}"
