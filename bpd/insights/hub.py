"""Insights on the members' hub (an "Insights" card for the treasurer and executors) and
the public page in /sitemap.xml."""

from django.urls import reverse
from django.utils.translation import gettext as _

from bpd.members.roles import is_treasurer
from bpd.website import registry


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
    return registry.in_every_language(reverse("insights:public"))
