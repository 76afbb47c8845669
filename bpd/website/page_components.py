"""Live lists inside a page's text: the latest news, the upcoming conferences, a reading list.

An editor writes a paragraph of its own reading `[[component:news]]`; the saved HTML keeps
it as `<p>[[component:news]]</p>` (the sanitiser leaves text alone). When the page is
shown, `body_parts` cuts the HTML at each such paragraph and puts there what the app that
registered the name (`registry.add_page_component`) provides. A marker inside other text
stays text; a marker naming no registered component shows nothing.
"""

import re
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from bpd.website import registry

# A paragraph holding nothing but the marker; spaces (and &nbsp; left by editors) allowed.
MARKER = re.compile(
    r"<p>(?:\s|&nbsp;)*\[\[\s*component\s*:\s*([\w-]+)\s*\]\](?:\s|&nbsp;)*</p>", re.IGNORECASE
)


@dataclass(frozen=True)
class Part:
    """A piece of a page's text in order: sanitised HTML, or a component to include."""

    html: SafeString | str = ""
    template: str = ""  # set for a component: included with `component` = `context`
    context: dict | None = None


def body_parts(body_html: str, request: HttpRequest, language: str) -> list[Part]:
    """`body_html` (sanitised when the document was saved) as text parts and components,
    in order. Each marked component's provider runs once per marker it appears in."""
    if "[[" not in body_html:  # most pages: no marker, nothing to look for
        return [Part(html=mark_safe(body_html))] if body_html else []
    parts = []
    position = 0
    for match in MARKER.finditer(body_html):
        _add_text(parts, body_html[position : match.start()])
        position = match.end()
        component = registry.page_component(match.group(1).lower())
        if component is None:
            continue  # a typo, or an app that is not installed: nothing for readers
        context = component.provider(request, language)
        if context is not None:
            parts.append(Part(template=component.template, context=context))
    _add_text(parts, body_html[position:])
    return parts


def _add_text(parts, html):
    if html.strip():
        # Sanitised on save (markdown.render), as the templates' `|safe` always assumed.
        parts.append(Part(html=mark_safe(html)))
