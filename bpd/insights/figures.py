"""Exact counts, straight from the database: the input to the rule in
`bpd.insights.suppression`, never shown as they are. Every count of people starts from
`counted_profiles()`, so a member who opted out, left or was deactivated is never
counted, and a deleted member is simply no longer there the next time this runs.

Each function is a handful of grouped queries whatever the number of members (checked at
1,000,000 members on PostgreSQL by bench/insights.py)."""

import datetime as dt

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from bpd.communities.models import TicketEntry
from bpd.events.models import Rsvp
from bpd.ledger.models import Entry
from bpd.ledger.services import net_by
from bpd.members.models import City, Profile, User

# A member is active if they signed in within this many days.
ACTIVE_DAYS = 365
# How far back the growth series goes.
GROWTH_MONTHS = 24
# Money "spent recently", for where to invest next.
RECENT_DAYS = 365


def counted_profiles():
    """Members the statistics count: active accounts that finished joining and did not
    ask to be left out."""
    return Profile.objects.listed().filter(left_out_of_statistics=False)


def _by(rows, *fields):
    return {
        tuple(row[field] for field in fields) if len(fields) > 1 else row[fields[0]]: row["n"]
        for row in rows.order_by().values(*fields).annotate(n=Count("pk"))
    }


def compute(*, now=None, min_city=5):
    """Every exact count, as plain data for a JSON field."""
    now = now or timezone.now()
    profiles = counted_profiles()
    active_since = now - dt.timedelta(days=ACTIVE_DAYS)
    members = _by(profiles, "country")
    active = _by(profiles.filter(user__last_login__gte=active_since), "country")
    # Cities below the staff threshold can never be shown: the database drops them.
    cities = [
        [row["city_id"], row["city__name"], row["country"], row["n"]]
        for row in profiles.filter(city__isnull=False)
        .order_by()
        .values("city_id", "city__name", "country")
        .annotate(n=Count("pk"))
        .filter(n__gte=min_city)
    ]
    first_month = _month_start(now, GROWTH_MONTHS - 1)
    joined = profiles.annotate(month=TruncMonth("user__date_joined", tzinfo=dt.UTC))
    before = _by(profiles.filter(user__date_joined__lt=first_month), "country")
    monthly = {}
    for (month, country), count in _by(
        joined.filter(user__date_joined__gte=first_month), "month", "country"
    ).items():
        monthly.setdefault(f"{month:%Y-%m}", {})[country] = count
    figures = {
        "computed_at": now.isoformat(),
        "members": members,
        "active": active,
        "cities": cities,
        "growth": {
            "before": before,
            "months": monthly,
            "first": f"{first_month:%Y-%m}",
            "last": f"{now:%Y-%m}",
        },
        "attendance": _people_by_country(
            Rsvp.objects.filter(attended=True, member__profile__in=profiles), "member"
        ),
        "tickets": _people_by_country(
            TicketEntry.objects.filter(
                status=TicketEntry.Status.CONFIRMED, user__profile__in=profiles
            ),
            "user",
        ),
    }
    figures |= _profile_lists(profiles)
    figures["money"] = money(now=now)
    return figures


def members_in(countries, *, min_city=5):
    """Members per country and per city in `countries`, counted from the
    `profile_counted` index alone (an index-only scan, fast enough to do while a staff
    member waits), less the few deactivated accounts there (the `user_inactive` index):
    {"members": {country: n}, "cities": [[city_id, name, country, n]]}. Who is counted is
    `counted_profiles()`, checked against it by tests/insights/test_insights.py."""
    base = Profile.objects.filter(
        onboarded_at__isnull=False, left_out_of_statistics=False, country__in=countries
    )
    # COUNT(*), not COUNT(id): the id is not in the index, and reading it would visit
    # every row of the table.
    counts = {
        (row["country"], row["city_id"]): row["n"]
        for row in base.order_by().values("country", "city_id").annotate(n=Count("*"))
    }
    inactive = list(User.objects.filter(is_active=False).values_list("pk", flat=True))
    if inactive:
        for key, n in _by(base.filter(user_id__in=inactive), "country", "city_id").items():
            counts[key] -= n
    members, by_city = {}, {}
    for (country, city_id), n in counts.items():
        if n:
            members[country] = members.get(country, 0) + n
        if city_id is not None and n >= min_city:
            by_city[city_id] = (country, n)
    names = dict(City.objects.filter(pk__in=by_city).values_list("pk", "name"))
    return {
        "members": members,
        "cities": [[pk, names[pk], country, n] for pk, (country, n) in by_city.items()],
    }


def _people_by_country(rows, person):
    """How many different people per country (of their profile) the rows are about."""
    return {
        row[f"{person}__profile__country"]: row["n"]
        for row in rows.order_by()
        .values(f"{person}__profile__country")
        .annotate(n=Count(person, distinct=True))
    }


def _profile_lists(profiles):
    """Skill levels (one each), roles and languages (several each)."""
    levels = _by(profiles, "skill_level")
    roles, languages = {}, {}
    # Lists stored as ",a,b,": counted in Python over one narrow column pair.
    for role_list, language_list in (
        profiles.order_by().values_list("roles", "languages").iterator(chunk_size=20000)
    ):
        for code in role_list:
            roles[code] = roles.get(code, 0) + 1
        for code in language_list:
            languages[code] = languages.get(code, 0) + 1
    return {"skill_levels": levels, "roles": roles, "languages": languages}


def money(*, now=None):
    """Net payments (payments less refunds; reversals subtracted) per programme, the
    pool's currency and the country and region of the members served: all time and in
    the last RECENT_DAYS. [[programme, currency, region, country, all, recent], …]"""
    now = now or timezone.now()
    since = (now - dt.timedelta(days=RECENT_DAYS)).date()
    kinds = Q(kind__in=[Entry.Kind.PAYMENT, Entry.Kind.REFUND])
    fields = ("programme", "pool__currency", "region", "country")
    totals = {}
    for scope, entries in (
        ("all", Entry.objects.filter(kinds)),
        ("recent", Entry.objects.filter(kinds, occurred_on__gte=since)),
    ):
        for (*key, kind), amount in net_by(entries, *fields).items():
            row = totals.setdefault(tuple(key), {"all": 0, "recent": 0})
            row[scope] += amount if kind == Entry.Kind.PAYMENT else -amount
    return [[*key, row["all"], row["recent"]] for key, row in sorted(totals.items())]


def merge(day, region, countries):
    """The day's figures with the members and cities of `countries` replaced by
    `region` (`members_in`); everything else stays as the day's run counted it."""
    merged = {**day}
    kept = {c: n for c, n in day.get("members", {}).items() if c not in countries}
    merged["members"] = kept | region["members"]
    cities = [row for row in day.get("cities", []) if row[2] not in countries]
    merged["cities"] = cities + region["cities"]
    merged["refreshed_at"] = timezone.now().isoformat()
    return merged


def _month_start(now, months_back):
    year, month = now.year, now.month - months_back
    while month <= 0:
        month += 12
        year -= 1
    return dt.datetime(year, month, 1, tzinfo=dt.UTC)
