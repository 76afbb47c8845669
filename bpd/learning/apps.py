from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "bpd.learning"
    verbose_name = _("Learning programmes")

    def ready(self):
        from bpd.learning import personal_data
        from bpd.website import mail, registry

        registry.add_personal_data(
            "learning",
            collect=personal_data.collect,
            forget=personal_data.forget,
            models=personal_data.MODELS,
            readable=personal_data.readable,
        )
        mail.add_kinds(
            {
                "learning/email/enrolled": _("Learning: a place in a cohort"),
                "learning/email/waiting": _("Learning: on a cohort's waiting list"),
                "learning/email/place_given": _("Learning: a place became free"),
                "learning/email/completed": _("Learning: a cohort completed"),
            }
        )
