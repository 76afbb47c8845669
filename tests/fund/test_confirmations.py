"""Irreversible Fund actions wait for the "I understand" box (docs/design.md): without it
nothing is written and the page comes back saying why, in the reader's language."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from bpd.audit.models import Entry
from bpd.fund import services
from bpd.fund.models import Booking, Conflict, Decision
from tests.fund.conftest import make_application, review

TICK = "Tick the box to confirm, or go back."


def accepted(application, executor):
    services.stage_decision(
        application=application, outcome="award", items={"flight": 80_000}, actor=executor
    )
    services.release_decisions(round=application.round, actor=executor)
    application.refresh_from_db()
    services.reply_to_offer(application=application, actor=application.applicant, accept=True)
    application.refresh_from_db()
    return application


def says_tick_the_box(response, language="en"):
    """The page explains the refusal: the error beside the box and in the summary."""
    with translation.override(language):
        message = gettext(TICK)
    text = response.content.decode()
    return text.count(message) >= 2 and 'class="error-summary"' in text


@pytest.fixture
def booked(fund_round, event, executor, treasurer):
    """An accepted award with one booked flight, whose visa was then refused."""
    application = accepted(make_application(fund_round, event), executor)
    booking = services.add_booking(
        application=application, actor=treasurer, category="flight", vendor="Air",
        amount=50_000, currency="USD", status="booked",
    )  # fmt: skip
    services.record_visa_outcome(
        application=application, actor=application.applicant, decision="refused"
    )
    return application, booking


# Declaring a conflict ---------------------------------------------------------------


def test_conflict_page_shows_the_box(client, application, reviewers):
    client.force_login(reviewers[0])

    page = client.get(f"/fund/applications/{application.pk}/review/").text

    assert 'id="conflict_confirm"' in page
    assert "I understand that I will never review or decide this application again" in page


@pytest.mark.parametrize("language", ["en", "sw"])
def test_conflict_without_the_box_records_nothing(client, application, reviewers, language):
    client.force_login(reviewers[0])
    prefix = "" if language == "en" else f"/{language}"

    response = client.post(
        f"{prefix}/fund/applications/{application.pk}/conflict/", {"reason": "cousin"}
    )

    assert response.status_code == 200
    assert says_tick_the_box(response, language)
    assert not Conflict.objects.exists()
    assert not Entry.objects.filter(verb="fund.conflict_declared").exists()
    assert 'value="cousin"' in response.text  # the reason typed is kept


def test_executor_conflict_without_the_box_comes_back_to_the_decide_page(
    client, application, executor
):
    client.force_login(executor)

    response = client.post(f"/fund/applications/{application.pk}/conflict/", {"reason": "x"})

    assert response.status_code == 200
    assert says_tick_the_box(response)
    assert "Stage a decision" in response.text
    assert not Conflict.objects.exists()


# Staging one decision ---------------------------------------------------------------


def test_staging_a_decision_without_the_box_stages_nothing(client, application, executor):
    client.force_login(executor)
    url = f"/fund/applications/{application.pk}/decide/"

    response = client.post(url, {"outcome": "decline", "reason": "KEPT-REASON"})

    assert response.status_code == 200
    assert says_tick_the_box(response)
    assert "KEPT-REASON" in response.text
    assert not Decision.objects.exists()
    response = client.post(url, {"outcome": "decline", "reason": "r", "confirm": "on"})
    assert response.status_code == 302
    assert Decision.objects.filter(application=application, outcome="decline").exists()


# Staging the proposal and releasing -------------------------------------------------


def test_staging_the_proposal_without_the_box_stages_nothing(
    client, application, reviewers, executor
):
    review(application, reviewers)
    client.force_login(executor)
    assert 'id="stage_confirm"' in client.get("/fund/test-round/allocate/").text

    response = client.post("/fund/test-round/allocate/stage/?max_per_country=3")

    assert response.status_code == 200
    assert says_tick_the_box(response)
    assert 'value="3"' in response.text  # the options stay
    assert not Decision.objects.exists()


def test_releasing_without_the_box_sends_nothing(client, application, executor, mailoutbox):
    services.stage_decision(application=application, outcome="decline", actor=executor)
    client.force_login(executor)
    assert 'id="release_confirm"' in client.get("/fund/test-round/allocate/").text

    response = client.post("/fund/test-round/allocate/release/")

    assert response.status_code == 200
    assert says_tick_the_box(response)
    assert Decision.objects.get().released_at is None
    assert not mailoutbox
    application.refresh_from_db()
    assert application.status == "submitted"


def test_a_refused_release_pages_through_the_allocation_page_itself(
    client, fund_round, event, executor, monkeypatch
):
    """Shown at /allocate/release/ (POST only), the page's own links must not lead there."""
    from bpd.fund.views import deciding

    monkeypatch.setattr(deciding, "ROWS_PER_PAGE", 1)
    make_application(fund_round, event)
    make_application(fund_round, event)
    client.force_login(executor)

    response = client.post("/fund/test-round/allocate/release/")

    assert 'href="/fund/test-round/allocate/?page=2"' in response.text


# Cancelling bookings ----------------------------------------------------------------


def test_cancelling_all_bookings_without_the_box_cancels_nothing(client, booked, treasurer):
    application, booking = booked
    client.force_login(treasurer)
    assert (
        'id="cancel_confirm"' in client.get(f"/fund/applications/{application.pk}/bookings/").text
    )

    response = client.post(
        f"/fund/applications/{application.pk}/bookings/cancel-all/",
        {f"refund_{booking.pk}": "200"},
    )

    assert response.status_code == 400
    assert says_tick_the_box(response)
    booking.refresh_from_db()
    assert (booking.status, booking.refunded, booking.loss) == ("booked", 0, 0)


def test_cancelling_one_booking_needs_the_box(client, booked, treasurer):
    application, booking = booked
    client.force_login(treasurer)
    page = client.get(f"/fund/applications/{application.pk}/bookings/").text
    assert f'id="status_{booking.pk}_confirm"' in page
    url = f"/fund/bookings/{booking.pk}/status/"

    response = client.post(url, {"status": "cancelled"})

    assert response.status_code == 400
    assert says_tick_the_box(response)
    assert f'href="#status_{booking.pk}_confirm"' in response.text  # the summary leads to it
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED
    assert client.post(url, {"status": "cancelled", "confirm": "on"}).status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


def test_other_status_changes_need_no_box(client, booked, treasurer):
    _application, booking = booked
    client.force_login(treasurer)

    assert (
        client.post(f"/fund/bookings/{booking.pk}/status/", {"status": "used"}).status_code == 302
    )

    booking.refresh_from_db()
    assert booking.status == Booking.Status.USED
