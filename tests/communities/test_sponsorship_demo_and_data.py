"""The demo's sponsorship requests (one per state, idempotent, money committed through
the ledger) and sponsorship's part of "download my data"."""

import pytest
from django.utils import translation

from bpd.communities import sponsorship as services
from bpd.communities import sponsorship_data
from bpd.communities.demo_sponsorship import create_demo_sponsorship
from bpd.communities.models import SponsorshipRequest
from bpd.ledger.models import Entry
from bpd.members.demo import create_demo_members
from tests.communities.sponsorship_factories import (
    SponsoredCommunityFactory,
    SponsorshipRequestFactory,
    executor,
    leader_of,
)
from tests.factories import CityFactory

pytestmark = pytest.mark.django_db
S = SponsorshipRequest.Status


@pytest.fixture
def gazetteer():
    """The demo communities' cities (the test database has no gazetteer)."""
    for name, country, zone in (
        ("Accra", "GH", "Africa/Accra"), ("Lagos", "NG", "Africa/Lagos"),
        ("Nairobi", "KE", "Africa/Nairobi"), ("Kingston", "JM", "America/Jamaica"),
        ("São Paulo", "BR", "America/Sao_Paulo"), ("Kampala", "UG", "Africa/Kampala"),
    ):  # fmt: skip
        CityFactory(name=name, ascii_name=name.casefold(), country=country, timezone=zone)


def test_the_demo_has_a_request_in_each_state_and_runs_once(gazetteer):
    create_demo_members(count=60)
    made = create_demo_sponsorship()
    assert made == 8
    states = set(SponsorshipRequest.objects.values_list("status", flat=True))
    assert {S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED, S.APPROVED, S.DECLINED, S.WITHDRAWN,
            S.COMPLETED} <= states  # fmt: skip
    approved = SponsorshipRequest.objects.filter(status=S.APPROVED)
    for request in approved:
        assert Entry.objects.filter(
            source=f"communities.request:{request.pk}", kind=Entry.Kind.COMMITMENT
        ).exists()
    assert SponsorshipRequest.objects.filter(
        community__slug="pydata-accra", status=S.DRAFT
    ).exists()
    done = SponsorshipRequest.objects.get(status=S.COMPLETED)
    assert Entry.objects.filter(
        source=f"communities.request:{done.pk}", kind=Entry.Kind.PAYMENT
    ).exists()
    assert create_demo_sponsorship() == 0
    assert SponsorshipRequest.objects.count() == 8


def test_a_members_data_holds_what_they_wrote_and_did():
    community = SponsoredCommunityFactory()
    leader, boss = leader_of(community), executor()
    request = SponsorshipRequestFactory(community=community, created_by=leader, title="Ours")
    services.submit(request=request, by=leader, justification="")
    services.decline(request=request, by=boss, comment="Not this year.")
    mine = sponsorship_data.collect(leader)
    assert [row["event"] for row in mine["requests_written"]] == ["Ours"]
    assert [row["step"] for row in mine["steps_taken"]] == ["submit"]
    theirs = sponsorship_data.collect(boss)
    assert theirs["requests_decided"][0]["status"] == S.DECLINED
    assert theirs["steps_taken"][0]["comment"] == "Not this year."
    with translation.override("en"):
        titles = [section.title for section in sponsorship_data.readable(theirs)]
    assert "Steps you took on sponsorship requests" in titles


def test_deleting_an_account_keeps_the_communitys_request():
    community = SponsoredCommunityFactory()
    leader = leader_of(community)
    request = SponsorshipRequestFactory(community=community, created_by=leader)
    services.submit(request=request, by=leader)
    leader.delete()
    request.refresh_from_db()
    assert request.created_by is None
    assert request.transitions.get().by is None
