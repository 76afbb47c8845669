"""Writes to the conference list: suggestions, moderation, follows, talks, reminders.

Each state change is one function here: a suggestion is published or rejected only by
`publish` / `reject`, which check the current state, write the audit log and tell the
member who suggested it."""

import datetime as dt
import zoneinfo

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bpd.audit import services as audit
from bpd.audit.verbs import Verb
from bpd.conferences.models import (
    Conference,
    Deadline,
    DeadlineReminder,
    Follow,
    Speaker,
)
from bpd.members import mail

S = Conference.Status
# The facts a conference page shows; what staff edit and the audit log compares.
FIELDS = (
    "name", "url", "starts_on", "ends_on", "online", "city", "country", "summary",
    "code_of_conduct_url", "languages", "tags",
)  # fmt: skip
# Reminders go this many days before a deadline (the nearest one due, once each).
LEAD_DAYS = (14, 3, 1)


class ConferenceError(Exception):
    """A change the conference's state does not allow; the message is for the person."""


def _snapshot(conference):
    values = {name: getattr(conference, name) for name in FIELDS}
    values = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in values.items()}
    values["deadlines"] = {
        d.kind: f"{d.due_at.astimezone(dt.UTC):%Y-%m-%dT%H:%MZ} {d.zone} {d.url}".strip()
        for d in conference.deadlines.order_by("kind")
    }
    return values


def _set_deadlines(conference, deadlines):
    """Make the conference's deadlines exactly `deadlines` (dicts: kind, due_at, zone,
    url), one per kind; a kept kind keeps its row, so reminders already sent stay sent."""
    wanted = {d["kind"]: d for d in deadlines}
    conference.deadlines.exclude(kind__in=wanted).delete()
    for kind, values in wanted.items():
        Deadline.objects.update_or_create(
            conference=conference,
            kind=kind,
            defaults={
                "due_at": values["due_at"],
                "zone": values["zone"],
                "url": values.get("url", ""),
            },
        )


@transaction.atomic
def suggest(*, by, data: dict, deadlines: list[dict]) -> Conference:
    """A member suggests a conference: it waits, status "suggested", for staff."""
    conference = Conference(**{k: data[k] for k in FIELDS if k in data})
    conference.status = S.SUGGESTED
    conference.suggested_by = by
    conference.save()
    _set_deadlines(conference, deadlines)
    return conference


@transaction.atomic
def save_conference(*, conference: Conference, by, data: dict, deadlines: list[dict]) -> Conference:
    """Staff change a conference's facts and deadlines (audited with what changed)."""
    conference = Conference.objects.select_for_update().get(pk=conference.pk)
    before = _snapshot(conference)
    for name in FIELDS:
        if name in data:
            setattr(conference, name, data[name])
    conference.updated_at = timezone.now()
    conference.save()
    _set_deadlines(conference, deadlines)
    after = _snapshot(conference)
    changed = [key for key in after if before.get(key) != after[key]]
    if changed:
        audit.log(
            actor=by,
            verb=Verb.CONFERENCE_CHANGED,
            subject=conference,
            person=conference.suggested_by,
            before={k: before.get(k) for k in changed},
            after={k: after[k] for k in changed},
        )
    return conference


def _tell_suggester(conference, email):
    suggester = conference.suggested_by
    if suggester is None or not suggester.is_active:
        return
    transaction.on_commit(
        lambda: mail.send(suggester, f"conferences/email/{email}", {"conference": conference})
    )


@transaction.atomic
def publish(*, conference: Conference, by) -> Conference:
    """Suggested (or rejected, on second thoughts) → published."""
    conference = Conference.objects.select_for_update().get(pk=conference.pk)
    if conference.status == S.PUBLISHED:
        raise ConferenceError(_("This conference is published already."))
    before = conference.status
    conference.status = S.PUBLISHED
    conference.rejection_reason = ""
    conference.updated_at = timezone.now()
    conference.save(update_fields=["status", "rejection_reason", "updated_at"])
    audit.log(
        actor=by,
        verb=Verb.CONFERENCE_PUBLISHED,
        subject=conference,
        person=conference.suggested_by,
        before={"status": before},
        after={"status": conference.status},
    )
    _tell_suggester(conference, "published")
    return conference


@transaction.atomic
def reject(*, conference: Conference, by, reason: str) -> Conference:
    """Suggested (or published) → rejected, with a reason the suggester reads."""
    reason = (reason or "").strip()
    if not reason:
        raise ConferenceError(_("Give a reason: the member who suggested it reads it."))
    conference = Conference.objects.select_for_update().get(pk=conference.pk)
    if conference.status == S.REJECTED:
        raise ConferenceError(_("This conference is rejected already."))
    before = conference.status
    conference.status = S.REJECTED
    conference.rejection_reason = reason[:500]
    conference.updated_at = timezone.now()
    conference.save(update_fields=["status", "rejection_reason", "updated_at"])
    audit.log(
        actor=by,
        verb=Verb.CONFERENCE_REJECTED,
        subject=conference,
        person=conference.suggested_by,
        before={"status": before},
        after={"status": conference.status},
        reason=conference.rejection_reason,
    )
    _tell_suggester(conference, "rejected")
    return conference


# --- Following and speaking ------------------------------------------------------------


def follow(*, conference: Conference, member) -> Follow:
    """Idempotent: following twice is following."""
    row, _created = Follow.objects.get_or_create(conference=conference, member=member)
    return row


def unfollow(*, conference: Conference, member) -> None:
    """Stops the reminders (and the deadlines in the member's calendar feed)."""
    Follow.objects.filter(conference=conference, member=member).delete()


def set_talk(*, conference: Conference, member, title: str, consent: bool) -> Speaker:
    row, _created = Speaker.objects.update_or_create(
        conference=conference, member=member, defaults={"title": title, "consent": consent}
    )
    return row


def remove_talk(*, conference: Conference, member) -> None:
    Speaker.objects.filter(conference=conference, member=member).delete()


# --- Reminders ---------------------------------------------------------------------------


def due_lead(due_at: dt.datetime, now: dt.datetime) -> int | None:
    """The nearest reminder due now: 1 when a day or less is left, 3 when three days or
    less, 14 when two weeks or less; None when the deadline is past or far off. A job
    that ran late therefore sends one reminder, never the ones it missed."""
    left = due_at - now
    if left <= dt.timedelta(0):
        return None
    for days in sorted(LEAD_DAYS):
        if left <= dt.timedelta(days=days):
            return days
    return None


def _zone(member):
    name = getattr(getattr(member, "profile", None), "time_zone", "") or ""
    try:
        return zoneinfo.ZoneInfo(name) if name else dt.UTC
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def _send_reminder(member, deadline, days):
    with timezone.override(_zone(member)):
        mail.send(
            member,
            "conferences/email/deadline_reminder",
            {"deadline": deadline, "conference": deadline.conference, "days": days},
        )


def remind_deadlines(*, now: dt.datetime | None = None) -> list[DeadlineReminder]:
    """Email each follower the nearest reminder due (T-14, T-3, T-1 days) for every
    deadline of a published conference, once: a DeadlineReminder row per member,
    deadline and lead time, and none when a nearer one has gone already."""
    now = now or timezone.now()
    deadlines = list(
        Deadline.objects.filter(
            due_at__gt=now,
            due_at__lte=now + dt.timedelta(days=max(LEAD_DAYS)),
            conference__status=S.PUBLISHED,
        ).select_related("conference")
    )
    if not deadlines:
        return []
    followers = {}
    for row in Follow.objects.filter(
        conference__in={d.conference_id for d in deadlines}, member__is_active=True
    ).select_related("member__profile"):
        followers.setdefault(row.conference_id, []).append(row.member)
    sent_before = {}
    for deadline_id, member_id, days in DeadlineReminder.objects.filter(
        deadline__in=deadlines
    ).values_list("deadline_id", "member_id", "days_before"):
        key = (deadline_id, member_id)
        sent_before[key] = min(days, sent_before.get(key, days))
    sent = []
    for deadline in deadlines:
        days = due_lead(deadline.due_at, now)
        if days is None:
            continue
        for member in followers.get(deadline.conference_id, []):
            if sent_before.get((deadline.pk, member.pk), 999) <= days:
                continue  # this one, or a nearer one, went already
            try:
                with transaction.atomic():
                    reminder = DeadlineReminder.objects.create(
                        deadline=deadline, member=member, days_before=days, sent_at=now
                    )
                    transaction.on_commit(
                        lambda m=member, d=deadline, n=days: _send_reminder(m, d, n)
                    )
            except IntegrityError:
                continue  # another run sent it a moment ago
            sent.append(reminder)
    return sent
