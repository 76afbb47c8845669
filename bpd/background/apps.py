from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bpd.website import registry


class BackgroundConfig(AppConfig):
    name = "bpd.background"
    verbose_name = _("Background work")

    def ready(self):
        # Registers the tasks and periodic jobs with huey in every process that
        # imports the app: web workers enqueue them, `manage.py run_huey` runs them.
        from bpd.background import personal_data, tasks  # noqa: F401

        registry.add_personal_data(
            "emails",
            collect=personal_data.collect,
            forget=personal_data.forget,
            readable=personal_data.readable,
        )
