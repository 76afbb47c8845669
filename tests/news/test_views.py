import datetime as dt
import re
import xml.etree.ElementTree as ET

from django.utils import timezone

from bpd.website import languages
from bpd.website.models import SiteSettings
from tests.factories import PostFactory, TagFactory
from tests.queries import get_with_queries

ATOM = "{http://www.w3.org/2005/Atom}"


def titles(html):
    return re.findall(r'<h[23]><a href="[^"]+">([^<]+)</a></h[23]>', html)


def test_news_index_lists_readers_language_first(client, db):
    PostFactory(
        title="English new", language="en", published_at=timezone.now() - dt.timedelta(days=1)
    )
    PostFactory(
        title="Hausa old", language="ha", published_at=timezone.now() - dt.timedelta(days=9)
    )
    PostFactory(
        title="Hausa new", language="ha", published_at=timezone.now() - dt.timedelta(days=2)
    )

    assert titles(client.get("/ha/news/").text) == ["Hausa new", "Hausa old", "English new"]
    assert titles(client.get("/news/").text) == ["English new", "Hausa new", "Hausa old"]


def test_news_index_marks_posts_in_another_language(client, db):
    PostFactory(title="Habari", language="sw")

    html = client.get("/news/").text

    assert '<li lang="sw">' in html


def feed_titles(response):
    return [
        e.findtext(f"{ATOM}title") for e in ET.fromstring(response.content).iter(f"{ATOM}entry")
    ]


def test_scheduled_post_is_hidden_from_index_detail_and_feed(client, db):
    PostFactory(title="Out already")
    PostFactory(
        slug="coming-soon", title="Coming soon", published_at=timezone.now() + dt.timedelta(hours=1)
    )

    assert titles(client.get("/news/").text) == ["Out already"]
    assert client.get("/news/coming-soon/").status_code == 404
    assert feed_titles(client.get("/news/feed.atom")) == ["Out already"]


def test_scheduled_post_appears_once_its_time_passes(client, db, monkeypatch):
    SiteSettings.objects.create()  # a running site has its settings row already
    PostFactory(title="Out already")
    scheduled = PostFactory(
        slug="coming-soon", title="Coming soon", published_at=timezone.now() + dt.timedelta(hours=1)
    )
    client.get("/news/")  # read while still scheduled (what a reader's visit leaves cached)
    client.get("/news/feed.atom")

    # Time passes: nobody saves anything, so nothing tells a cache the post is due.
    later = scheduled.published_at + dt.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert titles(client.get("/news/").text) == ["Coming soon", "Out already"]
    assert client.get("/news/coming-soon/").status_code == 200
    assert feed_titles(client.get("/news/feed.atom")) == ["Coming soon", "Out already"]


def test_news_index_is_paginated(client, db):
    PostFactory.create_batch(12)

    first = client.get("/news/").text
    second = client.get("/news/?page=2").text

    assert len(titles(first)) == 10
    assert len(titles(second)) == 2
    assert 'rel="next"' in first
    assert 'rel="prev"' in second


def test_news_index_empty_state(client, db):
    html = client.get("/news/").text

    assert "No news yet" in html


def test_news_index_query_count_does_not_grow_with_posts(client, uncached, db):
    tags = TagFactory.create_batch(3)
    for post in PostFactory.create_batch(3):
        post.tags.set(tags)
    client.get("/news/")  # the first page view creates the site settings

    small, small_sql = get_with_queries(client, "/news/")
    for post in PostFactory.create_batch(27):
        post.tags.set(tags)
    large, large_sql = get_with_queries(client, "/news/")

    assert len(titles(small.text)) == 3
    assert len(titles(large.text)) == 10  # a full page
    assert len(large_sql) == len(small_sql), large_sql


def test_news_index_from_the_cache_costs_no_queries(client, db):
    SiteSettings.objects.create()  # a running site has its settings row already
    PostFactory.create_batch(3)
    client.get("/news/")

    page, queries = get_with_queries(client, "/news/")

    assert len(titles(page.text)) == 3
    assert queries == []


def test_tag_page_lists_only_tagged_posts(client, db):
    python = TagFactory(name="python")
    PostFactory(title="Tagged", tags=[python])
    PostFactory(title="Other")

    html = client.get("/news/tag/python/").text

    assert titles(html) == ["Tagged"]
    assert client.get("/news/tag/unknown/").status_code == 404


def test_post_detail_shows_metadata_and_tags(client, db):
    post = PostFactory(title="Hello", author_name="Velda Kiara", tags=[TagFactory(name="events")])

    html = client.get(post.get_absolute_url()).text

    assert "<h1>Hello</h1>" in html
    assert "Velda Kiara" in html
    assert 'href="/news/tag/events/"' in html
    assert '<meta property="og:type" content="article">' in html


def test_post_in_other_language_falls_back_to_english(client, db):
    PostFactory(slug="launch", title="Launch", language="en")

    response = client.get("/fr/news/launch/")

    assert response.status_code == 200
    assert '<article lang="en">' in response.text


def switcher(html):
    """{language: href} of the language switcher's links."""
    menu = html.split('<details class="langs">')[1].split("</details>")[0]
    return {code: href for href, code in re.findall(r'<a href="([^"]+)" hreflang="([\w-]+)"', menu)}


def hreflangs(html):
    return dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', html))


def test_post_only_in_hausa_switcher_leads_to_each_languages_news(client, db):
    PostFactory(language="ha", slug="taron-mu", translation_key="our-meetup")

    links = switcher(client.get("/ha/news/taron-mu/").text)

    assert links == {
        code: "/ha/news/taron-mu/" if code == "ha" else languages.prefixed("news/", code)
        for code in languages.CODES
    }
    assert {url: client.get(url).status_code for url in links.values()} == dict.fromkeys(
        links.values(), 200
    )


def test_post_only_in_hausa_has_hreflang_for_hausa_alone(client, settings, db):
    PostFactory(language="ha", slug="taron-mu", translation_key="our-meetup")

    html = client.get("/ha/news/taron-mu/").text

    # No x-default: there is no English original to send other readers to.
    assert hreflangs(html) == {"ha": settings.SITE_URL + "/ha/news/taron-mu/"}


def test_translated_post_switcher_leads_to_translation_or_english_with_note(client, db):
    PostFactory(language="en", slug="meetup", translation_key="meetup")
    PostFactory(language="fr", slug="rencontre", translation_key="meetup")

    links = switcher(client.get("/fr/news/rencontre/").text)

    assert links["en"] == "/news/meetup/"
    assert links["fr"] == "/fr/news/rencontre/"
    assert links["sw"] == "/sw/news/meetup/"  # the English text, with the fallback note
    swahili = client.get(links["sw"])
    assert swahili.status_code == 200
    assert '<article lang="en">' in swahili.text


def test_atom_feed_per_language_holds_only_that_language(client, db):
    PostFactory(title="In English", language="en")
    PostFactory(title="Kwa Kiswahili", language="sw")

    english = ET.fromstring(client.get("/news/feed.atom").content)
    swahili = ET.fromstring(client.get("/sw/news/feed.atom").content)

    assert [e.findtext(f"{ATOM}title") for e in english.iter(f"{ATOM}entry")] == ["In English"]
    assert [e.findtext(f"{ATOM}title") for e in swahili.iter(f"{ATOM}entry")] == ["Kwa Kiswahili"]
    assert swahili.get("{http://www.w3.org/XML/1998/namespace}lang") == "sw"


def test_post_image_is_resized_to_webp_with_dimensions(client, db):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (2000, 1000), (200, 100, 50)).save(buffer, "JPEG")
    post = PostFactory(image=SimpleUploadedFile("big.jpg", buffer.getvalue()), image_alt="A crowd")

    assert post.image_webp.name.endswith(".webp")
    assert (post.image_width, post.image_height) == (800, 400)
    html = client.get(post.get_absolute_url()).text
    assert 'width="800" height="400"' in html
    assert 'alt="A crowd"' in html


def test_admin_preview_of_a_post_with_tags_renders(client, db):
    from bpd.members.roles import Role
    from tests.factories import UserFactory

    client.force_login(UserFactory(roles=[Role.EXECUTOR], is_superuser=True))
    data = {
        "title": "Preview me", "slug": "preview-me", "language": "en", "body": "Hello",
        "author_name": "A", "published_at_0": "2026-12-01", "published_at_1": "10:00",
    }  # fmt: skip

    response = client.post("/admin/news/post/preview/", data)

    assert response.status_code == 200
    assert "Preview me" in response.text
