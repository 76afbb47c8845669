"""The Fund on the members' hub: its card (the pages this person can use) and what
waits for them (an offer to answer, reviews, decisions to release, trips to book).

Each function runs a fixed number of queries whatever the data size
(tests/fund/test_hub.py holds them at two sizes)."""

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bpd.fund.models import Application, Decision, Round
from bpd.members.roles import Role, has_role, is_executor, is_treasurer
from bpd.website.registry import HubCard, Task

S = Application.Status


def tasks(user):
    now = timezone.now()
    # Offers to answer, and accepted awards whose letter waits for the passport name
    # (accepted before it was asked for): one query for both.
    replies = (
        Application.objects.owned_by(user)
        .filter(Q(status=S.OFFERED) | Q(status=S.ACCEPTED, passport_name=""))
        .select_related("round", "decision")
    )
    for application in replies:
        if application.status == S.ACCEPTED:
            yield Task(
                text=_("Give your name as in your passport for your funding letter: %(round)s")
                % {"round": application.round.name},
                url=reverse("fund:application", args=[application.pk]) + "#letter-h",
            )
            continue
        yield Task(
            text=_("Reply to your award offer: %(round)s") % {"round": application.round.name},
            url=reverse("fund:application", args=[application.pk]),
            due=application.decision.offer_deadline,
            urgent=True,
        )
    drafts = Application.objects.owned_by(user).filter(
        status=S.DRAFT, round__opens_at__lte=now, round__closes_at__gt=now
    )
    for application in drafts.select_related("round"):
        yield Task(
            text=_("Finish and submit your application: %(round)s")
            % {"round": application.round.name},
            url=reverse("fund:apply", args=[application.round.slug]),
            due=application.round.closes_at,
        )
    waiting = (
        Application.objects.reviewable_by(user)
        .filter(status=S.SUBMITTED)
        .exclude(reviews__reviewer=user, reviews__submitted_at__isnull=False)
        .values("round__slug", "round__name")
        .annotate(count=Count("pk", distinct=True))
        .order_by("round__closes_at")
    )
    for row in waiting:
        yield Task(
            text=ngettext(
                "%(count)d application waits for your review: %(round)s",
                "%(count)d applications wait for your review: %(round)s",
                row["count"],
            )
            % {"count": row["count"], "round": row["round__name"]},
            url=reverse("fund:review_queue", args=[row["round__slug"]]),
        )
    if is_executor(user):
        staged = (
            Decision.objects.filter(released_at__isnull=True)
            .values("application__round__slug", "application__round__name")
            .annotate(count=Count("pk"), since=Min("staged_at"))
        )
        for row in staged:
            yield Task(
                text=ngettext(
                    "%(count)d decision staged, waiting to be released: %(round)s",
                    "%(count)d decisions staged, waiting to be released: %(round)s",
                    row["count"],
                )
                % {"count": row["count"], "round": row["application__round__name"]},
                url=reverse("fund:allocate", args=[row["application__round__slug"]]),
            )
    if is_treasurer(user):
        unbooked = (
            Application.objects.not_conflicted_for(user)
            .filter(status=S.ACCEPTED, bookings__isnull=True)
            .values("round__slug", "round__name")
            .annotate(count=Count("pk"))
        )
        for row in unbooked:
            yield Task(
                text=ngettext(
                    "%(count)d accepted award has nothing booked yet: %(round)s",
                    "%(count)d accepted awards have nothing booked yet: %(round)s",
                    row["count"],
                )
                % {"count": row["count"], "round": row["round__name"]},
                url=reverse("fund:money", args=[row["round__slug"]]),
            )


def card(user):
    """The Fund's pages for this person; everyone signed in can read the Fund's page."""
    now = timezone.now()
    links = [(_("Rounds, and your applications"), reverse("fund:index"))]
    open_round = Round.objects.filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at")
    open_round = open_round.only("slug", "name", "requires_leader").first()
    if open_round and (not open_round.requires_leader or has_role(user, Role.LEADER)):
        links.insert(
            0,
            (
                _("Apply: %(round)s") % {"round": open_round.name},
                reverse("fund:apply", args=[open_round.slug]),
            ),
        )
    for round in Round.objects.reviewed_by(user).order_by("-closes_at").only("slug", "name")[:2]:
        links.append(
            (
                _("Review queue: %(round)s") % {"round": round.name},
                reverse("fund:review_queue", args=[round.slug]),
            )
        )
        links.append(
            (
                _("Committee: %(round)s") % {"round": round.name},
                reverse("fund:committee", args=[round.slug]),
            )
        )
    latest = Round.objects.order_by("-closes_at").only("slug", "name").first()
    if latest and is_executor(user):
        links += [
            (_("Set up and manage rounds"), reverse("fund:manage")),
            (
                _("Allocate and decide: %(round)s") % {"round": latest.name},
                reverse("fund:allocate", args=[latest.slug]),
            ),
            (
                _("Committee: %(round)s") % {"round": latest.name},
                reverse("fund:committee", args=[latest.slug]),
            ),
        ]
    elif is_executor(user):
        links.append((_("Set up and manage rounds"), reverse("fund:manage")))
    if latest and is_treasurer(user):
        links += [
            (
                _("Money and bookings: %(round)s") % {"round": latest.name},
                reverse("fund:money", args=[latest.slug]),
            ),
            (
                _("Round report: %(round)s") % {"round": latest.name},
                reverse("fund:report", args=[latest.slug]),
            ),
        ]
    if is_executor(user) or is_treasurer(user):
        links.append((_("Visa appointment wait times"), reverse("fund:wait_times")))
    return HubCard(
        title=_("Black Leadership Opportunity Fund"),
        summary=_("Grants that send community leaders to global events; BPD books and pays."),
        links=list(dict.fromkeys(links)),
    )
