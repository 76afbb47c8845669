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


def _register_staff():
    """Staff: partners, people, offers to approve, revoking and re-issuing."""


def _register_portal():
    """The partner portal: use of their offers, seats to provision, redemptions, the
    job that reminds and reclaims unused seats."""
