"""The Fund's part of "download my data" and "delete my account"."""

from bpd.fund.models import Application


def collect(user):
    applications = (
        Application.objects.filter(applicant=user)
        .select_related("round", "event", "origin_city")
        .prefetch_related("costs", "bookings", "decision__items")
    )
    data = []
    for application in applications:
        decision = getattr(application, "decision", None)
        released = decision if decision and decision.released_at else None
        data.append(
            {
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
                    "items": [
                        {"item": i.category, "amount_minor": i.amount} for i in released.items.all()
                    ],
                }
                if released
                else None,
                "bookings": [
                    {
                        "item": b.category,
                        "vendor": b.vendor,
                        "reference": b.reference,
                        "status": b.status,
                    }
                    for b in application.bookings.all()
                ],
                "visa": {
                    "appointment_date": application.appointment_date,
                    "decision": application.visa_decision,
                },
            }
        )
    return data


def forget(user, published_choice):
    """Remove what the member wrote; keep amounts, dates and country for the Fund's accounts."""
    applications = Application.objects.filter(applicant=user)
    count = applications.count()
    applications.update(purpose="", give_back="", event_grant_notes="", origin_city=None)
    return count
