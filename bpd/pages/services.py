"""Writes to the leadership roster."""

from django.core.files.base import ContentFile
from django.utils.text import slugify

from bpd.pages.models import TeamMember, TeamMemberTranslation
from bpd.website import images

TEAM_FIELDS = ("role", "bio", "city", "country", "github", "linkedin", "mastodon", "website")


def load_team(entries):
    """Add the people in `entries` who are not on the roster yet; returns how many were added.

    Existing people are left as staff edited them. Someone without a photo
    gets a placeholder with their initials until staff upload a real one.
    """
    added = 0
    for order, entry in enumerate(entries or []):
        if TeamMember.objects.filter(name=entry["name"]).exists():
            continue
        member = TeamMember(name=entry["name"], order=order)
        for name in TEAM_FIELDS:
            setattr(member, name, entry.get(name, ""))
        member.photo_alt = (
            entry.get("photo_alt") or f"Placeholder portrait with {member.name}'s initials"
        )
        member.photo.save(
            f"{slugify(member.name)}.png",
            ContentFile(images.initials_portrait(member.name)),
            save=False,
        )
        member.save()
        for language, values in (entry.get("translations") or {}).items():
            TeamMemberTranslation.objects.create(member=member, language=language, **values)
        added += 1
    return added
