from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConferencesConfig(AppConfig):
    name = "bpd.conferences"
    verbose_name = _("Conference list")

    def ready(self):
        # Imported here: models can be used only once the app registry is ready.
        # --- public list, deadlines, follows, reminders, suggestions, personal data ---
        # (conference wiring)
        # --- importers and demo data ---
        # (import wiring)
        pass
