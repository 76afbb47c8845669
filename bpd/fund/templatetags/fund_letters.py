"""`{% letter_box application %}`: the funding letter's box on the Fund's staff pages for
an accepted award (the decide page, the bookings page)."""

from django import template

from bpd.fund import selectors

register = template.Library()


@register.inclusion_tag("fund/_letter_box.html")
def letter_box(application):
    """The letter in force (reference, issue date, who signed), with Download and a way to
    re-issue it; nothing before the award is accepted."""
    if not application.is_travelling:
        return {"shown": False}
    return {
        "shown": True,
        "application": application,
        "letter": selectors.current_letter(application),
    }
