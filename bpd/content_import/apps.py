from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentImportConfig(AppConfig):
    """Loading the site: Markdown files into pages and news (`import_content`), and the
    whole site with its roster, settings, reference data and demo data (`load_site`).

    It sits above every app it fills (the top layer), so they need not know each other.
    """

    name = "bpd.content_import"
    verbose_name = _("Content import")
