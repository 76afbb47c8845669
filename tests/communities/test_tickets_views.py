"""Sponsored tickets' pages: who reaches each, what each shows (numbers, never names, on
the public draw page; a code to its winner only), the download and its query counts at
two data sizes."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from bpd.audit.models import Entry
from bpd.audit.verbs import Verb
from bpd.communities import tickets, verify_draw
from bpd.communities.models import Draw, TicketEntry
from bpd.members.roles import Role
from bpd.members.visibility import Visibility
from tests.communities.factories import (
    CommunityFactory,
    DrawFactory,
    SponsorshipRequestFactory,
    leader_of,
)
from tests.factories import ProfileFactory, UserFactory
from tests.queries import get_with_queries

pytestmark = pytest.mark.django_db
E = TicketEntry.Status


def member(country="GH", **profile):
    return ProfileFactory(country=country, **profile).user


def executor():
    return ProfileFactory(user=UserFactory(roles=[Role.EXECUTOR])).user


def close(draw):
    now = timezone.now()
    Draw.objects.filter(pk=draw.pk).update(
        opens_at=now - dt.timedelta(days=3), closes_at=now - dt.timedelta(minutes=1)
    )
    draw.refresh_from_db()
    return draw


def drawn(entries=5, tickets_count=2, **profile):
    draw = DrawFactory(tickets=tickets_count)
    people = [member(**profile) for _ in range(entries)]
    for person in people:
        tickets.apply(draw=draw, user=person)
    tickets.run_draw(draw=close(draw), by=executor(), randomness_value="cafe")
    draw.refresh_from_db()
    return draw, list(draw.entries.select_related("user").order_by("rank"))


# --- Members -----------------------------------------------------------------------------


def test_members_see_the_draws_they_may_enter_and_their_own_tickets(client):
    near = DrawFactory(request=SponsorshipRequestFactory(title="Accra Local"))
    far = DrawFactory(request=SponsorshipRequestFactory(title="Nairobi Local", country="KE"))
    person = member()
    client.force_login(person)

    page = client.get(reverse("communities:tickets")).text

    assert "Accra Local" in page
    assert "Nairobi Local" not in page
    assert reverse("communities:ticket_apply", args=[near.pk]) in page
    assert reverse("communities:ticket_apply", args=[far.pk]) not in page


def test_applying_through_the_page(client):
    draw = DrawFactory()
    person = member()
    client.force_login(person)

    response = client.post(
        reverse("communities:ticket_apply", args=[draw.pk]), {"statement": "I want to learn."}
    )

    assert response.status_code == 302
    entry = TicketEntry.objects.get(user=person)
    assert entry.number == 1
    assert entry.statement == "I want to learn."
    page = client.get(reverse("communities:tickets")).text
    assert "Withdraw" in page


def test_an_ineligible_member_sees_why_and_nothing_is_written(client):
    draw = DrawFactory()
    client.force_login(member(country="KE"))

    response = client.post(reverse("communities:ticket_apply", args=[draw.pk]), {})

    assert response.status_code == 200
    assert "elsewhere" in response.text
    assert not TicketEntry.objects.exists()


def test_an_offer_is_confirmed_and_the_code_is_shown_to_its_winner_only(client):
    draw, ranked = drawn()
    winner, other = ranked[0].user, ranked[1].user
    client.force_login(winner)
    page = client.get(reverse("communities:tickets")).text
    assert "Confirm my ticket" in page

    client.post(reverse("communities:ticket_confirm", args=[ranked[0].pk]))
    tickets.import_codes(draw=draw, by=executor(), text="SECRET-CODE-1")

    assert "SECRET-CODE-1" in client.get(reverse("communities:tickets")).text
    client.force_login(other)
    assert "SECRET-CODE-1" not in client.get(reverse("communities:tickets")).text
    assert "SECRET-CODE-1" not in client.get(reverse("communities:draw", args=[draw.pk])).text
    leader = leader_of(draw.request.community)
    client.force_login(leader)
    assert "SECRET-CODE-1" not in client.get(reverse("communities:draw_codes", args=[draw.pk])).text


def test_answering_someone_elses_entry_is_a_404(client):
    _draw, ranked = drawn()
    client.force_login(ranked[1].user)

    for name in ("ticket_confirm", "ticket_decline", "ticket_withdraw"):
        assert client.post(reverse(f"communities:{name}", args=[ranked[0].pk])).status_code == 404
    assert TicketEntry.objects.get(pk=ranked[0].pk).status == E.OFFERED


def test_declining_through_the_page_passes_it_on(client):
    _draw, ranked = drawn()
    client.force_login(ranked[0].user)

    client.post(reverse("communities:ticket_decline", args=[ranked[0].pk]))

    assert TicketEntry.objects.get(pk=ranked[2].pk).status == E.OFFERED


def test_a_confirmed_winner_gives_the_ticket_back_from_their_page(client):
    _draw, ranked = drawn()
    client.force_login(ranked[0].user)
    client.post(reverse("communities:ticket_confirm", args=[ranked[0].pk]))

    page = client.get(reverse("communities:tickets")).text
    assert "I cannot go: give it back" in page
    client.post(reverse("communities:ticket_decline", args=[ranked[0].pk]))

    assert TicketEntry.objects.get(pk=ranked[0].pk).status == E.DECLINED
    assert TicketEntry.objects.get(pk=ranked[2].pk).status == E.OFFERED


# --- The public draw page ---------------------------------------------------------------------


def test_before_the_draw_the_secret_stays_hidden(client):
    draw = DrawFactory()
    tickets.apply(draw=draw, user=member(display_name="Ama Entrant"))

    page = client.get(reverse("communities:draw", args=[draw.pk])).text
    data = client.get(reverse("communities:draw_json", args=[draw.pk])).json()

    assert draw.commitment in page
    assert draw.randomness_source in page
    assert draw.secret not in page
    assert draw.secret not in json.dumps(data)
    assert "Ama Entrant" not in page


def test_after_the_draw_the_page_shows_everything_but_names(client):
    draw, ranked = drawn(display_name="Named Person", name_visibility=Visibility.PUBLIC)

    page = client.get(reverse("communities:draw", args=[draw.pk])).text

    assert draw.secret in page
    assert draw.seed in page
    assert "cafe" in page
    assert "Named Person" not in page
    assert "python3 verify_draw.py draw.json" in page
    assert page.index(f">{ranked[0].key[:16]}<") < page.index(f">{ranked[1].key[:16]}<")


def test_an_entrant_sees_their_number(client):
    draw, ranked = drawn()
    client.force_login(ranked[3].user)

    page = client.get(reverse("communities:draw", args=[draw.pk])).text

    assert f"Your number is {ranked[3].number}." in page


def test_an_unpublished_draw_has_no_page(client):
    draw = DrawFactory(published_at=None)

    assert client.get(reverse("communities:draw", args=[draw.pk])).status_code == 404
    assert client.get(reverse("communities:draw_json", args=[draw.pk])).status_code == 404


def test_draw_json_downloads_and_verifies(client):
    draw, _ranked = drawn(entries=7)

    response = client.get(reverse("communities:draw_json", args=[draw.pk]))

    assert "attachment" in response["Content-Disposition"]
    ok, problems, _ordering, _winners = verify_draw.verify(json.loads(response.content))
    assert ok, problems


def test_the_script_is_served_as_it_is_in_the_code(client):
    response = client.get(reverse("communities:verify_script"))

    assert response["Content-Type"].startswith("text/x-python")
    assert 'filename="verify_draw.py"' in response["Content-Disposition"]
    with open(verify_draw.__file__, "rb") as source:
        assert b"".join(response.streaming_content) == source.read()


# --- Leaders and executors -----------------------------------------------------------------


def test_a_leader_sets_up_the_draw_and_cannot_change_it(client):
    request = SponsorshipRequestFactory()
    client.force_login(leader_of(request.community))
    now = timezone.localtime()
    data = {
        "tickets": "4",
        "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + dt.timedelta(days=14)).strftime("%Y-%m-%dT%H:%M"),
        "radius_km": "",
        "priority_1": "first_time",
        "priority_2": "",
        "priority_3": "",
        "confirm_days": "5",
        "randomness_source": "drand quicknet round 999",
        "confirm": "on",
    }
    url = reverse("communities:draw_setup", args=[request.pk])

    response = client.post(url, data)

    draw = Draw.objects.get()
    assert response.status_code == 302
    assert (draw.tickets, draw.priorities) == (4, ["first_time"])
    response = client.post(url, data | {"randomness_source": "another"}, follow=True)
    assert "cannot change any more" in response.text
    assert Draw.objects.get().randomness_source == "drand quicknet round 999"


@pytest.mark.parametrize(
    "changes",
    [
        {"tickets": "11"},
        {"priority_2": "first_time"},  # a gap before it
        {"priority_1": "first_time", "priority_2": "first_time"},
        {"randomness_source": ""},
        {"confirm": ""},
        {"closes_at": "2000-01-01T00:00"},
    ],
)
def test_setup_refuses_bad_rules_with_a_message(client, changes):
    request = SponsorshipRequestFactory()
    client.force_login(leader_of(request.community))
    now = timezone.localtime()
    data = {
        "tickets": "4", "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + dt.timedelta(days=14)).strftime("%Y-%m-%dT%H:%M"),
        "confirm_days": "5", "randomness_source": "drand round 1", "confirm": "on",
        "priority_1": "", "priority_2": "", "priority_3": "",
    } | changes  # fmt: skip

    response = client.post(reverse("communities:draw_setup", args=[request.pk]), data)

    assert response.status_code == 200
    assert not Draw.objects.exists()


def test_another_communitys_leader_gets_404_everywhere(client):
    draw = DrawFactory()
    spare = SponsorshipRequestFactory(community=draw.request.community)
    client.force_login(leader_of(CommunityFactory()))

    assert client.get(reverse("communities:draw_setup", args=[spare.pk])).status_code == 404
    for name in ("draw_run", "draw_codes", "draw_attendance"):
        assert client.get(reverse(f"communities:{name}", args=[draw.pk])).status_code == 404
    for name in ("draw_by_name", "draw_issued"):
        assert client.post(reverse(f"communities:{name}", args=[draw.pk])).status_code == 404
    assert client.get(reverse("communities:draws_manage")).status_code == 200


def test_members_who_lead_nothing_are_refused_the_managers_list(client):
    client.force_login(member())

    assert client.get(reverse("communities:draws_manage")).status_code == 403


def test_running_the_draw_through_the_page(client):
    draw = close(DrawFactory())
    tickets_count = 2
    for _ in range(3):
        TicketEntry.objects.create(draw=draw, number=_ + 1, user=member())
    client.force_login(leader_of(draw.request.community))

    response = client.post(
        reverse("communities:draw_run", args=[draw.pk]),
        {"randomness_value": "beef", "confirm": "on"},
    )

    assert response.status_code == 302
    draw.refresh_from_db()
    assert draw.randomness_value == "beef"
    assert draw.entries.filter(status=E.OFFERED).count() == min(3, draw.tickets, tickets_count + 1)


def test_codes_page_imports_and_the_leader_marks_tickets_issued(client):
    draw, ranked = drawn(tickets_count=1)
    tickets.confirm(entry=ranked[0], user=ranked[0].user)
    client.force_login(leader_of(draw.request.community))
    url = reverse("communities:draw_codes", args=[draw.pk])

    client.post(url, {"codes": "ONE-CODE"})
    client.post(reverse("communities:draw_issued", args=[draw.pk]), {"comment": ""})

    draw.request.refresh_from_db()
    assert draw.request.status == "tickets"
    assert Entry.objects.filter(verb=Verb.CODES_IMPORTED).exists()


def test_attendance_page_shows_names_as_shared_and_records(client):
    draw, ranked = drawn(tickets_count=2)
    for entry in ranked[:2]:
        tickets.confirm(entry=entry, user=entry.user)
    TicketEntry.objects.filter(pk=ranked[0].pk).update()
    ranked[0].user.profile.display_name = "Only Me Name"
    ranked[0].user.profile.name_visibility = Visibility.ONLY_ME
    ranked[0].user.profile.save()
    start = timezone.localdate() - dt.timedelta(days=1)
    type(draw.request).objects.filter(pk=draw.request.pk).update(starts_on=start, ends_on=start)
    boss = executor()
    client.force_login(boss)
    url = reverse("communities:draw_attendance", args=[draw.pk])

    page = client.get(url).text
    client.post(url, {"attended": [str(ranked[1].pk)]})

    assert "Only Me Name" not in page
    assert "A member (name not shared)" in page
    assert "Earlier no-shows" in page
    assert dict(draw.entries.filter(status=E.CONFIRMED).values_list("pk", "attended")) == {
        ranked[0].pk: False,
        ranked[1].pk: True,
    }


# --- Queries at two sizes -------------------------------------------------------------------


def test_member_tickets_page_costs_the_same_at_two_sizes(client, uncached):
    person = member()
    client.force_login(person)
    tickets.apply(draw=DrawFactory(), user=person)
    DrawFactory()
    client.get(reverse("communities:tickets"))
    _page, few = get_with_queries(client, reverse("communities:tickets"))
    for _ in range(5):
        tickets.apply(draw=DrawFactory(), user=person)
        DrawFactory(request=SponsorshipRequestFactory(country="KE"))
    _draw, ranked = drawn()
    TicketEntry.objects.filter(pk=ranked[-1].pk).update(user=person)

    _page, many = get_with_queries(client, reverse("communities:tickets"))

    assert len(few) == len(many)


@pytest.mark.parametrize("signed_in", [False, True])
def test_public_draw_page_costs_the_same_at_two_sizes(client, uncached, signed_in):
    small, _ = drawn(entries=3)
    large, ranked = drawn(entries=40)
    if signed_in:
        client.force_login(ranked[0].user)
    client.get(reverse("communities:draw", args=[small.pk]))

    _page, few = get_with_queries(client, reverse("communities:draw", args=[small.pk]))
    _page, many = get_with_queries(client, reverse("communities:draw", args=[large.pk]))

    assert len(few) == len(many)


def test_attendance_and_codes_pages_cost_the_same_at_two_sizes(client, uncached):
    small, small_ranked = drawn(entries=3, tickets_count=1)
    large, large_ranked = drawn(entries=12, tickets_count=8)
    for entry in [*small_ranked[:1], *large_ranked[:8]]:
        tickets.confirm(entry=entry, user=entry.user)
    client.force_login(executor())
    for name in ("draw_attendance", "draw_codes"):
        client.get(reverse(f"communities:{name}", args=[small.pk]))
        _page, few = get_with_queries(client, reverse(f"communities:{name}", args=[small.pk]))
        _page, many = get_with_queries(client, reverse(f"communities:{name}", args=[large.pk]))
        assert len(few) == len(many), name


def test_managers_list_costs_the_same_at_two_sizes(client, uncached):
    community = CommunityFactory()
    leader = leader_of(community)
    client.force_login(leader)
    DrawFactory(request=SponsorshipRequestFactory(community=community))
    client.get(reverse("communities:draws_manage"))
    _page, few = get_with_queries(client, reverse("communities:draws_manage"))
    for _ in range(4):
        draw = DrawFactory(request=SponsorshipRequestFactory(community=community))
        tickets.apply(draw=draw, user=member())
        SponsorshipRequestFactory(community=community)

    _page, many = get_with_queries(client, reverse("communities:draws_manage"))

    assert len(few) == len(many)


def test_the_public_draw_page_fits_the_page_budget(client, site_content):
    """A full page of the order (100 entries, each with its key) stays under 14 KB gzip
    with the stylesheet, like every public page."""
    import gzip

    from django.contrib.staticfiles import finders

    draw = DrawFactory(tickets=10, priorities=["first_time", "community_member"])
    TicketEntry.objects.bulk_create(
        TicketEntry(draw=draw, number=n, user=member(), tier=n % 4) for n in range(1, 131)
    )
    tickets.run_draw(draw=close(draw), by=executor(), randomness_value="f" * 64)

    response = client.get(reverse("communities:draw", args=[draw.pk]))

    with open(finders.find("website/site.css"), "rb") as handle:
        css = len(gzip.compress(handle.read()))
    assert response.text.count("<tr>") >= 100
    size = len(gzip.compress(response.content)) + css
    assert size <= 14 * 1024
