"""Issue 10 finding 12: input that used to break a page now gets a clear message, and
nothing is written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bpd.fund import services
from bpd.fund.models import Application, Booking, WaitTime
from tests.fund.conftest import make_application
from tests.fund.test_views import apply_form


def accepted(application, executor):
    services.stage_decision(
        application=application, outcome="award", items={"flight": 80_000}, actor=executor
    )
    services.release_decisions(round=application.round, actor=executor)
    application.refresh_from_db()
    services.reply_to_offer(application=application, actor=application.applicant, accept=True)
    application.refresh_from_db()
    return application


NEW_EVENT = {
    "event_choice": "", "new_event_name": "PyCon Far Away", "new_event_url": "https://x.example",
    "new_event_city": "Nairobi", "new_event_country": "KE",
}  # fmt: skip


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({**NEW_EVENT, "new_event_starts": "0001-01-01", "new_event_ends": "0001-01-02"}, "Give a date"),
        ({**NEW_EVENT, "new_event_starts": "9999-01-01", "new_event_ends": "9999-01-02"}, "Give a date"),
        ({"city_name": "x" * 50_000}, "at most 100 characters"),
        ({"purpose": "p" * 100_000}, "at most 4000 characters"),
        ({"cost_flight": "1e30"}, "digits"),
    ],
)  # fmt: skip
def test_12_hostile_application_input_gets_a_message(
    leader_client, fund_round, event, overrides, message
):
    client, user = leader_client

    response = client.post("/fund/test-round/apply/", apply_form(event, **overrides))

    assert response.status_code == 200
    assert message in response.text
    assert not Application.objects.filter(applicant=user).exists()


@pytest.mark.parametrize(
    ("url", "data", "message"),
    [
        ("visa/", {"appointment_date": "0001-01-01", "visa_decision": "pending"}, "Give a date"),
        ("report/", {"summary": "s", "brought_back": "b", "people_reached": str(10**30)}, "Please fill"),
        ("report/", {"summary": "s" * 100_000, "brought_back": "b", "people_reached": "1"}, "Please fill"),
    ],
)  # fmt: skip
def test_12_hostile_traveller_input_changes_nothing(
    client, fund_round, event, executor, url, data, message
):
    application = accepted(make_application(fund_round, event), executor)
    client.force_login(application.applicant)

    response = client.post(f"/fund/applications/{application.pk}/{url}", data, follow=True)

    assert response.status_code == 200
    assert message in response.text
    application.refresh_from_db()
    assert (application.status, application.appointment_date) == ("accepted", None)


def test_12_huge_amounts_are_refused_everywhere_money_is_typed(
    client, fund_round, event, executor, treasurer
):
    application = accepted(make_application(fund_round, event), executor)
    client.force_login(treasurer)
    responses = [
        client.post(
            f"/fund/applications/{application.pk}/bookings/add/",
            {"booking-category": "flight", "booking-vendor": "Air", "booking-cost": "1e30",
             "booking-currency": "USD", "booking-status": "booked"},
        ),
        client.post(
            f"/fund/applications/{application.pk}/out-of-pocket/",
            {"pocket-description": "x", "pocket-amount": "1e30", "pocket-currency": "USD"},
        ),
    ]  # fmt: skip
    client.force_login(executor)
    second = make_application(fund_round, event)
    responses.append(
        client.post(
            f"/fund/applications/{second.pk}/decide/",
            {"outcome": "award", "award_flight": "1e30", "confirm": "on"},
        )
    )
    responses.append(client.get("/fund/test-round/allocate/?max_per_country=abc"))
    responses.append(client.post("/fund/bookings/abc/status/"))

    assert [r.status_code for r in responses] == [400, 400, 200, 200, 404]
    assert not Booking.objects.exists()
    assert not hasattr(Application.objects.get(pk=second.pk), "decision")


def test_12_a_hostile_wait_time_file_is_refused_whole(client, db, treasurer):
    client.force_login(treasurer)
    base = {"kind": "csv", "destination": "US", "as_of": "2026-11-30", "source": "test"}
    long_field = "post,country,visa_category,wait_days\n" + "A" * 131_072 + ",NG,B1,10\n"
    many = "post,country,visa_category,wait_days\n" + "Lagos,NG,B1,10\n" * 6_000
    big = b"x" * (3 * 1024 * 1024)

    for content, message in (
        (long_field.encode(), "not readable CSV"),
        (many.encode(), "more than 5000 rows"),
        (big, "larger than 2 MB"),
    ):
        response = client.post(
            "/fund/visa/wait-times/",
            {**base, "file": SimpleUploadedFile("w.csv", content, content_type="text/csv")},
        )
        assert response.status_code == 200
        assert message in response.text

    assert not WaitTime.objects.exists()
