from django.core.management.base import BaseCommand

from bpd.fund import services


class Command(BaseCommand):
    help = (
        "Lapse offers past their reply deadline and move the waiting list up. The task "
        "worker does this every 5 minutes; this command does it now."
    )

    def handle(self, *args, **options):
        promoted = services.lapse_overdue_offers()
        self.stdout.write(f"{len(promoted)} waiting-list applications offered an award.")
