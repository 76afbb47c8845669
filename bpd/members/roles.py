"""The community's roles. Each is a Django group; executors are also staff."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from bpd.website import registry


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    LEADER = "leader", _("Community leader")
    REVIEWER = "reviewer", _("Fund reviewer")
    TREASURER = "treasurer", _("Treasurer")
    EXECUTOR = "executor", _("Executor")
    PARTNER = "partner", _("Partner")


def role_names(user):
    """The role slugs a user holds, cached on the user object for the request."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_bpd_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        if user.is_staff:
            cached |= {Role.EXECUTOR}
        user._bpd_roles = cached
    return cached


def has_role(user, *roles):
    return bool(role_names(user) & set(roles))


def is_executor(user):
    return user.is_authenticated and (user.is_superuser or has_role(user, Role.EXECUTOR))


def is_leader_or_staff(user):
    """Who may see fields members share with "leaders"."""
    return user.is_authenticated and (is_executor(user) or has_role(user, Role.LEADER))


def is_treasurer(user):
    """Who handles money: the treasurer, and executors."""
    return user.is_authenticated and (is_executor(user) or has_role(user, Role.TREASURER))


def role_required(check):
    """Decorate a view so only users for whom `check(user)` holds may open it:
    anonymous visitors are sent to sign in, everyone else gets 403."""
    return registry.user_passes(check)


executor_required = role_required(is_executor)
treasurer_required = role_required(is_treasurer)
