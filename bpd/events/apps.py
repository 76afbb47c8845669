from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "bpd.events"
    verbose_name = _("Events")

    def ready(self):
        # Imported here: models can be used only once the app registry is ready.
        from bpd.events import (  # noqa: F401 (jobs and rsvp_jobs register themselves)
            hub,
            hub_tasks,
            jobs,
            models,
            personal_data,
            rsvp_jobs,
            selectors,
            sitemap,
        )
        from bpd.website import mail, registry

        registry.add_menu_link("header", _("Events"), "events:index", order=14, current=_in_events)
        registry.add_menu_link("footer", _("Events"), "events:index", order=15, group="take-part")
        registry.add_programme(sitemap.programme, order=20)
        registry.add_sitemap_section(sitemap.entries, order=40)
        registry.add_hub(order=20, card=hub.card, tasks=hub_tasks.tasks)
        # The index, the archive and event pages are cached for visitors: a change to an
        # event, a date or who holds a seat (the pages count seats) rebuilds them, and so
        # does the moment the next date starts or ends (it moves between the lists).
        registry.add_public_content(models.Event, models.Occurrence, models.Rsvp)
        registry.add_scheduled_content(selectors.next_change)
        registry.add_personal_data(
            "events",
            collect=personal_data.collect,
            forget=personal_data.forget,
            models=personal_data.MODELS,
            readable=personal_data.readable,
        )
        mail.add_kinds(
            {
                "events/email/date_cancelled": _("Events: a date was cancelled"),
                "events/email/event_cancelled": _("Events: the event was cancelled"),
                "events/email/date_moved": _("Events: a date moved"),
                "events/email/seat_offered": _("Events: a seat offered from the waiting list"),
                "events/email/offer_lapsed": _("Events: an offered seat was not confirmed in time"),
                "events/email/seat_given": _("Events: a seat given from the waiting list"),
                "events/email/reminder": _("Events: reminder before a date"),
            }
        )


def _in_events(request):
    match = getattr(request, "resolver_match", None)
    return getattr(match, "app_name", None) == "events"
