"""Fund offers expire on schedule, with nobody loading a page, once (issue 8)."""

import threading

import pytest
from django.db import connection, connections

from bpd.audit import selectors as audit
from bpd.background import tasks
from bpd.background.models import JobRun
from bpd.fund import services
from bpd.fund.models import Application
from tests.fund.conftest import make_application, make_overdue_offer

S = Application.Status


def test_offer_expiry_runs_on_schedule_and_is_logged(db, fund_round, event, executor):
    application = make_overdue_offer(fund_round, event, executor)

    tasks.every_few_minutes.call_local()
    tasks.every_few_minutes.call_local()  # a second worker waking for the same slot

    application.refresh_from_db()
    assert application.status == S.LAPSED
    run = JobRun.objects.get(job="fund.expire_offers")
    assert run.status == "done"
    assert audit.history(application.round).filter(verb="fund.offer_lapsed").count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks are what this proves; run with DATABASE_URL on PostgreSQL",
)
def test_two_machines_expiring_offers_at_once_lapse_each_offer_once(fund_round, event, executor):
    application = make_overdue_offer(fund_round, event, executor)
    waiting = make_application(fund_round, event)
    services.stage_decision(application=waiting, outcome="waitlist", actor=executor)
    services.release_decisions(round=fund_round, actor=executor)
    barrier = threading.Barrier(2)
    results = []

    def expire():
        try:
            barrier.wait()
            results.append(services.lapse_overdue_offers())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=expire) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(len(r) for r in results) == [0, 1]  # one promotion in all
    application.refresh_from_db()
    waiting.refresh_from_db()
    assert (application.status, waiting.status) == (S.LAPSED, S.OFFERED)
    assert audit.history(fund_round).filter(verb="fund.offer_lapsed").count() == 1
