from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _in_learning(request):
    """The header marks "Learning" on the programmes' pages and on the partners' pages."""
    match = getattr(request, "resolver_match", None)
    return getattr(match, "app_name", None) in {"learning", "partners"}


class LearningConfig(AppConfig):
    name = "bpd.learning"
    verbose_name = _("Learning programmes")

    def ready(self):
        from bpd.learning import hub, personal_data, selectors
        from bpd.learning.models import Cohort, Enrolment, Material, Programme, ProgrammeText
        from bpd.website import mail, registry

        registry.add_menu_link(
            "header", _("Learning"), "learning:index", order=17, current=_in_learning
        )
        registry.add_menu_link(
            "footer", _("Learning programmes"), "learning:index", order=19, group="take-part"
        )
        registry.add_hub(order=26, card=hub.card, tasks=hub.tasks)
        registry.add_profile_lines(hub.completions, order=10)
        # The public pages show places left: a sign-up changes them.
        registry.add_public_content(Programme, ProgrammeText, Cohort, Material, Enrolment)
        registry.add_page_component(
            "books",
            "learning/component.html",
            selectors.book_club_reading_list,
            label=_("The book club's reading list"),
        )

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
