from collections import defaultdict

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from bpd.news.models import Post
from bpd.pages.models import Page
from bpd.website import languages


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Allow: /",
        f"Sitemap: {settings.SITE_URL}/sitemap.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_GET
@cache_control(max_age=604800, public=True)
def favicon(request):
    return FileResponse(
        open(finders.find("website/favicon.ico"), "rb"), content_type="image/x-icon"
    )


def _sitemap_entries(documents):
    """One entry per existing document, each listing all its existing translations."""
    groups = defaultdict(dict)
    for doc in documents:
        groups[doc.translation_key][doc.language] = doc
    entries = []
    for translations in groups.values():
        alternates = [
            {"code": code, "url": settings.SITE_URL + doc.get_absolute_url()}
            for code, doc in sorted(translations.items())
        ]
        english = translations.get(languages.DEFAULT)
        for doc in translations.values():
            entries.append(
                {
                    "url": settings.SITE_URL + doc.get_absolute_url(),
                    "lastmod": doc.updated_at,
                    "alternates": alternates if len(alternates) > 1 else [],
                    "x_default": settings.SITE_URL + english.get_absolute_url()
                    if english
                    else None,
                }
            )
    return entries


@require_GET
@cache_control(max_age=3600, public=True)
def sitemap_xml(request):
    pages = Page.objects.only("translation_key", "language", "path", "updated_at")
    posts = Post.objects.published().only("translation_key", "language", "slug", "updated_at")
    entries = _sitemap_entries(pages) + _sitemap_entries(posts)
    entries += [
        {
            "url": settings.SITE_URL + languages.prefixed("news/", code),
            "lastmod": None,
            "alternates": [
                {"code": c, "url": settings.SITE_URL + languages.prefixed("news/", c)}
                for c in languages.CODES
            ],
            "x_default": settings.SITE_URL + "/news/",
        }
        for code in languages.CODES
    ]
    return render(
        request, "website/sitemap.xml", {"entries": entries}, content_type="application/xml"
    )


def healthz(request):
    """The cheapest response the full stack gives: the benchmark's baseline, and a health check."""
    return HttpResponse("ok", content_type="text/plain")


def _shared_service_down(error):
    """Whether `error` (or what caused it) means Redis, the cache or the database is
    unreachable, rather than a bug: the request cannot be answered safely right now."""
    import redis.exceptions
    from diskcache import Timeout as CacheTimeout
    from django.db import InterfaceError, OperationalError

    unavailable = (
        redis.exceptions.ConnectionError,
        redis.exceptions.TimeoutError,
        CacheTimeout,
        OperationalError,
        InterfaceError,
    )
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, unavailable):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def server_error(request):
    """500, or 503 with Retry-After when a shared service is down. Rendered without
    the request's context: the cache and session may be what failed."""
    import sys

    from django.template import loader
    from django.views import defaults

    if not _shared_service_down(sys.exc_info()[1]):
        return defaults.server_error(request)
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response
