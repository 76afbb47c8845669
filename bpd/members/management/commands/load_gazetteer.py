from django.core.management.base import BaseCommand

from bpd.members import gazetteer


class Command(BaseCommand):
    help = "Load the offline gazetteer (GeoNames cities over 15,000 people) into the database."

    def handle(self, *args, **options):
        count = gazetteer.load()
        self.stdout.write(
            f"Gazetteer: {count} cities loaded." if count else "Gazetteer: already loaded."
        )
