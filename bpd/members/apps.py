from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bpd.website import registry


class MembersConfig(AppConfig):
    name = "bpd.members"
    verbose_name = _("Members")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_remember_language, dispatch_uid="members-remember-language")

        from bpd.members.models import Profile, User
        from bpd.members.selectors import DIRECTORY

        # Any change to who is listed, or what they show, invalidates cached directory pages.
        DIRECTORY.watch(Profile, User, m2m=[Profile.skills.through])
        _register_with_the_site()

        from bpd.members import exports, jobs  # noqa: F401 (jobs registers itself)

        exports.register()


def _register_with_the_site():
    """The account menu beside the main menu, and the role flags every template gets."""
    # Imported here, as in ready(): apps.py is imported before any model exists, and
    # roles is imported by the models.
    from bpd.members.roles import Role, has_role, is_executor

    signed_in, anonymous = registry.signed_in, registry.anonymous
    registry.add_menu_link(
        "account", _("Sign out"), "account_logout", order=10, visible=signed_in, post=True
    )
    registry.add_menu_link("account", _("Your BPD"), "members:home", order=20, visible=signed_in)
    registry.add_menu_link(
        "account", _("Sign in"), "account_request_login_code", order=30, visible=anonymous
    )
    registry.add_menu_link("account", _("Join"), "account_signup", order=40, visible=anonymous)
    registry.add_menu_link(
        "footer", _("Join Black Python Devs"), "account_signup", order=10, visible=anonymous,
        group="take-part",
    )  # fmt: skip
    registry.add_menu_link(
        "footer", _("Find an expert"), "members:expertise", order=30, group="take-part"
    )
    from bpd.members import hub

    registry.add_programme(hub.expertise_programme, order=50)
    registry.add_hub(order=50, card=hub.community_card)
    registry.add_hub(order=60, card=hub.account_card)
    registry.add_hub(order=90, card=hub.staff_card)
    from bpd.website import mail

    mail.add_kinds(
        {
            "account/login_code": _("Sign-in code"),
            "account/email_confirmation": _("Email address confirmation"),
            "account/email_confirmation_signup": _("Welcome: confirm your email address"),
            "account/unknown_account": _("Sign-in attempt for an unknown address"),
            "account/account_already_exists": _("Joining with an address that has an account"),
            "members/email/contact": _("A message through the expertise directory"),
        }
    )
    registry.add_viewer_flag("is_executor", is_executor)
    registry.add_viewer_flag("is_treasurer", lambda user: has_role(user, Role.TREASURER))


def _remember_language(sender, request, user, **kwargs):
    """Members get email in the language they last signed in with."""
    from bpd.members.middleware import remember_time_zone
    from bpd.members.models import Profile
    from bpd.website import languages

    profile = Profile.objects.filter(user=user).only("time_zone").first()
    remember_time_zone(request, profile.time_zone if profile else "")
    language = languages.current()
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
