"""What the platform holds about a member, gathered for "download my data".

Each app that stores personal data registers it with
`website.registry.add_personal_data(name, collect=…, forget=…)` in its ready();
the members app registers its own parts below. `collect` gathers it for computers
(data.json, codes and all); `readable` writes the same data for people (data.md).
"""

import datetime as dt

from babel import Locale
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from bpd.audit.models import Entry
from bpd.audit.verbs import Verb
from bpd.members import choices
from bpd.members.fields import CodeListField
from bpd.members.models import Connection, ContactMessage, Profile, User
from bpd.members.roles import Role
from bpd.website import languages, registry
from bpd.website.templatetags.bpd import day, moment


def collect(user):
    data = {"exported_at": timezone.now().isoformat()}
    for part in registry.personal_data():
        data[part.name] = part.collect(user)
    return data


def readable(*, user, data):
    """`data` (what `collect` returned for `user`) as Markdown for people, in the reader's
    language and time zone: labels instead of field names, names instead of codes,
    dates written out; every registered part under its own titles (its `readable`, or
    its keys read as words when it has none)."""
    Section = registry.Section
    sections = [
        Section(_("Account"), _account_rows(user, data["account"])),
        Section(_("Profile"), _profile_rows(user, data["profile"])),
        Section(_("Connected accounts"), _connection_rows(data["connections"])),
        Section(_("Activity"), _activity_rows(data["activity"])),
    ]
    own = {"account", "profile", "connections", "activity"}
    for part in registry.personal_data():
        if part.name in own or part.name not in data:
            continue
        if part.readable is not None:
            sections.extend(map(_section, part.readable(data[part.name])))
        else:
            sections.append(Section(_part_title(part), _rows(data[part.name])))
    context = {
        "exported_at": moment(dt.datetime.fromisoformat(data["exported_at"])),
        "sections": [
            {"title": section.title, "body": _body(section, depth=3)} for section in sections
        ],
    }
    return render_to_string("members/export.md", context)


def _section(section):
    """A part's section as `registry.Section` (a plain (title, rows) pair is one too)."""
    return section if isinstance(section, registry.Section) else registry.Section(*section)


def _body(section, depth):
    """A section's rows as a list, then each section under it headed one level down."""
    sections = [_section(sub) for sub in section.sections]
    lines = _markdown(section.rows)
    if not lines and not sections:
        lines = [f"- {_('None')}"]
    blocks = ["\n".join(lines)] if lines else []
    for sub in sections:
        blocks.append(f"{'#' * depth} {sub.title}\n\n{_body(sub, depth + 1)}")
    return "\n\n".join(blocks)


def _label(model, name):
    return str(capfirst(model._meta.get_field(name).verbose_name))


def _yes_no(value):
    return _("Yes") if value else _("No")


def _text(value):
    """One value as a person reads it, or None when there is nothing to show."""
    if value is None or value in ("", [], {}):
        return None
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, dt.datetime):
        return moment(value)
    if isinstance(value, dt.date):
        return day(value)
    if isinstance(value, list | tuple):
        return ", ".join(text for text in map(_text, value) if text is not None) or None
    return str(value)


def _is_nested(value):
    return isinstance(value, dict) or (
        isinstance(value, list | tuple) and any(isinstance(v, dict | list | tuple) for v in value)
    )


def _rows(value):
    """Another app's part, which names its own keys: keys read as words, values as `_text`.
    A row is (label, text, rows under it)."""
    rows = []
    if isinstance(value, dict):
        for key, item in value.items():
            label = capfirst(str(key).replace("_", " "))
            if _is_nested(item):
                if children := _rows(item):
                    rows.append((label, "", children))
            elif (text := _text(item)) is not None:
                rows.append((label, text, []))
    elif isinstance(value, list | tuple):
        for item in value:
            children = _rows(item)
            if not children:
                continue
            label, text, under = children[0]
            if text and not under:
                # An entry is headed by its first detail; the others sit under it.
                rows.append((label, text, children[1:]))
            else:
                rows.append(("", "", children))
    elif (text := _text(value)) is not None:
        rows.append(("", text, []))
    return rows


def _markdown(rows, depth=0):
    indent = "  " * depth
    lines = []
    for row in rows:
        label, text, children = row if len(row) == 3 else (*row, [])
        head = f"{label}: {text}" if label and text else str(label or text)
        # A line break in what a member wrote stays inside its bullet.
        head = head.replace("\n", "\n" + indent + "  ")
        lines.append(f"{indent}- {head}".rstrip())
        lines.extend(_markdown(children, depth + 1))
    return lines


def _part_title(part):
    """Another app's part under a title people read (its label, else its app's name)."""
    label = getattr(part, "label", None)
    if label:
        return str(label)
    config = apps.get_containing_app_config(part.collect.__module__)
    return str(config.verbose_name) if config else capfirst(part.name.replace("_", " "))


def _language_name(code):
    """A language's name in the reader's language ("Hausa", "haoussa"), never its code."""
    return Locale.parse(languages.current().replace("-", "_")).languages.get(code, code)


def _account_rows(user, account):
    consents = account["consents"]
    rows = [
        (_label(User, "email"), account["email"]),
        (_label(User, "date_joined"), _text(account["joined"])),
        (_label(User, "language"), _language_name(account["language"])),
        (
            _("Roles"),
            ", ".join(str(Role(r).label) if r in Role.values else r for r in account["roles"]),
        ),
        (_("Code of conduct accepted"), _text(consents["code_of_conduct_accepted_at"])),
        (_("Self-identification affirmed"), _text(consents["self_identification_affirmed_at"])),
    ]
    return [(label, text, []) for label, text in rows if text]


# Where the fields the JSON lists last read best for people.
_NEXT_TO = {"photo": "pronouns", "city": "country", "skills": "roles"}
_PROFILE_LABELS = {
    "onboarded_at": lambda: _("Profile completed"),
    "updated_at": lambda: _("Profile last changed"),
}


def _profile_rows(user, data):
    if data is None:
        return []
    profile = user.profile
    order = [key for key in data if key not in _NEXT_TO]
    for key, after in _NEXT_TO.items():
        if key in data:
            order.insert(order.index(after) + 1 if after in order else len(order), key)
    rows = []
    for key in order:
        label = _PROFILE_LABELS[key]() if key in _PROFILE_LABELS else _label(Profile, key)
        text = _profile_text(profile, key, data[key])
        if text is not None:
            rows.append((label, text, []))
    return rows


def _profile_text(profile, key, value):
    if key == "photo":
        # data.json names the stored file; people get the picture itself.
        return _("photo.webp, in this download") if profile.photo_small else None
    if key == "country":
        return languages.country_name(value) or None
    if key == "languages":
        return _text([_language_name(code) for code in value])
    field = Profile._meta.get_field(key)
    if isinstance(field, CodeListField) and field.choices_source:
        names = dict(field.choices_source())
        return _text([str(names.get(code, code)) for code in value])
    if field.choices and value is not None and value != "":
        return str(dict(field.flatchoices).get(value, value))
    return _text(value)


def _connection_rows(connections):
    providers = dict(Connection.Provider.choices)
    return [
        (
            str(providers.get(c["provider"], c["provider"])),
            f"{c['username']} ({moment(c['connected_at'])})",
            [],
        )
        for c in connections
    ]


def _field_labels(codes):
    labels = []
    for code in filter(None, (c.strip() for c in codes.split(","))):
        try:
            labels.append(_label(Profile, code))
        except FieldDoesNotExist:  # a field since renamed or removed: its code is all there is
            labels.append(code)
    return ", ".join(labels)


def _activity_rows(activity):
    rows = [
        (_("Invite used"), f"{entry['invite']} ({moment(entry['at'])})", [])
        for entry in activity["invites_used"]
    ]
    rows += [
        (
            _("Staff saw your private fields"),
            f"{_field_labels(entry['fields'])} — {entry['where']} ({moment(entry['at'])})",
            [],
        )
        for entry in activity["staff_access_to_your_private_fields"]
    ]
    return rows


def _account(user):
    return {
        "email": user.email,
        "joined": user.date_joined,
        "language": user.language,
        "roles": sorted(user.groups.values_list("name", flat=True)),
        "consents": {
            "code_of_conduct_accepted_at": user.code_of_conduct_accepted_at,
            "self_identification_affirmed_at": user.identity_affirmed_at,
        },
    }


def _profile(user):
    profile = getattr(user, "profile", None)
    if profile is None:
        return None
    fields = [
        "display_name", "pronouns", "bio", "country", "time_zone", "languages", "roles",
        "skill_level", "career_status", "github", "linkedin", "mastodon", "website",
        "in_expertise_directory", "expertise_kinds", "expertise_topics", "contact_allowed",
        "name_visibility",
        "location_visibility", "city_visibility", "about_visibility", "career_visibility",
        "links_visibility", "left_out_of_statistics", "onboarded_at", "updated_at",
    ]  # fmt: skip
    data = {field: getattr(profile, field) for field in fields}
    data["city"] = profile.city.name if profile.city else None
    data["skills"] = [skill.name for skill in profile.skills.all()]
    data["photo"] = profile.photo.name or None
    return data


def _connections(user):
    return [
        {"provider": c.provider, "username": c.username, "connected_at": c.connected_at}
        for c in user.connections.all()
    ]


def _activity(user):
    return {
        "invites_used": [
            {"invite": r.invite.note or r.invite_id, "at": r.redeemed_at}
            for r in user.invite_redemptions.select_related("invite")
        ],
        "staff_access_to_your_private_fields": [
            {
                "fields": ", ".join(e.detail.get("fields", [])),
                "where": e.detail.get("context", ""),
                "at": e.at,
            }
            for e in Entry.objects.filter(person=user, verb=Verb.PRIVATE_VIEWED)
        ],
    }


MODELS = {
    "account.EmailAddress": "exported with the account; deleted with it",
    "members.Profile": "exported in full; deleted with the account, photo files too",
    "members.Connection": "exported; deleted with the account",
    "members.InviteRedemption": "exported (invites used); deleted with the account",
    "audit.Entry": (
        "entries about the member's private fields are exported; on deletion every entry by "
        "or about them is kept for accountability with their name and address replaced"
    ),
}
EXCLUDED = {
    "members.Invite": "invites a staff member created are the platform's record; the creator "
    "is cleared on deletion",
    "admin.LogEntry": "Django's admin history of a staff member's own edits; deleted with the "
    "account",
    "reversion.Revision": "who saved a page or post revision; kept without the person",
}


def _contact_messages(user):
    """Messages through the expertise directory, to and from the member: who and when,
    never the text (it is not kept)."""
    received = user.contact_messages_received.order_by("created_at")
    sent = ContactMessage.objects.filter(sender_email=user.email.lower()).select_related(
        "recipient__profile"
    )
    return {
        "received": [
            {"from": m.sender_email, "about": m.about, "at": m.created_at} for m in received
        ],
        "sent": [
            {"to": str(getattr(m.recipient, "profile", "")), "about": m.about, "at": m.created_at}
            for m in sent.order_by("created_at")
        ],
    }


def _readable_contact_messages(data):
    kinds = dict([*choices.EXPERTISE_KINDS, choices.CONTACT_OTHER])

    def rows(entries, key):
        return [
            (entry[key], f"{kinds.get(entry['about'], entry['about'])} ({moment(entry['at'])})")
            for entry in entries
        ]

    return [
        registry.Section(
            _("Messages through the expertise directory"),
            sections=[
                registry.Section(_("Received"), rows(data["received"], "from")),
                registry.Section(_("Sent"), rows(data["sent"], "to")),
            ],
        )
    ]


def _forget_contact_messages(user, published):
    """The member's messages are deleted: those they received go with the account (its
    foreign key), those they sent are found by their address."""
    address = user.email.lower()
    deleted, _by_model = ContactMessage.objects.filter(
        Q(recipient=user) | Q(sender_email=address)
    ).delete()
    return deleted


def register():
    for name, collector in (
        ("account", _account),
        ("profile", _profile),
        ("connections", _connections),
    ):
        registry.add_personal_data(name, collect=collector)
    registry.add_personal_data("activity", collect=_activity, models=MODELS)
    registry.add_personal_data(
        "contact_messages",
        collect=_contact_messages,
        forget=_forget_contact_messages,
        readable=_readable_contact_messages,
        models={
            "members.ContactMessage": "who wrote to the member through the expertise directory, "
            "and to whom they wrote, with dates (never the text); exported; deleted with the "
            "account, and after 30 days anyway",
        },
    )
    for model, reason in EXCLUDED.items():
        registry.exclude_personal_data(model, reason)
