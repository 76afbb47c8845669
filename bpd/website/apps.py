from django.apps import AppConfig
from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy as _

from bpd.website import registry


class WebsiteConfig(AppConfig):
    name = "bpd.website"
    verbose_name = _("Website")

    def ready(self):
        # Django knows Swahili but not Hausa; without this entry
        # get_language_info("ha") raises and templates cannot name the language.
        LANG_INFO.setdefault(
            "ha", {"bidi": False, "code": "ha", "name": "Hausa", "name_local": "Hausa"}
        )
        # Site settings and social links are on every page.
        registry.add_public_content("website.SiteSettings", "website.SocialLink")
