"""The Fund's template tags: money, visa verdicts and the way back up. Everything else
(dates, statuses, tables, forms) goes through the design system's tags in `bpd`."""

import datetime as dt

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from bpd.fund import money as money_lib
from bpd.website.templatetags.bpd import tag

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
