"""The background app's part of "download my data" and "delete my account": the
record of emails sent to the member (never their text, which is not kept once sent)."""

from bpd.background.models import OutgoingEmail


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
