"""A leader acts for their own community only: they edit it and create and manage its
events; a leader of another community gets 403 on its pages and 404 on its events. The
executors' pages: deciding proposals (emails, audit), adding and removing leaders
(audited, the role granted), closing, and the queue's cost at two sizes."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from bpd.audit.models import Entry
from bpd.audit.verbs import Verb
from bpd.communities.models import Community, CommunityText, HostedEvent, Leadership
from bpd.events.hub_links import organiser_links
from bpd.events.models import Event
from bpd.members.roles import Role, has_role
from tests.communities.factories import CommunityFactory, leader_of
from tests.factories import CityFactory, ProfileFactory, UserFactory
from tests.queries import get_with_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def accra():
    return CommunityFactory(name="PyData Accra", slug="pydata-accra")


@pytest.fixture
def lagos():
    city = CityFactory(name="Lagos", country="NG", timezone="Africa/Lagos")
    return CommunityFactory(name="Python Lagos", slug="python-lagos", city=city)


@pytest.fixture
def executor(client):
    return ProfileFactory(user=UserFactory(roles=[Role.EXECUTOR])).user


def next_weekday():
    return (timezone.localdate() + dt.timedelta(days=14)).isoformat()


def event_payload(**changes):
    values = {
        "title": "Accra meetup", "summary": "Talks and pairing.", "description": "",
        "language": "en", "kind": "in_person", "online_url": "", "link_shown_to": "attendees",
        "venue": "Impact Hub", "address": "Osu", "country": "GH", "city_name": "Accra",
        "time_zone": "Africa/Accra", "date": next_weekday(), "start_time": "18:00",
        "duration_minutes": "120", "repeats": "none", "ends": "count", "count": "", "until": "",
        "capacity": "40",
    }  # fmt: skip
    return values | changes


def hosted_by(community, **fields):
    starts = timezone.now() + dt.timedelta(days=10)
    event = Event.objects.create(
        title=fields.pop("title", "Hosted"), slug=f"hosted-{community.slug}", summary="S",
        time_zone="Africa/Accra", starts_at=starts, host=Event.Host.COMMUNITY, **fields,
    )  # fmt: skip
    HostedEvent.objects.create(event=event, community=community)
    return event


# --- Scoping ---------------------------------------------------------------------------------


def test_a_leader_edits_their_own_community_in_every_language(client, accra):
    client.force_login(leader_of(accra))
    url = reverse("communities:edit", args=[accra.slug])
    page = client.get(url).text
    assert 'name="text_fr"' in page
    assert 'name="name"' not in page  # the name and city are the executors' to change
    data = {
        "description": "Monthly talks.", "website": "https://pydata-accra.example",
        "links": "", **{f"text_{code}": "" for code in ("ha", "sw", "es", "pt")},
        "text_fr": "Des présentations chaque mois.",
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302
    accra.refresh_from_db()
    assert accra.description == "Monthly talks."
    assert CommunityText.objects.get(community=accra).language == "fr"
    assert Entry.objects.filter(verb=Verb.COMMUNITY_CHANGED).exists()


def test_a_leader_of_another_community_gets_403_on_its_pages(client, accra, lagos):
    other = leader_of(lagos)
    client.force_login(other)
    assert client.get(reverse("communities:edit", args=[accra.slug])).status_code == 403
    assert client.get(reverse("communities:new_event", args=[accra.slug])).status_code == 403
    assert client.post(reverse("communities:edit", args=[accra.slug]), {}).status_code == 403
    response = client.post(reverse("communities:new_event", args=[accra.slug]), event_payload())
    assert response.status_code == 403
    assert not Event.objects.exists()
    # Their own community is theirs to edit.
    assert client.get(reverse("communities:edit", args=[lagos.slug])).status_code == 200


def test_members_and_visitors_cannot_edit(client, accra):
    url = reverse("communities:edit", args=[accra.slug])
    assert client.get(url).status_code == 302
    client.force_login(ProfileFactory().user)
    assert client.get(url).status_code == 403


def test_a_leader_creates_an_event_for_their_community_and_manages_it(client, accra):
    leader = leader_of(accra)
    client.force_login(leader)
    form = client.get(reverse("communities:new_event", args=[accra.slug])).text
    assert 'value="Africa/Accra" selected' in form  # the community's clock by default

    response = client.post(reverse("communities:new_event", args=[accra.slug]), event_payload())

    assert response.status_code == 302, response.context["form"].errors
    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("events:manage_event", args=[event.pk])
    assert (event.host, event.status) == (Event.Host.COMMUNITY, Event.Status.DRAFT)
    assert event.community_host.community == accra
    assert client.get(reverse("events:manage_event", args=[event.pk])).status_code == 200
    publish = client.post(reverse("events:publish", args=[event.pk]), {"confirm": "on"})
    assert publish.status_code == 302
    assert Event.objects.get().status == Event.Status.PUBLISHED


def test_a_leader_sees_only_their_communitys_events_in_the_organisers_pages(client, accra, lagos):
    mine, theirs = hosted_by(accra, title="Accra night"), hosted_by(lagos, title="Lagos night")
    Event.objects.create(
        title="BPD talk", slug="bpd-talk", summary="S", time_zone="UTC",
        starts_at=timezone.now() + dt.timedelta(days=3),
    )  # fmt: skip
    leader = leader_of(accra)
    client.force_login(leader)

    listing = client.get(reverse("events:manage")).text

    assert "Accra night" in listing
    assert "Lagos night" not in listing
    assert "BPD talk" not in listing
    assert f'href="{reverse("communities:new_event", args=[accra.slug])}"' in listing
    assert f'href="{reverse("events:create")}"' not in listing
    assert client.get(reverse("events:manage_event", args=[mine.pk])).status_code == 200
    for name in ("events:manage_event", "events:edit", "events:cancel_event"):
        assert client.get(reverse(name, args=[theirs.pk])).status_code == 404
    response = client.post(reverse("events:publish", args=[theirs.pk]), {"confirm": "on"})
    assert response.status_code == 404
    assert Event.objects.get(pk=theirs.pk).status == Event.Status.DRAFT
    # A BPD event is created by executors only.
    assert client.get(reverse("events:create")).status_code == 403
    assert dict(organiser_links(leader)) == {"Organise events": reverse("events:manage")}


def test_a_member_who_leads_nothing_still_gets_403_on_the_organisers_pages(client):
    person = ProfileFactory(user=UserFactory(roles=[Role.LEADER])).user
    client.force_login(person)
    assert client.get(reverse("events:manage")).status_code == 403
    assert organiser_links(person) == []


# --- The executors' pages ----------------------------------------------------------------------


def test_executors_approve_a_proposal_from_the_queue(
    client, executor, mailoutbox, django_capture_on_commit_callbacks
):
    proposer = ProfileFactory().user
    proposal = CommunityFactory(status=Community.Status.PROPOSED, proposed_by=proposer)
    client.force_login(executor)
    queue = client.get(reverse("communities:manage")).text
    assert f'href="{reverse("communities:manage_community", args=[proposal.pk])}"' in queue
    assert proposer.email in queue
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("communities:approve", args=[proposal.pk]), {"note": ""})
    assert response.status_code == 302
    assert Community.objects.get(pk=proposal.pk).status == Community.Status.ACTIVE
    assert Leadership.objects.get(community=proposal).user == proposer
    assert [m.to for m in mailoutbox] == [[proposer.email]]
    history = client.get(reverse("communities:manage_community", args=[proposal.pk])).text
    assert "Community approved" in history
    assert "Community leader added" in history


def test_declining_without_a_note_is_refused_on_the_page(client, executor):
    proposal = CommunityFactory(status=Community.Status.PROPOSED)
    client.force_login(executor)
    response = client.post(reverse("communities:decline", args=[proposal.pk]), {"note": "  "})
    assert response.status_code == 200
    assert "Say why, in a few words." in response.text
    assert Community.objects.get(pk=proposal.pk).status == Community.Status.PROPOSED


def test_executors_add_and_remove_leaders_audited_with_the_role(client, executor, accra):
    person = ProfileFactory().user
    client.force_login(executor)
    response = client.post(
        reverse("communities:add_leader", args=[accra.pk]), {"email": person.email.upper()}
    )
    assert response.status_code == 302
    assert has_role(type(person).objects.get(pk=person.pk), Role.LEADER)
    unknown = client.post(
        reverse("communities:add_leader", args=[accra.pk]), {"email": "nobody@example.com"}
    )
    assert "No member has this email address" in unknown.text
    leadership = Leadership.objects.get(community=accra)
    refused = client.post(reverse("communities:remove_leader", args=[leadership.pk]), {})
    assert refused.status_code == 200
    assert Leadership.objects.exists()
    client.post(
        reverse("communities:remove_leader", args=[leadership.pk]), {"reason": "Stepped down"}
    )
    assert not Leadership.objects.exists()
    assert not has_role(type(person).objects.get(pk=person.pk), Role.LEADER)
    verbs = list(Entry.objects.filter(person=person).values_list("verb", flat=True))
    assert Verb.LEADER_ADDED in verbs
    assert Verb.LEADER_REMOVED in verbs


def test_closing_needs_the_box_and_a_reason(client, executor, accra):
    client.force_login(executor)
    url = reverse("communities:close", args=[accra.pk])
    assert client.post(url, {"reason": "Merged"}).status_code == 200
    assert Community.objects.get(pk=accra.pk).status == Community.Status.ACTIVE
    client.post(url, {"reason": "Merged", "confirm": "on"})
    assert Community.objects.get(pk=accra.pk).status == Community.Status.CLOSED
    assert "Closed" in client.get(f"/communities/{accra.slug}/").text


def test_executors_edit_any_community_including_its_name_and_city(client, executor, accra, lagos):
    client.force_login(executor)
    url = reverse("communities:edit", args=[accra.slug])
    assert 'name="name"' in client.get(url).text
    data = {
        "name": "Python Lagos", "country": "NG", "city_name": "Lagos", "language": "en",
        "description": "Moved.", "website": "", "links": "",
        **{f"text_{code}": "" for code in ("ha", "sw", "es", "fr", "pt")},
    }  # fmt: skip
    taken = client.post(url, data)
    assert "already exists in Lagos" in taken.text
    response = client.post(url, data | {"name": "PyData Lagos"})
    assert response.status_code == 302
    accra.refresh_from_db()
    assert (accra.name, accra.city, accra.country) == ("PyData Lagos", lagos.city, "NG")
    assert accra.slug == "pydata-accra"  # its address stays, so links keep working


def test_only_executors_open_the_queue(client, accra):
    client.force_login(leader_of(accra))
    assert client.get(reverse("communities:manage")).status_code == 403
    assert client.get(reverse("communities:manage_community", args=[accra.pk])).status_code == 403


def test_the_queue_costs_the_same_whatever_the_data_size(client, executor, uncached):
    client.force_login(executor)

    def add(count):
        for _number in range(count):
            CommunityFactory(status=Community.Status.PROPOSED, proposed_by=ProfileFactory().user)
            leader_of(CommunityFactory())

    add(1)
    client.get(reverse("communities:manage"))
    _response, few = get_with_queries(client, reverse("communities:manage"))
    add(8)
    _response, many = get_with_queries(client, reverse("communities:manage"))
    assert len(many) == len(few), "\n".join(many)
