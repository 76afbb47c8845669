"""Writes that change members' accounts, profiles, roles and data."""

import io
import json
import logging
import zipfile
from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from bpd.audit import selectors as audit_log
from bpd.audit import services as audit
from bpd.audit.verbs import Verb
from bpd.members import choices, exports, mail, selectors
from bpd.members.models import (
    Connection,
    ContactMessage,
    Invite,
    InviteRedemption,
    Profile,
    Skill,
    User,
)
from bpd.members.roles import Role, role_names
from bpd.website import registry

log = logging.getLogger(__name__)


def record_acceptances(*, user):
    """The member accepted the code of conduct and the self-identification statement."""
    now = timezone.now()
    user.code_of_conduct_accepted_at = now
    user.identity_affirmed_at = now
    user.save(update_fields=["code_of_conduct_accepted_at", "identity_affirmed_at"])
    Profile.objects.get_or_create(user=user)
    member_group, _created = Group.objects.get_or_create(name=Role.MEMBER)
    user.groups.add(member_group)


PHOTO_FIELDS = {"photo", "photo_small", "photo_source_name"}


def save_profile(*, profile, form, onboarding=False):
    """Save a profile form (the onboarding page, or one section of the profile): only the
    fields that form holds are written, so a section never overwrites what another page
    changed meanwhile. The time zone defaults to the chosen city's. A photo is removed
    when asked, and moved to a new address when fewer people may see it, so a link
    someone kept stops working."""
    with transaction.atomic():
        adding = profile._state.adding
        stored = Profile.objects.filter(pk=profile.pk).values("name_visibility").first()
        profile = form.save(commit=False)
        fields = {"updated_at", *form._meta.fields} - {"skills"}
        narrower = stored and profile.name_visibility < stored["name_visibility"]
        if form.cleaned_data.get("remove_photo"):
            profile.replace_photo_file(None)
            fields |= PHOTO_FIELDS
        elif narrower and profile.photo_small and not form.cleaned_data.get("photo"):
            with profile.photo_small.open("rb") as current:
                profile.replace_photo_file(ContentFile(current.read()))
            fields |= PHOTO_FIELDS
        if "photo" in fields:
            fields |= PHOTO_FIELDS
        if "city_name" in form.fields:
            fields |= {"city", "country", "time_zone"}
        if profile.city_id and not profile.time_zone:
            profile.time_zone = profile.city.timezone
        if profile.city_id and not profile.country:
            profile.country = profile.city.country
        if onboarding and profile.onboarded_at is None:
            profile.onboarded_at = timezone.now()
            fields.add("onboarded_at")
        profile.save(update_fields=None if adding else sorted(fields))
        if "skills" in form.cleaned_data:
            set_skills(profile=profile, names=form.cleaned_data["skills"])
    return profile


def set_skills(*, profile, names):
    skills = []
    for name in names:
        slug = slugify(name)[:60]
        if slug:
            skills.append(Skill.objects.get_or_create(slug=slug, defaults={"name": name[:60]})[0])
    profile.skills.set(skills)


class ContactRefused(Exception):
    """A message through the expertise directory that a limit stops; the text says which,
    for the person who wrote it."""


def relay_contact_message(
    *, profile, sender_name, sender_email, organisation, about, message, origin
):
    """Pass a message from the expertise directory on to the member by email, in the
    member's language, with Reply-To set to the sender: the member's address is never
    shown to the sender. Records who wrote and when (not the text) for the rate limits;
    raises ContactRefused, sending and recording nothing, when a limit is reached."""
    sender_email = sender_email.strip().lower()
    with transaction.atomic():
        # One message at a time per member, so two at once cannot both pass the limit.
        Profile.objects.select_for_update().filter(pk=profile.pk).exists()
        limit = selectors.contact_limit_reached(
            recipient=profile.user, sender_email=sender_email, origin=origin
        )
        if limit is not None:
            log.info("Contact message for member %s refused: %s limit", profile.pk, limit)
            raise ContactRefused(_contact_refusal(limit, profile))
        record = ContactMessage.objects.create(
            recipient=profile.user, sender_email=sender_email, origin=origin, about=about
        )
        kinds = dict([*choices.EXPERTISE_KINDS, choices.CONTACT_OTHER])
        context = {
            "profile": profile,
            "sender_name": sender_name,
            "sender_email": sender_email,
            "organisation": organisation,
            "about": kinds.get(about, about),
            "message": message,
        }
        mail.send(profile.user, "members/email/contact", context, reply_to=[sender_email])
    log.info("Contact message %s passed on to member %s", record.pk, profile.pk)
    return record


def _contact_refusal(limit, profile):
    if limit == "recipient":
        return _(
            "%(name)s has received as many messages as we pass on in a day. "
            "Please try again tomorrow."
        ) % {"name": profile.display_name}
    return _(
        "You have sent as many messages through the expertise directory as we allow in a "
        "day. Please try again tomorrow."
    )


class InviteError(Exception):
    pass


def create_invite(*, created_by, groups, expires_at, max_uses=1, email="", note=""):
    with transaction.atomic():
        invite = Invite.objects.create(
            created_by=created_by,
            expires_at=expires_at,
            max_uses=max_uses,
            email=email.lower(),
            note=note,
        )
        invite.groups.set(groups)
        audit.log(
            actor=created_by,
            verb=Verb.INVITE_CREATED,
            subject=invite,
            after={"roles": sorted(g.name for g in groups), "max_uses": max_uses},
        )
    return invite


def redeem_invite(*, invite, user):
    """Grant the invite's roles to `user`. Raises InviteError with a reason a person can read."""
    with transaction.atomic():
        invite = Invite.objects.select_for_update().get(pk=invite.pk)
        if InviteRedemption.objects.filter(invite=invite, user=user).exists():
            raise InviteError(_("You have already used this invite."))
        if invite.revoked_at:
            raise InviteError(_("This invite has been withdrawn."))
        if invite.expires_at <= timezone.now():
            raise InviteError(_("This invite has expired."))
        if invite.uses >= invite.max_uses:
            raise InviteError(_("This invite has been used as many times as it allows."))
        if invite.email and invite.email != user.email.lower():
            raise InviteError(_("This invite is for a different email address."))
        groups = list(invite.groups.all())
        before = set(role_names(user))
        user.groups.add(*groups)
        if any(group.name == Role.EXECUTOR for group in groups):
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        Invite.objects.filter(pk=invite.pk).update(uses=F("uses") + 1)
        InviteRedemption.objects.create(invite=invite, user=user)
        audit.log(actor=user, verb=Verb.INVITE_REDEEMED, subject=invite, person=user)
        user._bpd_roles = None
        record_role_change(
            actor=invite.created_by, user=user, before=before, reason=f"invite {invite.pk}"
        )
    return groups


class RoleError(Exception):
    """A role change that is not allowed; the message is for the person who tried."""


def set_roles(*, actor, user, roles, reason=""):
    """Give `user` exactly `roles` (Role values), from the staff page. Executors are staff;
    nobody changes their own roles; every change is written to the audit log."""
    if actor.pk == user.pk:
        raise RoleError(_("You cannot change your own roles: ask another executor."))
    with transaction.atomic():
        before = set(role_names(user))
        wanted = {Role(role) for role in roles} | {Role.MEMBER}
        groups = [Group.objects.get_or_create(name=role.value)[0] for role in wanted]
        kept = user.groups.exclude(name__in=Role.values)  # groups that are not roles stay
        user.groups.set([*kept, *groups])
        user.is_staff = Role.EXECUTOR in wanted or user.is_superuser
        user.save(update_fields=["is_staff"])
        user._bpd_roles = None
        record_role_change(actor=actor, user=user, before=before, reason=reason)
    return wanted


def grant_scoped_role(*, user, role, by, reason) -> bool:
    """Inside a transaction: `user` starts acting in a scope that needs `role` (a leader
    of one community, a person of one partner). They get the role if they lack it,
    recorded; returns whether this gave it, for the scope's own audit entry
    (`role_granted`), which `take_back_scoped_role` reads later."""
    before = set(role_names(user))
    if role in before:
        return False
    user.groups.add(Group.objects.get_or_create(name=Role(role).value)[0])
    user._bpd_roles = None
    record_role_change(actor=by, user=user, before=before, reason=reason)
    return True


def take_back_scoped_role(*, user, role, by, added_verb, still_in_scope, reason) -> bool:
    """Inside a transaction: `user` left a scope. When they act in no other scope
    (`still_in_scope` False) and joining one is what gave them `role` (an `added_verb`
    entry about them says `role_granted`), the role goes, recorded; a role given another
    way (an invite, the staff roles page) stays. Returns whether it went."""
    if still_in_scope or role not in role_names(user):
        return False
    given_by_scope = (
        audit_log.search(verb=added_verb).filter(person=user, detail__role_granted=True).exists()
    )
    if not given_by_scope:
        return False
    before = set(role_names(user))
    user.groups.remove(Group.objects.get_or_create(name=Role(role).value)[0])
    user._bpd_roles = None
    record_role_change(actor=by, user=user, before=before, reason=reason)
    return True


def record_role_change(*, actor, user, before, reason=""):
    """Write each role `user` gained or lost since `before` (a set of role names) to the audit
    log, naming who made the change (an invite's creator, or the staff member in the admin)."""
    user = User.objects.get(pk=user.pk)  # re-read: roles are cached on the object
    after = set(role_names(user))
    for verb, roles in ((Verb.ROLE_GRANTED, after - before), (Verb.ROLE_REMOVED, before - after)):
        for role in sorted(roles):
            audit.log(
                actor=actor,
                verb=verb,
                subject=user,
                person=user,
                before={"roles": sorted(before)},
                after={"roles": sorted(after)},
                reason=reason,
                role=role,
            )


def revoke_invite(*, invite, actor):
    with transaction.atomic():
        invite.revoked_at = timezone.now()
        invite.save(update_fields=["revoked_at"])
        audit.log(actor=actor, verb=Verb.INVITE_REVOKED, subject=invite)


def record_access(*, staff, seen, context):
    """Write to the audit log that `staff` saw private fields: `seen` is a list of
    (member, fields) pairs, one entry per member with at least one field. Reading a
    member's private data is itself a recorded act, done by the view that shows it."""
    entries = [
        audit.entry(
            actor=staff,
            verb=Verb.PRIVATE_VIEWED,
            subject=member,
            person=member,
            fields=list(fields),
            context=context,
        )
        for member, fields in seen
        if fields and member.pk != staff.pk
    ]
    audit.log_many(entries)
    return entries


def connect_account(*, user, provider, external_id, username):
    """Link an outside account. Raises ValueError (a message for the member) if another member linked it."""
    taken = Connection.objects.filter(provider=provider, external_id=external_id).exclude(user=user)
    if taken.exists():
        raise ValueError(_("That account is already connected to another member."))
    connection, _created = Connection.objects.update_or_create(
        user=user,
        provider=provider,
        defaults={"external_id": external_id, "username": username, "connected_at": timezone.now()},
    )
    return connection


def disconnect_account(*, user, provider):
    return user.connections.filter(provider=provider).delete()[0]


@dataclass
class Export:
    filename: str
    content: bytes


def export_member_data(*, user):
    """Everything the platform holds about `user`, as a zip of JSON and readable Markdown."""
    data = exports.collect(user)
    document = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    readable = exports.readable(user=user, data=data)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", document)
        archive.writestr("data.md", readable)
        profile = getattr(user, "profile", None)
        if profile and profile.photo_small:
            with profile.photo_small.open("rb") as photo:
                archive.writestr("photo.webp", photo.read())
    stamp = timezone.now().strftime("%Y-%m-%d")
    return Export(filename=f"black-python-devs-data-{stamp}.zip", content=buffer.getvalue())


class PublishedContent:
    """What to do with a departing member's published work."""

    REMOVE = "remove"
    ANONYMISE = "anonymise"


def delete_account(*, user, published=PublishedContent.REMOVE):
    """Remove the member and their personal data; keep only an anonymous record.

    Apps that hold member content register a `forget` handler with
    `website.registry.add_personal_data`;
    each receives the user and the member's choice for published work and
    returns a count for the log.
    """
    with transaction.atomic():
        counts = {}
        for part in registry.personal_data():
            if part.forget is not None:
                counts[part.name] = part.forget(user, published)
        profile = getattr(user, "profile", None)
        files = []
        if profile:
            files = [f for f in (profile.photo, profile.photo_small) if f]
        # The log keeps that an account was deleted, with anonymous counts only; entries
        # by or about the member stay, without their name or address.
        audit.forget_person(user)
        audit.log(
            actor=None,
            verb=Verb.ACCOUNT_DELETED,
            member_since_year=user.date_joined.year,
            roles=sorted(user.groups.values_list("name", flat=True)),
            published_choice=published,
            counts=counts,
        )
        user.delete()
    for file in files:
        file.storage.delete(file.name)


EXECUTOR_APPS = ["pages", "news", "website", "members", "content_import"]
# What members keep private (profiles, connected accounts) is not opened in the admin by
# executors: the staff pages show it as each member chose, and record who looked.
PRIVATE_MODELS = ["profile", "connection"]


def ensure_groups():
    """Create a group per role; executors may maintain the site's content, accounts, roles
    and invites in the admin, but not members' profiles or connected accounts."""
    for role in Role:
        Group.objects.get_or_create(name=role.value)
    executors = Group.objects.get(name=Role.EXECUTOR)
    executors.permissions.set(
        Permission.objects.filter(content_type__app_label__in=EXECUTOR_APPS).exclude(
            content_type__app_label="members", content_type__model__in=PRIVATE_MODELS
        )
    )


__all__ = ["User"]
