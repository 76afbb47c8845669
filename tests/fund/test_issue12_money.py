"""Issue 12, findings 11 and 13: the bookings page's status controls and the report's CSV."""

import csv
import io
import re

import pytest

from bpd.fund import services
from bpd.fund.models import Booking
from tests.fund.conftest import make_application, make_booking
from tests.fund.test_one_rule_each import accepted

# 11. Each booking row offers only the moves allowed from its status -------------------


def rows_by_booking(html):
    """Each booking row's HTML, by booking id (read from its status form's address)."""
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        vendor = re.search(r"<td>\s*V(\w+)", row).group(1)
        rows[vendor] = row
    return rows


def options(row):
    select = re.search(r'<select[^>]*name="status".*?</select>', row, re.S)
    return re.findall(r'<option value="(\w+)"', select.group(0)) if select else []


@pytest.fixture
def every_status(fund_round, event, executor, treasurer):
    """An accepted award with one booking in each status (vendor "V<status>"), each moved
    there the way the treasurer does it (cancelled after it was paid), and one cancelled
    before it was paid ("Vunpaid")."""
    application = accepted(make_application(fund_round, event), executor)
    for status in Booking.Status.values:
        make_booking(application, treasurer, status, vendor=f"V{status}", expected_refund=4_000)
    make_booking(application, treasurer, "cancelled", paid=False, vendor="Vunpaid")
    return application


# The moves each row offers besides cancelling (which has its own form and box).
OFFERED = {
    "planned": ["quoted", "booked"], "quoted": ["booked"], "booked": ["used"], "used": [],
    "cancelled": ["refunded"], "refunded": [],
}  # fmt: skip


@pytest.mark.parametrize("status", Booking.Status)
def test_11_each_row_shows_its_status_and_offers_only_the_moves_from_it(
    client, every_status, treasurer, status
):
    client.force_login(treasurer)

    rows = rows_by_booking(client.get(f"/fund/applications/{every_status.pk}/bookings/").text)

    row = rows[status.value]
    assert re.search(rf'<strong class="tag[^"]*">{status.label}</strong>', row)
    assert options(row) == OFFERED[status]  # never the current status, never a step back
    assert options(row) == [s for s in Booking.Status.FLOW[status] if s != "cancelled"]
    assert ('name="status" value="cancelled"' in row) == (
        "cancelled" in Booking.Status.FLOW[status]
    )
    if options(row):  # the control itself shows where the booking is, chosen
        assert f'<option value="" selected>{status.label} (now)</option>' in row


def test_11_a_booking_cancelled_before_it_was_paid_offers_no_refund(
    client, every_status, treasurer
):
    client.force_login(treasurer)

    rows = rows_by_booking(client.get(f"/fund/applications/{every_status.pk}/bookings/").text)

    assert options(rows["unpaid"]) == []
    assert "<form" not in rows["unpaid"]
    assert "Not paid: no loss" in rows["unpaid"]
    assert options(rows["cancelled"]) == ["refunded"]  # paid: its refund is still to come


def test_11_every_offered_move_is_one_the_service_makes(every_status, treasurer):
    for booking in every_status.bookings.all():
        for status, __ in booking.next_statuses():
            moved = services.set_booking_status(
                booking=Booking.objects.get(pk=booking.pk), status=status, actor=treasurer,
                **({"refunded": 0} if status == "refunded" else {}),
            )  # fmt: skip
            assert moved.status == status
            Booking.objects.filter(pk=booking.pk).update(
                status=booking.status, expected_refund=booking.expected_refund,
                refunded=booking.refunded, loss=booking.loss,
            )  # fmt: skip


def test_11_rows_with_no_move_left_have_no_control(client, every_status, treasurer):
    client.force_login(treasurer)

    rows = rows_by_booking(client.get(f"/fund/applications/{every_status.pk}/bookings/").text)

    for status in ("used", "refunded"):
        assert "<form" not in rows[status]
        assert "—" in rows[status]


def test_11_refund_box_only_where_the_move_records_a_refund(client, every_status, treasurer):
    client.force_login(treasurer)

    rows = rows_by_booking(client.get(f"/fund/applications/{every_status.pk}/bookings/").text)

    # Planned -> quoted, booked -> used: a refund typed there would be silently dropped.
    for status in ("planned", "quoted", "booked"):
        assert 'id="refund-' not in rows[status], status
    assert 'id="refund-' in rows["cancelled"]  # cancelled -> refunded records it


def test_11_a_cancelled_booking_cannot_go_back_to_planned(client, every_status, treasurer):
    booking = every_status.bookings.get(vendor="Vcancelled")
    client.force_login(treasurer)

    response = client.post(
        f"/fund/bookings/{booking.pk}/status/", {"status": "planned"}, follow=True
    )

    booking.refresh_from_db()
    assert booking.status == "cancelled"
    assert "A booking cannot go from “Cancelled” to “Planned”." in response.text


def test_11_the_service_refuses_every_move_outside_the_flow(every_status, treasurer):
    for booking in every_status.bookings.all():
        for target in set(Booking.Status.values) - set(Booking.Status.FLOW[booking.status]):
            with pytest.raises(services.FundError, match="cannot go from"):
                services.set_booking_status(booking=booking, status=target, actor=treasurer)
        assert Booking.objects.get(pk=booking.pk).status == booking.status


# 13. The report's CSV: major units, a currency, labels in the reader's language -------


@pytest.fixture
def report_round(fund_round, event, executor, treasurer):
    application = accepted(make_application(fund_round, event), executor)  # 800 + 200 USD
    services.add_booking(
        application=application, actor=treasurer, category="flight", vendor="Air",
        amount=95_050, currency="USD", status="booked",
    )  # fmt: skip
    make_application(fund_round, event)  # submitted, not decided
    return fund_round


def report_rows(client, treasurer, prefix=""):
    client.force_login(treasurer)
    response = client.get(f"{prefix}/fund/test-round/report/?format=csv")
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_13_csv_gives_amounts_in_major_units_with_the_currency(client, report_round, treasurer):
    rows = report_rows(client, treasurer)

    header = rows[0]
    assert header[:6] == ["Section", "Item", "Committed", "Spent", "Currency", "Count"]
    assert not any("minor" in cell for cell in header)
    assert ["Total", "Budget", "3000.00", "", "USD", "", "total", "budget"] in rows
    assert [
        "Total", "All funded applications", "1000.00", "950.50", "USD", "", "total", "all"
    ] in rows  # fmt: skip
    flight = next(r for r in rows if r[-2:] == ["awarded_by_category", "flight"])
    assert flight[1:5] == ["Flight", "800.00", "950.50", "USD"]
    nigeria = next(r for r in rows if r[-2] == "by_country")
    assert (nigeria[1], nigeria[-1], nigeria[4]) == ("Nigeria", "NG", "USD")


def test_13_csv_gives_outcomes_as_labels_with_codes_after(client, report_round, treasurer):
    rows = report_rows(client, treasurer)

    outcomes = {r[-1]: r for r in rows if r[-2] == "outcome"}
    assert outcomes["accepted"][:2] == ["Applications by status", "Award accepted"]
    assert outcomes["accepted"][5] == "1"
    assert outcomes["submitted"][5] == "1"
    visas = {r[-1]: r for r in rows if r[-2] == "visa"}
    assert visas["pending"][1:2] == ["Pending"]


def test_13_csv_labels_follow_the_readers_language(client, report_round, treasurer):
    rows = report_rows(client, treasurer, prefix="/fr")

    outcomes = {r[-1]: r for r in rows if r[-2] == "outcome"}
    assert outcomes["accepted"][:2] == ["Demandes par statut", "Aide acceptée"]
    flight = next(r for r in rows if r[-2:] == ["awarded_by_category", "flight"])
    assert flight[1:3] == ["Vol", "800.00"]  # the amount stays a plain decimal
    assert next(r for r in rows if r[-2] == "by_country")[1] == "Nigeria"


def test_13_csv_uses_the_currencys_own_precision(client, fund_round, treasurer):
    fund_round.currency, fund_round.budget = "JPY", 3_000_000
    fund_round.save()

    rows = report_rows(client, treasurer)

    assert ["Total", "Budget", "3000000", "", "JPY", "", "total", "budget"] in rows
