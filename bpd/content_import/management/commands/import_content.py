from django.core.management.base import BaseCommand, CommandError

from bpd.content_import.importer import ContentError, import_tree


class Command(BaseCommand):
    help = (
        "Import Markdown files with YAML front matter (this repository's content/ folder or "
        "a Jekyll site checkout) into pages and news posts. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Folder to read")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every file, write nothing"
        )

    def handle(self, *args, path, dry_run, **options):
        try:
            report = import_tree(path, dry_run=dry_run)
        except ContentError as error:
            lines = [f"  {name}: {message}" for name, message in error.problems]
            raise CommandError(
                f"Nothing was imported: {len(error.problems)} file(s) have problems:\n"
                + "\n".join(lines)
            ) from None
        for name, message in report.warnings:
            self.stderr.write(self.style.WARNING(f"{name}: {message}"))
        verbosity = options["verbosity"]
        for label, names in (("created", report.created), ("updated", report.updated)):
            if verbosity > 1 or (names and verbosity > 0 and len(names) <= 20):
                for name in names:
                    self.stdout.write(f"  {label}: {name}")
        for name, reason in report.skipped:
            if verbosity > 0:
                self.stdout.write(f"  skipped: {name} ({reason})")
        prefix = "Checked (dry run): " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(prefix + report.summary()))
