"""Visa feasibility: can this person get a visa decision before the event?

Pure functions, no database: the callers pass in the requirement, the wait for
an appointment and the dates. Everything is in whole days.

Rules (Schengen's are the model; other destinations use the same shape with
their own numbers): an application may be lodged no earlier than
`earliest_apply_days` and no later than `latest_apply_days` before travel; a
decision takes `decision_days` normally and up to `decision_days_max`.
"""

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class Requirement(StrEnum):
    NONE = "none"  # visa-free, or travelling within one's own country
    ETA = "eta"
    EVISA = "evisa"
    ON_ARRIVAL = "on_arrival"
    REQUIRED = "required"
    NO_ADMISSION = "no_admission"
    UNKNOWN = "unknown"


class Verdict(StrEnum):
    FEASIBLE = "feasible"
    AT_RISK = "at_risk"
    NOT_FEASIBLE = "not_feasible"
    UNKNOWN = "unknown"


# Worst to best, for comparisons in tests and sorting.
VERDICT_ORDER = [Verdict.NOT_FEASIBLE, Verdict.AT_RISK, Verdict.UNKNOWN, Verdict.FEASIBLE]

SCHENGEN = frozenset(
    [
        "AT",
        "BE",
        "CH",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IS",
        "IT",
        "LI",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "NO",
        "PL",
        "PT",
        "SE",
        "SI",
        "SK",
        "BG",
        "RO",
    ]
)


@dataclass(frozen=True)
class Rules:
    earliest_apply_days: int = 180
    latest_apply_days: int = 15
    decision_days: int = 15
    decision_days_max: int = 45
    # The decision should arrive this many days before departure (time to travel).
    margin_days: int = 2
    online_days: int = 7  # e-visa processing
    online_days_max: int = 21
    stale_after_days: int = 60


SCHENGEN_RULES = Rules()


def rules_for(destination, default=Rules()):
    return SCHENGEN_RULES if destination in SCHENGEN else default


def requirement_from_dataset(value):
    """A `Requirement` from the passport-index dataset's value."""
    text = str(value).strip().lower()
    if text in {"-1", "visa free"} or text.isdigit():
        return Requirement.NONE
    return {
        "eta": Requirement.ETA,
        "e-visa": Requirement.EVISA,
        "visa on arrival": Requirement.ON_ARRIVAL,
        "visa required": Requirement.REQUIRED,
        "no admission": Requirement.NO_ADMISSION,
    }.get(text, Requirement.UNKNOWN)


@dataclass(frozen=True)
class Assessment:
    verdict: Verdict
    requirement: Requirement
    latest_decision_date: dt.date | None = None
    latest_appointment_date: dt.date | None = None  # latest date that is still safe
    expected_appointment_date: dt.date | None = None
    earliest_application_date: dt.date | None = None
    data_as_of: dt.date | None = None
    stale: bool = False
    reasons: tuple = field(default_factory=tuple)


def assess(
    *,
    requirement,
    travel_date,
    today,
    wait_days=None,
    post_closed=False,
    data_as_of=None,
    rules=Rules(),
):
    """The verdict and the dates that matter for one trip.

    `wait_days` is the wait for a consulate appointment (None: no data);
    `data_as_of` is the oldest as-of date of the data used.
    """
    stale = data_as_of is not None and (today - data_as_of).days > rules.stale_after_days
    common = {"requirement": requirement, "data_as_of": data_as_of, "stale": stale}
    latest_decision = travel_date - dt.timedelta(days=rules.margin_days)

    if travel_date <= today:
        return Assessment(Verdict.NOT_FEASIBLE, reasons=("travel_date_passed",), **common)
    if requirement in {Requirement.NONE, Requirement.ON_ARRIVAL}:
        return Assessment(Verdict.FEASIBLE, reasons=("no_visa_before_travel",), **common)
    if requirement == Requirement.NO_ADMISSION:
        return Assessment(Verdict.NOT_FEASIBLE, reasons=("no_admission",), **common)
    if requirement == Requirement.UNKNOWN:
        return Assessment(Verdict.UNKNOWN, reasons=("requirement_unknown",), **common)

    if requirement in {Requirement.ETA, Requirement.EVISA}:
        days_left = (latest_decision - today).days
        if days_left >= rules.online_days_max:
            verdict = Verdict.FEASIBLE
        elif days_left >= rules.online_days:
            verdict = Verdict.AT_RISK
        else:
            verdict = Verdict.NOT_FEASIBLE
        return Assessment(
            verdict,
            latest_decision_date=latest_decision,
            latest_appointment_date=latest_decision - dt.timedelta(days=rules.online_days_max),
            reasons=("apply_online",),
            **common,
        )

    # A consulate visa.
    earliest_application = travel_date - dt.timedelta(days=rules.earliest_apply_days)
    latest_lodging = travel_date - dt.timedelta(days=rules.latest_apply_days)
    latest_safe = min(latest_lodging, latest_decision - dt.timedelta(days=rules.decision_days_max))
    latest_possible = min(latest_lodging, latest_decision - dt.timedelta(days=rules.decision_days))
    dates = {
        "latest_decision_date": latest_decision,
        "latest_appointment_date": latest_safe,
        "earliest_application_date": earliest_application,
    }
    if post_closed:
        return Assessment(Verdict.NOT_FEASIBLE, reasons=("post_closed",), **dates, **common)
    if wait_days is None:
        return Assessment(Verdict.UNKNOWN, reasons=("no_wait_data",), **dates, **common)
    expected = max(today + dt.timedelta(days=wait_days), earliest_application)
    if expected <= latest_safe:
        verdict, reason = Verdict.FEASIBLE, "decision_in_time_even_if_slow"
    elif expected <= latest_possible:
        verdict, reason = Verdict.AT_RISK, "decision_in_time_only_if_quick"
    else:
        verdict, reason = Verdict.NOT_FEASIBLE, "appointment_too_late"
    return Assessment(
        verdict, expected_appointment_date=expected, reasons=(reason,), **dates, **common
    )
