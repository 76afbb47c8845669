from django.conf import settings
from django.urls import translate_url

from bpd.website import languages, registry
from bpd.website.models import SiteSettings


def site(request):
    """Site settings, the menus the apps registered, and the language switcher's default links.

    Views that show a document pass their own `alternates` (only languages the
    document exists in); the switcher then uses `switcher_links` built from
    the document, not the generic URL translation below.
    """
    current = languages.current()
    links = []
    for code in languages.CODES:
        links.append(
            {
                "code": code,
                "name": languages.AUTONYMS[code],
                "url": translate_url(request.path, code),
                "current": code == current,
            }
        )
    data = SiteSettings.load()
    return {
        "site_settings": data["settings"],
        "social_links": data["social_links"],
        "language_links": links,
        "home_url": languages.prefixed("", current),
        "header_menu": registry.menu("header", request, current),
        "account_menu": registry.menu("account", request, current),
        "footer_columns": registry.footer_columns(request, current),
        "feeds": registry.menu("feed", request, current),
        "site_url": settings.SITE_URL,
        "demo_sign_in": settings.DEMO_SIGN_IN,
        **registry.viewer_flags(request),
    }
