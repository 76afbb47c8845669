"""The members' hub card "Offers for you": how many live offers the member may claim,
their codes and seats with the nearest end, and links to both pages."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bpd.partners import selectors
from bpd.website.registry import HubCard
from bpd.website.templatetags.bpd import day


def card(user):
    claimable, held, nearest = selectors.hub_summary(user)
    offers_label = ngettext(
        "Offers you can claim (%(count)d)", "Offers you can claim (%(count)d)", claimable
    ) % {"count": claimable}
    if held and nearest:
        mine_label = ngettext(
            "Your code or seat (%(count)d), the first ends %(day)s",
            "Your codes and seats (%(count)d), the first ends %(day)s",
            held,
        ) % {"count": held, "day": day(nearest)}
    elif held:
        mine_label = ngettext(
            "Your code or seat (%(count)d)", "Your codes and seats (%(count)d)", held
        ) % {"count": held}
    else:
        mine_label = _("Your codes and seats")
    return HubCard(
        title=_("Offers for you"),
        summary=_(
            "Free seats, codes and discounts from BPD's partners: claim one and it is yours."
        ),
        links=[
            (offers_label, reverse("partners:offers")),
            (mine_label, reverse("partners:mine")),
            (_("Our partners"), reverse("partners:index")),
        ],
    )
