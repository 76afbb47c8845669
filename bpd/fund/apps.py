from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundConfig(AppConfig):
    name = "bpd.fund"
    verbose_name = _("Black Leadership Opportunity Fund")

    def ready(self):
        # Imported here, not at the top: models and signals can be used only once the
        # app registry is ready, which is what ready() is for.
        from bpd.fund import personal_data
        from bpd.members import exports

        exports.COLLECTORS["fund_applications"] = personal_data.collect
        exports.DELETION_HANDLERS["fund_applications"] = personal_data.forget

        from django.db.models.signals import post_delete, post_save

        from bpd.fund import models
        from bpd.fund.selectors import bump_fund_version

        # Cached committee tables go stale when anything they show changes.
        for model in (
            models.Application,
            models.Review,
            models.Conflict,
            models.Decision,
            models.AwardItem,
        ):
            post_save.connect(
                bump_fund_version, sender=model, dispatch_uid=f"fund-{model.__name__}-save"
            )
            post_delete.connect(
                bump_fund_version, sender=model, dispatch_uid=f"fund-{model.__name__}-del"
            )
