"""Synthetic data at volume, fast (bulk inserts) and deterministic for a seed.

Used by bench/data.py (the command) and the other benchmarks. Rows it creates
are recognisable: accounts end in @bench.test, the round's slug is bench-round.
"""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

BATCH = 5000
DOMAIN = "bench.test"
# Rough shape of where members are; weights, not data.
COUNTRY_WEIGHTS = {
    "NG": 22, "KE": 12, "GH": 8, "US": 14, "ZA": 6, "UG": 5, "GB": 5, "TZ": 4, "RW": 3, "CM": 3,
    "ET": 3, "BR": 3, "CA": 3, "FR": 2, "SN": 2, "ZW": 2, "ZM": 2, "CI": 2, "JM": 2, "TT": 1,
}  # fmt: skip
LANGUAGES = ["en", "ha", "sw", "es", "fr", "pt"]


def load_site():
    """The site's own content and reference data, as `load_site` loads it (without demo data)."""
    from django.core.management import call_command

    call_command("load_site", verbosity=0)


def _cities(rng):
    from bpd.members.models import City

    by_country = {}
    for city in (
        City.objects.filter(country__in=COUNTRY_WEIGHTS)
        .order_by("-population")
        .only("geonameid", "country", "timezone")
    ):
        bucket = by_country.setdefault(city.country, [])
        if len(bucket) < 25:
            bucket.append(city)
    return by_country


def fill_members(total, seed=1):
    """Top up to `total` synthetic members with onboarded profiles."""
    from django.contrib.auth.models import Group

    from bpd.members.models import Profile, User
    from bpd.members.visibility import Visibility

    existing = User.objects.filter(email__endswith="@" + DOMAIN).count()
    if existing >= total:
        return 0
    rng = random.Random(seed + existing)
    cities = _cities(rng)
    countries = list(COUNTRY_WEIGHTS)
    weights = [COUNTRY_WEIGHTS[c] for c in countries]
    member_group, _ = Group.objects.get_or_create(name="member")
    through = User.groups.through
    now = timezone.now()
    levels = ["new", "beginner", "intermediate", "advanced", "expert"]
    created = 0
    for start in range(existing, total, BATCH):
        stop = min(total, start + BATCH)
        with transaction.atomic():
            users = User.objects.bulk_create(
                [
                    User(
                        email=f"m{n}@{DOMAIN}",
                        password="!",
                        date_joined=now - dt.timedelta(days=n % 1000),
                    )
                    for n in range(start, stop)
                ]
            )
            profiles = []
            for user in users:
                country = rng.choices(countries, weights)[0]
                city = rng.choice(cities[country]) if cities.get(country) else None
                profiles.append(
                    Profile(
                        user=user,
                        display_name=f"Member {user.pk}",
                        country=country,
                        city=city,
                        time_zone=city.timezone if city else "",
                        skill_level=rng.choice(levels),
                        roles=rng.sample(
                            ["backend", "web", "data", "ml", "devops", "education"], k=2
                        ),
                        languages=rng.sample(["en", "fr", "pt", "sw", "ha", "yo"], k=2),
                        career_status=rng.choice(
                            ["student", "employed", "open", "hiring", "freelancing"]
                        ),
                        name_visibility=rng.choice(
                            [
                                Visibility.MEMBERS,
                                Visibility.MEMBERS,
                                Visibility.PUBLIC,
                                Visibility.LEADERS,
                            ]
                        ),
                        location_visibility=rng.choice(list(Visibility)),
                        city_visibility=rng.choice(list(Visibility)),
                        about_visibility=rng.choice(list(Visibility)),
                        career_visibility=rng.choice(list(Visibility)),
                        onboarded_at=now,
                    )
                )
            Profile.objects.bulk_create(profiles)
            through.objects.bulk_create(
                [through(user_id=u.pk, group_id=member_group.pk) for u in users]
            )
        created += len(users)
    return created


def fill_posts(total, seed=1):
    from bpd.news.models import Post

    existing = Post.objects.filter(slug__startswith="bench-").count()
    if existing >= total:
        return 0
    now = timezone.now()
    for start in range(existing, total, BATCH):
        Post.objects.bulk_create(
            [
                Post(
                    language=LANGUAGES[n % len(LANGUAGES)],
                    slug=f"bench-{n}",
                    translation_key=f"bench-{n}",
                    title=f"Community update {n}",
                    description="A short summary of the news.",
                    body="Text of the post.",
                    body_html="<p>Text of the post.</p>",
                    author_name="BPD",
                    published_at=now - dt.timedelta(hours=n + 1),
                )
                for n in range(start, min(total, start + BATCH))
            ]
        )
    return total - existing


def bench_round():
    from bpd.conferences.models import Conference as Event
    from bpd.fund.models import Criterion, Round
    from bpd.members.models import User

    round = Round.objects.filter(slug="bench-round").first()
    if round:
        return round
    now = timezone.now()
    Event.objects.get_or_create(name="Bench Conf", defaults={"url": "https://bench.example", "city": "Berlin", "country": "DE",
                                "starts_on": (now + dt.timedelta(days=120)).date(), "ends_on": (now + dt.timedelta(days=123)).date()})  # fmt: skip
    round = Round.objects.create(
        name="Bench round", slug="bench-round", opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=9),
        decision_date=(now + dt.timedelta(days=20)).date(), budget=10**9, currency="USD", covered=["flight", "visa"],
    )  # fmt: skip
    for i in range(3):
        Criterion.objects.create(round=round, name=f"Criterion {i}", weight=i + 1)
    reviewer = user("reviewer")
    round.reviewers.add(reviewer)
    for n in range(2):
        round.reviewers.add(User.objects.get_or_create(email=f"reviewer{n}@{DOMAIN}")[0])
    return round


def fill_applications(total, seed=1):
    from bpd.conferences.models import Conference as Event
    from bpd.fund.models import Application, CostItem, Review
    from bpd.members.models import User

    round = bench_round()
    existing = round.applications.count()
    if existing >= total:
        return 0
    rng = random.Random(seed + existing)
    event = Event.objects.get(name="Bench Conf")
    reviewers = list(round.reviewers.all())
    now = timezone.now()
    for start in range(existing, total, BATCH):
        stop = min(total, start + BATCH)
        applicants = User.objects.bulk_create(
            [User(email=f"a{n}@{DOMAIN}", password="!") for n in range(start, stop)]
        )
        applications = Application.objects.bulk_create(
            [
                Application(
                    round=round,
                    applicant=a,
                    event=event,
                    origin_country=rng.choice(list(COUNTRY_WEIGHTS)),
                    passport_country="NG",
                    purpose="x",
                    give_back="y",
                    currency="USD",
                    status="submitted",
                    submitted_at=now,
                    requested_total=rng.randint(50_000, 400_000),
                    verdict="feasible",
                )
                for a in applicants
            ]
        )
        CostItem.objects.bulk_create(
            [
                CostItem(application=a, category="flight", amount=a.requested_total, currency="USD")
                for a in applications
            ]
        )
        Review.objects.bulk_create(
            [
                Review(
                    application=a, reviewer=r, weighted_score=rng.uniform(1, 5), submitted_at=now
                )
                for a in applications
                for r in reviewers
            ]
        )
    return total - existing


def fill(*, members, posts, applications, seed=1):
    return {
        "members": fill_members(members, seed),
        "posts": fill_posts(posts, seed),
        "applications": fill_applications(applications, seed),
    }


def user(handle):
    """A signed-in bench account: "viewer" (a member), "reviewer" (reviews the bench round)."""
    from django.contrib.auth.models import Group

    from bpd.members.models import Profile, User

    account, created = User.objects.get_or_create(email=f"{handle}@{DOMAIN}")
    if created:
        Profile.objects.create(
            user=account, display_name=handle.title(), onboarded_at=timezone.now()
        )
        account.groups.add(Group.objects.get_or_create(name="member")[0])
        if handle == "reviewer":
            account.groups.add(Group.objects.get_or_create(name="reviewer")[0])
    return account


def signed_in_paths():
    bench_round()
    return [
        ("/members/directory/", "viewer"),
        ("/members/directory/?country=NG", "viewer"),
        ("/fund/bench-round/committee/", "reviewer"),
    ]
