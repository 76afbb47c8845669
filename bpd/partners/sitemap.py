"""Partners in /sitemap.xml (the Partners page and each active partner's page, in every
language) and on the home page's list of programmes."""

from django.urls import reverse
from django.utils.translation import gettext as _

from bpd.partners.models import Partner
from bpd.website import registry


def entries():
    found = registry.in_every_language(reverse("partners:index"))
    for slug in Partner.objects.active().order_by("name", "pk").values_list("slug", flat=True):
        found += registry.in_every_language(reverse("partners:detail", args=[slug]))
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
