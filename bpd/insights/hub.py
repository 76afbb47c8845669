"""Insights on the members' hub (an "Insights" card for the treasurer and executors) and
the public page in /sitemap.xml."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from bpd.members.roles import is_treasurer
from bpd.website import languages, registry


def card(user):
    if not is_treasurer(user):
        return None
    return registry.HubCard(
        title=_("Insights"),
        summary=_(
            "Where members are, how active they are, and where the money went: per region and "
            "country, with where to invest next."
        ),
        links=[
            (_("Where to spend next"), reverse("insights:staff")),
            (_("The public page: where our members are"), reverse("insights:public")),
        ],
    )


def sitemap():
    path = reverse("insights:public")
    pages = tuple(
        registry.Alternate(code, settings.SITE_URL + languages.prefixed(path, code))
        for code in languages.CODES
    )
    original = settings.SITE_URL + languages.prefixed(path, languages.DEFAULT)
    return [
        registry.SitemapEntry(url=page.url, alternates=pages, x_default=original) for page in pages
    ]
