"""What waits on the members' hub from local communities.

Communities: for executors, proposals waiting for a decision (one query; none for
anyone else)."""

from django.urls import reverse
from django.utils.translation import ngettext

from bpd.communities.models import Community
from bpd.members.roles import is_executor
from bpd.website.registry import Task


def proposals(user):
    if not is_executor(user):
        return
    waiting = Community.objects.filter(status=Community.Status.PROPOSED).count()
    if waiting:
        yield Task(
            text=ngettext(
                "%(count)s community proposal waits for a decision",
                "%(count)s community proposals wait for a decision",
                waiting,
            )
            % {"count": waiting},
            url=reverse("communities:manage") + "#proposals",
        )
