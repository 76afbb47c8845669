"""The forms of the sponsored tickets: setting up a draw, applying, running it, codes,
"tickets issued" and attendance. Each checks its own bounds; the services check again."""

import datetime as dt

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bpd.communities import tickets as services
from bpd.communities.models import Draw

DATETIME = {"type": "datetime-local"}
MAX_UPLOAD = 200_000  # bytes: thousands of codes
MAX_CODES = services.MAX_TICKETS


def _priority(label):
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=[("", gettext_lazy("No rule")), *Draw.Tier.choices],
    )


class DrawSetupForm(forms.Form):
    """The rules of a draw, published at once and never changed afterwards."""

    tickets = forms.IntegerField(label=gettext_lazy("Tickets in the draw"), min_value=1)
    opens_at = forms.DateTimeField(
        label=gettext_lazy("Applications open"),
        widget=forms.DateTimeInput(attrs=DATETIME, format="%Y-%m-%dT%H:%M"),
    )
    closes_at = forms.DateTimeField(
        label=gettext_lazy("Applications close"),
        help_text=gettext_lazy("Before the event starts, and before the randomness below exists."),
        widget=forms.DateTimeInput(attrs=DATETIME, format="%Y-%m-%dT%H:%M"),
    )
    radius_km = forms.IntegerField(
        label=gettext_lazy("Also members within this distance of the city (km)"),
        help_text=gettext_lazy(
            "Members in the event's country may always apply. Leave empty for the country only."
        ),
        required=False,
        min_value=1,
        max_value=services.MAX_RADIUS_KM,
    )
    priority_1 = _priority(gettext_lazy("First priority rule"))
    priority_2 = _priority(gettext_lazy("Second priority rule"))
    priority_3 = _priority(gettext_lazy("Third priority rule"))
    confirm_days = forms.IntegerField(
        label=gettext_lazy("Days a winner has to confirm"),
        initial=5,
        min_value=1,
        max_value=services.MAX_CONFIRM_DAYS,
    )
    randomness_source = forms.CharField(
        label=gettext_lazy("The public randomness the draw will use"),
        help_text=gettext_lazy(
            "Name a value nobody knows yet and anyone can look up after applications close, "
            "e.g. “drand quicknet round 12345678” or “the Ghana National Lottery draw of "
            "14 March 2027”."
        ),
        min_length=5,
        max_length=services.SOURCE_LIMIT,
    )
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I understand that once published, the rules, the commitment and the randomness "
            "source cannot change."
        ),
        error_messages={"required": gettext_lazy("Tick the box to confirm, or go back.")},
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.sponsorship = request
        most = services.tickets_available(request)
        self.fields["tickets"].max_value = most
        self.fields["tickets"].widget.attrs["max"] = most
        self.fields["tickets"].validators.append(MaxValueValidator(most))
        self.fields["tickets"].help_text = _("At most %(most)d, as approved.") % {"most": most}
        self.fields["tickets"].initial = most

    def clean_randomness_source(self):
        try:
            return services.clean_line(
                self.cleaned_data["randomness_source"],
                limit=services.SOURCE_LIMIT,
                what=_("the public randomness source"),
            )
        except services.TicketError as error:
            raise forms.ValidationError(str(error)) from error

    def _bounded(self, name):
        value = self.cleaned_data.get(name)
        if value is None:
            return None
        now = timezone.now()
        starts = services.event_starts_at(self.sponsorship)
        if value < now - dt.timedelta(days=366):
            self.add_error(name, _("Give a date in the last year or later."))
            return None
        if value >= starts:
            self.add_error(name, _("Give a moment before the event starts."))
            return None
        return value

    def clean(self):
        cleaned = super().clean()
        opens, closes = self._bounded("opens_at"), self._bounded("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("Applications must close after they open."))
        elif closes and closes <= timezone.now():
            self.add_error("closes_at", _("Applications must close in the future."))
        chosen = [cleaned.get(f"priority_{i}") or "" for i in (1, 2, 3)]
        seen = []
        for index, value in enumerate(chosen, start=1):
            if not value:
                continue
            if "" in chosen[: index - 1]:
                self.add_error(f"priority_{index}", _("Fill in the rules in order, without a gap."))
            elif value in seen:
                self.add_error(f"priority_{index}", _("Choose each rule once."))
            seen.append(value)
        cleaned["priorities"] = seen
        return cleaned


class ApplyForm(forms.Form):
    statement = forms.CharField(
        label=gettext_lazy("A few words"),
        help_text=gettext_lazy(
            "Why you would like to go. If you win, the community's leaders and BPD staff "
            "read it; it does not change your chances. Up to 1,000 characters."
        ),
        required=False,
        max_length=services.STATEMENT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class RunForm(forms.Form):
    randomness_value = forms.CharField(
        label=gettext_lazy("The public randomness value"),
        help_text=gettext_lazy(
            "Exactly as the named source published it (for drand, the round's randomness "
            "in hex). It is shown on the draw's page for anyone to check."
        ),
        max_length=services.SOURCE_LIMIT,
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that the draw is final: it cannot be run again."),
        error_messages={"required": gettext_lazy("Tick the box to confirm, or go back.")},
    )

    def clean_randomness_value(self):
        try:
            return services.clean_line(
                self.cleaned_data["randomness_value"],
                limit=services.SOURCE_LIMIT,
                what=_("the randomness value"),
            )
        except services.TicketError as error:
            raise forms.ValidationError(str(error)) from error


class CodesForm(forms.Form):
    codes = forms.CharField(
        label=gettext_lazy("Codes, one per line"),
        help_text=gettext_lazy("All of them are added, or none if one is wrong."),
        required=False,
        max_length=MAX_UPLOAD,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    file = forms.FileField(
        label=gettext_lazy("Or a text file of codes"),
        help_text=gettext_lazy("Plain text (UTF-8), one code per line, up to 200 KB."),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return ""
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is too large: at most 200 KB."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from error

    def clean(self):
        cleaned = super().clean()
        text = "\n".join(part for part in (cleaned.get("codes"), cleaned.get("file")) if part)
        if not self.errors and not text.strip():
            raise forms.ValidationError(_("Paste the codes or choose a file."))
        if text.count("\n") >= MAX_CODES:
            raise forms.ValidationError(_("Too many lines."))
        cleaned["text"] = text
        return cleaned


class ByNameForm(forms.Form):
    entry = forms.TypedChoiceField(label=gettext_lazy("Winner"), coerce=int)

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = [(entry.pk, _labelled(entry)) for entry in entries]


class IssuedForm(forms.Form):
    anyway = forms.BooleanField(
        label=gettext_lazy("Mark them issued although not every ticket has a code here"),
        required=False,
    )
    comment = forms.CharField(
        label=gettext_lazy("Note (optional)"), required=False, max_length=2000
    )


class AttendanceForm(forms.Form):
    attended = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Who came"),
        help_text=gettext_lazy("Tick everyone who was there; the others are marked absent."),
        widget=forms.CheckboxSelectMultiple,
        coerce=int,
        required=False,
    )

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [(entry.pk, _labelled(entry)) for entry in entries]


def _labelled(entry):
    """A winner as the leader picks them: their entry number, then their name as shared."""
    return _("Number %(number)d: %(name)s") % {"number": entry.number, "name": entry.name}
