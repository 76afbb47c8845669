"""The organiser's links for the events card on the members' hub (the card itself is
the public pages' part: it calls `organiser_links`)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from bpd.events.organiser import can_organise
from bpd.members.roles import is_executor


def organiser_links(user):
    """[(label, url)] of the organiser's pages this person may use: executors all of them;
    other organisers (a community's leaders) their events list."""
    if not is_executor(user):
        return [(_("Organise events"), reverse("events:manage"))] if can_organise(user) else []
    return [
        (_("Organise events"), reverse("events:manage")),
        (_("New event"), reverse("events:create")),
        (_("Moderate the conference list"), reverse("conferences:moderate")),
    ]
