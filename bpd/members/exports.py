"""What the platform holds about a member, gathered for "download my data".

Each app that stores personal data registers it with
`website.registry.add_personal_data(name, collect=…, forget=…)` in its ready();
the members app registers its own parts below.
"""

from django.utils import timezone

from bpd.audit.models import Entry
from bpd.audit.verbs import Verb
from bpd.website import registry


def collect(user):
    data = {"exported_at": timezone.now().isoformat()}
    for part in registry.personal_data():
        data[part.name] = part.collect(user)
    return data


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
        "in_expertise_directory", "expertise_kinds", "expertise_topics", "name_visibility",
        "location_visibility", "city_visibility", "about_visibility", "career_visibility",
        "links_visibility", "onboarded_at", "updated_at",
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


def register():
    for name, collector in (
        ("account", _account),
        ("profile", _profile),
        ("connections", _connections),
    ):
        registry.add_personal_data(name, collect=collector)
    registry.add_personal_data("activity", collect=_activity, models=MODELS)
    for model, reason in EXCLUDED.items():
        registry.exclude_personal_data(model, reason)
