"""A Jekyll site's `_data/` lists, made into the platform's own records with the
importers the programmes already have: conferences, partners and offers, a book club's
reading list. Every other data file is listed in the report with where its content
lives on the platform."""

from pathlib import Path

from bpd.conferences import importers as conference_importer
from bpd.conferences.models import Conference
from bpd.content_import.models import ImportedObject
from bpd.learning import books
from bpd.learning.models import Material, Programme
from bpd.partners.importer import PartnershipsError, import_partnerships
from bpd.partners.models import Offer, Partner

# What becomes of the other data files of BPD's site.
ELSEWHERE = {
    "leadership": "the leadership roster is kept in the admin (Pages → Team members)",
    "authors": "post authors are names on each post",
    "locales": "the interface text is translated with gettext (locale/)",
    "map_data": "members' places are counted by Insights (/insights/)",
    "member_count": "members are counted by Insights (/insights/)",
    "events": "events are kept by the Events programme (/events/)",
    "sponsored_events": "sponsorships are kept by the Communities programme",
    "foundational_supporters": "supporters are partners (Partners in the admin)",
}
SUFFIXES = {".json", ".yml", ".yaml", ".csv"}


def _created_since(model, before):
    return model.objects.exclude(pk__in=before)


def _tracking(models):
    return {model: set(model.objects.values_list("pk", flat=True)) for model in models}


def _record_new(record, snapshot, report_line):
    for model, before in snapshot.items():
        for instance in _created_since(model, before):
            record(instance, ImportedObject.Action.CREATED, label=f"{report_line}: {instance}")


def _book_club(slug):
    clubs = Programme.objects.filter(kind=Programme.Kind.BOOK_CLUB)
    if slug:
        return clubs.filter(slug=slug).first()
    return clubs.first() if clubs.count() == 1 else None


def import_data(root: Path, report, *, book_club=None, record=None):
    """Import the data files under `root/_data/`; problems become report warnings and
    leave that file unimported (each importer is all or nothing)."""
    folder = root / "_data"
    if not folder.is_dir():
        return
    record = record or (lambda *args, **kwargs: None)
    handled = set()
    for path in sorted(folder.iterdir()):
        if path.is_symlink() or not path.is_file() or path.suffix.lower() not in SUFFIXES:
            continue
        source = path.relative_to(root).as_posix()
        stem = path.stem
        if stem == "conferences" and path.suffix == ".json":
            handled.add(stem)
            snapshot = _tracking([Conference])
            result = conference_importer.import_file(path_or_file=str(path),
                                                     format=conference_importer.BPD_JSON)  # fmt: skip
            if not result.ok:
                for line in result.error_lines():
                    report.warn(source, 1, f"conference list not imported: {line}")
                continue
            _record_new(record, snapshot, source)
            report.data.append(f"{source}: conferences, {result.summary()}")
        elif stem in {"partnerships", "partners", "parters"} and stem not in handled:
            handled.add("partnerships")
            snapshot = _tracking([Partner, Offer])
            try:
                result = import_partnerships(path.read_bytes(), site_root=str(root))
            except PartnershipsError as error:
                for problem in error.problems:
                    report.warn(source, 1, f"partners not imported: {problem}")
                continue
            _record_new(record, snapshot, source)
            report.data.append(f"{source}: partners and offers, {result.summary()}")
            for warning in result.warnings:
                report.warn(source, 1, str(warning))
        elif stem == "books":
            club = _book_club(book_club)
            if club is None:
                report.warn(
                    source, 1, "the reading list was not imported: no book club to put it in",
                    "Create the book club (Learning in the admin), then import again with "
                    "--book-club <its address>.",
                )  # fmt: skip
                continue
            snapshot = _tracking([Material])
            try:
                result = books.import_books(programme=club, data=path.read_bytes())
            except books.BooksError as error:
                for problem in error.problems:
                    report.warn(source, 1, f"reading list not imported: {problem}")
                continue
            _record_new(record, snapshot, source)
            report.data.append(
                f"{source}: reading list of {club.slug}, {len(result.created)} created, "
                f"{len(result.updated)} updated, {len(result.unchanged)} unchanged"
            )
        elif stem.split(".")[0] in ELSEWHERE:
            report.change(source, 1, f"not imported: {ELSEWHERE[stem.split('.')[0]]}")
        else:
            report.warn(source, 1, "data file not imported: the platform has no list for it",
                        "Enter what matters in the admin, or ask for an importer.")  # fmt: skip
    for path in sorted(p for p in folder.iterdir() if p.is_dir()):
        source = path.relative_to(root).as_posix()
        reason = ELSEWHERE.get(path.name, "the platform has no list for it")
        report.change(source, 1, f"folder not imported: {reason}")
