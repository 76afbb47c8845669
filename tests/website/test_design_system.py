"""Every page is built from the design system's components (docs/design.md): no page
keeps its own table or form markup, time reads the same everywhere, and the
components themselves behave."""

import datetime as dt
import re
import zoneinfo

import pytest
from django import forms
from django.template import Context, Template
from django.utils import timezone, translation

from tests.website.test_templates_readable import template_files

# A bare table or a whole form dumped by Django bypasses the components.
TABLE = re.compile(r"<table\b")
VARIABLE = re.compile(r"\{\{\s*([\w.]+)\s*\}\}")
AS_HTML = {"as_div", "as_p", "as_table", "as_ul"}


def bypasses(text):
    """(offset, what) for each place `text` bypasses the components: a bare table, or a
    whole form printed by Django ({{ form }}, {{ form.as_div }} …)."""
    found = [(m.start(), "a bare <table> (use {% datatable %})") for m in TABLE.finditer(text)]
    for match in VARIABLE.finditer(text):
        last = match.group(1).split(".")[-1]
        if last in AS_HTML or (last.endswith("form") and last != "management_form"):
            found.append((match.start(), f"{match.group(0)} (use {{% form_fields form %}})"))
    return found


def _own(entry):
    _name, path = entry
    return "components" not in path.parts and "email" not in path.parts


def test_no_template_bypasses_the_components():
    found = []
    for name, path in filter(_own, template_files()):
        text = path.read_text()
        for offset, what in bypasses(text):
            found.append(f"{name}:{text.count(chr(10), 0, offset) + 1}: {what}")
    assert not found, "\n".join(found)


def test_every_form_leaves_validation_to_the_server():
    """`novalidate`: the browser's own bubbles would speak the browser's language, not the
    reader's, and skip the error summary."""
    found = []
    for name, path in template_files():
        for match in re.finditer(r"<form\b[^>]*>", path.read_text()):
            if "novalidate" not in match.group(0):
                found.append(f"{name}: {match.group(0)}")
    assert not found, "\n".join(found)


def test_the_guard_notices_a_bypass():
    """The guard catches what it is for (a guard that cannot fail is none)."""
    for sample in ["<table>", "{{ form }}", "{{ form.as_div }}", "{{ rate_form.as_p }}"]:
        assert bypasses(sample), sample
    for sample in ["{% form_fields form %}", "{{ form.management_form }}", "{{ field }}"]:
        assert not bypasses(sample), sample


def render(source, language="en", **context):
    """`source` rendered in `language`, its whitespace runs folded to one space."""
    with translation.override(language):
        html = Template("{% load bpd %}" + source).render(Context(context))
    return re.sub(r">\s+", ">", re.sub(r"\s+<", "<", html)).strip()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "July 12, 2027"),
        ("fr", "12 juillet 2027"),
        ("ha", "12 Yuli, 2027"),
        ("sw", "12 Julai 2027"),
    ],
)
def test_a_day_reads_in_the_readers_language(language, expected):
    assert render("{{ d|day }}", language=language, d=dt.date(2027, 7, 12)) == expected


def test_a_moment_is_in_the_readers_time_zone_and_names_it():
    moment = dt.datetime(2027, 7, 12, 22, 59, tzinfo=dt.UTC)
    with timezone.override(zoneinfo.ZoneInfo("Africa/Lagos")):
        assert render("{{ m|moment }}", m=moment) == "July 12, 2027, 11:59\u202fPM WAT"
    with timezone.override(zoneinfo.ZoneInfo("Africa/Nairobi")):
        assert render("{{ m|moment }}", language="fr", m=moment) == "13 juillet 2027, 01:59 EAT"


def test_a_moment_on_a_daylight_saving_change_names_the_zone_in_force():
    # 02:30 on 28 March 2027 does not exist in Berlin: 01:30 UTC is 03:30 CEST.
    moment = dt.datetime(2027, 3, 28, 1, 30, tzinfo=dt.UTC)
    with translation.override("en"), timezone.override(zoneinfo.ZoneInfo("Europe/Berlin")):
        assert render("{{ m|moment }}", m=moment).endswith("3:30\u202fAM CEST")


def test_a_deadline_says_how_far_away_it_is():
    soon = timezone.now() + dt.timedelta(days=3, hours=1)
    with translation.override("en"), timezone.override(dt.UTC):
        shown = render("{{ d|deadline }}", d=soon)
    assert shown.startswith("in 3 days (")
    assert shown.endswith(" UTC)")
    with timezone.override(dt.UTC):
        assert render("{{ d|deadline }}", language="sw", d=soon).startswith("baada ya siku 3 (")


def test_a_status_tag_takes_the_colour_of_its_code():
    assert (
        render('{% tag "Accepted" "accepted" %}') == '<strong class="tag green">Accepted</strong>'
    )
    assert render('{% tag "Odd" "no-such-code" %}') == '<strong class="tag ">Odd</strong>'
    assert "&lt;b&gt;" in render("{% tag label %}", label="<b>")


def test_a_data_table_is_a_labelled_region_reachable_by_keyboard():
    html = render('{% datatable _("Awards") %}<tbody><tr><td>1</td></tr></tbody>{% enddatatable %}')
    assert 'role="region" aria-label="Awards" tabindex="0"' in html
    assert "<caption" in html
    assert "<td>1</td>" in html


class _Form(forms.Form):
    name = forms.CharField(label="your name")
    level = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    note = forms.CharField(required=False, help_text="A hint.")
    pick = forms.ChoiceField(choices=[("", "---------"), ("x", "X")])


def test_fields_render_through_the_field_component():
    html = render("{% form_fields form %}", form=_Form())
    assert '<label for="id_name">Your name</label>' in html  # sentence case, no colon
    assert "(optional)" in html
    assert html.count("(optional)") == 1
    assert '<p class="hint" id="id_note_helptext">A hint.</p>' in html
    assert "<legend>Level</legend>" in html
    assert "---------" not in html
    assert "Choose one" in html


def test_the_error_summary_lists_every_problem_and_links_to_each_field():
    form = _Form({"name": "", "level": "", "pick": ""})
    form.is_valid()
    html = render("{% error_summary %}", form=form)
    assert 'tabindex="-1" autofocus' in html
    assert '<a href="#id_name">' in html
    assert '<a href="#id_level_0">' in html  # radio buttons: the first one
    assert '<a href="#id_pick">' in html


def test_no_error_summary_without_errors():
    assert render("{% error_summary %}", form=_Form()).strip() == ""
    assert (
        render("{% error_summary %}", form=_Form({"name": "x", "level": "a", "pick": "x"})).strip()
        == ""
    )


@pytest.mark.parametrize(
    ("template", "context"),
    [
        ("account/email/login_code_message.html", {"code": "ABC123"}),
        ("account/email/unknown_account_message.html", {}),
    ],
)
def test_html_email_carries_the_brand(template, context):
    """HTML mail uses the site's brand: the black band with the gold rule, the name."""
    from django.template.loader import render_to_string

    html = render_to_string(template, context)

    assert "background:#111" in html
    assert "border-bottom:4px solid #ffc83d" in html
    assert "Black Python Devs" in html


def test_a_deadline_on_a_day_that_is_today_says_so():
    with timezone.override(dt.UTC):
        assert render("{{ d|deadline }}", d=timezone.localdate()).startswith("today (")
