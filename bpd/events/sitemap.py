"""Events in /sitemap.xml and on the home page's list of programmes."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from bpd.events.models import Event
from bpd.website import languages, registry


def _entry(path: str, lastmod=None) -> list[registry.SitemapEntry]:
    """One page in every language: the same path under each language's prefix."""
    pages = tuple(
        registry.Alternate(code, settings.SITE_URL + languages.prefixed(path, code))
        for code in languages.CODES
    )
    original = settings.SITE_URL + languages.prefixed(path, languages.DEFAULT)
    return [
        registry.SitemapEntry(url=page.url, lastmod=lastmod, alternates=pages, x_default=original)
        for page in pages
    ]


def entries():
    """The events index and every published event's page, in every language."""
    found = _entry("events/")
    for slug, published_at in Event.objects.published().values_list("slug", "published_at"):
        found += _entry(reverse("events:detail", args=[slug]), published_at)
    return found


def programme():
    return registry.Programme(
        title=_("Events"),
        summary=_(
            "Study groups, talks and meetups, online and near you, shown in your time zone. "
            "RSVP in one click and add them to your calendar."
        ),
        url=reverse("events:index"),
        action=_("See what's on"),
    )
