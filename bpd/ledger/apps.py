from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "bpd.ledger"
    verbose_name = _("Money")

    def ready(self):
        from bpd.ledger import hub, models, personal_data  # noqa: F401 (models)
        from bpd.website import registry

        # The treasurer's and executors' way in: a "Money" card on the hub (programmes
        # above add their money pages to it with `ledger.hub.add_link`).
        registry.add_hub(order=85, card=hub.card)
        registry.add_personal_data(
            "ledger",
            collect=personal_data.collect,
            forget=personal_data.forget,
            models=personal_data.MODELS,
            readable=personal_data.readable,
        )
