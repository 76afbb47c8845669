"""The organiser's writes: saving, publishing and cancelling events, cancelling or
moving one date of a series, and making a series' occurrence rows from its rule.

Each function is one transition, checks the state it starts from, records itself in
the audit log inside its transaction, and emails members only once it has committed."""

import datetime as dt
import logging
import zoneinfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from bpd.audit import services as audit
from bpd.audit.verbs import Verb
from bpd.events import discord, recurrence
from bpd.events import rsvp as seats
from bpd.events.models import Event, Occurrence, Rsvp
from bpd.members import mail

log = logging.getLogger(__name__)

# The fields save_event writes (everything the organiser's form edits).
FIELDS = (
    "title", "summary", "description", "language", "kind", "online_url", "link_shown_to",
    "venue", "address", "city", "time_zone", "starts_at", "duration_minutes", "rule", "capacity",
)  # fmt: skip
# Who is told when a date is cancelled or moved: people with a seat and people waiting.
TOLD = (Rsvp.Status.GOING, Rsvp.Status.OFFERED, Rsvp.Status.WAITING)


class EventError(ValueError):
    """The transition is not allowed from the event's state (the message is for staff)."""


def _snapshot(event):
    values = {name: getattr(event, name) for name in FIELDS if name != "city"}
    values["city"] = event.city_id
    return {
        key: value.isoformat() if isinstance(value, dt.datetime) else value
        for key, value in values.items()
    }


# First parts of the events' own addresses (events/manage/, events/mine/ …): never a slug.
RESERVED_SLUGS = {"manage", "mine", "calendar", "past", "zone", "feed", "occurrences", "new"}


def _unique_slug(title, pk=None):
    base = (slugify(title) or "event")[:200]
    if base in RESERVED_SLUGS:
        base = f"{base}-event"
    slug, number = base, 2
    taken = Event.objects.exclude(pk=pk) if pk else Event.objects.all()
    while taken.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def save_event(*, event: Event | None, by, data: dict) -> Event:
    """Create (`event` None) or update an event from `data` (the FIELDS), then make its
    occurrences. The rule must parse; a cancelled event cannot be edited."""
    data = {key: value for key, value in data.items() if key in FIELDS}
    if data.get("rule"):
        start = data.get("starts_at") or event.starts_at
        zone = data.get("time_zone") or event.time_zone
        try:
            recurrence.parse(data["rule"], start.astimezone(_zone(zone)).replace(tzinfo=None))
        except recurrence.RuleError as error:
            raise EventError(
                _("The repeat rule cannot be read: %(error)s") % {"error": error}
            ) from error
    with transaction.atomic():
        if event is None:
            event = Event(created_by=by, **data)
            event.slug = _unique_slug(event.title)
            event.save()
            audit.log(actor=by, verb=Verb.EVENT_CREATED, subject=event, after=_snapshot(event))
        else:
            event = Event.objects.select_for_update().get(pk=event.pk)
            if event.status == Event.Status.CANCELLED:
                raise EventError(_("A cancelled event cannot be changed."))
            before = _snapshot(event)
            for key, value in data.items():
                setattr(event, key, value)
            event.save()
            after = _snapshot(event)
            changed = [key for key in after if after[key] != before[key]]
            if "capacity" in changed and event.capacity is not None:
                taken = seats.most_seats_taken(event)
                if event.capacity < taken:
                    raise EventError(
                        _(
                            "%(taken)s people already hold seats on one of the coming dates: "
                            "the number of seats cannot be lower than that."
                        )
                        % {"taken": taken}
                    )
            audit.log(
                actor=by,
                verb=Verb.EVENT_CHANGED,
                subject=event,
                before={key: before[key] for key in changed},
                after={key: after[key] for key in changed},
            )
        _made, dropped = _materialize(event)
        _tell_on_commit(dropped, "events/email/date_cancelled", reason="")
        if event.status == Event.Status.PUBLISHED:
            seats.offer_added_seats(event=event)  # more seats (or no limit): the waiting move up
    return event


def publish_event(*, event, by) -> Event:
    """Draft → published. Announces it on Discord once committed, when configured; a
    failure there is recorded on the event and never undoes the publishing."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if event.status != Event.Status.DRAFT:
            raise EventError(_("Only a draft can be published."))
        event.status = Event.Status.PUBLISHED
        event.published_at = timezone.now()
        event.save(update_fields=["status", "published_at"])
        _materialize(event)
        audit.log(actor=by, verb=Verb.EVENT_PUBLISHED, subject=event)
        pk = event.pk
        transaction.on_commit(lambda: announce(event=Event.objects.get(pk=pk)))
    return event


def announce(*, event, now=None):
    """Post the event's next date to Discord (whatever is configured) and keep what
    Discord answered, or why it failed, on the event. Never raises."""
    if not (discord.webhook_configured() or discord.bot_configured()):
        return
    occurrence = (
        event.occurrences.filter(cancelled=False).upcoming(now).order_by("starts_at").first()
    )
    if occurrence is None:
        return
    found, errors = {}, []
    if discord.webhook_configured():
        try:
            found["discord_message_id"] = discord.post_announcement(
                settings.DISCORD_EVENTS_WEBHOOK_URL, event, occurrence
            )
        except discord.DiscordError as error:
            errors.append(f"webhook: {error}")
    if discord.bot_configured():
        try:
            found["discord_event_id"] = discord.create_scheduled_event(
                settings.DISCORD_BOT_TOKEN, settings.DISCORD_GUILD_ID, event, occurrence
            )
        except discord.DiscordError as error:
            errors.append(f"scheduled event: {error}")
    if errors:
        log.warning("Discord announcement of event %s failed: %s", event.pk, errors)
    Event.objects.filter(pk=event.pk).update(**found, discord_error="; ".join(errors)[:300])


def announce_again(*, event, by):
    """The organiser's retry after a failed announcement (or one never made because
    Discord was configured after publishing): announces the next date now."""
    if event.status != Event.Status.PUBLISHED:
        raise EventError(_("Only a published event is announced on Discord."))
    if not (discord.webhook_configured() or discord.bot_configured()):
        raise EventError(_("Discord announcements are off: nothing is configured."))
    announce(event=event)
    event.refresh_from_db(fields=["discord_message_id", "discord_event_id", "discord_error"])
    if event.discord_error:
        raise EventError(_("Discord did not accept it: %(error)s") % {"error": event.discord_error})
    return event


def cancel_event(*, event, by, reason):
    """Cancel the whole event: every date still to come is cancelled with `reason`, and
    everyone holding a seat or waiting for one is told."""
    now = timezone.now()
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if event.status == Event.Status.CANCELLED:
            raise EventError(_("The event is cancelled already."))
        before = event.status
        event.status = Event.Status.CANCELLED
        event.save(update_fields=["status"])
        coming = event.occurrences.filter(cancelled=False).upcoming(now)
        told = list(_told(coming))
        coming.update(cancelled=True, cancel_reason=reason[:300])
        audit.log(
            actor=by,
            verb=Verb.EVENT_CANCELLED,
            subject=event,
            before={"status": before},
            after={"status": event.status},
            reason=reason,
        )
        seen = set()
        for rsvp in told:
            if rsvp.member_id not in seen:
                seen.add(rsvp.member_id)
                _email_on_commit(
                    rsvp.member, "events/email/event_cancelled", event=event, reason=reason
                )
    return event


def cancel_occurrence(*, occurrence, by, reason):
    """Cancel one date: it stays listed, marked cancelled with `reason`; everyone with a
    seat or on its waiting list is told."""
    with transaction.atomic():
        occurrence = (
            Occurrence.objects.select_for_update().select_related("event").get(pk=occurrence.pk)
        )
        if occurrence.cancelled:
            raise EventError(_("This date is cancelled already."))
        if occurrence.ends_at < timezone.now():
            raise EventError(_("This date is over."))
        occurrence.cancelled = True
        occurrence.cancel_reason = reason[:300]
        occurrence.save(update_fields=["cancelled", "cancel_reason"])
        audit.log(
            actor=by,
            verb=Verb.OCCURRENCE_CANCELLED,
            subject=occurrence,
            parent=occurrence.event,
            reason=reason,
            starts_at=occurrence.starts_at.isoformat(),
        )
        _tell_on_commit([occurrence], "events/email/date_cancelled", reason=reason)
    return occurrence


def move_occurrence(*, occurrence, by, starts_at):
    """Move one date to `starts_at` (UTC), keeping its length; it stays tied to the date
    the rule gave it, and everyone with a seat or waiting is told the new time."""
    if starts_at < timezone.now():
        raise EventError(_("Choose a time that has not passed."))
    with transaction.atomic():
        occurrence = (
            Occurrence.objects.select_for_update().select_related("event").get(pk=occurrence.pk)
        )
        if occurrence.cancelled or occurrence.event.status == Event.Status.CANCELLED:
            raise EventError(_("A cancelled date cannot be moved."))
        if occurrence.ends_at < timezone.now():
            raise EventError(_("This date is over."))
        old_start = occurrence.starts_at
        length = occurrence.ends_at - occurrence.starts_at
        occurrence.starts_at, occurrence.ends_at = starts_at, starts_at + length
        occurrence.save(update_fields=["starts_at", "ends_at"])
        audit.log(
            actor=by,
            verb=Verb.OCCURRENCE_MOVED,
            subject=occurrence,
            parent=occurrence.event,
            before={"starts_at": old_start.isoformat()},
            after={"starts_at": starts_at.isoformat()},
        )
        for rsvp in _told(Occurrence.objects.filter(pk=occurrence.pk)):
            _email_on_commit(
                rsvp.member,
                "events/email/date_moved",
                event=occurrence.event,
                occurrence=occurrence,
                old_start=old_start,
            )
    return occurrence


def materialize(*, event, now=None) -> int:
    """Make the occurrence rows the rule gives up to the horizon (HORIZON_DAYS ahead),
    at most MAX_OCCURRENCES; the number made. Idempotent. Moved and cancelled dates stay
    as they are; a future date the rule no longer gives is removed when nobody answered
    for it, else cancelled (and its people told)."""
    with transaction.atomic():
        made, dropped = _materialize(event, now=now)
        _tell_on_commit(dropped, "events/email/date_cancelled", reason="")
    return made


def _zone(name):
    return zoneinfo.ZoneInfo(name)


def _materialize(event, now=None):
    """(rows made, occurrences the rule dropped that were cancelled because people had
    answered for them). Call inside a transaction."""
    if event.status == Event.Status.CANCELLED:
        return 0, []
    now = now or timezone.now()
    length = dt.timedelta(minutes=event.duration_minutes)
    existing = {o.original_start: o for o in event.occurrences.all()}
    if not event.rule:
        return _materialize_one_off(event, existing, length)
    until = now + dt.timedelta(days=recurrence.HORIZON_DAYS)
    starts = recurrence.expand(
        rule=event.rule, starts_at=event.starts_at, time_zone=event.time_zone, until=until
    )
    wanted = set(starts)
    new = [
        Occurrence(event=event, original_start=start, starts_at=start, ends_at=start + length)
        for start in starts
        if start not in existing
    ]
    Occurrence.objects.bulk_create(new, ignore_conflicts=True)
    # Dates on the rule's own time keep the event's length.
    resized = []
    for occurrence in existing.values():
        unmoved = occurrence.starts_at == occurrence.original_start
        if unmoved and occurrence.ends_at - occurrence.starts_at != length:
            occurrence.ends_at = occurrence.starts_at + length
            resized.append(occurrence)
    Occurrence.objects.bulk_update(resized, ["ends_at"])
    gone = [
        o
        for start, o in existing.items()
        if start not in wanted
        and start <= until
        and o.starts_at >= now
        and not o.cancelled
        and o.starts_at == o.original_start
    ]
    return len(new), _drop(gone)


def _materialize_one_off(event, existing, length):
    """A one-off has one row: moved with the event when its time changes, so its RSVPs stay."""
    live = [o for o in existing.values() if not o.cancelled]
    if not live and not existing:
        Occurrence.objects.create(
            event=event,
            original_start=event.starts_at,
            starts_at=event.starts_at,
            ends_at=event.starts_at + length,
        )
        return 1, []
    if live:
        first, *extra = sorted(live, key=lambda o: o.starts_at)
        first.original_start = first.starts_at = event.starts_at
        first.ends_at = event.starts_at + length
        first.save(update_fields=["original_start", "starts_at", "ends_at"])
        # Rows left from when the event was a series.
        return 0, _drop([o for o in extra if o.starts_at >= timezone.now()])
    return 0, []


def _drop(occurrences):
    """Remove dates nobody answered for; cancel the others. The cancelled ones."""
    if not occurrences:
        return []
    answered = set(
        Rsvp.objects.filter(occurrence__in=occurrences)
        .exclude(status=Rsvp.Status.CANCELLED)
        .values_list("occurrence_id", flat=True)
    )
    kept = [o for o in occurrences if o.pk in answered]
    Occurrence.objects.filter(pk__in=[o.pk for o in occurrences if o.pk not in answered]).delete()
    Occurrence.objects.filter(pk__in=[o.pk for o in kept]).update(cancelled=True)
    for occurrence in kept:
        occurrence.cancelled = True
    return kept


def _told(occurrences):
    return (
        Rsvp.objects.filter(occurrence__in=occurrences, status__in=TOLD)
        .select_related("member__profile", "occurrence__event")
        .order_by("pk")
    )


def _tell_on_commit(occurrences, name, *, reason):
    for rsvp in _told(occurrences) if occurrences else ():
        occurrence = rsvp.occurrence
        _email_on_commit(
            rsvp.member, name, event=occurrence.event, occurrence=occurrence, reason=reason
        )


def _email_on_commit(member, name, **context):
    profile = getattr(member, "profile", None)
    zone = getattr(profile, "time_zone", "") or None
    transaction.on_commit(lambda: mail.send(member, name, context, time_zone=_valid(zone)))


def _valid(zone):
    try:
        return _zone(zone).key if zone else None
    except (ValueError, LookupError):  # an unknown zone name (zoneinfo raises a subclass)
        return None
