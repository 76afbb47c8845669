"""Who may see each group of profile fields.

A wider audience is a larger number. A viewer can see a field when the field's
audience reaches them: the member always; leaders and staff from LEADERS up;
any signed-in member from MEMBERS up; everyone at PUBLIC.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from bpd.members.roles import is_leader_or_staff


class Visibility(models.IntegerChoices):
    ONLY_ME = 0, _("Only me")
    LEADERS = 1, _("Leaders and staff")
    MEMBERS = 2, _("Members")
    PUBLIC = 3, _("Everyone (public)")


def reach(viewer, owner_id=None):
    """The narrowest audience `viewer` belongs to, for a profile whose user id is `owner_id`."""
    if owner_id is not None and viewer.is_authenticated and viewer.pk == owner_id:
        return Visibility.ONLY_ME
    if is_leader_or_staff(viewer):
        return Visibility.LEADERS
    if viewer.is_authenticated:
        return Visibility.MEMBERS
    return Visibility.PUBLIC


# Which profile fields each visibility setting governs.
FIELD_GROUPS = {
    "name_visibility": ("display_name", "pronouns", "photo"),
    "location_visibility": ("country",),
    "city_visibility": ("city", "time_zone"),
    "about_visibility": ("bio", "roles", "skills", "skill_level", "languages"),
    "career_visibility": ("career_status",),
    "links_visibility": ("github", "linkedin", "mastodon", "website"),
}
