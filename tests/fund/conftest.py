import datetime as dt

import pytest
from django.utils import timezone

from bpd.conferences.models import Conference
from bpd.fund import services
from bpd.fund.models import Application, Criterion, ExchangeRate, Round
from bpd.members.roles import Role
from tests.factories import ProfileFactory, UserFactory


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def event(db, now):
    start = (now + dt.timedelta(days=150)).date()
    return Conference.objects.create(
        name="EuroPython", url="https://ep.example", city="Prague", country="CZ",
        starts_on=start, ends_on=start + dt.timedelta(days=4), status=Conference.Status.PUBLISHED,
    )  # fmt: skip


@pytest.fixture
def executor(db):
    return UserFactory(roles=[Role.EXECUTOR])


@pytest.fixture
def treasurer(db):
    return UserFactory(roles=[Role.TREASURER])


@pytest.fixture
def reviewers(db):
    return [UserFactory(roles=[Role.REVIEWER]) for _ in range(2)]


@pytest.fixture
def fund_round(db, now, reviewers):
    round = Round.objects.create(
        name="Test round", slug="test-round", opens_at=now - dt.timedelta(days=5),
        closes_at=now + dt.timedelta(days=20), decision_date=(now + dt.timedelta(days=30)).date(),
        budget=300_000, currency="USD", covered=["visa", "flight", "hotel"], cap_per_person=200_000,
    )  # fmt: skip
    round.reviewers.set(reviewers)
    Criterion.objects.create(round=round, name="Impact", weight=3, order=0)
    Criterion.objects.create(round=round, name="Need", weight=1, order=1)
    ExchangeRate.objects.create(round=round, currency="NGN", rate="0.0010", as_of=now.date())
    return round


def draft(event, *, country="NG", currency="USD", costs=None):
    """What an applicant fills in, parsed, for `services.save_draft`."""
    return services.Draft(
        fields={"purpose": "Speak", "give_back": "Teach", "currency": currency},
        listed_event=event, origin_country=country, passport_country=country,
        costs=costs or {},
    )  # fmt: skip


def make_application(
    round, event, *, applicant=None, country="NG", costs=None, currency="USD", submit=True,
    verdict="feasible",
):  # fmt: skip
    """An application to `round` (submitted unless `submit` is false), by `applicant` or
    by a new community leader. Its visa check comes out `verdict` (most tests are not
    about visa data; `None` keeps what the check computed from the data present)."""
    user = applicant
    if user is None:
        user = UserFactory(roles=[Role.LEADER])
        ProfileFactory(user=user, country=country)
    application = services.save_draft(round=round, applicant=user, draft=draft(
        event, country=country, currency=currency, costs=costs or {"flight": 80_000, "visa": 20_000}
    ))  # fmt: skip
    if submit:
        application = services.submit(application=application, actor=user, consent=True)
        if verdict is not None:
            Application.objects.filter(pk=application.pk).update(verdict=verdict)
            application.verdict = verdict
    return application


def review(application, reviewers, values=(4, 4)):
    criteria = list(application.round.criteria.all())
    for reviewer, value in zip(reviewers, values, strict=False):
        services.submit_review(
            application=application, reviewer=reviewer, scores={c.pk: (value, "") for c in criteria}
        )


@pytest.fixture
def application(fund_round, event):
    return make_application(fund_round, event)


def make_overdue_offer(round, event, executor):
    """An application offered an award whose reply deadline passed a minute ago."""
    application = make_application(round, event)
    services.stage_decision(
        application=application, outcome="award", items={"flight": 80_000}, actor=executor
    )
    services.release_decisions(round=round, actor=executor)
    application.decision.offer_deadline = timezone.now() - dt.timedelta(minutes=1)
    application.decision.save()
    return application


@pytest.fixture
def leader_client(client, db):
    user = UserFactory(roles=[Role.LEADER])
    ProfileFactory(user=user)
    client.force_login(user)
    return client, user


def make_booking(
    application, treasurer, status="booked", *, paid=True, amount=10_000, refundable=False,
    expected_refund=None, refunded=None, vendor="Air", category="flight",
):  # fmt: skip
    """A booking recorded as planned, then moved to `status` the way the treasurer does it.
    Cancelled or refunded ones were booked (paid) first; `paid=False` cancels one that was
    only quoted. `refunded` defaults to the refund expected."""
    steps = {
        "planned": [], "quoted": ["quoted"], "booked": ["booked"], "used": ["booked", "used"],
        "cancelled": ["booked" if paid else "quoted", "cancelled"],
        "refunded": ["booked", "cancelled", "refunded"],
    }[status]  # fmt: skip
    booking = services.add_booking(
        application=application, actor=treasurer, category=category, vendor=vendor,
        amount=amount, currency="USD", refundable=refundable,
    )  # fmt: skip
    for step in steps:
        amounts = {}
        if step == "cancelled" and paid:
            amounts["expected_refund"] = expected_refund
        if step == "refunded":
            amounts["refunded"] = booking.expected_refund if refunded is None else refunded
        booking = services.set_booking_status(
            booking=booking, status=step, actor=treasurer, **amounts
        )
    return booking
