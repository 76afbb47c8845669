from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundConfig(AppConfig):
    name = "bpd.fund"
    verbose_name = _("Black Leadership Opportunity Fund")

    def ready(self):
        from bpd.fund import personal_data
        from bpd.members import exports

        exports.COLLECTORS["fund_applications"] = personal_data.collect
        exports.DELETION_HANDLERS["fund_applications"] = personal_data.forget
