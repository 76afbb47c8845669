"""Learning programmes on Discord: study groups, book clubs and workshop series.

A `Programme` runs in `Cohort`s. A cohort has hosts, a capacity, a sign-up window and a
schedule: an event of the events app (usually a weekly Discord session), whose dates
are its sessions. Members enrol (or wait for a place), hosts record who came to each
session, and a member who came to enough sessions has completed the cohort; they choose
whether that shows on their profile. Materials (a book, a course) belong to the
programme and may point to a partner's offer."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bpd.events.models import Event, Occurrence
from bpd.partners.models import Offer

TEXT_LIMIT = 8000


class Programme(models.Model):
    class Kind(models.TextChoices):
        STUDY_GROUP = "study_group", _("Study group")
        BOOK_CLUB = "book_club", _("Book club")
        WORKSHOP = "workshop", _("Workshop series")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=140)
    slug = models.SlugField(_("address"), max_length=160, unique=True)
    # The description in the language it was written in; translations are ProgrammeText.
    language = models.CharField(_("language"), max_length=8, default="en")
    description = models.TextField(_("description"), max_length=TEXT_LIMIT)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("learning programme")
        verbose_name_plural = _("learning programmes")

    def __str__(self):
        return self.title


class ProgrammeText(models.Model):
    """The programme's description in another of the site's languages."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    description = models.TextField(_("description"), max_length=TEXT_LIMIT)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "language"], name="programme_text_per_language"
            )
        ]

    def __str__(self):
        return f"{self.programme} [{self.language}]"


class Cohort(models.Model):
    """One run of a programme: who hosts it, how many may take part, when they sign up,
    and its sessions (the dates of `event`)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(_("name"), max_length=120)  # e.g. "Spring 2027"
    hosts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="hosted_cohorts", blank=True
    )
    capacity = models.PositiveIntegerField(_("places"))
    signup_opens_at = models.DateTimeField(_("sign-up opens"))
    signup_closes_at = models.DateTimeField(_("sign-up closes"))
    event = models.ForeignKey(
        Event,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cohorts",
        verbose_name=_("sessions (an event and its dates)"),
    )
    # Sessions a member must attend to complete the cohort.
    sessions_to_complete = models.PositiveSmallIntegerField(
        _("sessions to attend to complete"), default=1
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-signup_opens_at", "pk"]

    def __str__(self):
        return f"{self.programme}: {self.name}"


class Material(models.Model):
    """Something the programme reads, watches or follows: a book, a course, a link; it
    may point to a partner's offer (a discount on it)."""

    class Kind(models.TextChoices):
        BOOK = "book", _("Book")
        COURSE = "course", _("Course")
        LINK = "link", _("Link")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.BOOK)
    title = models.CharField(_("title"), max_length=200)
    author = models.CharField(_("author"), max_length=200, blank=True)
    url = models.URLField(_("address"), max_length=500, blank=True)
    offer = models.ForeignKey(
        Offer, on_delete=models.SET_NULL, null=True, blank=True, related_name="materials"
    )
    # Reviews written by members: [{"title", "author", "url"}] (as BPD's books.json has them).
    reviews = models.JSONField(default=list, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "title", "author"], name="one_material_per_title_and_author"
            )
        ]

    def __str__(self):
        return self.title


class Enrolment(models.Model):
    """A member in a cohort: taking part, or waiting for a place (in order of signing up)."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Taking part")
        WAITING = "waiting", _("On the waiting list")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="enrolments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ENROLLED)
    signed_up_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    # The member's choice: show "completed <programme>" on their profile.
    show_completion = models.BooleanField(_("show it on my profile"), default=False)

    class Meta:
        ordering = ["signed_up_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "user"], name="one_enrolment_per_person")
        ]

    def __str__(self):
        return f"{self.user} in {self.cohort}"


class Attendance(models.Model):
    """Whether an enrolled member came to one session (one date of the cohort's event)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="+")
    attended = models.BooleanField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "occurrence"], name="one_attendance_per_session"
            )
        ]

    def __str__(self):
        return f"{self.enrolment} at {self.occurrence_id}: {self.attended}"
