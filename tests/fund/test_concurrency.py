"""Two treasurers approve at the same moment: the budget still holds (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from bpd.fund import selectors, services
from bpd.fund.services import FundError
from tests.fund.conftest import make_application

pytestmark = pytest.mark.django_db(transaction=True)


ONLY_POSTGRESQL = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks are what this proves; run with DATABASE_URL on PostgreSQL",
)


@ONLY_POSTGRESQL
def test_concurrent_offers_cannot_exceed_budget(fund_round, event, executor):
    # Two waiting-list applications of 180,000 each; the round has 300,000: room for one.
    waiting = [make_application(fund_round, event, costs={"flight": 180_000}) for _ in range(2)]
    for application in waiting:
        services.stage_decision(application=application, outcome="waitlist", actor=executor)
    services.release_decisions(round=fund_round, actor=executor)
    barrier = threading.Barrier(2)
    offered = []

    def approve():
        try:
            barrier.wait()
            offered.append(services.offer_next_from_waitlist(round=fund_round, actor=executor))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(offered) == 2
    assert sum(1 for application in offered if application is not None) == 1
    assert selectors.committed(fund_round) == 180_000


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
                amount=160_000, currency="USD", status="booked",
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
