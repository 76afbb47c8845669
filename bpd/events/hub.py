"""Events on the members' hub: a card with this member's next seats, the deadlines of
the conferences they follow, and the events pages they can use.

A fixed number of queries whatever the data size (tests/events/test_hub.py holds it at
two sizes); what waits for the member (offers to confirm) is in hub_tasks.py."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bpd.conferences.models import Deadline
from bpd.events import selectors
from bpd.events.hub_links import organiser_links
from bpd.website.registry import HubCard
from bpd.website.templatetags.bpd import moment

SHOWN = 3


def card(user):
    links = []
    for rsvp in selectors.my_seats(user, limit=SHOWN):
        occurrence = rsvp.occurrence
        links.append(
            (
                _("%(event)s, %(time)s")
                % {"event": occurrence.event.title, "time": moment(occurrence.starts_at)},
                reverse("events:detail", args=[occurrence.event.slug]),
            )
        )
    deadlines = (
        Deadline.objects.filter(conference__follows__member=user, due_at__gte=timezone.now())
        .select_related("conference")
        .order_by("due_at")[:SHOWN]
    )
    for deadline in deadlines:
        links.append(
            (
                _("%(conference)s: %(deadline)s, %(time)s")
                % {
                    "conference": deadline.conference.name,
                    "deadline": deadline.get_kind_display(),
                    "time": moment(deadline.due_at),
                },
                reverse("conferences:detail", args=[deadline.conference.slug]),
            )
        )
    links += [
        (_("What's on: all events"), reverse("events:index")),
        (_("Your RSVPs and waiting list places"), reverse("events:mine")),
        (_("Reminders and your calendar feed"), reverse("events:calendar_settings")),
        (_("Python conferences and their deadlines"), reverse("conferences:index")),
        *organiser_links(user),
    ]
    return HubCard(
        title=_("Events"),
        summary=_("Your next events and the deadlines you follow, in your time zone."),
        links=list(dict.fromkeys(links)),
    )
