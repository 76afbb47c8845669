"""Local communities on the members' hub: a card with the communities this member leads
(edit, new event, and what other parts of the app add for leaders), the ones they joined
or follow with their next event, and the communities' pages. Two queries whatever the
data size.

Other parts of the communities app add their own links here instead of editing the card:
`add_leader_link(label, url_name)` for each community a member leads (the URL takes the
community's slug), `add_member_link(label, url_name)` for every member. Both are called
from `CommunitiesConfig.ready()`; name only URLs that exist."""

from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bpd.communities.models import Community, Membership
from bpd.events.models import Event, Occurrence
from bpd.members.roles import is_executor
from bpd.website.registry import HubCard
from bpd.website.templatetags.bpd import moment

SHOWN = 3


@dataclass(frozen=True)
class _Link:
    order: int
    label: object  # a lazy translation, translated per request
    url_name: str


_LEADER_LINKS: list[_Link] = []
_MEMBER_LINKS: list[_Link] = []


def add_leader_link(label, url_name, *, order=50):
    """A link for each active community the member leads, to `url_name` reversed with the
    community's slug (e.g. "Request sponsorship"). Shown on the hub card and on "Your
    communities" beside edit and new event."""
    _LEADER_LINKS.append(_Link(order, label, url_name))
    _LEADER_LINKS.sort(key=lambda link: link.order)


def add_member_link(label, url_name, *, order=50):
    """A link for every member on the card (e.g. "Sponsored tickets you can apply for");
    `url_name` takes no arguments."""
    _MEMBER_LINKS.append(_Link(order, label, url_name))
    _MEMBER_LINKS.sort(key=lambda link: link.order)


def leader_links(community) -> list[tuple[str, str]]:
    """[(label, url)] of what a leader does for `community`: edit it, create an event,
    and whatever was added with `add_leader_link`."""
    slug = community.slug
    links = [
        (_("Edit the community"), reverse("communities:edit", args=[slug])),
        (_("New event"), reverse("communities:new_event", args=[slug])),
    ]
    links += [(str(link.label), reverse(link.url_name, args=[slug])) for link in _LEADER_LINKS]
    return links


def _memberships(user):
    """The first communities `user` joined or follows, each with the title and start of
    its next published, not cancelled date (`next_title`, `next_start`): one query."""
    coming = Occurrence.objects.filter(
        event__community_host__community=OuterRef("community"),
        event__status=Event.Status.PUBLISHED,
        cancelled=False,
        ends_at__gte=timezone.now(),
    ).order_by("starts_at", "pk")
    return (
        Membership.objects.filter(user=user, community__status=Community.Status.ACTIVE)
        .select_related("community")
        .annotate(
            next_title=Subquery(coming.values("event__title")[:1]),
            next_start=Subquery(coming.values("starts_at")[:1]),
        )
        .order_by("community__name", "pk")[:SHOWN]
    )


def card(user):
    links = []
    led = Community.objects.led_by(user).filter(status=Community.Status.ACTIVE)
    for community in led.order_by("name", "pk")[:SHOWN]:
        for label, url in leader_links(community):
            links.append(
                (
                    _("%(community)s: %(action)s") % {"community": community.name, "action": label},
                    url,
                )
            )
    for row in _memberships(user):
        label = row.community.name
        if row.next_title:
            label = _("%(community)s: %(event)s, %(time)s") % {
                "community": label,
                "event": row.next_title,
                "time": moment(row.next_start),
            }
        links.append((label, reverse("communities:detail", args=[row.community.slug])))
    links += [(str(link.label), reverse(link.url_name)) for link in _MEMBER_LINKS]
    links += [
        (_("Your communities"), reverse("communities:mine")),
        (_("All local communities"), reverse("communities:index")),
        (_("Propose a community"), reverse("communities:propose")),
    ]
    if is_executor(user):
        links.append((_("Community proposals and leaders"), reverse("communities:manage")))
    return HubCard(
        title=_("Local communities"),
        summary=_("Meetups and chapters near you: join one, follow its events, or start one."),
        links=list(dict.fromkeys(links)),
    )
