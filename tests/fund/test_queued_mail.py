"""Releasing decisions emails every applicant without waiting for the mail server
(issue 8: 31 applicants were emailed inside one request)."""

from bpd.background import mail as queue
from bpd.background.models import OutgoingEmail
from bpd.fund import services
from tests.fund.conftest import make_application


def test_releasing_decisions_queues_one_email_per_applicant_and_sends_none(
    settings, fund_round, event, executor, django_capture_on_commit_callbacks, monkeypatch
):
    settings.EMAIL_BACKEND = "bpd.background.mail.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "tests.background.test_mail.BrokenBackend"
    applications = [make_application(fund_round, event, costs={"flight": 10_000}) for _ in range(5)]
    for application in applications:
        services.stage_decision(
            application=application, outcome="award", items={"flight": 10_000}, actor=executor
        )
    queued = []
    monkeypatch.setattr(queue, "enqueue", lambda pk, **kw: queued.append(pk))

    with django_capture_on_commit_callbacks(execute=True):
        services.release_decisions(round=fund_round, actor=executor)

    rows = OutgoingEmail.objects.order_by("pk")
    assert sorted(rows.values_list("recipients", flat=True)) == sorted(
        a.applicant.email for a in applications
    )
    assert set(rows.values_list("status", flat=True)) == {"queued"}  # nothing sent in the request
    assert queued == list(rows.values_list("pk", flat=True))
    assert not any(rows.values_list("urgent", flat=True))
