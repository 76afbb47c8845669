"""The conference list on the members' hub: for executors, the suggestions waiting for
moderation (one query, whatever the data size)."""

from django.urls import reverse
from django.utils.translation import ngettext

from bpd.conferences.models import Conference
from bpd.members.roles import is_executor
from bpd.website.registry import Task


def tasks(user):
    if not is_executor(user):
        return
    waiting = Conference.objects.filter(status=Conference.Status.SUGGESTED).count()
    if waiting:
        yield Task(
            text=ngettext(
                "%(count)s conference suggestion waits for moderation",
                "%(count)s conference suggestions wait for moderation",
                waiting,
            )
            % {"count": waiting},
            url=reverse("conferences:moderate"),
        )
