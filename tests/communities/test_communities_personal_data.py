"""Local communities in "download my data" and "delete my account": what a member
proposed, leads, joined and follows is exported; deleting the account removes their
memberships and leaderships (audited, without their name), and their proposals never
approved, while approved communities stay."""

import pytest

from bpd.audit.models import Entry
from bpd.audit.verbs import Verb
from bpd.communities.models import Community, Leadership, Membership
from bpd.members import services as members
from bpd.members.exports import collect
from bpd.website import registry
from tests.communities.factories import CommunityFactory, MembershipFactory, leader_of

pytestmark = pytest.mark.django_db
S = Community.Status


@pytest.fixture
def person():
    community = CommunityFactory(name="PyData Accra")
    leader = leader_of(community)
    community.proposed_by = leader
    community.save()
    MembershipFactory(community=CommunityFactory(name="Python Lagos"), user=leader)
    MembershipFactory(
        community=CommunityFactory(name="Python Nairobi"), user=leader, kind="follower"
    )
    CommunityFactory(
        name="Python Kano", status=S.DECLINED, proposed_by=leader,
        description="My own words about Kano", decision_note="Merge with Python Kaduna",
    )  # fmt: skip
    CommunityFactory(name="Python Jos", status=S.PROPOSED, proposed_by=leader)
    return leader


def test_every_communities_model_that_refers_to_a_member_is_named():
    handled = registry.personal_data_models()
    assert {
        "communities.Community", "communities.Leadership", "communities.Membership",
    } <= set(handled)  # fmt: skip


def test_the_export_holds_proposals_leaderships_and_memberships(person):
    data = collect(person)["communities"]

    assert [row["name"] for row in data["proposed"]] == [
        "PyData Accra", "Python Kano", "Python Jos",
    ]  # fmt: skip
    kano = data["proposed"][1]
    assert (kano["status"], kano["note_to_you"]) == ("declined", "Merge with Python Kaduna")
    assert kano["description"] == "My own words about Kano"
    assert [row["community"] for row in data["leads"]] == ["PyData Accra"]
    assert [(row["community"], row["kind"]) for row in data["memberships"]] == [
        ("Python Lagos", "member"), ("Python Nairobi", "follower"),
    ]  # fmt: skip


def test_the_readable_export_names_communities_and_states(person):
    part = next(p for p in registry.personal_data() if p.name == "communities")
    written = repr(part.readable(part.collect(person)))
    assert "Python Kano" in written
    assert "Declined" in written
    assert "Merge with Python Kaduna" in written
    assert "Follower" in written


def test_deleting_an_account_keeps_approved_communities_and_drops_the_rest(person):
    email = person.email

    members.delete_account(user=person)

    names = set(Community.objects.values_list("name", flat=True))
    assert names == {"PyData Accra", "Python Lagos", "Python Nairobi"}
    assert Community.objects.get(name="PyData Accra").proposed_by is None
    assert not Leadership.objects.exists()
    assert not Membership.objects.exists()
    removed = Entry.objects.get(verb=Verb.LEADER_REMOVED)
    assert removed.reason == "account deleted"
    assert email not in repr(list(Entry.objects.values()))
