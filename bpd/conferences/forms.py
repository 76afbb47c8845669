"""Forms of the conference list: filters, a suggestion (members), the staff editor,
a talk, a rejection."""

import datetime as dt
import re
from functools import cache
from zoneinfo import available_timezones

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bpd.conferences import selectors, services
from bpd.conferences.models import AOE, Conference, Deadline, zone_info
from bpd.members import choices, regions
from bpd.website.forms import FastSelect

EARLIEST_YEAR = 2000
YEARS_AHEAD = 5
LANGUAGE_CODE = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8}){0,2}$")
MAX_TAGS, TAG_LENGTH = 10, 40
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


@cache
def _zone_names():
    return sorted(
        name for name in available_timezones() if "/" in name and not name.startswith("Etc/")
    )


def zone_choices():
    """AoE first (conferences' favourite), then UTC and every tz database zone."""
    return [
        ("", _("Choose a time zone")),
        (AOE, _("AoE: Anywhere on Earth (UTC-12)")),
        ("UTC", "UTC"),
        *((name, name.replace("_", " ")) for name in _zone_names()),
    ]


def is_zone(name):
    return name == AOE or name == "UTC" or name in _zone_names()


def _latest():
    today = timezone.localdate()
    return today.replace(year=today.year + YEARS_AHEAD)


def check_date(value):
    """Not before 2000, not more than five years ahead: a typo, not a conference."""
    if value and value.year < EARLIEST_YEAR:
        raise forms.ValidationError(_("Enter a date from the year 2000 on."))
    if value and value > _latest():
        raise forms.ValidationError(_("Enter a date at most five years from today."))
    return value


def https_only(value):
    if value and not value.lower().startswith("https://"):
        raise forms.ValidationError(_("Enter an address that starts with https://."))
    return value


def _url(label, required=False):
    return forms.URLField(
        label=label,
        required=required,
        max_length=500,
        assume_scheme="https",
        validators=[https_only],
    )


def _codes(text, pattern, message, *, limit, length):
    items = [item.strip() for item in (text or "").split(",") if item.strip()]
    if len(items) > limit:
        raise forms.ValidationError(_("At most %(limit)s, separated by commas.") % {"limit": limit})
    for item in items:
        if len(item) > length or (pattern and not pattern.match(item)):
            raise forms.ValidationError(message)
    return list(dict.fromkeys(items))


class ConferenceForm(forms.Form):
    """A conference's facts and its deadlines, each a date, a time and the zone the
    conference announced it in. Members suggest with it; staff edit with `StaffForm`."""

    name = forms.CharField(label=_("Name"), max_length=200)
    url = _url(_("Website"), required=True)
    starts_on = forms.DateField(label=_("First day"), widget=DATE, validators=[check_date])
    ends_on = forms.DateField(label=_("Last day"), widget=DATE, validators=[check_date])
    online = forms.BooleanField(label=_("It is online (or can be followed online)"), required=False)
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    country = forms.ChoiceField(label=_("Country"), required=False, widget=FastSelect)
    code_of_conduct_url = _url(_("Code of conduct"))
    languages = forms.CharField(
        label=_("Languages"),
        max_length=200,
        required=False,
        help_text=_("Language codes, separated by commas: en, fr, pt-BR."),
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    facts = [
        "name",
        "url",
        "starts_on",
        "ends_on",
        "online",
        "city",
        "country",
        "code_of_conduct_url",
    ]

    def __init__(self, *args, instance: Conference | None = None, **kwargs):
        self.instance = instance
        if instance is not None and not kwargs.get("initial"):
            kwargs["initial"] = self.initial_from(instance)
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Choose a country")), *choices.countries()]
        kinds = []
        for kind, label in Deadline.Kind.choices:
            self.fields[f"{kind}_date"] = forms.DateField(
                label=pgettext_lazy("deadline", "Date"),
                required=False,
                widget=DATE,
                validators=[check_date],
            )
            self.fields[f"{kind}_time"] = forms.TimeField(
                label=pgettext_lazy("deadline", "Time"),
                required=False,
                widget=TIME,
                help_text=_("Leave empty for 23:59, the end of the day."),
            )
            self.fields[f"{kind}_zone"] = forms.ChoiceField(
                label=_("Time zone"), required=False, choices=zone_choices, widget=FastSelect
            )
            self.fields[f"{kind}_url"] = _url(_("Link"))
            kinds.append(
                (label, "", [f"{kind}_date", f"{kind}_time", f"{kind}_zone", f"{kind}_url"])
            )
        self.fieldsets = [
            (_("The conference"), "", self.facts),
            *kinds,
            (_("More about it"), "", self.more),
        ]

    more = ["languages", "summary"]

    @staticmethod
    def initial_from(conference):
        initial = {name: getattr(conference, name) for name in services.FIELDS}
        initial["languages"] = ", ".join(conference.languages or [])
        initial["tags"] = ", ".join(conference.tags or [])
        for deadline in conference.deadlines.all():
            local = deadline.local_due
            initial |= {
                f"{deadline.kind}_date": local.date(),
                f"{deadline.kind}_time": local.time().replace(second=0, microsecond=0),
                f"{deadline.kind}_zone": deadline.zone,
                f"{deadline.kind}_url": deadline.url,
            }
        return initial

    def clean_languages(self):
        return _codes(
            self.cleaned_data["languages"],
            LANGUAGE_CODE,
            _("Use language codes such as en, fr or pt-BR."),
            limit=MAX_TAGS,
            length=20,
        )

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The last day cannot be before the first day."))
        if not data.get("online") and not data.get("country"):
            self.add_error("country", _("Choose the country, or say it is online."))
        for kind, _label in Deadline.Kind.choices:
            day, zone = data.get(f"{kind}_date"), data.get(f"{kind}_zone")
            if zone and not is_zone(zone):
                self.add_error(f"{kind}_zone", _("Choose a time zone from the list, or AoE."))
            elif day and not zone:
                self.add_error(
                    f"{kind}_zone", _("Say which time zone the deadline is in (AoE is allowed).")
                )
            elif not day and (data.get(f"{kind}_time") or data.get(f"{kind}_url")):
                self.add_error(f"{kind}_date", _("Enter the date, or leave this deadline empty."))
        return data

    def conference_data(self):
        data = {
            name: self.cleaned_data[name]
            for name in [*self.facts, *self.more]
            if name in self.cleaned_data
        }
        return data | {"tags": self.cleaned_data.get("tags", [])} if "tags" in self.fields else data

    def deadlines(self):
        """The deadlines entered, each with its moment in UTC and its announced zone."""
        found = []
        for kind, _label in Deadline.Kind.choices:
            day = self.cleaned_data.get(f"{kind}_date")
            if not day:
                continue
            zone = self.cleaned_data[f"{kind}_zone"]
            time = self.cleaned_data.get(f"{kind}_time") or dt.time(23, 59)
            local = dt.datetime.combine(day, time, tzinfo=zone_info(zone))
            found.append(
                {
                    "kind": kind,
                    "due_at": local.astimezone(dt.UTC),
                    "zone": zone,
                    "url": self.cleaned_data.get(f"{kind}_url", ""),
                }
            )
        return found


class StaffForm(ConferenceForm):
    """What staff edit: a suggestion's facts plus its tags."""

    tags = forms.CharField(
        label=_("Tags"),
        max_length=400,
        required=False,
        help_text=_("Separated by commas, e.g. diversity programme, remote-friendly."),
    )
    more = ["languages", "tags", "summary"]

    def clean_tags(self):
        return _codes(
            self.cleaned_data["tags"],
            None,
            _("Keep each tag under 40 characters."),
            limit=MAX_TAGS,
            length=TAG_LENGTH,
        )


class FilterForm(forms.Form):
    """The list's filters (GET); a value that is not a choice is ignored."""

    region = forms.ChoiceField(label=_("Region"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False, widget=FastSelect)
    online = forms.ChoiceField(
        label=_("Online or in person"),
        required=False,
        choices=[("", _("Either")), ("yes", _("Online")), ("no", _("In person"))],
    )
    support = forms.BooleanField(label=_("Financial aid or a grant still open"), required=False)
    tag = forms.ChoiceField(label=_("Tag"), required=False)

    def __init__(self, *args, tags=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [
            ("", _("Anywhere")),
            *((code, regions.area_name(code)) for code in selectors.REGIONS),
        ]
        self.fields["country"].choices = [("", _("Any country")), *choices.countries()]
        self.fields["tag"].choices = [("", _("Any tag")), *((t, t) for t in tags)]

    def filters(self):
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        online = {"yes": True, "no": False}.get(data.get("online"))
        return {
            "region": data.get("region") or "",
            "country": data.get("country") or "",
            "online": online,
            "support": bool(data.get("support")),
            "tag": data.get("tag") or "",
        }


class DeadlineFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of deadline"),
        required=False,
        choices=[("", _("Every kind")), *Deadline.Kind.choices],
    )


class TalkForm(forms.Form):
    title = forms.CharField(label=_("Title of your talk"), max_length=300, required=False)
    consent = forms.BooleanField(
        label=_("Show my name and talk on this conference's page"),
        required=False,
        help_text=_("Your name shows as far as your profile's settings share it."),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_("The member who suggested it reads this."),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give a reason: the member who suggested it reads it.")},
    )
