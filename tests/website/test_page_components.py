"""Cutting a page's HTML at its [[component:NAME]] paragraphs (website/page_components.py)."""

import pytest
from django.test import RequestFactory

from bpd.website import markdown, page_components, registry


@pytest.fixture
def components(monkeypatch):
    """Two components of the test's own, on top of those the apps registered."""
    monkeypatch.setitem(
        registry._page_components,
        "things",
        registry.PageComponent("things", "things.html", lambda r, lang: {"lang": lang}, "Things"),
    )
    monkeypatch.setitem(
        registry._page_components,
        "nothing-yet",
        registry.PageComponent("nothing-yet", "nothing.html", lambda r, lang: None, "Nothing"),
    )


def parts(markdown_text, language="en"):
    html = markdown.render(markdown_text)
    return page_components.body_parts(html, RequestFactory().get("/"), language)


def test_a_marker_paragraph_becomes_its_component_between_the_text(components):
    found = parts("Before\n\n[[component:things]]\n\nAfter", language="fr")

    assert [part.html.strip() for part in found] == ["<p>Before</p>", "", "<p>After</p>"]
    assert found[1].template == "things.html"
    assert found[1].context == {"lang": "fr"}


@pytest.mark.parametrize(
    "marker",
    [
        "   [[component:things]]  ",
        "[[ component: things ]]",
        "[[Component:Things]]",
        "<p>&nbsp;[[component:things]]&nbsp;</p>",  # pasted HTML
    ],
)
def test_a_marker_may_carry_spaces_and_capitals(components, marker):
    found = parts(marker)

    assert [part.template for part in found] == ["things.html"]


def test_a_marker_inside_other_text_stays_text(components):
    found = parts("See [[component:things]] below.")

    assert [part.template for part in found] == [""]
    assert "[[component:things]]" in found[0].html


def test_an_unknown_name_shows_nothing(components):
    found = parts("Before\n\n[[component:no-such-list]]\n\nAfter")

    assert [part.html.strip() for part in found] == ["<p>Before</p>", "<p>After</p>"]


def test_a_component_with_nothing_to_show_leaves_no_part(components):
    found = parts("[[component:nothing-yet]]")

    assert found == []


def test_text_without_a_marker_is_one_part():
    found = parts("Just **text**.")

    assert len(found) == 1
    assert found[0].html == "<p>Just <strong>text</strong>.</p>\n"
    assert parts("") == []


def test_the_sanitiser_keeps_the_marker():
    assert markdown.render("[[component:news]]") == "<p>[[component:news]]</p>\n"


def test_the_apps_register_their_lists():
    assert {"books", "conferences", "news", "partners"} <= set(registry.page_component_names())
    assert registry.page_component_names() == sorted(registry.page_component_names())


@pytest.mark.parametrize("name", ["News", "my list", "a_b", "", "-news"])
def test_a_component_name_is_lower_case_words_with_hyphens(name):
    with pytest.raises(ValueError, match="lower-case"):
        registry.add_page_component(name, "x.html", lambda r, lang: None, label="X")
