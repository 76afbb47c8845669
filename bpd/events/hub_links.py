"""The organiser's links for the events card on the members' hub (the card itself is
the public pages' part: it calls `organiser_links`)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from bpd.members.roles import is_executor


def organiser_links(user):
    """[(label, url)] of the organiser's pages this person may use (staff, for now)."""
    if not is_executor(user):
        return []
    return [
        (_("Organise events"), reverse("events:manage")),
        (_("New event"), reverse("events:create")),
        (_("Moderate the conference list"), reverse("conferences:moderate")),
    ]
