from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundConfig(AppConfig):
    name = "bpd.fund"
    verbose_name = _("Black Leadership Opportunity Fund")
