"""Importing a book club's reading list from BPD's current site (`_data/books.json`):
a list of {"title", "author", "url", "reviews": [{"title", "author", "url"}]}.

All or nothing: every entry is checked before anything is written, and each problem
names its entry and field. A re-run updates the books it already has (matched on title
and author) instead of adding them twice."""

import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from bpd.audit import services as audit
from bpd.audit.verbs import Verb
from bpd.learning.models import Material

MAX_BYTES = 1024 * 1024
MAX_BOOKS = 1000
MAX_REVIEWS = 50
_url = URLValidator(schemes=["http", "https"])


class BooksError(Exception):
    """The file was refused; `problems` lists each one (nothing was written)."""

    def __init__(self, problems):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class Report:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)


def _text(entry, name, where, problems, *, limit=200, required=True):
    value = entry.get(name, "")
    if not isinstance(value, str):
        problems.append(_("%(where)s: “%(field)s” must be text.") % {"where": where, "field": name})
        return ""
    value = " ".join(value.split())
    if required and not value:
        problems.append(_("%(where)s: “%(field)s” is missing.") % {"where": where, "field": name})
    if len(value) > limit:
        problems.append(
            _("%(where)s: “%(field)s” is longer than %(limit)d characters.")
            % {"where": where, "field": name, "limit": limit}
        )
    return value[:limit]


def _link(entry, where, problems):
    value = _text(entry, "url", where, problems, limit=500, required=False)
    if value:
        try:
            _url(value)
        except ValidationError:
            problems.append(_("%(where)s: “url” is not a web address.") % {"where": where})
            return ""
    return value


def parse(data: bytes) -> list[dict]:
    """The books in `data`, checked; raises BooksError listing every problem."""
    if len(data) > MAX_BYTES:
        raise BooksError([_("The file is larger than 1 MB.")])
    try:
        books = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise BooksError([_("The file is not UTF-8 text.")]) from None
    except json.JSONDecodeError as error:
        raise BooksError(
            [
                _("The file is not JSON (line %(line)d): %(error)s")
                % {"line": error.lineno, "error": error.msg}
            ]
        ) from None
    if not isinstance(books, list):
        raise BooksError([_("The file must hold a list of books.")])
    if len(books) > MAX_BOOKS:
        raise BooksError(
            [_("At most %(count)d books can be imported at once.") % {"count": MAX_BOOKS}]
        )
    problems, rows, seen = [], [], set()
    for number, entry in enumerate(books, start=1):
        where = _("Book %(number)d") % {"number": number}
        if not isinstance(entry, dict):
            problems.append(_("%(where)s is not an object.") % {"where": where})
            continue
        row = {
            "title": _text(entry, "title", where, problems),
            "author": _text(entry, "author", where, problems, required=False),
            "url": _link(entry, where, problems),
            "reviews": [],
        }
        reviews = entry.get("reviews", [])
        if not isinstance(reviews, list) or len(reviews) > MAX_REVIEWS:
            problems.append(
                _("%(where)s: “reviews” must be a list of at most %(count)d.")
                % {"where": where, "count": MAX_REVIEWS}
            )
            reviews = []
        for index, review in enumerate(reviews, start=1):
            place = _("%(where)s, review %(number)d") % {"where": where, "number": index}
            if not isinstance(review, dict):
                problems.append(_("%(where)s is not an object.") % {"where": place})
                continue
            row["reviews"].append(
                {
                    "title": _text(review, "title", place, problems),
                    "author": _text(review, "author", place, problems, required=False),
                    "url": _link(review, place, problems),
                }
            )
        key = (row["title"].casefold(), row["author"].casefold())
        if key in seen:
            problems.append(_("%(where)s appears twice in the file.") % {"where": where})
        seen.add(key)
        rows.append(row)
    if problems:
        raise BooksError(problems)
    return rows


def import_books(*, programme, data: bytes, by=None, dry_run=False) -> Report:
    """Add or update `programme`'s reading list from books.json `data`."""
    rows = parse(data)
    report = Report()
    with transaction.atomic():
        existing = {
            (m.title.casefold(), m.author.casefold()): m
            for m in Material.objects.select_for_update().filter(programme=programme)
        }
        position = max((m.position for m in existing.values()), default=0)
        for row in rows:
            material = existing.get((row["title"].casefold(), row["author"].casefold()))
            if material is None:
                position += 1
                report.created.append(row["title"])
                if not dry_run:
                    Material.objects.create(
                        programme=programme, kind=Material.Kind.BOOK, position=position, **row
                    )
                continue
            changed = any(getattr(material, name) != value for name, value in row.items())
            (report.updated if changed else report.unchanged).append(row["title"])
            if changed and not dry_run:
                for name, value in row.items():
                    setattr(material, name, value)
                material.save()
        if not dry_run and (report.created or report.updated):
            audit.log(
                actor=by,
                verb=Verb.BOOKS_IMPORTED,
                subject=programme,
                created=len(report.created),
                updated=len(report.updated),
            )
    return report
