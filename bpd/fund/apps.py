from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bpd.website import mail, registry


class FundConfig(AppConfig):
    name = "bpd.fund"
    verbose_name = _("Black Leadership Opportunity Fund")

    def ready(self):
        # Imported here, not at the top: models and signals can be used only once the
        # app registry is ready, which is what ready() is for.
        from bpd.fund import jobs, personal_data  # noqa: F401 (jobs registers itself)

        registry.add_personal_data(
            "fund",
            collect=personal_data.collect,
            forget=personal_data.forget,
            models=personal_data.MODELS,
            readable=personal_data.readable,
        )

        from bpd.fund import hub

        registry.add_menu_link("header", _("Fund"), "fund:index", order=15, current=_in_fund)
        registry.add_menu_link(
            "footer", _("Leadership Opportunity Fund"), "fund:index", order=20, group="take-part"
        )
        registry.add_programme(_programme, order=10)
        registry.add_sitemap_section(_sitemap, order=30)
        registry.add_hub(order=10, card=hub.card, tasks=hub.tasks)
        mail.add_kinds(
            {
                "fund/email/submitted": _("Fund: application received"),
                "fund/email/report_reminder": _("Fund: trip report reminder"),
                "fund/email/decision_award": _("Fund: award offer"),
                "fund/email/decision_waitlist": _("Fund: on the waiting list"),
                "fund/email/decision_decline": _("Fund: not funded"),
                "fund/email/waitlist_moved": _("Fund: the waiting list moved"),
                "fund/email/waitlist_exhausted": _("Fund: the waiting list is empty"),
            }
        )

        from bpd.conferences.panels import add_panel
        from bpd.fund.conference_panel import open_round_panel

        add_panel(open_round_panel)  # "a round is open" on conference pages

        from bpd.fund import models
        from bpd.fund.selectors import FUND

        # Cached committee tables go stale when anything they show changes.
        FUND.watch(
            models.Application, models.Review, models.Conflict, models.Decision, models.AwardItem
        )


def _in_fund(request):
    match = getattr(request, "resolver_match", None)
    return getattr(match, "app_name", None) == "fund"


def _programme():
    from django.urls import reverse

    return registry.Programme(
        title=_("Black Leadership Opportunity Fund"),
        summary=_(
            "Community leaders apply to attend global Python events. We check the visa is "
            "feasible, then book and pay for the trip: you never front money."
        ),
        url=reverse("fund:index"),
        action=_("See the rounds and apply"),
    )


def _sitemap():
    """The Fund's public page, in every language."""
    from django.conf import settings

    from bpd.website import languages

    pages = tuple(
        registry.Alternate(code, settings.SITE_URL + languages.prefixed("fund/", code))
        for code in languages.CODES
    )
    return [
        registry.SitemapEntry(
            url=page.url, alternates=pages, x_default=settings.SITE_URL + "/fund/"
        )
        for page in pages
    ]
