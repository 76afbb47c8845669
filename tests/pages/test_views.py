import re

import pytest

from bpd.website import languages

pytestmark = pytest.mark.usefixtures("site_content")


def hreflangs(html):
    return dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', html))


@pytest.mark.parametrize("code", languages.CODES)
def test_home_is_served_in_every_language(client, code):
    response = client.get(languages.prefixed("", code))

    assert response.status_code == 200
    assert f'<html lang="{code}"' in response.text


def test_translated_page_has_hreflang_for_each_translation_and_x_default(client, settings):
    html = client.get("/fr/about/").text

    links = hreflangs(html)
    assert links == {
        **{
            code: settings.SITE_URL + languages.prefixed("about/", code) for code in languages.CODES
        },
        "x-default": settings.SITE_URL + "/about/",
    }
    assert f'<link rel="canonical" href="{settings.SITE_URL}/fr/about/">' in html


def test_untranslated_page_shows_english_with_note_and_link(client, settings):
    response = client.get("/sw/why-online-first/")

    html = response.text
    assert response.status_code == 200
    assert '<html lang="sw"' in html
    assert '<article lang="en">' in html
    assert 'class="note"' in html
    assert 'href="/why-online-first/"' in html
    assert "We hope in the long run" in html
    # Only the translation that exists is an alternate; canonical is the original.
    assert hreflangs(html) == {
        "en": settings.SITE_URL + "/why-online-first/",
        "x-default": settings.SITE_URL + "/why-online-first/",
    }
    assert f'<link rel="canonical" href="{settings.SITE_URL}/why-online-first/">' in html


def test_untranslated_note_is_in_the_readers_language(client):
    english = client.get("/sw/why-online-first/").text
    french = client.get("/fr/why-online-first/").text

    note = re.compile(r'<p class="note" role="note">(.*?)</p>', re.S)
    assert note.search(english).group(1) != note.search(french).group(1)


def test_translation_awaiting_review_says_so(client):
    html = client.get("/ha/about/").text

    assert "Game da" in html
    assert 'class="note"' in html
    assert "<article>" in html  # not a fallback: the text is Hausa


def test_reviewed_translation_has_no_review_note(client):
    from bpd.pages.models import Page

    page = Page.objects.get(language="fr", translation_key="about")
    page.needs_review = False
    page.save()

    assert 'class="note"' not in client.get("/fr/about/").text


def test_language_switcher_keeps_the_same_page(client):
    html = client.get("/es/initiatives/").text

    switcher = html.split('<details class="langs">')[1].split("</details>")[0]
    hrefs = re.findall(r'href="([^"]+)"', switcher)
    assert hrefs == [languages.prefixed("initiatives/", code) for code in languages.CODES]
    assert 'aria-current="true">Español' in switcher


def test_main_menu_lists_pages_in_readers_language(client):
    html = client.get("/fr/").text

    menu = html.split('<nav aria-label="')[1].split("</nav>")[0]
    footer = html.split('<footer class="bottom">')[1]
    assert 'href="/fr/about/"' in menu
    assert 'href="/fr/news/"' in menu
    # The header has room for the first pages only; the footer lists them all.
    assert 'href="/fr/why-online-first/"' in footer  # untranslated, shown via fallback


def test_unknown_page_is_translated_404(client):
    response = client.get("/fr/no-such-page/")

    assert response.status_code == 404
    assert '<html lang="fr"' in response.text
    assert "Page not found" not in response.text


def test_path_without_slash_redirects(client):
    response = client.get("/about")

    assert response.status_code == 301
    assert response.headers["Location"] == "/about/"


def test_leadership_page_shows_roster_grid_with_local_resized_photos(client):
    html = client.get("/leadership/").text

    assert html.count('<li class="card">') == 3
    for name in ("Jay Miller", "Oleksis Fraga", "Velda Kiara"):
        assert name in html
    main = html.split('<main id="main">')[1].split("</main>")[0]
    images = re.findall(r"<img [^>]+>", main)
    assert len(images) == 3
    for tag in images:
        assert 'width="160" height="160"' in tag
        assert 'loading="lazy"' in tag
        assert re.search(r'src="/media/team/[^"]+\.webp"', tag)
        assert 'alt="' in tag
        assert 'alt=""' not in tag
    assert "github.com/kjaymiller" in html
    assert "style=" not in html


def test_leadership_roles_and_countries_are_translated(client):
    html = client.get("/fr/leadership/").text

    assert "Coordinatrice des événements" in html
    assert "États-Unis" in html
