"""Events' part of "download my data" and "delete my account": a member's RSVPs and
attendance, their calendar settings, and the events they created as an organiser.

Deleting an account first gives up the member's coming seats and waiting-list places
(each freed seat is offered to the next person waiting); their RSVP rows then go with
the account."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bpd.events import rsvp as rsvps
from bpd.events.models import CalendarSettings, Event, Rsvp
from bpd.website.registry import Section
from bpd.website.templatetags.bpd import moment

MODELS = {
    "events.Rsvp": (
        "every RSVP is exported with its status, dates, waiting-list place and attendance; on "
        "deletion coming seats are given up (offered to the next person waiting) and the rows "
        "are deleted with the account, so past attendance counts lose that person"
    ),
    "events.CalendarSettings": (
        "reminder choice and when the calendar address was made are exported (not the secret "
        "address itself); deleted with the account, so the address stops working"
    ),
    "events.Event": (
        "the events a member created as an organiser are exported by title; the events stay "
        "(they belong to the community) and who created them is cleared on deletion"
    ),
}


def collect(user):
    rows = (
        Rsvp.objects.filter(member=user)
        .select_related("occurrence__event")
        .order_by("occurrence__starts_at", "pk")
    )
    settings = CalendarSettings.objects.filter(member=user).first()
    return {
        "rsvps": [
            {
                "event": row.occurrence.event.title,
                "starts_at": row.occurrence.starts_at,
                "status": row.status,
                "answered_at": row.created_at,
                "queued_at": row.queued_at,
                "offer_expires_at": row.offer_expires_at,
                "attended": row.attended,
                "reminded_day_before_at": row.reminded_day_at,
                "reminded_hour_before_at": row.reminded_hour_at,
            }
            for row in rows
        ],
        "calendar_settings": {
            "reminders": settings.reminders,
            "calendar_address_made_at": settings.feed_token_created_at,
        }
        if settings
        else None,
        "events_created": list(
            Event.objects.filter(created_by=user)
            .order_by("starts_at")
            .values_list("title", flat=True)
        ),
    }


def forget(user, published_choice):
    """Give up the member's coming seats and waiting-list places, so the seats go on to
    the next people waiting; everything else goes with the account (foreign keys)."""
    now = timezone.now()
    coming = (
        Rsvp.objects.filter(member=user, occurrence__starts_at__gt=now)
        .filter(Q(status__in=Rsvp.SEATED) | Q(status=Rsvp.Status.WAITING))
        .select_related("occurrence")
    )
    count = 0
    for row in coming:
        rsvps.cancel_rsvp(occurrence=row.occurrence, member=user, now=now)
        count += 1
    return count


# --- For people (data.md) ----------------------------------------------------------------


def readable(data):
    statuses = dict(Rsvp.Status.choices)
    came = {True: _("You came"), False: _("Marked absent"), None: ""}
    rows = [
        (
            f"{row['event']}, {moment(row['starts_at'])}",
            str(statuses.get(row["status"], row["status"])),
            [line for line in [("", came[row["attended"]])] if line[1]],
        )
        for row in data["rsvps"]
    ]
    sections = [Section(_("Your RSVPs to events"), rows)]
    settings = data.get("calendar_settings")
    if settings:
        sections.append(
            Section(
                _("Your calendar settings"),
                [
                    (
                        _("Email reminders"),
                        _("on") if settings["reminders"] else _("off"),
                    ),
                    (
                        _("Calendar address made"),
                        moment(settings["calendar_address_made_at"]),
                    ),
                ],
            )
        )
    if data.get("events_created"):
        sections.append(
            Section(_("Events you created"), [("", title) for title in data["events_created"]])
        )
    return sections
