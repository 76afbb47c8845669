"""Scheduled jobs run once per slot, whoever wakes for them (issue 8)."""

import datetime as dt

from django.utils import timezone

from bpd.background import jobs
from bpd.background.models import JobRun, OutgoingEmail


def test_a_job_runs_once_per_slot(db):
    calls = []
    jobs.JOBS["test.count"] = (lambda: calls.append(1) or "counted", dt.timedelta(minutes=5))
    try:
        first = jobs.run_once("test.count")
        second = jobs.run_once("test.count")
    finally:
        del jobs.JOBS["test.count"]

    assert calls == [1]
    assert (first.status, first.detail) == ("done", "counted")
    assert second is None
    assert JobRun.objects.count() == 1


def test_a_failing_job_is_recorded_and_logged(db, caplog):
    def broken():
        raise ValueError("no data")

    jobs.JOBS["test.broken"] = (broken, dt.timedelta(minutes=5))
    try:
        run = jobs.run_once("test.broken")
    finally:
        del jobs.JOBS["test.broken"]

    assert run.status == "failed"
    assert run.detail == "ValueError: no data"
    assert "Job test.broken failed" in caplog.text


def test_the_scheduler_registers_every_job():
    from huey.contrib.djhuey import HUEY

    periodic = {task.name for task in HUEY._registry.periodic_tasks}
    assert {"every_few_minutes", "every_day", "heartbeat"} <= {
        n.rsplit(".", 1)[-1] for n in periodic
    }
    assert set(jobs.JOBS) >= {"fund.expire_offers", "cleanup.daily", "mail.sweep"}


def test_the_daily_cleanup_removes_what_expired(db):
    from django.contrib.sessions.models import Session

    from bpd.members.models import Invite

    now = timezone.now()
    Session.objects.create(
        session_key="x" * 32, session_data="", expire_date=now - dt.timedelta(days=1)
    )
    Session.objects.create(
        session_key="y" * 32, session_data="", expire_date=now + dt.timedelta(days=1)
    )
    old = Invite.objects.create(expires_at=now - dt.timedelta(days=40))
    recent = Invite.objects.create(expires_at=now - dt.timedelta(days=1))
    OutgoingEmail.objects.create(
        kind="k", recipients="a@example.com", subject="s", status="sent",
        next_attempt_at=now,
    )  # fmt: skip
    OutgoingEmail.objects.filter().update(created_at=now - dt.timedelta(days=100))

    runs = [jobs.run_once(name) for name in jobs.every(jobs.DAILY)]

    assert {"cleanup.daily", "members.old_invites"} <= set(jobs.every(jobs.DAILY))
    assert all(run.status == "done" for run in runs), [run.detail for run in runs]
    assert list(Session.objects.values_list("session_key", flat=True)) == ["y" * 32]
    assert not Invite.objects.filter(pk=old.pk).exists()
    assert Invite.objects.filter(pk=recent.pk).exists()
    assert OutgoingEmail.objects.count() == 0
