"""The Fund's part of "download my data" and "delete my account".

`collect` gathers it for computers (data.json: codes, minor units, ISO dates);
`readable` writes the same for people (data.md: labels, money, dates written out)."""

from babel.numbers import format_decimal
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from bpd.fund.models import (
    Application,
    Booking,
    Category,
    Conflict,
    Decision,
    OutOfPocket,
    Review,
    Round,
    TripReport,
)
from bpd.fund.templatetags.fund import as_date, requirement_label, verdict_label
from bpd.ledger import money
from bpd.website import languages
from bpd.website.languages import country_name
from bpd.website.registry import Section
from bpd.website.templatetags.bpd import day, moment

MODELS = {
    "fund.Application": (
        "exported with estimates, decision, bookings, visa, a staff member's visa check, "
        "funding letters, trip report and out-of-pocket costs; on deletion everything the "
        "member wrote (purpose, plans, grant notes, name as in the passport, trip report, "
        "out-of-pocket descriptions, travel details) is removed and amounts, dates and country "
        "stay for the Fund's accounts. Who checked a visa by hand is the Fund's record: "
        "cleared when that staff member's account is deleted"
    ),
    "fund.Review": "a reviewer's scores and comments are exported; deleted with the account",
    "fund.Conflict": "declared conflicts and their reasons are exported; deleted with the account",
    "fund.Round": "the rounds a member reviews or signs letters for are exported; they leave "
    "the round on deletion (its signatory is cleared)",
    "fund.Decision": "who staged a decision is the Fund's record (in the audit log); cleared on "
    "deletion",
    "fund.FundingLetter": "an applicant's letters are exported by reference and date and stay "
    "with the application; who issued one is the Fund's record, cleared on deletion (the "
    "signatory's name as printed stays with the letter, which consulates may still check)",
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
        "travelling_from_country": application.origin_country,
        "passport_country": application.passport_country,
        "passport_name": application.passport_name,
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
        "visa_check": {
            "verdict": application.verdict,
            **application.verdict_details,
            "staff_check": {
                "verdict": application.visa_check_verdict,
                "source": application.visa_check_source,
                "checked_at": application.visa_checked_at,
            }
            if application.visa_check_verdict
            else None,
        },
        "decision": {
            "outcome": released.outcome,
            "message": released.reason,
            "currency": application.round.currency,
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
        "funding_letters": [
            {
                "reference": letter.reference,
                "issued_at": letter.issued_at,
                "superseded_at": letter.superseded_at,
            }
            for letter in application.letters.all()
        ],
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
        .prefetch_related("costs", "bookings", "decision__items", "out_of_pocket", "letters")
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
        "rounds_signing_letters": list(
            Round.objects.filter(signatory=user).values_list("name", flat=True)
        ),
    }


def forget(user, published_choice):
    """Remove what the member wrote; keep amounts, dates and country for the Fund's accounts.
    What refers to them as staff (a visa check, a letter issued, a round's signatory) is
    cleared by its foreign key when the account goes."""
    applications = Application.objects.filter(applicant=user)
    count = applications.count()
    applications.update(
        purpose="",
        give_back="",
        event_grant_notes="",
        origin_city=None,
        passport_country="",
        passport_name="",
    )
    TripReport.objects.filter(application__in=applications).update(summary="", brought_back="")
    OutOfPocket.objects.filter(application__in=applications).update(description="")
    Booking.objects.filter(application__in=applications).update(description="")
    return count


# --- For people (data.md) ------------------------------------------------------------


def readable(data):
    """The Fund's part for people: a section for the member's applications (one
    sub-section each, titled by round and event), and one for their work as a reviewer
    or signatory when there is any."""
    sections = [
        Section(
            _("Your applications to the Black Leadership Opportunity Fund"),
            sections=[_application_section(a) for a in data["applications"]],
        )
    ]
    work = [
        Section(_("Reviews you wrote"), [_review_row(r) for r in data["reviews_written"]]),
        Section(
            _("Conflicts of interest you declared"),
            [_conflict_row(c) for c in data["conflicts_declared"]],
        ),
        Section(_("Rounds you review"), [("", name) for name in data["rounds_reviewing"]]),
        Section(
            _("Rounds whose funding letters you sign"),
            [("", name) for name in data.get("rounds_signing_letters", [])],
        ),
    ]
    work = [section for section in work if section.rows]
    if work:
        sections.append(
            Section(_("Your work for the Black Leadership Opportunity Fund"), sections=work)
        )
    return sections


def _label(model, name):
    return str(capfirst(model._meta.get_field(name).verbose_name))


def _when(value):
    """A moment or a day as people read it ("" for none)."""
    return moment(value) if value else ""


def _rows(pairs):
    """(label, text[, rows under it]) rows, leaving out those with nothing to show."""
    return [row for row in pairs if row[1] or (len(row) == 3 and row[2])]


def _category(code):
    return str(Category(code).label) if code in Category.values else code


def _choice(choices, code):
    return str(dict(choices).get(code, code)) if code else ""


def _origin_row(data):
    """Where the trip starts: "Kano, Nigeria" under the city's label, or the country alone
    under the country's (data.json names the city, else the country's code)."""
    code = data.get("travelling_from_country") or ""
    country = country_name(code)
    place = data.get("travelling_from") or ""
    if not place or place == code:
        return (_label(Application, "origin_country"), country)
    return (_label(Application, "origin_city"), f"{place}, {country}" if country else place)


def _application_section(data):
    title = data["round"]
    if data.get("event"):
        title = f"{title} — {data['event']}"
    visa = data.get("visa") or {}
    rows = _rows(
        [
            (_("Status"), _choice(Application.Status.choices, data["status"])),
            _origin_row(data),
            (_label(Application, "passport_country"), country_name(data["passport_country"])),
            (_label(Application, "passport_name"), data.get("passport_name", "")),
            (_label(Application, "purpose"), data["purpose"]),
            (_label(Application, "give_back"), data["give_back"]),
            (
                _label(Application, "event_grant"),
                _choice(Application.EventGrant.choices, data["event_grant"]),
                _rows([(_label(Application, "event_grant_notes"), data["event_grant_notes"])]),
            ),
            (
                _("Your cost estimates"),
                "",
                [
                    (
                        _category(e["item"]),
                        money.display_with_code(e["amount_minor"], e["currency"]),
                    )
                    for e in data["estimates"]
                ],
            ),
            (_("You agreed to how we handle your application"), _when(data["consent_at"])),
            (_("Submitted"), _when(data["submitted_at"])),
            _visa_check_row(data["visa_check"]),
            _decision_row(data["decision"]),
            (_("Your itinerary"), "", [_booking_row(b) for b in data["bookings"]]),
            (
                _("Your visa"),
                "",
                _rows(
                    [
                        (
                            _label(Application, "appointment_date"),
                            day(visa.get("appointment_date")),
                        ),
                        (
                            _label(Application, "visa_decision"),
                            _choice(
                                Application._meta.get_field("visa_decision").flatchoices,
                                visa.get("decision"),
                            ),
                        ),
                    ]
                ),
            ),
            (
                _("Funding letters"),
                "",
                [_letter_row(letter) for letter in data.get("funding_letters", [])],
            ),
            _report_row(data["trip_report"]),
            (
                _("What you paid yourself"),
                "",
                [_out_of_pocket_row(o) for o in data["out_of_pocket"]],
            ),
        ]
    )
    return Section(title, rows)


def _visa_check_row(check):
    if not check or not check.get("verdict"):
        return (_("Visa check"), "")
    dates = [
        (_("Expected appointment"), check.get("expected_appointment_date")),
        (_("Latest safe appointment date"), check.get("latest_appointment_date")),
        (_("Visa decision needed by"), check.get("latest_decision_date")),
        (_("Data as of"), check.get("data_as_of")),
    ]
    under = [("", requirement_label(check["requirement"]))] if check.get("requirement") else []
    under += [(label, day(as_date(value))) for label, value in dates if value]
    staff = check.get("staff_check")
    if staff:
        under.append(
            (
                _("Checked by the Fund's staff"),
                verdict_label(staff["verdict"]),
                _rows(
                    [(_("Source"), staff["source"]), (_("Checked on"), _when(staff["checked_at"]))]
                ),
            )
        )
    return (_("Visa check"), verdict_label(check["verdict"]), under)


def _decision_row(decision):
    if not decision:
        return (_("Decision"), "")
    currency = decision.get("currency", "")
    under = [
        (_category(i["item"]), money.display_with_code(i["amount_minor"], currency))
        for i in decision["items"]
    ]
    under += _rows([(_("Message"), decision["message"])])
    return (_("Decision"), _choice(Decision.Outcome.choices, decision["outcome"]), under)


def _booking_row(booking):
    text = booking["vendor"]
    if booking["reference"]:
        text += f" ({_('reference')} {booking['reference']})"
    under = _rows(
        [
            (_("Status"), _choice(Booking.Status.choices, booking["status"])),
            (_label(Booking, "description"), booking["details"]),
        ]
    )
    return (_category(booking["item"]), text, under)


def _letter_row(letter):
    under = []
    if letter.get("superseded_at"):
        under.append((_("Replaced by a newer letter"), _when(letter["superseded_at"])))
    return (
        _("Reference %(reference)s") % {"reference": letter["reference"]},
        _("issued %(when)s") % {"when": _when(letter["issued_at"])},
        under,
    )


def _report_row(report):
    if not report:
        return (_("Your trip report"), "")
    return (
        _("Your trip report"),
        "",
        _rows(
            [
                (_label(TripReport, "summary"), report["summary"]),
                (_label(TripReport, "brought_back"), report["brought_back"]),
                (_label(TripReport, "people_reached"), str(report["people_reached"])),
                (_("Submitted"), _when(report["submitted_at"])),
            ]
        ),
    )


def _out_of_pocket_row(cost):
    paid_back = (
        (_label(OutOfPocket, "settled_at"), _when(cost["paid_back_at"]))
        if cost["paid_back_at"]
        else ("", _("Not paid back yet"))
    )
    return (
        cost["description"] or _label(OutOfPocket, "description"),
        money.display_with_code(cost["amount_minor"], cost["currency"]),
        [paid_back],
    )


def _application_number(number):
    return _("application %(number)s") % {"number": number}


def _review_row(review):
    under = [
        (
            s["criterion"],
            _("%(value)s out of 5") % {"value": s["value"]}
            + (f" — {s['comment']}" if s["comment"] else ""),
        )
        for s in review["scores"]
    ]
    score = review["weighted_score"]
    under += _rows(
        [
            (_label(Review, "comment"), review["comment"]),
            (
                _("Weighted score"),
                format_decimal(score, "0.00", locale=languages.current())
                if score is not None
                else "",
            ),
            (_("Submitted"), _when(review["submitted_at"])),
        ]
    )
    return (review["round"], _application_number(review["application"]), under)


def _conflict_row(conflict):
    return (
        capfirst(_application_number(conflict["application"])),
        conflict["reason"] or _("No reason given"),
        [(_("Declared"), _when(conflict["declared_at"]))],
    )
