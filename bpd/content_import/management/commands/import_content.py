from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bpd.content_import.importer import ContentError
from bpd.content_import.models import ImportRun
from bpd.content_import.runs import import_tree, revert


class Command(BaseCommand):
    help = (
        "Import a Jekyll site checkout (or this repository's content/ folder): pages, posts, "
        "the files they refer to, _data lists, redirects from every old address, and the menu. "
        "All or nothing; prints a report of everything not carried over. docs/migrating.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="Folder to read")
        parser.add_argument(
            "--dry-run", action="store_true",
            help="Do everything, then undo it: the report says what would be created, "
            "updated or unchanged, and every warning",
        )  # fmt: skip
        parser.add_argument(
            "--fetch-external", action="store_true",
            help="Download images from other sites into the platform (else kept as links)",
        )  # fmt: skip
        parser.add_argument(
            "--keep-embed-hosts", action="store_true",
            help="Do not move YouTube embeds to www.youtube-nocookie.com",
        )  # fmt: skip
        parser.add_argument(
            "--replace-structure", action="store_true",
            help="Let files replace existing pages' menu position, layout and translation key",
        )  # fmt: skip
        parser.add_argument("--book-club", help="The book club (its address) for _data/books.json")
        parser.add_argument(
            "--max-file-kb", type=int,
            help=f"Largest file read, in KB (default {settings.IMPORT_MAX_FILE_KB})",
        )  # fmt: skip
        parser.add_argument("--revert", type=int, metavar="RUN", help="Undo import run RUN")
        parser.add_argument("--runs", action="store_true", help="List the import runs")

    def handle(self, *args, path, dry_run, revert: int | None, runs, **options):
        if runs:
            for run in ImportRun.objects.all()[:50]:
                state = f"reverted {run.reverted_at:%Y-%m-%d}" if run.reverted_at else "in place"
                self.stdout.write(f"{run.pk}\t{run.started_at:%Y-%m-%d %H:%M}\t{state}\t"
                                  f"{run.source}\t{run.summary}")  # fmt: skip
            return
        if revert is not None:
            try:
                lines = revert_run(revert)
            except ValueError as error:
                raise CommandError(f"Nothing was reverted: {error}.") from None
            for line in lines:
                self.stdout.write(f"  {line}")
            self.stdout.write(self.style.SUCCESS(f"Import run {revert} reverted."))
            return
        if not path:
            raise CommandError("Give the folder to import (or --revert RUN, or --runs).")
        limit = options["max_file_kb"]
        if limit is not None:
            if not 1 <= limit <= 100 * 1024:
                raise CommandError("--max-file-kb must be between 1 and 102400.")
            settings.IMPORT_MAX_FILE_KB = limit
        try:
            report = import_tree(
                path,
                dry_run=dry_run,
                fetch_external=options["fetch_external"],
                convert_embeds=not options["keep_embed_hosts"],
                replace_structure=options["replace_structure"],
                book_club=options["book_club"],
            )
        except ContentError as error:
            lines = [f"  {name}: {message}" for name, message in error.problems]
            raise CommandError(
                f"Nothing was imported: {len(error.problems)} file(s) have problems:\n"
                + "\n".join(lines)
            ) from None
        if options["verbosity"] > 0:
            self.stdout.write(report.text(dry_run=dry_run))
        if dry_run:
            self.stdout.write(self.style.SUCCESS("Dry run, nothing written: " + report.summary()))
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Import run {report.run}: {report.summary()}. "
                    f"Undo it with: manage.py import_content --revert {report.run}"
                )
            )


revert_run = revert
