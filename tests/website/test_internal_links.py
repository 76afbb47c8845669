"""Every internal link on the public site leads somewhere: a crawl as a signed-out visitor."""

import collections
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from django.conf import settings

from bpd.website import languages
from tests.factories import PostFactory

MAX_PAGES = 600
SKIPPED = ("/static/", "/media/", "/admin/")


class _Links(HTMLParser):
    """The href of every <a> and <link> in a page."""

    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag in {"a", "link"}:
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def internal_links(html):
    """Site-relative targets of a page's links (absolute URLs on this site included)."""
    parser = _Links()
    parser.feed(html)
    links = []
    for href in parser.hrefs:
        if href.startswith(settings.SITE_URL + "/"):
            href = href.removeprefix(settings.SITE_URL)
        if not href.startswith("/") or href.startswith("//"):
            continue
        href = urldefrag(href).url
        if not urlsplit(href).path.startswith(SKIPPED):
            links.append(href)
    return links


def crawl(client, start):
    """Breadth-first from `start`: the URLs visited, and {target: first page linking to it}
    for every link that answers 404."""
    queue = collections.deque((url, "(start)") for url in start)
    seen = set(start)
    dead = {}
    visited = []
    while queue and len(visited) < MAX_PAGES:
        url, linked_from = queue.popleft()
        response = client.get(url)
        visited.append(url)
        if response.status_code == 404:
            dead[url] = linked_from
            continue
        targets = []
        if response.status_code in {301, 302, 303, 307, 308}:
            targets = internal_links(f'<a href="{response["Location"]}">')
        elif "html" in response.get("Content-Type", ""):
            targets = internal_links(response.text)
        for target in targets:
            if target not in seen:
                seen.add(target)
                queue.append((target, url))
    return visited, dead


def test_no_internal_link_answers_404(client, site_content):
    # Posts in one language only, and a translated one whose slugs differ.
    PostFactory(language="ha", slug="labarai-kawai", translation_key="hausa-only")
    PostFactory(language="sw", slug="habari-tu", translation_key="swahili-only")
    PostFactory(language="en", slug="hello", translation_key="hello")
    PostFactory(language="fr", slug="bonjour", translation_key="hello")
    start = ["/", *(languages.prefixed("", code) for code in languages.CODES)]

    visited, dead = crawl(client, list(dict.fromkeys(start)))

    assert len(visited) < MAX_PAGES, "the crawl stopped at its cap: raise it"
    assert {"/ha/news/labarai-kawai/", "/fr/news/bonjour/", "/sw/about/"} <= set(visited)
    assert dead == {}, "\n".join(f"{page} links to {target}" for target, page in dead.items())
