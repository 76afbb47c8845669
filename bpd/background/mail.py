"""Email leaves the request: the page stores the message and the worker delivers it.

`QueuedEmailBackend` is Django's EMAIL_BACKEND: `send_messages` writes one
`OutgoingEmail` row per message (inside the caller's transaction, so a rolled-back
change sends nothing) and, once the transaction commits, puts a delivery task on
the queue. The worker delivers through EMAIL_DELIVERY_BACKEND (SMTP in production,
the console in development). A failed attempt is retried with growing delays, then
marked failed for staff to see and send again (bpd/background/views.py).

Sign-in and confirmation codes are urgent: they go to the front of the queue, and
their text is never kept after the last attempt (a code is useless after 15 minutes).
Senders label messages with `bpd.website.mail.mark` (kind, urgency); this backend reads it.
"""

import base64
import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.console import EmailBackend as ConsoleEmailBackend
from django.db import models, transaction
from django.utils import timezone

from bpd.background.models import OutgoingEmail

log = logging.getLogger(__name__)

URGENT_PRIORITY = 100
NORMAL_PRIORITY = 10
STUCK_AFTER = dt.timedelta(minutes=10)


def retry_delays(*, urgent=False):
    """Delays before the 2nd, 3rd, … attempt; after the last one the email is marked failed."""
    seconds = settings.EMAIL_URGENT_RETRY_DELAYS if urgent else settings.EMAIL_RETRY_DELAYS
    return [dt.timedelta(seconds=s) for s in seconds]


def serialize(message):
    data = {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [
            [content, mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
        "attachments": [],
    }
    for attachment in message.attachments:
        filename, content, mimetype = attachment
        if isinstance(content, str):
            content = content.encode()
        data["attachments"].append([filename, base64.b64encode(content).decode(), mimetype])
    return data


def deserialize(data):
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    for filename, content, mimetype in data["attachments"]:
        message.attach(filename, base64.b64decode(content), mimetype)
    return message


class QueuedEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        now = timezone.now()
        count = 0
        for message in email_messages:
            recipients = message.recipients()
            if not recipients:
                continue
            urgent = bool(getattr(message, "bpd_urgent", False))
            row = OutgoingEmail.objects.create(
                kind=getattr(message, "bpd_kind", "other")[:80],
                urgent=urgent,
                recipients=", ".join(recipients)[:500],
                subject=str(message.subject)[:300],
                message=serialize(message),
                next_attempt_at=now,
            )
            transaction.on_commit(lambda pk=row.pk, urgent=urgent: enqueue(pk, urgent=urgent))
            count += 1
        return count


def enqueue(pk, *, urgent=False, delay=None):
    from bpd.background import tasks  # tasks imports this module

    priority = URGENT_PRIORITY if urgent else NORMAL_PRIORITY
    try:
        if delay:
            tasks.deliver_email.schedule((pk,), delay=delay, priority=priority)
        else:
            tasks.deliver_email(pk, priority=priority)
    except Exception:  # the queue is down: the row waits, the sweep enqueues it later
        log.exception("Could not queue email %s; the mail sweep will send it", pk)


def deliver(pk, *, now=None):
    """Try to send one queued email. Safe to call twice at once: only one claims it."""
    now = now or timezone.now()
    claimed = OutgoingEmail.objects.filter(
        pk=pk, status=OutgoingEmail.Status.QUEUED, next_attempt_at__lte=now
    ).update(status=OutgoingEmail.Status.SENDING, claimed_at=now)
    if not claimed:
        return None
    row = OutgoingEmail.objects.get(pk=pk)
    try:
        message = deserialize(row.message)
        message.bpd_kind = row.kind  # the development console frames codes by kind
        with get_connection(settings.EMAIL_DELIVERY_BACKEND, fail_silently=False) as connection:
            connection.send_messages([message])
    except Exception as error:  # any failure of the mail server is retried
        return _failed(row, error, now=now)
    row.status = OutgoingEmail.Status.SENT
    row.sent_at = timezone.now()
    row.attempts += 1
    row.message = None  # delivered: keep who, what kind and when, not the text
    if row.urgent:
        row.subject = ""  # a code's subject carries the code
    row.last_error = ""
    row.save(update_fields=["status", "sent_at", "attempts", "message", "subject", "last_error"])
    log.info("Sent %s email %s to %s", row.kind, row.pk, row.recipients)
    return row


def _failed(row, error, *, now):
    row.attempts += 1
    row.last_error = f"{type(error).__name__}: {error}"[:500]
    delays = retry_delays(urgent=row.urgent)
    if row.attempts <= len(delays):
        delay = delays[row.attempts - 1]
        row.status = OutgoingEmail.Status.QUEUED
        row.next_attempt_at = now + delay
        row.save(update_fields=["status", "attempts", "last_error", "next_attempt_at"])
        log.warning("Email %s failed (%s); retrying in %s", row.pk, row.last_error, delay)
        transaction.on_commit(
            lambda: enqueue(row.pk, urgent=row.urgent, delay=delay.total_seconds())
        )
    else:
        row.status = OutgoingEmail.Status.FAILED
        if row.urgent:
            row.message = None  # a code is useless now; do not keep it
            row.subject = ""
        row.save(update_fields=["status", "attempts", "last_error", "message", "subject"])
        log.error("Email %s failed %s times: %s", row.pk, row.attempts, row.last_error)
    return row


def retry(row):
    """Staff send a failed email again."""
    if not row.can_retry:
        return False
    with transaction.atomic():
        updated = OutgoingEmail.objects.filter(
            pk=row.pk, status=OutgoingEmail.Status.FAILED, message__isnull=False
        ).update(status=OutgoingEmail.Status.QUEUED, attempts=0, next_attempt_at=timezone.now())
        if updated:
            transaction.on_commit(lambda: enqueue(row.pk, urgent=row.urgent))
    return bool(updated)


def sweep(*, now=None):
    """Queue again what the queue lost: emails due but never picked up (the queue was
    down when they were written) and emails claimed by a worker that died mid-send."""
    now = now or timezone.now()
    OutgoingEmail.objects.filter(
        status=OutgoingEmail.Status.SENDING, claimed_at__lt=now - STUCK_AFTER
    ).update(status=OutgoingEmail.Status.QUEUED, next_attempt_at=models.F("claimed_at"))
    due = list(
        OutgoingEmail.objects.filter(
            status=OutgoingEmail.Status.QUEUED, next_attempt_at__lte=now - dt.timedelta(minutes=1)
        ).values_list("pk", "urgent")[:500]
    )
    for pk, urgent in due:
        enqueue(pk, urgent=urgent)
    return len(due)


# Emails with a code someone is waiting for in another window, and what the development
# console calls the code when it repeats it below the message.
CODE_KINDS = {
    "account/login_code": "Sign-in code",
    "account/email_confirmation": "Code to finish joining",
    "account/email_confirmation_signup": "Code to finish joining",
}
FRAME = "=" * 72


def code_frame(message):
    """The code of a code email, framed so it stands out in the worker's console:
    a line of '=', "Sign-in code for amara@example.com: ABC123", a line of '='.
    Empty for every other email."""
    label = CODE_KINDS.get(getattr(message, "bpd_kind", ""))
    if label is None:
        return ""
    # The code sits alone on an indented line of the text body (account/email/*.txt);
    # the subject, which also carries it, is the fallback.
    code = next(
        (line.strip() for line in str(message.body).splitlines() if line.startswith("    ")),
        "",
    )
    code = code or str(message.subject)
    recipients = ", ".join(message.to) or ", ".join(message.recipients())
    return f"\n{FRAME}\n{label} for {recipients}: {code}\n{FRAME}\n\n"


class DevelopmentConsoleBackend(ConsoleEmailBackend):
    """Django's console backend, which the worker delivers through in development; after
    a sign-in or joining code email it prints the code again, framed, so it is not lost
    among the message's headers and HTML."""

    def write_message(self, message):
        super().write_message(message)
        frame = code_frame(message)
        if frame:
            self.stream.write(frame)
