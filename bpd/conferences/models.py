"""The conference list: Python conferences worldwide, each deadline in its own zone.

The Fund's applications point at these rows (the Fund's own event table became this
list in fund migration 0007), so a conference a leader adds while applying is a row
here too, "suggested" until staff publish it."""

import datetime as dt
import zoneinfo

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

TEXT_LIMIT = 4000
# "Anywhere on Earth": the last place on Earth where the day is still running, UTC-12.
AOE = "AoE"
AOE_ZONE = "Etc/GMT+12"


def zone_info(name: str) -> zoneinfo.ZoneInfo:
    """The tz database zone for a deadline's zone name (AoE included)."""
    return zoneinfo.ZoneInfo(AOE_ZONE if name == AOE else name)


def unique_slug(name: str, starts_on: dt.date | None) -> str:
    """ "pycon-africa-2027", with a number added if that is taken."""
    base = slugify(f"{name} {starts_on:%Y}" if starts_on else name)[:200] or "conference"
    slug, number = base, 1
    while Conference.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


class ConferenceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Conference.Status.PUBLISHED)

    def upcoming(self, today: dt.date | None = None):
        """Not yet over (the last day still counts)."""
        return self.filter(ends_on__gte=today or timezone.localdate())

    def for_applicant(self, user):
        """What a Fund applicant may pick: the published list and what they added."""
        if not user.is_authenticated:
            return self.published()
        return self.filter(
            models.Q(status=Conference.Status.PUBLISHED) | models.Q(suggested_by=user)
        )


class Conference(models.Model):
    """A Python conference (or any global event leaders travel to)."""

    class Status(models.TextChoices):
        SUGGESTED = "suggested", _("Suggested")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("address"), max_length=220, unique=True)
    url = models.URLField(_("website"), max_length=500)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    online = models.BooleanField(_("online"), default=False)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    summary = models.TextField(_("summary"), blank=True, max_length=TEXT_LIMIT)
    code_of_conduct_url = models.URLField(_("code of conduct"), max_length=500, blank=True)
    # Language codes (BCP 47, e.g. "en", "pt-BR"), as the conference states them.
    languages = models.JSONField(_("languages"), default=list, blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    # Free text from an import ("who from BPD is speaking"); consented links are Speaker rows.
    speaking_note = models.CharField(_("speaking (as imported)"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUGGESTED
    )
    rejection_reason = models.CharField(_("reason"), max_length=500, blank=True)
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggested_conferences",
    )
    # Where an importer found it ("python-organizers", "bpd-site"): re-runs update it.
    source = models.CharField(max_length=40, blank=True)
    source_key = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ConferenceQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="conference_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["source", "source_key"],
                condition=~models.Q(source=""),
                name="conference_one_row_per_source_key",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.starts_on:%Y})"

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self.name, self.starts_on)
        super().save(*args, **kwargs)

    @property
    def listed(self) -> bool:
        """In the public list (what the Fund called "listed")."""
        return self.status == self.Status.PUBLISHED


class Deadline(models.Model):
    """A date a conference sets: stored in UTC, always with the zone it was announced in."""

    class Kind(models.TextChoices):
        CFP_OPENS = "cfp_opens", _("Call for proposals opens")
        CFP_CLOSES = "cfp_closes", _("Call for proposals closes")
        FINANCIAL_AID = "financial_aid", _("Financial aid deadline")
        OPPORTUNITY_GRANT = "grant", _("Opportunity grant deadline")
        TICKETS = "tickets", _("Early tickets end")

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    due_at = models.DateTimeField(_("due"))
    # The zone the conference announced the deadline in: a tz database name or "AoE".
    zone = models.CharField(_("time zone"), max_length=64)
    url = models.URLField(_("link"), max_length=500, blank=True)

    class Meta:
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "kind"], name="one_deadline_per_kind")
        ]

    def __str__(self):
        return f"{self.conference.name}: {self.get_kind_display()}"

    @property
    def local_due(self) -> dt.datetime:
        """The deadline on the conference's own clock."""
        return self.due_at.astimezone(zone_info(self.zone))


class Speaker(models.Model):
    """A BPD member speaking at a conference; shown only while they consent."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="speakers")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conference_talks"
    )
    title = models.CharField(_("talk"), max_length=300, blank=True)
    consent = models.BooleanField(_("show me as a speaker"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conference", "member"], name="one_speaker_row")
        ]

    def __str__(self):
        return f"{self.member_id} at {self.conference_id}"


class Follow(models.Model):
    """A member following a conference: its deadlines reach their feed and reminders."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="follows")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conference_follows"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["conference", "member"], name="one_follow")]

    def __str__(self):
        return f"{self.member_id} follows {self.conference_id}"


class DeadlineReminder(models.Model):
    """A reminder sent: one row per member, deadline and lead time, so it goes once."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="reminders")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deadline_reminders"
    )
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "member", "days_before"], name="one_deadline_reminder"
            )
        ]

    def __str__(self):
        return f"{self.deadline_id} to {self.member_id}, {self.days_before} days before"
