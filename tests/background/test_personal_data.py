"""Issue 12, item 16: the record of emails sent to a member, written for people in their
"download my data": each email by its kind's name, its status in words."""

from django.utils import timezone, translation

from bpd.background import personal_data
from bpd.background.models import OutgoingEmail
from tests.factories import UserFactory


def _email(address, kind, status="sent"):
    return OutgoingEmail.objects.create(
        kind=kind, recipients=address, subject="Your code", status=status,
        next_attempt_at=timezone.now(), sent_at=timezone.now() if status == "sent" else None,
    )  # fmt: skip


def test_emails_read_as_their_kinds_names_and_statuses(db):
    member = UserFactory()
    _email(member.email, "account/login_code")
    _email(member.email, "other", status="queued")

    [section] = personal_data.readable(personal_data.collect(member))

    assert section.title == "Emails we sent you"
    (kind, subject, details), (other, _subject, waiting) = section.rows
    assert (kind, subject) == ("Sign-in code", "Your code")
    assert details[0] == ("Status", "Sent")
    assert [label for label, _text in details] == ["Status", "Queued at", "Sent at"]
    assert other == "Email"  # a kind nobody named is not shown as its code
    assert waiting[0] == ("Status", "Waiting to be sent")


def test_emails_read_in_the_readers_language(db):
    member = UserFactory()
    _email(member.email, "fund/email/decision_award")

    with translation.override("fr"):
        [section] = personal_data.readable(personal_data.collect(member))

    kind, _subject, details = section.rows[0]
    assert kind == "Fonds : offre d'aide"
    assert details[0] == ("Statut", "Envoyé")
