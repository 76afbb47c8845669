import html

import pytest
from django.contrib.auth import get_user_model
from reversion.models import Version

from bpd.pages.models import Page
from tests.factories import PageFactory, UserFactory


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("editor@example.com", "pw")


def page_form(**overrides):
    data = {
        "title": "Code of conduct",
        "language": "en",
        "path": "code-of-conduct/",
        "translation_key": "code-of-conduct",
        "layout": "default",
        "in_menu": "",
        "description": "",
        "body": "Be kind.",
        "body_format": "markdown",
    }
    data.update(overrides)
    return data


def test_editor_change_is_recorded_and_can_be_restored(client, editor):
    client.force_login(editor)
    client.post("/admin/pages/page/add/", page_form())
    page = Page.objects.get(path="code-of-conduct/")
    client.post(f"/admin/pages/page/{page.pk}/change/", page_form(body="Be kind. Be **brave**."))

    versions = Version.objects.get_for_object(page)
    assert versions.count() == 2
    assert {v.revision.user for v in versions} == {editor}
    history = client.get(f"/admin/pages/page/{page.pk}/history/").text
    assert "editor@example.com" in history
    assert "Changed Body" in history

    oldest = versions.last()
    client.post(f"/admin/pages/page/{page.pk}/history/{oldest.pk}/", page_form())
    page.refresh_from_db()
    assert page.body == "Be kind."
    assert "<strong>" not in page.body_html


def test_markdown_is_rendered_once_on_save(client, editor):
    client.force_login(editor)
    client.post("/admin/pages/page/add/", page_form(body="Hello <script>x()</script> **world**"))

    page = Page.objects.get(path="code-of-conduct/")
    assert page.body_html == "<p>Hello  <strong>world</strong></p>\n"


def test_preview_renders_unsaved_edits_without_saving(client, editor):
    client.force_login(editor)

    response = client.post("/admin/pages/page/preview/", page_form(body="# Draft\n\n**New** text"))

    assert response.status_code == 200
    assert "<strong>New</strong>" in response.text
    assert "Nothing has been saved" in response.text
    assert not Page.objects.exists()


def test_preview_refuses_people_who_are_not_staff(client, db):
    user = get_user_model().objects.create_user("m@example.com")
    client.force_login(user)

    response = client.post("/admin/pages/page/preview/", page_form())

    assert response.status_code == 302
    assert "/admin/login/" in response.headers["Location"]


def test_preview_of_a_saved_page_is_checked_against_that_page(client, editor):
    client.force_login(editor)
    page = PageFactory(path="code-of-conduct/", translation_key="code-of-conduct")

    response = client.post(
        f"/admin/pages/page/{page.pk}/preview/", page_form(body="Be kind. Be **brave**.")
    )

    assert response.status_code == 200
    assert "<strong>brave</strong>" in response.text
    assert "Nothing has been saved" in response.text
    assert 'role="alert"' not in response.text
    assert "already" not in response.text
    page.refresh_from_db()
    assert page.body == "Some *Markdown* text."


def test_change_form_previews_through_the_page_it_edits(client, editor):
    client.force_login(editor)
    page = PageFactory()

    change_form = client.get(f"/admin/pages/page/{page.pk}/change/").text
    add_form = client.get("/admin/pages/page/add/").text

    assert f'formaction="/admin/pages/page/{page.pk}/preview/"' in change_form
    assert 'formaction="/admin/pages/page/preview/"' in add_form


def test_preview_of_an_address_taken_by_another_page_says_so_readably(client, editor):
    client.force_login(editor)
    PageFactory(path="about/", translation_key="about")
    page = PageFactory(path="team/", translation_key="team")

    response = client.post(
        f"/admin/pages/page/{page.pk}/preview/",
        page_form(path="about/", translation_key="team", title=""),
    )

    assert response.status_code == 200
    assert 'role="alert"' in response.text
    assert "Another page already has the address /about/." in response.text
    assert "Title: This field is required." in response.text
    assert "__all__" not in response.text


def test_preview_of_a_new_page_at_a_taken_address_says_so_readably(client, editor):
    client.force_login(editor)
    PageFactory(path="code-of-conduct/", translation_key="code-of-conduct")

    response = client.post("/admin/pages/page/preview/", page_form())

    assert "Another page already has the address /code-of-conduct/." in response.text
    assert 'already has the translation key "code-of-conduct"' in html.unescape(response.text)
    assert "__all__" not in response.text


def test_saving_a_page_at_a_taken_address_says_which_address(client, editor):
    client.force_login(editor)
    PageFactory(path="code-of-conduct/", translation_key="code-of-conduct")

    response = client.post("/admin/pages/page/add/", page_form(translation_key="other"))

    assert response.status_code == 200
    assert "Another page already has the address /code-of-conduct/." in response.text
    assert Page.objects.count() == 1


def test_preview_of_a_saved_page_refuses_people_who_are_not_staff(client, db):
    page = PageFactory()
    client.force_login(UserFactory())

    response = client.post(f"/admin/pages/page/{page.pk}/preview/", page_form())

    assert response.status_code == 302
    assert "/admin/login/" in response.headers["Location"]
