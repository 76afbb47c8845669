from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "bpd.partners"
    verbose_name = _("Partners and offers")

    def ready(self):
        # Imported here: models can be used only once the app registry is ready.
        from bpd.partners import models  # noqa: F401

        # Each part registers its own plug-ins (hub cards, menus, jobs, mail, personal data).
        _register_public_and_members()
        _register_staff()
        _register_portal()


def _register_public_and_members():
    """The public Partners page and the member's offers and claims."""
    from bpd.partners import hub, personal_data, selectors, sitemap
    from bpd.partners.models import Offer, OfferText, Partner, PartnerText
    from bpd.website import mail, registry

    # One header entry serves learning and partners (the "learning/partners"):
    # "Learning" leads to the programmes, whose page links to the partners and their offers.
    registry.add_menu_link("footer", _("Partners"), "partners:index", order=18, group="take-part")
    registry.add_programme(sitemap.programme, order=30)
    registry.add_sitemap_section(sitemap.entries, order=47)
    registry.add_hub(order=26, card=hub.card)
    # The Partners pages are cached for visitors: a change to a partner, an offer or their
    # texts rebuilds them, and so does an offer's start or end (nobody saves anything then).
    registry.add_public_content(Partner, PartnerText, Offer, OfferText)
    registry.add_scheduled_content(selectors.next_change)
    registry.add_page_component(
        "partners",
        "partners/public/component.html",
        selectors.page_component,
        label=_("Partners and their offers"),
    )
    registry.add_personal_data(
        "partner_offers",
        collect=personal_data.collect,
        forget=personal_data.forget,
        models=personal_data.MODELS,
        readable=personal_data.readable,
    )
    mail.add_kinds({"partners/email/claim_seat": _("Partners: a seat claimed")})


def _register_staff():
    """Staff: partners, people, offers to approve, revoking and re-issuing."""
    from bpd.partners import staff_hub
    from bpd.website import mail, registry

    registry.add_hub(order=28, card=staff_hub.card, tasks=staff_hub.tasks)
    mail.add_kinds(
        {
            "partners/email/person_added": _("Partners: acting for a partner"),
            "partners/email/person_removed": _("Partners: no longer acting for a partner"),
            "partners/email/offer_submitted": _("Partners: an offer to approve"),
            "partners/email/offer_approved": _("Partners: an offer approved"),
            "partners/email/offer_rejected": _("Partners: an offer rejected"),
            "partners/email/claim_revoked": _("Partners: a claim revoked"),
            "partners/email/claim_reissued": _("Partners: a claim re-issued"),
        }
    )


def _register_portal():
    """The partner portal: use of their offers, seats to provision, redemptions, the
    job that reminds and reclaims unused seats."""
    from bpd.partners import jobs, portal  # noqa: F401  (jobs registers itself)
    from bpd.website import mail, registry

    # Partner people only: "Your offers" and the seats waiting to be provisioned.
    registry.add_hub(order=27, card=portal.hub_card, tasks=portal.hub_tasks)
    mail.add_kinds(
        {
            "partners/email/seat_reminder": _("Partners: an unused seat will go back"),
            "partners/email/seat_reclaimed": _("Partners: an unused seat went back"),
        }
    )
