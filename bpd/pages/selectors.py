"""Reads of published pages."""

from django.utils.translation import gettext, gettext_noop

from bpd.pages.models import Page
from bpd.website import languages
from bpd.website.documents import sitemap_entries
from bpd.website.registry import MenuItem
from bpd.website.versions import content_version, versioned

# The English titles of the pages menus link to: a reader of another language sees the
# catalogue's translation where the page itself is not translated yet.
MENU_TITLES = (
    gettext_noop("About Us"),
    gettext_noop("Initiatives"),
    gettext_noop("Why online first"),
    gettext_noop("Leadership Team"),
    gettext_noop("Code of conduct"),
    gettext_noop("Privacy"),
)


def _in_reader_language(pages, language):
    """One page per translation key: the reader's translation, else the English one."""
    chosen = {}
    for page in pages.filter(language__in={language, languages.DEFAULT}):
        if page.translation_key not in chosen or page.language == language:
            chosen[page.translation_key] = page
    return chosen


def _link(page, language):
    return {"title": _menu_title(page, language), "url": languages.prefixed(page.path, language)}


def menu(language):
    """Main-menu pages in `language` (English where untranslated), cached per content version."""
    key = f"menu:{language}:{content_version()}"
    items = versioned.get(key)
    if items is None:
        pages = Page.objects.filter(in_menu__isnull=False).only(
            "translation_key", "language", "title", "path", "in_menu"
        )
        chosen = _in_reader_language(pages, language)
        items = [
            _link(page, language)
            for page in sorted(chosen.values(), key=lambda p: (p.in_menu, p.path))
        ]
        versioned.set(key, items, 3600)
    return items


# The header has room for the first main-menu pages (About, Initiatives) beside the
# programmes; the footer lists them all.
HEADER_PAGES = 2


def menu_items(request, language):
    """The first main-menu pages as header-menu entries (registered in apps.py)."""
    return [
        MenuItem(label=item["title"], url=item["url"], current=item["url"] == request.path)
        for item in menu(language)[:HEADER_PAGES]
    ]


# Pages linked in every footer's "How we work" column, by translation key.
FOOTER_PAGES = ("code-of-conduct", "privacy")


def footer_items(request, language):
    """The main-menu pages (column "about"), the code of conduct and privacy pages."""
    items = [
        MenuItem(label=item["title"], url=item["url"], group="about") for item in menu(language)
    ]
    for item in policy_pages(language):
        items.append(MenuItem(label=item["title"], url=item["url"], group="how-we-work"))
    return items


def policy_pages(language):
    """FOOTER_PAGES that exist, in `language` or English, cached per content version."""
    key = f"policies:{language}:{content_version()}"
    items = versioned.get(key)
    if items is None:
        pages = Page.objects.filter(translation_key__in=FOOTER_PAGES).only(
            "translation_key", "language", "title", "path"
        )
        chosen = _in_reader_language(pages, language)
        items = [_link(chosen[name], language) for name in FOOTER_PAGES if name in chosen]
        versioned.set(key, items, 3600)
    return items


def _menu_title(page, language):
    """A page's title for a menu: its own, or for an English page shown to a reader of
    another language, the title's translation from the catalogue (MENU_TITLES)."""
    if page.language == language:
        return page.title
    return gettext(page.title)


def sitemap():
    """Every page, in every language it exists in (registered in apps.py)."""
    return sitemap_entries(Page.objects.only("translation_key", "language", "path", "updated_at"))
