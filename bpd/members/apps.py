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
        "account", _("Your account"), "members:home", order=10, visible=signed_in
    )
    registry.add_menu_link(
        "account", _("Sign out"), "account_logout", order=20, visible=signed_in, post=True
    )
    registry.add_menu_link(
        "account", _("Sign in"), "account_request_login_code", order=30, visible=anonymous
    )
    registry.add_menu_link("account", _("Join"), "account_signup", order=40, visible=anonymous)
    registry.add_viewer_flag("is_executor", is_executor)
    registry.add_viewer_flag("is_treasurer", lambda user: has_role(user, Role.TREASURER))


def _remember_language(sender, request, user, **kwargs):
    """Members get email in the language they last signed in with."""
    from bpd.website import languages

    language = languages.current()
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
