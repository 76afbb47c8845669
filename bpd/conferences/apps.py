from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConferencesConfig(AppConfig):
    name = "bpd.conferences"
    verbose_name = _("Conference list")

    def ready(self):
        # Imported here: models can be used only once the app registry is ready.
        # --- public list, deadlines, follows, reminders, suggestions, personal data ---
        from bpd.conferences import hub, jobs, models, personal_data, selectors  # noqa: F401
        from bpd.website import mail, registry

        registry.add_personal_data(
            "conferences",
            collect=personal_data.collect,
            forget=personal_data.forget,
            models=personal_data.MODELS,
            readable=personal_data.readable,
        )
        registry.add_menu_link(
            "footer", _("Python conferences"), "conferences:index", order=25, group="take-part"
        )
        registry.add_sitemap_section(_sitemap, order=40)
        registry.add_hub(order=25, tasks=hub.tasks)
        # The list and the deadlines are cached for visitors (not a conference's own page:
        # it names speakers as far as their profiles allow, which must change at once).
        registry.add_public_content(models.Conference, models.Deadline)
        registry.add_scheduled_content(selectors.next_change)
        registry.add_page_component(
            "conferences",
            "conferences/component.html",
            selectors.page_component,
            label=_("Upcoming Python conferences"),
        )
        mail.add_kinds(
            {
                "conferences/email/deadline_reminder": _("Conferences: deadline reminder"),
                "conferences/email/published": _("Conferences: your suggestion is published"),
                "conferences/email/rejected": _("Conferences: your suggestion was not added"),
            }
        )
        # --- importers and demo data ---
        # Nothing to register: the import page is linked from the moderation page and
        # the demo data is called by load_site --demo.


def _sitemap():
    """The list, the deadlines and each upcoming published conference, in every language."""
    from django.conf import settings
    from django.urls import reverse

    from bpd.conferences.models import Conference
    from bpd.website import languages, registry

    def entry(path, lastmod=None):
        pages = tuple(
            registry.Alternate(code, settings.SITE_URL + languages.prefixed(path, code))
            for code in languages.CODES
        )
        return [
            registry.SitemapEntry(
                url=page.url,
                lastmod=lastmod,
                alternates=pages,
                x_default=settings.SITE_URL + "/" + path,
            )
            for page in pages
        ]

    def bare(name, *args):
        return reverse(name, args=args).lstrip("/")

    entries = entry(bare("conferences:index")) + entry(bare("conferences:deadlines"))
    for conference in Conference.objects.published().upcoming().only("slug", "updated_at"):
        entries += entry(bare("conferences:detail", conference.slug), conference.updated_at)
    return entries
