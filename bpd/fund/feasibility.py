"""Database glue for the visa check: find the requirement and the appointment wait for
an application, run the pure `visa.assess`, and store the verdict on the application."""

import datetime as dt

from django.conf import settings

from bpd.fund import visa
from bpd.fund.models import VisaDataset, VisaRequirement, WaitTime, WaitTimeImport


def requirement(passport, destination):
    """(Requirement, as-of date of the dataset) for one passport and destination."""
    if passport and passport == destination:
        return visa.Requirement.NONE, None
    row = VisaRequirement.objects.filter(passport=passport, destination=destination).first()
    dataset = VisaDataset.objects.first()
    if row is None:
        return visa.Requirement.UNKNOWN, dataset.as_of if dataset else None
    return visa.Requirement(row.requirement), dataset.as_of if dataset else None


def appointment_wait(destination, post_country, post_city=""):
    """(wait days or None, closed, as-of) at the consulate of `destination` in `post_country`.

    Prefers the post in the traveller's own city, else the shortest wait in their country.
    Falls back to settings.FUND_DEFAULT_WAIT_DAYS (None means "unknown").
    """
    batch = WaitTimeImport.objects.filter(destination=destination).first()
    if batch is not None:
        waits = list(WaitTime.objects.filter(batch=batch, post_country=post_country))
        if waits:
            same_city = [
                w for w in waits if post_city and w.post.casefold() == post_city.casefold()
            ]
            chosen = same_city or waits
            open_waits = [w for w in chosen if not w.closed and w.wait_days is not None]
            if open_waits:
                return min(w.wait_days for w in open_waits), False, batch.as_of
            return None, True, batch.as_of
    return getattr(settings, "FUND_DEFAULT_WAIT_DAYS", None), False, None


def assess_application(application, today):
    return _assess(application, today)[0]


def _assess(application, today):
    """(Assessment, facts): the verdict, and what it was worked out from (for explaining it)."""
    event = application.event
    facts = {"missing": missing_facts(application)}
    if event is None or not application.passport_country:
        return visa.Assessment(visa.Verdict.UNKNOWN, visa.Requirement.UNKNOWN), facts
    need, requirement_as_of = requirement(application.passport_country, event.country)
    wait, closed, wait_as_of = None, False, None
    if need == visa.Requirement.REQUIRED:
        city = application.origin_city.name if application.origin_city_id else ""
        wait, closed, wait_as_of = appointment_wait(event.country, application.origin_country, city)
    dates = [d for d in (requirement_as_of, wait_as_of) if d]
    rules = visa.rules_for(event.country)
    facts.update(
        wait_days=wait,
        wait_as_of=_iso(wait_as_of),
        requirement_as_of=_iso(requirement_as_of),
        destination=event.country,
        passport=application.passport_country,
        origin=application.origin_country,
        schengen=event.country in visa.SCHENGEN,
        decision_days=rules.decision_days,
        decision_days_max=rules.decision_days_max,
        online_days=rules.online_days,
        online_days_max=rules.online_days_max,
    )
    result = visa.assess(
        requirement=need,
        travel_date=event.starts_on - dt.timedelta(days=1),
        today=today,
        wait_days=wait,
        post_closed=closed,
        data_as_of=min(dates) if dates else None,
        rules=rules,
    )
    return result, facts


def missing_facts(application):
    """What the applicant has not told us yet that the visa check needs."""
    missing = []
    if application.event_id is None:
        missing.append("event")
    if not application.passport_country:
        missing.append("passport")
    if not application.origin_country:
        missing.append("origin")
    return missing


def details(application, today):
    """The verdict and everything needed to explain it, as stored in `verdict_details`.
    A staff member's recorded check, if any, decides the verdict; the computed one stays
    in the details for comparison."""
    result, facts = _assess(application, today)
    return {
        "computed": result.verdict.value,
        "requirement": result.requirement.value,
        "latest_appointment_date": _iso(result.latest_appointment_date),
        "latest_decision_date": _iso(result.latest_decision_date),
        "expected_appointment_date": _iso(result.expected_appointment_date),
        "earliest_application_date": _iso(result.earliest_application_date),
        "data_as_of": _iso(result.data_as_of),
        "stale": result.stale,
        "reasons": list(result.reasons),
        **facts,
    }


def effective_verdict(application, computed):
    return application.visa_check_verdict or computed


def refresh(application, today):
    """Store the current verdict and its details on the application."""
    found = details(application, today)
    application.verdict = effective_verdict(application, found["computed"])
    application.verdict_details = found
    application.save(update_fields=["verdict", "verdict_details"])
    return found


def _iso(day):
    return day.isoformat() if day else None
