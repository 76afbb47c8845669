"""The Fund's panel on a conference's page: a round is open that can send leaders there."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bpd.fund.models import Round
from bpd.website.templatetags.bpd import moment


def open_round_panel(conference, now=None):
    """[(title, text, url)] for each round open now whose decisions come before the
    conference starts (a leader can still be funded to go); [] when none is."""
    now = now or timezone.now()
    rounds = Round.objects.filter(
        opens_at__lte=now, closes_at__gt=now, decision_date__lt=conference.starts_on
    ).order_by("closes_at")
    return [
        (
            _("Black Leadership Opportunity Fund"),
            _(
                "The Black Leadership Opportunity Fund round %(name)s is open until %(closes)s: "
                "community leaders can apply to attend."
            )
            % {"name": round.name, "closes": moment(round.closes_at)},
            reverse("fund:apply", args=[round.slug]),
        )
        for round in rounds
    ]
