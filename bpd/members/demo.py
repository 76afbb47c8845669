"""Demo members: hundreds of realistic profiles across many countries, every role and
every visibility setting. Deterministic for a given seed. Development and benchmarks only."""

import datetime as dt
import random

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from bpd.members import choices
from bpd.members.models import City, Profile, Skill, User
from bpd.members.roles import Role
from bpd.members.visibility import Visibility

DEMO_DOMAIN = "demo.blackpythondevs.test"
# Where members are concentrated, roughly; weights, not data.
COUNTRY_WEIGHTS = {
    "NG": 20, "KE": 12, "GH": 8, "US": 14, "ZA": 6, "UG": 5, "GB": 5, "TZ": 4, "RW": 3,
    "CM": 3, "ET": 3, "BR": 3, "CA": 3, "FR": 2, "SN": 2, "ZW": 2, "ZM": 2, "CI": 2, "JM": 2,
    "TT": 1, "MW": 1, "CD": 1, "BJ": 1, "TG": 1, "MZ": 1, "EG": 1, "DE": 1, "NL": 1,
}  # fmt: skip
FIRST = ["Ada", "Kwame", "Amara", "Chinedu", "Wanjiru", "Tendai", "Imani", "Kofi", "Zainab",
         "Jabari", "Nia", "Oluwaseun", "Aisha", "Malik", "Thandiwe", "Baraka", "Fatou", "Jamal",
         "Makena", "Emeka", "Abena", "Tariq", "Zuri", "Sekou", "Ngozi", "Lerato", "Musa", "Keisha"]  # fmt: skip
LAST = ["Okafor", "Mensah", "Kamau", "Diallo", "Mwangi", "Adeyemi", "Banda", "Owusu", "Ndlovu",
        "Johnson", "Achieng", "Traoré", "Bello", "Moyo", "Williams", "Nkosi", "Osei", "Kiptoo",
        "Danso", "Abubakar", "Mutua", "Sow", "Phiri", "Eze", "Baptiste", "Campbell"]  # fmt: skip
SKILLS = ["Django", "Flask", "FastAPI", "pandas", "NumPy", "PyTorch", "scikit-learn", "SQL",
          "PostgreSQL", "Docker", "Kubernetes", "AWS", "testing", "teaching", "data visualisation",
          "Jupyter", "async", "security", "APIs", "open source"]  # fmt: skip
ROLE_ACCOUNTS = [
    Role.MEMBER,
    Role.LEADER,
    Role.REVIEWER,
    Role.TREASURER,
    Role.EXECUTOR,
    Role.PARTNER,
]


def demo_email(name):
    return f"demo-{name}@{DEMO_DOMAIN}"


def create_demo_members(count=300, seed=2024):
    """Create the role accounts and `count` demo members (idempotent). Returns how many were new."""
    rng = random.Random(seed)
    cities_by_country = {}
    for city in (
        City.objects.filter(country__in=COUNTRY_WEIGHTS)
        .order_by("-population")
        .only("geonameid", "country", "timezone", "name")
    ):
        bucket = cities_by_country.setdefault(city.country, [])
        if len(bucket) < 12:
            bucket.append(city)
    countries = list(COUNTRY_WEIGHTS)
    weights = [COUNTRY_WEIGHTS[c] for c in countries]
    groups = {role: Group.objects.get_or_create(name=role.value)[0] for role in Role}
    skills = [
        Skill.objects.get_or_create(slug=s.lower().replace(" ", "-"), defaults={"name": s})[0]
        for s in SKILLS
    ]
    existing = set(
        User.objects.filter(email__endswith="@" + DEMO_DOMAIN).values_list("email", flat=True)
    )
    created = 0
    now = timezone.now()
    with transaction.atomic():
        people = [(role.value, role) for role in ROLE_ACCOUNTS]
        people += [(f"member{n:04d}", None) for n in range(count)]
        for handle, role in people:
            email = demo_email(handle)
            if email in existing:
                continue
            country = rng.choices(countries, weights)[0]
            city = (
                rng.choice(cities_by_country[country]) if cities_by_country.get(country) else None
            )
            user = User.objects.create_user(
                email,
                language=rng.choice(["en", "en", "ha", "sw", "fr", "pt", "es"]),
                code_of_conduct_accepted_at=now,
                identity_affirmed_at=now,
                date_joined=(joined := now - dt.timedelta(days=rng.randint(0, 900))),
                # Two in three signed in within the last year (insights count them as
                # active); worked out from the count so the random sequence stays as it was.
                last_login=max(joined, now - dt.timedelta(days=(created * 37) % 540)),
            )
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            user.groups.add(groups[Role.MEMBER])
            extra_role = role or (rng.choice(ROLE_ACCOUNTS[1:]) if rng.random() < 0.08 else None)
            if extra_role and extra_role != Role.MEMBER:
                user.groups.add(groups[extra_role])
                if extra_role == Role.EXECUTOR:
                    user.is_staff = True
                    user.save(update_fields=["is_staff"])
            first, last = rng.choice(FIRST), rng.choice(LAST)
            public_expert = rng.random() < 0.1
            profile = Profile.objects.create(
                user=user,
                display_name=f"{first} {last}"
                if not role
                else f"{first} {last} ({Role(role).label})",
                pronouns=rng.choice(["", "she/her", "he/him", "they/them"]),
                bio=f"Python developer from {city.name if city else country}. Demo profile.",
                country=country,
                city=city,
                time_zone=city.timezone if city else "",
                languages=rng.sample(
                    ["en", "fr", "pt", "sw", "ha", "yo", "ig", "am", "es"], k=rng.randint(1, 3)
                ),
                roles=rng.sample(
                    [code for code, _label in choices.TECH_ROLES], k=rng.randint(1, 3)
                ),
                skill_level=rng.choice(choices.SkillLevel.values),
                career_status=rng.choice(choices.CareerStatus.values),
                github=f"https://github.com/demo-{handle}" if rng.random() < 0.6 else "",
                in_expertise_directory=public_expert,
                expertise_kinds=rng.sample(["speaker", "writer", "maintainer", "mentor"], k=2)
                if public_expert
                else [],
                expertise_topics="Django, data pipelines, community building"
                if public_expert
                else "",
                name_visibility=Visibility.PUBLIC
                if public_expert
                else rng.choice(Visibility.values),
                location_visibility=rng.choice(Visibility.values),
                city_visibility=rng.choice(Visibility.values),
                about_visibility=rng.choice(Visibility.values),
                career_visibility=rng.choice(Visibility.values),
                links_visibility=rng.choice(Visibility.values),
                onboarded_at=now,
            )
            profile.skills.set(rng.sample(skills, k=rng.randint(1, 4)))
            created += 1
    return created
