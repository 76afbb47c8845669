"""The Fund's template tags: money, visa verdicts and the way back up. Everything else
(dates, statuses, tables, forms) goes through the design system's tags in `bpd`."""

import datetime as dt

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bpd.ledger import money as money_lib
from bpd.website.languages import country_name
from bpd.website.templatetags.bpd import day, tag

register = template.Library()


@register.simple_tag
def money(minor, currency):
    """Minor units shown as money in the reader's language, e.g. "$1,250.00"."""
    return money_lib.display(minor, currency)


@register.simple_tag
def verdict_label(value):
    return {
        "feasible": _("feasible"),
        "at_risk": _("at risk"),
        "not_feasible": _("not feasible"),
    }.get(value, _("unknown"))


@register.simple_tag
def verdict_tag(value):
    """The visa verdict as a status tag: green feasible, yellow at risk or unknown, red not."""
    return tag(verdict_label(value), value or "unknown")


@register.simple_tag
def requirement_label(value):
    return {
        "none": _("No visa needed before travel."),
        "on_arrival": _("Visa on arrival."),
        "eta": _("An electronic travel authorisation is needed."),
        "evisa": _("An e-visa is needed (applied for online)."),
        "required": _("A visa is needed, with a consulate appointment."),
        "no_admission": _("Entry is not possible with this passport."),
    }.get(value, _("We do not know the visa requirement."))


def _day(value):
    return day(as_date(value))


def _why(d):
    """Sentences saying why the visa check came out as it did, for the applicant."""
    if d.get("missing"):
        return []
    names = {
        "passport": country_name(d.get("passport")),
        "destination": country_name(d.get("destination")),
        "origin": country_name(d.get("origin")),
    }
    reason = (d.get("reasons") or [""])[0]
    requirement = d.get("requirement")
    if reason == "travel_date_passed":
        return [_("The event has already started, so there is no time left to travel.")]
    if requirement == "none":
        return [
            _("With a passport of %(passport)s you need no visa to enter %(destination)s.") % names
        ]
    if requirement == "on_arrival":
        return [
            _(
                "With a passport of %(passport)s you get a visa on arrival in %(destination)s: nothing to arrange before you travel."
            )
            % names
        ]
    if requirement == "no_admission":
        return [
            _(
                "Our visa data says a passport of %(passport)s does not give entry to %(destination)s."
            )
            % names
        ]
    if requirement == "unknown":
        return [
            _("We have no visa data for a passport of %(passport)s travelling to %(destination)s.")
            % names
        ]
    if requirement in {"eta", "evisa"}:
        return [
            _(
                "%(destination)s asks for an online application before travel. It usually takes %(low)s to %(high)s days."
            )
            % {**names, "low": d.get("online_days"), "high": d.get("online_days_max")}
        ]
    sentences = [
        _("With a passport of %(passport)s you need a visa from a consulate of %(destination)s.")
        % names
    ]
    if reason == "post_closed":
        sentences.append(
            _(
                "The consulates of %(destination)s in %(origin)s were not taking appointments on %(as_of)s."
            )
            % {**names, "as_of": _day(d.get("wait_as_of"))}
        )
    elif reason == "no_wait_data":
        sentences.append(
            _(
                "We have no appointment wait-time data for the consulates of %(destination)s in %(origin)s."
            )
            % names
        )
    elif d.get("wait_days") is not None:
        if d.get("wait_as_of"):
            sentences.append(
                _(
                    "On %(as_of)s the wait for an appointment in %(origin)s was %(days)s days, so the earliest appointment is about %(expected)s."
                )
                % {
                    **names,
                    "as_of": _day(d["wait_as_of"]),
                    "days": d["wait_days"],
                    "expected": _day(d.get("expected_appointment_date")),
                }
            )
        else:
            sentences.append(
                _(
                    "We have no recent wait-time figure, so we assume %(days)s days: the earliest appointment is about %(expected)s."
                )
                % {"days": d["wait_days"], "expected": _day(d.get("expected_appointment_date"))}
            )
        rule = {"low": d.get("decision_days"), "high": d.get("decision_days_max")}
        sentences.append(
            {
                "decision_in_time_even_if_slow": _(
                    "A decision takes %(low)s days and at most %(high)s: even a slow one arrives before the event."
                ),
                "decision_in_time_only_if_quick": _(
                    "A decision takes %(low)s days and at most %(high)s: only a quick one arrives before the event."
                ),
                "appointment_too_late": _(
                    "A decision takes at least %(low)s days: from that appointment it would come after the event."
                ),
            }.get(reason, "")
            % rule
        )
    return [sentence for sentence in sentences if sentence]


def _next_steps(d, verdict):
    """What the applicant can do now."""
    missing = d.get("missing") or []
    if missing:
        labels = {
            "event": _("the event"),
            "passport": _("your passport country"),
            "origin": _("the country you travel from"),
        }
        return [
            _("Tell us %(things)s and save the draft: the visa check appears here.")
            % {"things": ", ".join(str(labels[m]) for m in missing)}
        ]
    requirement = d.get("requirement")
    latest = _day(d.get("latest_appointment_date"))
    steps = []
    if verdict == "unknown" or (d.get("reasons") or [""])[0] == "no_wait_data":
        steps.append(
            _("Staff will check it before any decision: you do not need to do anything now.")
        )
    elif verdict == "not_feasible":
        steps.append(
            _(
                "A trip that cannot get a visa in time cannot be funded. If you already hold a valid visa, or have an earlier appointment, say so in your application: staff will check it."
            )
        )
    if requirement in {"eta", "evisa"} and latest and verdict != "not_feasible":
        steps.append(_("Apply online before %(date)s.") % {"date": latest})
    elif requirement == "required" and latest and verdict in {"feasible", "at_risk", "unknown"}:
        steps.append(_("Book your visa appointment before %(date)s.") % {"date": latest})
        earliest = as_date(d.get("earliest_application_date"))
        if earliest and earliest > timezone.localdate():
            steps.append(
                _("Consulates take applications from %(date)s onwards.") % {"date": day(earliest)}
            )
    elif requirement in {"none", "on_arrival"}:
        steps.append(_("Nothing to do for a visa."))
    return steps


@register.inclusion_tag("fund/_verdict.html")
def visa_check(application, details=None, staff=False):
    """The visa check explained: the verdict, why, the dates that matter and what to do.
    `details` are live ones for a draft; otherwise those stored at submission. Staff see
    the data's age and a recorded manual check; applicants see the next steps."""
    d = details if details is not None else (application.verdict_details or {})
    verdict = (
        application.verdict
        if details is None
        else (application.visa_check_verdict or d.get("computed", "unknown"))
    )
    return {
        "d": d,
        "verdict": verdict or "unknown",
        "why": _why(d),
        "steps": [] if staff else _next_steps(d, verdict),
        "staff": staff,
        "application": application,
    }


@register.filter
def as_date(value):
    """An ISO date kept in JSON (a verdict's dates) back to a date, for `|day`."""
    if isinstance(value, dt.date) or not value:
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


@register.inclusion_tag("components/breadcrumbs.html")
def fund_breadcrumbs(*pairs):
    """`{% fund_breadcrumbs label url … %}`: Your BPD, Fund, then the pages between the
    Fund's home and this page."""
    crumbs = [(_("Your BPD"), reverse("members:home")), (_("Fund"), reverse("fund:index"))]
    return {"crumbs": crumbs + list(zip(pairs[::2], pairs[1::2], strict=True))}
