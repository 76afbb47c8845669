import os
import socket

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed


class SecurityHeadersMiddleware:
    """Adds the headers Django 5.2 does not set itself: CSP and Permissions-Policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"
        )
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
