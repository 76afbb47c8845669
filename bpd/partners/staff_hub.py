"""Partners on the executors' hub: a "Partners and offers" card with counts, and the
task "N offers wait for approval". Three queries for executors, none for anyone else."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bpd.members.roles import is_executor
from bpd.partners.models import Claim, Offer, Partner
from bpd.website.registry import HubCard, Task


def card(user):
    if not is_executor(user):
        return None
    partners = Partner.objects.active().count()
    offers = Offer.objects.aggregate(
        live=Count("pk", filter=Q(pk__in=Offer.objects.live().values("pk"))),
        waiting=Count("pk", filter=Q(status=Offer.Status.PENDING)),
    )
    seats = Claim.objects.filter(
        status=Claim.Status.ACTIVE, offer__kind=Offer.Kind.SEATS, used_at__isnull=True
    ).aggregate(
        to_provision=Count("pk", filter=Q(provisioned_at__isnull=True)),
        to_reclaim=Count("pk", filter=Q(reminded_at__isnull=False)),
    )
    summary = _(
        "%(partners)s active partners, %(live)s offers members can claim, %(waiting)s waiting."
    ) % {
        "partners": partners,
        **offers,
    }
    summary += (
        " "
        + _(
            "Seats: %(to_provision)s claimed and not yet set up by the partner, %(to_reclaim)s "
            "unused after a reminder (the daily job gives them back when their time is up)."
        )
        % seats
    )
    return HubCard(
        title=_("Partners and offers"),
        summary=summary,
        links=[
            (_("Partners and their offers"), reverse("partners:manage")),
            (_("Offers waiting for approval"), reverse("partners:manage") + "#waiting"),
            (_("New partner"), reverse("partners:manage_new")),
        ],
    )


def tasks(user):
    if not is_executor(user):
        return
    waiting = Offer.objects.filter(status=Offer.Status.PENDING).count()
    if waiting:
        yield Task(
            text=ngettext(
                "%(count)s offer waits for approval", "%(count)s offers wait for approval", waiting
            )
            % {"count": waiting},
            url=reverse("partners:manage") + "#waiting",
        )
