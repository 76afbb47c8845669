"""The sponsored tickets' scheduled work: offers not confirmed in time lapse, and each
ticket goes to the next entry in the draw's published order."""

from django.utils.translation import gettext_lazy as _

from bpd.background import jobs
from bpd.communities import tickets


@jobs.job(
    "communities.ticket_offers_lapse",
    every=jobs.FREQUENTLY,
    label=_("Sponsored tickets: lapse offers past their deadline and pass the tickets on"),
)
def lapse_ticket_offers():
    return f"{tickets.lapse_overdue()} ticket offers lapsed"
