import csv
import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from bpd.audit import services as audit
from bpd.audit.models import Entry
from bpd.audit.verbs import Verb
from bpd.members import services
from bpd.members.models import Invite
from bpd.members.roles import Role
from bpd.members.visibility import Visibility
from tests.factories import ProfileFactory, UserFactory


def make_invite(*roles, **kwargs):
    groups = [Group.objects.get_or_create(name=role)[0] for role in roles]
    kwargs.setdefault("expires_at", timezone.now() + dt.timedelta(days=7))
    return services.create_invite(created_by=None, groups=groups, **kwargs)


def test_invite_grants_roles(client, db):
    invite = make_invite(Role.LEADER, Role.REVIEWER)
    user = UserFactory()
    client.force_login(user)

    response = client.post(f"/invite/{invite.token}/")

    assert response.status_code == 302
    assert set(user.groups.values_list("name", flat=True)) == {"member", "leader", "reviewer"}
    invite.refresh_from_db()
    assert invite.uses == 1


def test_executor_invite_makes_staff(db):
    user = UserFactory()

    services.redeem_invite(invite=make_invite(Role.EXECUTOR), user=user)

    user.refresh_from_db()
    assert user.is_staff


@pytest.mark.parametrize(
    ("invite_kwargs", "message"),
    [
        ({"expires_at": timezone.now() - dt.timedelta(minutes=1)}, "expired"),
        ({"max_uses": 0}, "used as many times"),
        ({"email": "someone-else@example.com"}, "different email address"),
    ],
)
def test_unusable_invite_is_refused_with_reason(client, db, invite_kwargs, message):
    invite = make_invite(Role.LEADER, **invite_kwargs)
    user = UserFactory()
    client.force_login(user)

    response = client.post(f"/invite/{invite.token}/", follow=True)

    assert message in response.text
    assert not user.groups.filter(name="leader").exists()


def test_withdrawn_invite_is_refused(db):
    invite = make_invite(Role.LEADER)
    services.revoke_invite(invite=invite, actor=invite.created_by)
    user = UserFactory()

    with pytest.raises(services.InviteError):
        services.redeem_invite(invite=invite, user=user)

    assert not user.groups.filter(name=Role.LEADER).exists()
    invite.refresh_from_db()
    assert invite.uses == 0


def test_invite_locked_to_address_works_for_that_address(db):
    invite = make_invite(Role.PARTNER, email="Partner@Example.com")
    user = UserFactory(email="partner@example.com")

    services.redeem_invite(invite=invite, user=user)

    assert user.groups.filter(name="partner").exists()


def test_anonymous_invite_page_explains_and_links_to_join(client, db):
    invite = make_invite(Role.LEADER)

    response = client.get(f"/invite/{invite.token}/")

    assert "Community leader" in response.text
    assert "/accounts/signup/?next=" in response.text


def test_executor_creates_and_withdraws_invites_from_a_page(client, db):
    client.force_login(UserFactory(roles=[Role.EXECUTOR]))
    leader_group = Group.objects.get_or_create(name="leader")[0]

    response = client.post(
        "/staff/invites/", {"groups": [leader_group.pk], "days": 7, "max_uses": 3, "note": "Accra"}
    )

    assert response.status_code == 302
    invite = Invite.objects.get()
    assert (invite.max_uses, invite.note) == (3, "Accra")
    assert f"/staff/invites/{invite.pk}/revoke/" in client.get("/staff/invites/").text
    assert client.get(f"/staff/invites/{invite.pk}/revoke/").status_code == 200
    response = client.post(f"/staff/invites/{invite.pk}/revoke/", {"confirm": "on"})
    assert response.status_code == 302
    invite.refresh_from_db()
    assert invite.revoked_at is not None


def test_withdrawing_an_invite_without_the_box_ticked_changes_nothing_and_says_why(client, db):
    invite = make_invite(Role.LEADER)
    client.force_login(UserFactory(roles=[Role.EXECUTOR]))

    response = client.post(f"/staff/invites/{invite.pk}/revoke/")

    assert response.status_code == 200
    invite.refresh_from_db()
    assert invite.revoked_at is None
    assert not Entry.objects.filter(verb=Verb.INVITE_REVOKED).exists()
    assert "Tick the box to confirm, or go back." in response.text
    assert 'class="error-summary"' in response.text


def test_staff_csv_export_respects_visibility_and_is_logged(client, db):
    staff = UserFactory(roles=[Role.EXECUTOR])
    ProfileFactory(
        display_name="Private person",
        bio="x",
        career_status="open",
        career_visibility=Visibility.LEADERS,
        pronouns="they/them",
        about_visibility=Visibility.ONLY_ME,
        roles=["data"],
    )
    client.force_login(staff)

    response = client.get("/staff/members/?format=csv")

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 1
    row = rows[0]
    assert row["display_name"] == "Private person"
    assert row["career_status"] == "Open to work"
    assert row["roles"] == ""  # only-me field never exported
    assert row["skill_level"] == ""
    assert Entry.objects.filter(detail__context="CSV export").count() == 1


def test_audit_log_is_for_executors_only(client, db):
    member = UserFactory()
    audit.log(
        actor=None,
        verb="member.private_viewed",
        subject=member,
        person=member,
        fields=["city"],
        context="x",
    )
    client.force_login(UserFactory(roles=[Role.LEADER]))
    assert client.get("/staff/audit/").status_code == 403

    client.force_login(UserFactory(roles=[Role.EXECUTOR]))
    response = client.get("/staff/audit/")
    assert response.status_code == 200
    assert "city" in response.text
