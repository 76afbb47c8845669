import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bpd.fund import imports, services
from bpd.fund.models import VisaDataset
from bpd.fund.waittimes import WaitTimeError

SHIPPED = Path(__file__).resolve().parents[2] / "data" / "passport-index-tidy-iso2.csv"
SHIPPED_AS_OF = dt.date(2025, 1, 12)


class Command(BaseCommand):
    help = (
        "Load visa requirements by passport and destination (Passport,Destination,Requirement CSV)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(SHIPPED))
        parser.add_argument(
            "--as-of", type=dt.date.fromisoformat, help="date of the data (YYYY-MM-DD)"
        )
        parser.add_argument(
            "--source", default="Passport Index Dataset (Ilya Ilyankou), passportindex.org"
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when requirements are loaded"
        )

    def handle(self, *args, path, as_of, source, if_empty, **options):
        if if_empty and VisaDataset.objects.exists():
            self.stdout.write("Visa requirements: already loaded.")
            return
        if as_of is None:
            if Path(path) != SHIPPED:
                raise CommandError("Give --as-of for a file other than the shipped one.")
            as_of = SHIPPED_AS_OF
        try:
            dataset = imports.load_visa_requirements(path, as_of=as_of, source=source)
        except WaitTimeError as error:
            raise CommandError(f"Nothing was loaded: {error}") from None
        refreshed = services.refresh_verdicts()
        self.stdout.write(
            f"Visa requirements: {dataset.rows} pairs as of {dataset.as_of}; {refreshed} verdicts updated."
        )
