"""Reads of published content, and the cache version that invalidates them."""

from django.http import Http404

from bpd.website import languages
from bpd.website.versions import Version, versioned

CONTENT = Version("content:version")


def content_version():
    """A number that changes whenever any page, post, team member or site setting is saved."""
    return CONTENT.get()


def bump_content_version():
    CONTENT.bump()


def find_document(queryset, language, **lookup):
    """The document at `lookup` in `language`, else its English original.

    Returns (document, is_fallback). Raises Http404 when neither exists.
    """
    found = {
        doc.language: doc
        for doc in queryset.filter(language__in={language, languages.DEFAULT}, **lookup)
    }
    if language in found:
        return found[language], False
    if languages.DEFAULT in found:
        return found[languages.DEFAULT], True
    raise Http404


def document_languages(document):
    """{language: url} of every existing translation of `document`."""
    return {
        doc.language: doc.get_absolute_url()
        for doc in document.translations().only(*document.url_fields)
    }


def switcher_links(document, existing):
    """For each site language: the translation's URL, else the English text under that language.

    Asking for an untranslated page in another language shows the English
    text with a note, so the link still keeps the reader on the same page.
    """
    english_url = existing.get(languages.DEFAULT, document.get_absolute_url())
    current = languages.current()
    links = []
    for code in languages.CODES:
        url = existing[code] if code in existing else languages.prefixed(english_url, code)
        links.append(
            {"code": code, "name": languages.AUTONYMS[code], "url": url, "current": code == current}
        )
    return links


def menu(language):
    """Main-menu pages in `language` (English where untranslated), cached per content version."""
    from bpd.pages.models import Page

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
