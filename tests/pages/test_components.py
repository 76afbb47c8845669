"""Live lists inside a page's text: `[[component:NAME]]` paragraphs on a public page, on
the home page and in the admin preview; what they cost, and when a cached page changes."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from bpd.learning.models import Material, Programme
from bpd.pages.models import Page
from bpd.partners.models import Offer
from bpd.website.models import SiteSettings
from tests.conferences.conftest import make_conference
from tests.factories import PageFactory, PostFactory
from tests.learning.factories import ProgrammeFactory
from tests.partners.factories import OfferFactory, PartnerFactory
from tests.queries import get_with_queries

pytestmark = pytest.mark.django_db
ALL_FOUR = "\n\n".join(
    f"[[component:{name}]]" for name in ("news", "conferences", "books", "partners")
)


def page_with(body, path="lists/", **fields):
    return PageFactory(path=path, title="Lists", body=body, **fields)


def book_club(books=1, **fields):
    club = ProgrammeFactory(title="Readers", slug="readers", **fields)
    Material.objects.bulk_create(
        Material(
            programme=club,
            title=f"Book {n}",
            author=f"Author {n}",
            url=f"https://books.example.com/{n}",
            position=n,
        )
        for n in range(books)
    )
    return club


def partner_with_offer(n):
    partner = PartnerFactory(name=f"Partner {n:02d}", slug=f"partner-{n:02d}")
    return OfferFactory(partner=partner, title=f"Offer {n:02d}", value="10% off")


def test_a_news_marker_lists_the_latest_posts_with_their_dates(client):
    post = PostFactory(title="Hello readers", published_at=timezone.now() - dt.timedelta(days=2))
    page_with("Our news:\n\n[[component:news]]\n\nThanks.")

    html = client.get("/lists/").text

    assert f'<a href="{post.get_absolute_url()}">Hello readers</a>' in html
    assert f'datetime="{post.published_at.isoformat()}"' in html
    assert 'href="/news/">All news</a>' in html
    assert html.index("Our news:") < html.index("Hello readers") < html.index("Thanks.")


def test_a_conferences_marker_lists_the_upcoming_conferences(client):
    make_conference(name="PyCon Lagos", slug="pycon-lagos", city="Lagos", country="NG")
    page_with("[[component:conferences]]")

    html = client.get("/lists/").text

    assert '<a href="/conferences/pycon-lagos/">PyCon Lagos</a>' in html
    assert "Lagos, Nigeria" in html
    assert 'href="/conferences/"' in html


def test_a_books_marker_lists_the_book_clubs_reading_list(client):
    book_club(books=2)
    page_with("[[component:books]]")

    html = client.get("/lists/").text

    assert '<a href="https://books.example.com/0" rel="nofollow noopener">Book 0</a>' in html
    assert "Author 1" in html
    assert '<a href="/learning/readers/">More about Readers</a>' in html


def test_a_partners_marker_lists_partners_with_live_offers(client):
    partner_with_offer(1)
    page_with("[[component:partners]]")

    html = client.get("/lists/").text

    assert '<a href="/partners/partner-01/">Partner 01</a>' in html
    assert "Offer 01: 10% off" in html
    assert 'href="/partners/">All partners</a>' in html


def test_readers_never_see_a_marker(client):
    PostFactory()
    make_conference()
    book_club()
    partner_with_offer(1)
    page_with(ALL_FOUR + "\n\n[[component:no-such-list]]")

    html = client.get("/lists/").text

    assert "[[" not in html
    assert "component:" not in html


def test_a_marker_with_nothing_to_list_shows_nothing(client):
    page_with("Before\n\n" + ALL_FOUR + "\n\nAfter")

    html = client.get("/lists/").text

    assert "All news" not in html
    assert "[[" not in html
    assert re.search(r"<p>Before</p>\s*<p>After</p>", html)


def test_an_unknown_marker_shows_nothing_and_the_text_goes_on(client):
    page_with("Before\n\n[[component:no-such-list]]\n\nAfter")

    response = client.get("/lists/")

    assert response.status_code == 200
    assert "no-such-list" not in response.text
    assert re.search(r"<p>Before</p>\s*<p>After</p>", response.text)


def test_a_marker_inside_a_sentence_is_plain_text(client):
    PostFactory(title="Hello readers")
    page_with("Write [[component:news]] on a line of its own.")

    html = client.get("/lists/").text

    assert "<p>Write [[component:news]] on a line of its own.</p>" in html
    assert "Hello readers" not in html


def test_the_home_page_shows_components_in_its_text(client):
    make_conference(name="PyCon Accra", slug="pycon-accra")
    page_with("[[component:conferences]]", path="", layout=Page.Layout.HOME)

    html = client.get("/").text

    assert '<a href="/conferences/pycon-accra/">PyCon Accra</a>' in html


def test_a_page_in_english_shown_in_french_marks_the_list_french(client):
    make_conference(name="PyCon Dakar", slug="pycon-dakar")
    page_with("[[component:conferences]]")

    html = client.get("/fr/lists/").text

    assert '<div lang="fr">' in html
    assert 'href="/fr/conferences/"' in html


def test_the_admin_preview_shows_components(client):
    client.force_login(get_user_model().objects.create_superuser("editor@example.com", "pw"))
    make_conference(name="PyCon Nairobi", slug="pycon-nairobi")
    form = {
        "title": "Lists",
        "language": "en",
        "path": "lists/",
        "translation_key": "lists",
        "layout": "default",
        "in_menu": "",
        "description": "",
        "body": "[[component:conferences]]\n\n[[component:no-such-list]]",
    }

    response = client.post("/admin/pages/page/preview/", form)

    assert response.status_code == 200
    assert "PyCon Nairobi" in response.text
    assert "[[" not in response.text


def fill(count):
    """`count` posts, upcoming conferences, books and partners with an offer."""
    offset = Material.objects.count()
    PostFactory.create_batch(count)
    for _ in range(count):
        make_conference()
    club = Programme.objects.get(slug="readers")
    Material.objects.bulk_create(
        Material(programme=club, title=f"Book {offset + n}", author="A", position=offset + n)
        for n in range(count)
    )
    start = Offer.objects.count()
    for n in range(count):
        partner_with_offer(start + n)


def test_a_page_with_all_four_lists_costs_the_same_queries_at_any_size(client):
    SiteSettings.objects.create()  # a running site has its settings row already
    book_club(books=0)
    page_with(ALL_FOUR)
    fill(3)

    small, small_sql = get_with_queries(client, "/lists/")
    fill(27)
    large, large_sql = get_with_queries(client, "/lists/")

    assert small.text.count("Partner ") < large.text.count("Partner ")
    assert large.text.count('<a href="/conferences/pycon-test-') == 20  # the soonest 20
    assert len(large_sql) == len(small_sql), large_sql


def test_a_new_conference_shows_on_a_cached_page(client):
    SiteSettings.objects.create()  # a running site has its settings row already
    make_conference(name="PyCon First", slug="pycon-first")
    page_with("[[component:conferences]]")
    assert "PyCon First" in client.get("/lists/").text
    _cached, queries = get_with_queries(client, "/lists/")
    assert queries == []  # served from the cache

    make_conference(name="PyCon Second", slug="pycon-second")

    assert "PyCon Second" in client.get("/lists/").text


def add_post():
    PostFactory(title="Fresh thing")


def add_book():
    Material.objects.create(
        programme=Programme.objects.get(slug="readers"), title="Fresh thing", position=99
    )


def rename_offer():
    offer = Offer.objects.get(title="Offer 01")
    offer.title = "Fresh thing"
    offer.save()


@pytest.mark.parametrize("change", [add_post, add_book, rename_offer])
def test_a_change_to_a_listed_thing_shows_on_a_cached_page(client, change):
    book_club()
    partner_with_offer(1)
    page_with("[[component:news]]\n\n[[component:books]]\n\n[[component:partners]]")
    client.get("/lists/")

    change()

    assert "Fresh thing" in client.get("/lists/").text


def test_the_page_form_names_the_markers_editors_may_use(client):
    client.force_login(get_user_model().objects.create_superuser("editor@example.com", "pw"))

    html = client.get("/admin/pages/page/add/").text

    for name in ("news", "conferences", "books", "partners"):
        assert f"[[component:{name}]]" in html
    assert "[[component:news]] (Latest news)" in html
