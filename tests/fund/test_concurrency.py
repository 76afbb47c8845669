"""Two treasurers approve at the same moment: the budget still holds (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from bpd.fund import selectors, services
from bpd.fund.services import FundError
from tests.fund.conftest import make_application

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks are what this proves; run with DATABASE_URL on PostgreSQL",
)
def test_concurrent_releases_cannot_exceed_budget(fund_round, event, executor):
    first, second = make_application(fund_round, event), make_application(fund_round, event)
    # Each award fits alone (300,000 budget); both together do not.
    services.stage_decision(
        application=first, outcome="award", items={"flight": 180_000}, actor=executor
    )
    barrier = threading.Barrier(2)
    outcomes = []

    def release(application):
        try:
            barrier.wait()
            services.release_decisions(round=fund_round, actor=executor)
            outcomes.append("released")
        except FundError as error:
            outcomes.append(str(error))
        finally:
            connections.close_all()

    def book(application):
        try:
            barrier.wait()
            services.stage_decision(
                application=application, outcome="award", items={"flight": 180_000}, actor=executor
            )
            services.release_decisions(round=fund_round, actor=executor)
            outcomes.append("released")
        except FundError as error:
            outcomes.append(str(error))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=release, args=(first,)),
        threading.Thread(target=book, args=(second,)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert selectors.committed(fund_round) <= fund_round.budget
    assert selectors.committed(fund_round) == 180_000
    assert len(outcomes) == 2


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks are what this proves; run with DATABASE_URL on PostgreSQL",
)
def test_concurrent_bookings_cannot_exceed_budget(fund_round, event, executor, treasurer):
    applications = [make_application(fund_round, event) for _ in range(2)]
    for application in applications:
        services.stage_decision(
            application=application, outcome="award", items={"flight": 100_000}, actor=executor
        )
    services.release_decisions(round=fund_round, actor=executor)
    for application in applications:
        application.refresh_from_db()
        services.reply_to_offer(application=application, actor=application.applicant, accept=True)
        application.refresh_from_db()
    # 200,000 committed, 100,000 left. A 160,000 booking needs 60,000 beyond its award:
    # either one fits alone, both together (120,000) do not.
    barrier = threading.Barrier(2)
    outcomes = []

    def book(application):
        try:
            barrier.wait()
            services.add_booking(
                application=application, actor=treasurer, category="flight", vendor="Air",
                amount=160_000, currency="USD", rate=1, status="booked",
            )  # fmt: skip
            outcomes.append("booked")
        except FundError as error:
            outcomes.append(str(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(application,)) for application in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(outcomes) == 2
    assert outcomes.count("booked") == 1, outcomes
    assert selectors.committed(fund_round) == 260_000
    assert selectors.committed(fund_round) <= fund_round.budget
