"""The communities' scheduled work: offers of sponsored tickets not confirmed in time
lapse (each ticket goes to the next entry in the draw's published order), and members and
followers hear about a community's new events."""

from django.utils.translation import gettext_lazy as _

from bpd.background import jobs
from bpd.communities import services, tickets


@jobs.job(
    "communities.ticket_offers_lapse",
    every=jobs.FREQUENTLY,
    label=_("Sponsored tickets: lapse offers past their deadline and pass the tickets on"),
)
def lapse_ticket_offers():
    return f"{tickets.lapse_overdue()} ticket offers lapsed"


@jobs.job(
    "communities.announce_events",
    every=jobs.FREQUENTLY,
    label=_("Local communities: tell members and followers about new events"),
)
def announce_events():
    return f"{services.announce_new_events()} emails about new community events queued"
