"""Reads for the communities' pages and the hub: the directory with member counts and
next events, one community's page (its text in the reader's language, its leaders as
each allows, its coming events), what a member leads, joined, follows and proposed,
and who may edit which community. Each in a fixed number of queries whatever the data
size (tests/communities hold the directory and "your communities" at two sizes)."""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from bpd.communities.models import (
    Community,
    CommunityText,
    HostedEvent,
    Leadership,
    Membership,
)
from bpd.events.models import Event, Occurrence
from bpd.members import regions
from bpd.members.roles import is_executor
from bpd.members.selectors import ProfileView
from bpd.members.visibility import Visibility
from bpd.website import languages

S = Community.Status
# A community's page stays up once it is active, closed or not (people have the link).
LISTED = (S.ACTIVE, S.CLOSED)
EVENTS_ON_PAGE = 6


# --- Who sees which community ------------------------------------------------------------


def visible_to(user):
    """Communities `user` may open: active and closed ones for everyone; a proposal (or a
    declined one) for whoever proposed it and executors."""
    listed = Community.objects.filter(status__in=LISTED)
    if user is None or not user.is_authenticated:
        return listed
    if is_executor(user):
        return Community.objects.all()
    return Community.objects.filter(Q(status__in=LISTED) | Q(proposed_by=user))


def editable_by(user):
    """Communities `user` may edit: executors any that is not closed or declined; a
    leader the active communities they lead (never another's)."""
    if not user.is_authenticated:
        return Community.objects.none()
    if is_executor(user):
        return Community.objects.exclude(status__in=(S.CLOSED, S.DECLINED))
    return Community.objects.led_by(user).filter(status=S.ACTIVE)


def hosting_for(user):
    """Communities for which `user` may create events: the active ones they lead, or any
    active one for executors."""
    if not user.is_authenticated:
        return Community.objects.none()
    if is_executor(user):
        return Community.objects.active()
    return Community.objects.led_by(user).filter(status=S.ACTIVE)


def leads_any(user) -> bool:
    """Whether `user` leads an active community (lets them open the events organiser)."""
    return Community.objects.led_by(user).filter(status=S.ACTIVE).exists()


def organiser_scope(user):
    """The events a community's leaders manage: those their active communities host."""
    return Q(
        community_host__community__leaderships__user=user,
        community_host__community__status=S.ACTIVE,
    )


def host_of_event(event):
    """(name, url) of the community hosting `event`, for the event's page (None if none)."""
    hosted = HostedEvent.objects.filter(event=event).select_related("community").first()
    if hosted is None:
        return None
    community = hosted.community
    return community.name, reverse("communities:detail", args=[community.slug])


# --- The directory ------------------------------------------------------------------------


def _next_date(now):
    """A subquery: the first coming, not cancelled date of a published event the
    community (OuterRef "pk") hosts."""
    return (
        Occurrence.objects.filter(
            event__community_host__community=OuterRef("pk"),
            event__status=Event.Status.PUBLISHED,
            cancelled=False,
            ends_at__gte=now,
        )
        .order_by("starts_at", "pk")
        .values("pk")[:1]
    )


def directory(*, region="", country="", now=None):
    """Active communities by name, each with `members` (joined, not following) and
    `next_date_id` (its next hosted date, see `next_dates`); filtered by UN M49 region or
    country."""
    now = now or timezone.now()
    found = Community.objects.active().select_related("city")
    if region:
        found = found.filter(country__in=regions.countries_in(region))
    if country:
        found = found.filter(country=country)
    members = Membership.objects.filter(community=OuterRef("pk"), kind=Membership.Kind.MEMBER)
    return found.annotate(
        members=_count(members),
        next_date_id=Subquery(_next_date(now)),
    ).order_by("name", "pk")


def _count(rows):
    """A subquery counting `rows` (filtered on OuterRef("pk")), 0 when there are none."""
    counted = rows.order_by().values("community").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted), 0)


def next_dates(communities) -> dict:
    """{date id: Occurrence with its event} for the `next_date_id`s of `communities`."""
    ids = [c.next_date_id for c in communities if c.next_date_id]
    if not ids:
        return {}
    return {o.pk: o for o in Occurrence.objects.filter(pk__in=ids).select_related("event")}


def countries():
    """Countries with an active community: [(code, name in the reader's language)],
    sorted by name."""
    codes = Community.objects.active().order_by().values_list("country", flat=True).distinct()
    named = [(code, languages.country_name(code)) for code in set(codes)]
    return sorted(named, key=lambda pair: languages.sort_key(pair[1]))


# --- One community ------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    description: str
    language: str  # the language the text is in
    translated: bool  # False: the reader's language had none, this is the original


def text_for(community, language=None) -> Text:
    """The description in the reader's language, else the one it was written in."""
    language = language or languages.current()
    if language != community.language:
        found = (
            CommunityText.objects.filter(community=community, language=language)
            .values_list("description", flat=True)
            .first()
        )
        if found:
            return Text(found, language, True)
        return Text(community.description, community.language, False)
    return Text(community.description, community.language, True)


@dataclass(frozen=True)
class Leader:
    name: str  # "" when the leader does not share it with this audience
    is_self: bool = False


def leaders(community, viewer) -> list[Leader]:
    """The community's leaders, each named only as far as they share their name with
    everyone signed in (or the public, for visitors). The page is the same for every
    member, so it never shows what a leader shares with leaders and staff only; a
    leader sees their own name."""
    rows = Leadership.objects.filter(community=community).select_related("user__profile")
    signed_in = viewer is not None and viewer.is_authenticated
    audience = Visibility.MEMBERS if signed_in else Visibility.PUBLIC
    found = []
    for row in rows:
        profile = getattr(row.user, "profile", None)
        own = signed_in and row.user_id == viewer.pk
        if profile is None:
            found.append(Leader("", own))
            continue
        view = ProfileView(profile, viewer) if own else ProfileView(profile, audience=audience)
        found.append(Leader(view.display_name, own))
    return found


def member_count(community) -> int:
    return Membership.objects.filter(community=community, kind=Membership.Kind.MEMBER).count()


def membership_of(community, user):
    """`user`'s Membership of `community`, or None (no query for visitors)."""
    if user is None or not user.is_authenticated:
        return None
    return Membership.objects.filter(community=community, user=user).first()


def coming_events(community, *, now=None, limit=EVENTS_ON_PAGE):
    """The community's published events still to come, each once at its next date (not
    cancelled), soonest first, with the event and its city."""
    now = now or timezone.now()
    first = (
        Occurrence.objects.filter(event=OuterRef("event"), ends_at__gte=now, cancelled=False)
        .order_by("starts_at", "pk")
        .values("pk")[:1]
    )
    return list(
        Occurrence.objects.public()
        .filter(event__community_host__community=community, pk=Subquery(first))
        .select_related("event", "event__city")
        .order_by("starts_at", "pk")[:limit]
    )


# --- A member's communities ----------------------------------------------------------------


@dataclass
class Mine:
    led: list
    joined: list
    followed: list
    proposed: list


def mine(user) -> Mine:
    """What `user` leads, joined, follows and proposed (every proposal, with its state):
    three queries."""
    led = list(Community.objects.led_by(user).select_related("city").order_by("name", "pk"))
    rows = (
        Membership.objects.filter(user=user)
        .select_related("community__city")
        .order_by("community__name", "pk")
    )
    joined, followed = [], []
    for row in rows:
        if row.community.status == S.ACTIVE:
            (joined if row.kind == Membership.Kind.MEMBER else followed).append(row.community)
    proposed = list(
        Community.objects.filter(proposed_by=user).select_related("city").order_by("-created_at")
    )
    return Mine(led=led, joined=joined, followed=followed, proposed=proposed)


# --- Executors ---------------------------------------------------------------------------


def waiting_proposals():
    """Proposals waiting for a decision, oldest first, with the city and proposer."""
    return (
        Community.objects.filter(status=S.PROPOSED)
        .select_related("city", "proposed_by")
        .order_by("created_at", "pk")
    )


def for_staff(*, status=""):
    """Every community that is not a waiting proposal (or those of `status`), by name,
    with `leaders` and `members` counted."""
    found = Community.objects.exclude(status=S.PROPOSED)
    if status:
        found = Community.objects.filter(status=status)
    leaders_count = Leadership.objects.filter(community=OuterRef("pk")).order_by()
    members = Membership.objects.filter(
        community=OuterRef("pk"), kind=Membership.Kind.MEMBER
    ).order_by()
    return (
        found.select_related("city")
        .annotate(
            leaders=_count(leaders_count),
            members=_count(members),
        )
        .order_by("name", "pk")
    )


def staff_leaders(community):
    """The community's leaders for executors: their email (staff add and remove leaders
    by it) and when they were added."""
    return list(
        Leadership.objects.filter(community=community)
        .select_related("user", "added_by")
        .order_by("added_at", "pk")
    )
