"""Sponsored tickets' services (bpd/communities/tickets.py): publishing a draw, who may
apply and with which tier, the draw itself, passing tickets on, codes, "tickets issued"
and attendance."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from bpd.audit.models import Entry
from bpd.audit.verbs import Verb
from bpd.communities import lottery, tickets, verify_draw
from bpd.communities.models import Draw, Membership, SponsorshipRequest, TicketCode, TicketEntry
from bpd.fund.models import Application, Round
from bpd.members.roles import Role
from tests.communities.factories import (
    CommunityFactory,
    DrawFactory,
    SponsorshipRequestFactory,
    TicketEntryFactory,
    leader_of,
)
from tests.factories import CityFactory, ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db
E = TicketEntry.Status
T = Draw.Tier


def member(country="GH", city=None, **kwargs):
    return ProfileFactory(country=country, city=city, **kwargs).user


def executor():
    return ProfileFactory(user=UserFactory(roles=[Role.EXECUTOR])).user


def closed(draw, now=None):
    """Close `draw`'s window (as if time had passed)."""
    now = now or timezone.now()
    Draw.objects.filter(pk=draw.pk).update(
        opens_at=now - dt.timedelta(days=3), closes_at=now - dt.timedelta(minutes=1)
    )
    draw.refresh_from_db()
    return draw


def entered(draw, count, **kwargs):
    return [tickets.apply(draw=draw, user=member(**kwargs)) for _ in range(count)]


def run(draw, by=None, value="deadbeef"):
    by = by or leader_of(draw.request.community)
    return tickets.run_draw(draw=closed(draw), by=by, randomness_value=value)


# --- Publishing ---------------------------------------------------------------------------


def _publish(request, by, **changes):
    now = timezone.now()
    data = {
        "tickets": 5,
        "opens_at": now,
        "closes_at": now + dt.timedelta(days=10),
        "radius_km": None,
        "priorities": [T.FIRST_TIME, T.COMMUNITY_MEMBER],
        "confirm_days": 5,
        "randomness_source": "drand quicknet round 123",
    } | changes
    return tickets.publish_draw(request=request, by=by, **data)


def test_a_leader_publishes_the_draw_with_a_commitment_to_a_hidden_secret():
    request = SponsorshipRequestFactory()
    leader = leader_of(request.community)

    draw = _publish(request, leader)

    assert draw.published_at is not None
    assert draw.commitment == lottery.commit(draw.secret)
    assert len(draw.secret) == 64
    assert draw.priorities == ["first_time", "community_member"]
    logged = Entry.objects.get(verb=Verb.DRAW_PUBLISHED)
    assert logged.after["commitment"] == draw.commitment
    assert draw.secret not in str(logged.after)


def test_an_executor_may_publish_too():
    assert _publish(SponsorshipRequestFactory(), executor()).pk


def test_a_leader_of_another_community_may_not():
    request = SponsorshipRequestFactory()
    other = leader_of(CommunityFactory())

    with pytest.raises(tickets.TicketError):
        _publish(request, other)
    assert not Draw.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("status", SponsorshipRequest.Status.SUBMITTED),
        ("status", SponsorshipRequest.Status.DRAFT),
        ("distribution", SponsorshipRequest.Distribution.COMMUNITY),
    ],
)
def test_only_approved_lottery_sponsorships_get_a_draw(field, value):
    request = SponsorshipRequestFactory(**{field: value})

    with pytest.raises(tickets.TicketError):
        _publish(request, executor())


def test_the_rules_cannot_change_once_published():
    request = SponsorshipRequestFactory()
    leader = leader_of(request.community)
    draw = _publish(request, leader)

    with pytest.raises(tickets.TicketError, match="cannot change"):
        _publish(request, leader, randomness_source="something else")
    draw.refresh_from_db()
    assert draw.randomness_source == "drand quicknet round 123"


@pytest.mark.parametrize(
    "changes",
    [
        {"tickets": 11},  # more than approved
        {"tickets": 0},
        {"closes_at": timezone.now() - dt.timedelta(minutes=1)},
        {"closes_at": timezone.now() + dt.timedelta(days=120)},  # after the event starts
        {"randomness_source": "   "},
        {"randomness_source": "x" * 201},
        {"randomness_source": "two\nlines"},
        {"priorities": ["first_time", "first_time"]},
        {"priorities": ["nonsense"]},
        {"confirm_days": 0},
        {"radius_km": 0},
    ],
)
def test_publishing_refuses_rules_out_of_bounds(changes):
    request = SponsorshipRequestFactory()

    with pytest.raises(tickets.TicketError):
        _publish(request, executor(), **changes)
    assert not Draw.objects.exists()


# --- Applying --------------------------------------------------------------------------------


def test_entry_numbers_follow_the_order_of_application():
    draw = DrawFactory()

    numbers = [entry.number for entry in entered(draw, 4)]

    assert numbers == [1, 2, 3, 4]


def test_a_member_applies_once():
    draw = DrawFactory()
    person = member()
    tickets.apply(draw=draw, user=person)

    with pytest.raises(tickets.TicketError, match="already applied"):
        tickets.apply(draw=draw, user=person)


def test_a_withdrawn_member_may_apply_again_at_the_end():
    draw = DrawFactory()
    person = member()
    first = tickets.apply(draw=draw, user=person)
    entered(draw, 2)
    tickets.withdraw(entry=first, user=person)

    again = tickets.apply(draw=draw, user=person)

    assert again.pk == first.pk
    assert again.number == 4
    assert again.status == E.ENTERED


@pytest.mark.parametrize(
    ("opens", "closes"),
    [(-3, -1), (1, 3)],  # closed already; not yet open
)
def test_applications_only_while_the_window_is_open(opens, closes):
    now = timezone.now()
    draw = DrawFactory(
        opens_at=now + dt.timedelta(days=opens), closes_at=now + dt.timedelta(days=closes)
    )

    with pytest.raises(tickets.TicketError, match="closed"):
        tickets.apply(draw=draw, user=member())


def test_members_elsewhere_may_not_apply():
    draw = DrawFactory()

    with pytest.raises(tickets.TicketError, match="elsewhere"):
        tickets.apply(draw=draw, user=member(country="KE"))


def test_a_member_without_a_profile_may_not_apply():
    with pytest.raises(tickets.TicketError, match="profile"):
        tickets.apply(draw=DrawFactory(), user=UserFactory())


def test_the_radius_includes_its_boundary_and_not_beyond():
    """Lomé (Togo) is about 171 km from Accra; the draw sets the distance."""
    lome = CityFactory(name="Lomé", country="TG", latitude=6.1375, longitude=1.2123)
    accra = CityFactory(name="Accra", country="GH", latitude=5.556, longitude=-0.1969)
    distance = tickets.haversine_km(lome, accra)
    assert 160 < distance < 180
    community = CommunityFactory(city=accra)
    inside = DrawFactory(
        request=SponsorshipRequestFactory(community=community), radius_km=int(distance) + 1
    )
    outside = DrawFactory(
        request=SponsorshipRequestFactory(community=community), radius_km=int(distance)
    )
    person = member(country="TG", city=lome)

    assert tickets.apply(draw=inside, user=person).number == 1
    with pytest.raises(tickets.TicketError, match="elsewhere"):
        tickets.apply(draw=outside, user=person)


def test_without_a_radius_only_the_country_counts():
    lome = CityFactory(name="Lomé", country="TG", latitude=6.1375, longitude=1.2123)

    with pytest.raises(tickets.TicketError):
        tickets.apply(draw=DrawFactory(radius_km=None), user=member(country="TG", city=lome))


def test_a_statement_is_bounded():
    with pytest.raises(tickets.TicketError):
        tickets.apply(draw=DrawFactory(), user=member(), statement="x" * 1001)


# --- Tiers --------------------------------------------------------------------------------


def test_tiers_follow_the_draws_rules_in_order():
    """Rules [first time, community member]: tier 0 meets both, 1 the first only, 2 the
    second only, 3 neither."""
    draw = DrawFactory(priorities=[T.FIRST_TIME, T.COMMUNITY_MEMBER])
    community = draw.request.community
    earlier = DrawFactory(request=SponsorshipRequestFactory(community=community))

    def held_a_ticket(user):
        TicketEntryFactory(draw=earlier, user=user, status=E.CONFIRMED)

    def joined(user):
        Membership.objects.create(community=community, user=user)

    both, first_only, second_only, neither = member(), member(), member(), member()
    joined(both)
    held_a_ticket(second_only)
    joined(second_only)
    held_a_ticket(neither)

    tiers = [
        tickets.apply(draw=draw, user=u).tier for u in (both, first_only, second_only, neither)
    ]

    assert tiers == [0, 1, 2, 3]


def test_a_follower_is_not_a_community_member():
    draw = DrawFactory(priorities=[T.COMMUNITY_MEMBER])
    person = member()
    Membership.objects.create(
        community=draw.request.community, user=person, kind=Membership.Kind.FOLLOWER
    )

    assert tickets.apply(draw=draw, user=person).tier == 1


def test_not_funded_looks_at_fund_awards_and_tickets_this_year():
    draw = DrawFactory(priorities=[T.NOT_FUNDED])
    today = timezone.localdate()
    fund_round = Round.objects.create(
        name="R", slug="r", opens_at=timezone.now() - dt.timedelta(days=30),
        closes_at=timezone.now() - dt.timedelta(days=20), decision_date=today, budget=1000,
        currency="USD",
    )  # fmt: skip
    awarded, refused, ticketed, fresh = member(), member(), member(), member()
    Application.objects.create(round=fund_round, applicant=awarded, status="accepted")
    Application.objects.create(round=fund_round, applicant=refused, status="declined")
    this_year = SponsorshipRequestFactory(
        starts_on=today, ends_on=today, community=draw.request.community
    )
    TicketEntryFactory(draw=DrawFactory(request=this_year), user=ticketed, status=E.CONFIRMED)

    tiers = [tickets.apply(draw=draw, user=u).tier for u in (awarded, refused, ticketed, fresh)]

    assert tiers == [1, 0, 1, 0]


# --- The draw -----------------------------------------------------------------------------


def test_the_draw_waits_for_the_window_to_close():
    draw = DrawFactory()
    entered(draw, 2)

    with pytest.raises(tickets.TicketError, match="closed"):
        tickets.run_draw(draw=draw, by=leader_of(draw.request.community), randomness_value="ab")


def test_a_leader_of_another_community_cannot_run_it():
    draw = closed(DrawFactory())

    with pytest.raises(tickets.TicketError):
        tickets.run_draw(draw=draw, by=leader_of(CommunityFactory()), randomness_value="ab")
    draw.refresh_from_db()
    assert draw.drawn_at is None


def test_the_draw_offers_the_first_entries_in_the_published_order(
    django_capture_on_commit_callbacks, mailoutbox, monkeypatch
):
    monkeypatch.setattr(tickets, "EMAIL_BATCH", 3)  # the emails go out in three tasks
    draw = DrawFactory(tickets=3, priorities=[T.COMMUNITY_MEMBER])
    people = [member() for _ in range(8)]
    for person in people[5:]:
        Membership.objects.create(community=draw.request.community, user=person)
    for person in people:
        tickets.apply(draw=draw, user=person)

    with django_capture_on_commit_callbacks(execute=True):
        result = run(draw, value="0123abcd")

    draw.refresh_from_db()
    seed = lottery.combined_seed(draw.secret, draw.randomness_source, "0123abcd")
    assert draw.seed == seed.hex()
    rows = list(draw.entries.order_by("rank"))
    expected = lottery.order(seed, [(e.number, e.tier) for e in rows])
    assert [e.number for e in rows] == expected
    assert {e.number for e in rows[:3]} == {6, 7, 8}  # the community's members, tier 0
    assert [e.status for e in rows] == [E.OFFERED] * 3 + [E.WAITING] * 5
    assert all(e.key == lottery.key(seed, e.number) for e in rows)
    assert (result.entries, result.offered) == (8, 3)
    subjects = {m.to[0]: m.subject for m in mailoutbox}
    assert len(subjects) == 8
    assert "confirm" in subjects[rows[0].user.email]
    assert "waiting list" in subjects[rows[3].user.email]
    assert Entry.objects.filter(verb=Verb.DRAW_RUN).count() == 1


def test_never_more_offers_than_tickets_and_an_empty_draw_is_fine():
    few = DrawFactory(tickets=5)
    entered(few, 2)
    run(few)
    empty = DrawFactory(tickets=5)
    run(empty)

    assert few.entries.filter(status=E.OFFERED).count() == 2
    assert empty.entries.count() == 0
    empty.refresh_from_db()
    assert empty.drawn_at is not None


def test_a_draw_runs_once():
    draw = DrawFactory()
    run(draw)

    with pytest.raises(tickets.TicketError, match="already"):
        run(draw)


def test_withdrawn_entries_are_left_out_of_the_draw():
    draw = DrawFactory()
    first, *_rest = entered(draw, 3)
    tickets.withdraw(entry=first, user=first.user)
    run(draw)

    first.refresh_from_db()
    assert first.status == E.WITHDRAWN
    assert first.rank is None


def test_the_published_draw_json_verifies_with_the_script():
    draw = DrawFactory(tickets=2, priorities=[T.FIRST_TIME])
    entries = entered(draw, 6)
    tickets.withdraw(entry=entries[2], user=entries[2].user)
    before = tickets.draw_json(draw)
    assert "secret" not in before
    assert "ordering" not in before
    run(draw, value="drand value 1")
    draw.refresh_from_db()

    data = json.loads(json.dumps(tickets.draw_json(draw)))
    ok, problems, ordering, winners = verify_draw.verify(data)

    assert ok, problems
    assert ordering == list(
        draw.entries.filter(rank__isnull=False).order_by("rank").values_list("number", flat=True)
    )
    assert len(winners) == 2
    assert 3 not in ordering


# --- Answers and passing on --------------------------------------------------------------


def _drawn(tickets_count=2, entries=6):
    draw = DrawFactory(tickets=tickets_count)
    entered(draw, entries)
    run(draw)
    draw.refresh_from_db()
    return draw, list(draw.entries.order_by("rank"))


def test_a_decline_passes_the_ticket_to_the_next_in_the_published_order(
    django_capture_on_commit_callbacks, mailoutbox
):
    draw, ranked = _drawn()

    with django_capture_on_commit_callbacks(execute=True):
        tickets.decline(entry=ranked[0], user=ranked[0].user)

    statuses = dict(draw.entries.values_list("rank", "status"))
    assert statuses[1] == E.DECLINED
    assert statuses[2] == E.OFFERED
    assert statuses[3] == E.OFFERED
    assert statuses[4] == E.WAITING
    assert [m.to for m in mailoutbox] == [[ranked[2].user.email]]
    logged = Entry.objects.get(verb=Verb.TICKET_PASSED_ON)
    assert logged.after == {"offered_to": [ranked[2].number]}


def test_a_lapse_passes_the_ticket_on_and_the_job_is_idempotent(
    django_capture_on_commit_callbacks, mailoutbox
):
    draw, ranked = _drawn()
    tickets.confirm(entry=ranked[1], user=ranked[1].user)
    later = ranked[0].confirm_by + dt.timedelta(minutes=1)

    with django_capture_on_commit_callbacks(execute=True):
        assert tickets.lapse_overdue(now=later) == 1
    assert tickets.lapse_overdue(now=later) == 0

    statuses = dict(draw.entries.values_list("rank", "status"))
    assert statuses[1] == E.LAPSED
    assert statuses[2] == E.CONFIRMED
    assert statuses[3] == E.OFFERED
    assert statuses[4] == E.WAITING
    subjects = {m.to[0]: m.subject for m in mailoutbox}
    assert "lapsed" in subjects[ranked[0].user.email]
    assert "confirm" in subjects[ranked[2].user.email]


def test_pass_on_never_gives_more_than_the_tickets():
    draw, ranked = _drawn(tickets_count=2, entries=4)
    tickets.decline(entry=ranked[0], user=ranked[0].user)
    tickets.decline(entry=ranked[1], user=ranked[1].user)
    tickets.decline(entry=ranked[2], user=ranked[2].user)

    taken = draw.entries.filter(status__in=tickets.TAKEN).count()
    assert taken == 1  # only rank 4 is left
    assert draw.entries.get(rank=4).status == E.OFFERED


def test_a_confirmed_ticket_without_a_code_can_be_given_back_and_passes_on(
    django_capture_on_commit_callbacks, mailoutbox
):
    draw, ranked = _drawn()
    tickets.confirm(entry=ranked[0], user=ranked[0].user)
    [mine] = tickets.my_entries(ranked[0].user)
    assert mine.can_give_back

    with django_capture_on_commit_callbacks(execute=True):
        tickets.decline(entry=ranked[0], user=ranked[0].user)

    statuses = dict(draw.entries.values_list("rank", "status"))
    assert (statuses[1], statuses[3], statuses[4]) == (E.DECLINED, E.OFFERED, E.WAITING)
    assert [m.to for m in mailoutbox] == [[ranked[2].user.email]]
    assert Entry.objects.get(verb=Verb.TICKET_PASSED_ON).reason == "given back"


def test_a_confirmed_ticket_cannot_be_given_back_with_its_code_or_once_the_event_started():
    draw, ranked = _drawn()
    tickets.confirm(entry=ranked[0], user=ranked[0].user)
    tickets.confirm(entry=ranked[1], user=ranked[1].user)
    TicketCode.objects.create(draw=draw, code="SEEN-1", entry=ranked[0])
    started = tickets.event_starts_at(draw.request) + dt.timedelta(minutes=1)

    with pytest.raises(tickets.TicketError, match="already yours"):
        tickets.decline(entry=ranked[0], user=ranked[0].user)
    with pytest.raises(tickets.TicketError, match="started"):
        tickets.decline(entry=ranked[1], user=ranked[1].user, now=started)
    assert set(draw.entries.filter(rank__lte=2).values_list("status", flat=True)) == {E.CONFIRMED}
    assert not any(e.can_give_back for e in tickets.my_entries(ranked[0].user))


def test_only_the_entrant_answers_and_only_before_the_deadline():
    _draw, ranked = _drawn()

    with pytest.raises(tickets.TicketError):
        tickets.confirm(entry=ranked[0], user=ranked[1].user)
    with pytest.raises(tickets.TicketError):
        tickets.decline(entry=ranked[0], user=ranked[3].user)
    with pytest.raises(tickets.TicketError, match="lapsed"):
        tickets.confirm(
            entry=ranked[0], user=ranked[0].user, now=ranked[0].confirm_by + dt.timedelta(1)
        )
    with pytest.raises(tickets.TicketError):
        tickets.confirm(entry=ranked[3], user=ranked[3].user)  # waiting, not offered


def test_no_offers_once_the_event_has_started():
    draw, ranked = _drawn()
    started = tickets.event_starts_at(draw.request) + dt.timedelta(hours=1)

    tickets.decline(entry=ranked[0], user=ranked[0].user, now=started)

    assert draw.entries.filter(status=E.OFFERED).count() == 1


def test_offers_never_outlast_the_event_start():
    request = SponsorshipRequestFactory(
        starts_on=timezone.localdate() + dt.timedelta(days=2),
        ends_on=timezone.localdate() + dt.timedelta(days=2),
    )
    draw = DrawFactory(
        request=request, confirm_days=10, closes_at=timezone.now() + dt.timedelta(hours=1)
    )
    entered(draw, 1)
    run(draw)

    offer = draw.entries.get()
    assert offer.confirm_by == tickets.event_starts_at(request)


# --- Codes --------------------------------------------------------------------------------


def test_codes_go_to_confirmed_winners_in_order_and_on_confirmation(
    django_capture_on_commit_callbacks, mailoutbox
):
    draw, ranked = _drawn(tickets_count=3)
    leader = leader_of(draw.request.community, display_name="Leader")
    tickets.confirm(entry=ranked[2], user=ranked[2].user)
    tickets.confirm(entry=ranked[0], user=ranked[0].user)

    with django_capture_on_commit_callbacks(execute=True):
        tickets.import_codes(draw=draw, by=leader, text="AAA-1\n\n  BBB-2  \nCCC-3\n")
    codes = dict(TicketCode.objects.filter(entry__isnull=False).values_list("entry__rank", "code"))
    assert codes == {1: "AAA-1", 3: "BBB-2"}
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [ranked[0].user.email, ranked[2].user.email]
    )
    assert "AAA-1" in next(m.body for m in mailoutbox if m.to[0] == ranked[0].user.email)

    tickets.confirm(entry=ranked[1], user=ranked[1].user)

    assert TicketCode.objects.get(code="CCC-3").entry_id == ranked[1].pk
    assert Entry.objects.filter(verb=Verb.CODE_ASSIGNED).count() == 3
    assert Entry.objects.filter(verb=Verb.CODES_IMPORTED).count() == 1


@pytest.mark.parametrize(
    "text",
    [
        "A\nB\nA",  # repeated in the paste
        "OLD",  # already in
        "A\nB\nC",  # more codes than tickets (with the one already in)
        "\n \n",  # nothing
        "A\x00B",  # control characters
        "by-name:3",
        "x" * 201,
    ],
)
def test_codes_are_all_or_nothing(text):
    draw, _ranked = _drawn(tickets_count=3)
    leader = leader_of(draw.request.community)
    tickets.import_codes(draw=draw, by=leader, text="OLD")

    with pytest.raises(tickets.TicketError):
        tickets.import_codes(draw=draw, by=leader, text=text)
    assert list(draw.codes.values_list("code", flat=True)) == ["OLD"]


def test_codes_only_after_the_draw_and_only_by_its_leaders():
    draw = DrawFactory()
    with pytest.raises(tickets.TicketError):
        tickets.import_codes(draw=draw, by=leader_of(draw.request.community), text="A")
    drawn, _ranked = _drawn()
    with pytest.raises(tickets.TicketError):
        tickets.import_codes(draw=drawn, by=leader_of(CommunityFactory()), text="A")
    assert not TicketCode.objects.exists()


def test_a_winner_registered_by_name(django_capture_on_commit_callbacks, mailoutbox):
    draw, ranked = _drawn()
    tickets.confirm(entry=ranked[0], user=ranked[0].user)

    with django_capture_on_commit_callbacks(execute=True):
        tickets.register_by_name(draw=draw, entry=ranked[0], by=executor())

    code = TicketCode.objects.get(entry=ranked[0])
    assert tickets.shown_code(code).startswith("Registered under your name")
    assert "Registered under your name" in mailoutbox[0].body
    with pytest.raises(tickets.TicketError):
        tickets.register_by_name(draw=draw, entry=ranked[1], by=executor())  # only offered


# --- Tickets issued and attendance -------------------------------------------------------------


def test_tickets_issued_needs_every_code_or_the_leaders_word():
    draw, ranked = _drawn(tickets_count=1, entries=2)
    leader = leader_of(draw.request.community)
    tickets.confirm(entry=ranked[0], user=ranked[0].user)

    with pytest.raises(tickets.TicketError, match="tick the box"):
        tickets.mark_tickets_issued(draw=draw, by=leader)
    tickets.import_codes(draw=draw, by=leader, text="ONLY")
    tickets.mark_tickets_issued(draw=draw, by=leader)

    draw.request.refresh_from_db()
    assert draw.request.status == SponsorshipRequest.Status.TICKETS_ISSUED


def test_tickets_issued_anyway_and_only_from_paid():
    draw, _ranked = _drawn()
    leader = leader_of(draw.request.community)
    tickets.mark_tickets_issued(draw=draw, by=leader, anyway=True, comment="Given at the door")
    draw.request.refresh_from_db()
    assert draw.request.status == SponsorshipRequest.Status.TICKETS_ISSUED

    with pytest.raises(tickets.TicketError, match="paid"):
        tickets.mark_tickets_issued(draw=draw, by=leader, anyway=True)
    approved = DrawFactory(request=SponsorshipRequestFactory(status="approved"))
    with pytest.raises(tickets.TicketError, match="paid"):
        tickets.mark_tickets_issued(draw=approved, by=executor(), anyway=True)


def test_attendance_once_the_event_started_and_no_shows_are_counted():
    draw, ranked = _drawn(tickets_count=2)
    leader = leader_of(draw.request.community)
    for entry in ranked[:2]:
        tickets.confirm(entry=entry, user=entry.user)
    marks = {ranked[0].pk: True, ranked[1].pk: False, ranked[3].pk: True}

    with pytest.raises(tickets.TicketError, match="started"):
        tickets.record_attendance(draw=draw, by=leader, attended=marks)
    started = tickets.event_starts_at(draw.request) + dt.timedelta(hours=2)
    assert tickets.record_attendance(draw=draw, by=leader, attended=marks, now=started) == 2

    assert dict(draw.entries.filter(attended__isnull=False).values_list("rank", "attended")) == {
        1: True,
        2: False,
    }
    assert tickets.no_shows([ranked[1].user_id, ranked[0].user_id]) == {ranked[1].user_id: 1}
    logged = Entry.objects.get(verb=Verb.TICKET_ATTENDANCE)
    assert logged.after["came"] == 1
    assert logged.after["absent"] == 1
    with pytest.raises(tickets.TicketError):
        tickets.record_attendance(
            draw=draw, by=leader_of(CommunityFactory()), attended=marks, now=started
        )
