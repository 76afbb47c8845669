"""Emails leave the request: queued by pages, delivered by the worker, retried, then
shown to staff (issue 8). The worker here is huey in immediate mode (tests' default)."""

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from bpd.background import mail as queue
from bpd.background.models import OutgoingEmail
from bpd.members.roles import Role
from tests.factories import UserFactory
from tests.queries import get_with_queries

QUEUED = {
    "EMAIL_BACKEND": "bpd.background.mail.QueuedEmailBackend",
    "EMAIL_DELIVERY_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
}


@pytest.fixture
def queued(settings):
    for name, value in QUEUED.items():
        setattr(settings, name, value)
    return settings


class BrokenBackend:
    """A mail server that refuses every message."""

    def __init__(self, *args, **kwargs):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_a_code_request_queues_an_urgent_email_and_the_worker_delivers_it(
    db, queued, django_capture_on_commit_callbacks
):
    UserFactory(email="amara@example.com")

    with pytest.MonkeyPatch.context() as patch, django_capture_on_commit_callbacks(execute=True):
        delivered = []
        patch.setattr(queue, "enqueue", lambda pk, **kw: delivered.append((pk, kw)))
        response = Client().post("/accounts/login/code/", {"email": "amara@example.com"})

    assert response.status_code == 302
    assert mail.outbox == []  # nothing was sent inside the request
    row = OutgoingEmail.objects.get()
    assert (row.kind, row.urgent, row.status) == ("account/login_code", True, "queued")
    assert delivered == [(row.pk, {"urgent": True})]

    queue.deliver(row.pk)

    row.refresh_from_db()
    assert row.status == "sent"
    assert row.attempts == 1
    assert row.message is None  # the code is not kept once delivered
    assert row.subject == ""  # nor in the subject, which carries it too
    assert mail.outbox[0].to == ["amara@example.com"]


def test_urgent_emails_go_to_the_front_of_the_queue(db, queued, django_capture_on_commit_callbacks):
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = False  # a real queue (a file in the test's own folder)
    try:
        HUEY.storage.flush_queue()
        UserFactory(email="late@example.com")
        plain = OutgoingEmail.objects.create(
            kind="fund/decision", recipients="x@example.com", subject="s", message={},
            next_attempt_at=timezone.now(),
        )  # fmt: skip
        queue.enqueue(plain.pk)
        with django_capture_on_commit_callbacks(execute=True):
            Client().post("/accounts/login/code/", {"email": "late@example.com"})
        code = OutgoingEmail.objects.get(urgent=True)

        first = HUEY.dequeue()
        second = HUEY.dequeue()
    finally:
        HUEY.storage.flush_queue()
        HUEY.immediate = True
    assert (first.args, first.priority) == ((code.pk,), queue.URGENT_PRIORITY)
    assert (second.args, second.priority) == ((plain.pk,), queue.NORMAL_PRIORITY)


def test_nothing_is_sent_when_the_change_that_sent_it_rolls_back(db, queued):
    from django.db import transaction

    def change_that_fails():
        with transaction.atomic():
            mail.EmailMessage("s", "b", "from@example.com", ["a@example.com"]).send()
            raise RuntimeError

    with pytest.raises(RuntimeError):
        change_that_fails()

    assert OutgoingEmail.objects.count() == 0
    assert mail.outbox == []


def test_a_failed_send_is_retried_later_then_marked_failed(db, queued, settings):
    settings.EMAIL_DELIVERY_BACKEND = "tests.background.test_mail.BrokenBackend"
    mail.EmailMessage("Your award", "Body", "from@example.com", ["ada@example.com"]).send()
    row = OutgoingEmail.objects.get()
    now = timezone.now()

    for attempt, delay in enumerate(queue.retry_delays(), start=1):
        queue.deliver(row.pk, now=now)
        row.refresh_from_db()
        assert (row.status, row.attempts) == ("queued", attempt)
        assert row.next_attempt_at == now + delay
        assert queue.deliver(row.pk, now=now) is None  # not due yet: nobody claims it
        now = row.next_attempt_at
    queue.deliver(row.pk, now=now)

    row.refresh_from_db()
    assert row.status == "failed"
    assert row.attempts == len(queue.retry_delays()) + 1
    assert "SMTPServerDisconnected" in row.last_error
    assert row.message is not None  # kept so staff can send it again


def test_a_failed_sign_in_code_is_not_kept(db, queued, settings):
    settings.EMAIL_DELIVERY_BACKEND = "tests.background.test_mail.BrokenBackend"
    UserFactory(email="amara@example.com")
    Client().post("/accounts/login/code/", {"email": "amara@example.com"})
    row = OutgoingEmail.objects.get()
    now = timezone.now()
    for _attempt in range(len(queue.retry_delays(urgent=True)) + 1):
        queue.deliver(row.pk, now=now)
        now += dt.timedelta(hours=1)

    row.refresh_from_db()
    assert row.status == "failed"
    assert row.message is None
    assert not row.can_retry


def test_staff_see_failed_emails_and_send_them_again(
    client, db, queued, django_capture_on_commit_callbacks
):
    staff = UserFactory(roles=[Role.EXECUTOR])
    failed = OutgoingEmail.objects.create(
        kind="fund/decision", recipients="ada@example.com", subject="Your award",
        message=queue.serialize(mail.EmailMessage("Your award", "Body", "f@example.com", ["ada@example.com"])),
        status="failed", attempts=5, last_error="SMTPServerDisconnected: gone",
        next_attempt_at=timezone.now(),
    )  # fmt: skip
    client.force_login(staff)

    assert "Email and scheduled jobs" in client.get("/staff/").text
    page = client.get("/staff/mail-and-jobs/").text
    assert "ada@example.com" in page
    assert "SMTPServerDisconnected: gone" in page
    assert "No task worker has checked in yet." in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/staff/mail-and-jobs/{failed.pk}/retry/", follow=True)

    assert "queued again" in response.text
    failed.refresh_from_db()
    assert failed.status == "sent"  # the (immediate) worker delivered it
    assert mail.outbox[0].subject == "Your award"


def test_the_sweep_queues_emails_the_queue_lost(db, queued):
    stuck = OutgoingEmail.objects.create(
        kind="k", recipients="a@example.com", subject="s",
        message=queue.serialize(mail.EmailMessage("s", "b", "f@example.com", ["a@example.com"])),
        status="sending", claimed_at=timezone.now() - dt.timedelta(hours=1),
        next_attempt_at=timezone.now() - dt.timedelta(hours=1),
    )  # fmt: skip

    queue.sweep(now=timezone.now() + dt.timedelta(minutes=2))

    stuck.refresh_from_db()
    assert stuck.status == "sent"


def test_staff_mail_page_query_count_does_not_grow(client, uncached, db):
    def add(start, n):
        OutgoingEmail.objects.bulk_create(
            OutgoingEmail(kind="k", recipients=f"{status}{i}@example.com", subject="s", status=status,
                          next_attempt_at=timezone.now())
            for i in range(start, start + n) for status in ("failed", "queued", "sent")
        )  # fmt: skip

    client.force_login(UserFactory(roles=[Role.EXECUTOR]))
    add(0, 3)
    client.get("/staff/mail-and-jobs/")  # the first page view creates the site settings

    small, small_sql = get_with_queries(client, "/staff/mail-and-jobs/")
    add(3, 27)
    large, large_sql = get_with_queries(client, "/staff/mail-and-jobs/")

    assert small.text.count("@example.com</td>") == 2 * 3  # failed and waiting rows
    assert large.text.count("@example.com</td>") == 2 * 30
    assert len(large_sql) == len(small_sql), large_sql


def test_the_staff_page_shows_a_daily_jobs_last_run_behind_many_frequent_runs(client, db):
    import datetime as dt

    from bpd.background.models import JobRun

    client.force_login(UserFactory(roles=[Role.EXECUTOR]))
    now = timezone.now()
    JobRun.objects.create(
        job="cleanup.daily", slot=now - dt.timedelta(days=1), status="done",
        detail="expired sessions cleared; 4 old invites removed",
    )  # fmt: skip
    JobRun.objects.bulk_create(
        JobRun(job=job, slot=now - dt.timedelta(minutes=5 * n), status="done")
        for n in range(150) for job in ("mail.sweep", "fund.expire_offers")
    )  # fmt: skip

    page = client.get("/staff/mail-and-jobs/").text

    assert "4 old invites removed" in page


def test_emails_sent_to_a_member_are_in_their_data_and_go_with_their_account(db):
    from bpd.members import exports, services

    member = UserFactory(email="ada@example.com")
    other = UserFactory(email="grace@example.com")
    for address in (member.email, other.email):
        OutgoingEmail.objects.create(
            kind="fund/decision_award", recipients=address, subject="Your award",
            status="sent", next_attempt_at=timezone.now(),
        )  # fmt: skip

    exported = exports.collect(member)["emails"]
    assert [(e["kind"], e["subject"], e["status"]) for e in exported] == [
        ("fund/decision_award", "Your award", "sent")
    ]

    services.delete_account(user=member)

    assert list(OutgoingEmail.objects.values_list("recipients", flat=True)) == [other.email]
