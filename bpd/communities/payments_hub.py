"""Payments to organisers on the members' hub: the treasurer's "needs you" task (approved
sponsorships waiting for their payment, one query) and the link on the Money card."""

from django.urls import reverse
from django.utils.translation import gettext_lazy, ngettext

from bpd.communities.models import SponsorshipRequest
from bpd.members.roles import is_treasurer
from bpd.website.registry import Task


def tasks(user):
    if not is_treasurer(user):
        return
    count = SponsorshipRequest.objects.filter(status=SponsorshipRequest.Status.APPROVED).count()
    if count:
        yield Task(
            text=ngettext("%(count)d sponsorship to pay", "%(count)d sponsorships to pay", count)
            % {"count": count},
            url=reverse("communities:payments"),
        )


def register():
    from bpd.ledger import hub as money_card
    from bpd.website import mail, registry

    registry.add_hub(order=86, tasks=tasks)
    money_card.add_link(
        gettext_lazy("Payments to organisers of local events"), "communities:payments", order=10
    )
    mail.add_kinds(
        {"communities/email/sponsorship_paid": gettext_lazy("Sponsorship: the organiser was paid")}
    )
