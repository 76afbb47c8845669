"""A deadline shown twice: on the reader's clock, and as the conference announced it.

`{{ deadline|both_zones }}` → "16 March 2027, 13:59 WAT (15 March 2027, 23:59 AoE)"."""

from babel import Locale
from babel.dates import format_time
from django import template
from django.utils.translation import gettext as _

from bpd.conferences.models import AOE
from bpd.website import languages
from bpd.website.templatetags.bpd import day, deadline, moment

register = template.Library()


def _locale():
    return languages.current().replace("-", "_")


@register.filter
def original(item):
    """The deadline on the conference's own clock, its zone named: "15 March 2027, 23:59 AoE"."""
    local = item.local_due
    zone = AOE if item.zone == AOE else local.tzname() or item.zone
    if zone[:1] in "+-":  # zones without an abbreviation ("-03") read as an offset
        zone = f"UTC{zone}"
    return f"{day(local.date())}, {format_time(local, 'short', locale=_locale())} {zone}"


@register.filter
def both_zones(item):
    """The reader's time, then the original beside it when the two read differently."""
    mine, theirs = moment(item.due_at), original(item)
    return mine if mine == theirs else f"{mine} ({theirs})"


@register.filter
def time_left(item):
    """ "in 3 days" (or "3 days ago"): how far off a deadline is, in the reader's language."""
    text = deadline(item.due_at)
    return text.split(" (", 1)[0] if text else ""


@register.filter
def place(conference):
    """ "Lagos, Nigeria", "Nigeria", or "Online" (with the place when it is hybrid)."""
    where = ", ".join(p for p in (conference.city, languages.country_name(conference.country)) if p)
    if conference.online:
        return f"{_('Online')} · {where}" if where else _("Online")
    return where


@register.filter
def language_names(codes):
    """["en", "pt-BR"] → "English, Brazilian Portuguese" in the reader's language."""
    names = Locale.parse(_locale()).languages
    return ", ".join(
        names.get(code.replace("-", "_"), names.get(code, code)) for code in codes or []
    )
