from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bpd.members import gazetteer
from bpd.members.demo import create_demo_members


class Command(BaseCommand):
    help = (
        "Create demo members across many countries, every role and visibility (development only)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=300)
        parser.add_argument("--seed", type=int, default=2024)

    def handle(self, *args, count, seed, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo members are refused when BPD_ENV=production.")
        gazetteer.load()
        created = create_demo_members(count=count, seed=seed)
        self.stdout.write(f"{created} demo members created.")
