from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "bpd.members"
    verbose_name = _("Members")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_remember_language, dispatch_uid="members-remember-language")

        from django.db.models.signals import m2m_changed, post_delete, post_save

        from bpd.members.models import Profile, User
        from bpd.members.selectors import bump_directory_version

        # Any change to who is listed, or what they show, invalidates cached directory pages.
        for model in (Profile, User):
            post_save.connect(
                bump_directory_version,
                sender=model,
                dispatch_uid=f"directory-{model.__name__}-save",
            )
            post_delete.connect(
                bump_directory_version, sender=model, dispatch_uid=f"directory-{model.__name__}-del"
            )
        m2m_changed.connect(
            bump_directory_version, sender=Profile.skills.through, dispatch_uid="directory-skills"
        )


def _remember_language(sender, request, user, **kwargs):
    """Members get email in the language they last signed in with."""
    from bpd.website import languages

    language = languages.current()
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
