from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bpd.members.models import User
from bpd.partners.importer import MAX_BYTES, PartnershipsError, import_partnerships


class Command(BaseCommand):
    help = (
        "Import BPD's current site's _data/partnerships.yml: a partner and one approved public "
        "offer per entry (a shared code, or a landing-page link when promo_code is an address). "
        "All or nothing; a re-run updates what it imported before."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The partnerships.yml to read")
        parser.add_argument(
            "--site-root", help="The Jekyll site's checkout, to import logos under /assets/"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and compare, write nothing"
        )
        parser.add_argument(
            "--by", help="The email of the executor importing it (for the audit log)"
        )

    def handle(self, *args, file, site_root, dry_run, by, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file.")
        if site_root and not Path(site_root).is_dir():
            raise CommandError(f"--site-root {site_root}: no such folder.")
        actor = None
        if by:
            actor = User.objects.filter(email__iexact=by).first()
            if actor is None:
                raise CommandError(f"--by {by}: no account with this email.")
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)  # enough to know it is too big
        try:
            report = import_partnerships(data, site_root=site_root, dry_run=dry_run, by=actor)
        except PartnershipsError as error:
            lines = "\n".join(f"  {problem}" for problem in error.problems)
            raise CommandError(
                f"Nothing was imported: {len(error.problems)} problem(s):\n{lines}"
            ) from None
        would = "would " if dry_run else ""
        for label, items in (
            (f"{would}create", report.created),
            (f"{would}update", report.updated),
        ):
            for item in items:
                self.stdout.write(f"  {label}: {item}")
        if options["verbosity"] > 1:
            for item in report.unchanged:
                self.stdout.write(f"  unchanged: {item}")
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(f"  warning: {warning}"))
        self.stdout.write(self.style.SUCCESS(report.summary()))
