import os
import socket

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpResponsePermanentRedirect
from django.utils.cache import patch_cache_control
from django.utils.encoding import escape_uri_path, iri_to_uri

from bpd.website import redirects


class SecurityHeadersMiddleware:
    """Adds the headers Django 5.2 does not set itself: CSP and Permissions-Policy; and
    `Cache-Control: private, no-store` on every response to a signed-in person, so no
    browser cache or proxy keeps their pages (public cached pages are for anonymous
    readers only and keep their own header)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"
        )
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


class ServedByMiddleware:
    """With BPD_EXPOSE_WORKER=1 (tests of the production shape only), each response
    names the process that served it, so a test can prove every worker agrees."""

    def __init__(self, get_response):
        if not settings.EXPOSE_WORKER:
            raise MiddlewareNotUsed
        self.name = f"{socket.gethostname()}:{os.getpid()}"
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers["X-Served-By"] = self.name
        return response


class RedirectFallbackMiddleware:
    """Sends a reader who asked for an old address to its new place (docs/redirects.md).

    Consulted only when the answer is 404, so a page always wins over a redirect: one
    query per page not found, none otherwise. Last in MIDDLEWARE, so it sees the 404
    before CommonMiddleware turns `/coc` into a redirect to `/coc/`: the reader gets one
    hop to the new place instead of two. Old paths are matched as they were, language
    prefix included (`/es/about.html` is its own redirect)."""

    # Cached by browsers for a day rather than for ever, so a mistaken redirect heals.
    MAX_AGE = 60 * 60 * 24

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # A form sent to an old address would arrive as a GET without its data.
        if response.status_code != 404 or request.method not in {"GET", "HEAD"}:
            return response
        target = redirects.target_for(escape_uri_path(request.path))
        if target is None:
            return response
        query = request.META.get("QUERY_STRING", "")
        if query:
            target = f"{target}?{iri_to_uri(query)}"
        redirect = HttpResponsePermanentRedirect(target)
        patch_cache_control(redirect, max_age=self.MAX_AGE)
        return redirect
