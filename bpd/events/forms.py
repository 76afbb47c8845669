"""The organiser's forms: an event (what, where, when, how often, how many seats), and
the confirmations in front of cancelling and moving."""

import datetime as dt
import functools
import zoneinfo

from babel.dates import get_day_names
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bpd.events import recurrence
from bpd.events.models import TEXT_LIMIT, Event
from bpd.members.forms import LocationMixin
from bpd.website import languages
from bpd.website.forms import FastSelect
from bpd.website.templatetags.bpd import day

R = recurrence
MIN_MINUTES, MAX_MINUTES = 5, 720
MAX_CAPACITY = 10000
MAX_YEARS_AHEAD = 2


@functools.cache
def zone_choices():
    """Every IANA zone by name ("Africa/Lagos"), and UTC."""
    zones = sorted(
        z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith("Etc/")
    )
    return [("UTC", "UTC"), *((zone, zone.replace("_", " ")) for zone in zones)]


def _far_limit():
    """The furthest date an event may be set on: two years from today."""
    today = timezone.localdate()
    try:
        return today.replace(year=today.year + MAX_YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + MAX_YEARS_AHEAD, day=28)


def weekday_name(day: dt.date) -> str:
    return get_day_names("wide", locale=languages.current().replace("-", "_"))[day.weekday()]


def rule_in_words(rule: str, first: dt.date) -> str:
    """The repeat rule as the organiser chose it, in the reader's language."""
    read = recurrence.read_rule(rule)
    repeats, weekday = read["repeats"], weekday_name(first)
    if repeats == R.NONE:
        return _("Once")
    if repeats is None:
        return rule  # not one this form makes: shown as written
    nth = recurrence.week_of_month(first)
    text = {
        R.WEEKLY: _("Every week on %(weekday)s"),
        R.FORTNIGHTLY: _("Every two weeks on %(weekday)s"),
        R.MONTHLY_DATE: _("Every month on day %(day)s"),
        R.MONTHLY_WEEKDAY: {
            1: _("Every month on the first %(weekday)s"),
            2: _("Every month on the second %(weekday)s"),
            3: _("Every month on the third %(weekday)s"),
            4: _("Every month on the fourth %(weekday)s"),
            -1: _("Every month on the last %(weekday)s"),
        }[nth],
    }[repeats] % {"weekday": weekday, "day": first.day}
    if read["count"]:
        return _("%(rule)s, %(count)s times") % {"rule": text, "count": read["count"]}
    if read["until"]:
        return _("%(rule)s, until %(date)s") % {"rule": text, "date": day(read["until"])}
    return text


class EventForm(LocationMixin, forms.Form):
    """An event or a series. The date and time are the wall clock in the event's own
    zone; the repeat fields become an RFC 5545 rule (recurrence.build_rule)."""

    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    summary = forms.CharField(
        label=gettext_lazy("Summary"),
        max_length=300,
        help_text=gettext_lazy("One or two sentences, shown in lists and announcements."),
    )
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Plain text: what happens, who it is for, what to bring."),
    )
    language = forms.ChoiceField(label=gettext_lazy("Language the event is held in"))
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=Event.Kind.choices, widget=forms.RadioSelect
    )
    online_url = forms.URLField(
        label=gettext_lazy("Online link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=gettext_lazy("The Discord channel or video call address."),
    )
    link_shown_to = forms.ChoiceField(
        label=gettext_lazy("Who sees the online link"),
        choices=Event.LinkShown.choices,
        widget=forms.RadioSelect,
        initial=Event.LinkShown.ATTENDEES,
    )
    venue = forms.CharField(label=gettext_lazy("Venue"), required=False, max_length=200)
    address = forms.CharField(label=gettext_lazy("Address"), required=False, max_length=300)
    time_zone = forms.ChoiceField(
        label=gettext_lazy("The event's time zone"),
        widget=FastSelect,
        help_text=gettext_lazy("The date and time below are the clock in this zone."),
    )
    date = forms.DateField(
        label=gettext_lazy("Date (of the first time, for a series)"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    start_time = forms.TimeField(
        label=gettext_lazy("Starts at"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    duration_minutes = forms.IntegerField(
        label=gettext_lazy("Length in minutes"),
        min_value=MIN_MINUTES,
        max_value=MAX_MINUTES,
        initial=60,
        help_text=gettext_lazy("From 5 minutes to 12 hours (720)."),
    )
    repeats = forms.ChoiceField(
        label=gettext_lazy("Repeats"),
        widget=forms.RadioSelect,
        initial=R.NONE,
        choices=[
            (R.NONE, gettext_lazy("Does not repeat")),
            (R.WEEKLY, gettext_lazy("Every week, on the same weekday")),
            (R.FORTNIGHTLY, gettext_lazy("Every two weeks, on the same weekday")),
            (
                R.MONTHLY_WEEKDAY,
                gettext_lazy("Every month, on the same weekday (e.g. the second Tuesday)"),
            ),
            (R.MONTHLY_DATE, gettext_lazy("Every month, on the same date")),
        ],
    )
    ends = forms.ChoiceField(
        label=gettext_lazy("A series ends"),
        widget=forms.RadioSelect,
        required=False,
        initial="count",
        choices=[
            ("count", gettext_lazy("After a number of times")),
            ("until", gettext_lazy("On a date")),
        ],
    )
    count = forms.IntegerField(
        label=gettext_lazy("Number of times"),
        required=False,
        min_value=2,
        max_value=recurrence.MAX_OCCURRENCES,
        help_text=gettext_lazy("From 2 to 500."),
    )
    until = forms.DateField(
        label=gettext_lazy("Last date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("At most two years ahead."),
    )
    capacity = forms.IntegerField(
        label=gettext_lazy("Seats"),
        required=False,
        min_value=1,
        max_value=MAX_CAPACITY,
        help_text=gettext_lazy(
            "Leave empty for no limit. When the seats are taken, people join a waiting list."
        ),
    )

    field_order = [
        "title", "summary", "description", "language", "kind", "online_url", "link_shown_to",
        "venue", "address", "country", "city_name", "city_choice", "time_zone", "date",
        "start_time", "duration_minutes", "repeats", "ends", "count", "until", "capacity",
    ]  # fmt: skip
    fieldsets = [
        (gettext_lazy("What"), "", ["title", "summary", "description", "language"]),
        (
            gettext_lazy("Where"),
            gettext_lazy("An online event needs its link; an event in person needs its city; a hybrid both."),
            ["kind", "online_url", "link_shown_to", "venue", "address", "country", "city_name", "city_choice"],
        ),
        (
            gettext_lazy("When"),
            gettext_lazy("Members see every time in their own zone, with the zone named."),
            ["time_zone", "date", "start_time", "duration_minutes"],
        ),
        (
            gettext_lazy("How often"),
            gettext_lazy("A series keeps the same clock time in its zone when summer time starts or ends."),
            ["repeats", "ends", "count", "until"],
        ),
        (gettext_lazy("Seats"), "", ["capacity"]),
    ]  # fmt: skip

    def __init__(self, *args, event=None, default_zone="UTC", **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = event or Event()
        names = dict(settings.LANGUAGES)
        self.fields["language"].choices = [(code, names[code]) for code in languages.CODES]
        self.fields["time_zone"].choices = zone_choices()
        self.fields["city_name"].label = _("City")
        self.fields["city_name"].help_text = _(
            "For an event in person. Matched against a list of cities, offline."
        )
        self.fields["country"].label = _("Country")
        self.setup_location()
        if event is not None and not self.is_bound:
            self.initial.update(self._from_event(event))
        elif not self.is_bound:
            known = default_zone in dict(zone_choices())
            self.initial.update(
                time_zone=default_zone if known else "UTC", language=languages.current()
            )
            self.initial.setdefault("kind", Event.Kind.ONLINE)

    @staticmethod
    def _from_event(event):
        local = event.starts_at.astimezone(zoneinfo.ZoneInfo(event.time_zone))
        read = recurrence.read_rule(event.rule)
        values = {name: getattr(event, name) for name in (
            "title", "summary", "description", "language", "kind", "online_url", "link_shown_to",
            "venue", "address", "time_zone", "duration_minutes", "capacity",
        )}  # fmt: skip
        values.update(
            date=local.date(),
            start_time=local.time().replace(second=0, microsecond=0),
            repeats=read["repeats"] or R.NONE,
            ends="until" if read["until"] else "count",
            count=read["count"],
            until=read["until"],
        )
        if event.city_id:
            values["country"] = event.city.country
        return values

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value > _far_limit():
            raise forms.ValidationError(_("Choose a date within two years from today."))
        unchanged = self.instance.pk and value == self.initial_date()
        if value < timezone.localdate() - dt.timedelta(days=1) and not unchanged:
            raise forms.ValidationError(_("Choose a date that has not passed."))
        return value

    def initial_date(self):
        event = self.instance
        return event.starts_at.astimezone(zoneinfo.ZoneInfo(event.time_zone)).date()

    def clean_until(self):
        value = self.cleaned_data.get("until")
        if value and value > _far_limit():
            raise forms.ValidationError(_("Choose a last date within two years from today."))
        return value

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        online = kind in (Event.Kind.ONLINE, Event.Kind.HYBRID)
        if online and not cleaned.get("online_url") and "online_url" not in self.errors:
            self.add_error("online_url", _("An online or hybrid event needs its link."))
        self.clean_location(cleaned)
        in_person = kind in (Event.Kind.IN_PERSON, Event.Kind.HYBRID)
        located = self.has_error("city_name") or self.has_error("city_choice") or self.instance.city
        if in_person and not located:
            self.add_error("city_name", _("An event in person needs its city."))
        repeats, first = cleaned.get("repeats"), cleaned.get("date")
        if repeats and repeats != R.NONE:
            ends = cleaned.get("ends") or "count"
            cleaned["ends"] = ends
            if ends == "count" and not cleaned.get("count") and not self.has_error("count"):
                self.add_error("count", _("Give how many times the series happens."))
            if ends == "until":
                until = cleaned.get("until")
                if not until and not self.has_error("until"):
                    self.add_error("until", _("Give the series' last date."))
                elif until and first and until <= first:
                    self.add_error("until", _("The last date must come after the first."))
        return cleaned

    def data_for_service(self):
        """The event's fields, as services.save_event takes them."""
        c = self.cleaned_data
        zone = zoneinfo.ZoneInfo(c["time_zone"])
        wall = dt.datetime.combine(c["date"], c["start_time"].replace(second=0, microsecond=0))
        repeating = c["repeats"] != R.NONE
        rule = recurrence.build_rule(
            repeats=c["repeats"],
            first=c["date"],
            count=c.get("count") if repeating and c.get("ends") == "count" else None,
            until=c.get("until") if repeating and c.get("ends") == "until" else None,
        )
        in_person = c["kind"] != Event.Kind.ONLINE
        online = c["kind"] != Event.Kind.IN_PERSON
        return {
            "title": c["title"].strip(),
            "summary": c["summary"].strip(),
            "description": c["description"].strip(),
            "language": c["language"],
            "kind": c["kind"],
            "online_url": c["online_url"] if online else "",
            "link_shown_to": c["link_shown_to"],
            "venue": c["venue"].strip() if in_person else "",
            "address": c["address"].strip() if in_person else "",
            "city": self.instance.city if in_person else None,
            "time_zone": c["time_zone"],
            "starts_at": recurrence.wall_to_utc(wall, zone),
            "duration_minutes": c["duration_minutes"],
            "rule": rule,
            "capacity": c.get("capacity"),
        }


class ReasonForm(forms.Form):
    """Why a date or an event is cancelled (sent to everyone with a seat or waiting)."""

    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Sent to everyone with a seat or on the waiting list. Up to 300 characters."
        ),
    )

    def clean_reason(self):
        value = " ".join(self.cleaned_data["reason"].split())
        if not value:
            raise forms.ValidationError(_("Say why, in a few words."))
        return value


class MoveForm(forms.Form):
    """A new date and time for one date of an event, on the event's own clock."""

    date = forms.DateField(
        label=gettext_lazy("New date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    start_time = forms.TimeField(
        label=gettext_lazy("New start time"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def __init__(self, *args, occurrence, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zoneinfo.ZoneInfo(occurrence.event.time_zone)
        zone_name = occurrence.event.time_zone
        self.fields["start_time"].help_text = _("The clock in the event's zone, %(zone)s.") % {
            "zone": zone_name
        }
        if not self.is_bound:
            local = occurrence.starts_at.astimezone(self.zone)
            self.initial.update(
                date=local.date(), start_time=local.time().replace(second=0, microsecond=0)
            )

    def clean(self):
        cleaned = super().clean()
        day, time = cleaned.get("date"), cleaned.get("start_time")
        if day and time:
            if day > _far_limit():
                self.add_error("date", _("Choose a date within two years from today."))
                return cleaned
            moment = recurrence.wall_to_utc(
                dt.datetime.combine(day, time.replace(second=0, microsecond=0)), self.zone
            )
            if moment < timezone.now():
                self.add_error("date", _("Choose a time that has not passed."))
            cleaned["starts_at"] = moment
        return cleaned
