"""Sponsored tickets: the draw's life from publishing its rules to attendance.

One writer per action, each keyword-only, in a transaction, with the draw's row locked
(`select_for_update`) wherever two requests could race: entry numbers are handed out
one at a time, and a ticket is offered only while fewer than `draw.tickets` are offered
or confirmed, so a decline, a lapse and a confirmation arriving together never give
out more tickets than exist. Every change is audited; emails go after the commit.

Reads (who may manage which draw, who may enter which, what a page shows) are here too,
so the views ask one place. The draw itself is `lottery.py` (pure)."""

import datetime as dt
import math
import re
import unicodedata
import zoneinfo
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db import connection, transaction
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from huey.contrib.djhuey import db_task

from bpd.audit import services as audit
from bpd.audit.verbs import Verb
from bpd.communities import lottery, workflow
from bpd.communities.models import (
    Community,
    Draw,
    Membership,
    SponsorshipRequest,
    TicketCode,
    TicketEntry,
)
from bpd.fund.models import Application
from bpd.members import mail
from bpd.members.roles import is_executor

E = TicketEntry.Status
R = SponsorshipRequest.Status
Tier = Draw.Tier

# Requests a draw may be set up for: approved or paid, tickets through the BPD lottery.
DRAWABLE = (R.APPROVED, R.PAID)
MAX_TICKETS = 10_000
MAX_RADIUS_KM = 5_000
MAX_CONFIRM_DAYS = 30
SOURCE_LIMIT = 200
STATEMENT_LIMIT = 1000
CODE_LIMIT = 200
# A code with this prefix stands for "the organiser registered the winner by name".
BY_NAME = "by-name:"
# Active entries: those a member holds (one per draw), in the draw or after it.
HELD = (E.ENTERED, E.WAITING, E.OFFERED, E.CONFIRMED)
# Holding a ticket or an offer of one: never more of these than the draw's tickets.
TAKEN = (E.OFFERED, E.CONFIRMED)
PASSED_ON = (E.DECLINED, E.LAPSED)


class TicketError(Exception):
    """A refused action; `str(error)` is a message for the person, translated."""


# --- Who may do what ----------------------------------------------------------------


def led_community_ids(user):
    return set(Community.objects.led_by(user).values_list("pk", flat=True))


def may_manage(user, request) -> bool:
    """Executors, and leaders of the request's community (never another community's)."""
    if not user.is_authenticated:
        return False
    return is_executor(user) or request.community_id in led_community_ids(user)


def managed_requests(user):
    """Sponsorship requests whose tickets `user` may draw: every one for executors, their
    own communities' for leaders, nothing for anyone else."""
    requests = SponsorshipRequest.objects.all()
    if is_executor(user):
        return requests
    return requests.filter(community__in=Community.objects.led_by(user))


def managed_draws(user):
    """Draws `user` may run, give codes for and record attendance of (see managed_requests)."""
    return Draw.objects.filter(request__in=managed_requests(user))


def drawable_requests(user):
    """Requests `user` manages that may get a draw: approved or paid, tickets by lottery."""
    return managed_requests(user).filter(
        status__in=DRAWABLE, distribution=SponsorshipRequest.Distribution.LOTTERY
    )


def published_draws():
    """Draws anyone may see: their rules are published."""
    return Draw.objects.filter(published_at__isnull=False)


# --- Time -------------------------------------------------------------------------------


def event_zone(request):
    name = getattr(request.city, "timezone", "") or "UTC"
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def event_starts_at(request) -> dt.datetime:
    """The first day of the event at midnight where it is held."""
    return dt.datetime.combine(request.starts_on, dt.time(0), tzinfo=event_zone(request))


def is_open(draw, now=None) -> bool:
    now = now or timezone.now()
    return (
        draw.published_at is not None
        and draw.drawn_at is None
        and draw.opens_at <= now < draw.closes_at
    )


def confirm_deadline(draw, now):
    """When an offer made now lapses: `confirm_days` later, but never after the event
    starts (an offer nobody can use is no offer)."""
    return min(now + dt.timedelta(days=draw.confirm_days), event_starts_at(draw.request))


def event_started(draw, now=None) -> bool:
    return (now or timezone.now()) >= event_starts_at(draw.request)


# --- Text ---------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def clean_line(text, *, limit, what):
    """One line of text as published: NFC, trimmed, no control characters, bounded."""
    text = unicodedata.normalize("NFC", str(text or "")).strip()
    if not text:
        raise TicketError(_("Enter %(what)s.") % {"what": what})
    if _CONTROL.search(text) or "\n" in text or "\r" in text:
        raise TicketError(_("%(what)s must be one line of plain text.") % {"what": what})
    if len(text) > limit:
        raise TicketError(
            _("%(what)s can be at most %(limit)d characters.") % {"what": what, "limit": limit}
        )
    return text


# --- Publishing the draw --------------------------------------------------------------


def publish_draw(
    *,
    request,
    by,
    tickets,
    opens_at,
    closes_at,
    radius_km=None,
    priorities=(),
    confirm_days=5,
    randomness_source,
    now=None,
) -> Draw:
    """Publish the draw for `request`'s tickets: its rules, a commitment to a secret made
    now (32 random bytes) and the public randomness it will be combined with. Once
    published these never change; the secret stays hidden until the draw."""
    now = now or timezone.now()
    with transaction.atomic():
        request = (
            SponsorshipRequest.objects.select_for_update().select_related("city").get(pk=request.pk)
        )
        if not may_manage(by, request):
            raise TicketError(_("Only the community's leaders and executors set up its draw."))
        if Draw.objects.filter(request=request).exists():
            raise TicketError(
                _(
                    "This draw is published: its rules, commitment and randomness source "
                    "cannot change any more."
                )
            )
        if request.distribution != SponsorshipRequest.Distribution.LOTTERY:
            raise TicketError(_("This sponsorship's tickets are not given by a BPD draw."))
        if request.status not in DRAWABLE:
            raise TicketError(_("A draw can be set up once the sponsorship is approved."))
        most = tickets_available(request)
        if not isinstance(tickets, int) or not 1 <= tickets <= most:
            raise TicketError(
                _("The draw can give between 1 and %(most)d tickets.") % {"most": most}
            )
        if closes_at <= opens_at:
            raise TicketError(_("Applications must close after they open."))
        if closes_at <= now:
            raise TicketError(_("Applications must close in the future."))
        if closes_at >= event_starts_at(request):
            raise TicketError(_("Applications must close before the event starts."))
        if radius_km is not None and not 1 <= radius_km <= MAX_RADIUS_KM:
            raise TicketError(
                _("The distance must be between 1 and %(most)d km.") % {"most": MAX_RADIUS_KM}
            )
        priorities = list(priorities)
        if len(set(priorities)) != len(priorities) or not set(priorities) <= set(Tier.values):
            raise TicketError(_("Choose each priority rule at most once."))
        if not 1 <= confirm_days <= MAX_CONFIRM_DAYS:
            raise TicketError(
                _("Winners need between 1 and %(most)d days to confirm.")
                % {"most": MAX_CONFIRM_DAYS}
            )
        source = clean_line(
            randomness_source, limit=SOURCE_LIMIT, what=_("the public randomness source")
        )
        secret = lottery.new_secret()
        draw = Draw.objects.create(
            request=request,
            tickets=tickets,
            opens_at=opens_at,
            closes_at=closes_at,
            radius_km=radius_km,
            priorities=priorities,
            confirm_days=confirm_days,
            algorithm=lottery.ALGORITHM,
            commitment=lottery.commit(secret),
            secret=secret,
            randomness_source=source,
            published_at=now,
            created_at=now,
        )
        audit.log(
            actor=by,
            verb=Verb.DRAW_PUBLISHED,
            subject=draw,
            parent=request.community,
            after={
                "tickets": tickets,
                "opens_at": opens_at.isoformat(),
                "closes_at": closes_at.isoformat(),
                "radius_km": radius_km,
                "priorities": priorities,
                "confirm_days": confirm_days,
                "algorithm": lottery.ALGORITHM,
                "commitment": draw.commitment,
                "randomness_source": source,
            },
        )
    return draw


def tickets_available(request) -> int:
    """The most tickets a draw for `request` may give: what was approved."""
    approved = request.tickets_approved
    if approved is None:
        approved = request.tickets_requested
    return max(0, min(approved or 0, MAX_TICKETS))


# --- Who may enter --------------------------------------------------------------------


def haversine_km(a, b) -> float:
    """Great-circle distance between two cities (mean Earth radius 6371.0088 km)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def _profile(user):
    try:
        return user.profile
    except ObjectDoesNotExist:
        return None


def near_enough(draw, profile) -> bool:
    """In the event's country, or (when the draw sets a distance) within it of the city."""
    request = draw.request
    if profile is None:
        return False
    if profile.country and profile.country == request.country:
        return True
    if draw.radius_km and profile.city_id and request.city_id:
        return haversine_km(profile.city, request.city) <= draw.radius_km
    return False


def ineligible_reason(draw, user, *, now=None, held=None):
    """Why `user` may not enter `draw` now, or None when they may. `held`: the set of
    draw ids the user holds an entry in (to answer for many draws with one query)."""
    now = now or timezone.now()
    if not user.is_authenticated:
        return _("Sign in to apply.")
    if not is_open(draw, now):
        return _("Applications for this draw are closed.")
    profile = _profile(user)
    if profile is None:
        return _("Complete your profile first: the draw is for BPD members.")
    if held is None:
        held = set(
            TicketEntry.objects.filter(user=user, draw=draw, status__in=HELD).values_list(
                "draw_id", flat=True
            )
        )
    if draw.pk in held:
        return _("You have already applied for this draw.")
    if not near_enough(draw, profile):
        return _(
            "This draw is for members in the event's country or near its city; your profile "
            "says you are elsewhere."
        )
    return None


def rules_met(draw, user, *, now=None) -> list[bool]:
    """Whether `user` meets each of the draw's priority rules, in the draw's order."""
    now = now or timezone.now()
    year = timezone.localdate(now).year
    confirmed = TicketEntry.objects.filter(user=user, status=E.CONFIRMED).exclude(draw=draw)
    met = []
    for rule in draw.priorities:
        if rule == Tier.FIRST_TIME:
            met.append(not confirmed.exists())
        elif rule == Tier.NOT_FUNDED:
            funded = Application.objects.filter(
                applicant=user,
                status__in=Application.Status.FUNDED,
                round__decision_date__year=year,
            ).exists()
            ticket = confirmed.filter(draw__request__starts_on__year=year).exists()
            met.append(not funded and not ticket)
        elif rule == Tier.COMMUNITY_MEMBER:
            met.append(
                Membership.objects.filter(
                    community_id=draw.request.community_id,
                    user=user,
                    kind=Membership.Kind.MEMBER,
                ).exists()
            )
        else:
            met.append(False)
    return met


# --- Applying ---------------------------------------------------------------------------


def _lock(draw):
    return (
        Draw.objects.select_for_update(of=("self",))
        .select_related("request__city", "request__community")
        .get(pk=draw.pk)
    )


def apply(*, draw, user, statement="", now=None) -> TicketEntry:
    """Enter `user` in `draw`: the next entry number (the draw's row is locked, so two
    members applying at once get different numbers) and their tier, decided now."""
    now = now or timezone.now()
    statement = unicodedata.normalize("NFC", str(statement or "")).strip()
    if len(statement) > STATEMENT_LIMIT:
        raise TicketError(_("Keep it to %(limit)d characters.") % {"limit": STATEMENT_LIMIT})
    with transaction.atomic():
        draw = _lock(draw)
        reason = ineligible_reason(draw, user, now=now)
        if reason:
            raise TicketError(reason)
        number = (draw.entries.aggregate(last=Max("number"))["last"] or 0) + 1
        tier = lottery.tier_for(rules_met(draw, user, now=now))
        entry = TicketEntry.objects.filter(draw=draw, user=user).first()
        if entry is None:
            entry = TicketEntry(draw=draw, user=user)
        # A member who withdrew and applies again joins at the end, with a new number.
        entry.number, entry.tier, entry.statement = number, tier, statement
        entry.status, entry.created_at = E.ENTERED, now
        entry.save()
    return entry


def withdraw(*, entry, user, now=None) -> TicketEntry:
    """The entrant leaves the draw before it is run (or the waiting list after it)."""
    with transaction.atomic():
        _lock(entry.draw)
        entry = TicketEntry.objects.get(pk=entry.pk)
        if entry.user_id != user.pk:
            raise TicketError(_("This is not your application."))
        if entry.status not in (E.ENTERED, E.WAITING):
            raise TicketError(_("This application can no longer be withdrawn."))
        entry.status = E.WITHDRAWN
        entry.save(update_fields=["status"])
    return entry


# --- The draw ---------------------------------------------------------------------------


@dataclass
class DrawResult:
    entries: int
    offered: int


def run_draw(*, draw, by, randomness_value, now=None) -> DrawResult:
    """Run the draw: reveal the secret, fix the seed from it and the public randomness
    value typed in now, key and rank every entry, offer the first `tickets` (never more)
    a ticket to confirm by the deadline and put the others on the waiting list in order.
    Everyone in it is emailed."""
    now = now or timezone.now()
    with transaction.atomic():
        draw = _lock(draw)
        request = draw.request
        if not may_manage(by, request):
            raise TicketError(_("Only the community's leaders and executors run its draw."))
        if draw.published_at is None:
            raise TicketError(_("The draw is not published yet."))
        if draw.drawn_at is not None:
            raise TicketError(_("This draw has already been run."))
        if now < draw.closes_at:
            raise TicketError(_("The draw can be run once applications have closed."))
        if event_started(draw, now):
            raise TicketError(_("The event has started: it is too late to draw its tickets."))
        value = clean_line(randomness_value, limit=SOURCE_LIMIT, what=_("the randomness value"))
        seed = lottery.combined_seed(draw.secret, draw.randomness_source, value)
        rows = list(draw.entries.filter(status=E.ENTERED).values_list("pk", "number", "tier"))
        by_number = {number: pk for pk, number, _tier in rows}
        ranked = lottery.keyed(seed, [(number, tier) for _pk, number, tier in rows])
        order = [(key, rank, by_number[number]) for rank, (_t, key, number) in enumerate(ranked, 1)]
        offers = [pk for _key, rank, pk in order if rank <= draw.tickets]
        waiting = [pk for _key, rank, pk in order if rank > draw.tickets]
        _store_ranks(order)
        draw.entries.filter(pk__in=offers).update(
            status=E.OFFERED, offered_at=now, confirm_by=confirm_deadline(draw, now)
        )
        draw.entries.filter(status=E.ENTERED).update(status=E.WAITING)
        draw.randomness_value = value
        draw.seed = seed.hex()
        draw.drawn_at = now
        draw.drawn_by = by
        draw.save(update_fields=["randomness_value", "seed", "drawn_at", "drawn_by"])
        audit.log(
            actor=by,
            verb=Verb.DRAW_RUN,
            subject=draw,
            parent=request.community,
            after={
                "entries": len(order),
                "offered": len(offers),
                "randomness_value": value,
                "seed": draw.seed,
                "secret": draw.secret,
            },
        )
        _email_entries(draw, offers, "ticket_offered")
        _email_entries(draw, waiting, "ticket_waiting")
    return DrawResult(entries=len(order), offered=len(offers))


def _store_ranks(order):
    """Each entry's key and rank, [(key, rank, pk)], in one prepared statement run for
    every row (`executemany`): a draw of 100,000 entries stores them in seconds, where
    `bulk_update`'s CASE expressions grow with the square of the batch (bench/draw.py)."""
    table = connection.ops.quote_name(TicketEntry._meta.db_table)
    key, rank, pk = (
        connection.ops.quote_name(TicketEntry._meta.get_field(name).column)
        for name in ("key", "rank", "id")
    )
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {key} = %s, {rank} = %s WHERE {pk} = %s", order)


def _offer_free_tickets(draw, now):
    """Offer each free ticket of the locked `draw` to the next entry waiting, in the
    published order (never a new draw). Returns the entries offered."""
    if draw.drawn_at is None or event_started(draw, now):
        return []
    taken = draw.entries.filter(status__in=TAKEN).count()
    free = max(0, draw.tickets - taken)
    if not free:
        return []
    chosen = list(draw.entries.filter(status=E.WAITING).order_by("rank")[:free])
    deadline = confirm_deadline(draw, now)
    for entry in chosen:
        entry.status, entry.offered_at, entry.confirm_by = E.OFFERED, now, deadline
    TicketEntry.objects.bulk_update(chosen, ["status", "offered_at", "confirm_by"])
    _email_entries(draw, [entry.pk for entry in chosen], "ticket_offered", passed_on=True)
    return chosen


def _pass_on(draw, left, *, by, now, cause):
    chosen = _offer_free_tickets(draw, now)
    audit.log(
        actor=by,
        verb=Verb.TICKET_PASSED_ON,
        subject=draw,
        parent=draw.request.community,
        before={"number": left.number, "status": left.status},
        after={"offered_to": [entry.number for entry in chosen]},
        reason=cause,
    )
    return chosen


def confirm(*, entry, user, now=None) -> TicketEntry:
    """The winner takes the ticket offered to them, before the deadline; a code waiting
    for a winner is given at once."""
    now = now or timezone.now()
    with transaction.atomic():
        draw = _lock(entry.draw)
        entry = TicketEntry.objects.get(pk=entry.pk)
        if entry.user_id != user.pk:
            raise TicketError(_("This is not your application."))
        if entry.status != E.OFFERED:
            raise TicketError(_("There is no ticket offered to you in this draw."))
        if entry.confirm_by is not None and entry.confirm_by <= now:
            raise TicketError(_("The offer has lapsed: the ticket went to the next entry."))
        entry.status = E.CONFIRMED
        entry.save(update_fields=["status"])
        _assign_codes(draw, by=user, now=now)
    entry.refresh_from_db()
    return entry


def decline(*, entry, user, now=None) -> TicketEntry:
    """The winner turns the ticket down, or gives a confirmed one back before the event
    while no code is theirs yet (a code they have seen is not given to anyone else): it
    goes to the next entry in the published order."""
    now = now or timezone.now()
    with transaction.atomic():
        draw = _lock(entry.draw)
        entry = TicketEntry.objects.get(pk=entry.pk)
        if entry.user_id != user.pk:
            raise TicketError(_("This is not your application."))
        cause = "declined"
        if entry.status == E.CONFIRMED:
            if event_started(draw, now):
                raise TicketError(
                    _("The event has started: the ticket can no longer be given back.")
                )
            if TicketCode.objects.filter(entry=entry).exists():
                raise TicketError(
                    _(
                        "Your code is already yours. If you cannot go, tell the community's "
                        "leaders so that they can pass the ticket on with the organiser."
                    )
                )
            cause = "given back"
        elif entry.status != E.OFFERED:
            raise TicketError(_("There is no ticket offered to you in this draw."))
        entry.status = E.DECLINED
        entry.save(update_fields=["status"])
        _pass_on(draw, entry, by=user, now=now, cause=cause)
    return entry


def may_give_back(entry, now=None) -> bool:
    """Whether a confirmed ticket can still be given back (see `decline`)."""
    return (
        entry.status == E.CONFIRMED and not _has_code(entry) and not event_started(entry.draw, now)
    )


def lapse_overdue(*, now=None) -> int:
    """Offers past their deadline lapse and each ticket goes to the next entry waiting.
    Safe to run twice at once: each offer is re-read under its draw's lock and skipped
    when it was confirmed or lapsed meanwhile. Returns how many lapsed."""
    now = now or timezone.now()
    overdue = TicketEntry.objects.filter(status=E.OFFERED, confirm_by__lte=now).values_list(
        "pk", "draw_id"
    )
    lapsed = 0
    for pk, draw_id in list(overdue):
        with transaction.atomic():
            draw = _lock(Draw(pk=draw_id))
            entry = TicketEntry.objects.filter(pk=pk, status=E.OFFERED, confirm_by__lte=now).first()
            if entry is None:
                continue
            entry.status = E.LAPSED
            entry.save(update_fields=["status"])
            lapsed += 1
            _email_entries(draw, [entry.pk], "ticket_lapsed")
            _pass_on(draw, entry, by=None, now=now, cause="lapsed")
    return lapsed


# --- Codes ----------------------------------------------------------------------------------


def parse_codes(text) -> list[str]:
    """The codes pasted or uploaded, one per line (blank lines skipped), checked all
    together: a problem with one refuses them all."""
    codes = []
    for number, line in enumerate(str(text or "").splitlines(), start=1):
        code = unicodedata.normalize("NFC", line).strip()
        if not code:
            continue
        if _CONTROL.search(code):
            raise TicketError(
                _("Line %(line)d has characters a code cannot have.") % {"line": number}
            )
        if len(code) > CODE_LIMIT:
            raise TicketError(
                _("Line %(line)d is longer than %(limit)d characters.")
                % {"line": number, "limit": CODE_LIMIT}
            )
        if code.startswith(BY_NAME):
            raise TicketError(
                _("Line %(line)d: a code cannot start with “%(prefix)s”.")
                % {"line": number, "prefix": BY_NAME}
            )
        codes.append(code)
    if not codes:
        raise TicketError(_("Paste at least one code, one per line."))
    repeated = (
        sorted({code for code in codes if codes.count(code) > 1}) if len(codes) < 2000 else []
    )
    if len(set(codes)) != len(codes):
        raise TicketError(
            _("Each code may appear once; repeated: %(codes)s")
            % {"codes": ", ".join(repeated[:5]) or "…"}
        )
    return codes


def import_codes(*, draw, by, text, now=None) -> int:
    """Add the organiser's codes to the draw (all or none), and give them to confirmed
    winners without one, in the published order. Returns how many were added."""
    now = now or timezone.now()
    codes = parse_codes(text)
    with transaction.atomic():
        draw = _lock(draw)
        if not may_manage(by, draw.request):
            raise TicketError(_("Only the community's leaders and executors give out codes."))
        if draw.drawn_at is None:
            raise TicketError(_("Codes can be added once the draw has been run."))
        existing = set(draw.codes.values_list("code", flat=True))
        clash = sorted(set(codes) & existing)
        if clash:
            raise TicketError(
                _("These codes are already in: %(codes)s") % {"codes": ", ".join(clash[:5])}
            )
        if len(existing) + len(codes) > draw.tickets:
            raise TicketError(
                _("The draw has %(tickets)d tickets: at most %(left)d more codes fit.")
                % {"tickets": draw.tickets, "left": max(0, draw.tickets - len(existing))}
            )
        TicketCode.objects.bulk_create(TicketCode(draw=draw, code=code) for code in codes)
        audit.log(
            actor=by,
            verb=Verb.CODES_IMPORTED,
            subject=draw,
            parent=draw.request.community,
            after={"codes": len(codes), "total": len(existing) + len(codes)},
        )
        _assign_codes(draw, by=by, now=now)
    return len(codes)


def _assign_codes(draw, *, by, now):
    """Give free codes to confirmed winners without one, in the published order."""
    free = list(draw.codes.filter(entry__isnull=True).exclude(code__startswith=BY_NAME))
    if not free:
        return []
    waiting = list(
        draw.entries.filter(status=E.CONFIRMED, code__isnull=True)
        .select_related("user")
        .order_by("rank")[: len(free)]
    )
    given = []
    for code, entry in zip(free, waiting, strict=False):
        code.entry, code.assigned_at = entry, now
        given.append(code)
    TicketCode.objects.bulk_update(given, ["entry", "assigned_at"])
    for code in given:
        _log_code(draw, code, by=by)
    _email_entries(draw, [code.entry_id for code in given], "ticket_code")
    return given


def _log_code(draw, code, *, by):
    audit.log(
        actor=by,
        verb=Verb.CODE_ASSIGNED,
        subject=draw,
        parent=draw.request.community,
        person=code.entry.user,
        after={"number": code.entry.number, "by_name": code.code.startswith(BY_NAME)},
    )


def register_by_name(*, draw, entry, by, now=None) -> TicketCode:
    """The organiser registered this confirmed winner by name (no code to hand out)."""
    now = now or timezone.now()
    with transaction.atomic():
        draw = _lock(draw)
        if not may_manage(by, draw.request):
            raise TicketError(_("Only the community's leaders and executors give out codes."))
        entry = draw.entries.filter(pk=entry.pk).select_related("user").first()
        if entry is None or entry.status != E.CONFIRMED:
            raise TicketError(_("Only a confirmed winner can be registered."))
        if TicketCode.objects.filter(entry=entry).exists():
            raise TicketError(_("This winner already has their ticket."))
        code = TicketCode.objects.create(
            draw=draw, code=f"{BY_NAME}{entry.number}", entry=entry, assigned_at=now
        )
        _log_code(draw, code, by=by)
        _email_entries(draw, [entry.pk], "ticket_code")
    return code


def shown_code(code) -> str:
    """A code as its winner reads it."""
    if code.code.startswith(BY_NAME):
        return _("Registered under your name with the organiser")
    return code.code


def codes_complete(draw) -> bool:
    """Every ticket is confirmed and every confirmed winner has a code."""
    confirmed = draw.entries.filter(status=E.CONFIRMED)
    return confirmed.count() == draw.tickets and not confirmed.filter(code__isnull=True).exists()


def mark_tickets_issued(*, draw, by, anyway=False, comment="") -> None:
    """Move the sponsorship on to "tickets issued" (only from paid): when every ticket is
    confirmed with a code, or when the leader says it is done although not (`anyway`)."""
    with transaction.atomic():
        draw = _lock(draw)
        request = SponsorshipRequest.objects.select_for_update().get(pk=draw.request_id)
        if not may_manage(by, request):
            raise TicketError(_("Only the community's leaders and executors do this."))
        if request.status != R.PAID:
            raise TicketError(_("Tickets can be marked issued once the sponsorship is paid."))
        if not anyway and not codes_complete(draw):
            raise TicketError(
                _(
                    "Not every ticket is confirmed with a code yet: tick the box to mark them "
                    "issued anyway."
                )
            )
        try:
            workflow.move(request, "issue_tickets", by=by, comment=comment)
        except workflow.WorkflowError as error:
            raise TicketError(str(error)) from error


# --- Attendance -----------------------------------------------------------------------------


def record_attendance(*, draw, by, attended: dict, now=None) -> int:
    """Whether each confirmed winner came (`attended`: entry id -> bool), once the event
    has started. Returns how many marks changed; audited."""
    now = now or timezone.now()
    with transaction.atomic():
        draw = _lock(draw)
        if not may_manage(by, draw.request):
            raise TicketError(_("Only the community's leaders and executors record attendance."))
        if not event_started(draw, now):
            raise TicketError(_("Attendance can be recorded once the event has started."))
        rows = draw.entries.filter(status=E.CONFIRMED, pk__in=list(attended))
        changed = []
        for entry in rows:
            mark = bool(attended[entry.pk])
            if entry.attended != mark:
                entry.attended = mark
                changed.append(entry)
        TicketEntry.objects.bulk_update(changed, ["attended"])
        counts = draw.entries.filter(status=E.CONFIRMED).aggregate(
            came=Count("pk", filter=Q(attended=True)), absent=Count("pk", filter=Q(attended=False))
        )
        audit.log(
            actor=by,
            verb=Verb.TICKET_ATTENDANCE,
            subject=draw,
            parent=draw.request.community,
            after={**counts, "changed": len(changed)},
        )
    return len(changed)


def no_shows(user_ids) -> dict:
    """{user id: how many sponsored tickets they confirmed and did not use}: for executors,
    and for a future priority rule."""
    rows = (
        TicketEntry.objects.filter(user_id__in=list(user_ids), status=E.CONFIRMED, attended=False)
        .values("user_id")
        .annotate(count=Count("pk"))
    )
    return {row["user_id"]: row["count"] for row in rows}


# --- What the pages show ------------------------------------------------------------------


def open_draws(now=None):
    """Draws taking applications now, soonest closing first."""
    now = now or timezone.now()
    return (
        published_draws()
        .filter(drawn_at__isnull=True, opens_at__lte=now, closes_at__gt=now)
        .select_related("request__community", "request__city")
        .order_by("closes_at", "pk")
    )


def open_for(user, now=None) -> list:
    """The open draws `user` may enter (two queries whatever the number of draws)."""
    now = now or timezone.now()
    draws = list(open_draws(now))
    if not draws:
        return []
    held = set(
        TicketEntry.objects.filter(
            user=user, status__in=HELD, draw__in=[draw.pk for draw in draws]
        ).values_list("draw_id", flat=True)
    )
    return [draw for draw in draws if ineligible_reason(draw, user, now=now, held=held) is None]


# The colour of each entry status's tag (`{% tag %}`'s codes).
TONES = {
    E.ENTERED: "submitted",
    E.WAITING: "waitlist",
    E.OFFERED: "offered",
    E.CONFIRMED: "accepted",
    E.DECLINED: "declined",
    E.LAPSED: "expired",
    E.WITHDRAWN: "withdrawn",
}


def with_place(entries):
    """`entries` annotated with `place`: 1 for the first entry waiting in its draw."""
    ahead = (
        TicketEntry.objects.filter(
            draw=OuterRef("draw"), status=E.WAITING, rank__lt=OuterRef("rank")
        )
        .order_by()
        .values("draw")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return entries.annotate(place=Coalesce(Subquery(ahead), 0) + 1)


def my_entries(user):
    """`user`'s entries, newest draw first, each with its draw, request, code (as the
    winner reads it: `shown_code`), place on the waiting list, tag colour (`tone`) and
    whether a confirmed ticket can be given back (`can_give_back`). One query."""
    now = timezone.now()
    rows = list(
        with_place(TicketEntry.objects.filter(user=user))
        .select_related("draw__request__community", "draw__request__city", "code")
        .order_by("-draw__closes_at", "-pk")
    )
    for entry in rows:
        entry.tone = TONES.get(entry.status, "")
        code = getattr(entry, "code", None) if _has_code(entry) else None
        entry.shown_code = shown_code(code) if code else ""
        entry.can_give_back = may_give_back(entry, now)
    return rows


def _has_code(entry):
    try:
        return entry.code is not None
    except ObjectDoesNotExist:
        return False


def draw_counts() -> dict:
    """Annotations for a list of draws: entries (not withdrawn), offered, confirmed,
    confirmed without a code, attendance not recorded, no-shows."""
    live = ~Q(entries__status=E.WITHDRAWN)
    confirmed = Q(entries__status=E.CONFIRMED)
    return {
        "entry_count": Count("entries", filter=live, distinct=True),
        "offered_count": Count("entries", filter=Q(entries__status=E.OFFERED), distinct=True),
        "confirmed_count": Count("entries", filter=confirmed, distinct=True),
        "without_code": Count(
            "entries", filter=confirmed & Q(entries__code__isnull=True), distinct=True
        ),
        "unrecorded": Count(
            "entries", filter=confirmed & Q(entries__attended__isnull=True), distinct=True
        ),
        "no_show_count": Count(
            "entries", filter=confirmed & Q(entries__attended=False), distinct=True
        ),
    }


def code_counts() -> dict:
    return {"total": Count("pk"), "given": Count("pk", filter=Q(entry__isnull=False))}


def stage(draw, now=None) -> str:
    """Where a draw is: "upcoming", "open", "to_run" (closed, not drawn), "drawn", or
    "over" (the event has started)."""
    now = now or timezone.now()
    if draw.drawn_at is None:
        if now < draw.opens_at:
            return "upcoming"
        return "open" if now < draw.closes_at else "to_run"
    return "over" if event_started(draw, now) else "drawn"


STAGE_LABELS = {
    "upcoming": gettext_lazy("Opens soon"),
    "open": gettext_lazy("Taking applications"),
    "to_run": gettext_lazy("Closed: to draw"),
    "drawn": gettext_lazy("Drawn"),
    "over": gettext_lazy("Event started"),
}


def tier_table(draw) -> list:
    """Each tier of `draw` and the rules an entrant in it meets: [(tier, [(label, met)])]."""
    labels = dict(Tier.choices)
    rules = [labels.get(rule, rule) for rule in draw.priorities]
    return [
        (tier, list(zip(rules, met, strict=True)))
        for tier, met in lottery.tiers_explained(len(rules))
    ]


def draw_json(draw) -> dict:
    """What the public page publishes for verification (draw.json): numbers and tiers,
    never a name."""
    drawn = draw.drawn_at is not None
    entries = draw.entries.exclude(status=E.WITHDRAWN)
    if drawn:
        entries = entries.filter(rank__isnull=False).order_by("rank")
    else:
        entries = entries.order_by("number")
    rows = list(entries.values_list("number", "tier", "key"))
    data = {
        "format": "bpd-draw/1",
        "draw": draw.pk,
        "event": draw.request.title,
        "algorithm": draw.algorithm,
        "tickets": draw.tickets,
        "priorities": list(draw.priorities),
        "tiers": "tier = sum of 2**(k-1-i) for each priority rule i (of k, in order) not met",
        "commitment": draw.commitment,
        "randomness_source": draw.randomness_source,
        "opens_at": draw.opens_at.isoformat(),
        "closes_at": draw.closes_at.isoformat(),
        "published_at": draw.published_at.isoformat() if draw.published_at else None,
    }
    if not drawn:
        data["entries"] = [{"number": n, "tier": t} for n, t, _k in rows]
        return data
    return data | {
        "secret": draw.secret,
        "randomness_value": draw.randomness_value,
        "seed": draw.seed,
        "drawn_at": draw.drawn_at.isoformat(),
        "entries": sorted(
            ({"number": n, "tier": t, "key": k} for n, t, k in rows), key=lambda e: e["number"]
        ),
        "ordering": [n for n, _t, _k in rows],
    }


# --- Email --------------------------------------------------------------------------------


def _member_zone(user, draw):
    profile = _profile(user)
    for name in (getattr(profile, "time_zone", ""), getattr(draw.request.city, "timezone", "")):
        if not name:
            continue
        try:
            zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            continue
        return name
    return "UTC"


# Emails about a draw go out from the task worker, this many entries per task: a draw with
# thousands of entries never holds the request that ran it.
EMAIL_BATCH = 200


def _email_entries(draw, entry_pks, name, **extra):
    """Email each entry's member `communities/email/<name>` once the transaction commits
    (queued as tasks of EMAIL_BATCH entries)."""
    pks = list(entry_pks)
    if not pks:
        return

    def queue():
        for start in range(0, len(pks), EMAIL_BATCH):
            email_entries(draw.pk, pks[start : start + EMAIL_BATCH], name, extra)

    transaction.on_commit(queue)


@db_task()
def email_entries(draw_pk, pks, name, extra):
    draw = Draw.objects.select_related("request__community", "request__city").get(pk=draw_pk)
    entries = (
        TicketEntry.objects.filter(pk__in=pks, user__isnull=False, user__is_active=True)
        .select_related("user__profile", "code")
        .order_by("rank", "number")
    )
    for entry in entries:
        context = {
            "entry": entry,
            "draw": draw,
            "sponsorship": draw.request,
            "place": (entry.rank - draw.tickets) if entry.rank else None,
            "code": shown_code(entry.code) if _has_code(entry) else "",
            **extra,
        }
        mail.send(
            entry.user,
            f"communities/email/{name}",
            context,
            time_zone=_member_zone(entry.user, draw),
        )
