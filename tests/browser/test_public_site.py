import pytest

from bpd.website import languages
from tests.public_pages import PUBLIC_PATHS

pytestmark = pytest.mark.browser

AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    }
}


def visit(page, url):
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("response", lambda response: response.status >= 400 and failed.append(response.url))
    response = page.goto(url)
    page.wait_for_load_state("load")
    return response, failed


@pytest.mark.parametrize("code", languages.CODES)
def test_every_public_page_works_and_passes_axe(page, live_site, code):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    for path in PUBLIC_PATHS:
        url = live_site + languages.prefixed(path, code)
        response, failed = visit(page, url)

        assert response.status == 200, url
        assert page.locator("html").get_attribute("lang") == code, url
        assert page.title(), url
        assert failed == [], f"{url}: failed requests {failed}"
        assert all(
            r.startswith(live_site)
            for r in page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
        ), url
        results = axe.run(page, options=AXE_OPTIONS)
        assert results.violations_count == 0, f"{url}:\n{results.generate_report()}"


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_public_page_fits_a_360px_phone(phone, live_site, path):
    phone.goto(live_site + languages.prefixed(path, "sw"))

    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 360px"


def test_language_switcher_keeps_reader_on_the_same_page(page, live_site):
    page.goto(live_site + "/initiatives/")

    page.locator(".langs summary").click()  # the switcher names the language being read
    page.get_by_role("link", name="Français").click()

    assert page.url == live_site + "/fr/initiatives/"
    assert page.locator("html").get_attribute("lang") == "fr"
    page.locator("summary").click()
    page.get_by_role("link", name="English").click()
    assert page.url == live_site + "/initiatives/"


def test_untranslated_page_shows_translated_note_with_link_to_original(page, live_site):
    page.goto(live_site + "/ha/why-online-first/")

    note = page.locator("p.note")
    assert note.is_visible()
    note.get_by_role("link").click()
    assert page.url == live_site + "/why-online-first/"
    assert page.locator("p.note").count() == 0


def test_skip_link_moves_focus_to_main_content(page, live_site):
    page.goto(live_site + "/about/")

    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to content"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
