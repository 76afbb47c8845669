"""Staff see what each saved version of a page changed, from the page's history."""

import re

import pytest
import reversion
from django.contrib.auth import get_user_model
from reversion.models import Version

from bpd.members.roles import Role
from bpd.members.services import ensure_groups
from tests.factories import PageFactory, UserFactory


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("editor@example.com", "pw")


def save_version(page, user=None, **changes):
    """Change `page` and save it as a new version, as the admin does."""
    for name, value in changes.items():
        setattr(page, name, value)
    with reversion.create_revision():
        page.save()
        reversion.set_user(user)
    return Version.objects.get_for_object(page).first()


@pytest.fixture
def edited_page(editor):
    page = PageFactory(title="Code of conduct", body="Be kind.\n\nWelcome everyone.")
    first = save_version(page, editor)
    second = save_version(
        page, editor, title="Our code of conduct", body="Be brave.\n\nWelcome everyone."
    )
    return page, first, second


def compare_url(page, version, against=""):
    url = f"/admin/pages/page/{page.pk}/history/{version.pk}/compare/"
    return f"{url}?against={against}" if against else url


def marked(text):
    """The words `text` marks as removed and added, hidden screen-reader words left out."""
    text = re.sub(r'<span class="visually-hidden">[^<]*</span>', "", text)
    return re.findall(r"<del>(.*?)</del>", text, re.S), re.findall(r"<ins>(.*?)</ins>", text, re.S)


def test_history_links_each_version_to_what_it_changed(client, editor, edited_page):
    page, first, second = edited_page
    client.force_login(editor)

    history = client.get(f"/admin/pages/page/{page.pk}/history/").text

    assert f'href="{compare_url(page, second)}"' in history
    assert "Compare with previous" in history
    # The first version has nothing before it, only the current text to compare with.
    assert f'href="{compare_url(page, first)}"' not in history
    assert f'href="{compare_url(page, first, "current")}"' in history
    # The newest version is the current text.
    assert f'href="{compare_url(page, second, "current")}"' not in history


def test_compare_with_previous_marks_the_changed_words(client, editor, edited_page):
    page, _first, second = edited_page
    client.force_login(editor)

    response = client.get(compare_url(page, second))

    assert response.status_code == 200
    removed, added = marked(response.text)
    assert "kind" in removed
    assert "brave" in added
    assert "Code" in removed
    assert "Our code" in added
    assert "Welcome" not in "".join(removed + added)
    assert '<span class="visually-hidden">[removed: </span>kind' in response.text
    assert '<span class="visually-hidden">[added: </span>brave' in response.text


def test_compare_with_current_shows_later_edits(client, editor, edited_page):
    page, first, _second = edited_page
    save_version(page, editor, body="Be brave.\n\nWelcome everyone, always.")
    client.force_login(editor)

    response = client.get(compare_url(page, first, "current"))

    removed, added = marked(response.text)
    assert "kind" in removed
    assert "brave" in added
    assert ", always" in added
    assert "compared with the current text" in response.text


def test_compare_of_the_first_version_shows_all_of_it_added(client, editor, edited_page):
    page, first, _second = edited_page
    client.force_login(editor)

    response = client.get(compare_url(page, first))

    _removed, added = marked(response.text)
    assert "Be kind." in "".join(added)
    assert "The first saved version" in response.text


def test_compare_shows_a_script_in_the_text_escaped(client, editor):
    page = PageFactory(body="Hello")
    save_version(page, editor)
    version = save_version(page, editor, body="Hello <script>alert(1)</script>", title="<b>T</b>")
    client.force_login(editor)

    response = client.get(compare_url(page, version))

    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert "<b>T</b>" not in response.text


def test_compare_says_no_change_for_a_field_left_alone(client, editor, edited_page):
    page, _first, second = edited_page
    client.force_login(editor)

    response = client.get(compare_url(page, second))

    assert response.text.count("No change.") == 1  # the description


def test_compare_refuses_people_who_are_not_staff(client, edited_page):
    page, _first, second = edited_page
    client.force_login(UserFactory())

    response = client.get(compare_url(page, second))

    assert response.status_code == 302
    assert "/admin/login/" in response.headers["Location"]


def test_compare_refuses_staff_who_may_not_see_pages(client, edited_page):
    page, _first, second = edited_page
    client.force_login(UserFactory(is_staff=True))

    response = client.get(compare_url(page, second))

    assert response.status_code == 403


def test_compare_opens_for_executors(client, edited_page):
    page, _first, second = edited_page
    ensure_groups()  # executors may edit the site's content in the admin
    client.force_login(UserFactory(roles=[Role.EXECUTOR]))

    response = client.get(compare_url(page, second))

    assert response.status_code == 200


def test_compare_refuses_a_version_of_another_page(client, editor, edited_page):
    page, _first, _second = edited_page
    other = PageFactory()
    other_version = save_version(other, editor)
    client.force_login(editor)

    response = client.get(compare_url(page, other_version))

    assert response.status_code == 404


def test_compare_of_the_current_version_with_itself_says_they_are_the_same(
    client, editor, edited_page
):
    page, _first, second = edited_page
    client.force_login(editor)

    response = client.get(compare_url(page, second, "current"))

    assert "This version is the same as the current text." in response.text
    assert response.text.count("No change.") == 3


def test_news_posts_compare_their_versions_too(client, editor):
    from tests.factories import PostFactory

    post = PostFactory(title="Sprint day", body="We meet in Accra.")
    save_version(post, editor)
    second = save_version(post, editor, body="We meet in Lagos.")
    client.force_login(editor)

    history = client.get(f"/admin/news/post/{post.pk}/history/").text
    response = client.get(f"/admin/news/post/{post.pk}/history/{second.pk}/compare/")

    assert "Compare with previous" in history
    removed, added = marked(response.text)
    assert "Accra" in " ".join(removed)
    assert "Lagos" in " ".join(added)
