"""Every page any role can reach (tests/browser/every_page.py), at 360 and 1280 px: it does
not scroll sideways, no table cell breaks a word or a number across lines, <html lang> is
the page's language, and axe finds nothing (WCAG 2.2 AA, once per page, at 1280 px).

English is checked in full. Hausa is checked on every page that has a Hausa address, at both
widths, for everything but axe: the words and their lengths change with the language, the
markup axe reads does not. Each test walks the whole site and fails once, listing every
problem by kind.
"""

import time

import pytest
import yaml
from django.conf import settings

from tests.access.world import ROLES, build_world
from tests.browser.conftest import settle_and_close
from tests.browser.every_page import WIDTHS, context_options, distinct_views, pages_by_role
from tests.browser.every_page import world_samples as samples_with_content_pages
from tests.browser.test_member_pages import signed_in_context
from tests.browser.test_public_site import AXE_OPTIONS

pytestmark = pytest.mark.browser

OVERFLOW_JS = "document.documentElement.scrollWidth - window.innerWidth"
# Each whitespace-separated token of each text node in a table cell, measured with a Range:
# rects on more than one line mean the browser broke the token. Text in a box one pixel
# wide is visually hidden (read by screen readers only) and never seen broken.
BROKEN_WORDS_JS = """() => {
  const broken = [];
  for (const cell of document.querySelectorAll("th, td")) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest("th, td") !== cell) continue;  // a nested table's own cell
      if (node.parentElement.offsetWidth <= 1) continue;
      for (const match of node.textContent.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const rects = Array.from(range.getClientRects()).filter(r => r.width > 0 && r.height > 0);
        const lines = rects.filter((r, i) => rects.slice(0, i).every(
          o => Math.abs(o.top - r.top) >= Math.min(o.height, r.height) / 2));
        if (lines.length > 1) {
          broken.push({cell: cell.innerText.replace(/\\s+/g, " ").trim().slice(0, 80), token: match[0]});
        }
      }
    }
  }
  return broken;
}"""


class Problems:
    """Every problem found, by kind, for one failure at the end."""

    def __init__(self):
        self.by_kind = {}
        self.pages = 0
        self.per_role = {}

    def add(self, kind, role, width, url, detail=""):
        where = f"{width:>4} px  {role:<19} {url}"
        self.by_kind.setdefault(kind, []).append(f"{where}  {detail}".rstrip())

    def report(self):
        count = sum(map(len, self.by_kind.values()))
        lines = [
            f"{count} problems on {self.pages} pages, each at {' and '.join(map(str, WIDTHS))} px:"
        ]
        for kind, found in self.by_kind.items():
            lines += ["", f"{kind} ({len(found)}):", *(f"  {line}" for line in found)]
        return "\n".join(lines)


def check_view(page, response, url, role, width, language, problems):
    """The checks every view gets, at every width."""
    if response.status != 200 or not page.url.endswith(url):
        problems.add("not the page", role, width, url, f"{response.status} at {page.url}")
        return
    lang = page.evaluate("document.documentElement.lang")
    if lang != language:
        problems.add("html lang", role, width, url, f"lang={lang!r}, expected {language!r}")
    overflow = page.evaluate(OVERFLOW_JS)
    if overflow > 0:
        problems.add("scrolls sideways", role, width, url, f"by {overflow}px")
    for broken in page.evaluate(BROKEN_WORDS_JS):
        problems.add(
            "word broken across lines in a table cell", role, width, url,
            f"{broken['token']!r} in cell {broken['cell']!r}",
        )  # fmt: skip


def check_axe(axe, page, url, role, width, problems):
    for violation in axe.run(page, options=AXE_OPTIONS).response["violations"]:
        targets = [", ".join(node["target"]) for node in violation["nodes"]]
        shown = "; ".join(targets[:3]) + (
            f"; and {len(targets) - 3} more" if len(targets) > 3 else ""
        )
        problems.add(
            "axe", role, width, url,
            f"{violation['id']} ({violation['impact']}): {violation['help']} [{shown}]",
        )  # fmt: skip


@pytest.fixture
def world(live_server, transactional_db):
    """The access matrix's world, with the site's real content pages beside its own."""
    from bpd.content_import.runs import import_tree
    from bpd.pages.services import load_team
    from bpd.website.services import load_site_settings

    built = build_world()
    content = settings.BASE_DIR / "content"
    import_tree(content)
    load_team(yaml.safe_load((content / "team.yaml").read_text()))
    load_site_settings(yaml.safe_load((content / "site.yaml").read_text()))
    return built


def walk(browser, live_server, world, language, problems, axe=None):
    """Visit every role's distinct pages in `language` at each width; axe at 1280 px."""
    base = live_server.url
    samples = samples_with_content_pages(world)
    pages, missing = pages_by_role({role: (role,) for role in ROLES}, lambda role: samples)
    assert missing == [], missing  # the access matrix's own test names what to add
    seen = {}
    for role, entries in pages.items():
        if language != "en":
            entries = [entry for entry in entries if entry.translated]

        def open_context(width, role=role):
            if role == "anonymous":
                return browser.new_context(**context_options(width))
            return signed_in_context(
                browser, live_server, world.users[role], **context_options(width)
            )

        wide, narrow = open_context(max(WIDTHS)), open_context(min(WIDTHS))
        page, phone = wide.new_page(), narrow.new_page()
        for entry, response in distinct_views(page, base, entries, seen, language):
            url = entry.in_language(language)
            problems.pages += 1
            problems.per_role[role] = problems.per_role.get(role, 0) + 1
            check_view(page, response, url, role, max(WIDTHS), language, problems)
            if axe is not None:
                check_axe(axe, page, url, role, max(WIDTHS), problems)
            phone_response = phone.goto(base + url)
            phone.wait_for_load_state("load")
            check_view(phone, phone_response, url, role, min(WIDTHS), language, problems)
        settle_and_close(wide)
        settle_and_close(narrow)


def test_every_page_in_english_fits_keeps_words_whole_and_passes_axe(browser, live_server, world):
    from axe_playwright_python.sync_playwright import Axe

    problems, started = Problems(), time.monotonic()
    walk(browser, live_server, world, "en", problems, axe=Axe())
    print(f"{problems.pages} pages in {time.monotonic() - started:.0f} s: {problems.per_role}")

    if problems.by_kind:
        pytest.fail(problems.report(), pytrace=False)


def test_every_page_in_hausa_fits_and_keeps_words_whole(browser, live_server, world):
    problems = Problems()
    walk(browser, live_server, world, "ha", problems)

    if problems.by_kind:
        pytest.fail(problems.report(), pytrace=False)
