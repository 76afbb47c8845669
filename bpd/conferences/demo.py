"""Demo conferences: twenty upcoming conferences read from the sample import files, moved to
the months ahead of today, with deadlines announced in several time zones (some with a
financial-aid or opportunity-grant deadline), some followed by the demo member, and one
suggestion from the demo leader waiting for staff. Development only; idempotent."""

import datetime as dt
import itertools
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from bpd.conferences import importers, services
from bpd.conferences.models import AOE, Conference, Deadline, zone_info
from bpd.members.demo import demo_email
from bpd.members.models import User
from bpd.members.roles import Role

SAMPLES = Path(__file__).parent / "data" / "samples"
SOURCE = "demo"
COUNT = 20
ZONES = [
    AOE, "America/New_York", "Europe/Berlin", "Africa/Lagos", "Asia/Tokyo", "UTC",
    "Africa/Nairobi", "America/Sao_Paulo", "Europe/London", "Africa/Johannesburg",
]  # fmt: skip
# The Fund's demo lists these under "<name> (demo)": they get deadlines, not a twin.
FUND_DEMO_SUFFIX = " (demo)"


def _rows():
    rows = importers.read_rows(SAMPLES / "python-organizers-2027.csv", importers.PYTHON_ORGANIZERS)
    rows += importers.read_rows(SAMPLES / "bpd-conferences.json", importers.BPD_JSON)
    return sorted(rows, key=lambda row: row.fields["starts_on"])[:COUNT]


def _due(day: dt.date, zone: str, time=dt.time(23, 59)) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=zone_info(zone)).astimezone(dt.UTC)


def _deadlines(index: int, today: dt.date, starts_on: dt.date, url: str) -> list[dict]:
    """A CfP closing soon (every conference), financial aid for every third, an opportunity
    grant for every fourth, a CfP that opened a month ago for every fifth."""
    zone = ZONES[index % len(ZONES)]
    closes = min(today + dt.timedelta(days=2 + 6 * index), starts_on - dt.timedelta(days=10))
    deadlines = [
        {"kind": Deadline.Kind.CFP_CLOSES, "due_at": _due(closes, zone), "zone": zone, "url": url}
    ]
    if index % 3 == 0:
        aid = min(closes + dt.timedelta(days=14), starts_on - dt.timedelta(days=5))
        deadlines.append(
            {
                "kind": Deadline.Kind.FINANCIAL_AID,
                "due_at": _due(aid, zone, dt.time(12)),
                "zone": zone,
                "url": url,
            }
        )
    if index % 4 == 1:
        grant_zone = ZONES[(index + 3) % len(ZONES)]
        grant = min(closes + dt.timedelta(days=21), starts_on - dt.timedelta(days=3))
        deadlines.append(
            {
                "kind": Deadline.Kind.OPPORTUNITY_GRANT,
                "due_at": _due(grant, grant_zone),
                "zone": grant_zone,
                "url": url,
            }
        )
    if index % 5 == 0:
        opened = today - dt.timedelta(days=30)
        deadlines.append(
            {
                "kind": Deadline.Kind.CFP_OPENS,
                "due_at": _due(opened, zone, dt.time(9)),
                "zone": zone,
                "url": url,
            }
        )
    return deadlines


def create_demo_conferences(today: dt.date | None = None) -> int:
    """Create the demo conferences once; returns how many were created (0 on a re-run)."""
    if Conference.objects.filter(source=SOURCE).exists():
        return 0
    today = today or timezone.localdate()
    member = User.objects.filter(email=demo_email(Role.MEMBER.value)).first()
    leader = User.objects.filter(email=demo_email(Role.LEADER.value)).first()
    created = 0
    with transaction.atomic():
        conferences = []
        for index, row in enumerate(_rows()):
            fields = dict(row.fields)
            length = fields["ends_on"] - fields["starts_on"]
            fields["starts_on"] = today + dt.timedelta(days=21 + 16 * index)
            fields["ends_on"] = fields["starts_on"] + length
            twin = Conference.objects.filter(name=fields["name"] + FUND_DEMO_SUFFIX).first()
            if twin is None:
                conference = Conference.objects.create(
                    **fields,
                    status=Conference.Status.PUBLISHED,
                    source=SOURCE,
                    source_key=importers.source_key(fields["name"], fields["starts_on"]),
                )
                created += 1
            else:
                conference = twin
            url = next(iter(row.deadlines.values()), (None, None, ""))[2] or fields["url"]
            for values in _deadlines(index, today, conference.starts_on, url):
                Deadline.objects.update_or_create(
                    conference=conference,
                    kind=values["kind"],
                    defaults={k: v for k, v in values.items() if k != "kind"},
                )
            conferences.append(conference)
        if member:
            for conference in itertools.islice(conferences, 0, COUNT, 4):
                services.follow(conference=conference, member=member)
        if leader:
            starts_on = today + dt.timedelta(days=120)
            services.suggest(
                by=leader,
                data={
                    "name": "PyCon Cameroon",
                    "url": "https://pycon.cm/",
                    "starts_on": starts_on,
                    "ends_on": starts_on + dt.timedelta(days=2),
                    "city": "Douala",
                    "country": "CM",
                    "summary": "A first PyCon in Cameroon, in French and English (suggested by a leader).",
                    "languages": ["fr", "en"],
                },
                deadlines=[
                    {
                        "kind": Deadline.Kind.CFP_CLOSES,
                        "due_at": _due(today + dt.timedelta(days=45), "Africa/Douala"),
                        "zone": "Africa/Douala",
                        "url": "https://pycon.cm/cfp/",
                    }
                ],
            )
    return created
