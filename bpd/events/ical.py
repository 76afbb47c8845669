"""BPD's events as iCalendar (RFC 5545), through the icalendar library.

One approach throughout: every date of a series is its own VEVENT (no RRULE), with
times in UTC ("...Z"), so no VTIMEZONE is needed and a moved or cancelled date is just
that VEVENT changed (STATUS:CANCELLED). UIDs are stable, so a calendar program that
subscribed updates the dates it has instead of adding copies."""

import datetime as dt

import icalendar
from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from bpd.events.models import Event, Occurrence

UID_DOMAIN = "blackpythondevs"
PRODID = "-//Black Python Devs//Events//EN"
ORGANIZER = "Black Python Devs"


def occurrence_uid(occurrence: Occurrence) -> str:
    return f"occurrence-{occurrence.pk}@{UID_DOMAIN}"


def _where(event: Event) -> str:
    if event.kind == Event.Kind.ONLINE:
        return "Online"
    place = [part for part in (event.venue, event.address) if part]
    if event.city_id:
        place.append(f"{event.city.name}, {event.city.country}")
    return ", ".join(place) or "Online"


def occurrence_event(occurrence: Occurrence, *, stamp: dt.datetime) -> icalendar.Event:
    """One date of an event as a VEVENT (its event and city loaded, to save queries).
    The online link is left out: it may be only for people with a seat."""
    event = occurrence.event
    url = settings.SITE_URL + reverse("events:detail", args=[event.slug])
    item = icalendar.Event()
    item.add("uid", occurrence_uid(occurrence))
    item.add("dtstamp", stamp)
    item.add("summary", event.title)
    item.add("dtstart", occurrence.starts_at.astimezone(dt.UTC))
    item.add("dtend", occurrence.ends_at.astimezone(dt.UTC))
    item.add("description", f"{event.summary}\n{url}")
    item.add("location", _where(event))
    item.add("url", url)
    item.add("organizer", f"https://{UID_DOMAIN}.org", parameters={"cn": ORGANIZER})
    cancelled = occurrence.cancelled or event.status == Event.Status.CANCELLED
    item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return item


def calendar(name: str, occurrences, *, extra=()) -> icalendar.Calendar:
    """A VCALENDAR of `occurrences` (and any `extra` components, e.g. deadlines)."""
    stamp = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    result = icalendar.Calendar()
    result.add("prodid", PRODID)
    result.add("version", "2.0")
    result.add("calscale", "GREGORIAN")
    result.add("method", "PUBLISH")
    result.add("x-wr-calname", name)
    for occurrence in occurrences:
        result.add_component(occurrence_event(occurrence, stamp=stamp))
    for component in extra:
        result.add_component(component)
    return result


def response(cal: icalendar.Calendar, *, filename: str, private: bool = False) -> HttpResponse:
    """The calendar as a text/calendar download; a personal one must not be cached by
    anyone in between (`Cache-Control: private`)."""
    answer = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    answer["Content-Disposition"] = f'inline; filename="{filename}"'
    answer["Cache-Control"] = "private, max-age=0" if private else "public, max-age=900"
    return answer
