"""RSVPs: a seat while there is one, else a place on the waiting list; a freed seat is
offered to the first person waiting, who confirms it before a deadline; reminders 24
hours and 1 hour before; attendance.

Every change to who holds a seat runs with the occurrence's row locked
(`select_for_update`), so the seats are counted and taken by one request at a time: two
members asking for the last seat at once, exactly one gets it
(tests/events/test_rsvp_concurrency.py). Emails are queued after the commit, each
written in the member's language and time zone.
"""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from bpd.audit import services as audit
from bpd.audit.verbs import Verb
from bpd.events.models import CalendarSettings, Event, Occurrence, Rsvp, _new_token
from bpd.members import mail

S = Rsvp.Status

# How long the first person waiting has to confirm a freed seat.
OFFER_HOURS = 24
# An offer lapses at the latest this long before the start, so a lapsed seat can still
# go to the next person in time.
OFFER_CLOSES_BEFORE = dt.timedelta(hours=1)
# Closer than this to the start, a freed seat is given outright (and the member told by
# email): an offer would have to lapse within the hour, most likely unseen, and the
# seat would stay empty.
GIVE_DIRECTLY_WITHIN = dt.timedelta(hours=2)
# Reminders: a day before, and an hour before.
DAY_BEFORE = dt.timedelta(hours=24)
HOUR_BEFORE = dt.timedelta(hours=1)


class RsvpError(Exception):
    """A refused RSVP action; `str(error)` is a message for the member, translated."""


# --- Reads ------------------------------------------------------------------------------


def seats_left(occurrence) -> int | None:
    """Free seats at `occurrence` now (None: no limit). One query."""
    capacity = occurrence.event.capacity
    if capacity is None:
        return None
    taken = Rsvp.objects.filter(occurrence=occurrence, status__in=Rsvp.SEATED).count()
    return max(capacity - taken, 0)


def waiting_position(rsvp) -> int | None:
    """1 for the first person waiting; None when `rsvp` is not on the waiting list."""
    if rsvp.status != S.WAITING:
        return None
    ahead = Rsvp.objects.filter(occurrence_id=rsvp.occurrence_id, status=S.WAITING).filter(
        _ahead_of(rsvp)
    )
    return ahead.count() + 1


def _ahead_of(rsvp):
    return Q(queued_at__lt=rsvp.queued_at) | Q(queued_at=rsvp.queued_at, pk__lt=rsvp.pk)


def with_waiting_position(rsvps):
    """`rsvps` annotated with `position`: 1 for the first person waiting (one subquery;
    meaningful for rows on the waiting list only)."""
    ahead = (
        Rsvp.objects.filter(occurrence=OuterRef("occurrence"), status=S.WAITING)
        .filter(
            Q(queued_at__lt=OuterRef("queued_at"))
            | Q(queued_at=OuterRef("queued_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("occurrence")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return rsvps.annotate(position=Coalesce(Subquery(ahead), 0) + 1)


@dataclass
class MyEvents:
    offers: list  # seats offered, to confirm before offer_expires_at
    going: list
    waiting: list  # each with `position`
    past: list  # dates that are over where they had a seat


PAST_SHOWN = 20


def my_events(member, *, now=None) -> MyEvents:
    """`member`'s RSVPs for "My events", each with its occurrence and event (two queries)."""
    now = now or timezone.now()
    mine = Rsvp.objects.filter(member=member).select_related("occurrence__event")
    coming = with_waiting_position(
        mine.filter(occurrence__ends_at__gte=now, status__in=[S.GOING, S.OFFERED, S.WAITING])
    ).order_by("occurrence__starts_at", "pk")
    result = MyEvents(offers=[], going=[], waiting=[], past=[])
    for row in coming:
        {S.OFFERED: result.offers, S.GOING: result.going, S.WAITING: result.waiting}[
            row.status
        ].append(row)
    result.past = list(
        mine.filter(occurrence__ends_at__lt=now, status=S.GOING).order_by(
            "-occurrence__starts_at", "-pk"
        )[:PAST_SHOWN]
    )
    return result


def attendees(occurrence):
    """Everyone who answered for `occurrence`, with their profile, waiting-list
    position and in list order (one query)."""
    return list(
        with_waiting_position(Rsvp.objects.filter(occurrence=occurrence))
        .select_related("member__profile")
        .order_by("queued_at", "pk")
    )


# --- Writes -----------------------------------------------------------------------------


def _lock(occurrence):
    """The occurrence, re-read with its row locked until the transaction ends."""
    return (
        Occurrence.objects.select_for_update(of=("self",))
        .select_related("event")
        .get(pk=occurrence.pk)
    )


def _check_open(occurrence, now):
    if occurrence.event.status != Event.Status.PUBLISHED:
        raise RsvpError(_("This event is not open for RSVPs."))
    if occurrence.cancelled:
        raise RsvpError(_("This date is cancelled."))
    if occurrence.starts_at <= now:
        raise RsvpError(_("This date has already started: RSVPs are closed."))


def rsvp(*, occurrence, member, now=None) -> Rsvp:
    """A seat for `member` if one is free (and nobody waits ahead of them), else a place
    at the end of the waiting list. Answering again while going, waiting or offered
    changes nothing; after cancelling, the same row starts afresh."""
    now = now or timezone.now()
    with transaction.atomic():
        occurrence = _lock(occurrence)
        _check_open(occurrence, now)
        row = Rsvp.objects.filter(occurrence=occurrence, member=member).first()
        if row is not None and row.status != S.CANCELLED:
            return row
        left = seats_left(occurrence)
        someone_waits = Rsvp.objects.filter(occurrence=occurrence, status=S.WAITING).exists()
        status = S.GOING if left is None or (left > 0 and not someone_waits) else S.WAITING
        if row is None:
            row = Rsvp(occurrence=occurrence, member=member, created_at=now)
        row.status = status
        row.queued_at = now
        row.offer_expires_at = None
        row.attended = None
        row.reminded_day_at = None
        row.reminded_hour_at = None
        row.save()
        if status == S.WAITING:
            # Seats may be free while people wait (the organiser added seats): they go
            # to those waiting first, in order.
            _fill_free_seats(occurrence, now)
            row.refresh_from_db()
    return row


def cancel_rsvp(*, occurrence, member, now=None) -> Rsvp:
    """`member` no longer comes (or leaves the waiting list, or turns an offer down); a
    seat they held is offered to the first person waiting."""
    now = now or timezone.now()
    with transaction.atomic():
        occurrence = _lock(occurrence)
        row = Rsvp.objects.filter(occurrence=occurrence, member=member).first()
        if row is None or row.status == S.CANCELLED:
            raise RsvpError(_("You have no RSVP for this date."))
        if occurrence.starts_at <= now:
            raise RsvpError(_("This date has already started: RSVPs are closed."))
        held_seat = row.status in Rsvp.SEATED
        row.status = S.CANCELLED
        row.offer_expires_at = None
        row.save(update_fields=["status", "offer_expires_at"])
        if held_seat:
            _fill_free_seats(occurrence, now)
    return row


def confirm_seat(*, occurrence, member, now=None) -> Rsvp:
    """`member` takes the seat offered to them, before the offer's deadline."""
    now = now or timezone.now()
    with transaction.atomic():
        occurrence = _lock(occurrence)
        row = Rsvp.objects.filter(occurrence=occurrence, member=member).first()
        if row is None or row.status != S.OFFERED:
            raise RsvpError(_("There is no seat offered to you for this date."))
        if occurrence.cancelled:
            raise RsvpError(_("This date is cancelled."))
        if row.offer_expires_at is not None and row.offer_expires_at <= now:
            raise RsvpError(_("The offer has lapsed: the seat went to the next person waiting."))
        row.status = S.GOING
        row.offer_expires_at = None
        row.save(update_fields=["status", "offer_expires_at"])
    return row


def expire_offers(*, now=None) -> int:
    """Offers past their deadline lapse (the member is told) and each seat goes to the
    next person waiting. Safe to run twice at once: each offer is re-read under its
    occurrence's lock and skipped if another run already lapsed it. Returns how many
    lapsed."""
    now = now or timezone.now()
    overdue = Rsvp.objects.filter(status=S.OFFERED, offer_expires_at__lte=now).values_list(
        "pk", "occurrence_id"
    )
    lapsed = 0
    for pk, occurrence_id in list(overdue):
        with transaction.atomic():
            occurrence = _lock(Occurrence(pk=occurrence_id))
            row = (
                Rsvp.objects.filter(pk=pk, status=S.OFFERED, offer_expires_at__lte=now)
                .select_related("member__profile")
                .first()
            )
            if row is None:
                continue  # confirmed or lapsed meanwhile
            row.status = S.CANCELLED
            row.save(update_fields=["status"])
            lapsed += 1
            if not occurrence.cancelled and occurrence.starts_at > now:
                _email_on_commit(row, occurrence, "offer_lapsed")
            _fill_free_seats(occurrence, now)
    return lapsed


def offer_added_seats(*, event, now=None) -> int:
    """After an organiser raised `event`'s capacity (or removed it): each coming date's
    free seats go to the people waiting, in order. Call inside the organiser's
    transaction; returns how many people moved up."""
    now = now or timezone.now()
    dates = Occurrence.objects.filter(
        event=event, starts_at__gt=now, cancelled=False, rsvps__status=S.WAITING
    ).distinct()
    return sum(len(_fill_free_seats(_lock(date), now)) for date in dates)


def most_seats_taken(event, now=None) -> int:
    """The most seats held on any of `event`'s coming dates (what a capacity must allow)."""
    now = now or timezone.now()
    counts = (
        Rsvp.objects.filter(
            occurrence__event=event, occurrence__starts_at__gt=now, status__in=Rsvp.SEATED
        )
        .values("occurrence")
        .annotate(taken=Count("pk"))
        .values_list("taken", flat=True)
    )
    return max(counts, default=0)


def _fill_free_seats(occurrence, now):
    """Offer each free seat of the locked `occurrence` to the next person waiting (or,
    close to the start, give it outright). Returns the rows moved up."""
    if (
        occurrence.cancelled
        or occurrence.event.status != Event.Status.PUBLISHED
        or occurrence.starts_at <= now
    ):
        return []
    left = seats_left(occurrence)
    waiting = Rsvp.objects.filter(occurrence=occurrence, status=S.WAITING).select_related(
        "member__profile"
    )
    waiting = waiting.order_by("queued_at", "pk")
    if left is not None:
        waiting = waiting[:left]
    moved = list(waiting)
    soon = occurrence.starts_at - now < GIVE_DIRECTLY_WITHIN
    for row in moved:
        if soon:
            row.status, row.offer_expires_at = S.GOING, None
        else:
            row.status = S.OFFERED
            row.offer_expires_at = min(
                now + dt.timedelta(hours=OFFER_HOURS), occurrence.starts_at - OFFER_CLOSES_BEFORE
            )
        row.save(update_fields=["status", "offer_expires_at"])
        _email_on_commit(row, occurrence, "seat_given" if soon else "seat_offered")
    return moved


def record_attendance(*, occurrence, by, attended: dict[int, bool]) -> int:
    """Mark who came: `attended` maps the id of each RSVP with a seat to whether that
    person was there (RSVPs not named keep their mark). Only organisers of the event,
    once the date has started. Returns how many marks changed; audited."""
    now = timezone.now()
    with transaction.atomic():
        occurrence = _lock(occurrence)
        if not Event.objects.organised_by(by).filter(pk=occurrence.event_id).exists():
            raise RsvpError(_("Only the event's organisers record attendance."))
        if occurrence.starts_at > now:
            raise RsvpError(_("Attendance can be recorded once the date has started."))
        rows = Rsvp.objects.filter(occurrence=occurrence, status=S.GOING, pk__in=list(attended))
        changed = []
        for row in rows:
            mark = bool(attended[row.pk])
            if row.attended != mark:
                row.attended = mark
                changed.append(row)
        Rsvp.objects.bulk_update(changed, ["attended"])
        going = Rsvp.objects.filter(occurrence=occurrence, status=S.GOING)
        audit.log(
            actor=by,
            verb=Verb.ATTENDANCE_RECORDED,
            subject=occurrence,
            parent=occurrence.event,
            after={
                "attended": going.filter(attended=True).count(),
                "absent": going.filter(attended=False).count(),
                "changed": len(changed),
            },
        )
    return len(changed)


def record_export(*, occurrence, by, count):
    """Write to the audit log that `by` downloaded the attendee list of `occurrence`."""
    with transaction.atomic():
        audit.log(
            actor=by,
            verb=Verb.ATTENDEES_EXPORTED,
            subject=occurrence,
            parent=occurrence.event,
            after={"rows": count},
        )


# --- Calendar settings -------------------------------------------------------------------


def create_calendar_settings(*, member) -> CalendarSettings:
    """The member's calendar settings, made on first use (reminders on, a feed address)."""
    with transaction.atomic():
        settings, _created = CalendarSettings.objects.get_or_create(member=member)
    return settings


def set_reminders(*, member, on: bool) -> CalendarSettings:
    with transaction.atomic():
        settings, _created = CalendarSettings.objects.select_for_update().get_or_create(
            member=member
        )
        settings.reminders = on
        settings.save(update_fields=["reminders"])
    return settings


def renew_feed_token(*, member, now=None) -> CalendarSettings:
    """A new secret address for the member's personal feed; the old one stops working."""
    with transaction.atomic():
        settings, _created = CalendarSettings.objects.select_for_update().get_or_create(
            member=member
        )
        settings.feed_token = _new_token()
        settings.feed_token_created_at = now or timezone.now()
        settings.save(update_fields=["feed_token", "feed_token_created_at"])
    return settings


# --- Reminders ----------------------------------------------------------------------------


def send_reminders(*, now=None) -> int:
    """Email each member with a seat (going) a reminder 24 hours and 1 hour before the
    start, each once: a row is stamped in the same statement that claims it, so a second
    run (or two at once) sends nothing again. A run that comes late, when the start is
    already within the hour, sends only the 1-hour reminder. Members who turned
    reminders off get none. Returns how many were sent."""
    now = now or timezone.now()
    base = (
        Rsvp.objects.filter(
            status=S.GOING,
            member__is_active=True,
            occurrence__cancelled=False,
            occurrence__event__status=Event.Status.PUBLISHED,
            occurrence__starts_at__gt=now,
        )
        .exclude(member__calendar_settings__reminders=False)
        .select_related("member__profile", "occurrence__event")
    )
    due = [
        ("reminded_hour_at", True, base.filter(
            occurrence__starts_at__lte=now + HOUR_BEFORE, reminded_hour_at__isnull=True
        )),
        ("reminded_day_at", False, base.filter(
            occurrence__starts_at__gt=now + HOUR_BEFORE,
            occurrence__starts_at__lte=now + DAY_BEFORE,
            reminded_day_at__isnull=True,
        )),
    ]  # fmt: skip
    sent = 0
    for stamp, within_the_hour, rows in due:
        for row in list(rows):
            with transaction.atomic():
                claimed = Rsvp.objects.filter(
                    pk=row.pk, status=S.GOING, **{f"{stamp}__isnull": True}
                ).update(**{stamp: now})
                if claimed:
                    sent += 1
                    _email_on_commit(row, row.occurrence, "reminder", soon=within_the_hour)
    return sent


# --- Email ----------------------------------------------------------------------------------


def member_zone(member, occurrence) -> str:
    """The zone a member's emails are written in: their profile's, else the event's."""
    try:
        profile = member.profile
    except ObjectDoesNotExist:
        profile = None
    for name in (getattr(profile, "time_zone", ""), occurrence.event.time_zone):
        if not name:
            continue
        try:
            zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            continue
        return name
    return "UTC"


def _email_on_commit(row, occurrence, name, **extra):
    member = row.member
    event = occurrence.event
    city = event.city.name if event.city_id else ""
    where = ", ".join(part for part in (event.venue, event.address, city) if part)
    context = {"rsvp": row, "occurrence": occurrence, "event": event, "where": where, **extra}

    def send():
        with timezone.override(zoneinfo.ZoneInfo(member_zone(member, occurrence))):
            mail.send(member, f"events/email/{name}", context)

    transaction.on_commit(send)
