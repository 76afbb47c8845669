"""Permanent redirects from the old site's addresses: the service, the 404 fallback
through the whole middleware stack, and the admin (docs/redirects.md)."""

import contextlib
from urllib.parse import unquote_to_bytes, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.http import HttpResponse, HttpResponseNotFound
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from bpd.website.middleware import RedirectFallbackMiddleware
from bpd.website.models import Redirect
from bpd.website.redirects import (
    add_redirect,
    normalise_path,
    remove_redirects,
    target_for,
)
from tests.factories import PageFactory

pytestmark = pytest.mark.django_db


def redirect_queries(captured):
    return [query["sql"] for query in captured if "website_redirect" in query["sql"]]


def assert_local(response):
    location = response.headers.get("Location", "")
    parts = urlsplit(location)
    assert not parts.scheme, location
    assert not parts.netloc, location
    assert location.startswith("/"), location
    assert not location.startswith("//"), location
    assert "\\" not in location, location


# The fallback, through the whole middleware stack ---------------------------------------


def test_old_address_answers_301_with_its_new_place(client):
    add_redirect("/about.html", "/about/")

    response = client.get("/about.html")

    assert response.status_code == 301
    assert response["Location"] == "/about/"


def test_old_address_keeps_the_query_string(client):
    add_redirect("/blog/2024/01/02/hello.html", "/news/hello/")

    response = client.get("/blog/2024/01/02/hello.html?utm_source=mail&x=%C3%A9")

    assert response.status_code == 301
    assert response["Location"] == "/news/hello/?utm_source=mail&x=%C3%A9"


def test_old_address_under_a_language_prefix_is_its_own_redirect(client):
    add_redirect("/about.html", "/about/")
    add_redirect("/es/about.html", "/es/about/")

    assert client.get("/es/about.html")["Location"] == "/es/about/"
    assert client.get("/about.html")["Location"] == "/about/"


def test_language_prefix_is_matched_literally(client):
    add_redirect("/about.html", "/about/")

    response = client.get("/fr/about.html")

    assert response.status_code == 404


def test_old_address_with_a_slash_is_found_in_one_hop_without_it(client):
    add_redirect("/coc/", "/code-of-conduct/")

    with_slash = client.get("/coc/")
    without_slash = client.get("/coc")  # CommonMiddleware would first add the slash

    assert with_slash.status_code == 301
    assert with_slash["Location"] == "/code-of-conduct/"
    assert without_slash.status_code == 301
    assert without_slash["Location"] == "/code-of-conduct/"


def test_old_address_without_a_slash_is_found_with_it(client):
    add_redirect("/about.html", "/about/")

    response = client.get("/about.html/")

    assert response["Location"] == "/about/"


def test_old_address_given_with_the_old_host_is_stored_as_a_path(client):
    add_redirect("https://blackpythondevs.com/about.html?ref=x#top", "/about/")

    response = client.get("/about.html")

    assert response["Location"] == "/about/"


@pytest.mark.parametrize("asked", ["/café.html", "/caf%C3%A9.html", "/caf%c3%a9.html"])
def test_unicode_old_address_is_found_however_it_is_quoted(client, asked):
    add_redirect("/caf%C3%A9.html", "/cafe/")

    response = client.get(asked)

    assert response.status_code == 301
    assert response["Location"] == "/cafe/"


def test_existing_page_wins_over_a_redirect(client):
    PageFactory(path="about/", translation_key="about")
    add_redirect("/about/", "/news/")

    response = client.get("/about/")

    assert response.status_code == 200


def test_redirect_is_sent_for_get_only(client):
    add_redirect("/about.html", "/about/")

    response = client.post("/about.html", {"name": "x"})

    assert response.status_code != 301


def test_page_not_found_without_a_redirect_stays_404(client):
    add_redirect("/about.html", "/about/")

    assert client.get("/no-such-thing.html").status_code == 404


def test_fallback_costs_one_query_on_a_page_not_found(client):
    add_redirect("/about.html", "/about/")

    with CaptureQueriesContext(connection) as captured:
        response = client.get("/no-such-thing.html")

    assert response.status_code == 404
    assert len(redirect_queries(captured)) == 1


def test_fallback_costs_one_query_on_a_hit(client):
    add_redirect("/coc/", "/code-of-conduct/")

    with CaptureQueriesContext(connection) as captured:
        response = client.get("/coc")

    assert response.status_code == 301
    assert len(redirect_queries(captured)) == 1


def test_fallback_costs_no_query_on_a_page_found(client):
    PageFactory(path="about/", translation_key="about")
    add_redirect("/about.html", "/about/")

    with CaptureQueriesContext(connection) as captured:
        response = client.get("/about/")

    assert response.status_code == 200
    assert redirect_queries(captured) == []


def test_middleware_alone_runs_exactly_one_query_on_404_and_none_otherwise():
    request = RequestFactory().get("/missing.html")
    not_found = RedirectFallbackMiddleware(lambda request: HttpResponseNotFound())
    found = RedirectFallbackMiddleware(lambda request: HttpResponse("ok"))

    with CaptureQueriesContext(connection) as on_404:
        not_found(request)
    with CaptureQueriesContext(connection) as on_200:
        found(request)

    assert len(on_404) == 1
    assert len(on_200) == 0


def test_stored_redirect_to_another_host_is_never_sent(client):
    # Written past the service (a shell): the constraint refuses "//", the fallback "/\".
    with pytest.raises(IntegrityError), transaction.atomic():
        Redirect.objects.create(old_path="/a.html", new_path="//evil.example/")
    Redirect.objects.create(old_path="/b.html", new_path="/\\evil.example/")

    response = client.get("/b.html")

    assert response.status_code == 404


def test_stored_redirect_to_itself_is_never_sent(client):
    Redirect.objects.create(old_path="/coc", new_path="/coc/")

    response = client.get("/coc/")

    assert response.status_code == 404


# Hostile old addresses ------------------------------------------------------------------

HOSTILE = [
    "//evil.example",
    "//evil.example/",
    "/%2F%2Fevil.example",
    "/%2F/evil.example",
    "/\\evil.example",
    "/%5C%5Cevil.example",
    "/https://evil.example",
    "/" + "a" * 2000,
    "/" + "é" * 400,
    "/\u202eevil\u0000.html",
    "/%FF%FE.html",
    "/..%2F..%2Fetc/passwd",
]


def get_raw(client, path, query=""):
    """GET `path` as a web server passes it on: the test client would read "//host" as
    a host and drop it, a server keeps it in the path."""
    path_info = unquote_to_bytes(path).decode("iso-8859-1")
    return client.get("/", PATH_INFO=path_info, QUERY_STRING=query)


@pytest.mark.parametrize("path", HOSTILE)
def test_hostile_old_address_never_sends_a_reader_off_site(client, path):
    with contextlib.suppress(ValueError):  # refused is fine too
        add_redirect(path, "/news/")

    for asked, query in ((path, ""), (path + "/", ""), (path, "next=//evil.example")):
        response = get_raw(client, asked, query)
        assert response.status_code < 500
        if response.status_code in {301, 302}:
            assert_local(response)


def test_old_address_that_looks_like_another_host_redirects_home(client):
    add_redirect("//evil.example", "/news/")
    add_redirect("/%2F%2Fother.example", "/events/")

    assert get_raw(client, "//evil.example")["Location"] == "/news/"
    assert get_raw(client, "/%2F%2Fother.example")["Location"] == "/events/"


@pytest.mark.parametrize("path", HOSTILE)
def test_hostile_address_without_a_redirect_never_sends_a_reader_off_site(client, path):
    response = get_raw(client, path, "next=//evil.example")

    assert response.status_code < 500
    if response.status_code in {301, 302}:
        assert_local(response)


def test_very_long_path_costs_no_query(client):
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/" + "a" * 2000 + ".html")

    assert response.status_code == 404
    assert redirect_queries(captured) == []


def test_very_long_old_address_is_refused():
    with pytest.raises(ValueError, match="too long"):
        add_redirect("/" + "a" * 600, "/news/")


# The service ----------------------------------------------------------------------------


def test_add_redirect_creates_then_updates_by_old_path():
    first, created = add_redirect("/about.html", "/about/", source="import run 1")
    second, created_again = add_redirect("/about.html", "/team/", source="import run 2")

    assert created
    assert not created_again
    assert first.pk == second.pk
    assert Redirect.objects.get().new_path == "/team/"
    assert Redirect.objects.get().source == "import run 2"


def test_old_path_is_stored_normalised():
    redirect, _ = add_redirect("https://example.com/caf%c3%a9 page.html?x=1", "/cafe/")

    assert redirect.old_path == "/caf%C3%A9%20page.html"


def test_normalise_path_is_idempotent():
    for path in ["/café", "/a%2541", "/%FF", "/a b", "/x%2Fy", *HOSTILE]:
        once = normalise_path(path)
        assert normalise_path(once) == once


@pytest.mark.parametrize(
    "new_path",
    [
        "https://evil.example/",
        "http://evil.example",
        "//evil.example",
        "/%2F/evil.example",
        "/%2Fevil.example",
        "/\\evil.example",
        "javascript:alert(1)",
        "about/",
        "",
    ],
)
def test_new_path_must_be_local(new_path):
    with pytest.raises(ValueError, match="path on this site"):
        add_redirect("/about.html", new_path)

    assert not Redirect.objects.exists()


def test_new_path_with_a_query_is_refused():
    with pytest.raises(ValueError, match="without"):
        add_redirect("/about.html", "/about/?x=1")


def test_source_longer_than_its_field_is_refused():
    with pytest.raises(ValueError, match="source is too long"):
        add_redirect("/about.html", "/about/", source="x" * 101)


def test_old_path_must_be_a_path():
    with pytest.raises(ValueError, match="start with"):
        add_redirect("about.html", "/about/")
    with pytest.raises(ValueError, match="path such as"):
        add_redirect("ftp://example.com/about.html", "/about/")


@pytest.mark.parametrize("new_path", ["/about/", "/about", "/%61bout/"])
def test_redirect_to_itself_is_refused(new_path):
    with pytest.raises(ValueError, match="is the old one"):
        add_redirect("/about/", new_path)


def test_loop_is_refused():
    add_redirect("/a.html", "/b.html")

    with pytest.raises(ValueError, match="loop"):
        add_redirect("/b.html", "/a.html")

    assert list(Redirect.objects.values_list("old_path", "new_path")) == [("/a.html", "/b.html")]


def test_longer_loop_is_refused():
    add_redirect("/a.html", "/b.html")
    add_redirect("/b.html", "/c.html")

    with pytest.raises(ValueError, match="loop"):
        add_redirect("/c.html", "/a.html")


def test_loop_through_a_final_slash_is_refused():
    add_redirect("/coc/", "/a/")

    with pytest.raises(ValueError, match="loop"):
        add_redirect("/a/", "/coc")


def test_chain_is_collapsed_to_the_final_target():
    add_redirect("/b.html", "/c/")

    redirect, _ = add_redirect("/a.html", "/b.html")

    assert redirect.new_path == "/c/"


def test_redirects_pointing_at_a_new_old_path_move_to_its_target(client):
    add_redirect("/a.html", "/b.html")

    add_redirect("/b.html", "/c/")

    assert target_for("/a.html") == "/c/"
    assert client.get("/a.html")["Location"] == "/c/"


def test_chain_through_a_final_slash_is_collapsed():
    add_redirect("/coc/", "/code-of-conduct/")

    redirect, _ = add_redirect("/conduct.html", "/coc")

    assert redirect.new_path == "/code-of-conduct/"


def test_remove_redirects_deletes_one_source_only():
    add_redirect("/a.html", "/a/", source="import run 12")
    add_redirect("/b.html", "/b/", source="import run 12")
    add_redirect("/c.html", "/c/", source="admin")

    removed = remove_redirects("import run 12")

    assert removed == 2
    assert list(Redirect.objects.values_list("old_path", flat=True)) == ["/c.html"]
    assert remove_redirects("import run 12") == 0


def test_target_for_finds_exact_match_first():
    add_redirect("/coc", "/a/")
    add_redirect("/coc/", "/b/")

    assert target_for("/coc") == "/a/"
    assert target_for("/coc/") == "/b/"
    assert target_for("/nothing") is None


# The admin ------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client):
    user = get_user_model().objects.create_superuser("editor@example.com", "pw")
    client.force_login(user)
    return client


def test_admin_adds_a_redirect_through_the_service(staff_client):
    add_redirect("/b.html", "/c/")

    response = staff_client.post(
        "/admin/website/redirect/add/",
        {"old_path": "/caf%c3%a9.html", "new_path": "/b.html", "source": "admin"},
    )

    assert response.status_code == 302
    redirect = Redirect.objects.get(source="admin")
    assert (redirect.old_path, redirect.new_path) == ("/caf%C3%A9.html", "/c/")


@pytest.mark.parametrize(
    ("old_path", "new_path", "message"),
    [
        ("/about.html", "https://evil.example/", "not another site"),
        ("/about.html", "/about.html", "is the old one"),
        ("about.html", "/about/", "must start with"),
        ("/b.html", "/a.html", "loop"),
    ],
)
def test_admin_shows_why_a_redirect_is_refused(staff_client, old_path, new_path, message):
    add_redirect("/a.html", "/b.html")

    response = staff_client.post(
        "/admin/website/redirect/add/",
        {"old_path": old_path, "new_path": new_path, "source": "admin"},
    )

    assert response.status_code == 200
    assert message in response.text
    assert Redirect.objects.count() == 1


def test_admin_refuses_a_second_redirect_from_one_old_path(staff_client):
    add_redirect("/about.html", "/about/")

    response = staff_client.post(
        "/admin/website/redirect/add/",
        {"old_path": "/about.html", "new_path": "/team/", "source": "admin"},
    )

    assert response.status_code == 200
    assert Redirect.objects.get().new_path == "/about/"


def test_admin_changes_the_target_of_a_redirect(staff_client):
    redirect, _ = add_redirect("/about.html", "/about/", source="import run 1")

    response = staff_client.post(
        f"/admin/website/redirect/{redirect.pk}/change/",
        {"new_path": "/team/", "source": "admin"},
    )

    assert response.status_code == 302
    redirect.refresh_from_db()
    assert (redirect.old_path, redirect.new_path, redirect.source) == (
        "/about.html",
        "/team/",
        "admin",
    )


def test_admin_lists_filters_and_searches_redirects(staff_client):
    add_redirect("/about.html", "/about/", source="import run 1")
    add_redirect("/coc/", "/code-of-conduct/", source="admin")

    listed = staff_client.get("/admin/website/redirect/?source=admin").text
    found = staff_client.get("/admin/website/redirect/?q=about").text

    assert "/coc/" in listed
    assert "/about.html" not in listed
    assert "/about.html" in found
