from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "bpd.insights"
    verbose_name = _("Insights")

    def ready(self):
        from bpd.insights import hub, jobs, models  # noqa: F401 (jobs registers itself)
        from bpd.website import registry

        # A new day's figures change the public page: its cached copies are dropped.
        registry.add_public_content(models.Snapshot)
        registry.add_menu_link(
            "footer", _("Where our members are"), "insights:public", order=40, group="how-we-work"
        )
        registry.add_hub(order=87, card=hub.card)
        registry.add_sitemap_section(hub.sitemap, order=60)
