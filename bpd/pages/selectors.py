"""Reads of published pages."""

from bpd.pages.models import Page
from bpd.website import languages
from bpd.website.documents import sitemap_entries
from bpd.website.registry import MenuItem
from bpd.website.versions import content_version, versioned


def menu(language):
    """Main-menu pages in `language` (English where untranslated), cached per content version."""
    key = f"menu:{language}:{content_version()}"
    items = versioned.get(key)
    if items is None:
        chosen = {}
        pages = Page.objects.filter(
            in_menu__isnull=False, language__in={language, languages.DEFAULT}
        )
        for page in pages.only("translation_key", "language", "title", "path", "in_menu"):
            if page.translation_key not in chosen or page.language == language:
                chosen[page.translation_key] = page
        items = [
            {"title": page.title, "url": languages.prefixed(page.path, language)}
            for page in sorted(chosen.values(), key=lambda p: (p.in_menu, p.path))
        ]
        versioned.set(key, items, 3600)
    return items


def menu_items(request, language):
    """The main-menu pages as header-menu entries (registered in apps.py)."""
    return [
        MenuItem(label=item["title"], url=item["url"], current=item["url"] == request.path)
        for item in menu(language)
    ]


def sitemap():
    """Every page, in every language it exists in (registered in apps.py)."""
    return sitemap_entries(Page.objects.only("translation_key", "language", "path", "updated_at"))
