"""Local communities in /sitemap.xml (the directory and each active community's page, in
every language) and on the home page's list of programmes."""

from django.urls import reverse
from django.utils.translation import gettext as _

from bpd.communities.models import Community
from bpd.website import registry


def entries():
    found = registry.in_every_language(reverse("communities:index"))
    for slug in Community.objects.active().order_by("name", "pk").values_list("slug", flat=True):
        found += registry.in_every_language(reverse("communities:detail", args=[slug]))
    return found


def programme():
    return registry.Programme(
        title=_("Local communities"),
        summary=_(
            "Meetups and chapters led by Black Python Devs members in their cities. Find one "
            "near you, or start one."
        ),
        url=reverse("communities:index"),
        action=_("Find a community"),
    )
