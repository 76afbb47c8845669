"""Learning programmes on the members' hub: a card with the member's programmes (and the
cohorts they host), and a task for each session a host has not recorded yet."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bpd.events.models import Occurrence
from bpd.learning import selectors
from bpd.learning.models import Attendance, Cohort
from bpd.members.roles import is_executor
from bpd.website.registry import HubCard, Task

SHOWN = 3


def card(user):
    links = [
        (f"{e.cohort.programme.title}: {e.cohort.name} ({e.get_status_display()})",
         reverse("learning:detail", args=[e.cohort.programme.slug]))
        for e in selectors.enrolments_of(user)[:SHOWN]
    ]  # fmt: skip
    links.append((_("Your programmes"), reverse("learning:mine")))
    links.append((_("Learning programmes"), reverse("learning:index")))
    if is_executor(user):
        links.append((_("Run learning programmes"), reverse("learning:manage")))
    return HubCard(
        title=_("Learning programmes"),
        summary=_("Study groups, book clubs and workshop series on Discord."),
        links=links,
    )


def tasks(user):
    """Sessions of the last two weeks that a cohort's host has not recorded yet."""
    now = timezone.now()
    hosted = list(
        Cohort.objects.filter(hosts=user, event__isnull=False).select_related("programme")
    )
    if not hosted:
        return
    by_event = {cohort.event_id: cohort for cohort in hosted}
    recorded = set(
        Attendance.objects.filter(enrolment__cohort__in=hosted).values_list(
            "occurrence_id", flat=True
        )
    )
    sessions = Occurrence.objects.filter(
        event_id__in=list(by_event),
        cancelled=False,
        starts_at__lte=now,
        starts_at__gte=now - dt.timedelta(days=14),
    ).order_by("starts_at")
    for session in sessions:
        if session.pk in recorded:
            continue
        cohort = by_event[session.event_id]
        yield Task(
            text=_("Record who came: %(cohort)s")
            % {"cohort": f"{cohort.programme.title}: {cohort.name}"},
            url=reverse("learning:attendance", args=[cohort.pk, session.pk]),
        )


def completions(user):
    """The completions a member chose to show on their profile."""
    for enrolment in selectors.completions_shown(user):
        cohort = enrolment.cohort
        yield _("Completed %(programme)s (%(cohort)s)") % {
            "programme": cohort.programme.title,
            "cohort": cohort.name,
        }
