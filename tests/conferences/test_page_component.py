"""The conference list a page shows for [[component:conferences]]
(conferences.selectors.page_component)."""

import pytest

from bpd.conferences import selectors
from bpd.conferences.models import Conference
from tests.conferences.conftest import make_conference

pytestmark = pytest.mark.django_db


def names(context):
    return [conference.name for conference in context["conferences"]]


def test_the_soonest_published_conferences_not_yet_over():
    make_conference(name="Later", days=90)
    make_conference(name="Sooner", days=10)
    make_conference(name="Over", days=-10)
    make_conference(name="Suggested", status=Conference.Status.SUGGESTED)

    assert names(selectors.page_component(None, "en")) == ["Sooner", "Later"]


def test_at_most_twenty():
    for days in range(25):
        make_conference(days=days + 1)

    assert len(names(selectors.page_component(None, "en"))) == 20


def test_nothing_without_an_upcoming_conference():
    make_conference(days=-10)

    assert selectors.page_component(None, "en") is None
