import re
import xml.etree.ElementTree as ET

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from bpd.website.models import SiteSettings, SocialLink

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def test_robots_txt_points_to_sitemap(client, settings):
    response = client.get("/robots.txt")

    assert response["Content-Type"] == "text/plain"
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in response.text
    assert "Disallow: /admin/" in response.text


def test_sitemap_lists_pages_with_existing_language_alternates(client, site_content, settings):
    root = ET.fromstring(client.get("/sitemap.xml").content)

    urls = {u.findtext(f"{SITEMAP}loc"): u for u in root.iter(f"{SITEMAP}url")}
    about = urls[settings.SITE_URL + "/ha/about/"]
    alternates = {link.get("hreflang") for link in about.iter(f"{XHTML}link")}
    assert alternates == {"en", "ha", "sw", "es", "fr", "pt", "x-default"}
    why = urls[settings.SITE_URL + "/why-online-first/"]
    assert list(why.iter(f"{XHTML}link")) == []  # no translations, no alternates
    assert settings.SITE_URL + "/news/welcome-to-the-new-site/" in urls


def test_favicon_is_served(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"


def test_contact_email_and_social_links_come_from_site_settings(client, db):
    settings_obj = SiteSettings.load()["settings"]
    settings_obj.contact_email = "hello@bpd.example"
    settings_obj.save()
    SocialLink.objects.create(network="mastodon", url="https://social.example/@bpd")

    html = client.get("/news/").text

    assert 'href="mailto:hello@bpd.example"' in html
    assert 'href="https://social.example/@bpd"' in html
    assert ">Mastodon<" in html


def test_pages_have_social_preview_tags(client, site_content):
    html = client.get("/about/").text

    for prop in ("og:title", "og:description", "og:url", "og:image", "og:locale"):
        assert f'property="{prop}"' in html
    assert 'name="twitter:card"' in html


def test_responses_carry_security_headers(client, db):
    response = client.get("/news/")

    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("code", ["ha", "sw", "es", "fr", "pt"])
def test_server_error_page_is_translated(code):
    with translation.override("en"):
        english = render_to_string("500.html")
    with translation.override(code):
        translated = render_to_string("500.html")

    assert f'<html lang="{code}">' in translated
    assert re.search(r"<h1>(.*?)</h1>", translated).group(1) != re.search(
        r"<h1>(.*?)</h1>", english
    ).group(1)


def test_fast_select_renders_like_a_select():
    from bpd.website.forms import FastSelect

    html = FastSelect(choices=[("", "Any"), ("NG", "Nigeria"), ("KE", "Kenya & <co>")]).render(
        "country", "KE", attrs={"id": "id_country"}
    )

    assert html == (
        '<select id="id_country" name="country"><option value="">Any</option>'
        '<option value="NG">Nigeria</option><option value="KE" selected>Kenya &amp; &lt;co&gt;</option></select>'
    )
