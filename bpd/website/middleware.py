import os
import socket

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.utils.cache import patch_cache_control


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
