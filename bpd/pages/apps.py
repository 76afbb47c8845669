from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bpd.website import registry


class PagesConfig(AppConfig):
    name = "bpd.pages"
    verbose_name = _("Pages")

    def ready(self):
        # Imported here: selectors imports the models, which exist only once apps are ready.
        from bpd.pages import selectors

        # Anything a public page shows invalidates cached menus and pages when saved.
        registry.add_public_content("pages.Page", "pages.TeamMember", "pages.TeamMemberTranslation")
        registry.add_menu("header", selectors.menu_items, order=10)
        registry.add_menu("footer", selectors.footer_items, order=1)
        registry.add_sitemap_section(selectors.sitemap, order=10)
