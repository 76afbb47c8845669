"""Writes for local communities: proposing one, the executors' decision, editing it,
closing it, its leaders, members joining or following, and the events it hosts.

Each function is one change: it checks the state it starts from inside a transaction,
writes, records itself in the audit log (`communities.*` verbs) and emails people only
once the change has committed. Joining, following and leaving are a member's own choice
about themselves and are not audited (like RSVPs and conference follows)."""

import secrets
import zoneinfo
from functools import cache

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bpd.audit import services as audit
from bpd.audit.verbs import Verb
from bpd.communities.models import Community, CommunityText, HostedEvent, Leadership, Membership
from bpd.events import services as events
from bpd.events.models import Event
from bpd.members import mail
from bpd.members import services as members
from bpd.members.models import User
from bpd.members.roles import Role
from bpd.website import images, slugs

S = Community.Status
# The logo is kept as a WebP at most this wide (pages show it at 160 CSS pixels).
LOGO_WIDTH = 320
# Proposals one member may have waiting at once: enough for a real need, not for a flood.
MAX_WAITING_PROPOSALS = 3
# What the audit log compares when a community is edited.
FIELDS = ("name", "city", "language", "description", "website", "links", "logo")


class CommunityError(Exception):
    """A change the community's state does not allow; the message is for the person."""


def _snapshot(community):
    values = {name: getattr(community, name) for name in FIELDS if name not in {"city", "logo"}}
    values["city"] = community.city_id
    values["logo"] = community.logo.name if community.logo else ""
    values["texts"] = {
        text.language: text.description for text in community.texts.order_by("language")
    }
    return values


def _changed(before, after):
    keys = [key for key in after if after[key] != before.get(key)]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}


# --- Addresses -----------------------------------------------------------------------


def _reserved(slug):
    """Whether /communities/<slug>/ is another page of the app ("manage", "mine", or a
    path another part of the app lists before the communities' own pages)."""
    return slugs.answered_elsewhere("communities:detail", slug)


def _unique_slug(name):
    return slugs.unique_slug(
        Community.objects.all(), name, fallback="community", url_name="communities:detail"
    )


# --- The logo ------------------------------------------------------------------------


def _store_logo(community, upload):
    """Keep a WebP copy of `upload` (checked with images.check_upload by the form) under a
    new random name; the old file goes once the change is committed."""
    content, width, height = images.webp_rendition(upload, width=LOGO_WIDTH)
    _drop_logo(community)
    community.logo.save(f"{secrets.token_urlsafe(18)}.webp", content, save=False)
    community.logo_width, community.logo_height = width, height


def _drop_logo(community):
    old = community.logo.name if community.logo else ""
    if old:
        storage = community.logo.storage
        transaction.on_commit(lambda: storage.delete(old))
    community.logo = ""
    community.logo_width = community.logo_height = None


# --- Proposing and deciding -------------------------------------------------------------


def _check_name_free(name, city, exclude=None):
    taken = Community.objects.filter(name__iexact=name.strip(), city=city)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise CommunityError(
            _("A community with this name already exists in %(city)s.") % {"city": city.name}
        )


def propose(*, by, data: dict, logo=None) -> Community:
    """A member proposes a community: it waits for executors (status "proposed").
    `data`: name, city, language, description, website, links."""
    with transaction.atomic():
        # Serialise one member's proposals, so two at once cannot pass the limit.
        User.objects.select_for_update().filter(pk=by.pk).first()
        waiting = Community.objects.filter(proposed_by=by, status=S.PROPOSED).count()
        if waiting >= MAX_WAITING_PROPOSALS:
            raise CommunityError(
                _(
                    "You have %(count)s proposals waiting for a decision already. Please wait "
                    "for them before proposing another."
                )
                % {"count": waiting}
            )
        _check_name_free(data["name"], data["city"])
        community = Community(
            name=data["name"].strip(),
            city=data["city"],
            country=data["city"].country,
            language=data["language"],
            description=data["description"].strip(),
            website=data.get("website", ""),
            links=data.get("links", ""),
            proposed_by=by,
            status=S.PROPOSED,
            slug=_unique_slug(data["name"]),
        )
        if logo:
            _store_logo(community, logo)
        try:
            with transaction.atomic():
                community.save()
        except IntegrityError:
            raise CommunityError(
                _("A community with this name already exists in %(city)s.")
                % {"city": data["city"].name}
            ) from None
        audit.log(
            actor=by,
            verb=Verb.COMMUNITY_PROPOSED,
            subject=community,
            person=by,
            after=_snapshot(community),
        )
    return community


def _locked(community):
    return Community.objects.select_for_update().select_related("city").get(pk=community.pk)


def _decide(community, *, by, note, to, verb, refused):
    """Proposed → `to`: the decision, its audit entry; returns the locked community."""
    community = _locked(community)
    if community.status != S.PROPOSED:
        raise CommunityError(refused)
    community.status = to
    community.decision_note = note
    community.decided_by = by
    community.decided_at = timezone.now()
    community.save(update_fields=["status", "decision_note", "decided_by", "decided_at"])
    audit.log(
        actor=by,
        verb=verb,
        subject=community,
        person=community.proposed_by,
        before={"status": S.PROPOSED},
        after={"status": to},
        reason=note,
    )
    return community


def approve(*, community, by, note="") -> Community:
    """Proposed → active. Whoever proposed it becomes its first leader (and gets the
    leader role) and is emailed in their language."""
    note = " ".join((note or "").split())[:500]
    with transaction.atomic():
        community = _decide(
            community, by=by, note=note, to=S.ACTIVE, verb=Verb.COMMUNITY_APPROVED,
            refused=_("Only a proposal waiting for a decision can be approved."),
        )  # fmt: skip
        proposer = community.proposed_by
        if proposer is not None and proposer.is_active:
            _make_leader(community, proposer, by=by)
            _email_on_commit(proposer, "community_approved", community=community)
    return community


def decline(*, community, by, note) -> Community:
    """Proposed → declined, with a note the proposer reads (emailed in their language)."""
    note = " ".join((note or "").split())[:500]
    if not note:
        raise CommunityError(_("Say why: the member who proposed it reads it."))
    with transaction.atomic():
        community = _decide(
            community, by=by, note=note, to=S.DECLINED, verb=Verb.COMMUNITY_DECLINED,
            refused=_("Only a proposal waiting for a decision can be declined."),
        )  # fmt: skip
        proposer = community.proposed_by
        if proposer is not None and proposer.is_active:
            _email_on_commit(proposer, "community_declined", community=community)
    return community


# --- Editing and closing --------------------------------------------------------------------


def save_community(
    *, community, by, data: dict, texts: dict, logo=None, remove_logo=False
) -> Community:
    """Edit a community: `data` holds any of FIELDS except the logo (leaders edit the
    description, website and links; executors also the name, city and language);
    `texts`: {language: description} for the other languages, "" removing one."""
    with transaction.atomic():
        community = _locked(community)
        if community.status in (S.CLOSED, S.DECLINED):
            raise CommunityError(_("A closed or declined community cannot be changed."))
        before = _snapshot(community)
        name, city = data.get("name", community.name), data.get("city", community.city)
        if name.strip().casefold() != community.name.casefold() or city != community.city:
            _check_name_free(name, city, exclude=community)
        for key in ("name", "language", "description", "website", "links"):
            if key in data:
                value = data[key]
                setattr(community, key, value.strip() if isinstance(value, str) else value)
        if "city" in data:
            community.city, community.country = city, city.country
        if remove_logo:
            _drop_logo(community)
        elif logo:
            _store_logo(community, logo)
        try:
            with transaction.atomic():
                community.save()
        except IntegrityError:
            raise CommunityError(
                _("A community with this name already exists in %(city)s.") % {"city": city.name}
            ) from None
        for language, text in texts.items():
            text = (text or "").strip()
            if language == community.language or not text:
                CommunityText.objects.filter(community=community, language=language).delete()
            else:
                CommunityText.objects.update_or_create(
                    community=community, language=language, defaults={"description": text}
                )
        old, new = _changed(before, _snapshot(community))
        if new:
            audit.log(
                actor=by, verb=Verb.COMMUNITY_CHANGED, subject=community, before=old, after=new
            )
    return community


def close(*, community, by, reason) -> Community:
    """Active → closed: it leaves the directory and its leaders no longer act for it (its
    page stays, marked, for people who have the link). Leaderships and memberships stay."""
    reason = " ".join((reason or "").split())[:500]
    if not reason:
        raise CommunityError(_("Say why the community is closed."))
    with transaction.atomic():
        community = _locked(community)
        if community.status != S.ACTIVE:
            raise CommunityError(_("Only an active community can be closed."))
        community.status = S.CLOSED
        community.save(update_fields=["status"])
        audit.log(
            actor=by,
            verb=Verb.COMMUNITY_CLOSED,
            subject=community,
            before={"status": S.ACTIVE},
            after={"status": S.CLOSED},
            reason=reason,
        )
    return community


# --- Leaders ---------------------------------------------------------------------------


def _make_leader(community, user, *, by):
    """Inside a transaction: `user` leads `community` and holds the leader role. The
    audit entry records whether this gave them the role (see `remove_leader`)."""
    leadership, created = Leadership.objects.get_or_create(
        community=community, user=user, defaults={"added_by": by}
    )
    if not created:
        return leadership
    granted = members.grant_scoped_role(
        user=user, role=Role.LEADER, by=by, reason=f"leads community {community.pk}"
    )
    audit.log(
        actor=by,
        verb=Verb.LEADER_ADDED,
        subject=community,
        person=user,
        after={"leader": user.email},
        role_granted=granted,
    )
    return leadership


def add_leader(*, community, by, email) -> Leadership:
    """An executor makes the member with `email` a leader of an active community; they
    get the leader role if they lack it, and an email in their language."""
    email = (email or "").strip()
    user = User.objects.filter(email__iexact=email, is_active=True).first() if email else None
    if user is None:
        raise CommunityError(_("No member has this email address. They must join BPD first."))
    with transaction.atomic():
        community = _locked(community)
        if community.status != S.ACTIVE:
            raise CommunityError(_("Leaders are added to an active community only."))
        if Leadership.objects.filter(community=community, user=user).exists():
            raise CommunityError(_("This member leads this community already."))
        leadership = _make_leader(community, user, by=by)
        _email_on_commit(user, "community_leader_added", community=community)
    return leadership


def remove_leader(*, leadership, by, reason) -> None:
    """An executor removes a leader, with a reason (emailed to them). When this was the
    last community they led and a leadership is what gave them the leader role (an
    earlier LEADER_ADDED entry about them says so), the role goes too; a leader role
    given another way (an invite, the staff roles page) stays."""
    reason = " ".join((reason or "").split())[:500]
    if not reason:
        raise CommunityError(_("Say why this leader is removed."))
    with transaction.atomic():
        leadership = (
            Leadership.objects.select_for_update()
            .select_related("community", "user")
            .filter(pk=leadership.pk)
            .first()
        )
        if leadership is None:
            raise CommunityError(_("This person no longer leads this community."))
        community, user = leadership.community, leadership.user
        leadership.delete()
        audit.log(
            actor=by,
            verb=Verb.LEADER_REMOVED,
            subject=community,
            person=user,
            before={"leader": user.email},
            reason=reason,
        )
        members.take_back_scoped_role(
            user=user,
            role=Role.LEADER,
            by=by,
            added_verb=Verb.LEADER_ADDED,
            still_in_scope=Leadership.objects.filter(user=user).exists(),
            reason=f"no longer leads {community.pk}",
        )
        if user.is_active:
            _email_on_commit(user, "community_leader_removed", community=community, reason=reason)


# --- Members who join or follow ----------------------------------------------------------------


def join(*, community, user, kind=Membership.Kind.MEMBER) -> Membership:
    """Join (or only follow, `kind` FOLLOWER) an active community. Idempotent: joining
    twice is one membership; following after joining makes it a follow, and back."""
    if community.status != S.ACTIVE:
        raise CommunityError(_("Only an active community can be joined or followed."))
    with transaction.atomic():
        row, created = Membership.objects.get_or_create(
            community=community, user=user, defaults={"kind": kind}
        )
        if not created and row.kind != kind:
            row.kind = kind
            row.save(update_fields=["kind"])
    return row


def leave(*, community, user) -> bool:
    """Stop being a member or follower; whether there was anything to leave."""
    deleted, _rows = Membership.objects.filter(community=community, user=user).delete()
    return bool(deleted)


# --- Events the community hosts ------------------------------------------------------------


def create_event(*, community, by, data: dict) -> Event:
    """A new event (a draft, through the events organiser's own service) hosted by an
    active `community`: its leaders manage it from then on. One transaction: the event
    and the link to the community are made together or not at all."""
    with transaction.atomic():
        community = _locked(community)
        if community.status != S.ACTIVE:
            raise CommunityError(_("Only an active community hosts events."))
        event = events.save_event(event=None, by=by, data=data)
        Event.objects.filter(pk=event.pk).update(host=Event.Host.COMMUNITY)
        event.host = Event.Host.COMMUNITY
        HostedEvent.objects.create(event=event, community=community)
        audit.log(
            actor=by,
            verb=Verb.COMMUNITY_CHANGED,
            subject=community,
            after={"hosted_event": event.title},
            event=event.pk,
        )
    return event


# How many new events one run of the job announces (the rest wait for the next run).
ANNOUNCE_BATCH = 20


def announce_new_events(*, now=None) -> int:
    """Tell each community's members and followers about an event it hosts, once, after
    it is published and while it has a date to come (the scheduled job). Each event is
    claimed by one update, so two runs at once never mail anyone twice. Returns the
    number of emails queued."""
    now = now or timezone.now()
    due = (
        HostedEvent.objects.filter(
            announced_at__isnull=True,
            event__status=Event.Status.PUBLISHED,
            community__status=S.ACTIVE,
        )
        .select_related("event", "community")
        .order_by("pk")[:ANNOUNCE_BATCH]
    )
    queued = 0
    for hosted in due:
        with transaction.atomic():
            claimed = HostedEvent.objects.filter(pk=hosted.pk, announced_at__isnull=True).update(
                announced_at=now
            )
            if not claimed:
                continue
            event, community = hosted.event, hosted.community
            occurrence = (
                event.occurrences.filter(cancelled=False, starts_at__gt=now)
                .order_by("starts_at")
                .first()
            )
            if occurrence is None:  # nothing left to come: nobody is told
                continue
            memberships = (
                Membership.objects.filter(community=community, user__is_active=True)
                .exclude(user__leaderships__community=community)  # they made it
                .select_related("user__profile")
                .order_by("pk")
            )
            for membership in memberships:
                _email_on_commit(
                    membership.user,
                    "new_event",
                    community=community,
                    event=event,
                    occurrence=occurrence,
                    following=membership.kind == Membership.Kind.FOLLOWER,
                )
                queued += 1
    return queued


# --- Mail ----------------------------------------------------------------------------------


def _email_on_commit(user, name, **context):
    """Queue the email `name` for `user` once the change commits, in their language and
    on their profile's clock (UTC when it names no zone we know)."""
    profile = getattr(user, "profile", None)
    zone = getattr(profile, "time_zone", "") or None
    if zone not in _zones():
        zone = None
    transaction.on_commit(
        lambda: mail.send(user, f"communities/email/{name}", context, time_zone=zone)
    )


@cache
def _zones():
    return zoneinfo.available_timezones()
