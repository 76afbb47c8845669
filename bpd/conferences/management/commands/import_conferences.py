from django.core.management.base import BaseCommand, CommandError

from bpd.conferences import importers


class Command(BaseCommand):
    help = (
        "Import a conference list: the CSV of python-organizers/conferences or the JSON of "
        "BPD's former site (_data/conferences.json). All or nothing; a re-run updates the "
        "conferences it imported before. Imported conferences are published."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the file to import")
        parser.add_argument("--format", required=True, choices=importers.FORMATS)
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would change, write nothing"
        )

    def handle(self, *args, path, format, dry_run, **options):
        try:
            report = importers.import_file(path_or_file=path, format=format, dry_run=dry_run)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        if not report.ok:
            raise CommandError(
                "Nothing was imported. Fix these and run again:\n"
                + "\n".join(f"  {line}" for line in report.error_lines())
            )
        for label, names in (
            ("Created", report.created),
            ("Updated", report.updated),
            ("Unchanged", report.unchanged),
        ):
            self.stdout.write(f"{label} ({len(names)}): {', '.join(names) or '-'}")
        prefix = "Dry run, nothing written: " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(prefix + report.summary() + "."))
