"""Issue 12, item 12: a cancelled booking records the refund expected, then the refund
received; the loss is the price less the refund; an awaited refund is not money back."""

import csv
import io
import re

import pytest

from bpd.audit.models import Entry
from bpd.audit.verbs import Verb
from bpd.fund import selectors, services
from bpd.fund.forms import BookingForm
from bpd.fund.models import Booking, Round
from bpd.fund.services import FundError
from tests.fund.conftest import make_application, make_booking
from tests.fund.test_one_rule_each import accepted


@pytest.fixture
def trip(fund_round, event, executor):
    """An accepted award of USD 1,000 (flight 800, visa 200)."""
    return accepted(make_application(fund_round, event), executor)


def flight(trip, treasurer, **kwargs):
    """A booked (paid) refundable flight of USD 500."""
    return make_booking(trip, treasurer, "booked", amount=50_000, refundable=True, **kwargs)


def cancel(booking, treasurer, **kwargs):
    return services.set_booking_status(
        booking=booking, status="cancelled", actor=treasurer, **kwargs
    )


def refund(booking, treasurer, amount):
    return services.set_booking_status(
        booking=booking, status="refunded", actor=treasurer, refunded=amount
    )


def bookings_page(client, treasurer, application):
    client.force_login(treasurer)
    return client.get(f"/fund/applications/{application.pk}/bookings/").text


def row_of(html, vendor):
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    return next(row for row in re.findall(r"<tr>(.*?)</tr>", body, re.S) if vendor in row)


# The loss is the price less the refund ---------------------------------------------------


def test_refund_expected_makes_the_loss_provisional(trip, treasurer):
    booking = cancel(flight(trip, treasurer), treasurer, expected_refund=45_000)

    assert (booking.status, booking.expected_refund, booking.refunded, booking.loss) == (
        "cancelled", 45_000, 0, 5_000,
    )  # fmt: skip
    assert booking.awaiting_refund
    row = selectors.application_money(trip)
    assert (row.awaited, row.lost, row.lost_provisional, row.refunded) == (45_000, 5_000, 5_000, 0)


def test_refund_received_sets_the_final_loss(trip, treasurer):
    booking = cancel(flight(trip, treasurer), treasurer, expected_refund=45_000)

    booking = refund(booking, treasurer, 40_000)

    assert (booking.status, booking.expected_refund, booking.refunded, booking.loss) == (
        "refunded", 45_000, 40_000, 10_000,
    )  # fmt: skip
    assert not booking.awaiting_refund
    row = selectors.application_money(trip)
    assert (row.expected, row.refunded, row.awaited) == (45_000, 40_000, 0)
    assert (row.lost, row.lost_provisional, row.used) == (10_000, 0, 10_000)


def test_refund_expected_defaults_to_the_whole_price_when_refundable(trip, treasurer):
    booking = cancel(flight(trip, treasurer), treasurer)

    assert (booking.expected_refund, booking.loss) == (50_000, 0)


def test_refund_expected_defaults_to_nothing_when_not_refundable(trip, treasurer):
    booking = make_booking(trip, treasurer, "booked", amount=50_000, refundable=False)

    booking = cancel(booking, treasurer)

    assert (booking.expected_refund, booking.loss) == (0, 50_000)  # the whole price is lost
    assert not booking.awaiting_refund
    assert selectors.application_money(trip).lost_provisional == 0


def test_cancelled_before_it_was_paid_loses_nothing_and_has_no_refund(trip, treasurer):
    for status in ("planned", "quoted"):
        booking = make_booking(trip, treasurer, status, amount=50_000, refundable=True)

        booking = cancel(booking, treasurer)

        assert (booking.expected_refund, booking.refunded, booking.loss, booking.cost) == (
            0, 0, 0, 0,
        )  # fmt: skip
        assert booking.next_statuses() == []
        with pytest.raises(FundError, match="cannot go from “Cancelled” to “Refunded”"):
            refund(booking, treasurer, 0)


def test_cancelled_before_it_was_paid_refuses_a_refund_expected(trip, treasurer):
    booking = make_booking(trip, treasurer, "quoted", amount=50_000)

    with pytest.raises(FundError, match="Nothing was paid for this booking"):
        cancel(booking, treasurer, expected_refund=10_000)

    assert Booking.objects.get(pk=booking.pk).status == "quoted"


# Bounds: from nothing to the price, refused (not trimmed) otherwise ------------------------


@pytest.mark.parametrize("amount", [50_001, -1])
def test_refund_expected_outside_nothing_to_the_price_is_refused(trip, treasurer, amount):
    booking = flight(trip, treasurer)

    with pytest.raises(FundError) as refused:
        cancel(booking, treasurer, expected_refund=amount)

    assert str(refused.value) in {
        "A refund cannot be more than the booking cost ($500.00). Nothing was recorded.",
        "A refund cannot be negative. Nothing was recorded.",
    }
    booking.refresh_from_db()
    assert (booking.status, booking.expected_refund, booking.loss) == ("booked", 0, 0)


@pytest.mark.parametrize("amount", [50_001, -1])
def test_refund_received_outside_nothing_to_the_price_is_refused(trip, treasurer, amount):
    booking = cancel(flight(trip, treasurer), treasurer, expected_refund=45_000)

    with pytest.raises(FundError, match="A refund cannot be"):
        refund(booking, treasurer, amount)

    booking.refresh_from_db()
    assert (booking.status, booking.refunded, booking.loss) == ("cancelled", 0, 5_000)


def test_refunded_needs_the_refund_received(trip, treasurer):
    booking = cancel(flight(trip, treasurer), treasurer)

    with pytest.raises(FundError, match="Enter the refund received"):
        services.set_booking_status(booking=booking, status="refunded", actor=treasurer)


def test_a_refund_given_with_a_move_that_records_none_is_refused(trip, treasurer):
    booking = flight(trip, treasurer)

    with pytest.raises(FundError, match="A refund is recorded only"):
        services.set_booking_status(
            booking=booking, status="used", actor=treasurer, refunded=10_000
        )
    with pytest.raises(FundError, match="A refund is recorded only"):
        cancel(booking, treasurer, refunded=10_000)  # received is recorded when it arrives

    assert Booking.objects.get(pk=booking.pk).status == "booked"


def test_a_booking_cannot_be_recorded_already_cancelled_or_refunded(trip, treasurer):
    for status in ("cancelled", "refunded"):
        with pytest.raises(FundError, match="then cancel it"):
            services.add_booking(
                application=trip, actor=treasurer, category="flight", vendor="Air",
                amount=50_000, currency="USD", status=status,
            )  # fmt: skip
    assert not trip.bookings.exists()
    statuses = [value for value, __ in BookingForm(round=trip.round).fields["status"].choices]
    assert statuses == ["planned", "quoted", "booked", "used"]


# The budget: an awaited refund is money not yet back -----------------------------------------


@pytest.fixture
def tight(trip):
    """The round's whole budget is this award (USD 1,000): nothing left beyond it."""
    Round.objects.filter(pk=trip.round_id).update(budget=100_000)
    trip.round.refresh_from_db()
    return trip


def rebook(trip, treasurer, amount):
    return services.add_booking(
        application=trip, actor=treasurer, category="flight", vendor="Second air",
        amount=amount, currency="USD", status="booked",
    )  # fmt: skip


def test_an_awaited_refund_stays_spent_until_it_arrives(tight, treasurer):
    booking = make_booking(tight, treasurer, "booked", amount=100_000, refundable=True)
    headroom = selectors.round_money(tight.round).headroom

    booking = cancel(booking, treasurer)  # USD 1,000 expected back

    figures = selectors.round_money(tight.round)
    assert (figures.headroom, figures.spent, figures.awaited) == (headroom, 100_000, 100_000)
    assert selectors.application_money(tight).headroom == 0
    with pytest.raises(FundError, match="over its budget"):
        rebook(tight, treasurer, 60_000)  # counting on the refund: refused


def test_a_refund_frees_only_what_actually_came_back(tight, treasurer):
    booking = cancel(make_booking(tight, treasurer, "booked", amount=100_000), treasurer,
                     expected_refund=100_000)  # fmt: skip

    refund(booking, treasurer, 30_000)  # less came back than expected

    assert selectors.application_money(tight).headroom == 30_000
    with pytest.raises(FundError, match="over its budget"):
        rebook(tight, treasurer, 60_000)
    rebook(tight, treasurer, 30_000)
    assert selectors.committed(tight.round) <= tight.round.budget


# The audit log ----------------------------------------------------------------------------


def test_audit_entries_carry_the_refunds_and_the_loss(trip, treasurer):
    booking = cancel(flight(trip, treasurer), treasurer, expected_refund=45_000)
    refund(booking, treasurer, 40_000)

    cancelled, refunded = list(Entry.objects.filter(verb=Verb.BOOKING_STATUS).order_by("pk"))[-2:]
    assert cancelled.before == {"status": "booked", "expected_refund": 0, "refunded": 0, "loss": 0}
    assert cancelled.after == {
        "status": "cancelled", "expected_refund": 45_000, "refunded": 0, "loss": 5_000,
    }  # fmt: skip
    assert refunded.after == {
        "status": "refunded", "expected_refund": 45_000, "refunded": 40_000, "loss": 10_000,
    }  # fmt: skip
    assert refunded.detail["currency"] == "USD"


# After a refused visa: cancel all, with the refund expected per paid booking ---------------


@pytest.fixture
def refused(trip, treasurer):
    paid = flight(trip, treasurer, vendor="Paid air")
    quoted = make_booking(trip, treasurer, "quoted", amount=30_000, vendor="Quoted inn")
    services.record_visa_outcome(application=trip, actor=trip.applicant, decision="refused")
    return trip, paid, quoted


def test_cancel_after_refusal_records_the_refund_expected(refused, treasurer):
    trip, paid, quoted = refused

    services.cancel_after_refusal(
        application=trip, actor=treasurer, expected_refunds={paid.pk: 45_000}
    )

    paid.refresh_from_db()
    quoted.refresh_from_db()
    assert (paid.status, paid.expected_refund, paid.refunded, paid.loss) == (
        "cancelled", 45_000, 0, 5_000,
    )  # fmt: skip
    assert (quoted.status, quoted.expected_refund, quoted.loss, quoted.cost) == (
        "cancelled", 0, 0, 0,
    )  # fmt: skip


def test_cancel_after_refusal_is_all_or_nothing(refused, treasurer):
    trip, paid, __ = refused

    with pytest.raises(FundError, match="more than the booking cost"):
        services.cancel_after_refusal(
            application=trip, actor=treasurer, expected_refunds={paid.pk: 99_999_999}
        )

    assert set(trip.bookings.values_list("status", flat=True)) == {"booked", "quoted"}


def test_cancel_all_form_asks_the_refund_expected_of_paid_bookings_only(client, refused, treasurer):
    trip, paid, quoted = refused

    html = bookings_page(client, treasurer, trip)

    field = re.search(rf'<input[^>]*name="refund_{paid.pk}"[^>]*>', html).group(0)
    assert 'value="500.00"' in field  # refundable: the whole price unless changed
    assert "Paid air: refund expected" in html
    assert "Paid $500.00; refundable." in html
    assert f'name="refund_{quoted.pk}"' not in html
    assert "Not paid yet, cancelled at no loss:" in html


def test_cancel_all_refuses_a_refund_expected_above_the_price(client, refused, treasurer):
    trip, paid, __ = refused
    client.force_login(treasurer)

    response = client.post(
        f"/fund/applications/{trip.pk}/bookings/cancel-all/",
        {f"refund_{paid.pk}": "500.01", "confirm": "on"},
    )

    assert response.status_code == 400
    assert "A refund cannot be more than the booking cost ($500.00)." in response.text
    assert set(trip.bookings.values_list("status", flat=True)) == {"booked", "quoted"}


def test_cancel_all_through_the_page(client, refused, treasurer):
    trip, paid, quoted = refused
    client.force_login(treasurer)

    response = client.post(
        f"/fund/applications/{trip.pk}/bookings/cancel-all/",
        {f"refund_{paid.pk}": "450", "confirm": "on"},
    )

    assert response.status_code == 302
    paid.refresh_from_db()
    assert (paid.status, paid.expected_refund, paid.loss) == ("cancelled", 45_000, 5_000)
    assert Booking.objects.get(pk=quoted.pk).loss == 0


# The bookings page ------------------------------------------------------------------------


def test_row_says_the_refund_expected_while_awaited(client, trip, treasurer):
    cancel(flight(trip, treasurer), treasurer, expected_refund=45_000)

    row = row_of(bookings_page(client, treasurer, trip), "Air")

    assert "Refund expected: $450.00" in row
    assert "Loss until it arrives: $50.00" in row
    assert '<option value="" selected>Cancelled (now)</option>' in row
    assert re.search(r'name="refunded"[^>]*value="450.00"', row)  # prefilled, to confirm


def test_row_shows_expected_and_received_when_they_differ(client, trip, treasurer):
    booking = cancel(flight(trip, treasurer), treasurer, expected_refund=45_000)
    refund(booking, treasurer, 40_000)

    row = row_of(bookings_page(client, treasurer, trip), "Air")

    assert "Refund received: $400.00" in row
    assert "Refund expected: $450.00" in row
    assert "Loss: $100.00" in row
    assert "<select" not in row


def test_row_shows_only_the_refund_received_when_as_expected(client, trip, treasurer):
    booking = cancel(flight(trip, treasurer), treasurer, expected_refund=45_000)
    refund(booking, treasurer, 45_000)

    row = row_of(bookings_page(client, treasurer, trip), "Air")

    assert "Refund received: $450.00" in row
    assert "Refund expected" not in row


def test_cancel_form_asks_the_refund_expected_only_of_a_paid_booking(client, trip, treasurer):
    paid = flight(trip, treasurer, vendor="Paid air")
    make_booking(trip, treasurer, "quoted", amount=30_000, vendor="Quoted inn")

    html = bookings_page(client, treasurer, trip)

    paid_row, quoted_row = row_of(html, "Paid air"), row_of(html, "Quoted inn")
    assert re.search(
        rf'id="cancel-refund-{paid.pk}" name="expected_refund"[^>]*value="500.00"', paid_row
    )
    assert 'name="expected_refund"' not in quoted_row
    assert "Nothing was paid for it yet: no loss, no refund." in quoted_row


def test_cancelling_from_the_row_records_the_refund_expected(client, trip, treasurer):
    booking = flight(trip, treasurer)
    client.force_login(treasurer)

    response = client.post(
        f"/fund/bookings/{booking.pk}/status/",
        {"status": "cancelled", "expected_refund": "450", "confirm": "on"},
    )

    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.status, booking.expected_refund, booking.loss) == ("cancelled", 45_000, 5_000)


def test_a_refused_cancel_comes_back_with_the_refund_as_typed(client, trip, treasurer):
    booking = flight(trip, treasurer)
    client.force_login(treasurer)

    response = client.post(
        f"/fund/bookings/{booking.pk}/status/", {"status": "cancelled", "expected_refund": "450"}
    )

    assert response.status_code == 400  # the box was not ticked
    assert re.search(rf'id="cancel-refund-{booking.pk}"[^>]*value="450"', response.text)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "cancelled", "expected_refund": "500.01", "confirm": "on"},
         "A refund cannot be more than the booking cost ($500.00)."),
        ({"status": "cancelled", "expected_refund": "-1", "confirm": "on"},
         "A refund cannot be negative."),
    ],
)  # fmt: skip
def test_the_row_refuses_a_refund_out_of_bounds_and_says_why(
    client, trip, treasurer, data, message
):
    booking = flight(trip, treasurer)
    client.force_login(treasurer)

    response = client.post(f"/fund/bookings/{booking.pk}/status/", data, follow=True)

    assert message in response.text
    booking.refresh_from_db()
    assert (booking.status, booking.loss) == ("booked", 0)


def test_the_refund_received_through_the_row(client, trip, treasurer):
    booking = cancel(flight(trip, treasurer), treasurer, expected_refund=45_000)
    client.force_login(treasurer)

    too_much = {"status": "refunded", "refunded": "500.01"}
    response = client.post(f"/fund/bookings/{booking.pk}/status/", too_much, follow=True)
    assert "A refund cannot be more than the booking cost ($500.00)." in response.text
    assert Booking.objects.get(pk=booking.pk).status == "cancelled"

    client.post(f"/fund/bookings/{booking.pk}/status/", {"status": "refunded", "refunded": "400"})

    booking.refresh_from_db()
    assert (booking.status, booking.refunded, booking.loss) == ("refunded", 40_000, 10_000)


def test_update_without_choosing_a_status_changes_nothing(client, trip, treasurer):
    booking = flight(trip, treasurer)
    client.force_login(treasurer)

    response = client.post(f"/fund/bookings/{booking.pk}/status/", {"status": ""}, follow=True)

    assert "Choose the status to move the booking to." in response.text
    assert Booking.objects.get(pk=booking.pk).status == "booked"


# The money page, the report and its CSV --------------------------------------------------


@pytest.fixture
def cancellations(trip, treasurer):
    """One refund awaited (USD 450 of 500), one received (400 of 450 expected, of 500)."""
    cancel(flight(trip, treasurer, vendor="Awaited"), treasurer, expected_refund=45_000)
    received = cancel(flight(trip, treasurer, vendor="Back"), treasurer, expected_refund=45_000)
    refund(received, treasurer, 40_000)
    return trip


def test_money_page_shows_refunds_and_losses(client, cancellations, treasurer):
    client.force_login(treasurer)

    html = client.get("/fund/test-round/money/").text

    assert re.search(r"Refunds received</dt><dd>\$400.00", html)
    assert re.search(r"Refunds awaited</dt>\s*<dd>\s*\$450.00", html)
    assert "counted as spent until they arrive" in html
    assert re.search(r"Lost</dt>\s*<dd>\s*\$150.00", html)
    assert "of which $50.00 provisional, until refunds arrive" in html


def test_report_shows_refunds_expected_received_and_awaited(client, cancellations, treasurer):
    client.force_login(treasurer)

    data = client.get("/fund/test-round/report/").context["data"]

    assert (data["refunds_expected"], data["refunded"], data["refunds_awaited"]) == (
        90_000, 40_000, 45_000,
    )  # fmt: skip
    assert (data["losses"], data["losses_provisional"]) == (15_000, 5_000)


def test_report_csv_gives_refunds_and_losses_with_the_currency(client, cancellations, treasurer):
    client.force_login(treasurer)

    response = client.get("/fund/test-round/report/?format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))

    def row(section, item):
        return next(r for r in rows if r[-2:] == [section, item])

    assert row("refunds", "expected")[:5] == [
        "Refunds (cancellations)",
        "Expected",
        "",
        "900.00",
        "USD",
    ]
    assert row("refunds", "received")[3:5] == ["400.00", "USD"]
    assert row("refunds", "awaited")[3:5] == ["450.00", "USD"]
    assert row("losses", "all")[3:5] == ["150.00", "USD"]
    assert row("losses", "provisional")[1:5] == [
        "Provisional, until awaited refunds arrive", "", "50.00", "USD",
    ]  # fmt: skip
    # An awaited refund is still spent: 500 awaited + 100 lost after a refund.
    assert row("total", "all")[3] == "600.00"
