"""Sponsored tickets on the members' hub: a card with the draws this member can enter
and their own tickets; tasks for offers to confirm (members) and for the leaders of a
community: draws to set up and run, codes to give, attendance to record.

A fixed number of queries whatever the data size (tests/communities/test_tickets_hub.py)."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bpd.communities import tickets
from bpd.communities.models import Community, Draw, TicketEntry
from bpd.members.roles import is_executor
from bpd.website.registry import HubCard, Task
from bpd.website.templatetags.bpd import day

SHOWN = 3
E = TicketEntry.Status


def card(user):
    index = reverse("communities:tickets")
    open_draws = tickets.open_for(user)
    links = [
        (
            _("Apply: %(event)s (closes %(day)s)")
            % {"event": draw.request.title, "day": day(draw.closes_at)},
            reverse("communities:ticket_apply", args=[draw.pk]),
        )
        for draw in open_draws[:SHOWN]
    ]
    links += [
        (_("Tickets you can apply for (%(count)d)") % {"count": len(open_draws)}, index + "#open"),
        (_("Your tickets"), index + "#mine"),
    ]
    if is_executor(user) or Community.objects.led_by(user).exists():
        links.append((_("Draws for your communities"), reverse("communities:draws_manage")))
    return HubCard(
        title=_("Sponsored tickets"),
        summary=_("Tickets BPD buys for members near local conferences and meetups, by a draw."),
        links=links,
    )


def tasks(user):
    now = timezone.now()
    offers = (
        TicketEntry.objects.filter(user=user, status=E.OFFERED, confirm_by__gt=now)
        .select_related("draw__request")
        .order_by("confirm_by")
    )
    for entry in offers:
        yield Task(
            text=_("Confirm your sponsored ticket: %(event)s")
            % {"event": entry.draw.request.title},
            url=reverse("communities:tickets") + "#offers",
            due=entry.confirm_by,
            urgent=True,
        )
    yield from _leader_tasks(user, now)


def _leader_tasks(user, now):
    led = Community.objects.led_by(user)
    requests = (
        tickets.drawable_requests(user)
        .filter(community__in=led, draw__isnull=True)
        .order_by("starts_on", "pk")
    )
    for request in requests:
        yield Task(
            text=_("Set up the ticket draw: %(event)s") % {"event": request.title},
            url=reverse("communities:draw_setup", args=[request.pk]),
            due=request.starts_on,
        )
    confirmed = Q(entries__status=E.CONFIRMED)
    draws = (
        Draw.objects.filter(request__community__in=led, published_at__isnull=False)
        .filter(Q(drawn_at__isnull=True, closes_at__lte=now) | Q(drawn_at__isnull=False))
        .select_related("request__city")
        .annotate(
            without_code=Count(
                "entries", filter=confirmed & Q(entries__code__isnull=True), distinct=True
            ),
            unrecorded=Count(
                "entries", filter=confirmed & Q(entries__attended__isnull=True), distinct=True
            ),
        )
        .order_by("request__starts_on", "pk")
    )
    for draw in draws:
        title = draw.request.title
        started = tickets.event_started(draw, now)
        if draw.drawn_at is None and not started:
            yield Task(
                text=_("Run the ticket draw: %(event)s") % {"event": title},
                url=reverse("communities:draw_run", args=[draw.pk]),
                urgent=True,
            )
        elif draw.drawn_at and draw.without_code and not started:
            yield Task(
                text=_("Give ticket codes to the winners: %(event)s") % {"event": title},
                url=reverse("communities:draw_codes", args=[draw.pk]),
                due=draw.request.starts_on,
            )
        elif draw.drawn_at and started and draw.unrecorded:
            yield Task(
                text=_("Record who came with a sponsored ticket: %(event)s") % {"event": title},
                url=reverse("communities:draw_attendance", args=[draw.pk]),
            )
