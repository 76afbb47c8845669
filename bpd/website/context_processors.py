from django.conf import settings
from django.urls import translate_url

from bpd.members.roles import Role, has_role, is_executor
from bpd.pages import selectors
from bpd.website import languages
from bpd.website.models import SiteSettings


def site(request):
    """Site settings and the language switcher's default links.

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
        "menu": selectors.menu(current),
        "site_url": settings.SITE_URL,
        "is_executor": is_executor(request.user) if hasattr(request, "user") else False,
        "is_treasurer": hasattr(request, "user") and has_role(request.user, Role.TREASURER),
        "demo_sign_in": settings.DEMO_SIGN_IN,
    }
