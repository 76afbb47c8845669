"""The Fund's part of "download my data" and "delete my account"."""

from bpd.fund.models import (
    Application,
    Booking,
    Conflict,
    OutOfPocket,
    Review,
    Round,
    TripReport,
)

MODELS = {
    "fund.Application": (
        "exported with estimates, decision, bookings, visa, trip report and out-of-pocket costs; "
        "on deletion everything the member wrote (purpose, plans, grant notes, trip report, "
        "out-of-pocket descriptions, travel details) is removed and amounts, dates and country "
        "stay for the Fund's accounts"
    ),
    "fund.Review": "a reviewer's scores and comments are exported; deleted with the account",
    "fund.Conflict": "declared conflicts and their reasons are exported; deleted with the account",
    "fund.Round": "the rounds a member reviews are exported; they leave the round on deletion",
    "fund.Decision": "who staged a decision is the Fund's record (in the audit log); cleared on "
    "deletion",
    "fund.WaitTimeImport": "who imported a table of wait times; cleared on deletion",
}


def _application(application):
    decision = getattr(application, "decision", None)
    released = decision if decision and decision.released_at else None
    report = getattr(application, "report", None)
    return {
        "round": application.round.name,
        "status": application.status,
        "event": application.event.name if application.event else None,
        "travelling_from": application.origin_city.name
        if application.origin_city
        else application.origin_country,
        "passport_country": application.passport_country,
        "purpose": application.purpose,
        "give_back": application.give_back,
        "event_grant": application.event_grant,
        "event_grant_notes": application.event_grant_notes,
        "estimates": [
            {"item": c.category, "amount_minor": c.amount, "currency": c.currency}
            for c in application.costs.all()
        ],
        "consent_at": application.consent_at,
        "submitted_at": application.submitted_at,
        "visa_check": {"verdict": application.verdict, **application.verdict_details},
        "decision": {
            "outcome": released.outcome,
            "message": released.reason,
            "items": [{"item": i.category, "amount_minor": i.amount} for i in released.items.all()],
        }
        if released
        else None,
        "bookings": [
            {
                "item": b.category,
                "vendor": b.vendor,
                "reference": b.reference,
                "details": b.description,
                "status": b.status,
            }
            for b in application.bookings.all()
        ],
        "visa": {
            "appointment_date": application.appointment_date,
            "decision": application.visa_decision,
        },
        "trip_report": {
            "summary": report.summary,
            "brought_back": report.brought_back,
            "people_reached": report.people_reached,
            "submitted_at": report.submitted_at,
        }
        if report
        else None,
        "out_of_pocket": [
            {
                "description": o.description,
                "amount_minor": o.amount,
                "currency": o.currency,
                "paid_back_at": o.settled_at,
            }
            for o in application.out_of_pocket.all()
        ],
    }


def collect(user):
    applications = (
        Application.objects.filter(applicant=user)
        .select_related("round", "event", "origin_city", "report", "decision")
        .prefetch_related("costs", "bookings", "decision__items", "out_of_pocket")
    )
    reviews = Review.objects.filter(reviewer=user).select_related("application__round")
    return {
        "applications": [_application(a) for a in applications],
        "reviews_written": [
            {
                "round": r.application.round.name,
                "application": r.application_id,
                "comment": r.comment,
                "weighted_score": r.weighted_score,
                "submitted_at": r.submitted_at,
                "scores": [
                    {"criterion": s.criterion.name, "value": s.value, "comment": s.comment}
                    for s in r.scores.select_related("criterion")
                ],
            }
            for r in reviews
        ],
        "conflicts_declared": [
            {"application": c.application_id, "reason": c.reason, "declared_at": c.declared_at}
            for c in Conflict.objects.filter(reviewer=user)
        ],
        "rounds_reviewing": list(
            Round.objects.filter(reviewers=user).values_list("name", flat=True)
        ),
    }


def forget(user, published_choice):
    """Remove what the member wrote; keep amounts, dates and country for the Fund's accounts."""
    applications = Application.objects.filter(applicant=user)
    count = applications.count()
    applications.update(
        purpose="", give_back="", event_grant_notes="", origin_city=None, passport_country=""
    )
    TripReport.objects.filter(application__in=applications).update(summary="", brought_back="")
    OutOfPocket.objects.filter(application__in=applications).update(description="")
    Booking.objects.filter(application__in=applications).update(description="")
    return count
