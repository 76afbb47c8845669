"""Seats: the partner marks them provisioned or used; unused ones are reminded about once,
then reclaimed once and go back to the pool, however often the job runs."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from bpd.audit.models import Entry
from bpd.audit.verbs import Verb
from bpd.background import jobs
from bpd.partners import claims, portal
from bpd.partners.models import Claim, Offer, Redemption
from tests.factories import ProfileFactory
from tests.partners.factories import ClaimFactory, OfferFactory, PartnerPersonFactory

pytestmark = pytest.mark.django_db
C = Claim.Status
NOW = timezone.now()


def seats_offer(**extra):
    extra = {"quantity": 2, "reclaim_days": 30, **extra}
    return OfferFactory(kind=Offer.Kind.SEATS, **extra)


def seat(offer, **extra):
    user = ProfileFactory().user
    extra.setdefault("shared_email", user.email)
    return ClaimFactory(offer=offer, user=user, **extra)


# --- Provisioning -----------------------------------------------------------------------


def test_partner_marks_seats_provisioned_on_the_seats_page(client):
    offer = seats_offer(quantity=5)
    first, second = seat(offer), seat(offer)
    client.force_login(PartnerPersonFactory(partner=offer.partner).user)

    response = client.post(
        f"/partners/portal/offers/{offer.pk}/seats/",
        {"seats": [first.pk], "action": "provisioned"},
    )

    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.provisioned_at is not None
    assert second.provisioned_at is None
    entry = Entry.objects.get(verb=Verb.SEATS_PROVISIONED)
    assert entry.detail["seats"] == 1


def test_marking_a_seat_used_provisions_it_and_records_a_redemption(client):
    offer = seats_offer()
    held = seat(offer)
    client.force_login(PartnerPersonFactory(partner=offer.partner).user)

    client.post(
        f"/partners/portal/offers/{offer.pk}/seats/", {"seats": [held.pk], "action": "used"}
    )

    held.refresh_from_db()
    assert held.used_at is not None
    assert held.provisioned_at is not None
    assert Redemption.objects.get(offer=offer).reference == f"S-{held.pk}"


def test_seats_of_another_offer_or_ended_ones_are_never_marked():
    offer = seats_offer()
    ended = seat(offer, status=C.REVOKED)
    elsewhere = seat(seats_offer())

    changed = portal.mark_seats(offer=offer, claim_pks=[ended.pk, elsewhere.pk], by=None)

    assert changed == 0
    assert not Claim.objects.filter(provisioned_at__isnull=False).exists()
    assert not Entry.objects.filter(verb=Verb.SEATS_PROVISIONED).exists()


def test_seats_form_refuses_a_seat_not_on_the_page(client):
    offer = seats_offer()
    seat(offer)
    elsewhere = seat(seats_offer())
    client.force_login(PartnerPersonFactory(partner=offer.partner).user)

    response = client.post(
        f"/partners/portal/offers/{offer.pk}/seats/", {"seats": [elsewhere.pk], "action": "used"}
    )

    assert response.status_code == 200
    elsewhere.refresh_from_db()
    assert elsewhere.used_at is None


def test_seats_csv_lists_references_and_shared_emails(client):
    offer = seats_offer()
    held = seat(offer, shared_email="=cmd@example.com")
    client.force_login(PartnerPersonFactory(partner=offer.partner).user)

    response = client.get(f"/partners/portal/offers/{offer.pk}/seats.csv")
    text = b"".join(response.streaming_content).decode()

    assert f"S-{held.pk},'=cmd@example.com," in text


# --- Reminding and reclaiming ---------------------------------------------------------------


def provisioned(days_ago, **extra):
    offer = extra.pop("offer", None) or seats_offer()
    return seat(offer, provisioned_at=NOW - dt.timedelta(days=days_ago), **extra)


def run(days=0, hours=0):
    return portal.reclaim_unused_seats(now=NOW + dt.timedelta(days=days, hours=hours))


def test_reminder_goes_seven_days_before_and_only_once(
    mailoutbox, django_capture_on_commit_callbacks
):
    early, due = provisioned(22), provisioned(23)

    with django_capture_on_commit_callbacks(execute=True):
        assert run() == (1, 0)
        assert run() == (0, 0)
        assert run(hours=6) == (0, 0)

    due.refresh_from_db()
    early.refresh_from_db()
    assert due.reminded_at is not None
    assert early.reminded_at is None
    assert [message.to for message in mailoutbox] == [[due.user.email]]
    assert due.offer.title in mailoutbox[0].body


def test_seat_is_reclaimed_at_the_end_of_the_period_once_and_audited(
    mailoutbox, django_capture_on_commit_callbacks
):
    claim = provisioned(29, reminded_at=NOW - dt.timedelta(days=6))

    assert run() == (0, 0)  # one more day to use it
    with django_capture_on_commit_callbacks(execute=True):
        assert run(days=1) == (0, 1)
        assert run(days=1) == (0, 0)
        assert run(days=2) == (0, 0)

    claim.refresh_from_db()
    assert claim.status == C.RECLAIMED
    assert claim.ended_at is not None
    assert claim.end_reason
    assert Entry.objects.filter(verb=Verb.SEAT_RECLAIMED).count() == 1
    assert [message.to for message in mailoutbox] == [[claim.user.email]]


def test_seat_never_reminded_is_reminded_first_and_reclaimed_a_run_later():
    claim = provisioned(40)

    assert run() == (1, 0)
    assert run(hours=1) == (0, 0)
    assert run(days=1) == (0, 1)
    claim.refresh_from_db()
    assert claim.status == C.RECLAIMED


def test_used_or_unprovisioned_or_ended_seats_are_left_alone():
    provisioned(40, used_at=NOW)
    provisioned(40, status=C.REVOKED)
    seat(seats_offer())
    provisioned(400, offer=seats_offer(reclaim_days=None))

    assert run(days=60) == (0, 0)


def test_reclaimed_seat_goes_back_to_the_pool_for_another_member():
    offer = seats_offer(quantity=1)
    claim = provisioned(31, offer=offer, reminded_at=NOW - dt.timedelta(days=8))
    newcomer = ProfileFactory().user
    with pytest.raises(claims.ClaimError):
        claims.claim(offer=offer, user=newcomer, consent=True)

    run()

    claim.refresh_from_db()
    assert claim.status == C.RECLAIMED
    assert claims.claim(offer=offer, user=newcomer, consent=True).status == C.ACTIVE


def test_the_job_runs_once_a_day_however_often_it_is_started(
    mailoutbox, django_capture_on_commit_callbacks
):
    provisioned(23)

    with django_capture_on_commit_callbacks(execute=True):
        first = jobs.run_once("partners.reclaim_seats")
        second = jobs.run_once("partners.reclaim_seats")

    assert first.detail.startswith("1 seat reminders")
    assert second is None
    assert len(mailoutbox) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two runs at once need PostgreSQL; run with DATABASE_URL",
)
def test_two_runs_at_once_never_remind_or_reclaim_twice():
    remind = [provisioned(24) for _i in range(5)]
    reclaim = [provisioned(31, reminded_at=NOW - dt.timedelta(days=8)) for _i in range(5)]
    barrier, results = threading.Barrier(2), []

    def go():
        try:
            barrier.wait()
            results.append(run())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=go) for _i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sum(r[0] for r in results) == len(remind)
    assert sum(r[1] for r in results) == len(reclaim)
    assert Entry.objects.filter(verb=Verb.SEAT_RECLAIMED).count() == len(reclaim)
