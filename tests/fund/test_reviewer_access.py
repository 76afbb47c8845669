"""Reviewers never review their own application, one they declared a conflict on, or
anything once their reviewer role is gone, whatever page they come through."""

import re

import pytest
from django.contrib.auth.models import Group

from bpd.fund import services
from bpd.fund.models import Review
from bpd.members.roles import Role
from tests.factories import ProfileFactory, UserFactory
from tests.fund.conftest import make_application, review


def linked_for_review(response):
    return {int(pk) for pk in re.findall(r'href="/fund/applications/(\d+)/review/"', response.text)}


def score_form(round):
    return {f"score_{criterion.pk}": "5" for criterion in round.criteria.all()}


@pytest.fixture
def reviewer(db, fund_round):
    """A reviewer of the round who is also a community leader, so may apply to it."""
    user = UserFactory(roles=[Role.REVIEWER, Role.LEADER])
    ProfileFactory(user=user)
    fund_round.reviewers.add(user)
    return user


@pytest.fixture
def other(fund_round, event, reviewers):
    """Someone else's application, scored by the other reviewers: the reviewer's to review."""
    application = make_application(fund_round, event)
    review(application, reviewers)
    return application


@pytest.fixture(params=["own application", "declared conflict"])
def barred(request, fund_round, event, reviewers, reviewer):
    """An application `reviewer` may not review: their own, or one they declared a conflict on."""
    if request.param == "own application":
        application = make_application(fund_round, event, applicant=reviewer)
    else:
        application = make_application(fund_round, event)
        services.declare_conflict(application=application, reviewer=reviewer, reason="my cousin")
    review(application, reviewers)
    return application


def test_review_queue_leaves_out_what_the_reviewer_may_not_review(client, reviewer, other, barred):
    client.force_login(reviewer)

    response = client.get("/fund/test-round/review/")

    assert response.status_code == 200
    assert linked_for_review(response) == {other.pk}


def test_review_page_of_what_the_reviewer_may_not_review_is_not_found(
    client, fund_round, reviewer, barred
):
    client.force_login(reviewer)
    url = f"/fund/applications/{barred.pk}/review/"

    assert client.get(url).status_code == 404
    assert client.post(url, {**score_form(fund_round), "comment": "Great!"}).status_code == 404
    assert not Review.objects.filter(application=barred, reviewer=reviewer).exists()


def test_committee_table_leaves_out_what_the_reviewer_may_not_review(
    client, reviewer, other, barred
):
    client.force_login(reviewer)

    response = client.get("/fund/test-round/committee/")

    assert response.status_code == 200
    assert linked_for_review(response) == {other.pk}
    assert f">{barred.pk}</a>" not in response.text


def test_reviewer_whose_role_was_removed_is_refused_though_still_listed_on_the_round(
    client, fund_round, reviewer, other
):
    reviewer.groups.remove(Group.objects.get(name=Role.REVIEWER))
    assert fund_round.reviewers.filter(pk=reviewer.pk).exists()
    client.force_login(reviewer)
    review_url = f"/fund/applications/{other.pk}/review/"

    assert client.get("/fund/test-round/review/").status_code in {403, 404}
    assert client.get(review_url).status_code in {403, 404}
    assert client.post(review_url, score_form(fund_round)).status_code in {403, 404}
    assert client.get("/fund/test-round/committee/").status_code in {403, 404}
    assert not Review.objects.filter(reviewer=reviewer).exists()


def test_the_same_reviewer_sees_and_reviews_others_applications(
    client, fund_round, reviewer, other
):
    client.force_login(reviewer)

    assert linked_for_review(client.get("/fund/test-round/review/")) == {other.pk}
    assert linked_for_review(client.get("/fund/test-round/committee/")) == {other.pk}
    client.post(f"/fund/applications/{other.pk}/review/", score_form(fund_round))
    assert Review.objects.get(application=other, reviewer=reviewer).submitted_at is not None


def test_reviewer_of_another_round_cannot_open_this_one(client, fund_round, other):
    """Holding the reviewer role is not enough: a reviewer sees only the rounds they are
    listed on."""
    outsider = UserFactory(roles=[Role.REVIEWER])
    client.force_login(outsider)

    for url in (
        "/fund/test-round/review/",
        "/fund/test-round/committee/",
        f"/fund/applications/{other.pk}/review/",
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(f"/fund/applications/{other.pk}/review/", score_form(fund_round))
    assert response.status_code == 404
    assert not Review.objects.filter(reviewer=outsider).exists()


def test_a_cached_committee_table_is_never_shown_to_another_reviewer(
    client, fund_round, event, reviewers
):
    """Reviewers' tables differ (conflicts are left out), so one reviewer's cached table
    must never be served to another."""
    first, second = reviewers
    application = make_application(fund_round, event)
    application.conflicts.create(reviewer=second)
    client.force_login(first)
    assert application.pk in committee_rows(client)  # cached for the first reviewer

    client.force_login(second)

    assert application.pk not in committee_rows(client)


def committee_rows(client):
    page = client.get("/fund/test-round/committee/").text
    return {
        int(pk) for pk in re.findall(r'href="/fund/applications/(\d+)/(?:review|decide)/"', page)
    }
