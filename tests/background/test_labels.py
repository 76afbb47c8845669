"""Staff read what each scheduled job and each kind of email is, never a code."""

from pathlib import Path

from django.conf import settings
from django.test import Client
from django.utils import timezone

from bpd.background import jobs
from bpd.background.models import OutgoingEmail
from bpd.members.roles import Role
from bpd.website import mail
from tests.factories import ProfileFactory, UserFactory


def test_every_scheduled_job_says_what_it_does():
    assert jobs.JOBS
    unnamed = [name for name in jobs.JOBS if str(jobs.LABELS.get(name, name)) == name]
    assert not unnamed


def test_every_email_the_platform_sends_has_a_name():
    folders = {
        path.parent.relative_to(path.parents[3]).as_posix()
        for path in Path(settings.BASE_DIR, "bpd").glob("*/templates/*/email/*/body.txt")
    }
    assert "fund/email/decision_award" in folders
    kinds = folders | {
        "account/login_code",
        "account/unknown_account",
        "account/email_confirmation",
    }
    unnamed = [kind for kind in sorted(kinds) if mail.kind_label(kind) == kind]
    assert not unnamed


def test_the_staff_page_shows_names_not_codes(db):
    executor = UserFactory(roles=[Role.EXECUTOR])
    ProfileFactory(user=executor)
    OutgoingEmail.objects.create(
        kind="fund/email/decision_award", recipients="a@example.com", next_attempt_at=timezone.now()
    )
    client = Client()
    client.force_login(executor)

    page = client.get("/staff/mail-and-jobs/").text

    assert "Fund: award offer" in page
    assert ">fund/email/decision_award<" not in page
    assert "Email: send what is waiting in the queue" in page
