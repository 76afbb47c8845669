"""The sponsorship rules at their edges: the boundary day, the last unit of every cap and
of the pools, hard and soft flags, the numbers in words, and what the figures count."""

import dataclasses
import datetime as dt

import pytest
from django.utils import translation

from bpd.communities import policy as rules
from bpd.communities import sponsorship as services
from bpd.communities.models import Policy, RegionPool, SponsorshipRequest
from bpd.ledger import services as ledger
from bpd.ledger.models import Entry
from tests.communities.sponsorship_factories import (
    SponsoredCommunityFactory,
    SponsorshipRequestFactory,
)

TODAY = dt.date(2027, 3, 1)
S = SponsorshipRequest.Status


def policy(**changes):
    """The default policy (unsaved): 42 days, USD 1,500 an event, USD 10 an attendee,
    USD 100 a ticket, USD 3,000 a community a year, a pool of USD 20,000."""
    return Policy(version=1, **changes)


def figures(**changes):
    values = {"year": 2027, "community_year": 0, "pool_budget": 2_000_000, "pool_committed": 0}
    return rules.Figures(**values | changes)


def data(**changes):
    values = {
        "starts_on": TODAY + dt.timedelta(days=90), "amount": 50_000, "expected_attendance": 100,
        "tickets_requested": 10, "country": "GH",
    }  # fmt: skip
    return values | changes


def by_rule(checks):
    return {check.rule: check for check in checks}


def evaluate(request=None, *, policy_=None, figures_=None):
    return by_rule(
        rules.evaluate(
            request or data(),
            policy=policy_ or policy(),
            figures=figures_ or figures(),
            today=TODAY,
        )
    )


def test_a_request_within_every_rule_passes_them_all():
    checks = evaluate()
    assert all(check.ok for check in checks.values())
    assert list(checks) == [
        "lead_time", "per_event", "per_attendee", "per_ticket", "per_community", "pool",
    ]  # fmt: skip


# The boundary day ------------------------------------------------------------------------


def test_lead_time_of_exactly_the_minimum_passes():
    checks = evaluate(data(starts_on=TODAY + dt.timedelta(days=42)))
    assert checks["lead_time"].ok
    assert checks["lead_time"].value == 42


def test_lead_time_one_day_short_fails():
    checks = evaluate(data(starts_on=TODAY + dt.timedelta(days=41)))
    assert not checks["lead_time"].ok
    assert checks["lead_time"].hard  # the default: a hard rule


def test_an_event_before_today_fails_the_lead_time_and_says_so():
    checks = evaluate(data(starts_on=TODAY - dt.timedelta(days=1)))
    assert not checks["lead_time"].ok
    with translation.override("en"):
        assert "before today" in rules.from_stored([checks["lead_time"].stored()])[0].message


# The last unit of each cap ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "at_limit", "one_over"),
    [
        # most per event: USD 1,500
        ("per_event", data(amount=150_000, expected_attendance=150, tickets_requested=15),
         data(amount=150_001, expected_attendance=150, tickets_requested=16)),
        # USD 10 for each of 100 expected attendees
        ("per_attendee", data(amount=100_000, tickets_requested=10),
         data(amount=100_001, tickets_requested=11)),
        # USD 100 for each of 10 tickets
        ("per_ticket", data(amount=100_000, expected_attendance=200),
         data(amount=100_001, expected_attendance=200)),
    ],
)  # fmt: skip
def test_each_cap_allows_its_last_unit_and_not_one_more(rule, at_limit, one_over):
    assert evaluate(at_limit)[rule].ok
    assert not evaluate(one_over)[rule].ok


def test_per_ticket_is_the_amount_divided_by_the_tickets():
    # USD 1,000 for 10 tickets is USD 100 each: the limit exactly; for 9 tickets it is over.
    assert evaluate(data(amount=100_000, expected_attendance=200))["per_ticket"].ok
    over = evaluate(data(amount=100_000, expected_attendance=200, tickets_requested=9))
    assert not over["per_ticket"].ok


def test_no_tickets_fails_the_per_ticket_rule():
    assert not evaluate(data(tickets_requested=0))["per_ticket"].ok


def test_community_year_counts_what_was_received_and_this_request():
    limit = 300_000
    at = evaluate(data(amount=50_000), figures_=figures(community_year=limit - 50_000))
    over = evaluate(data(amount=50_000), figures_=figures(community_year=limit - 49_999))
    assert at["per_community"].ok
    assert not over["per_community"].ok
    assert over["per_community"].value == limit + 1


def test_the_pool_allows_its_last_unit_and_is_always_hard():
    at = evaluate(figures_=figures(pool_committed=2_000_000 - 50_000))
    over = evaluate(figures_=figures(pool_committed=2_000_000 - 49_999))
    assert at["pool"].ok
    assert not over["pool"].ok
    assert over["pool"].hard
    assert not over["pool"].overridable


def test_the_region_share_allows_its_last_unit_and_is_always_hard():
    share = figures(region="002", region_budget=500_000)
    at = evaluate(figures_=dataclasses.replace(share, region_committed=450_000))
    over = evaluate(figures_=dataclasses.replace(share, region_committed=450_001))
    assert at["region_pool"].ok
    assert not over["region_pool"].ok
    assert over["region_pool"].hard


def test_a_region_without_a_share_has_no_region_check():
    assert "region_pool" not in evaluate()


# Hard and soft ---------------------------------------------------------------------------


def test_hard_flags_come_from_the_policy():
    loose = policy(lead_time_hard=False, per_event_hard=False)
    strict = policy(per_attendee_hard=True, per_ticket_hard=True, per_community_hard=True)
    short = data(starts_on=TODAY + dt.timedelta(days=1))
    assert not evaluate(short, policy_=loose)["lead_time"].hard
    checks = evaluate(policy_=strict)
    assert checks["per_attendee"].hard
    assert checks["per_ticket"].hard
    assert checks["per_community"].hard


def test_hard_and_soft_failures_are_told_apart():
    checks = rules.evaluate(
        data(starts_on=TODAY + dt.timedelta(days=1), amount=120_000, tickets_requested=12),
        policy=policy(),
        figures=figures(),
        today=TODAY,
    )
    assert [c.rule for c in rules.hard_failures(checks)] == ["lead_time"]
    assert [c.rule for c in rules.soft_failures(checks)] == ["per_attendee"]


# In words --------------------------------------------------------------------------------


def test_messages_carry_the_numbers_in_words():
    with translation.override("en"):
        checks = evaluate(
            data(starts_on=TODAY + dt.timedelta(days=61), amount=40_000, tickets_requested=8),
            policy_=policy(max_per_community_year=100_000),
            figures_=figures(community_year=60_000),
        )
        assert checks["lead_time"].message == "Lead time: 61 days, minimum 42 — ok"
        assert checks["per_community"].message == (
            "In 2027 your community has received USD 600 of USD 1,000; "
            "with this request USD 1,000 — ok"
        )
        assert checks["per_ticket"].message == (
            "Per ticket: USD 400 for 8 tickets is USD 50 each, most USD 100 each — ok"
        )
        assert rules.words(1250, "USD") == "USD 12.50"


def test_stored_checks_are_written_again_in_the_readers_language():
    stored = [check.stored() for check in evaluate().values()]
    with translation.override("fr"):
        again = rules.from_stored(stored)
    assert [c.rule for c in again] == [row["rule"] for row in stored]
    assert "1\u202f500" in again[1].message or "1 500" in again[1].message  # French digits


def test_a_stored_row_the_code_cannot_read_is_left_out():
    assert rules.from_stored([{"rule": "lead_time"}, {"nonsense": 1}]) == []


# Figures from the database ---------------------------------------------------------------


@pytest.mark.django_db
def test_community_year_counts_approved_or_later_in_the_events_year_only():
    community = SponsoredCommunityFactory()
    year = TODAY.year + 1
    day = dt.date(year, 6, 1)
    for status, amount, approved in (
        (S.APPROVED, 10_000, 8_000),
        (S.PAID, 20_000, None),
        (S.COMPLETED, 5_000, 5_000),
        (S.SUBMITTED, 99_000, None),  # not yet approved
        (S.DECLINED, 99_000, None),
        (S.CANCELLED, 99_000, 99_000),
    ):
        SponsorshipRequestFactory(
            community=community, status=status, amount=amount, amount_approved=approved,
            starts_on=day, ends_on=day,
        )  # fmt: skip
    next_year = dt.date(year + 1, 1, 1)
    SponsorshipRequestFactory(
        community=community, status=S.APPROVED, amount_approved=7_000, starts_on=next_year,
        ends_on=next_year,
    )  # fmt: skip
    SponsorshipRequestFactory(status=S.APPROVED, amount_approved=7_000, starts_on=day, ends_on=day)
    found = rules.read_figures(policy=policy(), community=community, year=year, country="GH")
    assert found.community_year == 8_000 + 20_000 + 5_000


@pytest.mark.django_db
def test_pool_figures_come_from_the_ledger_and_leave_the_request_itself_out():
    saved = Policy.objects.create(version=1)
    RegionPool.objects.create(policy=saved, region="002", amount=300_000)
    community = SponsoredCommunityFactory()
    request = SponsorshipRequestFactory(community=community, status=S.APPROVED)
    pool = services.year_pool(request.starts_on.year, saved)
    for source, country, amount in (
        (rules.source_of(request), "GH", 40_000),
        ("communities.request:999999", "KE", 25_000),
        ("communities.request:999998", "BR", 10_000),
    ):
        ledger.record(
            pool=pool, kind=Entry.Kind.COMMITMENT, purpose="t", amount=amount, currency="USD",
            source=source, country=country,
        )  # fmt: skip
    everyone = rules.read_figures(policy=saved, community=community, year=pool.year, country="GH")
    assert everyone.pool_committed == 75_000
    assert everyone.region == "002"
    assert everyone.region_budget == 300_000
    assert everyone.region_committed == 65_000  # Ghana and Kenya: Africa
    without = rules.read_figures(
        policy=saved, community=community, year=pool.year, country="GH", exclude=request
    )
    assert without.pool_committed == 35_000
    assert without.region_committed == 25_000


@pytest.mark.django_db
def test_before_any_commitment_the_pool_is_the_policys():
    found = rules.read_figures(
        policy=policy(pool_total=123_400),
        community=SponsoredCommunityFactory(),
        year=2031,
        country="GH",
    )
    assert (found.pool_budget, found.pool_committed) == (123_400, 0)
