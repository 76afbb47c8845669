"""Demo learning programmes (`load_site --demo`): a study group that is running (weekly
Discord sessions since three weeks ago, attendance recorded, one member completed it)
and a book club open for sign-up with the reading list of BPD's current site. Built
through the events' and learning's services. Development only; idempotent."""

import datetime as dt
import json

from django.utils import timezone

from bpd.events import recurrence
from bpd.events import services as events
from bpd.events.models import Event, Occurrence
from bpd.learning import books, services
from bpd.learning.models import Cohort, Material, Programme
from bpd.members.demo import demo_email
from bpd.members.models import User
from bpd.members.roles import Role
from bpd.partners.models import Offer

STUDY_GROUP = "python-study-group-demo"
BOOKS = [
    {
        "title": "Boost Your Django DX",
        "author": "Adam Johnson",
        "url": "https://adamchainz.gumroad.com/l/byddx",
        "reviews": [
            {
                "title": "Review: Boost Your Django DX by Adam Johnson",
                "author": "Velda Kiara",
                "url": "https://dev.to/veldakiara/review-boost-your-django-dx-by-adam-johnson-9ho",
            }
        ],
    },
    {"title": "Fluent Python", "author": "Luciano Ramalho", "url": "https://www.fluentpython.com/"},
]


def _user(handle):
    return User.objects.filter(email=demo_email(handle)).first()


def _weekly_event(host, title, starts, count):
    first = starts.date()
    event = events.save_event(
        event=None,
        by=host,
        data={
            "title": title,
            "summary": "We meet on Discord to work through the material together.",
            "description": "Cameras optional. Bring questions.",
            "language": "en",
            "kind": Event.Kind.ONLINE,
            "online_url": "https://discord.gg/blackpythondevs",
            "time_zone": "UTC",
            "starts_at": starts,
            "duration_minutes": 60,
            "capacity": 30,
            "rule": recurrence.build_rule(repeats=recurrence.WEEKLY, first=first, count=count),
        },
    )
    events.publish_event(event=event, by=host)
    return event


def create_demo_learning(now=None) -> int:
    """Create the demo programmes once; returns how many were created."""
    if Programme.objects.filter(slug=STUDY_GROUP).exists():
        return 0
    host = _user(Role.LEADER.value)
    if host is None:
        return 0
    now = now or timezone.now()
    people = list(User.objects.filter(email__startswith="demo-member0").order_by("email")[60:72])
    member = _user(Role.MEMBER.value)
    # A study group three weeks in: weekly sessions, attendance recorded.
    group = Programme.objects.create(
        kind=Programme.Kind.STUDY_GROUP, title="Python study group (demo)", slug=STUDY_GROUP,
        description="Eight weeks through Python's standard library, one module a week, "
        "with a short exercise to share.", status=Programme.Status.PUBLISHED,
    )  # fmt: skip
    start = (now - dt.timedelta(days=21)).replace(hour=18, minute=0, second=0, microsecond=0)
    sessions = _weekly_event(host, "Python study group (demo)", start, 8)
    cohort = Cohort.objects.create(
        programme=group, name="Autumn 2026", capacity=12, event=sessions, sessions_to_complete=2,
        signup_opens_at=now - dt.timedelta(days=35), signup_closes_at=now + dt.timedelta(days=7),
    )  # fmt: skip
    cohort.hosts.add(host)
    enrolments = [services.sign_up(cohort=cohort, user=p, now=now) for p in people[:10]]
    if member is not None:
        enrolments.append(services.sign_up(cohort=cohort, user=member, now=now))
    past = Occurrence.objects.filter(event=sessions, starts_at__lt=now).order_by("starts_at")
    for number, session in enumerate(past):
        came = {e.pk: (index + number) % 3 != 0 for index, e in enumerate(enrolments)}
        services.record_attendance(
            cohort=cohort, occurrence=session, by=host, attended=came, now=now
        )
    # A book club open for sign-up, with the reading list of BPD's current site.
    club = Programme.objects.create(
        kind=Programme.Kind.BOOK_CLUB, title="BPD book club (demo)", slug="book-club-demo",
        description="One book a month, discussed on Discord in the last week of the month.",
        status=Programme.Status.PUBLISHED,
    )  # fmt: skip
    books.import_books(programme=club, data=json.dumps(BOOKS).encode(), by=host)
    offer = Offer.objects.filter(status=Offer.Status.APPROVED, kind=Offer.Kind.UNIQUE_CODES).first()
    if offer is not None:
        Material.objects.filter(programme=club, title="Fluent Python").update(offer=offer)
    monthly_start = (now + dt.timedelta(days=10)).replace(
        hour=19, minute=0, second=0, microsecond=0
    )
    club_sessions = _weekly_event(host, "BPD book club (demo)", monthly_start, 4)
    winter = Cohort.objects.create(
        programme=club, name="Winter 2027", capacity=20, event=club_sessions, sessions_to_complete=3,
        signup_opens_at=now - dt.timedelta(days=2), signup_closes_at=now + dt.timedelta(days=9),
    )  # fmt: skip
    winter.hosts.add(host)
    for person in people[10:12]:
        services.sign_up(cohort=winter, user=person, now=now)
    return 2
