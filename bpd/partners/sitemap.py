"""Partners in /sitemap.xml (the Partners page and each active partner's page, in every
language) and on the home page's list of programmes."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from bpd.partners.models import Partner
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
    found = _entry(reverse("partners:index"))
    for slug in Partner.objects.active().order_by("name", "pk").values_list("slug", flat=True):
        found += _entry(reverse("partners:detail", args=[slug]))
    return found


def programme():
    return registry.Programme(
        title=_("Partners"),
        summary=_(
            "Content creators and companies give members free seats, codes and discounts on "
            "learning. Claim what is yours."
        ),
        url=reverse("partners:index"),
        action=_("See the partners"),
    )
