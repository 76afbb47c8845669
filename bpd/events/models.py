"""BPD's own events: one-off sessions and recurring series, their occurrences, RSVPs
with a capacity and a waiting list, and each member's calendar settings.

Times are stored in UTC; every event also keeps its own time zone, because a weekly
session happens at the same wall-clock time in that zone across daylight-saving
changes (recurrence.py expands the rule there)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bpd.members.models import City
from bpd.members.roles import is_executor

TEXT_LIMIT = 8000


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Event.Status.PUBLISHED)

    def organised_by(self, user):
        """Events `user` may manage: executors every event; anyone else the events a
        programme above gives them (`add_organiser_scope`: a community's leaders manage
        the events their community hosts)."""
        if not user.is_authenticated:
            return self.none()
        if is_executor(user):
            return self.all()
        scopes = [scope(user) for scope in _ORGANISER_SCOPES]
        if not scopes:
            return self.none()
        condition = scopes[0]
        for scope in scopes[1:]:
            condition |= scope
        return self.filter(condition)


# Functions (user) -> Q over Event: the events that user organises besides executors'.
_ORGANISER_SCOPES = []


def add_organiser_scope(scope):
    """Let a programme above give people events to manage (see `organised_by`)."""
    if scope not in _ORGANISER_SCOPES:
        _ORGANISER_SCOPES.append(scope)


_HOST_NAMERS = []


def add_host_namer(namer):
    """Let a programme above say who hosts an event: `namer(event)` returns (name, url)
    or None when the event is not its own (see `host_of`)."""
    if namer not in _HOST_NAMERS:
        _HOST_NAMERS.append(namer)


def host_of(event):
    """(name, url) of who organises `event`: a programme's answer, or the host's label
    with no link."""
    if event.host != Event.Host.BPD:
        for namer in _HOST_NAMERS:
            found = namer(event)
            if found:
                return found
    return event.get_host_display(), ""


class Event(models.Model):
    """One event or a recurring series (`rule` set): what, where, when, how many seats."""

    class Kind(models.TextChoices):
        ONLINE = "online", _("Online")
        IN_PERSON = "in_person", _("In person")
        HYBRID = "hybrid", _("Hybrid")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    class LinkShown(models.TextChoices):
        EVERYONE = "everyone", _("Everyone who sees the event")
        ATTENDEES = "attendees", _("Only people who RSVPed")

    class Host(models.TextChoices):
        BPD = "bpd", _("Black Python Devs")
        COMMUNITY = "community", _("A local community")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("address"), max_length=220, unique=True)
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_LIMIT)
    # The language the event is held in (one of the site's languages).
    language = models.CharField(_("language"), max_length=8, default="en")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ONLINE)
    host = models.CharField(_("host"), max_length=20, choices=Host.choices, default=Host.BPD)
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    link_shown_to = models.CharField(
        _("who sees the online link"),
        max_length=10,
        choices=LinkShown.choices,
        default=LinkShown.ATTENDEES,
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.ForeignKey(
        City, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("city")
    )
    time_zone = models.CharField(_("the event's time zone"), max_length=64)
    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveIntegerField(_("length in minutes"), default=60)
    # An RFC 5545 RRULE without DTSTART ("FREQ=WEEKLY;BYDAY=TU"); blank for a one-off.
    rule = models.CharField(_("repeats"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("seats"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events_created",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # What Discord gave back when the event was announced (empty until then).
    discord_message_id = models.CharField(max_length=40, blank=True)
    discord_event_id = models.CharField(max_length=40, blank=True)
    # Why the last announcement failed (shown to organisers; empty when it worked).
    discord_error = models.CharField(max_length=300, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]

    def __str__(self):
        return self.title

    @property
    def recurring(self) -> bool:
        return bool(self.rule)


class OccurrenceQuerySet(models.QuerySet):
    def public(self):
        """Occurrences of published events anyone may see (cancelled ones stay, marked)."""
        return self.filter(event__status=Event.Status.PUBLISHED)

    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or timezone.now())

    def past(self, now=None):
        return self.filter(ends_at__lt=now or timezone.now())


class Occurrence(models.Model):
    """One sitting of an event: the one time of a one-off, or one date of a series.

    Rows are made from the rule up to a horizon (recurrence.HORIZON_DAYS) when the event
    is saved and by a daily job; `original_start` (RFC 5545's RECURRENCE-ID) keeps a
    moved or cancelled sitting tied to the date the rule gave it."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="occurrences")
    original_start = models.DateTimeField()
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    cancelled = models.BooleanField(_("cancelled"), default=False)
    cancel_reason = models.CharField(_("reason"), max_length=300, blank=True)

    objects = OccurrenceQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "original_start"], name="one_occurrence_per_start"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="occurrence_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.event.title} {self.starts_at:%Y-%m-%d %H:%M} UTC"


class Rsvp(models.Model):
    """A member's answer for one occurrence: a seat, a place in the waiting list, an
    offered seat to confirm before `offer_expires_at`, or cancelled."""

    class Status(models.TextChoices):
        GOING = "going", _("Going")
        WAITING = "waiting", _("On the waiting list")
        OFFERED = "offered", _("Seat offered")
        CANCELLED = "cancelled", _("Cancelled")

    # Statuses that hold a seat.
    SEATED = (Status.GOING, Status.OFFERED)

    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="rsvps")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rsvps"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    created_at = models.DateTimeField(default=timezone.now)
    # The waiting list is first come, first served: the time they joined it.
    queued_at = models.DateTimeField(default=timezone.now)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    reminded_day_at = models.DateTimeField(null=True, blank=True)
    reminded_hour_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["queued_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["occurrence", "member"], name="one_rsvp_per_member")
        ]

    def __str__(self):
        return f"{self.member_id} for {self.occurrence_id}: {self.status}"


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarSettings(models.Model):
    """A member's event settings: email reminders on or off, and the secret address of
    their personal calendar feed (replaced, so the old one stops working, on request)."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_settings"
    )
    reminders = models.BooleanField(_("email me reminders before events"), default=True)
    feed_token = models.CharField(max_length=64, unique=True, default=_new_token)
    feed_token_created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"calendar settings of {self.member_id}"
