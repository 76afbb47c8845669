"""Reads of member data. Every read that shows a profile goes through these,
so a view cannot show a field its viewer may not see."""

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from bpd.members import choices
from bpd.members.fields import contains_code
from bpd.members.models import ContactMessage, Profile
from bpd.members.visibility import FIELD_GROUPS, Visibility, reach
from bpd.website import languages
from bpd.website.versions import Version


class ProfileView:
    """A profile as one viewer may see it: hidden fields read as empty."""

    def __init__(self, profile, viewer=None, *, audience=None):
        """Seen by `viewer` (a user), or by everyone in `audience` (a Visibility level,
        for pages that are the same for all of them, so cached pages carry no one's
        view of their own private fields)."""
        self.profile = profile
        self.reach = reach(viewer, profile.user_id) if audience is None else audience
        self.is_self = self.reach == Visibility.ONLY_ME

    def can_see(self, visibility_field):
        return getattr(self.profile, visibility_field) >= self.reach

    def _get(self, visibility_field, value):
        return value if self.can_see(visibility_field) else None

    @property
    def pk(self):
        return self.profile.pk

    @property
    def display_name(self):
        # A listed member whose name is hidden still needs a label.
        return self._get("name_visibility", self.profile.display_name) or ""

    @property
    def pronouns(self):
        return self._get("name_visibility", self.profile.pronouns)

    @property
    def photo_url(self):
        photo = self._get("name_visibility", self.profile.photo_small)
        return photo.url if photo else None

    @property
    def country(self):
        return self._get("location_visibility", self.profile.country)

    @property
    def country_name(self):
        return languages.country_name(self.country) if self.country else None

    @property
    def city(self):
        city = self._get("city_visibility", self.profile.city)
        return city.name if city else None

    @property
    def time_zone(self):
        return self._get("city_visibility", self.profile.time_zone)

    @property
    def bio(self):
        return self._get("about_visibility", self.profile.bio)

    @property
    def roles(self):
        codes = self._get("about_visibility", self.profile.roles) or []
        return [choices.label(choices.TECH_ROLES, code) for code in codes]

    @property
    def skills(self):
        if not self.can_see("about_visibility"):
            return []
        return [skill.name for skill in self.profile.skills.all()]

    @property
    def skill_level(self):
        if not self.can_see("about_visibility") or not self.profile.skill_level:
            return None
        return self.profile.get_skill_level_display()

    @property
    def spoken_languages(self):
        codes = self._get("about_visibility", self.profile.languages) or []
        names = dict(choices.spoken_languages())
        return [names.get(code, code) for code in codes]

    @property
    def career_status(self):
        if not self.can_see("career_visibility") or not self.profile.career_status:
            return None
        return self.profile.get_career_status_display()

    @property
    def is_listed_expert(self):
        """Listed in the public expertise directory (which shows the name to everyone)."""
        profile = self.profile
        return profile.in_expertise_directory and profile.name_visibility == Visibility.PUBLIC

    @property
    def expertise_kinds(self):
        """What the member is available as ("Speaker", "Mentor"): public while they are
        listed in the expertise directory, otherwise theirs alone."""
        if not (self.is_listed_expert or self.is_self):
            return []
        return [
            choices.label(choices.EXPERTISE_KINDS, code) for code in self.profile.expertise_kinds
        ]

    @property
    def can_be_contacted(self):
        """Whether the contact form of the expertise directory takes messages for them."""
        return self.is_listed_expert and self.profile.contact_allowed

    @property
    def links(self):
        if not self.can_see("links_visibility"):
            return []
        profile = self.profile
        return [
            (label, url)
            for label, url in (
                ("GitHub", profile.github),
                ("LinkedIn", profile.linkedin),
                ("Mastodon", profile.mastodon),
                ("Website", profile.website),
            )
            if url
        ]

    def private_fields_seen(self):
        """Fields shown to this viewer that the member did not share with all members."""
        if self.is_self:
            return []
        seen = []
        for visibility_field, fields in FIELD_GROUPS.items():
            level = getattr(self.profile, visibility_field)
            if level < Visibility.MEMBERS and level >= self.reach:
                seen.extend(fields)
        return seen


# Changes whenever a profile or account changes: cached directory pages include it.
DIRECTORY = Version("members:directory:version")


def directory(
    audience, *, q="", skill="", role="", level="", country="", language="", open_to_work=False
):
    """Listed profiles `audience` (a Visibility level: see `reach`) may see, filtered only
    on fields that audience may see."""
    r = audience
    profiles = (
        Profile.objects.listed()
        .filter(name_visibility__gte=r)
        .select_related("city")
        .prefetch_related("skills")
        .order_by("display_name", "pk")
    )
    about = Q(about_visibility__gte=r)
    if q:
        profiles = profiles.filter(Q(display_name__icontains=q) | (about & Q(bio__icontains=q)))
    if skill:
        profiles = profiles.filter(about, skills__slug=skill)
    if role:
        profiles = profiles.filter(about, contains_code("roles", role))
    if level:
        profiles = profiles.filter(about, skill_level=level)
    if language:
        profiles = profiles.filter(about, contains_code("languages", language))
    if country:
        profiles = profiles.filter(location_visibility__gte=r, country=country)
    if open_to_work:
        profiles = profiles.filter(
            career_visibility__gte=r, career_status=choices.CareerStatus.OPEN_TO_WORK
        )
    return profiles.distinct() if skill else profiles


def expertise_directory(*, q="", kind=""):
    """The public "amplify voices" list: members who opted in, with their public name."""
    profiles = (
        Profile.objects.listed()
        .filter(in_expertise_directory=True, name_visibility=Visibility.PUBLIC)
        .order_by("display_name", "pk")
    )
    if q:
        profiles = profiles.filter(Q(display_name__icontains=q) | Q(expertise_topics__icontains=q))
    if kind:
        profiles = profiles.filter(contains_code("expertise_kinds", kind))
    return profiles


def contactable(pk):
    """The listed expert `pk` if they take messages through the site, else None."""
    return expertise_directory().filter(pk=pk, contact_allowed=True).select_related("user").first()


# Messages passed on through the expertise directory, per 24 hours.
CONTACT_WINDOW = dt.timedelta(hours=24)
CONTACT_LIMITS = {"sender": 3, "recipient": 10, "origin": 5}


def contact_limit_reached(*, recipient, sender_email, origin, now=None):
    """Which limit one more message would pass ("sender": this email address, "recipient":
    this member, "origin": this visitor's IP address or this member's account), or None."""
    since = (now or timezone.now()) - CONTACT_WINDOW
    recent = ContactMessage.objects.filter(created_at__gt=since)
    counts = {
        "sender": recent.filter(sender_email=sender_email.lower()),
        "recipient": recent.filter(recipient=recipient),
        "origin": recent.filter(origin=origin),
    }
    for name, messages in counts.items():
        if messages.count() >= CONTACT_LIMITS[name]:
            return name
    return None


def profile_for(viewer, pk):
    """One profile `viewer` may open, or None. (The view records staff access to private
    fields through `services.record_access`.)"""
    own = Profile.objects.filter(pk=pk, user=viewer.pk).select_related("user", "city").first()
    if own is not None:
        return ProfileView(own, viewer)
    profile = (
        directory(reach(viewer))
        .filter(pk=pk)
        .select_related("user", "city")
        .prefetch_related("skills")
        .first()
    )
    if profile is None:
        return None
    return ProfileView(profile, viewer)


def leaders_view_fields(profile):
    """Field values staff may export: everything shared with leaders or wider, nothing else."""
    view = ProfileView(profile, audience=Visibility.LEADERS)
    return {
        "display_name": view.display_name,
        "pronouns": view.pronouns or "",
        "country": view.country or "",
        "city": view.city or "",
        "time_zone": view.time_zone or "",
        "roles": "; ".join(str(r) for r in view.roles),
        "skills": "; ".join(view.skills),
        "skill_level": view.skill_level or "",
        "languages": "; ".join(view.spoken_languages),
        "career_status": view.career_status or "",
        "links": " ".join(url for _label, url in view.links),
    }
