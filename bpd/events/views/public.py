"""The public face of BPD's events: the index (what is on, soonest first), the archive,
an event's page, the calendar feeds and a visitor's choice of time zone.

Times show in the reader's zone (a member's profile zone; a visitor's chosen zone from
the `bpd_tz` cookie, else UTC) and beside it in the event's own zone."""

import datetime as dt
import json
import zoneinfo
from dataclasses import dataclass
from functools import cache

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from bpd.events import ical, selectors
from bpd.events.forms import rule_in_words
from bpd.events.models import CalendarSettings, Event, Rsvp, host_of
from bpd.members import regions
from bpd.members.middleware import ZONE_COOKIE, known_zones
from bpd.website.caching import public_page
from bpd.website.templatetags.bpd import moment

PER_PAGE = 20
ZONE_COOKIE_AGE = 365 * 24 * 60 * 60


# --- Forms --------------------------------------------------------------------------


class EventFilterForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)
    language = forms.ChoiceField(label=gettext_lazy("Language"), required=False)
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        every = [("", _("Any"))]
        self.fields["kind"].choices = every + list(Event.Kind.choices)
        self.fields["language"].choices = every + [
            (code, _(name)) for code, name in settings.LANGUAGES
        ]
        self.fields["region"].choices = every + [
            (code, regions.area_name(code)) for code in selectors.REGION_CODES
        ]

    def filters(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v} if self.is_valid() else {}


# Zones a visitor picks from: the tz database's places ("Africa/Lagos"), not its aliases.
ZONE_AREAS = ("Africa", "America", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific")


@cache
def zone_choices() -> list:
    names = sorted(
        name for name in zoneinfo.available_timezones() if name.split("/")[0] in ZONE_AREAS
    )
    grouped = [(area, [(n, n.split("/", 1)[1].replace("_", " ")) for n in names if n.startswith(area + "/")])
               for area in ZONE_AREAS]  # fmt: skip
    return [("UTC", "UTC"), *grouped]


class ZoneForm(forms.Form):
    zone = forms.ChoiceField(label=gettext_lazy("Your time zone"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].choices = zone_choices()


# --- Rows as the pages show them ----------------------------------------------------


@dataclass
class Sitting:
    """One date of an event as a page shows it: in the reader's zone and the event's."""

    occurrence: object
    reader_time: str
    event_time: str  # "" when the reader's zone shows the same clock
    seats_left: int | None
    rsvp: Rsvp | None = None
    repeats: str = ""  # a series' rule in words (the list shows it once after this week)

    @property
    def event(self):
        return self.occurrence.event


def _sitting(occurrence, rsvp=None) -> Sitting:
    reader = moment(occurrence.starts_at)
    with timezone.override(zoneinfo.ZoneInfo(occurrence.event.time_zone)):
        own = moment(occurrence.starts_at)
    return Sitting(
        occurrence=occurrence,
        reader_time=reader,
        event_time="" if own == reader else own,
        seats_left=selectors.seats_left(occurrence),
        rsvp=rsvp,
    )


def _repeats(event) -> str:
    """ "Every week on Tuesday (America/New_York)": the rule on the event's own clock."""
    first = event.starts_at.astimezone(zoneinfo.ZoneInfo(event.time_zone)).date()
    return f"{rule_in_words(event.rule, first)} ({event.time_zone})"


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _visitor_zone_note(request) -> bool:
    """Whether to offer the zone choice: signed-out readers (members set it in their profile)."""
    return not request.user.is_authenticated


# --- Pages --------------------------------------------------------------------------


@require_GET
@public_page
def index(request):
    form = EventFilterForm(request.GET or None)
    today = timezone.localdate()
    week_end = today + dt.timedelta(days=7)
    # After this week, each event once (its next date): the reader's own midnight.
    once_from = timezone.make_aware(dt.datetime.combine(week_end, dt.time()))
    found = selectors.upcoming(**form.filters(), once_from=once_from)
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    sections = []  # [(heading, [(day, [Sitting])])]
    for occurrence in page.object_list:
        day = timezone.localtime(occurrence.starts_at).date()
        heading = _("This week") if day < week_end else _("Later")
        if not sections or sections[-1][0] != heading:
            sections.append((heading, []))
        days = sections[-1][1]
        if not days or days[-1][0] != day:
            days.append((day, []))
        sitting = _sitting(occurrence)
        if occurrence.event.rule:
            sitting.repeats = _repeats(occurrence.event)
        days[-1][1].append(sitting)
    return render(
        request,
        "events/index.html",
        {
            "form": form,
            "page_obj": page,
            "sections": sections,
            "query": _query(request),
            "choose_zone": _visitor_zone_note(request),
            "zone_name": timezone.get_current_timezone_name(),
        },
    )


@require_GET
@public_page
def past(request):
    form = EventFilterForm(request.GET or None)
    page = Paginator(selectors.past(**form.filters()), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/past.html",
        {"form": form, "page_obj": page, "query": _query(request)},
    )


def _json_ld(event, sittings) -> str:
    """schema.org Event data for each coming date (search engines read it)."""
    url = settings.SITE_URL + reverse("events:detail", args=[event.slug])
    online = event.kind == Event.Kind.ONLINE
    virtual = {"@type": "VirtualLocation", "url": url}
    place = None
    if event.kind != Event.Kind.ONLINE:
        address = {"@type": "PostalAddress", "streetAddress": event.address or event.venue}
        if event.city_id:
            address |= {"addressLocality": event.city.name, "addressCountry": event.city.country}
        place = {"@type": "Place", "name": event.venue or str(event.city or ""), "address": address}
    mode = {
        Event.Kind.ONLINE: "OnlineEventAttendanceMode",
        Event.Kind.IN_PERSON: "OfflineEventAttendanceMode",
        Event.Kind.HYBRID: "MixedEventAttendanceMode",
    }[event.kind]
    items = []
    for sitting in sittings:
        occurrence = sitting.occurrence
        zone = zoneinfo.ZoneInfo(event.time_zone)
        cancelled = occurrence.cancelled or event.status == Event.Status.CANCELLED
        items.append(
            {
                "@context": "https://schema.org",
                "@type": "Event",
                "name": event.title,
                "description": event.summary,
                "url": url,
                "inLanguage": event.language,
                "startDate": occurrence.starts_at.astimezone(zone).isoformat(),
                "endDate": occurrence.ends_at.astimezone(zone).isoformat(),
                "eventStatus": "https://schema.org/"
                + ("EventCancelled" if cancelled else "EventScheduled"),
                "eventAttendanceMode": "https://schema.org/" + mode,
                "location": virtual if online else ([place, virtual] if place and event.kind == Event.Kind.HYBRID else place),
                "organizer": {"@type": "Organization", "name": ical.ORGANIZER, "url": settings.SITE_URL + "/"},
                "isAccessibleForFree": True,
            }
        )  # fmt: skip
    text = json.dumps(items, ensure_ascii=False)
    # Inside <script>: nothing that could close the element or open a comment.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)


@require_GET
@public_page
def detail(request, slug):
    event = get_object_or_404(
        selectors.visible_events(request.user).select_related("city"), slug=slug
    )
    dates = selectors.next_dates(event)
    for occurrence in dates:
        occurrence.event = event
    mine = selectors.rsvps_of(request.user, dates)
    sittings = [_sitting(occurrence, mine.get(occurrence.pk)) for occurrence in dates]
    organiser = Event.objects.organised_by(request.user).filter(pk=event.pk).exists()
    show_link = bool(event.online_url) and (
        event.link_shown_to == Event.LinkShown.EVERYONE
        or organiser
        or selectors.has_seat(request.user, event)
    )
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "sittings": sittings,
            "show_link": show_link,
            "language_name": dict(settings.LANGUAGES).get(event.language, event.language),
            "json_ld": _json_ld(event, sittings),
            "host": host_of(event),
            "repeats": _repeats(event) if event.rule else "",
            "choose_zone": _visitor_zone_note(request),
            "zone_name": timezone.get_current_timezone_name(),
            "event_zone_differs": event.time_zone != timezone.get_current_timezone_name(),
            "Status": Rsvp.Status,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def zone(request):
    """A visitor's time zone, remembered in a cookie for a year (members: their profile)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ) or not target.startswith("/"):
        target = reverse("events:index")  # fmt: skip
    current = request.COOKIES.get(ZONE_COOKIE)
    form = ZoneForm(
        request.POST if request.method == "POST" else None,
        initial={"zone": current if current in known_zones() else "UTC"},
    )
    if request.method == "POST" and form.is_valid():
        answer = redirect(target)
        answer.set_cookie(
            ZONE_COOKIE,
            form.cleaned_data["zone"],
            max_age=ZONE_COOKIE_AGE,
            samesite="Lax",
            secure=request.is_secure(),
            httponly=True,
        )
        return answer
    return render(
        request,
        "events/zone.html",
        {"form": form, "next": target},
        status=400 if form.is_bound else 200,
    )


# --- Calendar feeds -------------------------------------------------------------------


@require_GET
def event_ics(request, slug):
    event = get_object_or_404(selectors.listed_events().select_related("city"), slug=slug)
    dates = list(event.occurrences.upcoming())
    for occurrence in dates:
        occurrence.event = event
    return ical.response(ical.calendar(event.title, dates), filename=f"{event.slug}.ics")


@require_GET
def feed(request):
    start, end = selectors.feed_window()
    dates = (
        selectors.Occurrence.objects.public()
        .filter(ends_at__gte=start, starts_at__lte=end)
        .select_related("event", "event__city")
        .order_by("starts_at")
    )
    return ical.response(
        ical.calendar("Black Python Devs: events", dates), filename="bpd-events.ics"
    )


@require_GET
def personal_feed(request, token):
    settings_row = CalendarSettings.objects.filter(feed_token=token).only("member_id").first()
    if settings_row is None:
        raise Http404
    from bpd.conferences.ical import deadline_event
    from bpd.conferences.models import Deadline

    member_id = settings_row.member_id
    start, _end = selectors.feed_window()
    dates = [
        rsvp.occurrence
        for rsvp in Rsvp.objects.filter(
            member_id=member_id,
            status__in=Rsvp.SEATED,
            occurrence__ends_at__gte=start,
            occurrence__event__status__in=selectors.LISTED,
        )
        .select_related("occurrence__event__city")
        .order_by("occurrence__starts_at")
    ]
    deadlines = (
        Deadline.objects.filter(conference__follows__member_id=member_id)
        .select_related("conference")
        .order_by("due_at")
    )
    cal = ical.calendar(
        "Black Python Devs: my events and deadlines",
        dates,
        extra=[deadline_event(deadline) for deadline in deadlines],
    )
    return ical.response(cal, filename="my-bpd-calendar.ics", private=True)


urlpatterns = [
    path("", index, name="index"),
    path("past/", past, name="past"),
    path("zone/", zone, name="zone"),
    path("feed.ics", feed, name="feed"),
    path("feed/<str:token>.ics", personal_feed, name="personal_feed"),
]
# An event's own addresses take any slug: events/urls.py lists them after every other
# path of the app, so "mine/" or "manage/" never reach them.
slug_patterns = [
    path("<slug:slug>.ics", event_ics, name="event_ics"),
    path("<slug:slug>/", detail, name="detail"),
]
