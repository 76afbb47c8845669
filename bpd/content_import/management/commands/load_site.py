from pathlib import Path

import yaml
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from bpd.communities.demo import create_demo_communities
from bpd.communities.demo_sponsorship import create_demo_sponsorship
from bpd.communities.demo_tickets import create_demo_tickets
from bpd.conferences.demo import create_demo_conferences
from bpd.events.demo import create_demo_events
from bpd.fund.demo import create_demo_fund
from bpd.insights.services import refresh as refresh_insights
from bpd.learning.demo import create_demo_learning
from bpd.members.demo import create_demo_members
from bpd.members.services import ensure_groups
from bpd.news.demo import create_demo_posts
from bpd.pages.services import load_team
from bpd.partners.demo import create_demo_partners
from bpd.website.services import load_site_settings

CONTENT = settings.BASE_DIR / "content"


class Command(BaseCommand):
    help = (
        "Load the site's own content: pages and news from content/, the leadership roster and "
        "site settings. With --demo, also demo data and a demo account per role, the executor "
        "with admin access (development only; they sign in by code or at /dev/sign-in-as/)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--content", default=str(CONTENT), help="Content folder")
        parser.add_argument("--demo", action="store_true", help="Add demo data (development only)")

    def handle(self, *args, content, demo, **options):
        content = Path(content)
        if demo and settings.PRODUCTION:
            raise CommandError(
                "Demo data is for development; it is refused when BPD_ENV=production."
            )
        call_command(
            "import_content",
            str(content),
            verbosity=max(options["verbosity"] - 1, 0),
            stdout=self.stdout,
        )
        with transaction.atomic():
            team = load_team(yaml.safe_load((content / "team.yaml").read_text(encoding="utf-8")))
            load_site_settings(yaml.safe_load((content / "site.yaml").read_text(encoding="utf-8")))
        self.stdout.write(f"Leadership team: {team} added.")
        call_command("load_gazetteer", stdout=self.stdout)
        call_command("load_visa_requirements", "--if-empty", stdout=self.stdout)
        ensure_groups()
        if demo:
            members = create_demo_members()
            self.stdout.write(
                f"Demo members: {members} added (sign in as them at /dev/sign-in-as/)."
            )

            created = create_demo_posts()
            self.stdout.write(f"Demo news posts: {created} added.")
            self.stdout.write(f"Demo Fund applications: {create_demo_fund()} added.")
            self.stdout.write(f"Demo conferences: {create_demo_conferences()} added.")
            self.stdout.write(f"Demo events: {create_demo_events()} added.")
            self.stdout.write(f"Demo local communities: {create_demo_communities()} added.")
            self.stdout.write(f"Demo sponsorship requests: {create_demo_sponsorship()} added.")
            self.stdout.write(f"Demo ticket draws: {create_demo_tickets()} added.")
            self.stdout.write(f"Demo partners: {create_demo_partners()} added.")
            self.stdout.write(f"Demo learning programmes: {create_demo_learning()} added.")
        # The insights pages read the day's figures: count them now rather than show an
        # empty page until the daily job first runs.
        refresh_insights()
        self.stdout.write("Insights: figures counted.")
        self.stdout.write(self.style.SUCCESS("Site content loaded."))
