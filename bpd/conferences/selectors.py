"""Reads of the conference list: what the public pages, members and staff see."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils import timezone

from bpd.conferences.models import Conference, Deadline, Follow, Speaker
from bpd.members import regions
from bpd.members.selectors import ProfileView, directory
from bpd.members.visibility import Visibility, reach

# UN M49 regions (the "region" level): the filter's choices.
REGIONS = ("002", "019", "142", "150", "009")
# Deadlines that say "money to travel is available".
SUPPORT_KINDS = (Deadline.Kind.FINANCIAL_AID, Deadline.Kind.OPPORTUNITY_GRANT)
# A page's [[component:conferences]] shows the soonest ones and links to the rest.
COMPONENT_CONFERENCES = 20


def upcoming_deadlines_prefetch(now=None):
    """Each conference's deadlines still ahead, soonest first (as `upcoming_deadlines`)."""
    return Prefetch(
        "deadlines",
        queryset=Deadline.objects.filter(due_at__gte=now or timezone.now()).order_by("due_at"),
        to_attr="upcoming_deadlines",
    )


def conference_list(*, region="", country="", online=None, support=False, tag="", now=None):
    """Published conferences not yet over, soonest first, filtered; each with
    `upcoming_deadlines` (the next one first)."""
    now = now or timezone.now()
    conferences = Conference.objects.published().upcoming(now.date())
    if country:
        conferences = conferences.filter(country=country.upper())
    elif region:
        conferences = conferences.filter(country__in=regions.countries_in(region))
    if online is True:
        conferences = conferences.filter(online=True)
    elif online is False:
        conferences = conferences.filter(online=False)
    if support:
        conferences = conferences.filter(
            deadlines__kind__in=SUPPORT_KINDS, deadlines__due_at__gte=now
        ).distinct()
    if tag:
        conferences = conferences.filter(tags__icontains=f'"{tag}"')
    return conferences.prefetch_related(upcoming_deadlines_prefetch(now)).order_by(
        "starts_on", "name"
    )


def page_component(request, language):
    """A page's `[[component:conferences]]`: the soonest published conferences not yet
    over, as the list orders them; one query. None (nothing shown) while there is none."""
    conferences = list(
        Conference.objects.published()
        .upcoming()
        .order_by("starts_on", "name")[:COMPONENT_CONFERENCES]
    )
    return {"conferences": conferences} if conferences else None


def all_tags():
    """The tags of the upcoming published conferences, sorted (for the filter)."""
    rows = Conference.objects.published().upcoming().exclude(tags=[]).values_list("tags", flat=True)
    return sorted({str(tag) for tags in rows for tag in tags if tag}, key=str.casefold)


def deadline_list(*, kind="", now=None):
    """Deadlines still ahead at published conferences, soonest first."""
    deadlines = Deadline.objects.filter(
        due_at__gte=now or timezone.now(), conference__status=Conference.Status.PUBLISHED
    ).select_related("conference")
    if kind:
        deadlines = deadlines.filter(kind=kind)
    return deadlines.order_by("due_at", "conference__name")


def feed_deadlines(now=None):
    """What the public deadline feed carries: from 30 days ago on (calendars keep the past)."""
    since = (now or timezone.now()) - dt.timedelta(days=30)
    return (
        Deadline.objects.filter(due_at__gte=since, conference__status=Conference.Status.PUBLISHED)
        .select_related("conference")
        .order_by("due_at", "pk")
    )


def published(slug):
    """A published conference by its address, or None."""
    return (
        Conference.objects.published()
        .filter(slug=slug)
        .prefetch_related(Prefetch("deadlines", queryset=Deadline.objects.order_by("due_at")))
        .first()
    )


@dataclass
class SpeakerCard:
    title: str
    name: str  # "" when the viewer may not see the name
    profile_pk: int | None  # set when the viewer may open the profile


def speakers(conference, viewer):
    """BPD members speaking, who said they may be shown. A name appears only as far as
    the member shares it with everyone signed in (or the public, for visitors): this page
    is the same for every member, so it never shows what only leaders may see."""
    rows = list(
        Speaker.objects.filter(conference=conference, consent=True)
        .select_related("member__profile")
        .order_by("pk")
    )
    if not rows:
        return []
    signed_in = viewer.is_authenticated
    audience = Visibility.MEMBERS if signed_in else Visibility.PUBLIC
    openable = set()
    if signed_in:
        openable = set(
            directory(max(reach(viewer), Visibility.MEMBERS))
            .filter(user__in=[row.member_id for row in rows])
            .values_list("user_id", flat=True)
        )
    cards = []
    for row in rows:
        profile = getattr(row.member, "profile", None)
        if profile is None:
            cards.append(SpeakerCard(row.title, "", None))
            continue
        own = signed_in and viewer.pk == row.member_id
        view = ProfileView(profile, viewer) if own else ProfileView(profile, audience=audience)
        name = view.display_name
        link = profile.pk if name and (own or row.member_id in openable) else None
        cards.append(SpeakerCard(row.title, name, link))
    return cards


def is_following(conference, user):
    return (
        user.is_authenticated and Follow.objects.filter(conference=conference, member=user).exists()
    )


def own_talk(conference, user):
    if not user.is_authenticated:
        return None
    return Speaker.objects.filter(conference=conference, member=user).first()


def suggestions_by(user):
    """What a member suggested, newest first, with its state."""
    return Conference.objects.filter(suggested_by=user).order_by("-created_at")


def moderation_queue():
    """Suggestions waiting for staff (members' and Fund applicants' alike), oldest first."""
    return (
        Conference.objects.filter(status=Conference.Status.SUGGESTED)
        .select_related("suggested_by")
        .order_by("created_at", "pk")
    )


def published_for_staff(*, q=""):
    conferences = Conference.objects.published().upcoming()
    if q:
        conferences = conferences.filter(Q(name__icontains=q) | Q(city__icontains=q))
    return conferences.order_by("starts_on", "name")


def next_change(now=None) -> dt.datetime:
    """When cached public conference pages next go stale with nobody saving anything: the
    next deadline passing, or the next midnight UTC (a conference that ended leaves the
    list, and "in 3 days" becomes "in 2 days")."""
    now = now or timezone.now()
    midnight = dt.datetime.combine(now.astimezone(dt.UTC).date(), dt.time(), tzinfo=dt.UTC)
    moments = [midnight + dt.timedelta(days=1)]
    due = (
        Deadline.objects.filter(conference__status=Conference.Status.PUBLISHED, due_at__gt=now)
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )
    if due is not None:
        moments.append(due)
    return min(moments)
