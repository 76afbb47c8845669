"""RSVPs: capacity, the waiting list in order, cancel → offer → confirm, lapsed offers
moving the list on, refusals, and answering again after cancelling."""

import datetime as dt

import pytest
from django.utils import timezone

from bpd.events import rsvp as rsvps
from bpd.events.models import Event, Rsvp
from bpd.events.rsvp import RsvpError
from tests.events.rsvp_factories import make_member, make_occurrence

pytestmark = pytest.mark.django_db
S = Rsvp.Status


def test_rsvp_gives_seats_up_to_capacity_then_the_waiting_list():
    occurrence = make_occurrence(capacity=2)
    people = [make_member() for _ in range(4)]

    answers = [rsvps.rsvp(occurrence=occurrence, member=p).status for p in people]

    assert answers == [S.GOING, S.GOING, S.WAITING, S.WAITING]
    assert rsvps.seats_left(occurrence) == 0


def test_rsvp_without_a_capacity_always_seats():
    occurrence = make_occurrence(capacity=None)

    answers = {rsvps.rsvp(occurrence=occurrence, member=make_member()).status for _ in range(5)}

    assert answers == {S.GOING}
    assert rsvps.seats_left(occurrence) is None


def test_rsvp_twice_changes_nothing():
    occurrence = make_occurrence(capacity=1)
    member = make_member()
    first = rsvps.rsvp(occurrence=occurrence, member=member)

    again = rsvps.rsvp(occurrence=occurrence, member=member)

    assert again.pk == first.pk
    assert again.status == S.GOING
    assert Rsvp.objects.filter(occurrence=occurrence).count() == 1


def test_waiting_list_positions_follow_the_order_people_joined():
    occurrence = make_occurrence(capacity=1)
    rsvps.rsvp(occurrence=occurrence, member=make_member())
    now = timezone.now()
    waiting = [
        rsvps.rsvp(occurrence=occurrence, member=make_member(), now=now + dt.timedelta(minutes=i))
        for i in range(3)
    ]

    assert [rsvps.waiting_position(row) for row in waiting] == [1, 2, 3]


def test_cancel_offers_the_seat_to_the_first_person_waiting(
    django_capture_on_commit_callbacks, mailoutbox
):
    occurrence = make_occurrence(capacity=1, starts_in=dt.timedelta(days=3))
    going, first, second = make_member(), make_member(), make_member()
    rsvps.rsvp(occurrence=occurrence, member=going)
    now = timezone.now()
    rsvps.rsvp(occurrence=occurrence, member=first, now=now)
    rsvps.rsvp(occurrence=occurrence, member=second, now=now + dt.timedelta(seconds=1))

    with django_capture_on_commit_callbacks(execute=True):
        rsvps.cancel_rsvp(occurrence=occurrence, member=going, now=now)

    offered = Rsvp.objects.get(member=first)
    assert offered.status == S.OFFERED
    assert offered.offer_expires_at == now + dt.timedelta(hours=rsvps.OFFER_HOURS)
    assert Rsvp.objects.get(member=second).status == S.WAITING
    assert Rsvp.objects.get(member=going).status == S.CANCELLED
    assert [m.to for m in mailoutbox] == [[first.email]]
    assert "A seat is free for you" in mailoutbox[0].subject


def test_confirming_an_offer_gives_the_seat():
    occurrence = make_occurrence(capacity=1)
    going, waiting = make_member(), make_member()
    rsvps.rsvp(occurrence=occurrence, member=going)
    rsvps.rsvp(occurrence=occurrence, member=waiting)
    rsvps.cancel_rsvp(occurrence=occurrence, member=going)

    row = rsvps.confirm_seat(occurrence=occurrence, member=waiting)

    assert row.status == S.GOING
    assert row.offer_expires_at is None


def test_an_offer_ends_an_hour_before_the_start_when_that_is_sooner():
    occurrence = make_occurrence(capacity=1, starts_in=dt.timedelta(hours=5))
    going, waiting = make_member(), make_member()
    rsvps.rsvp(occurrence=occurrence, member=going)
    rsvps.rsvp(occurrence=occurrence, member=waiting)

    rsvps.cancel_rsvp(occurrence=occurrence, member=going)

    row = Rsvp.objects.get(member=waiting)
    assert row.status == S.OFFERED
    assert row.offer_expires_at == occurrence.starts_at - dt.timedelta(hours=1)


def test_close_to_the_start_the_seat_is_given_outright(
    django_capture_on_commit_callbacks, mailoutbox
):
    occurrence = make_occurrence(capacity=1, starts_in=dt.timedelta(minutes=90))
    going, waiting = make_member(), make_member()
    rsvps.rsvp(occurrence=occurrence, member=going)
    rsvps.rsvp(occurrence=occurrence, member=waiting)

    with django_capture_on_commit_callbacks(execute=True):
        rsvps.cancel_rsvp(occurrence=occurrence, member=going)

    assert Rsvp.objects.get(member=waiting).status == S.GOING
    assert "You have a seat" in mailoutbox[-1].subject


def test_an_expired_offer_goes_to_the_next_person(django_capture_on_commit_callbacks, mailoutbox):
    occurrence = make_occurrence(capacity=1, starts_in=dt.timedelta(days=3))
    going, first, second = make_member(), make_member(), make_member()
    for person in (going, first, second):
        rsvps.rsvp(occurrence=occurrence, member=person)
    rsvps.cancel_rsvp(occurrence=occurrence, member=going)
    later = timezone.now() + dt.timedelta(hours=rsvps.OFFER_HOURS, minutes=1)

    with django_capture_on_commit_callbacks(execute=True):
        lapsed = rsvps.expire_offers(now=later)

    assert lapsed == 1
    assert Rsvp.objects.get(member=first).status == S.CANCELLED
    assert Rsvp.objects.get(member=second).status == S.OFFERED
    assert rsvps.expire_offers(now=later) == 0  # a second run changes nothing
    subjects = {m.to[0]: m.subject for m in mailoutbox}
    assert "has gone" in subjects[first.email]
    assert "A seat is free" in subjects[second.email]


def test_a_lapsed_offer_cannot_be_confirmed():
    occurrence = make_occurrence(capacity=1)
    going, waiting = make_member(), make_member()
    rsvps.rsvp(occurrence=occurrence, member=going)
    rsvps.rsvp(occurrence=occurrence, member=waiting)
    rsvps.cancel_rsvp(occurrence=occurrence, member=going)
    later = timezone.now() + dt.timedelta(hours=rsvps.OFFER_HOURS, minutes=1)

    with pytest.raises(RsvpError, match="lapsed"):
        rsvps.confirm_seat(occurrence=occurrence, member=waiting, now=later)


def test_confirm_without_an_offer_is_refused():
    occurrence = make_occurrence(capacity=1)
    member = make_member()
    rsvps.rsvp(occurrence=occurrence, member=member)

    with pytest.raises(RsvpError, match="no seat offered"):
        rsvps.confirm_seat(occurrence=occurrence, member=member)


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda o: o.__class__.objects.filter(pk=o.pk).update(cancelled=True), "cancelled"),
        (
            lambda o: Event.objects.filter(pk=o.event_id).update(status=Event.Status.DRAFT),
            "not open",
        ),
    ],
    ids=["cancelled date", "unpublished event"],
)
def test_rsvp_is_refused(setup, message):
    occurrence = make_occurrence()
    setup(occurrence)

    with pytest.raises(RsvpError, match=message):
        rsvps.rsvp(occurrence=occurrence, member=make_member())

    assert not Rsvp.objects.exists()


def test_rsvp_to_a_past_date_is_refused():
    occurrence = make_occurrence(starts_in=-dt.timedelta(hours=3))

    with pytest.raises(RsvpError, match="already started"):
        rsvps.rsvp(occurrence=occurrence, member=make_member())


def test_cancelling_without_an_rsvp_is_refused():
    with pytest.raises(RsvpError, match="no RSVP"):
        rsvps.cancel_rsvp(occurrence=make_occurrence(), member=make_member())


def test_rsvp_again_after_cancelling_reuses_the_row_afresh():
    occurrence = make_occurrence(capacity=1)
    member = make_member()
    first = rsvps.rsvp(occurrence=occurrence, member=member)
    rsvps.cancel_rsvp(occurrence=occurrence, member=member)
    Rsvp.objects.filter(pk=first.pk).update(reminded_day_at=timezone.now())

    again = rsvps.rsvp(occurrence=occurrence, member=member)

    assert again.pk == first.pk
    assert again.status == S.GOING
    assert again.reminded_day_at is None


def test_rsvp_again_goes_to_the_end_of_the_waiting_list():
    occurrence = make_occurrence(capacity=1)
    going, member, other = make_member(), make_member(), make_member()
    rsvps.rsvp(occurrence=occurrence, member=going)
    now = timezone.now()
    rsvps.rsvp(occurrence=occurrence, member=member, now=now)
    rsvps.rsvp(occurrence=occurrence, member=other, now=now + dt.timedelta(seconds=1))
    rsvps.cancel_rsvp(occurrence=occurrence, member=member)

    again = rsvps.rsvp(occurrence=occurrence, member=member, now=now + dt.timedelta(seconds=2))

    assert rsvps.waiting_position(again) == 2


def test_seats_added_by_the_organiser_go_to_those_waiting_first():
    occurrence = make_occurrence(capacity=1)
    going, waiting = make_member(), make_member()
    rsvps.rsvp(occurrence=occurrence, member=going)
    rsvps.rsvp(occurrence=occurrence, member=waiting)
    Event.objects.filter(pk=occurrence.event_id).update(capacity=3)

    newcomer = rsvps.rsvp(occurrence=occurrence, member=make_member())

    assert Rsvp.objects.get(member=waiting).status == S.OFFERED
    assert newcomer.status == S.OFFERED  # the second free seat, in turn


def test_my_events_groups_offers_seats_waiting_and_past():
    member = make_member()
    seat = make_occurrence(capacity=5)
    full = make_occurrence(capacity=1)
    rsvps.rsvp(occurrence=full, member=make_member())
    rsvps.rsvp(occurrence=seat, member=member)
    rsvps.rsvp(occurrence=full, member=member)

    mine = rsvps.my_events(member)

    assert [row.occurrence for row in mine.going] == [seat]
    assert [(row.occurrence, row.position) for row in mine.waiting] == [(full, 1)]
    assert mine.offers == []
    assert mine.past == []
