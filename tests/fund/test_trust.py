"""Issue 10: money rules no one can bend. One test per finding (numbers in names)."""

from decimal import Decimal

import pytest

from bpd.audit.models import Entry
from bpd.fund import services
from bpd.fund.models import Application, Booking, Decision, Review
from bpd.fund.services import FundError
from bpd.members.roles import Role
from tests.factories import ProfileFactory, UserFactory
from tests.fund.conftest import make_application, review

S = Application.Status


def accepted(application, executor, items=None):
    services.stage_decision(
        application=application, outcome="award", items=items or {"flight": 80_000}, actor=executor
    )
    services.release_decisions(round=application.round, actor=executor)
    application.refresh_from_db()
    services.reply_to_offer(application=application, actor=application.applicant, accept=True)
    application.refresh_from_db()
    return application


@pytest.fixture
def executor_applicant(db):
    user = UserFactory(roles=[Role.EXECUTOR, Role.LEADER])
    ProfileFactory(user=user)
    return user


def own_application(round, event, user):
    application = make_application(round, event)
    Application.objects.filter(pk=application.pk).update(applicant=user)
    application.refresh_from_db()
    return application


# 1. Executors and the treasurer are bound by conflicts -----------------------------


def test_1_executor_cannot_decide_or_see_scores_of_their_own_application(
    client, fund_round, event, reviewers, executor_applicant
):
    mine = own_application(fund_round, event, executor_applicant)
    review(mine, reviewers)
    other = make_application(fund_round, event)
    client.force_login(executor_applicant)

    assert client.get(f"/fund/applications/{mine.pk}/decide/").status_code == 404
    response = client.post(
        f"/fund/applications/{mine.pk}/decide/", {"outcome": "award", "award_flight": "800"}
    )
    assert response.status_code == 404
    assert not Decision.objects.filter(application=mine).exists()
    committee = client.get("/fund/test-round/committee/").text
    assert f"/fund/applications/{mine.pk}/" not in committee
    assert f"/fund/applications/{other.pk}/decide/" in committee
    with pytest.raises(FundError, match="your own application"):
        services.stage_decision(
            application=mine, outcome="award", items={"flight": 1}, actor=executor_applicant
        )


def test_1_staging_the_proposal_leaves_out_the_executors_own_application(
    client, fund_round, event, reviewers, executor_applicant
):
    mine = own_application(fund_round, event, executor_applicant)
    other = make_application(fund_round, event)
    review(mine, reviewers)
    review(other, reviewers)
    client.force_login(executor_applicant)

    client.post("/fund/test-round/allocate/stage/", {"confirm": "on"})

    assert Decision.objects.filter(application=other).exists()
    assert not Decision.objects.filter(application=mine).exists()


def test_1_executor_cannot_release_their_own_staged_decision(
    fund_round, event, executor, executor_applicant
):
    mine = own_application(fund_round, event, executor_applicant)
    services.stage_decision(application=mine, outcome="award", items={"flight": 1}, actor=executor)

    with pytest.raises(FundError, match="another executor must release"):
        services.release_decisions(round=fund_round, actor=executor_applicant)

    mine.refresh_from_db()
    assert mine.status == S.SUBMITTED
    services.release_decisions(round=fund_round, actor=executor)


def test_1_executor_declares_a_conflict_and_it_binds_them(client, fund_round, event, executor):
    application = make_application(fund_round, event)
    client.force_login(executor)

    client.post(
        f"/fund/applications/{application.pk}/conflict/", {"reason": "my cousin", "confirm": "on"}
    )

    assert client.get(f"/fund/applications/{application.pk}/decide/").status_code == 404
    entry = Entry.objects.get(verb="fund.conflict_declared")
    assert (entry.actor, entry.reason) == (executor, "my cousin")


def test_1_treasurer_cannot_book_for_their_own_award(fund_round, event, executor):
    treasurer = UserFactory(roles=[Role.TREASURER, Role.LEADER])
    mine = accepted(own_application(fund_round, event, treasurer), executor)

    with pytest.raises(FundError, match="your own application"):
        services.add_booking(
            application=mine, actor=treasurer, category="flight", vendor="Air",
            amount=1_000, currency="USD",
        )  # fmt: skip
    assert not Booking.objects.exists()
    with pytest.raises(FundError, match="your own application"):
        services.record_out_of_pocket(
            application=mine, actor=treasurer, description="x", amount=1, currency="USD"
        )
    assert not mine.out_of_pocket.exists()


# 2. The budget cannot be bent with an exchange rate -------------------------------


@pytest.mark.parametrize("rate", ["0", "-1", "0.0000001", "10000000"])
def test_2_rates_must_be_positive_and_sane(client, fund_round, treasurer, rate):
    client.force_login(treasurer)

    client.post("/fund/test-round/money/", {"currency": "KES", "rate": rate, "as_of": "2026-12-01"})

    assert not fund_round.rates.filter(currency="KES").exists()
    with pytest.raises(FundError):
        services.set_rate(
            round=fund_round, actor=treasurer, currency="KES", rate=Decimal(rate),
            as_of=fund_round.decision_date,
        )  # fmt: skip


def test_2_bookings_use_the_rounds_rate_not_a_typed_one(
    client, fund_round, event, executor, treasurer
):
    application = accepted(make_application(fund_round, event), executor)
    client.force_login(treasurer)
    url = f"/fund/applications/{application.pk}/bookings/add/"
    booking = {
        "booking-category": "flight", "booking-vendor": "Air", "booking-cost": "700",
        "booking-status": "booked",
    }  # fmt: skip

    # In the round's own currency the rate is 1, whatever is sent.
    client.post(url, {**booking, "booking-currency": "USD", "booking-rate": "0"})
    # No rate for EUR yet: refused, nothing recorded.
    client.post(url, {**booking, "booking-currency": "EUR", "booking-rate": "-1"})

    assert [(b.currency, b.rate, b.amount_in_round_currency) for b in Booking.objects.all()] == [
        ("USD", Decimal(1), 70_000)
    ]
    page = client.get(f"/fund/applications/{application.pk}/bookings/").text
    assert 'name="booking-rate"' not in page


# 3. Reviews lock when decisions are staged -------------------------------------


def test_3_reviews_are_locked_once_a_decision_is_staged(
    client, fund_round, event, reviewers, executor
):
    application = make_application(fund_round, event)
    review(application, reviewers, values=(4, 4))
    before = list(Review.objects.values_list("reviewer", "weighted_score"))
    accepted(application, executor)
    client.force_login(reviewers[0])
    scores = {f"score_{c.pk}": "1" for c in fund_round.criteria.all()}

    response = client.post(f"/fund/applications/{application.pk}/review/", scores, follow=True)

    assert "reviews are closed" in response.text
    assert list(Review.objects.values_list("reviewer", "weighted_score")) == before
    client.post(
        f"/fund/applications/{application.pk}/conflict/", {"reason": "late", "confirm": "on"}
    )
    assert Review.objects.filter(application=application).count() == 2
    # The conflict itself is still recorded (it binds them from now on); the scores stay.
    assert application.conflicts.filter(reviewer=reviewers[0], reason="late").exists()
