"""The members app's scheduled work (run by the task worker, see bpd.background)."""

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bpd.background import jobs
from bpd.members.models import Invite

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
