"""Sponsored tickets' part of "download my data" and "delete my account".

A member's entries are exported with their draw, number, tier, status, statement,
deadline, attendance and their own code. On deletion the entries stay, without the
person and without their words: the draw's published order must stay verifiable, and
numbers never name anyone. Before that, an entry still in a draw is withdrawn and a
ticket offered to the member is declined, so it goes to the next entry."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bpd.communities import tickets
from bpd.communities.models import Draw, TicketEntry
from bpd.website.registry import Section
from bpd.website.templatetags.bpd import moment

E = TicketEntry.Status

MODELS = {
    "communities.TicketEntry": (
        "every application for a sponsored ticket is exported (draw, number, tier, status, "
        "statement, deadline, attendance and the member's own code); on deletion an entry "
        "still in a draw is withdrawn, an offered ticket is declined and passed on, the "
        "statement is erased and the entry stays without the person, so the draw stays "
        "verifiable"
    ),
    "communities.Draw": (
        "draws a member ran are exported by event; the draw stays (it is public and "
        "verifiable) and who ran it is cleared on deletion"
    ),
}


def collect(user):
    rows = (
        TicketEntry.objects.filter(user=user)
        .select_related("draw__request", "code")
        .order_by("created_at", "pk")
    )
    entries = []
    for entry in rows:
        code = entry.code if tickets._has_code(entry) else None
        entries.append(
            {
                "event": entry.draw.request.title,
                "draw": entry.draw_id,
                "number": entry.number,
                "tier": entry.tier,
                "status": entry.status,
                "statement": entry.statement,
                "applied_at": entry.created_at,
                "rank": entry.rank,
                "offered_at": entry.offered_at,
                "confirm_by": entry.confirm_by,
                "attended": entry.attended,
                "code": tickets.shown_code(code) if code else "",
            }
        )
    draws_run = list(
        Draw.objects.filter(drawn_by=user)
        .order_by("drawn_at")
        .values_list("request__title", flat=True)
    )
    return {"ticket_entries": entries, "draws_run": draws_run}


def forget(user, published_choice):
    now = timezone.now()
    count = 0
    for entry in TicketEntry.objects.filter(user=user, status__in=(E.ENTERED, E.WAITING)):
        tickets.withdraw(entry=entry, user=user, now=now)
        count += 1
    for entry in TicketEntry.objects.filter(user=user, status=E.OFFERED):
        tickets.decline(entry=entry, user=user, now=now)
        count += 1
    with transaction.atomic():
        count += TicketEntry.objects.filter(user=user).exclude(statement="").update(statement="")
    return count


def readable(data):
    statuses = dict(E.choices)
    came = {True: _("You came"), False: _("Marked absent"), None: ""}
    rows = []
    for entry in data["ticket_entries"]:
        lines = [(_("Your number"), str(entry["number"])), (_("Tier"), str(entry["tier"]))]
        if entry["statement"]:
            lines.append((_("Your words"), entry["statement"]))
        if entry["confirm_by"]:
            lines.append((_("Confirm by"), moment(entry["confirm_by"])))
        if entry["code"]:
            lines.append((_("Your ticket"), entry["code"]))
        if came[entry["attended"]]:
            lines.append(("", came[entry["attended"]]))
        rows.append((entry["event"], str(statuses.get(entry["status"], entry["status"])), lines))
    sections = [Section(_("Your applications for sponsored tickets"), rows)]
    if data.get("draws_run"):
        sections.append(
            Section(_("Ticket draws you ran"), [("", title) for title in data["draws_run"]])
        )
    return sections
