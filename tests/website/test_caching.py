import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bpd.pages.models import Page
from tests.factories import ProfileFactory

pytestmark = pytest.mark.usefixtures("site_content")


def test_public_page_is_cached_for_anonymous_readers(client):
    client.get("/about/")

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/about/")

    assert response.status_code == 200
    assert len(queries) == 0
    assert "public" in response["Cache-Control"]
    assert "max-age=300" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]
    assert response["ETag"]


def test_editor_save_shows_at_once(client):
    client.get("/about/")
    page = Page.objects.get(language="en", path="about/")
    page.body = "Freshly edited text."
    page.save()

    assert "Freshly edited text." in client.get("/about/").text


def test_cache_is_per_language(client):
    english = client.get("/about/").text
    french = client.get("/fr/about/").text

    assert english != french
    assert '<html lang="fr"' in client.get("/fr/about/").text


def test_signed_in_readers_get_a_fresh_page(client):
    profile = ProfileFactory()
    client.get("/about/")
    client.force_login(profile.user)

    response = client.get("/about/")

    assert "Sign out" in response.text
    assert "public" not in response.get("Cache-Control", "")


def test_conditional_get_returns_not_modified(client):
    etag = client.get("/about/")["ETag"]

    assert client.get("/about/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_pending_message_is_never_cached_for_others(client):
    user = ProfileFactory().user
    client.force_login(user)
    client.post("/accounts/logout/")  # "You have signed out." waits for the next page

    mine = client.get("/")
    someone_else = Client().get("/")

    assert "You have signed out" in mine.text
    assert "You have signed out" not in someone_else.text
