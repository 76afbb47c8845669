"""Sponsorship on the members' hub: a card for leaders (their requests, a new one) and
executors (the queue, the policy), and what waits for each: requests to decide for
executors, requests sent back or to report on for leaders. A few queries whatever the
data size."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bpd.communities import sponsorship_selectors as selectors
from bpd.communities.models import Community, SponsorshipRequest
from bpd.members.roles import is_executor
from bpd.website import registry
from bpd.website.registry import HubCard, Task

S = SponsorshipRequest.Status
SHOWN = 3


def card(user):
    executor = is_executor(user)
    leads = Community.objects.led_by(user).exists()
    if not (executor or leads):
        return None
    links = []
    if leads:
        for row in selectors.for_leader(user)[:SHOWN]:
            links.append(
                (
                    _("%(event)s: %(state)s")
                    % {"event": row.title, "state": row.get_status_display()},
                    reverse("communities:sponsorship_request", args=[row.pk]),
                )
            )
        links += [
            (_("Your sponsorship requests"), reverse("communities:sponsorship")),
            (_("Request sponsorship"), reverse("communities:sponsorship_new")),
        ]
    if executor:
        links += [
            (_("Sponsorship requests to review"), reverse("communities:sponsorship_review")),
            (_("Sponsorship policy"), reverse("communities:sponsorship_policy")),
        ]
    links.append((_("Local events BPD sponsored"), reverse("communities:sponsored")))
    return HubCard(
        title=_("Sponsorship"),
        summary=_(
            "BPD sponsors local conferences and meetups: the money buys tickets for members."
        ),
        links=links,
    )


def tasks(user):
    if is_executor(user):
        waiting = selectors.waiting_count()
        if waiting:
            yield Task(
                text=ngettext(
                    "%(count)s sponsorship request waiting",
                    "%(count)s sponsorship requests waiting",
                    waiting,
                )
                % {"count": waiting},
                url=reverse("communities:sponsorship_review"),
            )
    for row in selectors.needs_leader(user):
        if row.status == S.CHANGES_REQUESTED:
            text = _("Make the changes asked for and send it again: %(event)s")
        else:
            text = _("Write the report on the sponsored tickets: %(event)s")
        yield Task(
            text=text % {"event": row.title},
            url=reverse("communities:sponsorship_request", args=[row.pk]),
            due=row.ends_on if row.status == S.TICKETS_ISSUED else None,
        )


def sitemap_entries():
    """The public list of completed sponsorships, in every language."""
    return registry.in_every_language("communities/sponsored/")
