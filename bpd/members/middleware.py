"""Times on every page in the reader's own time zone."""

import zoneinfo
from functools import cache

from django.utils import timezone

SESSION_KEY = "time_zone"
# A visitor's chosen zone (set by the events' zone page; members use their profile).
ZONE_COOKIE = "bpd_tz"


@cache
def known_zones() -> frozenset[str]:
    """Every tz database name (read from disk once per process)."""
    return frozenset(zoneinfo.available_timezones())


def remember_time_zone(request, time_zone):
    """Keep the member's profile time zone in their session (read on every request
    without a query). Called when they sign in and when they save their profile."""
    if time_zone:
        request.session[SESSION_KEY] = time_zone
    else:
        request.session.pop(SESSION_KEY, None)


class TimeZoneMiddleware:
    """Activate the signed-in member's time zone, or the zone a visitor chose (a cookie);
    everyone else reads UTC (named)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            name = request.session.get(SESSION_KEY)
        else:
            name = request.COOKIES.get(ZONE_COOKIE)
            name = name if name in known_zones() else None
        try:
            timezone.activate(zoneinfo.ZoneInfo(name)) if name else timezone.deactivate()
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        return self.get_response(request)
