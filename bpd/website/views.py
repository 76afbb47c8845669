import datetime as dt
import sys

import redis.exceptions
from diskcache import Timeout as CacheTimeout
from django import forms
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.paginator import Paginator
from django.db import InterfaceError, OperationalError
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from bpd.website import registry
from bpd.website.forms import ConfirmForm


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


@require_GET
@cache_control(max_age=3600, public=True)
def sitemap_xml(request):
    """Every public page the apps registered (`registry.add_sitemap_section`)."""
    return render(
        request,
        "website/sitemap.xml",
        {"entries": registry.sitemap()},
        content_type="application/xml",
    )


def healthz(request):
    """The cheapest response the full stack gives: the benchmark's baseline, and a health check."""
    return HttpResponse("ok", content_type="text/plain")


# Errors that mean Redis, the cache or the database cannot be reached.
UNAVAILABLE = (
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    CacheTimeout,
    OperationalError,
    InterfaceError,
)


def _shared_service_down(error):
    """Whether `error` (or what caused it) means Redis, the cache or the database is
    unreachable, rather than a bug: the request cannot be answered safely right now."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, UNAVAILABLE):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def server_error(request):
    """500, or 503 with Retry-After when a shared service is down. Rendered without
    the request's context: the cache and session may be what failed."""
    if not _shared_service_down(sys.exc_info()[1]):
        return defaults.server_error(request)
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


class _SampleForm(forms.Form):
    """The form the style guide shows, empty and with every kind of error."""

    name = forms.CharField(label=_("your name"), max_length=60)
    email = forms.EmailField(
        label=_("email address"), help_text=_("We send your sign-in codes here.")
    )
    country = forms.ChoiceField(
        label=_("country"), choices=[("", "---------"), ("NG", "Nigeria"), ("KE", "Kenya")]
    )
    level = forms.ChoiceField(
        label=_("Python experience"),
        widget=forms.RadioSelect,
        choices=[
            ("new", _("New to Python")),
            ("some", _("Some experience")),
            ("pro", _("Professional")),
        ],
    )
    bio = forms.CharField(
        label=_("short bio"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    agree = forms.BooleanField(label=_("I have read the code of conduct"))

    def clean(self):
        raise forms.ValidationError(_("This is how a problem with the whole form is shown."))


@registry.flag_required("is_executor")
def styleguide(request):
    """The design system's living pattern library: every component in every state."""
    invalid = _SampleForm({"name": "", "email": "not-an-address", "country": "", "level": ""})
    invalid.is_valid()
    context = {
        "empty_form": _SampleForm(),
        "invalid_form": invalid,
        "confirm_form": ConfirmForm(label=_("I understand that this cannot be undone")),
        "today": timezone.now(),
        "soon": timezone.now() + dt.timedelta(days=3, hours=2),
        "past": timezone.now() - dt.timedelta(days=40),
        "page_obj": Paginator(range(60), 10).get_page(2),
    }
    return render(request, "website/styleguide.html", context)
