from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bpd.learning import books
from bpd.learning.models import Programme


class Command(BaseCommand):
    help = "Import a reading list (BPD's _data/books.json) into a book club's materials."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--programme", required=True, help="the programme's address (slug)")
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would change, write nothing"
        )

    def handle(self, *args, file, programme, dry_run, **options):
        found = Programme.objects.filter(slug=programme).first()
        if found is None:
            raise CommandError(f"No programme with the address {programme!r}.")
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        try:
            report = books.import_books(programme=found, data=data, dry_run=dry_run)
        except books.BooksError as error:
            raise CommandError("Nothing was imported:\n" + "\n".join(error.problems)) from None
        verb = "would be " if dry_run else ""
        for label, titles in (("created", report.created), ("updated", report.updated),
                              ("unchanged", report.unchanged)):  # fmt: skip
            self.stdout.write(
                f"{len(titles)} {verb}{label}" + (": " + ", ".join(titles) if titles else "")
            )
