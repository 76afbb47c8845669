"""Cached community pages name their leaders (as each shares their name): when a
leader's profile changes (a new name, or a name no longer shared with everyone), the
pages are rebuilt at once instead of showing the old name until they expire."""

from bpd.communities.models import Leadership
from bpd.website.versions import CONTENT


def profile_saved(sender, instance, **kwargs):
    """Connected to members.Profile's post_save and post_delete: one query, and a bump
    of the content version only when the member leads a community."""
    if Leadership.objects.filter(user_id=instance.user_id).exists():
        CONTENT.bump()
