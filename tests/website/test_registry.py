"""What the apps register with the ground floor (bpd/website/registry.py), as the
layout, the home page, the sitemap and the page cache see it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import translation

from bpd.members.roles import Role
from bpd.website import registry
from bpd.website.versions import content_version
from tests.factories import PageFactory, PostFactory, TagFactory, UserFactory


def _request(user=None, path="/"):
    request = RequestFactory().get(path)
    if user is not None:
        request.user = user
    return request


@pytest.mark.django_db
def test_header_menu_lists_the_first_menu_pages_then_the_programmes_then_news():
    PageFactory(path="about/", title="About", in_menu=1)
    PageFactory(path="initiatives/", title="Initiatives", in_menu=2)
    PageFactory(path="leadership/", title="Leadership", in_menu=3)  # in the footer only

    with translation.override("en"):
        items = registry.menu("header", _request(path="/about/"), "en")

    assert [(item.label, item.url, item.current) for item in items] == [
        ("About", "/about/", True),
        ("Initiatives", "/initiatives/", False),
        ("Events", "/events/", False),
        ("Fund", "/fund/", False),
        ("Communities", "/communities/", False),
        ("Learning", "/learning/", False),
        ("News", "/news/", False),
    ]


@pytest.mark.django_db
def test_account_menu_depends_on_who_is_reading():
    with translation.override("en"):
        anonymous = registry.menu("account", _request(AnonymousUser()), "en")
        member = registry.menu("account", _request(UserFactory()), "en")

    assert [item.label for item in anonymous] == ["Sign in", "Join"]
    assert [(item.label, item.post) for item in member] == [
        ("Sign out", True),
        ("Your BPD", False),  # last: shown as the call to action
    ]


@pytest.mark.django_db
def test_viewer_flags_come_from_the_roles():
    treasurer = UserFactory(roles=[Role.TREASURER])

    assert registry.viewer_flags(_request(treasurer)) == {
        "is_executor": False,
        "is_treasurer": True,
    }
    assert registry.viewer_flags(_request()) == {"is_executor": False, "is_treasurer": False}


@pytest.mark.django_db
def test_home_sections_show_the_latest_news_only_when_there_is_some():
    assert registry.home_sections(_request(), "en") == []

    post = PostFactory()

    [section] = registry.home_sections(_request(), "en")
    assert section.template == "news/home_section.html"
    assert section.context == {"posts": [post]}


def test_public_content_covers_every_model_public_pages_show():
    assert set(registry.public_content) >= {
        "website.SiteSettings",
        "website.SocialLink",
        "pages.Page",
        "pages.TeamMember",
        "pages.TeamMemberTranslation",
        "news.Post",
        "news.Tag",
        "news.Post_tags",
    }


@pytest.mark.django_db
def test_tagging_a_post_bumps_the_content_version():
    post, tag = PostFactory(), TagFactory()
    before = content_version()

    post.tags.add(tag)

    assert content_version() != before
