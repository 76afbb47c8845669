"""Issue 9 finding 6: one audit log for the platform, kept when its objects go."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from bpd.audit import selectors as audit
from bpd.audit import services as log
from bpd.audit.models import Entry
from bpd.audit.verbs import Verb
from bpd.fund.models import Round
from bpd.members import services as members
from bpd.members.roles import Role
from tests.factories import ProfileFactory, UserFactory


def invite_for(creator, *roles):
    groups = [Group.objects.get_or_create(name=role)[0] for role in roles]
    return members.create_invite(
        created_by=creator, groups=groups, expires_at=timezone.now() + dt.timedelta(days=7)
    )


def test_invite_that_grants_executor_writes_who_granted_it(client, db):
    creator = UserFactory(roles=[Role.EXECUTOR])
    invite = invite_for(creator, Role.EXECUTOR)
    newcomer = UserFactory()
    client.force_login(newcomer)

    client.post(f"/invite/{invite.token}/")

    granted = Entry.objects.get(verb=Verb.ROLE_GRANTED, person=newcomer)
    assert granted.actor == creator
    assert granted.detail["role"] == Role.EXECUTOR
    assert Role.EXECUTOR in granted.after["roles"]
    assert Entry.objects.filter(verb=Verb.INVITE_CREATED, actor=creator).exists()
    assert Entry.objects.filter(verb=Verb.INVITE_REDEEMED, person=newcomer).exists()


def test_role_change_in_the_admin_is_logged_with_its_author(client, db):
    admin = UserFactory(roles=[Role.EXECUTOR], is_superuser=True)
    member = UserFactory(roles=[Role.REVIEWER])
    leader = Group.objects.get_or_create(name=Role.LEADER)[0]
    client.force_login(admin)

    response = client.post(
        f"/admin/members/user/{member.pk}/change/",
        {
            "email": member.email,
            "language": "en",
            "is_active": "on",
            "groups": [
                leader.pk,
                *member.groups.exclude(name=Role.REVIEWER).values_list("pk", flat=True),
            ],
        },
    )

    assert response.status_code == 302
    changes = {(e.verb, e.detail["role"]) for e in Entry.objects.filter(person=member, actor=admin)}
    assert changes == {(Verb.ROLE_GRANTED, "leader"), (Verb.ROLE_REMOVED, "reviewer")}


def test_entries_outlive_a_deleted_round(db):
    now = timezone.now()
    round = Round.objects.create(
        name="Gone", slug="gone", opens_at=now, closes_at=now + dt.timedelta(days=1),
        decision_date=now.date(), budget=1, covered=["flight"],
    )  # fmt: skip
    log.log(actor=None, verb=Verb.ROUND_CREATED, subject=round)
    key = ("fund.round", str(round.pk))

    round.delete()

    assert Entry.objects.filter(subject_type=key[0], subject_id=key[1]).count() == 1


def test_a_deleted_member_is_anonymised_in_the_log(client, db):
    staff = UserFactory(roles=[Role.EXECUTOR], email="boss@example.com")
    leaving = ProfileFactory(user__email="leaving@example.com").user
    log.log(actor=leaving, verb=Verb.INVITE_REDEEMED, person=leaving)
    log.log(actor=staff, verb=Verb.PRIVATE_VIEWED, subject=leaving, person=leaving)

    members.delete_account(user=leaving)

    rows = list(Entry.objects.values_list("actor_label", "subject_label"))
    assert "leaving@example.com" not in repr(rows)
    assert Entry.objects.filter(verb=Verb.PRIVATE_VIEWED, actor=staff).exists()
    assert Entry.objects.filter(verb=Verb.ACCOUNT_DELETED).count() == 1


def test_log_refuses_a_verb_outside_the_fixed_list(db):
    with pytest.raises(ValueError, match=r"fund\.made_up"):
        log.log(actor=None, verb="fund.made_up")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"verb": "member.invite_created"}, {"member.invite_created"}),
        ({"person": "nia@"}, {"member.private_viewed"}),
        ({"subject_type": "members.invite"}, {"member.invite_created"}),
    ],
)
def test_staff_view_filters_by_person_object_and_verb(client, db, query, expected):
    executor = UserFactory(roles=[Role.EXECUTOR])
    nia = UserFactory(email="nia@example.com")
    invite_for(executor, Role.LEADER)
    log.log(actor=executor, verb=Verb.PRIVATE_VIEWED, subject=nia, person=nia, fields=["city"])
    client.force_login(executor)

    page = client.get("/staff/audit/", query)

    assert page.status_code == 200
    assert {e.verb for e in page.context["page_obj"].object_list} == expected


def test_history_finds_entries_filed_under_a_parent(db):
    round_user = UserFactory()
    now = timezone.now()
    round = Round.objects.create(
        name="R", slug="r", opens_at=now, closes_at=now + dt.timedelta(days=1),
        decision_date=now.date(), budget=1, covered=["flight"],
    )  # fmt: skip
    log.log(actor=round_user, verb=Verb.ROUND_CHANGED, subject=round_user, parent=round)

    assert audit.history(round).count() == 1
