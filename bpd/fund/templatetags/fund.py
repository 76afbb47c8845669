from django import template
from django.utils.translation import gettext as _

from bpd.fund import money as money_lib

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
def requirement_label(value):
    return {
        "none": _("No visa needed before travel."),
        "on_arrival": _("Visa on arrival."),
        "eta": _("An electronic travel authorisation is needed."),
        "evisa": _("An e-visa is needed (applied for online)."),
        "required": _("A visa is needed, with a consulate appointment."),
        "no_admission": _("Entry is not possible with this passport."),
    }.get(value, _("We do not know the visa requirement."))
