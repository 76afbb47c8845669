from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "bpd.events"
    verbose_name = _("Events")

    def ready(self):
        # Imported here: models can be used only once the app registry is ready.
        # --- the organiser's side (events, series, occurrences, Discord) ---
        # (organiser wiring)
        # --- RSVPs, waiting list, reminders, attendance, personal data ---
        # (rsvp wiring)
        # --- public pages, feeds, menus, hub, sitemap ---
        # (public wiring)
        pass
