"""Documents: what pages and news posts share, and how any document is found and shown.

A document exists once per language; translations share a `translation_key`. A
reader asking for a language it is not written in gets the English original with a
note (`find_document` → is_fallback). Apps with documents of their own (pages, news)
subclass `Document`, look them up with `find_document`, render them with
`document_context` and list them in the sitemap with `sitemap_entries`.
"""

from collections import defaultdict

from django.conf import settings
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from bpd.website import languages, markdown
from bpd.website.registry import Alternate, SitemapEntry


class Document(models.Model):
    """What pages and news posts share: a language, Markdown source and its HTML.

    Translations of one document share a `translation_key`. The HTML is
    rendered (and sanitised) when the document is saved, never per request.
    Subclasses define `get_absolute_url` and `url_fields` (the fields it needs).
    """

    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    translation_key = models.SlugField(
        _("translation key"),
        max_length=200,
        help_text=_("The same key ties together the translations of one document."),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.CharField(
        _("description"),
        max_length=300,
        blank=True,
        help_text=_("One or two sentences, shown in search results and link previews."),
    )

    class BodyFormat(models.TextChoices):
        MARKDOWN = "markdown", _("Markdown")
        HTML = "html", _("HTML")

    body = models.TextField(_("body"), blank=True)
    body_format = models.CharField(
        _("body format"),
        max_length=10,
        choices=BodyFormat.choices,
        default=BodyFormat.MARKDOWN,
        help_text=_(
            "HTML bodies (imported from .html files) are only sanitised, not read as Markdown."
        ),
    )
    body_html = models.TextField(editable=False, blank=True)
    needs_review = models.BooleanField(
        _("translation awaiting review"),
        default=False,
        help_text=_("Untick once a native speaker has reviewed this translation."),
    )
    source_path = models.CharField(_("imported from"), max_length=500, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.title} [{self.language}]"

    def save(self, *args, **kwargs):
        # Derived field: rendering on save keeps requests cheap.
        self.body_html = markdown.render(self.body, body_format=self.body_format)
        super().save(*args, **kwargs)

    def translations(self):
        """Every language version of this document, including itself."""
        return type(self).objects.filter(translation_key=self.translation_key)


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


def switcher_links(existing, elsewhere):
    """For each site language, where the switcher leads: the translation if there is one,
    else the English original under that language (shown with a note), else `elsewhere(code)`.

    A document with no English original cannot be shown in a language it is not written
    in, so those languages lead `elsewhere` (the home page, a news index) instead of a 404.
    """
    english_url = existing.get(languages.DEFAULT)
    current = languages.current()
    links = []
    for code in languages.CODES:
        if code in existing:
            url = existing[code]
        elif english_url:
            url = languages.prefixed(english_url, code)
        else:
            url = elsewhere(code)
        links.append(
            {"code": code, "name": languages.AUTONYMS[code], "url": url, "current": code == current}
        )
    return links


def _home(code):
    return languages.prefixed("", code)


def document_context(document, is_fallback, *, elsewhere=_home):
    """What every document template needs: fallback note, alternates, canonical URL.

    `elsewhere(code)` is where the language switcher leads for a language the document
    cannot be shown in (see `switcher_links`).
    """
    existing = document_languages(document)
    return {
        "document": document,
        "is_fallback": is_fallback,
        # hreflang only for translations that exist; x-default is the English text.
        "alternates": [{"code": code, "url": url} for code, url in sorted(existing.items())],
        "x_default": existing.get(languages.DEFAULT),
        "canonical": document.get_absolute_url(),
        "language_links": switcher_links(existing, elsewhere),
    }


def sitemap_entries(documents):
    """One sitemap entry per existing document, each listing all its existing translations.

    `documents` needs `translation_key`, `language`, `updated_at` and the `url_fields`.
    """
    groups = defaultdict(dict)
    for doc in documents:
        groups[doc.translation_key][doc.language] = doc
    entries = []
    for translations in groups.values():
        alternates = tuple(
            Alternate(code, settings.SITE_URL + doc.get_absolute_url())
            for code, doc in sorted(translations.items())
        )
        english = translations.get(languages.DEFAULT)
        for doc in translations.values():
            entries.append(
                SitemapEntry(
                    url=settings.SITE_URL + doc.get_absolute_url(),
                    lastmod=doc.updated_at,
                    alternates=alternates if len(alternates) > 1 else (),
                    x_default=settings.SITE_URL + english.get_absolute_url() if english else None,
                )
            )
    return entries
