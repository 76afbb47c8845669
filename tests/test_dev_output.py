"""What a developer sees in the terminal of `python3 dev.py start`: one short line for an
expected 403 (no traceback, not twice), sign-in codes that stand out among the printed
emails, and a start message that tells how people really sign in (codes, no passwords)."""

import copy
import io
import logging
import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.mail import EmailMultiAlternatives
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils.log import DEFAULT_LOGGING, configure_logging, log_response

import dev
from bpd.background.mail import DevelopmentConsoleBackend, code_frame
from bpd.members.demo import ROLE_ACCOUNTS, demo_email
from bpd.members.roles import Role
from bpd.website.mail import mark
from tests.factories import UserFactory


@pytest.fixture
def terminal(settings, monkeypatch):
    """The project's LOGGING, as Django applies it (its own defaults first), with every
    console handler writing to a buffer: what the development terminal would show."""
    settings.DEBUG = True  # development: Django's default console handler is on
    buffer = io.StringIO()
    defaults = copy.deepcopy(DEFAULT_LOGGING)
    defaults["handlers"]["console"]["stream"] = buffer
    project = copy.deepcopy(settings.LOGGING)
    for handler in project["handlers"].values():
        if handler["class"] == "logging.StreamHandler":
            handler["stream"] = buffer
    monkeypatch.setattr("django.utils.log.DEFAULT_LOGGING", defaults)
    configure_logging(settings.LOGGING_CONFIG, project)
    yield buffer
    monkeypatch.undo()
    configure_logging(django_settings.LOGGING_CONFIG, django_settings.LOGGING)


def test_a_403_is_one_line_without_a_traceback(db, terminal):
    client = Client()
    client.force_login(UserFactory())  # a member, not staff

    response = client.get(reverse("members:staff_home"))

    assert response.status_code == 403
    output = terminal.getvalue()
    assert output.count("Forbidden (Permission denied)") == 1, output
    assert "Traceback" not in output
    assert "PermissionDenied" not in output


def test_a_404_is_one_line(db, terminal):
    response = Client().get("/no-such-page-here/")

    assert response.status_code == 404
    output = terminal.getvalue()
    assert output.count("Not Found") == 1, output
    assert "Traceback" not in output


def test_a_500_keeps_its_traceback(terminal):
    try:
        raise RuntimeError("the database went away")
    except RuntimeError as error:
        log_response("Internal Server Error: %s", "/x/", response=HttpResponse(status=500),
                     exception=error)  # fmt: skip

    output = terminal.getvalue()
    assert output.count("Internal Server Error: /x/") == 1, output
    assert "Traceback" in output
    assert "RuntimeError: the database went away" in output


def test_a_bad_request_logged_as_an_error_has_no_traceback_either():
    """Django logs a bad Host header (400) as an error with its exception; the console
    (production's too) shows the line only."""
    record = logging.LogRecord("django.security.DisallowedHost", logging.ERROR, __file__, 1,
                               "Invalid HTTP_HOST header", (), None)  # fmt: skip
    record.status_code = 400
    try:
        raise ValueError("bad host")
    except ValueError as error:
        record.exc_info = (type(error), error, error.__traceback__)
    handler = logging.StreamHandler(io.StringIO())
    filters = django_settings.LOGGING["filters"]["one_line_for_client_errors"]
    handler.addFilter(filters["()"]())

    handler.handle(record)

    assert handler.stream.getvalue() == "Invalid HTTP_HOST header\n"


def test_start_says_how_to_sign_in_without_a_password():
    source = Path(dev.__file__).read_text()
    assert "password 'admin'" not in source
    assert "user 'admin'" not in source

    message = dev.start_message()
    assert "/dev/sign-in-as/" in message
    assert "/admin/" in message
    # The staff account it names is the demo executor, who is staff (bpd/members/demo.py).
    assert demo_email(Role.EXECUTOR.value) == dev.DEMO_STAFF
    assert dev.DEMO_STAFF in message
    assert set(dev.DEMO_ROLES) == {role.value for role in ROLE_ACCOUNTS}


def code_email(kind, *, to="amara@example.com"):
    message = EmailMultiAlternatives(
        subject="Your sign-in code: QX7K2P",
        body="Black Python Devs\n\nYour sign-in code is:\n\n    QX7K2P\n\nEnter it soon.\n",
        to=[to],
    )
    message.attach_alternative("<p>Your sign-in code is <b>QX7K2P</b></p>", "text/html")
    return mark(message, kind, urgent=True)


def test_the_development_console_frames_a_sign_in_code():
    stream = io.StringIO()

    DevelopmentConsoleBackend(stream=stream).send_messages([code_email("account/login_code")])

    lines = stream.getvalue().splitlines()
    at = lines.index("Sign-in code for amara@example.com: QX7K2P")
    assert lines[at - 1] == lines[at + 1] == "=" * 72
    # The email itself is still printed in full above the frame.
    assert "Subject: Your sign-in code: QX7K2P" in stream.getvalue()
    assert stream.getvalue().index("Subject:") < stream.getvalue().index("=" * 72)


def test_other_emails_are_printed_without_a_frame():
    stream = io.StringIO()
    message = mark(EmailMultiAlternatives("Fund news", "    indented text", to=["a@b.c"]), "news")

    DevelopmentConsoleBackend(stream=stream).send_messages([message])

    assert "Subject: Fund news" in stream.getvalue()
    assert "=" * 72 not in stream.getvalue()
    assert code_frame(message) == ""


def test_the_worker_delivers_a_queued_code_email_with_its_frame(
    db, settings, django_capture_on_commit_callbacks, monkeypatch
):
    """The kind travels from the queue row to the console: the worker's delivery frames it."""
    from bpd.background import mail as queue

    settings.EMAIL_BACKEND = "bpd.background.mail.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "bpd.background.mail.DevelopmentConsoleBackend"
    stream = io.StringIO()
    monkeypatch.setattr("sys.stdout", stream)  # the console backend's default stream
    with django_capture_on_commit_callbacks(execute=False):
        code_email("account/login_code").send()
    row = queue.OutgoingEmail.objects.get()

    queue.deliver(row.pk)

    assert "Sign-in code for amara@example.com: QX7K2P" in stream.getvalue()


def test_development_prints_emails_through_the_framing_console():
    if os.environ.get("EMAIL_HOST") or os.environ.get("BPD_EMAIL_DELIVERY_BACKEND"):
        pytest.skip("this run delivers email elsewhere")
    assert django_settings.EMAIL_DELIVERY_BACKEND == "bpd.background.mail.DevelopmentConsoleBackend"
