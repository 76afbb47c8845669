"""Times on every page in the reader's own time zone."""

import zoneinfo

from django.utils import timezone

SESSION_KEY = "time_zone"


def remember_time_zone(request, time_zone):
    """Keep the member's profile time zone in their session (read on every request
    without a query). Called when they sign in and when they save their profile."""
    if time_zone:
        request.session[SESSION_KEY] = time_zone
    else:
        request.session.pop(SESSION_KEY, None)


class TimeZoneMiddleware:
    """Activate the signed-in member's time zone; everyone else reads UTC (named)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = request.session.get(SESSION_KEY) if request.user.is_authenticated else None
        try:
            timezone.activate(zoneinfo.ZoneInfo(name)) if name else timezone.deactivate()
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        return self.get_response(request)
