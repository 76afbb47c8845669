"""The Fund on the members' hub: what waits for each person comes first, each role's
main task is one click from the hub, and the hub's cost does not grow with the data."""

import pytest
from django.urls import reverse

from bpd.fund import services
from bpd.members.roles import Role
from tests.factories import ProfileFactory, UserFactory
from tests.fund.conftest import make_application, review
from tests.queries import get_with_queries

HUB = "/members/"


def signed_in(client, user):
    ProfileFactory(user=user) if not hasattr(user, "profile") else None
    client.force_login(user)
    return client


def hub_links(response):
    return response.content.decode()


def test_an_offer_waiting_for_a_reply_comes_first_with_its_deadline(
    client, fund_round, event, executor
):
    application = make_application(fund_round, event)
    services.stage_decision(
        application=application, outcome="award", items={"flight": 80_000}, actor=executor
    )
    services.release_decisions(round=fund_round, actor=executor)

    page = signed_in(client, application.applicant).get(HUB).content.decode()

    needs_you = page.index("Needs you")
    task = page.index("Reply to your award offer: Test round")
    assert needs_you < task < page.index("What you can do")
    assert reverse("fund:application", args=[application.pk]) in page
    assert "By in " in page  # the deadline, how far, the zone named
    assert "UTC)" in page


def test_a_reviewer_sees_how_many_applications_wait_for_them(client, fund_round, event, reviewers):
    for _ in range(3):
        make_application(fund_round, event)
    done = make_application(fund_round, event)
    review(done, reviewers[:1])

    page = signed_in(client, reviewers[0]).get(HUB).content.decode()

    assert "3 applications wait for your review: Test round" in page
    assert reverse("fund:review_queue", args=[fund_round.slug]) in page
    assert reverse("fund:committee", args=[fund_round.slug]) in page


def test_an_executor_is_told_of_staged_decisions(client, fund_round, event, executor):
    application = make_application(fund_round, event)
    services.stage_decision(
        application=application, outcome="award", items={"flight": 80_000}, actor=executor
    )

    page = signed_in(client, executor).get(HUB).content.decode()

    assert "1 decision staged, waiting to be released: Test round" in page
    assert reverse("fund:allocate", args=[fund_round.slug]) in page
    assert reverse("fund:manage") in page


def test_a_treasurer_is_told_of_accepted_awards_with_nothing_booked(
    client, fund_round, event, executor, treasurer
):
    application = make_application(fund_round, event)
    services.stage_decision(
        application=application, outcome="award", items={"flight": 80_000}, actor=executor
    )
    services.release_decisions(round=fund_round, actor=executor)
    services.reply_to_offer(application=application, accept=True, actor=application.applicant)

    page = signed_in(client, treasurer).get(HUB).content.decode()

    assert "1 accepted award has nothing booked yet: Test round" in page
    assert reverse("fund:money", args=[fund_round.slug]) in page


def test_a_leader_can_apply_in_one_click_and_a_member_sees_no_staff_tools(client, fund_round):
    leader = UserFactory(roles=[Role.LEADER])
    page = signed_in(client, leader).get(HUB).content.decode()
    assert reverse("fund:apply", args=[fund_round.slug]) in page
    assert reverse("fund:manage") not in page
    assert reverse("members:staff_home") not in page

    client.logout()
    member = UserFactory()
    page = signed_in(client, member).get(HUB).content.decode()
    assert "Nothing is waiting for you" in page
    assert reverse("fund:index") in page
    assert reverse("fund:money", args=[fund_round.slug]) not in page


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.EXECUTOR, Role.TREASURER])
def test_the_hub_costs_the_same_queries_with_ten_times_the_applications(
    client, fund_round, event, role, reviewers
):
    user = reviewers[0] if role == Role.REVIEWER else UserFactory(roles=[role])
    client = signed_in(client, user)
    make_application(fund_round, event)
    client.get(HUB)  # the first visit fills the caches every page reads
    _response, few = get_with_queries(client, HUB)
    for _ in range(10):
        make_application(fund_round, event)
    _response, many = get_with_queries(client, HUB)
    assert len(many) == len(few), "\n".join(many)
