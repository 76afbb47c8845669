"""Markdown to safe HTML, done once when a document is saved.

Editors may write raw HTML (the seeds do), so the output is sanitised: no
scripts, event handlers, inline styles, or iframes except from the hosts in
settings.CONTENT_IFRAME_HOSTS. Images must be served by this site: a
third-party image would be a third-party request on page load.
"""

import re
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div",
    "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "iframe", "img", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"id", "lang", "title"},
    "a": {"href", "hreflang"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "iframe": {"src", "width", "height", "allowfullscreen", "loading"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}

_md = (
    MarkdownIt("commonmark", {"html": True, "typographer": True})
    .enable(["table", "strikethrough", "replacements", "smartquotes"])
    .use(anchors_plugin, min_level=2, max_level=3, permalink=False)
)
_EMPTY_IFRAME = re.compile(r"<iframe(?![^>]*\ssrc=)[^>]*>.*?</iframe>", re.DOTALL)
_EMPTY_IMG = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")
_LAZY_IMG = re.compile(r"<img(?![^>]*\sloading=)")


def _is_allowed_iframe(value):
    parts = urlsplit(value)
    return parts.scheme == "https" and parts.hostname in settings.CONTENT_IFRAME_HOSTS


def _is_local(value):
    return value.startswith("/") and not value.startswith("//")


def _filter_attribute(tag, attribute, value):
    if tag == "iframe" and attribute == "src":
        return value if _is_allowed_iframe(value) else None
    if tag == "img" and attribute == "src":
        return value if _is_local(value) else None
    return value


def sanitise(html):
    """Keep only harmless markup; drop disallowed iframes and images entirely."""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener",
        strip_comments=True,
    )
    cleaned = _EMPTY_IFRAME.sub("", cleaned)
    cleaned = _EMPTY_IMG.sub("", cleaned)
    return _LAZY_IMG.sub('<img loading="lazy" decoding="async"', cleaned)


def render_unsafe(text):
    """Markdown to HTML before sanitising: only to see what the sanitiser would remove."""
    return _md.render(text or "")


def render(text, *, body_format="markdown"):
    """Markdown (or, with body_format="html", HTML) source to sanitised HTML."""
    if body_format == "html":
        return sanitise(text or "")
    return sanitise(_md.render(text or ""))
