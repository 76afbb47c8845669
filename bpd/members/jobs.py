"""The members app's scheduled work (run by the task worker, see bpd.background)."""

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bpd.background import jobs
from bpd.members.models import ContactMessage, Invite

INVITES_KEPT = dt.timedelta(days=30)  # an unused invite, after it expired or was revoked


@jobs.job(
    "members.old_invites",
    every=jobs.DAILY,
    label=_("Members: remove invites unused a month after they ended"),
)
def remove_old_invites(*, now=None):
    now = now or timezone.now()
    _, deleted = (
        Invite.objects.filter(
            Q(expires_at__lt=now - INVITES_KEPT) | Q(revoked_at__lt=now - INVITES_KEPT)
        )
        .filter(redemptions__isnull=True)
        .delete()
    )
    return f"{deleted.get('members.Invite', 0)} old invites removed"


# Who wrote to whom through the expertise directory (never what): kept for the rate limits
# and for a member who asks what reached them, then removed.
CONTACT_KEPT = dt.timedelta(days=30)


@jobs.job(
    "members.old_contact_messages",
    every=jobs.DAILY,
    label=_("Members: forget messages through the expertise directory after 30 days"),
)
def remove_old_contact_messages(*, now=None):
    now = now or timezone.now()
    deleted, _by_model = ContactMessage.objects.filter(created_at__lt=now - CONTACT_KEPT).delete()
    return f"{deleted} old contact records removed"
