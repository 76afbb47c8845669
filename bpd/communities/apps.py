from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "bpd.communities"
    verbose_name = _("Local communities")

    def ready(self):
        # Imported here: models can be used only once the app registry is ready.
        from bpd.communities import models  # noqa: F401

        # COMMUNITIES-HELPER: menu links, hub card for leaders and members, sitemap,
        # public content, personal data, organiser scope for events, mail kinds.
        # SPONSORSHIP-HELPER: hub card/tasks for executors (requests waiting), mail kinds.
        # PAYMENTS-HELPER: hub card/tasks for the treasurer (payments due).
        # TICKETS-HELPER: hub card for members (tickets to apply for, your tickets),
        # leaders (draws to run, attendance), jobs (confirm deadlines), mail kinds.
