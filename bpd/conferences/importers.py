"""Importing conference lists: the CSV of the community-maintained python-organizers/conferences
list and the JSON of BPD's former site (`_data/conferences.json`).

All or nothing: every row is read and checked first; one error and nothing is written, and the
report names each line (CSV, the header being line 1) or item (JSON, counting from 1) and field.
A re-run updates the rows it made before rather than adding them again: each imported
conference remembers its source and a stable key (see `source_key`)."""

import csv
import dataclasses
import datetime as dt
import functools
import io
import json
import re

from babel import Locale
from babel.core import get_global
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from bpd.audit import services as audit
from bpd.audit.verbs import Verb
from bpd.conferences.models import AOE, TEXT_LIMIT, Conference, Deadline, zone_info
from bpd.members import choices
from bpd.members.gazetteer import fold
from bpd.members.models import City

PYTHON_ORGANIZERS = "python-organizers"
BPD_JSON = "bpd-json"
FORMATS = (PYTHON_ORGANIZERS, BPD_JSON)
# Conference.source for each format.
SOURCES = {PYTHON_ORGANIZERS: "python-organizers", BPD_JSON: "bpd-site"}
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
# python-organizers gives a deadline as a date: it closes at the end of that day, Anywhere on Earth.
DEADLINE_TIME = dt.time(23, 59)
CSV_COLUMNS = (
    "Subject", "Start Date", "End Date", "Location", "Country",
    "Talk Deadline", "Website URL", "Proposal URL",
)  # fmt: skip
ONLINE_WORDS = re.compile(r"\b(online|virtual)\b", re.IGNORECASE)
# Names people write that CLDR spells otherwise.
COUNTRY_ALIASES = {
    "usa": "US", "united states of america": "US", "america": "US", "uk": "GB",
    "england": "GB", "scotland": "GB", "wales": "GB", "great britain": "GB",
    "czech republic": "CZ", "ivory coast": "CI", "cote d'ivoire": "CI", "turkey": "TR",
    "south korea": "KR", "korea": "KR", "russia": "RU", "drc": "CD",
    "democratic republic of the congo": "CD", "republic of the congo": "CG",
    "the netherlands": "NL", "holland": "NL", "uae": "AE", "hong kong": "HK",
    "eswatini": "SZ", "swaziland": "SZ", "cape verde": "CV", "macedonia": "MK",
}  # fmt: skip


@dataclasses.dataclass
class Report:
    """What an import did (or, in a dry run, would do): conference names per outcome, and the
    errors as (line or item number, field, message). `unit` says whether numbers are CSV lines
    or JSON items."""

    format: str
    dry_run: bool = False
    created: list = dataclasses.field(default_factory=list)
    updated: list = dataclasses.field(default_factory=list)
    unchanged: list = dataclasses.field(default_factory=list)
    errors: list = dataclasses.field(default_factory=list)

    @property
    def unit(self):
        return "item" if self.format == BPD_JSON else "line"

    @property
    def ok(self):
        return not self.errors

    def error_lines(self):
        """Each error as one sentence in the active language."""
        for number, field, message in self.errors:
            where = (_("item %(n)s") if self.unit == "item" else _("line %(n)s")) % {"n": number}
            yield f"{where}, {field}: {message}" if field else f"{where}: {message}"

    def summary(self):
        return _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged") % {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
        }


@dataclasses.dataclass
class Row:
    """One conference as read from a file, checked, ready to compare with the database."""

    number: int
    key: str
    fields: dict
    # Deadline kind -> (due_at in UTC, zone, url)
    deadlines: dict


class Problems(Exception):
    """The file is refused: carries the list of (line, field, message) to report."""


def source_key(name: str, starts_on: dt.date) -> str:
    """The stable key of an imported conference: its name folded to a slug (accents, case and
    punctuation dropped), without a trailing year, then the year it starts in.
    "PyCon Africa 2027" starting 2027-08-12 -> "pycon-africa-2027"; so does "PyCon  Africa"."""
    slug = slugify(fold(name))
    slug = re.sub(rf"-?{starts_on.year}$", "", slug)
    return f"{slug}-{starts_on.year}" if slug else str(starts_on.year)


def import_file(*, path_or_file, format: str, by=None, dry_run: bool = False) -> Report:
    """Read a conference list in `format` ("python-organizers" or "bpd-json") and bring the
    conference list in line with it: new conferences are created (published: these are staff
    curated lists), ones imported before are updated. Nothing is written if any row has an
    error, or when `dry_run`; the report says what was (or would be) done."""
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}")
    report = Report(format=format, dry_run=dry_run)
    try:
        rows = read_rows(path_or_file, format)
    except Problems as problems:
        report.errors = problems.args[0]
        return report
    try:
        with transaction.atomic():
            _apply(rows, source=SOURCES[format], report=report, write=not dry_run)
            if not dry_run and (report.created or report.updated):
                audit.log(
                    actor=by,
                    verb=Verb.CONFERENCES_IMPORTED,
                    source=SOURCES[format],
                    created=len(report.created),
                    updated=len(report.updated),
                    unchanged=len(report.unchanged),
                    names=(report.created + report.updated)[:50],
                )
    except IntegrityError:
        # Another import created one of these conferences meanwhile: nothing was written.
        message = _("Another import ran at the same time. Nothing was written: try again.")
        return Report(format=format, dry_run=dry_run, errors=[(0, "", message)])
    return report


# Reading -------------------------------------------------------------------------------


def read_rows(path_or_file, format: str) -> list[Row]:
    """The checked rows of a file, writing nothing (the demo data reads the samples so);
    raises Problems with the errors."""
    text = _read(path_or_file)
    return _parse_csv(text) if format == PYTHON_ORGANIZERS else _parse_json(text)


def _read(path_or_file) -> str:
    if hasattr(path_or_file, "read"):
        if getattr(path_or_file, "size", 0) and path_or_file.size > MAX_BYTES:
            raise Problems([(0, "", _("The file is larger than 2 MB."))])
        data = path_or_file.read(MAX_BYTES + 1)
    else:
        with open(path_or_file, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise Problems([(0, "", _("The file is larger than 2 MB."))])
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Problems([(0, "", _("The file is not UTF-8 text."))]) from None


def _parse_csv(text: str) -> list[Row]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [column for column in CSV_COLUMNS if column not in header]
    if missing:
        raise Problems([(1, column, _("This column is missing.")) for column in missing])
    rows, errors = [], []
    try:
        for number, record in enumerate(reader, start=2):
            if number - 1 > MAX_ROWS:
                raise Problems([(number, "", _("More than %(n)s rows.") % {"n": MAX_ROWS})])
            if None in record or None in record.values():
                errors.append(
                    (number, "", _("This line has a different number of fields than the header."))
                )
                continue
            if not any(value.strip() for value in record.values()):
                continue  # a blank line
            row = _csv_row(number, {k: v.strip() for k, v in record.items()}, errors)
            if row:
                rows.append(row)
    except csv.Error as error:
        errors.append(
            (reader.line_num, "", _("The file is not valid CSV (%(error)s).") % {"error": error})
        )
    _check_unique(rows, errors, "Subject")
    if errors:
        raise Problems(errors)
    return rows


def _csv_row(number, record, errors) -> Row | None:
    found = []
    field = functools.partial(_Field, number, found)
    name = field("Subject").text(record["Subject"], 200, required=True)
    starts_on = field("Start Date").date(record["Start Date"])
    ends_on = field("End Date").date(record["End Date"])
    url = field("Website URL").url(record["Website URL"], required=True)
    proposal_url = field("Proposal URL").url(record["Proposal URL"])
    location = field("Location").text(record["Location"], 500)
    online = bool(ONLINE_WORDS.search(location))
    country = ""
    if record["Country"]:
        country = country_code(record["Country"])
        if not country:
            found.append(
                (
                    number,
                    "Country",
                    _("“%(value)s” is not a country we know.") % {"value": record["Country"][:60]},
                )
            )
    elif not online:
        country = country_code(location.rsplit(",", 1)[-1]) if location else ""
        if not country:
            found.append((number, "Country", _("Give the country (a name or an ISO code).")))
    city = "" if online else location.split(",")[0].strip()
    if len(city) > 120:
        found.append((number, "Location", _("At most %(n)s characters.") % {"n": 120}))
    _check_dates(number, found, starts_on, ends_on, "End Date")
    deadlines = {}
    if record["Talk Deadline"]:
        day = field("Talk Deadline").date(record["Talk Deadline"])
        if day and ends_on and day > ends_on:
            found.append((number, "Talk Deadline", _("The deadline is after the conference ends.")))
        elif day:
            deadlines[Deadline.Kind.CFP_CLOSES] = (_end_of_day_aoe(day), AOE, proposal_url or "")
    errors.extend(found)
    if found:
        return None
    fields = {
        "name": name,
        "url": url,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "online": online,
        "city": city,
        "country": country,
    }
    return Row(number, source_key(name, starts_on), fields, deadlines)


def _parse_json(text: str) -> list[Row]:
    try:
        items = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:
        message = _("The file is not valid JSON (%(error)s).") % {"error": str(error)[:200]}
        raise Problems([(0, "", message)]) from None
    if not isinstance(items, list):
        raise Problems([(0, "", _("The file must hold a list of conferences."))])
    if len(items) > MAX_ROWS:
        raise Problems([(0, "", _("More than %(n)s rows.") % {"n": MAX_ROWS})])
    rows, errors = [], []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            errors.append((number, "", _("Each item must be an object.")))
            continue
        row = _json_row(number, item, errors)
        if row:
            rows.append(row)
    _check_unique(rows, errors, "conference_name")
    if errors:
        raise Problems(errors)
    return rows


JSON_TYPES = {
    "in-person": False,
    "in person": False,
    "hybrid": False,
    "virtual": True,
    "online": True,
}


def _json_row(number, item, errors) -> Row | None:
    found = []
    field = functools.partial(_Field, number, found)
    name = field("conference_name").text(item.get("conference_name"), 200, required=True)
    url = field("url").url(item.get("url"), required=True)
    starts_on = field("conference_start_date").date(item.get("conference_start_date"))
    ends_on = field("conference_end_date").date(item.get("conference_end_date"))
    kind = field("conference_type").text(item.get("conference_type") or "in-person", 40).lower()
    online = JSON_TYPES.get(kind)
    if online is None:
        found.append(
            (
                number,
                "conference_type",
                _("Use one of: %(values)s.") % {"values": ", ".join(JSON_TYPES)},
            )
        )
    location = field("conference_location").text(item.get("conference_location"), 500)
    city, country = "", ""
    if location and not online:
        city, country = _place(location)
        if not country:
            found.append(
                (
                    number,
                    "conference_location",
                    _("Write it as “City, Country”: the country was not recognised."),
                )
            )
    elif not location and online is False:
        found.append(
            (
                number,
                "conference_location",
                _("Give the city and country of an in-person conference."),
            )
        )
    summary = field("summary").text(item.get("summary"), TEXT_LIMIT)
    speaking = item.get("speaking")
    if isinstance(speaking, list) and all(isinstance(s, str) for s in speaking):
        speaking = "; ".join(s.strip() for s in speaking if s.strip())
    speaking_note = field("speaking").text(speaking, 500)
    _check_dates(number, found, starts_on, ends_on, "conference_end_date")
    errors.extend(found)
    if found:
        return None
    fields = {
        "name": name,
        "url": url,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "online": online,
        "city": city,
        "country": country,
        "summary": summary,
        "speaking_note": speaking_note,
        "tags": ["hybrid"] if kind == "hybrid" else [],
    }
    return Row(number, source_key(name, starts_on), fields, {})


class _Field:
    """Checks one value, adding (number, field, message) to `found` when it is wrong."""

    def __init__(self, number, found, name):
        self.number, self.found, self.name = number, found, name

    def error(self, message):
        self.found.append((self.number, self.name, message))

    def text(self, value, limit, *, required=False):
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.error(_("This must be text."))
            return ""
        value = " ".join(value.split()) if limit <= 500 else value.strip()
        if "\x00" in value:
            self.error(_("This holds characters that are not allowed."))
            return ""
        if required and not value:
            self.error(_("This is required."))
        elif len(value) > limit:
            self.error(_("At most %(n)s characters.") % {"n": limit})
        return value

    def url(self, value, *, required=False):
        value = self.text(value, 500, required=required)
        if value:
            try:
                URLValidator(schemes=["http", "https"])(value)
            except ValidationError:
                self.error(_("This is not a web address (http or https)."))
                return ""
        return value

    def date(self, value):
        value = self.text(value, 40, required=True)
        if not value:
            return None
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            self.error(_("“%(value)s” is not a date written YYYY-MM-DD.") % {"value": value[:40]})
            return None
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) is None:
            self.error(_("“%(value)s” is not a date written YYYY-MM-DD.") % {"value": value[:40]})
            return None
        this_year = timezone.localdate().year
        if not 2000 <= day.year <= this_year + 5:
            self.error(_("The year must be between 2000 and %(last)s.") % {"last": this_year + 5})
            return None
        return day


def _check_dates(number, found, starts_on, ends_on, end_field):
    if starts_on and ends_on:
        if ends_on < starts_on:
            found.append((number, end_field, _("The conference ends before it starts.")))
        elif (ends_on - starts_on).days > 60:
            found.append(
                (number, end_field, _("A conference of more than 60 days: check the dates."))
            )


def _check_unique(rows, errors, name_field):
    seen = {}
    for row in rows:
        if row.key in seen:
            message = _("The same conference and year as line %(n)s.") % {"n": seen[row.key]}
            errors.append((row.number, name_field, message))
        seen.setdefault(row.key, row.number)


def _end_of_day_aoe(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, DEADLINE_TIME, tzinfo=zone_info(AOE)).astimezone(dt.UTC)


@functools.cache
def _country_names() -> dict:
    """Folded country names (English, and the site's languages) and codes -> ISO alpha-2."""
    names = {}
    codes = {code for code in Locale.parse("en").territories if choices.is_country(code)}
    for language in ("fr", "es", "pt", "sw", "ha", "en"):
        for code, name in Locale.parse(language).territories.items():
            if code in codes:
                names[_name_key(name)] = code
    for alpha3, targets in get_global("territory_aliases").items():
        if len(alpha3) == 3 and alpha3.isalpha() and len(targets) == 1 and targets[0] in codes:
            names[alpha3.casefold()] = targets[0]
    names.update({code.casefold(): code for code in codes})
    names.update(COUNTRY_ALIASES)
    return names


def country_code(value: str) -> str:
    """ISO 3166-1 alpha-2 for a country written as a name, an alpha-2 or an alpha-3 code; or ""."""
    return _country_names().get(_name_key(value), "")


def _name_key(value: str) -> str:
    return fold(value).replace("\u2019", "'").strip(" .")


def _place(location: str) -> tuple[str, str]:
    """(city, country) from free text ending "…, City, Country": the city is the first part,
    counting from the end, that the gazetteer knows in that country, else the part just
    before the country."""
    parts = [p.strip(" .") for p in location.split(",") if p.strip(" .")]
    if not parts:
        return "", ""
    country = country_code(parts[-1])
    if not country:
        return "", ""
    candidates = parts[:-1][::-1]
    for part in candidates:
        for word in (part, *part.split()):
            city = (
                City.objects.filter(country=country, ascii_name=fold(word))
                .order_by("-population")
                .first()
            )
            if city:
                return city.name, country
    return (candidates[0][:120] if candidates else ""), country


# Writing -------------------------------------------------------------------------------


def _apply(rows, *, source, report, write):
    existing = {
        c.source_key: c
        for c in Conference.objects.filter(source=source, source_key__in=[r.key for r in rows])
        .select_for_update()
        .prefetch_related("deadlines")
    }
    now = timezone.now()
    for row in rows:
        conference = existing.get(row.key)
        if conference is None:
            report.created.append(row.fields["name"])
            if write:
                conference = Conference.objects.create(
                    **row.fields,
                    status=Conference.Status.PUBLISHED,
                    source=source,
                    source_key=row.key,
                    updated_at=now,
                )
                _save_deadlines(conference, row.deadlines, {})
            continue
        changed = [f for f, value in row.fields.items() if getattr(conference, f) != value]
        current = {d.kind: d for d in conference.deadlines.all()}
        deadlines_changed = any(
            kind not in current
            or (current[kind].due_at, current[kind].zone, current[kind].url) != wanted
            for kind, wanted in row.deadlines.items()
        )
        if not changed and not deadlines_changed:
            report.unchanged.append(row.fields["name"])
            continue
        report.updated.append(row.fields["name"])
        if write:
            for f in changed:
                setattr(conference, f, row.fields[f])
            conference.updated_at = now
            conference.save(update_fields=[*changed, "updated_at"])
            _save_deadlines(conference, row.deadlines, current)


def _save_deadlines(conference, wanted, current):
    for kind, (due_at, zone, url) in wanted.items():
        deadline = current.get(kind)
        if deadline is None:
            Deadline.objects.create(
                conference=conference, kind=kind, due_at=due_at, zone=zone, url=url
            )
        elif (deadline.due_at, deadline.zone, deadline.url) != (due_at, zone, url):
            deadline.due_at, deadline.zone, deadline.url = due_at, zone, url
            deadline.save(update_fields=["due_at", "zone", "url"])
