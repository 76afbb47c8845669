"""What waits for a member on the hub from events: a seat offered to them, to confirm
before its deadline. One query whatever the data size."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bpd.events.models import Rsvp
from bpd.website.registry import Task


def tasks(user):
    offers = (
        Rsvp.objects.filter(
            member=user,
            status=Rsvp.Status.OFFERED,
            offer_expires_at__gt=timezone.now(),
            occurrence__cancelled=False,
        )
        .select_related("occurrence__event")
        .order_by("offer_expires_at")
    )
    for row in offers:
        yield Task(
            text=_("Confirm the seat offered to you: %(event)s")
            % {"event": row.occurrence.event.title},
            url=reverse("events:mine") + "#offers",
            due=row.offer_expires_at,
            urgent=True,
        )
