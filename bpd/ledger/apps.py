from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "bpd.ledger"
    verbose_name = _("Money")

    def ready(self):
        from bpd.ledger import models  # noqa: F401

        # LEDGER-HELPER: hub card for the treasurer (payments due), menu links.
