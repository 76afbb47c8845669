"""The ledger's template tags: money in its currency, an entry's kind as a status tag,
a region's name."""

from django import template
from django.utils.translation import gettext as _

from bpd.ledger import money as money_lib
from bpd.ledger.models import Entry
from bpd.members import regions
from bpd.website.templatetags.bpd import tag

register = template.Library()

# The tag colour of each kind: what is promised (blue), paid (green), lost (red).
TONES = {
    Entry.Kind.COMMITMENT: "open",
    Entry.Kind.PAYMENT: "paid",
    Entry.Kind.LOSS: "lost",
}


@register.simple_tag
def money(minor, currency):
    """Minor units shown as money in the reader's language, e.g. "$1,250.00"."""
    return money_lib.display(minor, currency)


@register.filter
def entry_money(entry):
    """An entry's amount in the currency it was paid in (for sentences: emails)."""
    return money_lib.display(entry.amount, entry.currency)


@register.simple_tag
def kind_tag(entry):
    """The entry's kind as a status tag; a reversal says what it reverses."""
    if entry.reverses_id:
        return tag(
            _("Reverses #%(number)s: %(kind)s")
            % {"number": entry.reverses_id, "kind": entry.get_kind_display()}
        )
    return tag(entry.get_kind_display(), TONES.get(entry.kind, ""))


@register.filter
def rate(value):
    """An exchange rate without trailing zeros or an exponent: "0.085", "1500"."""
    if value is None:
        return ""
    return format(value.normalize(), "f")


@register.filter
def region_name(code):
    return regions.area_name(code) or "—"
