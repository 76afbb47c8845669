"""The news list a page shows for [[component:news]] (news.selectors.latest_posts)."""

import datetime as dt

import pytest
from django.utils import timezone

from bpd.news import selectors
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def titles(context):
    return [post.title for post in context["posts"]]


def test_the_latest_ten_published_posts_readers_language_first():
    now = timezone.now()
    PostFactory(title="Hausa old", language="ha", published_at=now - dt.timedelta(days=30))
    PostFactory.create_batch(12, language="en")
    PostFactory(title="Scheduled", language="ha", published_at=now + dt.timedelta(days=1))

    found = titles(selectors.latest_posts(None, "ha"))

    assert len(found) == selectors.COMPONENT_POSTS == 10
    assert found[0] == "Hausa old"
    assert "Scheduled" not in found


def test_nothing_without_a_published_post():
    PostFactory(published_at=timezone.now() + dt.timedelta(days=1))

    assert selectors.latest_posts(None, "en") is None
