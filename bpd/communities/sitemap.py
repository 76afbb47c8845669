"""Local communities in /sitemap.xml (the directory and each active community's page, in
every language) and on the home page's list of programmes."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from bpd.communities.models import Community
from bpd.website import languages, registry


def _entry(path: str) -> list[registry.SitemapEntry]:
    """One page in every language: the same path under each language's prefix."""
    pages = tuple(
        registry.Alternate(code, settings.SITE_URL + languages.prefixed(path, code))
        for code in languages.CODES
    )
    original = settings.SITE_URL + languages.prefixed(path, languages.DEFAULT)
    return [
        registry.SitemapEntry(url=page.url, alternates=pages, x_default=original) for page in pages
    ]


def entries():
    found = _entry(reverse("communities:index"))
    for slug in Community.objects.active().order_by("name", "pk").values_list("slug", flat=True):
        found += _entry(reverse("communities:detail", args=[slug]))
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
