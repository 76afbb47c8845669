"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Playwright cannot download its own browser here, so these tests use the
`chromium` package's binary and skip (saying how to install it) when absent.
"""

import os
import shutil

import pytest
import yaml
from django.conf import settings

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses
# to run in a thread with a running loop unless told it is safe (it is: tests).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("BPD_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("BPD_REQUIRE_BROWSER"):
            pytest.fail(f"BPD_REQUIRE_BROWSER is set but Chromium is not at {CHROMIUM}")
        pytest.skip(
            "Chromium is not installed: run `apt-get install chromium` (Debian) to run browser tests"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def settle_and_close(context):
    """Let every request the pages started finish, then close.

    The live server's database is flushed after each test; a request still
    running during the flush fails its foreign keys.
    """
    for open_page in context.pages:
        open_page.wait_for_load_state("networkidle")
    context.close()


@pytest.fixture
def page(browser, live_site):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    yield page
    settle_and_close(context)


@pytest.fixture
def phone(browser, live_site):
    # Not is_mobile: in that mode Chromium zooms a too-wide page out to fit, and the
    # sideways-scroll checks could no longer see it.
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    yield page
    settle_and_close(context)


@pytest.fixture
def live_site(live_server, transactional_db):
    """The live server with the site's real content loaded."""
    from bpd.content_import.runs import import_tree
    from bpd.pages.services import load_team
    from bpd.website.services import load_site_settings

    content = settings.BASE_DIR / "content"
    import_tree(content)
    load_team(yaml.safe_load((content / "team.yaml").read_text()))
    load_site_settings(yaml.safe_load((content / "site.yaml").read_text()))
    return live_server.url
