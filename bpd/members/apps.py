from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "bpd.members"
    verbose_name = _("Members")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_remember_language, dispatch_uid="members-remember-language")


def _remember_language(sender, request, user, **kwargs):
    """Members get email in the language they last signed in with."""
    from bpd.website import languages

    language = languages.current()
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
