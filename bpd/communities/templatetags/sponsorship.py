"""Sponsorship's template tags: amounts with their currency code, as the rule checks
write them ("USD 1,250"). Everything else goes through the design system's `bpd` tags."""

from django import template
from django.utils.translation import pgettext

from bpd.communities import policy as rules
from bpd.communities import workflow
from bpd.communities.models import SponsorshipRequest
from bpd.members import regions
from bpd.website.templatetags.bpd import tag

register = template.Library()


@register.simple_tag
def amount(minor, currency):
    """Minor units with the currency's code, in the reader's language: "USD 1,250"."""
    if minor is None:
        return ""
    return rules.words(minor, currency)


# The design system's tag colours follow a code; a request's states borrow the nearest.
TONES = {
    "draft": "draft",
    "submitted": "submitted",
    "changes": "pending",
    "approved": "accepted",
    "declined": "declined",
    "paid": "paid",
    "tickets": "booked",
    "completed": "done",
    "withdrawn": "withdrawn",
    "cancelled": "cancelled",
}


@register.simple_tag
def request_status(sponsorship):
    """A request's state as a status tag."""
    return tag(sponsorship.get_status_display(), TONES.get(sponsorship.status, ""))


@register.simple_tag
def check_result(check):
    """A rule check's verdict as a tag: green met, red broken (hard), amber beyond a rule
    that can be set aside."""
    if check.ok:
        return tag(pgettext("rule check", "Met"), "done")
    if check.hard:
        return tag(pgettext("rule check", "Not met"), "declined")
    return tag(pgettext("rule check", "Beyond the rule"), "at_risk")


@register.filter
def step_label(name):
    """A transition's name ("request_changes") as the step's label ("Ask for changes")."""
    step = workflow.STEPS.get(name)
    return str(step.label) if step else name


@register.filter
def status_label(code):
    """A status code kept on a transition, as its label."""
    return dict(SponsorshipRequest.Status.choices).get(code, code)


@register.filter
def region_name(code):
    """A UN M49 region code ("002") as its name in the reader's language ("Africa")."""
    return regions.area_name(code)
