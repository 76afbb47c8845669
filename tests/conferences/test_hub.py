"""Executors find the moderation queue from the hub: a "needs you" item while
suggestions wait, and a link on the Events card."""

import datetime as dt

import pytest

from bpd.conferences.models import Conference
from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def _suggest(name):
    return Conference.objects.create(
        name=name,
        url="https://example.org/",
        starts_on=dt.date(2027, 5, 1),
        ends_on=dt.date(2027, 5, 2),
    )


def test_executors_are_told_suggestions_wait_and_can_click_to_the_queue(client):
    executor = ProfileFactory(user=UserFactory(roles=["executor"])).user
    client.force_login(executor)
    assert "wait for moderation" not in client.get("/members/").text

    _suggest("PyCon Somewhere")
    _suggest("PyCon Elsewhere")
    page = client.get("/members/").text

    assert "2 conference suggestions wait for moderation" in page
    assert 'href="/conferences/manage/"' in page


def test_members_are_not_told_about_moderation(client):
    member = ProfileFactory(user=UserFactory()).user
    client.force_login(member)
    _suggest("PyCon Somewhere")

    page = client.get("/members/").text

    assert "wait for moderation" not in page
    assert 'href="/conferences/manage/"' not in page
