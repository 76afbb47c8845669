"""Conference deadlines as iCalendar (RFC 5545): one event per deadline, times in UTC.

Every time is written in UTC ("...Z"), so no VTIMEZONE is needed; the zone the
conference announced the deadline in is kept in the description ("23:59 AoE"). The
personal feed of the events app builds on deadline_event()."""

import datetime as dt

import icalendar
from django.utils import timezone

from bpd.conferences.models import AOE, Deadline

UID_DOMAIN = "blackpythondevs"
PRODID = "-//Black Python Devs//Conference deadlines//EN"


def original_time(deadline: Deadline) -> str:
    """ "15 March 2027, 23:59 AoE": the deadline as the conference announced it."""
    local = deadline.local_due
    zone = AOE if deadline.zone == AOE else local.tzname() or deadline.zone
    return f"{local.day} {local:%B %Y}, {local:%H:%M} {zone}"


def deadline_event(deadline: Deadline) -> icalendar.Event:
    """One deadline as a VEVENT; the UID stays the same however often the feed is built."""
    conference = deadline.conference
    due = deadline.due_at.astimezone(dt.UTC)
    url = deadline.url or conference.url
    event = icalendar.Event()
    event.add("uid", f"deadline-{deadline.pk}@{UID_DOMAIN}")
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("summary", f"{conference.name}: {deadline.get_kind_display()}")
    event.add("dtstart", due)
    event.add("dtend", due)
    event.add("description", f"{original_time(deadline)}\n{url}")
    event.add("url", url)
    event.add("transp", "TRANSPARENT")
    return event


def deadlines_calendar(deadlines, *, name: str = "Black Python Devs: conference deadlines"):
    """A VCALENDAR of deadlines (each with its conference loaded, to save queries)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for deadline in deadlines:
        calendar.add_component(deadline_event(deadline))
    return calendar
