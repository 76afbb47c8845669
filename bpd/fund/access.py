"""Who may do what in the Fund. Views call these; reads go through Application.objects.visible_to."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from bpd.fund.models import Application, Round
from bpd.members.roles import Role, has_role, is_executor


def is_treasurer(user):
    return user.is_authenticated and (is_executor(user) or has_role(user, Role.TREASURER))


def can_see_committee(user, round):
    return is_executor(user) or round.reviewers.filter(pk=user.pk).exists()


def require(condition):
    if not condition:
        raise PermissionDenied


def own_application(user, pk):
    """The applicant's own application (404 for anyone else's, so ids leak nothing)."""
    return get_object_or_404(
        Application.objects.select_related("round", "event", "origin_city"), pk=pk, applicant=user
    )


def reviewable_application(user, pk):
    """An application in a round `user` reviews, unless they declared a conflict or it is theirs."""
    application = get_object_or_404(
        Application.objects.filter(round__reviewers=user, status__in=Application.REVIEWABLE)
        .exclude(conflicts__reviewer=user)
        .exclude(applicant=user)
        .select_related("round", "event", "origin_city"),
        pk=pk,
    )
    return application


def staff_application(user, pk):
    require(is_treasurer(user))
    return get_object_or_404(
        Application.objects.select_related("round", "event", "applicant__profile"), pk=pk
    )


def round_by_slug(slug):
    return get_object_or_404(Round, slug=slug)
