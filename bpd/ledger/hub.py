"""The ledger on the members' hub: a "Money" card for the treasurer and executors, with
the pages where money is seen and recorded. Programmes above the ledger add their own
money pages to it (`add_link`: the payments to organisers), so the card is the one place
a treasurer starts from. No query beyond the role check the hub makes anyway."""

from django.urls import reverse
from django.utils.translation import gettext as _

from bpd.members.roles import is_treasurer
from bpd.website.registry import HubCard

_links = []  # (order, label, URL name)


def add_link(label, url_name, *, order):
    """Add a link to the Money card (`label` may be a lazy translation)."""
    _links.append((order, label, url_name))
    _links.sort(key=lambda link: link[0])


def card(user):
    if not is_treasurer(user):
        return None
    return HubCard(
        title=_("Money"),
        summary=_("Every programme's money in one ledger: pools, commitments, payments, refunds."),
        links=[
            (_("Totals per year, programme and region"), reverse("ledger:overview")),
            (_("The ledger: every entry"), reverse("ledger:entries")),
            *((str(label), reverse(url_name)) for _order, label, url_name in _links),
        ],
    )
