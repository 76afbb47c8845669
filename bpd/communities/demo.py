"""Demo local communities: five in five countries (PyData Accra led by the demo leader,
Python Lagos, Nairobi, Kingston and São Paulo), with descriptions, a translation, members
who joined or follow, one proposal waiting for the executors, and one or two events each
hosted by the community. Built through the communities' and events' services, so leaders,
roles, hosted events and the audit log are real. Development only; idempotent."""

import datetime as dt
import zoneinfo

from django.db.models import Q
from django.utils import timezone

from bpd.communities import services
from bpd.communities.models import Community, Membership
from bpd.events import recurrence
from bpd.events import services as events
from bpd.events.models import Event
from bpd.members.demo import demo_email
from bpd.members.models import City, User
from bpd.members.roles import Role

FIRST = "pydata-accra"

# (name, city, country, leader handle, language, description, translations)
COMMUNITIES = [
    (
        "PyData Accra", "Accra", "GH", Role.LEADER.value, "en",
        "PyData Accra brings together people who analyse data with Python in Accra: analysts, "
        "students, researchers and engineers. We meet once a month for two short talks and an "
        "hour of pairing, and run a workshop for beginners every quarter.",
        {"fr": "PyData Accra réunit chaque mois celles et ceux qui analysent des données avec "
               "Python à Accra : deux courtes présentations, puis une heure de travail en binôme."},
    ),
    (
        "Python Lagos", "Lagos", "NG", "member0010", "en",
        "Python developers in Lagos, from first script to production systems. Monthly meetups "
        "in Yaba, study groups on weekday evenings and a yearly sprint on open source projects.",
        {"ha": "Masu haɓaka Python a Legas: taro kowane wata, ƙungiyoyin karatu da yamma."},
    ),
    (
        "Python Nairobi", "Nairobi", "KE", "member0011", "sw",
        "Jumuiya ya watengenezaji wa Python jijini Nairobi. Tunakutana kila mwezi kwa mazungumzo "
        "mafupi, warsha za wanaoanza na miradi ya pamoja ya chanzo huria.",
        {"en": "Python developers in Nairobi: a monthly meetup with short talks, workshops for "
               "beginners and shared open source projects."},
    ),
    (
        "Python Kingston", "Kingston", "JM", "member0012", "en",
        "A small, friendly group of Python programmers in Kingston. We meet every other month to "
        "learn together, from web development to data science, and welcome every level.",
        {},
    ),
    (
        "Python São Paulo Negra", "São Paulo", "BR", "member0013", "pt",
        "Comunidade de pessoas negras que programam em Python em São Paulo. Encontros mensais, "
        "grupos de estudo e mentoria para quem está começando.",
        {"en": "Black Python developers in São Paulo: monthly meetups, study groups and "
               "mentoring for beginners."},
    ),
]  # fmt: skip
PROPOSAL = (
    "Python Kampala", "Kampala", "UG", Role.MEMBER.value, "en",
    "We want to start a Python meetup in Kampala for students and young developers, meeting "
    "at a university every month.",
)  # fmt: skip


def _city(name, country):
    return (
        City.objects.filter(Q(name=name) | Q(ascii_name__iexact=name), country=country)
        .order_by("-population")
        .first()
    )


def _user(handle):
    return User.objects.filter(email=demo_email(handle)).first()


def _event_data(community, number, now):
    """One or two in-person events on the community's clock, a few weeks apart."""
    city = community.city
    starts = dt.datetime.combine(
        (now + dt.timedelta(days=12 + 9 * number + 3 * len(community.name) % 7)).date(),
        dt.time(16),
        tzinfo=dt.UTC,
    )
    topics = ["Testing with pytest", "Data with pandas", "Your first Django site", "Async Python"]
    topic = topics[(number + len(community.name)) % len(topics)]
    return {
        "title": f"{topic} in {city.name} (demo)",
        "summary": f"An evening of short talks and pairing on {topic.lower()}.",
        "description": "Bring a laptop if you have one; we pair people up.",
        "language": community.language,
        "kind": Event.Kind.IN_PERSON,
        "venue": "Community hub",
        "address": city.name,
        "city": city,
        "time_zone": city.timezone or "UTC",
        "starts_at": starts,
        "duration_minutes": 150,
        "capacity": 40,
        # The second event of a community is a monthly series (its leaders see the dates).
        "rule": _monthly(starts, city.timezone or "UTC") if number else "",
    }


def _monthly(starts, zone):
    """Every month on the same weekday as `starts` on `zone`'s clock, six times."""
    first = starts.astimezone(zoneinfo.ZoneInfo(zone)).date()
    return recurrence.build_rule(repeats=recurrence.MONTHLY_WEEKDAY, first=first, count=6)


def create_demo_communities(now=None) -> int:
    """Create the demo communities once; returns how many were created (0 when they exist,
    or when the gazetteer or demo accounts are missing)."""
    if Community.objects.filter(slug=FIRST).exists():
        return 0
    executor = _user(Role.EXECUTOR.value)
    if executor is None:
        return 0
    now = now or timezone.now()
    people = list(User.objects.filter(email__startswith="demo-member0").order_by("email")[20:60])
    made = 0
    for number, (name, city_name, country, handle, language, text, texts) in enumerate(COMMUNITIES):
        city, leader = _city(city_name, country), _user(handle)
        if city is None or leader is None:
            continue
        data = {"name": name, "city": city, "language": language, "description": text}
        data["website"] = f"https://example.org/{name.lower().replace(' ', '-')}"
        data["links"] = "https://discord.gg/blackpythondevs"
        community = services.propose(by=leader, data=data)
        community = services.approve(community=community, by=executor, note="Welcome!")
        if texts:
            services.save_community(community=community, by=leader, data={}, texts=texts)
        for index, person in enumerate(people[number * 8 : number * 8 + 8]):
            kind = Membership.Kind.FOLLOWER if index % 4 == 3 else Membership.Kind.MEMBER
            services.join(community=community, user=person, kind=kind)
        for event_number in range(1 if number % 2 else 2):
            event = services.create_event(
                community=community, by=leader, data=_event_data(community, event_number, now)
            )
            events.publish_event(event=event, by=leader)
        made += 1
    member = _user(Role.MEMBER.value)
    accra = Community.objects.filter(slug=FIRST).first()
    if member is not None and accra is not None:
        services.join(community=accra, user=member)
    name, city_name, country, handle, language, text = PROPOSAL
    city, proposer = _city(city_name, country), _user(handle)
    if city is not None and proposer is not None:
        services.propose(
            by=proposer,
            data={"name": name, "city": city, "language": language, "description": text},
        )
        made += 1
    return made
