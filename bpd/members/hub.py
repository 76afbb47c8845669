"""The members' own cards on the hub: their profile and the community, and the staff
pages for executors. Other programmes add theirs with `registry.add_hub`."""

from django.urls import reverse
from django.utils.translation import gettext as _

from bpd.members.roles import is_executor
from bpd.website.registry import HubCard, Programme


def community_card(user):
    return HubCard(
        title=_("Community"),
        summary=_("Find other members and the experts who speak, write and maintain."),
        links=[
            (_("Members' directory"), reverse("members:directory")),
            (_("Find an expert"), reverse("members:expertise")),
        ],
    )


def account_card(user):
    return HubCard(
        title=_("Your account"),
        summary=_("What you show, to whom, and everything we keep about you."),
        links=[
            (_("Edit your profile and who sees it"), reverse("members:edit_profile")),
            (_("Connected accounts"), reverse("members:connections")),
            (_("Download your data"), reverse("members:my_data")),
            (_("Delete your account"), reverse("members:delete_account")),
        ],
    )


def staff_card(user):
    if not is_executor(user):
        return None
    return HubCard(
        title=_("Staff"),
        summary=_("Members, roles and invites; the audit log; email and scheduled jobs."),
        links=[
            (_("Find and export members"), reverse("members:staff_members")),
            (_("Invite links"), reverse("members:staff_invites")),
            (_("Audit log"), reverse("members:staff_audit")),
            (_("Email and scheduled jobs"), reverse("background:mail_and_jobs")),
            (_("Design system"), reverse("styleguide")),
            (_("Site administration (pages, news, settings)"), reverse("admin:index")),
        ],
    )


def expertise_programme():
    return Programme(
        title=_("Find an expert"),
        summary=_(
            "Speakers, writers and maintainers from our community, for your conference, "
            "podcast or team."
        ),
        url=reverse("members:expertise"),
        action=_("Browse the expertise directory"),
    )
