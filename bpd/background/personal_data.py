"""The background app's part of "download my data" and "delete my account": the
record of emails sent to the member (never their text, which is not kept once sent)."""

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from bpd.background.models import OutgoingEmail
from bpd.website import mail
from bpd.website.registry import Section
from bpd.website.templatetags.bpd import moment


def _addressed_to(user):
    address = user.email.lower()
    rows = OutgoingEmail.objects.filter(recipients__icontains=address)
    return [
        row
        for row in rows.order_by("created_at", "pk")
        if address in (r.strip().lower() for r in row.recipients.split(","))
    ]


def collect(user):
    return [
        {
            "kind": row.kind,
            "subject": row.subject,
            "status": row.status,
            "queued_at": row.created_at,
            "sent_at": row.sent_at,
        }
        for row in _addressed_to(user)
    ]


def forget(user, published):
    rows = _addressed_to(user)
    OutgoingEmail.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return len(rows)


def readable(data):
    """The emails for people: each by its kind's name and subject, its status in words."""
    statuses = dict(OutgoingEmail.Status.choices)
    rows = []
    for email in data:
        kind = mail.kind_label(email["kind"])
        under = [
            (_label("status"), str(statuses.get(email["status"], email["status"]))),
            (_label("created_at"), moment(email["queued_at"])),
            (_label("sent_at"), moment(email["sent_at"])),
        ]
        rows.append(
            (
                kind if kind != email["kind"] else _("Email"),
                email["subject"],
                [(label, text) for label, text in under if text],
            )
        )
    return [Section(_("Emails we sent you"), rows)]


def _label(name):
    return str(capfirst(OutgoingEmail._meta.get_field(name).verbose_name))
