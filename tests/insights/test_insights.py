"""The insights as members, visitors and staff meet them: who is counted, what the pages
and downloads show, the daily job, a region counted again, money equal to the ledger's
own reports, page weight and query counts."""

import csv
import datetime as dt
import gzip
import io
import json
import re

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from bpd.background import jobs
from bpd.insights import figures, services
from bpd.insights.models import Snapshot
from bpd.insights.suppression import SHOWN
from bpd.ledger import selectors as ledger_selectors
from bpd.ledger.models import Entry, Pool
from bpd.members.roles import Role
from bpd.members.services import delete_account
from tests.factories import ProfileFactory, UserFactory
from tests.queries import get_with_queries
from tests.website.test_page_weight import BUDGET, css_bytes


def members(country, count, **fields):
    return [ProfileFactory(country=country, **fields) for _ in range(count)]


STATES = {"shown", "small", "hidden", "none"}


def public_numbers(data):
    """Every number the public publication shows (not the settings k and base)."""
    found = []

    def walk(value, key=""):
        if isinstance(value, dict):
            for name, inner in value.items():
                if name not in {"k", "base", "id", "computed_at"}:
                    walk(inner, name)
        elif isinstance(value, list):
            if len(value) == 2 and isinstance(value[0], str) and value[0] in STATES:
                if value[0] == SHOWN:
                    found.append(value[1])
                else:
                    assert value[1] is None
            else:
                for inner in value:
                    walk(inner, key)

    walk(data)
    return found


@pytest.mark.django_db
def test_countries_below_ten_are_fewer_than_ten_and_counts_are_rounded():
    members("NG", 23)
    members("GH", 12)
    members("KE", 3)
    snapshot = services.refresh()

    countries = snapshot.public["places"]["countries"]
    assert countries["NG"] == ["shown", 25]  # 23 rounded to 5
    assert countries["GH"] == ["shown", 10]
    assert countries["KE"] == ["small", None]
    assert "ZA" not in countries
    assert all(number >= 10 and number % 5 == 0 for number in public_numbers(snapshot.public))
    assert snapshot.raw["members"] == {"NG": 23, "GH": 12, "KE": 3}


@pytest.mark.django_db
def test_members_who_opted_out_or_left_or_have_not_joined_are_not_counted():
    members("NG", 12)
    members("NG", 4, left_out_of_statistics=True)
    members("NG", 3, onboarded_at=None)
    inactive = members("NG", 2)
    for profile in inactive:
        profile.user.is_active = False
        profile.user.save()

    raw = figures.compute()

    assert raw["members"] == {"NG": 12}
    assert sum(raw["skill_levels"].values()) == 12
    assert raw["languages"] == {"en": 12, "ha": 12}


@pytest.mark.django_db
def test_a_deleted_member_leaves_no_trace_in_figures_computed_after():
    kept = members("GH", 10)
    leaving = ProfileFactory(country="GH", city=None)
    before = services.refresh()
    assert before.raw["members"] == {"GH": 11}

    delete_account(user=leaving.user)
    after = services.refresh()

    assert after.raw["members"] == {"GH": 10}
    assert after.raw["growth"]["before"].get("GH", 0) + sum(
        month.get("GH", 0) for month in after.raw["growth"]["months"].values()
    ) == len(kept)


@pytest.mark.django_db
def test_the_privacy_section_lets_a_member_leave_statistics(client):
    profile = ProfileFactory()
    client.force_login(profile.user)
    url = reverse("members:edit_profile_privacy")
    page = client.get(url)
    assert "Leave me out of statistics" in page.text

    form = page.context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and value is not False
    }
    data["left_out_of_statistics"] = "on"
    response = client.post(url, data)

    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.left_out_of_statistics
    assert figures.compute()["members"] == {}


@pytest.mark.django_db
def test_the_privacy_page_says_how_to_opt_out(client, site_content):
    text = client.get("/privacy/").text
    assert "Leave me out of statistics" in text


@pytest.mark.django_db
def test_growth_is_per_region_and_rounded_never_per_country():
    now = timezone.now()
    for days in (400, 100, 40, 10):
        for profile in members("NG", 6):
            profile.user.date_joined = now - dt.timedelta(days=days)
            profile.user.save()
    snapshot = services.refresh(now=now)

    growth = snapshot.public["growth"]
    assert set(growth["regions"]) == {"002", "019", "142", "150", "009"}
    assert len(growth["months"]) == figures.GROWTH_MONTHS
    assert growth["world"][-1] == ["shown", 25]  # 24 members
    assert all(cell[0] != SHOWN or cell[1] % 5 == 0 for cell in growth["regions"]["002"])
    assert "NG" not in json.dumps(growth)


@pytest.mark.django_db
def test_a_city_is_shown_only_when_it_and_the_rest_of_its_country_pass_the_threshold(city):
    members("NG", 12, city=city)
    members("NG", 3)
    snapshot = services.refresh()
    assert snapshot.public["cities"] == []  # the rest of Nigeria would be 3

    members("NG", 9)
    snapshot = services.refresh()
    assert snapshot.public["cities"] == [
        {"name": city.name, "country": "NG", "cell": ["shown", 10]}
    ]


@pytest.fixture
def city():
    from tests.factories import CityFactory

    return CityFactory(name="Kano")


def _pool(programme, key, year=2026, currency="USD"):
    return Pool.objects.create(
        programme=programme, key=key, name=key, year=year, currency=currency, budget=10**9
    )


def _entry(pool, kind, amount, country, reverses=None, days_ago=10):
    from bpd.members import regions

    return Entry.objects.create(
        pool=pool, programme=pool.programme, kind=kind, purpose="test", amount=amount,
        currency=pool.currency, rate=1, amount_in_pool_currency=amount, country=country,
        region=regions.region_code(country, "region"), source="test:1", reverses=reverses,
        occurred_on=timezone.localdate() - dt.timedelta(days=days_ago),
    )  # fmt: skip


@pytest.mark.django_db
def test_money_by_programme_equals_the_ledgers_own_reports():
    members("NG", 20)
    fund = _pool("fund", "fund.round:1")
    sponsorship = _pool("sponsorship", "sponsorship:2026")
    paid = _entry(fund, Entry.Kind.PAYMENT, 120_000, "NG")
    _entry(fund, Entry.Kind.PAYMENT, 50_000, "GH", days_ago=500)
    _entry(fund, Entry.Kind.REFUND, 20_000, "NG")
    _entry(fund, Entry.Kind.PAYMENT, 120_000, "NG", reverses=paid)  # a correction
    _entry(fund, Entry.Kind.PAYMENT, 110_000, "NG")
    _entry(sponsorship, Entry.Kind.PAYMENT, 45_000, "KE")
    _entry(sponsorship, Entry.Kind.COMMITMENT, 99_999, "KE")  # promised, not spent

    money = services.refresh().staff["money"]["USD"]

    rows = ledger_selectors.pool_rows(ledger_selectors.pools())
    ledger = {
        group.key: group.totals.net_paid for group in ledger_selectors.by_year_and_programme(rows)
    }
    assert {code: all_time for code, all_time, _recent in money["programmes"]} == ledger
    assert ledger == {"fund": 140_000, "sponsorship": 45_000}
    recent = {code: recent for code, _all, recent in money["programmes"]}
    assert recent == {"fund": 90_000, "sponsorship": 45_000}
    regions = {code: all_time for code, all_time, _r, _p in money["regions"]}
    assert regions == {"002": 185_000}
    # 20 members in Nigeria (shown as 20 to staff): 90,000 per 20 members = 4,500,000 per 1,000.
    assert money["countries"]["NG"] == [140_000 - 50_000, 90_000, 4_500_000]
    assert money["countries"]["KE"][2] is None  # Kenya's members are not shown: no ratio


@pytest.mark.django_db
def test_the_daily_job_is_registered_and_writes_the_day_s_figures():
    members("NG", 10)
    assert jobs.JOBS["insights.refresh"][1] == jobs.DAILY

    detail = jobs.JOBS["insights.refresh"][0]()

    assert "10" in detail
    assert Snapshot.objects.count() == 1


@pytest.mark.django_db
def test_counting_one_region_again_keeps_the_others_as_they_were():
    members("NG", 10)
    members("BR", 10)
    services.refresh()
    members("NG", 5)
    members("BR", 5)

    snapshot = services.refresh_region("002")

    assert snapshot.raw["members"] == {"NG": 15, "BR": 10}
    assert snapshot.scope == "002"
    with pytest.raises(ValueError, match="region"):
        services.refresh_region("NG")


@pytest.mark.django_db
def test_counting_a_region_again_counts_whom_the_daily_job_counts(city):
    members("NG", 7, city=city)
    members("NG", 3)
    members("GH", 6, city=None)
    members("NG", 2, city=city, left_out_of_statistics=True)
    members("NG", 2, city=city, onboarded_at=None)
    for profile in members("GH", 2):
        profile.user.is_active = False
        profile.user.save()

    fast = figures.members_in({"NG", "GH", "KE"}, min_city=5)
    full = figures.compute(min_city=5)

    assert fast["members"] == full["members"] == {"NG": 10, "GH": 6}
    assert fast["cities"] == full["cities"] == [[city.pk, city.name, "NG", 7]]


@pytest.mark.django_db
def test_old_snapshots_are_pruned():
    for _ in range(services.KEEP + 3):
        services.refresh()
    assert Snapshot.objects.count() == services.KEEP


@override_settings(INSIGHTS_MIN_GROUP=20, INSIGHTS_STAFF_MIN_GROUP=5)
@pytest.mark.django_db
def test_the_group_size_comes_from_the_settings():
    members("NG", 15)
    snapshot = services.refresh()
    assert snapshot.public["places"]["countries"]["NG"] == ["small", None]
    assert snapshot.staff["places"]["countries"]["NG"] == ["shown", 15]


# --- Pages ----------------------------------------------------------------------------


@pytest.fixture
def population(db):
    for country, count in (("NG", 40), ("GH", 22), ("KE", 12), ("ZA", 4), ("BR", 11), ("GB", 2)):
        members(country, count)
    return services.refresh()


@pytest.mark.django_db
def test_the_public_page_shows_regions_countries_and_the_rule(client, population):
    page = client.get(reverse("insights:public"))

    assert page.status_code == 200
    text = page.text
    assert "Africa</strong>: 80" in text  # 78 rounded
    assert "Nigeria" in text
    assert 'South Africa</td><td class="num">fewer than 10' in text
    assert 'src="/insights/map/members.svg"' in text
    assert "How we count" in text


@pytest.mark.django_db
def test_the_public_page_says_so_before_the_first_count(client):
    page = client.get(reverse("insights:public"))
    assert "have not been counted yet" in page.text
    assert client.get(reverse("insights:map")).status_code == 404


@pytest.mark.django_db
def test_the_public_page_is_in_the_readers_language(client, population):
    page = client.get("/fr/insights/")
    assert '<html lang="fr"' in page.text
    assert "Afrique" in page.text
    assert "moins de 10" in page.text


@pytest.mark.django_db
def test_the_map_keys_every_member_country_and_fits_its_budget(client, population):
    response = client.get(reverse("insights:map"))

    assert response["Content-Type"].startswith("image/svg+xml")
    assert "style-src 'unsafe-inline'" in response["Content-Security-Policy"]
    svg = response.content.decode()
    for code in ("NG", "GH", "KE", "ZA", "BR", "GB"):
        assert re.search(rf'data-c="{code}"[^>]*class="b\d"', svg) or re.search(
            rf'class="b\d"[^>]*data-c="{code}"', svg
        ), code
    assert "Nigeria: 40" in svg
    assert len(gzip.compress(response.content, 9)) <= 60 * 1024
    # Served again from the cache, with its own policy header still.
    again = client.get(reverse("insights:map"))
    assert again.content == response.content
    assert "style-src 'unsafe-inline'" in again["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_charts_are_svg_with_a_name(client, population):
    for name in ("growth", "skill-levels", "roles", "languages"):
        svg = client.get(reverse("insights:chart", args=[name])).content.decode()
        assert 'role="img"' in svg
        assert "<title" in svg
    assert client.get(reverse("insights:chart", args=["nope"])).status_code == 404


@pytest.mark.django_db
def test_every_public_table_downloads_as_csv_without_a_small_number(client, population):
    from bpd.insights.views import PUBLIC_TABLES

    for table in PUBLIC_TABLES:
        response = client.get(reverse("insights:csv", args=[table]))
        assert response.status_code == 200, table
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        for row in rows[1:]:
            if row[-1].isdigit():
                assert int(row[-1]) >= 10, (table, row)
    places = client.get(reverse("insights:csv", args=["places"])).content.decode()
    assert "002,011,NG,40" in places  # Africa, Western Africa, Nigeria
    assert "002,014,KE,10" in places
    assert "002,018,ZA,small" in places
    assert client.get(reverse("insights:csv", args=["money"])).status_code == 404


@pytest.mark.django_db
def test_the_json_has_every_public_table_and_no_exact_figures(client, population):
    data = client.get(reverse("insights:data")).json()

    assert data["k"] == 10
    assert {"places", "growth", "skill_levels", "roles", "languages", "cities"} <= set(data)
    assert "raw" not in data
    assert "money" not in data
    assert all(number >= 10 for number in public_numbers(data))


@pytest.mark.django_db
def test_the_staff_page_shows_money_and_where_to_invest_next(client, population):
    treasurer = UserFactory(roles=[Role.TREASURER])
    fund = _pool("fund", "fund.round:1")
    _entry(fund, Entry.Kind.PAYMENT, 250_000, "NG")
    services.refresh()
    client.force_login(treasurer)

    page = client.get(reverse("insights:staff"))

    assert page.status_code == 200
    assert "Where to invest next (USD)" in page.text
    assert "$2,500.00" in page.text
    assert "Western Africa" in page.text
    money_map = client.get(reverse("insights:staff_map", args=["money"]) + "?currency=USD")
    assert money_map.status_code == 200
    assert (
        client.get(reverse("insights:staff_map", args=["money"]) + "?currency=EUR").status_code
        == 404
    )
    money_csv = client.get(reverse("insights:staff_csv", args=["money"])).content.decode()
    assert "country,NG,USD,250000,250000" in money_csv


@pytest.mark.django_db
def test_staff_count_a_region_again_from_their_page(client, population):
    executor = UserFactory(roles=[Role.EXECUTOR])
    client.force_login(executor)
    members("NG", 5)

    response = client.post(reverse("insights:refresh"), {"region": "002"}, follow=True)

    assert "Africa was counted again just now." in response.text
    assert Snapshot.objects.latest().raw["members"]["NG"] == 45
    refused = client.post(reverse("insights:refresh"), {"region": "nowhere"}, follow=True)
    assert "Choose a region to count again." in refused.text


@pytest.mark.django_db
def test_members_and_visitors_cannot_open_the_staff_page(client, population):
    assert client.get(reverse("insights:staff")).status_code == 302
    client.force_login(UserFactory())
    assert client.get(reverse("insights:staff")).status_code == 403
    assert client.get(reverse("insights:staff_csv", args=["money"])).status_code == 403


@pytest.mark.django_db
def test_the_hub_card_is_for_the_treasurer_and_executors(client, population):
    client.force_login(ProfileFactory(user__roles=[Role.TREASURER]).user)
    assert reverse("insights:staff") in client.get(reverse("members:home")).text
    client.force_login(ProfileFactory().user)
    assert reverse("insights:staff") not in client.get(reverse("members:home")).text


@pytest.mark.django_db
def test_the_footer_links_to_the_public_page(client, site_content):
    assert reverse("insights:public") in client.get("/").text


def _world(countries):
    """Members in `countries` countries of several regions, 10 to 60 each."""
    from bpd.members import regions

    codes = [code for code in sorted(regions._table()) if regions.region_code(code, "region")]
    for index, code in enumerate(codes[:countries]):
        members(code, 10 + index % 50)


def _queries(client, url, user=None):
    """Queries of the first reader after the figures changed (a new snapshot is new
    content: the page and snapshot caches start again)."""
    client.logout()
    if user is not None:
        client.force_login(user)
    _response, queries = get_with_queries(client, url)
    return len(queries)


@pytest.mark.django_db
def test_the_pages_cost_the_same_queries_at_five_and_sixty_countries(client):
    """The pages read the day's snapshot: no query per country, region or table."""
    executor = UserFactory(roles=[Role.EXECUTOR])
    _world(5)
    services.refresh()
    _queries(client, reverse("insights:public"))
    _queries(client, reverse("insights:staff"), executor)
    services.refresh()
    small = [_queries(client, reverse("insights:public")),
             _queries(client, reverse("insights:staff"), executor)]  # fmt: skip
    _world(60)
    services.refresh()
    large = [_queries(client, reverse("insights:public")),
             _queries(client, reverse("insights:staff"), executor)]  # fmt: skip

    assert small == large
    assert large[0] <= 12, large  # 1 for the figures; the rest is the layout, once per version


@pytest.mark.django_db
def test_the_public_page_fits_the_budget_with_members_in_sixty_countries(client, site_content):
    _world(60)
    services.refresh()
    for language in ("en", "fr", "ha"):
        response = client.get("/insights/" if language == "en" else f"/{language}/insights/")
        size = len(gzip.compress(response.content)) + len(gzip.compress(css_bytes()))
        assert size <= BUDGET, (language, size)


@pytest.mark.django_db
def test_the_public_page_is_in_the_sitemap_in_every_language(client):
    text = client.get("/sitemap.xml").text
    for prefix in ("", "/fr", "/ha", "/sw", "/es", "/pt"):
        assert f"{prefix}/insights/</loc>" in text


@pytest.mark.django_db
def test_money_equals_the_funds_and_sponsorships_own_reports_on_the_demo():
    """The demo's Fund rounds and sponsorships, paid through their own services: what the
    insights count per programme and country is what the Fund's report (from its own
    records, not the ledger) and the completed sponsorships page say."""
    from django.core.management import call_command

    from bpd.communities import sponsorship_selectors
    from bpd.communities.demo import create_demo_communities
    from bpd.communities.demo_sponsorship import create_demo_sponsorship
    from bpd.fund import selectors as fund_selectors
    from bpd.fund.demo import create_demo_fund
    from bpd.fund.models import Round
    from bpd.members.demo import create_demo_members

    call_command("load_gazetteer", verbosity=0)  # the demo communities' cities
    create_demo_members()
    assert create_demo_fund() > 0
    create_demo_communities()
    assert create_demo_sponsorship() > 0

    raw = services.refresh().raw["money"]

    fund_by_country = {}
    for programme, currency, _region, country, all_time, _recent in raw:
        if programme == "fund":
            assert currency == "USD"
            fund_by_country[country] = fund_by_country.get(country, 0) + all_time
    records = {}
    for round_ in Round.objects.all():
        for row in fund_selectors.report_money_from_records(round_)["by_country"]:
            if row["spent"]:
                records[row["code"]] = records.get(row["code"], 0) + row["spent"]
    assert fund_by_country == records
    assert sum(records.values()) > 0
    sponsorship = sum(row[4] for row in raw if row[0] == "sponsorship")
    completed = sum(
        sponsorship_selectors.sponsored(year, "USD").amount
        for year in sponsorship_selectors.sponsored_years()
    )
    assert sponsorship == completed > 0
