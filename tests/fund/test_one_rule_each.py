"""Issue 9: each Fund rule is enforced in one place. One test per finding (numbers in names)."""

import datetime as dt

import pytest
from django.utils import timezone

from bpd.audit import selectors as audit
from bpd.audit.models import Entry
from bpd.conferences.models import Conference
from bpd.fund import selectors, services
from bpd.fund.models import Application, Booking, ExchangeRate, OutOfPocket, Round
from bpd.fund.services import FundError
from bpd.members.roles import Role
from tests.factories import ProfileFactory, UserFactory
from tests.fund.conftest import make_application, make_overdue_offer
from tests.fund.test_views import apply_form

S = Application.Status


def offered(application, executor, items=None):
    services.stage_decision(
        application=application,
        outcome="award",
        items=items or {"flight": 80_000, "visa": 20_000},
        actor=executor,
    )
    services.release_decisions(round=application.round, actor=executor)
    application.refresh_from_db()
    return application


def accepted(application, executor, items=None):
    offered(application, executor, items)
    services.reply_to_offer(application=application, actor=application.applicant, accept=True)
    application.refresh_from_db()
    return application


def round_form(round, **overrides):
    """The round edit form as the page posts it, with `overrides`."""
    data = {
        "name": round.name, "slug": round.slug, "currency": round.currency,
        "budget_amount": str(round.budget / 100), "cap_per_person_amount": "2000",
        "opens_at": round.opens_at.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": round.closes_at.strftime("%Y-%m-%dT%H:%M"),
        "decision_date": round.decision_date.isoformat(), "covered": round.covered,
        "offer_reply_days": "10", "min_reviews": "2", "criteria-TOTAL_FORMS": "0", "criteria-INITIAL_FORMS": "0",
        "texts-TOTAL_FORMS": "0", "texts-INITIAL_FORMS": "0",
    }  # fmt: skip
    data.update(overrides)
    return data


# 1. One gate -------------------------------------------------------------------


def test_1_gate_is_the_same_for_lists_and_details(fund_round, event, reviewers):
    application = make_application(fund_round, event)
    reviewer = reviewers[0]

    assert list(Application.objects.reviewable_by(reviewer)) == [application]
    assert application in Application.objects.visible_to(reviewer)
    reviewer.groups.clear()
    reviewer._bpd_roles = None

    assert not Application.objects.reviewable_by(reviewer).exists()
    assert application not in Application.objects.visible_to(reviewer)
    assert not Round.objects.committee_for(reviewer).exists()


def test_1_removed_reviewer_still_listed_on_the_round_is_refused(
    client, fund_round, event, reviewers
):
    application = make_application(fund_round, event)
    reviewer = reviewers[0]
    reviewer.groups.clear()  # role removed; still in fund_round.reviewers
    client.force_login(reviewer)

    for url in (
        f"/fund/applications/{application.pk}/review/",
        "/fund/test-round/review/",
        "/fund/test-round/committee/",
    ):
        assert client.get(url).status_code in {403, 404}, url
    response = client.post(
        f"/fund/applications/{application.pk}/conflict/", {"reason": "x", "confirm": "on"}
    )
    assert response.status_code == 404
    assert not application.conflicts.exists()


# 2. One writer -----------------------------------------------------------------


def test_2_drafts_with_an_unlisted_event_keep_one_event_row(client, fund_round, event):
    user = UserFactory(roles=[Role.LEADER])
    ProfileFactory(user=user)
    client.force_login(user)
    new_event = {
        "event_choice": "", "new_event_name": "PyCon Kenya", "new_event_url": "https://pycon.ke",
        "new_event_city": "Nairobi", "new_event_country": "KE", "new_event_starts": "2027-06-01",
        "new_event_ends": "2027-06-03",
    }  # fmt: skip
    before = Conference.objects.count()

    for name in ("PyCon Kenya", "PyCon Kenya 2027", "PyCon Kenya 2027"):
        response = client.post(
            "/fund/test-round/apply/", apply_form(event, **{**new_event, "new_event_name": name})
        )
        assert response.status_code == 302

    assert Conference.objects.count() == before + 1
    application = Application.objects.get(applicant=user)
    assert application.event.name == "PyCon Kenya 2027"
    # Choosing a listed event afterwards removes the applicant's own event row.
    client.post("/fund/test-round/apply/", apply_form(event))
    assert Conference.objects.count() == before


def test_2_rates_and_out_of_pocket_are_written_by_services_and_logged(
    client, fund_round, event, executor, treasurer
):
    application = accepted(make_application(fund_round, event), executor)
    client.force_login(treasurer)

    client.post(
        "/fund/test-round/money/", {"currency": "KES", "rate": "0.0077", "as_of": "2026-11-30"}
    )
    client.post(
        f"/fund/applications/{application.pk}/out-of-pocket/",
        {"pocket-description": "Taxi", "pocket-amount": "12", "pocket-currency": "USD"},
    )
    item = OutOfPocket.objects.get()
    client.post(f"/fund/out-of-pocket/{item.pk}/settle/")

    assert ExchangeRate.objects.filter(round=fund_round, currency="KES").exists()
    item.refresh_from_db()
    assert item.settled_at is not None
    verbs = set(audit.history(fund_round).values_list("verb", flat=True))
    assert {
        "fund.rate_set",
        "fund.out_of_pocket_recorded",
        "fund.out_of_pocket_settled",
    } <= verbs


def test_2_a_refused_write_leaves_no_audit_entry(fund_round, event, executor, treasurer):
    application = make_application(fund_round, event)  # submitted, not accepted
    entries = Entry.objects.count()

    with pytest.raises(FundError):
        services.record_out_of_pocket(
            application=application, actor=treasurer, description="x", amount=1, currency="USD"
        )

    assert Entry.objects.count() == entries
    assert not OutOfPocket.objects.exists()


# 3. Round edits cannot bend the budget -----------------------------------------


def test_3_round_currency_and_budget_frozen_once_money_is_committed(
    client, fund_round, event, executor
):
    accepted(make_application(fund_round, event), executor, items={"flight": 100_000})
    client.force_login(executor)

    response = client.post(
        "/fund/test-round/edit/", round_form(fund_round, currency="JPY", budget_amount="500")
    )

    assert response.status_code == 200
    assert "Money is already committed" in response.text
    fund_round.refresh_from_db()
    assert (fund_round.currency, fund_round.budget) == ("USD", 300_000)


def test_3_budget_may_grow_after_money_is_committed(client, fund_round, event, executor):
    accepted(make_application(fund_round, event), executor, items={"flight": 100_000})
    client.force_login(executor)

    response = client.post("/fund/test-round/edit/", round_form(fund_round, budget_amount="5000"))

    assert response.status_code == 302
    fund_round.refresh_from_db()
    assert fund_round.budget == 500_000
    assert audit.history(fund_round).filter(verb="fund.round_changed").exists()


def test_3_currency_may_change_before_any_money_is_committed(client, fund_round, executor):
    client.force_login(executor)

    response = client.post("/fund/test-round/edit/", round_form(fund_round, currency="EUR"))

    assert response.status_code == 302
    fund_round.refresh_from_db()
    assert fund_round.currency == "EUR"


def test_3_cap_per_year_is_enforced_when_awarding_and_booking(
    fund_round, event, executor, treasurer
):
    Round.objects.filter(pk=fund_round.pk).update(cap_per_year=150_000)
    first = accepted(make_application(fund_round, event), executor, items={"flight": 100_000})
    now = timezone.now()
    later = Round.objects.create(
        name="Later", slug="later", opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=9), decision_date=now.date(), budget=1_000_000,
        currency="USD", covered=["flight", "hotel"], requires_leader=False, cap_per_year=150_000,
    )  # fmt: skip
    second = services.save_draft(
        round=later,
        applicant=first.applicant,
        draft=services.Draft(
            fields={"purpose": "p", "give_back": "g", "currency": "USD"},
            listed_event=event, origin_country="NG", passport_country="NG",
            costs={"flight": 90_000},
        ),
    )  # fmt: skip
    second = services.submit(application=second, actor=first.applicant, consent=True)

    with pytest.raises(FundError, match="cap per person per year"):
        services.stage_decision(
            application=second, outcome="award", items={"flight": 90_000}, actor=executor
        )
    first.round.refresh_from_db()
    with pytest.raises(FundError, match="cap per person per year"):
        services.add_booking(
            application=first, actor=treasurer, category="hotel", vendor="Inn",
            amount=160_000, currency="USD",
        )  # fmt: skip

    assert not Booking.objects.exists()
    services.stage_decision(
        application=second, outcome="award", items={"flight": 50_000}, actor=executor
    )


# 4. One definition of each money figure ----------------------------------------


def test_4_money_page_report_and_csv_agree_on_committed(
    client, fund_round, event, executor, treasurer
):
    application = accepted(make_application(fund_round, event), executor)  # 80k flight + 20k visa
    services.add_booking(
        application=application, actor=treasurer, category="flight", vendor="Air",
        amount=95_000, currency="USD", status="booked",
    )  # fmt: skip
    client.force_login(treasurer)

    money_page = client.get("/fund/test-round/money/")
    report = client.get("/fund/test-round/report/")
    csv_rows = client.get("/fund/test-round/report/?format=csv").content.decode().splitlines()

    assert money_page.context["figures"].committed == 100_000
    assert report.context["data"]["committed"] == 100_000
    assert "Total,All funded applications,1000.00,950.00,USD,,total,all" in csv_rows
    assert selectors.committed(fund_round) == 100_000
    assert sum(r["committed"] for r in report.context["data"]["by_country"]) == 100_000


def test_4_status_groups_live_on_the_enums():
    assert {"booked", "used", "cancelled", "refunded"} == Booking.Status.SPENDING
    assert Booking.Status.OPEN | Booking.Status.CLOSED | {"used"} == set(Booking.Status.values)
    assert set(Booking.Status.FLOW) == set(Booking.Status.values)
    assert Application.Status.FUNDED <= Application.Status.REVIEWABLE


# 5. No destructive defaults ----------------------------------------------------


@pytest.mark.parametrize("data", [{}, {"answer": ""}, {"answer": "maybe"}])
def test_5_reply_without_an_answer_declines_nothing(client, fund_round, event, executor, data):
    application = offered(make_application(fund_round, event), executor)
    client.force_login(application.applicant)

    response = client.post(f"/fund/applications/{application.pk}/reply/", data, follow=True)

    application.refresh_from_db()
    assert application.status == S.OFFERED
    assert (
        "Choose whether you accept or decline" in response.text or "valid choice" in response.text
    )


def test_5_cancel_all_ignores_malformed_keys_and_refuses_bad_refunds(
    client, fund_round, event, executor, treasurer
):
    application = accepted(make_application(fund_round, event), executor)
    booking = services.add_booking(
        application=application, actor=treasurer, category="flight", vendor="Air",
        amount=50_000, currency="USD", status="booked",
    )  # fmt: skip
    services.record_visa_outcome(
        application=application, actor=application.applicant, decision="refused"
    )
    client.force_login(treasurer)
    url = f"/fund/applications/{application.pk}/bookings/cancel-all/"

    refused = client.post(url, {"refund_x": "5", f"refund_{booking.pk}": "-3", "confirm": "on"})
    assert refused.status_code == 400  # the page again, the refund's error on it
    booking.refresh_from_db()
    assert booking.status == "booked"  # a negative refund is refused, nothing cancelled

    good = {"refund_x": "5", f"refund_{booking.pk}": "200", "confirm": "on"}
    assert client.post(url, good).status_code == 302
    booking.refresh_from_db()
    assert (booking.status, booking.expected_refund, booking.loss) == ("cancelled", 20_000, 30_000)


def test_5_invalid_conflict_form_records_nothing(client, fund_round, event, reviewers):
    application = make_application(fund_round, event)
    client.force_login(reviewers[0])

    client.post(
        f"/fund/applications/{application.pk}/conflict/", {"reason": "x" * 301, "confirm": "on"}
    )

    assert not application.conflicts.exists()
    assert client.get(f"/fund/applications/{application.pk}/review/").status_code == 200


def test_5_invalid_visa_outcome_says_why(client, fund_round, event, executor):
    application = accepted(make_application(fund_round, event), executor)
    client.force_login(application.applicant)

    response = client.post(
        f"/fund/applications/{application.pk}/visa/",
        {"visa_decision": "bribed", "appointment_date": "not a date"},
        follow=True,
    )

    assert "Select a valid choice" in response.text
    application.refresh_from_db()
    assert application.visa_decision == ""


def test_5_pages_never_write_on_get(client, fund_round, event, executor):
    application = make_overdue_offer(fund_round, event, executor)
    entries = Entry.objects.count()
    client.force_login(application.applicant)

    assert client.get(f"/fund/applications/{application.pk}/").status_code == 200
    client.force_login(executor)
    assert client.get("/fund/test-round/allocate/").status_code == 200

    application.refresh_from_db()
    assert application.status == S.OFFERED  # lapses only by the scheduled job
    assert Entry.objects.count() == entries


def test_5_unknown_booking_status_is_refused(client, fund_round, event, executor, treasurer):
    application = accepted(make_application(fund_round, event), executor)
    booking = services.add_booking(
        application=application, actor=treasurer, category="flight", vendor="Air",
        amount=50_000, currency="USD",
    )  # fmt: skip
    client.force_login(treasurer)

    for status in ("", "paid", "used"):  # "used" is not reachable from "planned"
        client.post(f"/fund/bookings/{booking.pk}/status/", {"status": status})

    booking.refresh_from_db()
    assert booking.status == "planned"
