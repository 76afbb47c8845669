"""The design system's template tags: every page shows forms, tables, dates, times,
statuses and breadcrumbs through these, so they look and read the same everywhere.
`/styleguide/` shows each of them in every state."""

import datetime as dt

from babel.dates import format_date, format_time, format_timedelta
from babel.numbers import format_percent
from django import forms, template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from bpd.website import languages, mail

register = template.Library()


@register.filter
def country_name(code):
    """ISO 3166 code to the country's name in the reader's language."""
    return languages.country_name(code)


@register.filter
def mail_kind(kind):
    """What an email is, as staff read it ("Fund: award offer"), not its template name."""
    return mail.kind_label(kind)


# --- Dates and times: one way, in the reader's language and time zone --------------


def _locale():
    return languages.current().replace("-", "_")


def _local(value):
    """A datetime in the reader's time zone (activated from their profile), else UTC."""
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return timezone.localtime(value)


@register.filter
def day(value):
    """A date (or the day of a datetime) written out: "12 July 2027" in the reader's language."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value).date()
    return format_date(value, "long", locale=_locale())


@register.simple_tag
def day_range(start, end):
    """Two dates as one span, "13 July 2027 \u2013 19 July 2027", in the reader's language.
    (CLDR's shorter interval forms drop the month in some of our languages.)"""
    if not start or not end or start == end:
        return day(start or end)
    return f"{day(start)} \u2013 {day(end)}"  # an en dash


@register.filter
def moment(value):
    """A point in time in the reader's zone, the zone named: "12 July 2027, 23:59 WAT"."""
    if not value:
        return ""
    if not isinstance(value, dt.datetime):
        return day(value)
    local = _local(value)
    return f"{day(local)}, {format_time(local, 'short', locale=_locale())} {local.tzname()}"


@register.filter
def deadline(value):
    """A deadline with how far away it is: "in 3 days (12 July 2027, 23:59 WAT)".

    A date without a time is a deadline at the end of that day."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        left, shown = value - timezone.now(), moment(value)
    else:
        left, shown = value - timezone.localdate(), day(value)
        if not left.days:
            return f"{_('today')} ({shown})"
    distance = format_timedelta(left, add_direction=True, threshold=1.5, locale=_locale())
    return f"{distance} ({shown})"


@register.filter
def percent(fraction):
    """A fraction as a percentage in the reader's language: 0.0002 → "0.02%"."""
    return format_percent(fraction or 0, format="#,##0.##%", locale=_locale())


# --- Statuses as tags --------------------------------------------------------------

TONES = {
    "green": {"accepted", "awarded", "award", "booked", "paid", "feasible", "done", "sent", "active", "yes"},
    "yellow": {"at_risk", "waitlist", "waitlisted", "draft", "pending", "offered", "staged", "queued", "unknown"},
    "red": {
        "declined", "decline", "refused", "not_feasible", "cancelled", "withdrawn", "failed", "lost", "expired",
        "revoked", "no",
    },
    "blue": {"submitted", "under_review", "reviewed", "open", "released"},
}  # fmt: skip
_TONE_OF = {code: tone for tone, codes in TONES.items() for code in codes}


@register.simple_tag
def tag(label, code=""):
    """A status tag: `{% tag application.get_status_display application.status %}`; its
    colour follows the code (green done, yellow waiting, red stopped, blue in progress)."""
    return format_html('<strong class="tag {}">{}</strong>', _TONE_OF.get(str(code), ""), label)


# --- Breadcrumbs -------------------------------------------------------------------


@register.inclusion_tag("components/breadcrumbs.html")
def breadcrumbs(*pairs):
    """`{% breadcrumbs label url label url %}`: the way back up, this page not included."""
    return {"crumbs": list(zip(pairs[::2], pairs[1::2], strict=True))}


# --- Forms -------------------------------------------------------------------------


@register.simple_tag
def form_fields(form):
    """Every field of `form` through the field component, its form-wide errors first.
    The <form>, csrf_token and buttons stay in the page's template."""
    return render_to_string("components/form.html", {"form": form, "groups": _groups(form)})


def _groups(form):
    """A long form's questions grouped under headings: `form.fieldsets` lists
    (legend, hint, [field names]); fields in none of them follow, ungrouped."""
    fieldsets = getattr(form, "fieldsets", None)
    if not fieldsets:
        return None
    visible = {field.name: field for field in form.visible_fields()}
    groups, placed = [], set()
    for legend, hint, names in fieldsets:
        fields = [visible[name] for name in names if name in visible]
        placed.update(field.name for field in fields)
        if fields:
            groups.append({"legend": legend, "hint": hint, "fields": fields})
    rest = [field for name, field in visible.items() if name not in placed]
    if rest:
        groups.append({"legend": "", "hint": "", "fields": rest})
    return groups


def _forms_with_errors(context):
    """Every bound form in the page's context with errors, the forms of formsets included
    (a formset's own errors come as (formset, None))."""
    for value in context.flatten().values():
        if isinstance(value, forms.BaseForm) and value.is_bound and value.errors:
            yield value
        elif isinstance(value, forms.BaseFormSet) and value.is_bound and not value.is_valid():
            if value.non_form_errors():
                yield value
            yield from (form for form in value.forms if form.errors)


def _anchor(field):
    """Where a summary entry for `field` leads: its input, or the first of its radio
    buttons or checkboxes (which have no single id for a label)."""
    return f"#{field.id_for_label or field.auto_id + '_0'}"


def _summary_entries(form):
    visible = form.visible_fields()
    first = _anchor(visible[0]) if visible else "#main"
    entries = []
    # The form's own problems first, as the page shows them, then field by field.
    ordered = sorted(form.errors.items(), key=lambda item: item[0] != forms.forms.NON_FIELD_ERRORS)
    for name, errors in ordered:
        field = form[name] if name in form.fields else None
        target = _anchor(field) if field is not None and not field.is_hidden else first
        for error in errors:
            entries.append({"text": error, "href": target})
    return entries


@register.inclusion_tag("components/error_summary.html", takes_context=True)
def error_summary(context):
    """The error summary at the top of every page whose form failed: each problem links
    to its field, and the summary takes the focus when the page loads."""
    entries, seen = [], set()
    for form in _forms_with_errors(context):
        if id(form) in seen:
            continue
        seen.add(id(form))
        if isinstance(form, forms.BaseFormSet):
            first = form.forms[0].visible_fields() if form.forms else []
            href = _anchor(first[0]) if first else "#main"  # tampered: no form to point at
            entries += [{"text": error, "href": href} for error in form.non_form_errors()]
        else:
            entries += _summary_entries(form)
    return {"entries": entries}


# --- Tables ------------------------------------------------------------------------


class DataTableNode(template.Node):
    def __init__(self, label, nodelist):
        self.label, self.nodelist = label, nodelist

    def render(self, context):
        return render_to_string(
            "components/table.html",
            {"label": self.label.resolve(context), "rows": self.nodelist.render(context)},
        )


@register.tag
def datatable(parser, token):
    """`{% datatable label %}<thead>…</thead><tbody>…</tbody>{% enddatatable %}`: a table
    in a labelled region that scrolls sideways on a phone (keyboard-reachable), with the
    design system's cells (class "num" right-aligns tabular figures)."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% datatable label %} takes one argument")
    nodelist = parser.parse(("enddatatable",))
    parser.delete_first_token()
    return DataTableNode(parser.compile_filter(bits[1]), nodelist)
