from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _content_changed(sender, **kwargs):
    from bpd.pages.selectors import bump_content_version

    bump_content_version()


class PagesConfig(AppConfig):
    name = "bpd.pages"
    verbose_name = _("Pages")

    def ready(self):
        # Anything a public page shows invalidates cached menus and pages when saved.
        for label in (
            "pages.Page",
            "pages.TeamMember",
            "pages.TeamMemberTranslation",
            "news.Post",
            "news.Tag",
            "website.SiteSettings",
            "website.SocialLink",
        ):
            post_save.connect(_content_changed, sender=label, dispatch_uid=f"content-{label}-save")
            post_delete.connect(_content_changed, sender=label, dispatch_uid=f"content-{label}-del")
        from django.apps import apps

        post_tags = apps.get_model("news", "Post").tags.through
        m2m_changed.connect(_content_changed, sender=post_tags, dispatch_uid="content-post-tags")
