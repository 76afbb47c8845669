"""Whole-page caching for anonymous readers of public pages.

A cached page is keyed by language, path, query string and the content version
(bumped whenever anything an app registered with `registry.add_public_content` is
saved), so an edit shows at once. Signed-in people always get a fresh page. Responses
say how browsers and CDNs may reuse them: `Cache-Control: public`, an `ETag` (from
ConditionalGetMiddleware) and `Vary: Cookie` (the session decides who is anonymous).
"""

import functools
import hashlib

from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers, set_response_etag

from bpd.website import languages, registry
from bpd.website.versions import CONTENT, versioned

MAX_AGE = 300  # browsers and CDNs: five minutes
TIMEOUT = 3600  # our cache: an hour, or until the content changes


NEVER = "never"
# The moment per content version, kept in this process too: it cannot change for a
# version (a new version is a new key), so only the first request of each reads it.
_next_change = {}


def fresh_content_version():
    """The content version, bumped first if scheduled content (a post set to appear at a
    time) became due since it was last bumped. Costs a cache read, no query, on most
    requests; the moment is recomputed once per content version."""
    version = CONTENT.get()
    moment = _next_change.get(version)
    if moment is None:
        key = f"content:next-change:{version}"
        moment = versioned.get(key)
        if moment is None:
            moment = registry.next_scheduled_change() or NEVER
            versioned.set(key, moment, TIMEOUT)
        if len(_next_change) > 64:
            _next_change.clear()
        _next_change[version] = moment
    if moment != NEVER and timezone.now() >= moment:
        CONTENT.bump()
        version = CONTENT.get()
    return version


def _key(request):
    query = request.META.get("QUERY_STRING", "")
    # The zone too: a visitor may have chosen one (events' zone page), and pages show times.
    zone = timezone.get_current_timezone_name()
    raw = f"{languages.current()}|{zone}|{request.path}|{query}|{fresh_content_version()}"
    return "page2:" + hashlib.sha1(raw.encode()).hexdigest()


def public_page(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        cacheable = (
            request.method in {"GET", "HEAD"}
            and not request.user.is_authenticated
            # A pending message ("You have signed out") is for this reader only.
            and not len(get_messages(request))
        )
        if not cacheable:
            return view(request, *args, **kwargs)
        key = _key(request)
        stored = versioned.get(key)
        if stored is not None:
            content, content_type, etag = stored
            response = HttpResponse(content, content_type=content_type)
            # Hashed once when stored, not on every hit (ConditionalGetMiddleware keeps it).
            response["ETag"] = etag
        else:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or getattr(response, "streaming", False):
                return response
            if hasattr(response, "render") and callable(response.render):
                response.render()
            set_response_etag(response)
            versioned.set(
                key, (response.content, response["Content-Type"], response["ETag"]), TIMEOUT
            )
        patch_cache_control(response, public=True, max_age=MAX_AGE)
        patch_vary_headers(response, ["Cookie"])
        return response

    return wrapper
