"""The sponsorship pages: who reaches what (a leader of another community never sees or
acts on a request), the request form (choosing an event, checking against the rules
without saving, bounds), sending and deciding from the pages, the policy page, the
public list (cached, empty state, years), the hub, and query counts at two sizes."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from bpd.communities.models import HostedEvent, Policy, SponsorshipRequest
from bpd.conferences.models import Conference
from bpd.events.models import Event
from bpd.ledger.models import Entry
from bpd.members.roles import Role
from tests.communities.sponsorship_factories import (
    SponsoredCommunityFactory,
    SponsorshipRequestFactory,
    executor,
    leader_of,
)
from tests.factories import ProfileFactory, UserFactory
from tests.queries import get_with_queries

pytestmark = pytest.mark.django_db
S = SponsorshipRequest.Status


@pytest.fixture
def community():
    return SponsoredCommunityFactory(name="PyData Accra", slug="pydata-accra")


@pytest.fixture
def leader(community):
    return leader_of(community)


@pytest.fixture
def other_leader():
    return leader_of(SponsoredCommunityFactory(name="Python Lagos", slug="python-lagos"))


@pytest.fixture
def boss():
    return executor()


def signed_in(client, user):
    client.force_login(user)
    return client


def url(name, *args):
    return reverse(f"communities:{name}", args=args)


def form_data(**changes):
    starts = timezone.localdate() + dt.timedelta(days=90)
    data = {
        "event_choice": "", "title": "Accra Data Day", "starts_on": starts.isoformat(),
        "ends_on": starts.isoformat(), "venue": "Hall", "country": "GH", "city_name": "Accra",
        "expected_attendance": "100", "ticket_price": "50", "ticket_currency": "USD",
        "tickets_requested": "10", "amount": "500", "organiser_name": "Organiser Ltd",
        "organiser_contact": "invoices@organiser.example.org", "organiser_details": "",
        "distribution": "lottery", "report_plan": "Who came.",
    }  # fmt: skip
    return data | changes


# Who reaches what ------------------------------------------------------------------------


def test_a_leader_sees_their_communities_requests_only(client, community, leader, other_leader):
    SponsorshipRequestFactory(community=community, title="Ours")
    SponsorshipRequestFactory(community=other_leader.leaderships.get().community, title="Theirs")
    page = signed_in(client, leader).get(url("sponsorship")).text
    assert "Ours" in page
    assert "Theirs" not in page
    assert url("sponsorship_new_for", community.slug) in page


@pytest.mark.parametrize("name", ["sponsorship_request", "sponsorship_edit"])
def test_the_leader_of_another_community_gets_404(client, community, other_leader, name):
    request = SponsorshipRequestFactory(community=community)
    assert signed_in(client, other_leader).get(url(name, request.pk)).status_code == 404


@pytest.mark.parametrize(
    ("name", "status", "data"),
    [
        ("sponsorship_submit", S.DRAFT, {}),
        ("sponsorship_withdraw", S.SUBMITTED, {"confirm": "on"}),
        ("sponsorship_complete", S.TICKETS_ISSUED, {"report": "x", "tickets_used": "1"}),
        ("sponsorship_edit", S.DRAFT, form_data()),
    ],
)
def test_the_leader_of_another_community_cannot_act(
    client, community, other_leader, name, status, data
):
    request = SponsorshipRequestFactory(community=community, status=status)
    response = signed_in(client, other_leader).post(url(name, request.pk), data)
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == status
    assert not request.transitions.exists()


def test_the_leader_of_another_community_cannot_ask_for_it(client, community, other_leader):
    response = signed_in(client, other_leader).post(
        url("sponsorship_new_for", community.slug), form_data()
    )
    assert response.status_code == 404
    assert not SponsorshipRequest.objects.exists()


def test_members_who_lead_nothing_get_403(client):
    member = ProfileFactory().user
    for name in ("sponsorship", "sponsorship_new"):
        assert signed_in(client, member).get(url(name)).status_code == 403


def test_executors_pages_are_theirs_alone(client, leader, boss):
    for name in ("sponsorship_review", "sponsorship_policy"):
        assert signed_in(client, leader).get(url(name)).status_code == 403
        assert signed_in(client, boss).get(url(name)).status_code == 200


def test_executors_never_see_a_draft_even_withdrawn(client, community, boss):
    draft = SponsorshipRequestFactory(community=community, title="Only a draft")
    gone = SponsorshipRequestFactory(community=community, status=S.WITHDRAWN, title="Gone draft")
    client = signed_in(client, boss)
    for request in (draft, gone):
        assert client.get(url("sponsorship_review_request", request.pk)).status_code == 404
    queue = client.get(url("sponsorship_review")).text
    assert "Only a draft" not in queue
    assert "Gone draft" not in queue


# The form --------------------------------------------------------------------------------


def test_new_with_one_community_shows_its_form_and_saves_a_draft(client, community, leader):
    client = signed_in(client, leader)
    assert "Accra" in client.get(url("sponsorship_new")).text
    response = client.post(url("sponsorship_new"), form_data())
    request = SponsorshipRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("sponsorship_request", request.pk)
    assert (request.status, request.amount, request.ticket_price) == (S.DRAFT, 50_000, 5_000)
    assert request.city.name == "Accra"
    assert request.country == "GH"


def test_a_leader_of_several_communities_picks_one(client, community, leader):
    second = SponsoredCommunityFactory(name="PyData Kumasi", slug="pydata-kumasi")
    from bpd.communities.models import Leadership

    Leadership.objects.create(community=second, user=leader)
    page = signed_in(client, leader).get(url("sponsorship_new")).text
    assert url("sponsorship_new_for", "pydata-kumasi") in page
    assert url("sponsorship_new_for", "pydata-accra") in page
    assert 'name="amount"' not in page


def test_checking_against_the_rules_saves_nothing(client, community, leader):
    short = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    response = signed_in(client, leader).post(
        url("sponsorship_new"), form_data(starts_on=short, ends_on=short, check="1")
    )
    assert response.status_code == 200
    assert "Lead time: 30 days, minimum 42" in response.text
    assert not SponsorshipRequest.objects.exists()


def test_a_conference_from_the_list_fills_what_is_left_empty(client, community, leader):
    start = timezone.localdate() + dt.timedelta(days=100)
    conference = Conference.objects.create(
        name="PyCon Ghana", url="https://pycon.example.org", starts_on=start,
        ends_on=start + dt.timedelta(days=2), city="Accra", country="GH",
        status=Conference.Status.PUBLISHED,
    )  # fmt: skip
    signed_in(client, leader).post(
        url("sponsorship_new"),
        form_data(event_choice=f"conference:{conference.pk}", title="", starts_on="", ends_on=""),
    )
    request = SponsorshipRequest.objects.get()
    assert request.conference == conference
    assert (request.title, request.starts_on, request.ends_on) == (
        "PyCon Ghana", start, start + dt.timedelta(days=2),
    )  # fmt: skip


def test_one_of_the_communitys_events_can_be_chosen(client, community, leader, other_leader):
    def hosted(host, title):
        event = Event.objects.create(
            title=title, slug=title.lower().replace(" ", "-"), summary="s",
            time_zone="Africa/Accra", starts_at=timezone.now() + dt.timedelta(days=60),
            status=Event.Status.PUBLISHED, city=community.city,
        )  # fmt: skip
        HostedEvent.objects.create(event=event, community=host)
        return event

    ours = hosted(community, "Accra meetup")
    theirs = hosted(other_leader.leaderships.get().community, "Lagos meetup")
    client = signed_in(client, leader)
    page = client.get(url("sponsorship_new")).text
    assert "Accra meetup" in page
    assert "Lagos meetup" not in page
    refused = client.post(url("sponsorship_new"), form_data(event_choice=f"event:{theirs.pk}"))
    assert refused.status_code == 200
    assert not SponsorshipRequest.objects.exists()
    client.post(
        url("sponsorship_new"),
        form_data(
            event_choice=f"event:{ours.pk}", title="", starts_on="", ends_on="", city_name=""
        ),
    )
    request = SponsorshipRequest.objects.get()
    assert (request.event, request.title, request.city) == (ours, "Accra meetup", community.city)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("expected_attendance", "0"),
        ("expected_attendance", "100001"),
        ("tickets_requested", "101"),  # more than the people expected
        ("amount", "0"),
        ("amount", "10000000.01"),
        ("ticket_price", "-1"),
        ("starts_on", "2001-01-01"),
        ("ends_on", "2001-01-01"),
        ("organiser_contact", "not an email"),
        ("report_plan", ""),
        ("title", "x" * 201),
    ],
)
def test_the_form_keeps_every_answer_within_bounds(client, community, leader, field, value):
    response = signed_in(client, leader).post(url("sponsorship_new"), form_data(**{field: value}))
    assert response.status_code == 200
    assert 'class="error-summary"' in response.text
    assert not SponsorshipRequest.objects.exists()


def test_the_form_says_bpd_pays_the_organiser(client, community, leader):
    page = signed_in(client, leader).get(url("sponsorship_new")).text
    assert "BPD pays the organiser directly" in page


# Sending and deciding from the pages -----------------------------------------------------


def test_the_request_page_shows_the_checks_and_refuses_to_send_a_hard_failure(
    client, community, leader
):
    short = timezone.localdate() + dt.timedelta(days=10)
    request = SponsorshipRequestFactory(community=community, starts_on=short, ends_on=short)
    client = signed_in(client, leader)
    page = client.get(url("sponsorship_request", request.pk)).text
    assert "Lead time: 10 days, minimum 42 — too short" in page
    assert url("sponsorship_submit", request.pk) not in page  # no button while it fails
    response = client.post(url("sponsorship_submit", request.pk), {"justification": ""})
    assert response.status_code == 200
    request.refresh_from_db()
    assert request.status == S.DRAFT


def test_a_soft_failure_asks_for_a_justification_on_the_page(client, community, leader):
    request = SponsorshipRequestFactory(community=community, amount=110_000, tickets_requested=12)
    client = signed_in(client, leader)
    response = client.post(url("sponsorship_submit", request.pk), {"justification": ""})
    assert response.status_code == 200
    assert "say why it should go ahead" in response.text
    response = client.post(url("sponsorship_submit", request.pk), {"justification": "Far away."})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == S.SUBMITTED


def test_an_executor_approves_from_the_review_page(client, community, boss):
    request = SponsorshipRequestFactory(community=community, status=S.SUBMITTED)
    client = signed_in(client, boss)
    assert (
        "Approve and commit the money"
        in client.get(url("sponsorship_review_request", request.pk)).text
    )
    response = client.post(
        url("sponsorship_approve", request.pk),
        {"approve-amount_approved": "450", "approve-tickets_approved": "9"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.amount_approved, request.tickets_approved) == (
        S.APPROVED, 45_000, 9,
    )  # fmt: skip


def test_an_override_without_a_reason_is_a_form_error(client, community, boss):
    request = SponsorshipRequestFactory(
        community=community, status=S.SUBMITTED, amount=110_000, tickets_requested=12
    )
    response = signed_in(client, boss).post(
        url("sponsorship_approve", request.pk),
        {"approve-amount_approved": "1100", "approve-tickets_approved": "12"},
    )
    assert response.status_code == 200
    assert "Give the reason for approving all the same" in response.text
    assert 'class="error-summary"' in response.text
    request.refresh_from_db()
    assert request.status == S.SUBMITTED


def test_a_pool_too_small_is_a_form_error_and_nothing_is_written(client, community, boss):
    Policy.objects.create(version=1, pool_total=40_000)
    request = SponsorshipRequestFactory(community=community, status=S.SUBMITTED)
    response = signed_in(client, boss).post(
        url("sponsorship_approve", request.pk),
        {"approve-amount_approved": "500", "approve-tickets_approved": "10"},
    )
    assert response.status_code == 200
    assert "more than is left" in response.text
    request.refresh_from_db()
    assert request.status == S.SUBMITTED
    assert not Entry.objects.exists()


def test_declining_from_the_page_needs_a_comment_the_leader_then_reads(
    client, community, leader, boss
):
    request = SponsorshipRequestFactory(community=community, status=S.SUBMITTED)
    client = signed_in(client, boss)
    response = client.post(url("sponsorship_decline", request.pk), {"decline-comment": ""})
    assert response.status_code == 200
    request.refresh_from_db()
    assert request.status == S.SUBMITTED
    client.post(url("sponsorship_decline", request.pk), {"decline-comment": "No tickets sold."})
    request.refresh_from_db()
    assert request.status == S.DECLINED
    page = signed_in(client, leader).get(url("sponsorship_request", request.pk)).text
    assert "No tickets sold." in page


def test_cancelling_needs_the_confirmation(client, community, boss):
    request = SponsorshipRequestFactory(community=community, status=S.APPROVED)
    client = signed_in(client, boss)
    client.post(url("sponsorship_cancel", request.pk), {"cancel-comment": "Called off."})
    request.refresh_from_db()
    assert request.status == S.APPROVED
    client.post(
        url("sponsorship_cancel", request.pk), {"cancel-comment": "Called off.", "confirm": "on"}
    )
    request.refresh_from_db()
    assert request.status == S.CANCELLED


# The policy page -------------------------------------------------------------------------


def policy_form(**changes):
    data = {
        "min_lead_days": "60", "lead_time_hard": "on", "max_per_event": "1500",
        "per_event_hard": "on", "max_per_attendee": "10", "max_per_ticket": "100",
        "max_per_community_year": "3000", "pool_total": "20000", "region_002": "8000",
        "note": "Two months ahead.",
    }  # fmt: skip
    return data | changes


def test_the_policy_page_writes_nothing_on_a_visit(client, boss):
    assert signed_in(client, boss).get(url("sponsorship_policy")).status_code == 200
    assert not Policy.objects.exists()


def test_saving_the_policy_makes_a_new_version(client, boss):
    client = signed_in(client, boss)
    client.post(url("sponsorship_policy"), policy_form())
    client.post(url("sponsorship_policy"), policy_form(min_lead_days="30", note="Shorter."))
    assert list(Policy.objects.order_by("version").values_list("version", "min_lead_days")) == [
        (1, 60), (2, 30),
    ]  # fmt: skip
    assert Policy.objects.get(version=1).region_pools.get().amount == 800_000
    page = client.get(url("sponsorship_policy")).text
    assert "Shorter." in page
    assert "Two months ahead." in page


def test_a_policy_without_a_note_or_with_a_share_over_the_pool_is_refused(client, boss):
    client = signed_in(client, boss)
    for data in (policy_form(note=""), policy_form(region_002="20000.01")):
        response = client.post(url("sponsorship_policy"), data)
        assert response.status_code == 200
    assert not Policy.objects.exists()


# The public list -------------------------------------------------------------------------


def completed(community, year, **fields):
    day = dt.date(year, 5, 1)
    return SponsorshipRequestFactory(
        community=community, status=S.COMPLETED, starts_on=day, ends_on=day,
        amount_approved=fields.pop("amount_approved", 40_000), tickets_approved=8,
        tickets_used=fields.pop("tickets_used", 7), **fields,
    )  # fmt: skip


def test_the_public_list_shows_completed_sponsorships_of_the_year_with_totals(client, community):
    completed(community, 2026, title="Meetup day")
    completed(community, 2026, title="Data day", amount_approved=60_000, tickets_used=8)
    completed(community, 2025, title="Last year")
    SponsorshipRequestFactory(community=community, status=S.APPROVED, title="Not yet")
    page = client.get(url("sponsored_year", 2026)).text
    assert "Meetup day" in page
    assert "Data day" in page
    assert "Not yet" not in page
    assert "Last year" not in page
    assert "USD 1,000" in page  # 400 + 600
    assert ">15<" in page  # tickets used: 7 + 8
    assert url("sponsored_year", 2025) in page
    assert url("detail", community.slug) in page
    assert "Last year" in client.get(url("sponsored") + "?year=2025").text


def test_the_public_list_defaults_to_the_latest_year_and_has_an_empty_state(client, community):
    assert "No sponsorship of an event" in client.get(url("sponsored")).text
    completed(community, 2024, title="Long ago")
    assert "Long ago" in client.get(url("sponsored")).text


@pytest.mark.parametrize(
    "query", ["?year=abc", "?year=99999", "?year=1900", "?year=²⁰²⁶", "?year=٢٠٢٦"]
)
def test_a_year_out_of_range_is_404(client, query):
    assert client.get(url("sponsored") + query).status_code == 404


def test_the_public_list_is_cached_for_visitors(client, community, django_assert_num_queries):
    completed(community, 2026)
    client.get(url("sponsored"))  # creates the site's settings row: the content changes
    client.get(url("sponsored"))
    with django_assert_num_queries(0):
        assert client.get(url("sponsored")).status_code == 200


def _many(community, count, status, **fields):
    for number in range(count):
        if status == S.COMPLETED:
            completed(community, 2026, title=f"Event {number}")
        else:
            SponsorshipRequestFactory(
                community=community, status=status, title=f"Event {number}",
                submitted_at=timezone.now(), **fields,
            )  # fmt: skip


@pytest.mark.parametrize(
    ("name", "status", "who"),
    [
        ("sponsorship", S.SUBMITTED, "leader"),
        ("sponsorship_review", S.SUBMITTED, "executor"),
        ("sponsored", S.COMPLETED, "anonymous"),
    ],
)
def test_list_pages_cost_the_same_queries_at_two_sizes(
    client, uncached, community, leader, boss, name, status, who
):
    if who != "anonymous":
        signed_in(client, {"leader": leader, "executor": boss}[who])
    _many(community, 2, status)
    client.get(url(name))  # the first visit fills the caches every page reads
    _, few = get_with_queries(client, url(name))
    _many(SponsoredCommunityFactory(), 2, status)
    _many(community, 20, status)
    _, more = get_with_queries(client, url(name))
    assert len(few) == len(more), "\n".join(more)


# The hub ---------------------------------------------------------------------------------


def test_executors_are_told_how_many_requests_wait(client, community, boss):
    _many(community, 3, S.SUBMITTED)
    SponsorshipRequestFactory(community=community, status=S.APPROVED)
    page = signed_in(client, boss).get(reverse("members:home")).text
    assert "3 sponsorship requests waiting" in page
    assert url("sponsorship_review") in page


def test_leaders_see_their_requests_and_what_waits_for_them(client, community, leader, boss):
    request = SponsorshipRequestFactory(
        community=community, status=S.CHANGES_REQUESTED, title="Sent back"
    )
    page = signed_in(client, leader).get(reverse("members:home")).text
    assert "Make the changes asked for and send it again: Sent back" in page
    assert url("sponsorship_request", request.pk) in page
    assert url("sponsorship") in page
    assert "sponsorship requests waiting" not in page


def test_members_who_lead_nothing_get_no_sponsorship_card(client):
    member = ProfileFactory(user=UserFactory(roles=[Role.MEMBER])).user
    page = signed_in(client, member).get(reverse("members:home")).text
    assert url("sponsorship") not in page
