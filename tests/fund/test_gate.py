"""The gate: each QuerySet method states one rule, and holds it for every kind of person."""

import pytest
from django.contrib.auth.models import AnonymousUser

from bpd.fund.models import Application, Round
from bpd.members.roles import Role
from tests.factories import UserFactory
from tests.fund.conftest import make_application


@pytest.fixture
def people(fund_round, event, reviewers):
    own = make_application(fund_round, event)
    other = make_application(fund_round, event)
    ex_reviewer = UserFactory()  # listed on the round, reviewer role removed
    fund_round.reviewers.add(ex_reviewer)
    return (
        {
            "anonymous": AnonymousUser(),
            "member": UserFactory(),
            "applicant": own.applicant,
            "reviewer": reviewers[0],
            "unlisted_reviewer": UserFactory(roles=[Role.REVIEWER]),
            "ex_reviewer": ex_reviewer,
            "treasurer": UserFactory(roles=[Role.TREASURER]),
            "executor": UserFactory(roles=[Role.EXECUTOR]),
        },
        own,
        other,
    )


ROUND_RULES = {
    # method: people who get the round
    "reviewed_by": {"reviewer"},
    "committee_for": {"reviewer", "executor"},
    "managed_by": {"executor"},
    "money_for": {"treasurer", "executor"},
}


@pytest.mark.parametrize("method", ROUND_RULES)
def test_round_gates(people, fund_round, method):
    users, _own, _other = people
    allowed = {name for name, user in users.items() if getattr(Round.objects, method)(user)}
    assert allowed == ROUND_RULES[method]


# method: {person: which applications ("own", "other")}
APPLICATION_RULES = {
    "owned_by": {"applicant": {"own"}},
    "reviewable_by": {"reviewer": {"own", "other"}},
    "decidable_by": {"executor": {"own", "other"}},
    "bookable_by": {"treasurer": {"own", "other"}, "executor": {"own", "other"}},
    "visible_to": {
        "applicant": {"own"},
        "reviewer": {"own", "other"},
        "treasurer": {"own", "other"},
        "executor": {"own", "other"},
    },
}


@pytest.mark.parametrize("method", APPLICATION_RULES)
def test_application_gates(people, method):
    users, own, other = people
    names = {own.pk: "own", other.pk: "other"}
    seen = {}
    for name, user in users.items():
        pks = set(getattr(Application.objects, method)(user).values_list("pk", flat=True))
        if pks:
            seen[name] = {names[pk] for pk in pks}
    assert seen == APPLICATION_RULES[method]


def test_reviewers_never_get_their_own_or_a_conflicted_application(people, fund_round, event):
    users, own, other = people
    reviewer = users["reviewer"]
    mine = make_application(fund_round, event)
    mine.applicant = reviewer
    mine.save()
    other.conflicts.create(reviewer=reviewer)

    assert set(Application.objects.reviewable_by(reviewer)) == {own}
    assert set(Application.objects.in_committee_for(reviewer, fund_round)) == {own}
    assert set(Application.objects.in_committee_for(users["executor"], fund_round)) == {
        own,
        other,
        mine,
    }
