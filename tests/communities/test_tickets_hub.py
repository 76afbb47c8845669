"""Sponsored tickets on the members' hub (card and tasks), the job that lapses offers,
the mail kinds and "download my data" / "delete my account"."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from bpd.background import jobs
from bpd.communities import ticket_data, tickets, tickets_hub
from bpd.communities.models import Draw, TicketEntry
from bpd.members.roles import Role
from bpd.website import mail
from tests.communities.factories import (
    CommunityFactory,
    DrawFactory,
    SponsorshipRequestFactory,
    leader_of,
)
from tests.factories import ProfileFactory, UserFactory
from tests.queries import get_with_queries

pytestmark = pytest.mark.django_db
HUB = "/members/"
E = TicketEntry.Status


def member(country="GH"):
    return ProfileFactory(country=country).user


def executor():
    return ProfileFactory(user=UserFactory(roles=[Role.EXECUTOR])).user


def close(draw):
    now = timezone.now()
    Draw.objects.filter(pk=draw.pk).update(
        opens_at=now - dt.timedelta(days=3), closes_at=now - dt.timedelta(minutes=1)
    )
    draw.refresh_from_db()
    return draw


def test_the_card_lists_draws_to_enter_and_your_tickets(client):
    DrawFactory(request=SponsorshipRequestFactory(title="Accra Local"))
    DrawFactory(request=SponsorshipRequestFactory(title="Far Away", country="KE"))
    client.force_login(member())

    page = client.get(HUB).text

    assert "Apply: Accra Local" in page
    assert "Far Away" not in page
    assert "Tickets you can apply for (1)" in page
    assert reverse("communities:tickets") + "#mine" in page


def test_an_offer_is_a_task_with_its_deadline(client):
    draw = DrawFactory(request=SponsorshipRequestFactory(title="Accra Local"))
    person = member()
    tickets.apply(draw=draw, user=person)
    tickets.run_draw(draw=close(draw), by=executor(), randomness_value="ab")

    waiting, _cards = _hub(person)

    task = next(t for t in waiting if "Confirm your sponsored ticket" in t.text)
    assert task.urgent
    assert task.due == TicketEntry.objects.get(user=person).confirm_by


def _hub(user):
    from bpd.website import registry

    return registry.hub(user)


def test_leaders_get_their_own_communitys_tasks_only():
    community = CommunityFactory()
    leader, other = leader_of(community), leader_of(CommunityFactory())
    SponsorshipRequestFactory(community=community, title="Needs a draw")
    to_run = close(
        DrawFactory(request=SponsorshipRequestFactory(community=community, title="To run"))
    )
    coded = DrawFactory(request=SponsorshipRequestFactory(community=community, title="Coded"))
    winner = member()
    tickets.apply(draw=coded, user=winner)
    tickets.run_draw(draw=close(coded), by=leader, randomness_value="ab")
    tickets.confirm(entry=TicketEntry.objects.get(user=winner), user=winner)

    texts = [task.text for task in tickets_hub.tasks(leader)]

    assert "Set up the ticket draw: Needs a draw" in texts
    assert "Run the ticket draw: To run" in texts
    assert "Give ticket codes to the winners: Coded" in texts
    assert to_run.pk
    assert list(tickets_hub.tasks(other)) == []


def test_attendance_is_a_task_once_the_event_started():
    community = CommunityFactory()
    leader = leader_of(community)
    draw = DrawFactory(request=SponsorshipRequestFactory(community=community, title="Held"))
    winner = member()
    tickets.apply(draw=draw, user=winner)
    tickets.run_draw(draw=close(draw), by=leader, randomness_value="ab")
    tickets.confirm(entry=TicketEntry.objects.get(user=winner), user=winner)
    past = timezone.localdate() - dt.timedelta(days=1)
    type(draw.request).objects.filter(pk=draw.request_id).update(starts_on=past, ends_on=past)

    texts = [task.text for task in tickets_hub.tasks(leader)]

    assert "Record who came with a sponsored ticket: Held" in texts


def test_the_hub_costs_the_same_at_two_sizes(client, uncached):
    community = CommunityFactory()
    leader = leader_of(community, country="GH")
    client.force_login(leader)
    DrawFactory(request=SponsorshipRequestFactory(community=community))
    client.get(HUB)
    _page, few = get_with_queries(client, HUB)
    for _ in range(4):
        draw = DrawFactory(request=SponsorshipRequestFactory(community=community))
        tickets.apply(draw=draw, user=member())
        close(DrawFactory(request=SponsorshipRequestFactory(community=community)))
        SponsorshipRequestFactory(community=community)

    _page, many = get_with_queries(client, HUB)

    assert len(few) == len(many)


def test_the_lapse_job_is_registered_and_runs():
    assert "communities.ticket_offers_lapse" in jobs.every(jobs.FREQUENTLY)
    fn, _every = jobs.JOBS["communities.ticket_offers_lapse"]
    assert fn() == "0 ticket offers lapsed"


def test_every_ticket_email_has_a_name():
    for name in ("ticket_offered", "ticket_waiting", "ticket_lapsed", "ticket_code"):
        kind = f"communities/email/{name}"
        assert mail.kind_label(kind) != kind


# --- Personal data --------------------------------------------------------------------------


def test_export_holds_the_members_entries_and_code():
    draw = DrawFactory(tickets=1)
    person = member()
    tickets.apply(draw=draw, user=person, statement="My words")
    tickets.run_draw(draw=close(draw), by=executor(), randomness_value="ab")
    tickets.confirm(entry=TicketEntry.objects.get(user=person), user=person)
    tickets.import_codes(draw=draw, by=executor(), text="MY-CODE")

    data = ticket_data.collect(person)

    [entry] = data["ticket_entries"]
    assert entry["statement"] == "My words"
    assert entry["code"] == "MY-CODE"
    assert entry["status"] == E.CONFIRMED
    assert ticket_data.readable(data)


def test_deletion_withdraws_passes_on_and_erases_words_but_keeps_the_draw():
    draw = DrawFactory(tickets=1)
    people = [member() for _ in range(3)]
    for person in people:
        tickets.apply(draw=draw, user=person, statement="Private words")
    tickets.run_draw(draw=close(draw), by=executor(), randomness_value="ab")
    offered = TicketEntry.objects.get(status=E.OFFERED)
    leaving = offered.user

    ticket_data.forget(leaving, "remove")
    leaving.delete()

    offered.refresh_from_db()
    assert offered.user is None
    assert offered.statement == ""
    assert offered.status == E.DECLINED
    assert TicketEntry.objects.filter(status=E.OFFERED).count() == 1
    assert TicketEntry.objects.filter(draw=draw).count() == 3
