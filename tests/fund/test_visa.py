import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bpd.fund.visa import (
    VERDICT_ORDER,
    Requirement,
    Rules,
    Verdict,
    assess,
    requirement_from_dataset,
    rules_for,
)

TODAY = dt.date(2026, 11, 21)
RULES = Rules()


def rank(verdict):
    return VERDICT_ORDER.index(verdict)


@pytest.mark.parametrize(
    ("value", "requirement"),
    [
        ("90", Requirement.NONE),
        ("visa free", Requirement.NONE),
        ("-1", Requirement.NONE),
        ("eta", Requirement.ETA),
        ("e-visa", Requirement.EVISA),
        ("visa on arrival", Requirement.ON_ARRIVAL),
        ("visa required", Requirement.REQUIRED),
        ("no admission", Requirement.NO_ADMISSION),
        ("something new", Requirement.UNKNOWN),
    ],
)
def test_requirement_from_dataset(value, requirement):
    assert requirement_from_dataset(value) == requirement


def test_schengen_destination_uses_schengen_rules():
    assert rules_for("DE").earliest_apply_days == 180
    assert rules_for("DE").latest_apply_days == 15


def test_visa_free_trip_is_feasible():
    result = assess(
        requirement=Requirement.NONE, travel_date=TODAY + dt.timedelta(days=10), today=TODAY
    )

    assert result.verdict == Verdict.FEASIBLE


def test_no_admission_is_not_feasible():
    result = assess(
        requirement=Requirement.NO_ADMISSION,
        travel_date=TODAY + dt.timedelta(days=100),
        today=TODAY,
    )

    assert result.verdict == Verdict.NOT_FEASIBLE


def test_short_wait_far_ahead_is_feasible_with_dates():
    travel = TODAY + dt.timedelta(days=120)

    result = assess(
        requirement=Requirement.REQUIRED, travel_date=travel, today=TODAY, wait_days=20, rules=RULES
    )

    assert result.verdict == Verdict.FEASIBLE
    assert result.latest_decision_date == travel - dt.timedelta(days=2)
    # The safe appointment leaves the longest decision time (45 days) before the decision date.
    assert result.latest_appointment_date == travel - dt.timedelta(days=47)
    assert result.expected_appointment_date == TODAY + dt.timedelta(days=20)


def test_wait_that_leaves_only_the_normal_decision_time_is_at_risk():
    travel = TODAY + dt.timedelta(days=60)

    result = assess(requirement=Requirement.REQUIRED, travel_date=travel, today=TODAY, wait_days=30)

    assert result.verdict == Verdict.AT_RISK


def test_appointment_after_the_last_lodging_day_is_not_feasible():
    travel = TODAY + dt.timedelta(days=40)

    result = assess(requirement=Requirement.REQUIRED, travel_date=travel, today=TODAY, wait_days=30)

    assert result.verdict == Verdict.NOT_FEASIBLE


def test_closed_post_is_not_feasible():
    result = assess(
        requirement=Requirement.REQUIRED,
        travel_date=TODAY + dt.timedelta(days=200),
        today=TODAY,
        post_closed=True,
    )

    assert result.verdict == Verdict.NOT_FEASIBLE


def test_no_wait_data_is_unknown():
    result = assess(
        requirement=Requirement.REQUIRED, travel_date=TODAY + dt.timedelta(days=200), today=TODAY
    )

    assert result.verdict == Verdict.UNKNOWN


def test_appointment_expected_no_earlier_than_six_months_before_travel():
    travel = TODAY + dt.timedelta(days=300)

    result = assess(requirement=Requirement.REQUIRED, travel_date=travel, today=TODAY, wait_days=1)

    assert result.expected_appointment_date == travel - dt.timedelta(days=180)
    assert result.verdict == Verdict.FEASIBLE


def test_stale_data_is_flagged():
    result = assess(
        requirement=Requirement.REQUIRED,
        travel_date=TODAY + dt.timedelta(days=200),
        today=TODAY,
        wait_days=10,
        data_as_of=TODAY - dt.timedelta(days=61),
    )

    assert result.stale
    assert not assess(
        requirement=Requirement.REQUIRED,
        travel_date=TODAY + dt.timedelta(days=200),
        today=TODAY,
        wait_days=10,
        data_as_of=TODAY - dt.timedelta(days=60),
    ).stale


def test_evisa_needs_time_to_process():
    soon = assess(
        requirement=Requirement.EVISA, travel_date=TODAY + dt.timedelta(days=5), today=TODAY
    )
    later = assess(
        requirement=Requirement.EVISA, travel_date=TODAY + dt.timedelta(days=60), today=TODAY
    )

    assert soon.verdict == Verdict.NOT_FEASIBLE
    assert later.verdict == Verdict.FEASIBLE


def test_past_travel_date_is_not_feasible():
    result = assess(requirement=Requirement.NONE, travel_date=TODAY, today=TODAY)

    assert result.verdict == Verdict.NOT_FEASIBLE


days = st.integers(min_value=1, max_value=400)
waits = st.integers(min_value=0, max_value=400)
requirements = st.sampled_from(list(Requirement))


@given(travel=days, wait=waits, extra=st.integers(min_value=0, max_value=200))
def test_property_longer_wait_never_improves_verdict(travel, wait, extra):
    date = TODAY + dt.timedelta(days=travel)
    shorter = assess(
        requirement=Requirement.REQUIRED, travel_date=date, today=TODAY, wait_days=wait
    )
    longer = assess(
        requirement=Requirement.REQUIRED, travel_date=date, today=TODAY, wait_days=wait + extra
    )

    assert rank(longer.verdict) <= rank(shorter.verdict)


@given(
    travel=days, wait=waits, later=st.integers(min_value=0, max_value=200), requirement=requirements
)
def test_property_later_travel_never_worsens_verdict(travel, wait, later, requirement):
    early = assess(
        requirement=requirement,
        travel_date=TODAY + dt.timedelta(days=travel),
        today=TODAY,
        wait_days=wait,
    )
    late = assess(
        requirement=requirement,
        travel_date=TODAY + dt.timedelta(days=travel + later),
        today=TODAY,
        wait_days=wait,
    )

    assert rank(late.verdict) >= rank(early.verdict)


@given(travel=days, wait=waits)
def test_property_feasible_means_decision_in_time_even_at_the_slowest(travel, wait):
    date = TODAY + dt.timedelta(days=travel)
    result = assess(requirement=Requirement.REQUIRED, travel_date=date, today=TODAY, wait_days=wait)

    if result.verdict == Verdict.FEASIBLE:
        slowest = result.expected_appointment_date + dt.timedelta(days=RULES.decision_days_max)
        assert slowest <= result.latest_decision_date
        assert result.expected_appointment_date <= date - dt.timedelta(days=RULES.latest_apply_days)
    if result.verdict in {Verdict.FEASIBLE, Verdict.AT_RISK}:
        quickest = result.expected_appointment_date + dt.timedelta(days=RULES.decision_days)
        assert quickest <= result.latest_decision_date
        assert result.expected_appointment_date >= result.earliest_application_date


@given(travel=days, wait=waits, requirement=requirements)
def test_property_dates_are_in_order(travel, wait, requirement):
    date = TODAY + dt.timedelta(days=travel)
    result = assess(requirement=requirement, travel_date=date, today=TODAY, wait_days=wait)

    if result.latest_decision_date:
        assert result.latest_decision_date < date
    if result.latest_appointment_date:
        assert result.latest_appointment_date <= result.latest_decision_date
