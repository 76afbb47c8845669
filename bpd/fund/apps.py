from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bpd.website import registry


class FundConfig(AppConfig):
    name = "bpd.fund"
    verbose_name = _("Black Leadership Opportunity Fund")

    def ready(self):
        # Imported here, not at the top: models and signals can be used only once the
        # app registry is ready, which is what ready() is for.
        from bpd.fund import jobs, personal_data  # noqa: F401 (jobs registers itself)

        registry.add_personal_data(
            "fund",
            collect=personal_data.collect,
            forget=personal_data.forget,
            models=personal_data.MODELS,
        )

        from bpd.fund import models
        from bpd.fund.selectors import FUND

        # Cached committee tables go stale when anything they show changes.
        FUND.watch(
            models.Application, models.Review, models.Conflict, models.Decision, models.AwardItem
        )
