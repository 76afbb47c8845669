"""Local communities' writes: proposing, the executors' decision (emails in the proposer's
language, audit), leaders added and removed (audited, the leader role granted and taken
back only when a leadership gave it), closing, editing with texts per language, joining,
following and leaving (idempotent), and a community's events (one transaction)."""

import datetime as dt

import pytest
from django.utils import timezone

from bpd.audit.models import Entry
from bpd.audit.verbs import Verb
from bpd.communities import services
from bpd.communities.models import Community, CommunityText, HostedEvent, Leadership, Membership
from bpd.events import services as events
from bpd.events.models import Event
from bpd.members.roles import Role, has_role
from tests.communities.factories import CommunityFactory, leader_of
from tests.factories import CityFactory, ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db
S = Community.Status


@pytest.fixture
def executor():
    return ProfileFactory(user=UserFactory(roles=[Role.EXECUTOR])).user


@pytest.fixture
def accra():
    return CityFactory(name="Accra", country="GH", timezone="Africa/Accra")


def member(**user):
    return ProfileFactory(user=UserFactory(**user)).user


def propose(by, city, name="PyData Accra", **data):
    values = {"name": name, "city": city, "language": "en", "description": "We meet."}
    return services.propose(by=by, data=values | data)


def verbs(subject=None, person=None):
    entries = Entry.objects.order_by("pk")
    if subject is not None:
        entries = entries.filter(subject_type="communities.community", subject_id=str(subject.pk))
    if person is not None:
        entries = entries.filter(person=person)
    return [entry.verb for entry in entries]


# --- Proposing -------------------------------------------------------------------------


def test_a_proposal_waits_and_is_audited(accra):
    proposer = member()
    community = propose(proposer, accra, website="https://example.org")
    assert community.status == S.PROPOSED
    assert community.country == "GH"
    assert community.slug == "pydata-accra"
    assert community.proposed_by == proposer
    assert verbs(community) == [Verb.COMMUNITY_PROPOSED]


def test_a_name_is_taken_once_per_city_whatever_its_case(accra):
    propose(member(), accra)
    with pytest.raises(services.CommunityError, match="already exists in Accra"):
        propose(member(), accra, name="pydata ACCRA")
    # Another city may have a community of the same name; its address differs.
    other = propose(member(), CityFactory(name="Kumasi", country="GH"))
    assert other.slug == "pydata-accra-2"


def test_a_member_has_at_most_three_proposals_waiting(accra):
    proposer = member()
    for number in range(services.MAX_WAITING_PROPOSALS):
        propose(proposer, accra, name=f"Group {number}")
    with pytest.raises(services.CommunityError, match="3 proposals waiting"):
        propose(proposer, accra, name="One more")


def test_a_slug_never_takes_another_page_of_the_app(accra):
    for name in ("Manage", "Mine", "Propose"):
        community = propose(member(), accra, name=name)
        assert community.slug == f"{name.lower()}-community"


# --- Deciding --------------------------------------------------------------------------------


def test_approving_makes_the_proposer_its_first_leader_with_the_role_and_an_email(
    accra, executor, mailoutbox, django_capture_on_commit_callbacks
):
    proposer = member(language="fr")
    community = propose(proposer, accra)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(community=community, by=executor, note="Bienvenue")
    community.refresh_from_db()
    assert community.status == S.ACTIVE
    assert community.decided_by == executor
    assert Leadership.objects.get(community=community).user == proposer
    assert has_role(type(proposer).objects.get(pk=proposer.pk), Role.LEADER)
    assert verbs(community) == [
        Verb.COMMUNITY_PROPOSED,
        Verb.COMMUNITY_APPROVED,
        Verb.LEADER_ADDED,
    ]
    assert Verb.ROLE_GRANTED in verbs(person=proposer)
    [mail] = mailoutbox
    assert mail.to == [proposer.email]
    assert "PyData Accra" in mail.subject
    assert "/fr/communities/pydata-accra/" in mail.body  # in the proposer's language


def test_declining_needs_a_note_and_emails_it(
    accra, executor, mailoutbox, django_capture_on_commit_callbacks
):
    proposer = member()
    community = propose(proposer, accra)
    with pytest.raises(services.CommunityError):
        services.decline(community=community, by=executor, note="   ")
    with django_capture_on_commit_callbacks(execute=True):
        services.decline(community=community, by=executor, note="Please merge with PyAccra")
    community.refresh_from_db()
    assert community.status == S.DECLINED
    assert community.decision_note == "Please merge with PyAccra"
    assert not Leadership.objects.exists()
    assert verbs(community)[-1] == Verb.COMMUNITY_DECLINED
    assert Entry.objects.get(verb=Verb.COMMUNITY_DECLINED).reason == "Please merge with PyAccra"
    [mail] = mailoutbox
    assert "Please merge with PyAccra" in mail.body


@pytest.mark.parametrize("status", [S.ACTIVE, S.DECLINED, S.CLOSED])
def test_only_a_waiting_proposal_is_decided(status, executor):
    community = CommunityFactory(status=status)
    with pytest.raises(services.CommunityError):
        services.approve(community=community, by=executor)
    with pytest.raises(services.CommunityError):
        services.decline(community=community, by=executor, note="No")
    assert Community.objects.get(pk=community.pk).status == status


# --- Leaders ----------------------------------------------------------------------------------


def test_adding_a_leader_by_email_grants_the_role_audited_and_emails_them(
    executor, mailoutbox, django_capture_on_commit_callbacks
):
    community = CommunityFactory()
    person = member(email="Ama@Example.com")
    with django_capture_on_commit_callbacks(execute=True):
        services.add_leader(community=community, by=executor, email="ama@example.com")
    assert Leadership.objects.get(community=community).user == person
    assert has_role(type(person).objects.get(pk=person.pk), Role.LEADER)
    entry = Entry.objects.get(verb=Verb.LEADER_ADDED)
    assert (entry.person, entry.actor, entry.detail["role_granted"]) == (person, executor, True)
    assert [m.to for m in mailoutbox] == [[person.email]]


def test_adding_refuses_an_unknown_email_a_second_time_and_a_closed_community(executor):
    community = CommunityFactory()
    person = member()
    with pytest.raises(services.CommunityError, match="No member"):
        services.add_leader(community=community, by=executor, email="nobody@example.com")
    services.add_leader(community=community, by=executor, email=person.email)
    with pytest.raises(services.CommunityError, match="already"):
        services.add_leader(community=community, by=executor, email=person.email)
    closed = CommunityFactory(status=S.CLOSED)
    with pytest.raises(services.CommunityError):
        services.add_leader(community=closed, by=executor, email=person.email)
    assert Leadership.objects.count() == 1


def test_removing_the_last_leadership_takes_back_the_role_it_gave(
    executor, mailoutbox, django_capture_on_commit_callbacks
):
    accra, lagos = CommunityFactory(), CommunityFactory()
    person = member()
    services.add_leader(community=accra, by=executor, email=person.email)
    services.add_leader(community=lagos, by=executor, email=person.email)
    services.remove_leader(
        leadership=Leadership.objects.get(community=accra), by=executor, reason="Moved away"
    )
    # Still leads Lagos: keeps the role.
    assert has_role(type(person).objects.get(pk=person.pk), Role.LEADER)
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_leader(
            leadership=Leadership.objects.get(community=lagos), by=executor, reason="Stepped down"
        )
    assert not has_role(type(person).objects.get(pk=person.pk), Role.LEADER)
    removed = Entry.objects.filter(verb=Verb.LEADER_REMOVED, person=person)
    assert [entry.reason for entry in removed.order_by("pk")] == ["Moved away", "Stepped down"]
    assert Verb.ROLE_REMOVED in verbs(person=person)
    assert "Stepped down" in mailoutbox[-1].body


def test_removing_keeps_a_leader_role_given_another_way(executor):
    community = CommunityFactory()
    person = leader_of(community)  # held the role before leading (an invite, the roles page)
    services.remove_leader(
        leadership=Leadership.objects.get(community=community), by=executor, reason="Done"
    )
    assert has_role(type(person).objects.get(pk=person.pk), Role.LEADER)
    assert Verb.ROLE_REMOVED not in verbs(person=person)


def test_removing_needs_a_reason(executor):
    community = CommunityFactory()
    leader_of(community)
    with pytest.raises(services.CommunityError):
        services.remove_leader(leadership=Leadership.objects.get(), by=executor, reason=" ")
    assert Leadership.objects.count() == 1


# --- Editing and closing ---------------------------------------------------------------------


def test_editing_keeps_texts_per_language_and_audits_what_changed():
    community = CommunityFactory(language="en")
    leader = leader_of(community)
    services.save_community(
        community=community,
        by=leader,
        data={"description": "New words", "links": "https://meetup.example/x"},
        texts={"fr": "Des mots", "ha": "", "en": "ignored: the original's language"},
    )
    assert community.texts.get().language == "fr"
    entry = Entry.objects.get(verb=Verb.COMMUNITY_CHANGED)
    assert set(entry.after) == {"description", "links", "texts"}
    assert entry.before["description"] == "Meets monthly."
    services.save_community(community=community, by=leader, data={}, texts={"fr": ""})
    assert not CommunityText.objects.exists()


def test_a_closed_community_is_not_edited_and_closing_needs_a_reason(executor):
    community = CommunityFactory()
    with pytest.raises(services.CommunityError):
        services.close(community=community, by=executor, reason="")
    services.close(community=community, by=executor, reason="Merged")
    assert Community.objects.get(pk=community.pk).status == S.CLOSED
    assert Entry.objects.get(verb=Verb.COMMUNITY_CLOSED).reason == "Merged"
    with pytest.raises(services.CommunityError):
        services.save_community(community=community, by=executor, data={"links": ""}, texts={})
    with pytest.raises(services.CommunityError):
        services.close(community=community, by=executor, reason="Again")


# --- Joining, following, leaving ----------------------------------------------------------------


def test_join_follow_and_leave_are_idempotent():
    community = CommunityFactory()
    person = member()
    services.join(community=community, user=person)
    services.join(community=community, user=person)
    assert Membership.objects.get().kind == Membership.Kind.MEMBER
    services.join(community=community, user=person, kind=Membership.Kind.FOLLOWER)
    services.join(community=community, user=person, kind=Membership.Kind.FOLLOWER)
    assert Membership.objects.get().kind == Membership.Kind.FOLLOWER
    assert services.leave(community=community, user=person) is True
    assert services.leave(community=community, user=person) is False
    assert not Membership.objects.exists()


@pytest.mark.parametrize("status", [S.PROPOSED, S.DECLINED, S.CLOSED])
def test_only_an_active_community_is_joined(status):
    with pytest.raises(services.CommunityError):
        services.join(community=CommunityFactory(status=status), user=member())
    assert not Membership.objects.exists()


# --- Events a community hosts ------------------------------------------------------------------


def event_data(**changes):
    starts = timezone.now() + dt.timedelta(days=20)
    values = {
        "title": "Meetup", "summary": "Talks", "time_zone": "Africa/Accra",
        "starts_at": starts, "duration_minutes": 90, "online_url": "https://x.example",
    }  # fmt: skip
    return values | changes


def test_a_community_event_is_a_draft_hosted_by_it_and_its_leaders_manage_it():
    community, other = CommunityFactory(), CommunityFactory()
    leader, other_leader = leader_of(community), leader_of(other)
    event = services.create_event(community=community, by=leader, data=event_data())
    assert event.status == Event.Status.DRAFT
    assert Event.objects.get(pk=event.pk).host == Event.Host.COMMUNITY
    assert HostedEvent.objects.get(event=event).community == community
    assert list(Event.objects.organised_by(leader)) == [event]
    assert list(Event.objects.organised_by(other_leader)) == []
    assert Entry.objects.filter(verb=Verb.EVENT_CREATED).count() == 1


def test_a_refused_event_leaves_nothing_half_made():
    community = CommunityFactory()
    with pytest.raises(events.EventError):
        services.create_event(
            community=community, by=leader_of(community), data=event_data(rule="FREQ=NEVER")
        )
    assert not Event.objects.exists()
    assert not HostedEvent.objects.exists()


def test_a_closed_community_hosts_no_events_and_its_leaders_lose_them(executor):
    community = CommunityFactory()
    leader = leader_of(community)
    services.create_event(community=community, by=leader, data=event_data())
    services.close(community=community, by=executor, reason="Ended")
    assert not Event.objects.organised_by(leader).exists()
    with pytest.raises(services.CommunityError):
        services.create_event(community=community, by=leader, data=event_data())


# --- Telling members and followers about new events ----------------------------------------


def _hosted(community, *, status=Event.Status.PUBLISHED, starts_in=dt.timedelta(days=5)):
    from tests.events.public_factories import make_date, make_event

    event = make_event(host=Event.Host.COMMUNITY, status=status)
    HostedEvent.objects.create(event=event, community=community)
    make_date(event, timezone.now() + starts_in)
    return event


def test_members_and_followers_hear_once_about_a_published_event_in_their_language(
    mailoutbox, django_capture_on_commit_callbacks
):
    community = CommunityFactory(name="PyData Accra")
    leader = leader_of(community)
    joined, follows = member(language="fr"), member()
    services.join(community=community, user=joined)
    services.join(community=community, user=follows, kind=Membership.Kind.FOLLOWER)
    services.join(community=community, user=leader)
    services.join(community=CommunityFactory(), user=member())  # another community's
    event = _hosted(community)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.announce_new_events() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert services.announce_new_events() == 0  # once

    by_address = {m.to[0]: m for m in mailoutbox}
    assert set(by_address) == {joined.email, follows.email}  # not the leader who made it
    assert "PyData Accra a un nouvel événement" in by_address[joined.email].body
    assert "because you follow PyData Accra" in by_address[follows.email].body
    assert f"/events/{event.slug}/" in by_address[follows.email].body


def test_drafts_wait_and_events_with_nothing_to_come_are_not_announced(
    mailoutbox, django_capture_on_commit_callbacks
):
    community = CommunityFactory()
    services.join(community=community, user=member())
    draft = _hosted(community, status=Event.Status.DRAFT)
    _hosted(community, starts_in=-dt.timedelta(days=2))

    with django_capture_on_commit_callbacks(execute=True):
        assert services.announce_new_events() == 0
    assert HostedEvent.objects.get(event=draft).announced_at is None  # told once published
    Event.objects.filter(pk=draft.pk).update(status=Event.Status.PUBLISHED)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.announce_new_events() == 1
    assert len(mailoutbox) == 1
