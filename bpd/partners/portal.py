"""The partner portal: what a partner sees of its offers' use, the seats it provisions,
the redemptions it reports back, and the job that reminds about and reclaims unused seats.

Who sees what: a partner person sees the partners they act for (`Partner.objects.of`),
executors see every partner (to report impact to partners). A partner never sees a
member's name: only counts, and for its own seats the email each member agreed to share
(ACTIVE seat claims only). Every count a partner reads goes through `suppress`: below
SMALL it reads "fewer than 10", and a table never lets a hidden count be worked out from
the totals (see `suppress`)."""

import csv
import dataclasses
import datetime as dt
import io
import zoneinfo
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bpd.audit import services as audit
from bpd.audit.verbs import Verb
from bpd.members import mail, regions
from bpd.members.roles import is_executor
from bpd.partners import claims as claiming
from bpd.partners.models import Claim, Code, Offer, Partner, PartnerPerson, Redemption
from bpd.website.registry import HubCard, Task

K, C = Offer.Kind, Claim.Status
SMALL = 10
# A seat's reference as the partner sees it (never the member's name or id elsewhere).
SEAT_PREFIX = "S-"
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 100_000
CHUNK = 2000
REMIND_BEFORE = dt.timedelta(days=7)
# A reminder is always sent a run (about a day) before a seat is reclaimed, even when the
# job was down on the day it was due: never reminded and reclaimed in one go.
NOTICE = dt.timedelta(hours=12)
REPORTABLE = {K.UNIQUE_CODES, K.SEATS}


class PortalError(Exception):
    """A partner's request refused; the message is for them, in their language."""


# --- Who sees what ---------------------------------------------------------------------


def may_use(user) -> bool:
    """Partner people and executors open the portal; everyone else gets 403."""
    if not user.is_authenticated:
        return False
    return is_executor(user) or PartnerPerson.objects.filter(user=user).exists()


def partners_for(user):
    """The partners whose portal `user` may read: their own, or every one for executors."""
    return Partner.objects.all() if is_executor(user) else Partner.objects.of(user)


def offers_for(user):
    """The offers whose use `user` may read (an offer outside it is a 404)."""
    return Offer.objects.filter(partner__in=partners_for(user))


def seat_reference(claim_or_pk) -> str:
    pk = getattr(claim_or_pk, "pk", claim_or_pk)
    return f"{SEAT_PREFIX}{pk}"


# --- The small-count rule ---------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Cell:
    """A count as a partner may read it: `shown` is the number or None. `small`: it was
    below SMALL ("fewer than 10"); otherwise a hidden cell is withheld so that a small one
    beside it cannot be worked out from the total."""

    count: int | None
    small: bool = False

    @property
    def hidden(self):
        return self.count is None

    def __str__(self):
        if self.small:
            return str(_("fewer than %(n)d") % {"n": SMALL})
        if self.count is None:
            return str(_("withheld"))
        return str(self.count)


def suppress(rows, *, row_totals=True, column_totals=True):
    """The table `rows` (lists of counts, all of one length) as a partner may read it:
    (cells, row totals, column totals, grand total), each a Cell; a total not asked for
    is None.

    Every count below SMALL, zero included, is hidden as "fewer than 10" (primary). Each
    row and each column, with its total, is a sum; if exactly one of its terms were hidden,
    it would be the total minus the rest. So while some line has exactly one hidden term,
    another is hidden there too (secondary, "withheld"): its smallest shown cell, or its
    total when it has no other cell. Repeated until no line has exactly one hidden term;
    each pass hides one more, so it ends. The row totals and column totals are lines too
    (their sum is the grand total)."""
    rows = [list(row) for row in rows]
    n_rows, n_cols = len(rows), len(rows[0]) if rows else 0
    # The full table: data, then the totals column (index n_cols) and totals row (n_rows).
    value = {(r, c): rows[r][c] for r in range(n_rows) for c in range(n_cols)}
    for r in range(n_rows):
        value[r, n_cols] = sum(rows[r])
    for c in range(n_cols + 1):
        value[n_rows, c] = sum(value[r, c] for r in range(n_rows))
    shown = {key for key in value if _wanted(key, n_rows, n_cols, row_totals, column_totals)}
    small = {key for key in shown if value[key] < SMALL}
    hidden = set(small)

    # Each line: (its terms, its total). A total not shown is unknown, so its line
    # reveals nothing (but it still hides nothing: it is simply not a constraint).
    lines = []
    for r in range(n_rows + 1):
        lines.append(([(r, c) for c in range(n_cols)], (r, n_cols)))
    for c in range(n_cols + 1):
        lines.append(([(r, c) for r in range(n_rows)], (n_rows, c)))
    changed = True
    while changed:
        changed = False
        for terms, total in lines:
            terms = [key for key in terms if key in shown]
            if total not in shown or total in hidden or not terms:
                continue
            if sum(key in hidden for key in terms) != 1:
                continue
            candidates = [key for key in terms if key not in hidden]
            if candidates:
                hidden.add(min(candidates, key=lambda key: (value[key], key)))
            else:
                hidden.add(total)
            changed = True
            break

    def cell(key):
        if key not in shown:
            return None
        if key in hidden:
            return Cell(None, small=key in small)
        return Cell(value[key])

    cells = [[cell((r, c)) for c in range(n_cols)] for r in range(n_rows)]
    return (
        cells,
        [cell((r, n_cols)) for r in range(n_rows)],
        [cell((n_rows, c)) for c in range(n_cols)],
        cell((n_rows, n_cols)),
    )


def _wanted(key, n_rows, n_cols, row_totals, column_totals):
    r, c = key
    if r == n_rows and c == n_cols:
        return row_totals and column_totals and n_rows > 0
    if c == n_cols:
        return row_totals and r < n_rows
    if r == n_rows:
        return column_totals
    return True


def count_cell(count) -> Cell:
    """One count on its own (a total with nothing beside it)."""
    return Cell(None, small=True) if count < SMALL else Cell(count)


# --- Figures ----------------------------------------------------------------------------


@dataclasses.dataclass
class OfferFigures:
    """One offer's use for its partner: `remaining` (None: no limit), and counts as Cells."""

    offer: Offer
    remaining: int | None
    claims: Cell
    redemptions: Cell
    to_provision: int = 0


def portal_partners(user):
    """The partners `user` reads in the portal, each with `.figures`: an OfferFigures per
    offer. Five queries whatever the number of partners, offers and claims."""
    partners = list(partners_for(user).order_by("name", "pk"))
    by_partner = defaultdict(list)
    offers = list(
        Offer.objects.filter(partner__in=[p.pk for p in partners]).order_by("-created_at", "-pk")
    )
    ids = [offer.pk for offer in offers]
    claimed = defaultdict(int)
    active = defaultdict(int)
    unprovisioned = defaultdict(int)
    rows = (
        Claim.objects.filter(offer__in=ids)
        .values("offer_id")
        .annotate(
            every=Count("pk"),
            active=Count("pk", filter=Q(status=C.ACTIVE)),
            unprovisioned=Count("pk", filter=Q(status=C.ACTIVE, provisioned_at__isnull=True)),
        )
    )
    for row in rows:
        claimed[row["offer_id"]] = row["every"]
        active[row["offer_id"]] = row["active"]
        unprovisioned[row["offer_id"]] = row["unprovisioned"]
    free = dict(
        Code.objects.filter(offer__in=ids, given_at__isnull=True, revoked=False)
        .values("offer_id")
        .annotate(n=Count("pk"))
        .values_list("offer_id", "n")
    )
    redeemed = dict(
        Redemption.objects.filter(offer__in=ids)
        .values("offer_id")
        .annotate(n=Count("pk"))
        .values_list("offer_id", "n")
    )
    for offer in offers:
        left = None
        if offer.quantity is not None:
            left = max(0, offer.quantity - active[offer.pk])
        if offer.kind == K.UNIQUE_CODES:
            pool = free.get(offer.pk, 0)
            left = pool if left is None else min(left, pool)
        by_partner[offer.partner_id].append(
            OfferFigures(
                offer=offer,
                remaining=left,
                claims=count_cell(claimed[offer.pk]),
                redemptions=count_cell(redeemed.get(offer.pk, 0)),
                to_provision=unprovisioned[offer.pk] if offer.kind == K.SEATS else 0,
            )
        )
    for partner in partners:
        partner.figures = by_partner[partner.pk]
    return partners


@dataclasses.dataclass
class Table:
    """A breakdown as a partner reads it: rows of (label, [Cell, Cell]) and the totals."""

    caption: str
    heading: str
    rows: list
    totals: list


def use_tables(offer) -> list[Table]:
    """Claims and redemptions of `offer` per month (UTC) and per UN M49 region, through
    `suppress`. Four queries."""
    utc = dt.UTC
    claims_by_month = dict(
        Claim.objects.filter(offer=offer)
        .annotate(month=TruncMonth("claimed_at", tzinfo=utc))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    redemptions_by_month = defaultdict(int)
    for day, n in (
        Redemption.objects.filter(offer=offer)
        .values("redeemed_on")
        .annotate(n=Count("pk"))
        .values_list("redeemed_on", "n")
    ):
        redemptions_by_month[day.replace(day=1)] += n
    months = {_month(key) for key in claims_by_month} | set(redemptions_by_month)
    claims_month = defaultdict(int)
    for key, n in claims_by_month.items():
        claims_month[_month(key)] += n
    month_rows = [
        (_month_label(month), [claims_month[month], redemptions_by_month[month]])
        for month in sorted(months)
    ]
    claims_by_region = dict(
        Claim.objects.filter(offer=offer)
        .values("region")
        .annotate(n=Count("pk"))
        .values_list("region", "n")
    )
    redemptions_by_region = dict(
        Redemption.objects.filter(offer=offer)
        .values("claim__region")
        .annotate(n=Count("pk"))
        .values_list("claim__region", "n")
    )
    codes = set(claims_by_region) | set(redemptions_by_region)
    region_rows = sorted(
        (
            (
                regions.area_name(code) if code else _("Not known"),
                [claims_by_region.get(code, 0), redemptions_by_region.get(code, 0)],
            )
            for code in codes
        ),
        key=lambda row: str(row[0]),
    )
    return [
        _table(_("Claims and redemptions per month (UTC)"), _("Month"), month_rows),
        _table(_("Claims and redemptions per region"), _("Region"), region_rows),
    ]


def _month(value):
    if isinstance(value, dt.datetime):
        value = value.astimezone(dt.UTC).date()
    return value.replace(day=1)


def _month_label(month):
    return month.strftime("%Y-%m")


def _table(caption, heading, labelled):
    """Claims and redemptions are two measures, not parts of one sum: no row totals."""
    cells, _rows, totals, _grand = suppress(
        [counts for _label, counts in labelled], row_totals=False
    )
    rows = [(label, row) for (label, _counts), row in zip(labelled, cells, strict=True)]
    if not labelled:
        totals = [count_cell(0), count_cell(0)]
    return Table(caption=caption, heading=heading, rows=rows, totals=totals)


def use_rows(tables):
    """The tables as CSV rows: the same cells as the page, in the same order."""
    yield [_("Table"), _("Row"), _("Claims"), _("Redemptions")]
    for table in tables:
        for label, cells in table.rows:
            yield [table.caption, label, *(str(cell) for cell in cells)]
        yield [table.caption, _("Total"), *(str(cell) for cell in table.totals)]


def seat_claims(offer):
    """The seats of `offer` a partner provisions: its ACTIVE claims, not yet provisioned
    first. Only the reference, the shared email and dates are read."""
    return (
        Claim.objects.filter(offer=offer, status=C.ACTIVE)
        .only("pk", "shared_email", "claimed_at", "provisioned_at", "used_at", "offer_id")
        .order_by(
            F("provisioned_at").asc(nulls_first=True),
            F("used_at").asc(nulls_first=True),
            "claimed_at",
            "pk",
        )
    )


def seat_rows(offer):
    yield [_("Seat"), _("Email shared"), _("Claimed on"), _("Provisioned on"), _("Used on")]
    for claim in seat_claims(offer).iterator(chunk_size=CHUNK):
        yield [
            seat_reference(claim),
            claim.shared_email,
            _date(claim.claimed_at),
            _date(claim.provisioned_at),
            _date(claim.used_at),
        ]


def _date(value):
    return value.astimezone(dt.UTC).date().isoformat() if value else ""


def claims_this_month(partners, now=None) -> int:
    now = now or timezone.now()
    start = now.astimezone(dt.UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return Claim.objects.filter(offer__partner__in=partners, claimed_at__gte=start).count()


# --- Seats ------------------------------------------------------------------------------


def mark_seats(*, offer, claim_pks, by, used=False, now=None) -> int:
    """The partner marks seats of `offer` provisioned (or used: a used seat is provisioned
    too, and its use is recorded as a redemption of today). Only ACTIVE seat claims of
    this offer change, each once; returns how many changed."""
    now = now or timezone.now()
    pks = {int(pk) for pk in claim_pks}
    if not pks:
        raise PortalError(_("Choose at least one seat."))
    with transaction.atomic():
        offer = Offer.objects.select_for_update().get(pk=offer.pk)
        if offer.kind != K.SEATS:
            raise PortalError(_("This offer has no seats."))
        seats = Claim.objects.filter(offer=offer, status=C.ACTIVE, pk__in=pks)
        if used:
            fresh = list(seats.filter(used_at__isnull=True).values_list("pk", flat=True))
            seats.filter(provisioned_at__isnull=True, pk__in=fresh).update(provisioned_at=now)
            changed = seats.filter(pk__in=fresh).update(used_at=now)
            today = now.astimezone(dt.UTC).date()
            known = set(
                Redemption.objects.filter(
                    offer=offer, reference__in=[seat_reference(pk) for pk in fresh]
                ).values_list("reference", flat=True)
            )
            Redemption.objects.bulk_create(
                Redemption(
                    offer=offer, claim_id=pk, reference=seat_reference(pk), redeemed_on=today,
                    reported_by=by, reported_at=now,
                )
                for pk in fresh
                if seat_reference(pk) not in known
            )  # fmt: skip
            if changed:
                audit.log(
                    actor=by, verb=Verb.REDEMPTIONS_REPORTED, subject=offer,
                    parent=offer.partner, recorded=changed, known=0, how="seats page",
                )  # fmt: skip
        else:
            changed = seats.filter(provisioned_at__isnull=True).update(provisioned_at=now)
            if changed:
                audit.log(
                    actor=by, verb=Verb.SEATS_PROVISIONED, subject=offer,
                    parent=offer.partner, seats=changed,
                )  # fmt: skip
    return changed


# --- Redemptions reported back ---------------------------------------------------------


@dataclasses.dataclass
class RedemptionReport:
    """What an upload did: how many were recorded and already known, or the errors as
    (line, field, message); nothing is written when there is an error."""

    recorded: int = 0
    known: int = 0
    errors: list = dataclasses.field(default_factory=list)

    @property
    def ok(self):
        return not self.errors

    def error_lines(self):
        for line, field, message in self.errors:
            where = _("line %(n)s") % {"n": line}
            yield f"{where}, {field}: {message}" if field else f"{where}: {message}"


class _Refused(Exception):
    pass


@dataclasses.dataclass
class _Row:
    line: int
    reference: str
    day: dt.date
    code_pk: int | None = None
    claim_pk: int | None = None


def report_redemptions(*, offer, by, file, now=None) -> RedemptionReport:
    """Record the redemptions a partner reports in a CSV (columns `code` or `reference`,
    and `date` as YYYY-MM-DD): every line is checked before anything is written, and one
    error refuses the file. A reference already reported is skipped and counted as known.
    Codes get `redeemed_at`, their claims (and seats) `used_at`, once."""
    now = now or timezone.now()
    report = RedemptionReport()
    if offer.kind not in REPORTABLE:
        report.errors = [(0, "", _("Only unique codes and seats are reported one by one."))]
        return report
    try:
        rows = _read_redemptions(file, offer, now)
        _resolve(rows, offer)
    except _Refused as refused:
        report.errors = refused.args[0]
        return report
    try:
        with transaction.atomic():
            offer = Offer.objects.select_for_update().select_related("partner").get(pk=offer.pk)
            _write(rows, offer, by, now, report)
    except IntegrityError:
        report.errors = [
            (0, "", _("Another upload ran at the same time. Nothing was written: try again."))
        ]
    return report


def _read_redemptions(file, offer, now):
    data = file.read(MAX_BYTES + 1) if hasattr(file, "read") else file
    if len(data) > MAX_BYTES:
        raise _Refused([(0, "", _("The file is larger than 2 MB."))])
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise _Refused([(0, "", _("The file is not UTF-8 text."))]) from None
    if "\x00" in data:
        raise _Refused([(0, "", _("The file is not a CSV file."))])
    reader = csv.reader(io.StringIO(data, newline=""))
    try:
        header = [name.strip().lower() for name in next(reader, [])]
    except csv.Error:
        raise _Refused([(1, "", _("The file is not a CSV file."))]) from None
    ref_column = next((header.index(n) for n in ("code", "reference") if n in header), None)
    errors = []
    if ref_column is None:
        errors.append((1, "code", _("This column is missing (code, or reference for a seat).")))
    if "date" not in header:
        errors.append((1, "date", _("This column is missing.")))
    if errors:
        raise _Refused(errors)
    date_column = header.index("date")
    today = now.astimezone(dt.UTC).date()
    # A day's leeway either way: the partner writes dates on its own clock.
    latest = today + dt.timedelta(days=1)
    start = (offer.starts_at or offer.created_at).astimezone(dt.UTC).date() - dt.timedelta(days=1)
    rows, seen = [], {}
    try:
        for line, record in enumerate(reader, start=2):
            if line - 1 > MAX_ROWS:
                raise _Refused([(line, "", _("More than %(n)s rows.") % {"n": f"{MAX_ROWS:,}"})])
            if not any(value.strip() for value in record):
                continue
            if len(record) != len(header):
                errors.append(
                    (line, "", _("This line has a different number of fields than the header."))
                )
                continue
            reference = record[ref_column].strip()
            day = _parse_day(record[date_column].strip())
            if not reference:
                errors.append((line, header[ref_column], _("This field is empty.")))
            elif reference in seen:
                errors.append(
                    (
                        line,
                        header[ref_column],
                        _("Already on line %(line)d.") % {"line": seen[reference]},
                    )
                )
            else:
                seen[reference] = line
            if day is None:
                errors.append((line, "date", _("Write the date as YYYY-MM-DD.")))
            elif day > latest:
                errors.append((line, "date", _("This date is in the future.")))
            elif day < start:
                errors.append((line, "date", _("This date is before the offer started.")))
            if len(errors) >= 100:
                break
            if reference and day:
                rows.append(_Row(line, reference, day))
    except csv.Error:
        errors.append((0, "", _("The file is not a CSV file.")))
    if errors:
        raise _Refused(errors)
    if not rows:
        raise _Refused([(0, "", _("The file has no redemptions."))])
    return rows


def _parse_day(text):
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None
    return day if len(text) == 10 else None


def _resolve(rows, offer):
    """Each row's code or seat in this offer, read in chunks; unknown ones refuse the file."""
    errors = []
    if offer.kind == K.UNIQUE_CODES:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            found = {
                code: (pk, claim_pk, claimed_at)
                for code, pk, claim_pk, claimed_at in Code.objects.filter(
                    offer=offer, code__in=[row.reference for row in chunk]
                ).values_list("code", "pk", "claim_id", "claim__claimed_at")
            }
            for row in chunk:
                if row.reference not in found:
                    errors.append((row.line, "code", _("This offer has no such code.")))
                    continue
                row.code_pk, row.claim_pk, claimed_at = found[row.reference]
                if row.claim_pk is None:
                    errors.append((row.line, "code", _("This code was never given to a member.")))
                elif row.day < claimed_at.astimezone(dt.UTC).date() - dt.timedelta(days=1):
                    errors.append(
                        (row.line, "date", _("This date is before the code was claimed."))
                    )
    else:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            wanted = {row.line: _seat_pk(row.reference) for row in chunk}
            found = dict(
                Claim.objects.filter(
                    offer=offer, status=C.ACTIVE, pk__in=[pk for pk in wanted.values() if pk]
                ).values_list("pk", "claimed_at")
            )
            for row in chunk:
                pk = wanted[row.line]
                if pk not in found:
                    errors.append(
                        (
                            row.line,
                            "reference",
                            _("This offer has no active seat with this reference."),
                        )
                    )
                    continue
                row.claim_pk = pk
                if row.day < found[pk].astimezone(dt.UTC).date() - dt.timedelta(days=1):
                    errors.append(
                        (row.line, "date", _("This date is before the seat was claimed."))
                    )
    if errors:
        raise _Refused(errors[:100])


def _seat_pk(reference):
    text = reference.upper()
    if not text.startswith(SEAT_PREFIX) or not text[len(SEAT_PREFIX) :].isdigit():
        return None
    digits = text[len(SEAT_PREFIX) :]
    return int(digits) if len(digits) < 12 else None


def _write(rows, offer, by, now, report):
    known = set()
    for start in range(0, len(rows), CHUNK):
        chunk = [row.reference for row in rows[start : start + CHUNK]]
        known |= set(
            Redemption.objects.filter(offer=offer, reference__in=chunk).values_list(
                "reference", flat=True
            )
        )
    fresh = [row for row in rows if row.reference not in known]
    Redemption.objects.bulk_create(
        (
            Redemption(
                offer=offer, claim_id=row.claim_pk, reference=row.reference,
                redeemed_on=row.day, reported_by=by, reported_at=now,
            )
            for row in fresh
        ),
        batch_size=CHUNK,
    )  # fmt: skip
    by_day = defaultdict(list)
    for row in fresh:
        by_day[row.day].append(row)
    for day, day_rows in by_day.items():
        at = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
        for start in range(0, len(day_rows), CHUNK):
            chunk = day_rows[start : start + CHUNK]
            code_pks = [row.code_pk for row in chunk if row.code_pk]
            if code_pks:
                Code.objects.filter(pk__in=code_pks, redeemed_at__isnull=True).update(
                    redeemed_at=at
                )
            Claim.objects.filter(
                pk__in=[row.claim_pk for row in chunk], used_at__isnull=True
            ).update(used_at=at)
    report.recorded, report.known = len(fresh), len(rows) - len(fresh)
    if fresh:
        audit.log(
            actor=by, verb=Verb.REDEMPTIONS_REPORTED, subject=offer, parent=offer.partner,
            recorded=report.recorded, known=report.known, how="upload",
        )  # fmt: skip


# --- Reminding about and reclaiming unused seats ----------------------------------------


def reclaim_unused_seats(*, now=None) -> tuple[int, int]:
    """Seats provisioned and not used: the member is reminded (once) REMIND_BEFORE the
    offer's reclaim period ends, and when it has ended (and the reminder went out at least
    NOTICE before) the claim is RECLAIMED and the seat goes back to the pool. Each claim
    is taken with a conditional update, so two runs at once never remind or reclaim one
    twice. Returns (reminded, reclaimed)."""
    now = now or timezone.now()
    candidates = Claim.objects.filter(
        status=C.ACTIVE,
        offer__kind=K.SEATS,
        offer__reclaim_days__isnull=False,
        provisioned_at__isnull=False,
        provisioned_at__lte=now,
        used_at__isnull=True,
    ).values_list("pk", "provisioned_at", "reminded_at", "offer__reclaim_days")
    reminded = reclaimed = 0
    for pk, provisioned_at, reminded_at, days in candidates.iterator(chunk_size=CHUNK):
        deadline = provisioned_at + dt.timedelta(days=days)
        if reminded_at is None:
            if now >= max(provisioned_at, deadline - REMIND_BEFORE):
                reminded += _remind(pk, now, deadline)
        elif now >= deadline and reminded_at <= now - NOTICE:
            reclaimed += _reclaim(pk, now, days)
    return reminded, reclaimed


def _unused(pk):
    return Claim.objects.filter(pk=pk, status=C.ACTIVE, used_at__isnull=True)


def _remind(pk, now, deadline):
    with transaction.atomic():
        if not _unused(pk).filter(reminded_at__isnull=True).update(reminded_at=now):
            return 0  # reminded, used or ended meanwhile (another run)
        claim = Claim.objects.select_related("offer__partner", "user").get(pk=pk)
        _email(claim, "partners/email/seat_reminder", {"until": max(deadline, now + NOTICE * 2)})
    return 1


def _reclaim(pk, now, days):
    with transaction.atomic():
        claim = Claim.objects.select_related("offer__partner", "user").get(pk=pk)
        with translation.override(getattr(claim.user, "language", "") or "en"):
            reason = ngettext(
                "Not used within %(days)d day of being provisioned.",
                "Not used within %(days)d days of being provisioned.",
                days,
            ) % {"days": days}
        taken = (
            _unused(pk)
            .filter(reminded_at__isnull=False)
            .update(status=C.RECLAIMED, ended_at=now, end_reason=reason)
        )
        if not taken:
            return 0
        audit.log(
            actor=None, verb=Verb.SEAT_RECLAIMED, subject=claim, parent=claim.offer,
            person=claim.user, before={"status": C.ACTIVE}, after={"status": C.RECLAIMED},
            reason=f"not used within {days} days of being provisioned",
        )  # fmt: skip
        _email(claim, "partners/email/seat_reclaimed", {"days": days})
    return 1


def _email(claim, name, extra):
    user = claim.user
    if user is None or not user.is_active:
        return
    context = {"claim": claim, "offer": claim.offer, "partner": claim.offer.partner, **extra}
    zone = _zone_of(user)
    transaction.on_commit(lambda: mail.send(user, name, context, time_zone=zone))


def _zone_of(user):
    profile = claiming.profile_of(user)
    name = getattr(profile, "time_zone", "") or ""
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return "UTC"
    return name


# --- The members' hub -------------------------------------------------------------------


def hub_card(user):
    """ "Your offers" for partner people (nobody else): the portal, and this month's
    claims under the small-count rule. Two queries."""
    partners = (
        list(Partner.objects.of(user).order_by("name", "pk")) if user.is_authenticated else []
    )
    if not partners:
        return None
    month = count_cell(claims_this_month(partners))
    names = ", ".join(partner.name for partner in partners)
    return HubCard(
        title=_("Your offers"),
        summary=_("How members use the offers of %(partners)s. Claims this month: %(count)s.")
        % {"partners": names, "count": month},
        links=[(_("Your offers and their use"), reverse("partners:portal"))],
    )


def hub_tasks(user):
    """ "N seats to provision" per seats offer of the person's partners. One query."""
    if not user.is_authenticated:
        return
    waiting = (
        Offer.objects.filter(partner__in=Partner.objects.of(user), kind=K.SEATS)
        .annotate(
            waiting=Count(
                "claims",
                filter=Q(claims__status=C.ACTIVE, claims__provisioned_at__isnull=True),
            )
        )
        .filter(waiting__gt=0)
        .order_by("title", "pk")
    )
    for offer in waiting:
        yield Task(
            text=ngettext(
                "%(count)d seat to provision: %(offer)s",
                "%(count)d seats to provision: %(offer)s",
                offer.waiting,
            )
            % {"count": offer.waiting, "offer": offer.title},
            url=reverse("partners:portal_seats", args=[offer.pk]),
            urgent=True,
        )
