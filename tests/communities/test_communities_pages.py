"""Local communities' pages: the directory (filters, empty state, pagination, its cost at
two sizes), a community's page (text in the reader's language, leaders as each shares
their name, hosted events once published, join / follow / leave, cached for visitors,
schema.org data), proposing, "your communities" (its cost at two sizes), the hub card
and the executors' task, and the sitemap."""

import datetime as dt
import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from bpd.communities.models import (
    Community,
    CommunityText,
    HostedEvent,
    Leadership,
    Membership,
)
from bpd.events.models import Event
from bpd.members.roles import Role
from bpd.members.visibility import Visibility
from tests.communities.factories import CommunityFactory, MembershipFactory, leader_of
from tests.events.public_factories import make_date, make_event
from tests.factories import CityFactory, ProfileFactory, UserFactory
from tests.queries import get_with_queries

pytestmark = pytest.mark.django_db
INDEX = "/communities/"


def soon(days):
    return timezone.now() + dt.timedelta(days=days)


def member(client=None, **user):
    person = ProfileFactory(user=UserFactory(**user)).user
    if client is not None:
        client.force_login(person)
    return person


def hosted(community, **fields):
    event = make_event(host=Event.Host.COMMUNITY, **fields)
    HostedEvent.objects.create(event=event, community=community)
    return event


def page_of(community):
    return f"/communities/{community.slug}/"


# --- The directory ------------------------------------------------------------------------


def test_the_directory_lists_active_communities_with_members_and_next_event(client):
    accra = CommunityFactory(name="PyData Accra")
    CommunityFactory(name="Waiting", status=Community.Status.PROPOSED)
    CommunityFactory(name="Gone", status=Community.Status.CLOSED)
    MembershipFactory.create_batch(2, community=accra)
    MembershipFactory(community=accra, kind=Membership.Kind.FOLLOWER)
    event = hosted(accra, title="Testing with pytest")
    make_date(event, soon(3))

    page = client.get(INDEX).text

    assert "PyData Accra" in page
    assert "Waiting" not in page
    assert "Gone" not in page
    assert "Accra, Ghana" in page
    assert "2 members" in page  # a follower is not counted
    assert "Testing with pytest" in page


def test_the_directory_names_countries_in_the_readers_language(client):
    CommunityFactory(city=CityFactory(name="Berlin", country="DE"))
    assert "Berlin, Germany" in client.get(INDEX).text
    assert "Berlin, Allemagne" in client.get("/fr/communities/").text


def test_the_directory_filters_by_region_and_country(client):
    CommunityFactory(name="PyData Accra")
    CommunityFactory(name="Python Kingston", city=CityFactory(name="Kingston", country="JM"))

    africa = client.get(INDEX, {"region": "002"}).text
    jamaica = client.get(INDEX, {"country": "JM"}).text
    both = client.get(INDEX, {"region": "002", "country": "JM"}).text

    assert "PyData Accra" in africa
    assert "Python Kingston" not in africa
    assert "Python Kingston" in jamaica
    assert "PyData Accra" not in jamaica
    assert "No community matches these filters." in both
    # The country list offers only countries that have a community.
    assert '<option value="JM"' in jamaica
    assert '<option value="NG"' not in jamaica


def test_the_directory_says_so_when_empty_and_offers_to_propose(client):
    page = client.get(INDEX).text
    assert "No local community is listed yet." in page
    assert f'href="{reverse("communities:propose")}"' in page


def test_the_directory_pages_by_twenty_and_filters_survive(client):
    for number in range(23):
        CommunityFactory(name=f"Group {number:02d}")
    first = client.get(INDEX, {"region": "002"}).text
    second = client.get(INDEX, {"region": "002", "page": "2"}).text
    assert first.count('class="card"') == 20
    assert second.count('class="card"') == 3
    assert "region=002&amp;page=2" in first


def fill(count):
    for _number in range(count):
        community = CommunityFactory()
        MembershipFactory(community=community)
        make_date(hosted(community), soon(2))


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_directory_costs_the_same_whatever_the_data_size(client, uncached, signed_in):
    if signed_in:
        member(client)
    fill(2)
    client.get(INDEX)  # the first visit fills the caches every page reads
    _response, few = get_with_queries(client, INDEX)
    fill(12)
    _response, many = get_with_queries(client, INDEX)
    assert len(many) == len(few), "\n".join(many)


# --- A community's page -------------------------------------------------------------------------


def test_the_page_shows_the_description_in_the_readers_language_or_the_original(client):
    community = CommunityFactory(description="We meet monthly.", language="en")
    CommunityText.objects.create(community=community, language="fr", description="Chaque mois.")

    french = client.get("/fr" + page_of(community)).text
    swahili = client.get("/sw" + page_of(community)).text

    assert "Chaque mois." in french
    assert "We meet monthly." not in french
    assert "We meet monthly." in swahili
    assert 'lang="en"' in swahili  # the fallback is marked as English


def test_the_page_shows_only_published_hosted_events_to_come(client):
    community = CommunityFactory()
    make_date(hosted(community, title="Published meetup"), soon(5))
    make_date(hosted(community, title="Draft meetup", status=Event.Status.DRAFT), soon(6))
    make_date(hosted(community, title="Past meetup"), soon(-5))
    make_date(make_event(title="Not hosted by it"), soon(4))

    page = client.get(page_of(community)).text

    assert "Published meetup" in page
    assert "Draft meetup" not in page
    assert "Past meetup" not in page
    assert "Not hosted by it" not in page


def test_a_hosted_events_page_names_and_links_its_community(client):
    community = CommunityFactory(name="PyData Accra")
    event = hosted(community, title="Testing with pytest")
    make_date(event, soon(3))

    page = client.get(f"/events/{event.slug}/").text

    assert f'<a href="{page_of(community)}">PyData Accra</a>' in page
    own = make_event(title="A BPD event")
    make_date(own, soon(3))
    assert "Black Python Devs</dd>" in client.get(f"/events/{own.slug}/").text


def test_a_weekly_series_is_listed_once_at_its_next_date(client):
    community = CommunityFactory()
    series = hosted(community, title="Weekly study group")
    for day in (2, 9, 16):
        make_date(series, soon(day))
    assert client.get(page_of(community)).text.count("Weekly study group") == 1


def test_leaders_are_named_only_as_they_share_their_name(client):
    community = CommunityFactory()
    leader_of(community, display_name="Public Ama", name_visibility=Visibility.PUBLIC)
    leader_of(community, display_name="Members Kofi", name_visibility=Visibility.MEMBERS)
    leader_of(community, display_name="Staff Zola", name_visibility=Visibility.LEADERS)

    visitor = client.get(page_of(community)).text
    viewer = member(client)
    signed_in = client.get(page_of(community)).text
    viewer.groups.add(*UserFactory(roles=[Role.LEADER]).groups.all())
    as_leader = client.get(page_of(community)).text

    assert "Public Ama" in visitor
    assert "Members Kofi" not in visitor
    assert "Members Kofi" in signed_in
    # Shared with leaders and staff only: never on this page, which all members share.
    assert "Staff Zola" not in signed_in
    assert "Staff Zola" not in as_leader
    assert "A leader (name not shared)" in visitor


def test_a_leaders_new_name_shows_at_once_on_the_cached_page(client):
    community = CommunityFactory()
    leader = leader_of(community, display_name="Old Name", name_visibility=Visibility.PUBLIC)
    assert "Old Name" in client.get(page_of(community)).text
    profile = leader.profile
    profile.name_visibility = Visibility.ONLY_ME
    profile.save()
    assert "Old Name" not in client.get(page_of(community)).text


def test_visitors_are_asked_to_sign_in_and_members_get_buttons(client):
    community = CommunityFactory()
    visitor = client.get(page_of(community)).text
    assert "Sign in to join" in visitor
    assert reverse("communities:join", args=[community.slug]) not in visitor
    member(client)
    page = client.get(page_of(community)).text
    assert f'action="{reverse("communities:join", args=[community.slug])}"' in page
    assert f'action="{reverse("communities:follow", args=[community.slug])}"' in page


def test_join_follow_and_leave_through_the_buttons(client):
    community = CommunityFactory()
    person = member(client)
    for _twice in range(2):
        response = client.post(reverse("communities:join", args=[community.slug]))
    assert response.status_code == 302
    assert Membership.objects.get(user=person).kind == Membership.Kind.MEMBER
    page = client.get(page_of(community)).text
    assert "You are a member." in page
    assert "2 members" not in page
    client.post(reverse("communities:follow", args=[community.slug]))
    assert Membership.objects.get(user=person).kind == Membership.Kind.FOLLOWER
    client.post(reverse("communities:leave", args=[community.slug]))
    client.post(reverse("communities:leave", args=[community.slug]))
    assert not Membership.objects.exists()
    assert client.get(reverse("communities:join", args=[community.slug])).status_code == 405


def test_joining_counts_at_once_on_the_cached_page(client):
    community = CommunityFactory()
    assert "<dd>0</dd>" in client.get(page_of(community)).text
    MembershipFactory(community=community)
    assert "<dd>1</dd>" in client.get(page_of(community)).text


def test_a_proposal_is_seen_by_its_proposer_and_executors_only(client):
    proposer = member()
    community = CommunityFactory(status=Community.Status.PROPOSED, proposed_by=proposer)
    assert client.get(page_of(community)).status_code == 404
    member(client)
    assert client.get(page_of(community)).status_code == 404
    client.force_login(proposer)
    assert "Only you and the executors" in client.get(page_of(community)).text
    member(client, roles=[Role.EXECUTOR])
    assert client.get(page_of(community)).status_code == 200


def test_the_page_describes_the_community_for_search_engines(client):
    community = CommunityFactory(name="PyData </script> Accra", website="https://pydata.example")
    page = client.get(page_of(community)).text
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1]
    data = json.loads(raw)
    assert data["@type"] == "Organization"
    assert data["name"] == "PyData </script> Accra"
    assert data["address"]["addressCountry"] == "GH"
    assert data["sameAs"] == ["https://pydata.example"]


def test_the_page_costs_the_same_whatever_the_number_of_events_and_members(client, uncached):
    community = CommunityFactory()
    leader_of(community)
    member(client)
    make_date(hosted(community), soon(2))
    client.get(page_of(community))
    _response, few = get_with_queries(client, page_of(community))
    for day in range(3, 12):
        make_date(hosted(community), soon(day))
        MembershipFactory(community=community)
        leader_of(community)
    _response, many = get_with_queries(client, page_of(community))
    assert len(many) == len(few), "\n".join(many)


# --- Proposing and your communities -------------------------------------------------------------


def proposal(**changes):
    values = {
        "name": "Python Kano", "country": "NG", "city_name": "Kano", "language": "en",
        "description": "Monthly meetups.", "website": "", "links": "meetup.com/python-kano",
    }  # fmt: skip
    return values | changes


def test_a_member_proposes_and_sees_the_state_on_their_page(client):
    CityFactory(name="Kano", country="NG")
    person = member(client)
    response = client.post(reverse("communities:propose"), proposal())
    assert response.status_code == 302
    assert response["Location"] == reverse("communities:mine")
    community = Community.objects.get()
    assert (community.proposed_by, community.status) == (person, Community.Status.PROPOSED)
    assert community.links == "https://meetup.com/python-kano"
    assert "Waiting for a decision" in client.get(reverse("communities:mine")).text


def test_the_proposal_form_says_what_is_wrong(client):
    member(client)
    bad_logo = SimpleUploadedFile("logo.png", b"not an image", content_type="image/png")
    response = client.post(
        reverse("communities:propose"),
        proposal(city_name="", description=" ", links="not a link", logo=bad_logo),
    )
    page = response.text
    assert response.status_code == 200
    assert "Give the city where the community meets." in page
    assert "Say in a few words what the community is." in page
    assert "is not a web address" in page
    assert "not a photo we can read" in page
    assert not Community.objects.exists()


def png(width=800, height=400):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, "PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def test_a_logo_is_kept_as_a_small_webp_shown_with_its_size(client):
    CityFactory(name="Kano", country="NG")
    member(client)
    client.post(reverse("communities:propose"), proposal(logo=png()))
    community = Community.objects.get()
    assert community.logo.name.endswith(".webp")
    assert (community.logo_width, community.logo_height) == (320, 160)
    community.status = Community.Status.ACTIVE
    community.save()
    page = client.get(page_of(community)).text
    assert 'width="320" height="160"' in page


def test_proposing_needs_signing_in(client):
    response = client.get(reverse("communities:propose"))
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]


def fill_mine(person, count):
    for _number in range(count):
        MembershipFactory(user=person)
        MembershipFactory(user=person, kind=Membership.Kind.FOLLOWER)
        Leadership.objects.create(community=CommunityFactory(), user=person)
        CommunityFactory(status=Community.Status.DECLINED, proposed_by=person, decision_note="No")


def test_your_communities_costs_the_same_whatever_the_data_size(client, uncached):
    person = member(client)
    fill_mine(person, 1)
    client.get(reverse("communities:mine"))
    _response, few = get_with_queries(client, reverse("communities:mine"))
    fill_mine(person, 8)
    response, many = get_with_queries(client, reverse("communities:mine"))
    assert len(many) == len(few), "\n".join(many)
    assert response.text.count(">No<") == 9  # each declined proposal with its note


# --- The hub ---------------------------------------------------------------------------------------


def test_the_hub_card_lists_what_a_leader_and_member_can_do(client):
    accra = CommunityFactory(name="PyData Accra")
    lagos = CommunityFactory(name="Python Lagos")
    leader = leader_of(accra)
    MembershipFactory(community=lagos, user=leader)
    make_date(hosted(lagos, title="Lagos meetup"), soon(3))
    client.force_login(leader)

    page = client.get("/members/").text

    assert "Local communities" in page
    assert f'href="{reverse("communities:edit", args=[accra.slug])}"' in page
    assert f'href="{reverse("communities:new_event", args=[accra.slug])}"' in page
    assert "Python Lagos: Lagos meetup" in page
    assert f'href="{reverse("communities:propose")}"' in page
    assert f'href="{reverse("communities:edit", args=[lagos.slug])}"' not in page


def test_executors_see_waiting_proposals_as_a_task(client):
    member(client, roles=[Role.EXECUTOR])
    assert "community proposal" not in client.get("/members/").text
    CommunityFactory(status=Community.Status.PROPOSED)
    page = client.get("/members/").text
    assert "1 community proposal waits for a decision" in page
    assert f'href="{reverse("communities:manage")}#proposals"' in page


def test_the_hub_card_costs_the_same_whatever_the_data_size(client, uncached):
    person = member(client)

    def add(count):
        for _number in range(count):
            community = CommunityFactory()
            MembershipFactory(community=community, user=person)
            Leadership.objects.create(community=CommunityFactory(), user=person)
            make_date(hosted(community), soon(3))

    add(1)
    client.get("/members/")  # the first visit fills the caches every page reads
    _response, few = get_with_queries(client, "/members/")
    add(5)
    _response, many = get_with_queries(client, "/members/")
    assert len(many) == len(few), "\n".join(many)


# --- The sitemap and the menu --------------------------------------------------------------------


def test_the_sitemap_lists_the_directory_and_active_communities(client):
    active = CommunityFactory(slug="pydata-accra")
    CommunityFactory(slug="waiting", status=Community.Status.PROPOSED)
    sitemap = client.get("/sitemap.xml").text
    assert "/communities/</loc>" in sitemap
    assert f"/fr/communities/{active.slug}/</loc>" in sitemap
    assert "/communities/waiting/" not in sitemap


def test_the_header_links_to_the_directory(client):
    assert 'href="/communities/"' in client.get("/").text


# --- Page weight ----------------------------------------------------------------------------------


def weight(client, url):
    import gzip

    from django.contrib.staticfiles import finders

    with open(finders.find("website/site.css"), "rb") as handle:
        css = handle.read()
    response = client.get(url)
    assert response.status_code == 200
    return len(gzip.compress(response.content)) + len(gzip.compress(css))


def test_a_full_directory_and_a_busy_community_page_fit_the_budget(client):
    for number in range(20):
        community = CommunityFactory(name=f"Python community number {number}")
        make_date(hosted(community, title=f"A meetup with a long title {number}"), soon(3))
    community = Community.objects.first()
    for number in range(5):
        leader_of(community, display_name=f"Leader {number}", name_visibility=Visibility.PUBLIC)
        make_date(hosted(community, title=f"Another meetup {number}"), soon(4 + number))
    community.description = "We meet every month. " * 300
    community.links = "\n".join(f"https://link{n}.example/community" for n in range(10))
    community.save()

    assert weight(client, INDEX) <= 14 * 1024
    assert weight(client, "/fr" + INDEX) <= 14 * 1024
    assert weight(client, page_of(community)) <= 14 * 1024
