import datetime as dt
from decimal import Decimal

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from bpd.conferences.models import Conference
from bpd.fund import exports
from bpd.fund.models import (
    TEXT_LIMIT,
    Application,
    Booking,
    Category,
    Criterion,
    Round,
    RoundText,
)
from bpd.fund.services import Draft
from bpd.ledger import money
from bpd.members import choices
from bpd.members.forms import LocationMixin
from bpd.members.models import User
from bpd.members.roles import Role
from bpd.website import languages
from bpd.website.forms import FastSelect, https_urls
from bpd.website.templatetags.bpd import day_range

DATES_BACK = dt.timedelta(days=366)
DATES_AHEAD = dt.timedelta(days=5 * 366)


def date_in_window(value, *, back=DATES_BACK, ahead=DATES_AHEAD):
    """Refuse dates no real event, trip or appointment could have."""
    today = timezone.localdate()
    if value and not today - back <= value <= today + ahead:
        raise forms.ValidationError(
            _("Give a date between %(first)s and %(last)s.")
            % {"first": today - back, "last": today + ahead}
        )
    return value


def long_text(label, **kwargs):
    """A long answer: its limit is enforced, and said under the field."""
    limit = format_lazy(_("Up to {count} characters."), count=TEXT_LIMIT)
    help_text = kwargs.pop("help_text", "")
    return forms.CharField(
        label=label,
        max_length=TEXT_LIMIT,
        help_text=format_lazy("{} {}", help_text, limit) if help_text else limit,
        widget=forms.Textarea(attrs={"rows": kwargs.pop("rows", 4)}),
        **kwargs,
    )


def currencies_to_choose():
    """A prompt, then the currencies in use, named in the reader's language: with nothing
    chosen yet, the first currency in the list is never taken by accident."""
    return [("", _("Choose a currency")), *money.currency_choices()]


def currency_field(**kwargs):
    """A currency select. Forms that know the round call `lead_with_round_currency`."""
    return forms.ChoiceField(choices=currencies_to_choose, widget=FastSelect, **kwargs)


def lead_with_round_currency(form, round, name="currency"):
    """The round's currency first in the list, and chosen unless the form already has a value."""
    form.fields[name].choices = money.currency_choices(first=round.currency)
    if not form.initial.get(name):
        form.initial[name] = round.currency


class EventChoiceField(forms.ModelChoiceField):
    """Events named with where and when, so two events of one name are told apart."""

    def label_from_instance(self, event):
        return event_label(event)


def event_label(event):
    """An event with where and when ("EuroPython — Prague, Czechia, 13 July 2027 …")."""
    return _("%(name)s — %(city)s, %(country)s, %(dates)s") % {
        "name": event.name,
        "city": event.city,
        "country": languages.country_name(event.country),
        "dates": day_range(event.starts_on, event.ends_on),
    }


class ConsentForm(forms.Form):
    """The last question before an application is submitted."""

    consent = forms.BooleanField(
        label=_(
            "I agree that Black Python Devs stores this application to decide on it, shares it with the reviewers of this round, and keeps it for the Fund's records. No passport number is asked for or stored."
        ),
        error_messages={"required": _("Agree to how we handle your data to submit.")},
    )


class ApplicationForm(LocationMixin, forms.ModelForm):
    """The leader's application; estimates are entered per covered item in their own currency."""

    event_choice = EventChoiceField(
        label=_("Event"),
        queryset=Conference.objects.none(),  # set per request: listed events not yet over
        required=False,
        empty_label=_("Not in the list: I will enter it below"),
        help_text=_("Each event is shown with its city, country and dates."),
    )
    new_event_name = forms.CharField(label=_("Event name"), required=False, max_length=200)
    new_event_url = forms.URLField(label=_("Event website"), required=False, assume_scheme="https")
    new_event_city = forms.CharField(label=_("Event city"), required=False, max_length=120)
    new_event_country = forms.ChoiceField(
        label=_("Event country"), required=False, widget=FastSelect
    )
    new_event_starts = forms.DateField(
        label=_("First day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    new_event_ends = forms.DateField(
        label=_("Last day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    passport_country = forms.ChoiceField(
        label=_("Passport country"), required=False, widget=FastSelect
    )
    currency = currency_field(label=_("Currency of your estimates"))

    purpose = long_text(_("What you will do at the event"), required=False)
    give_back = long_text(_("What you will bring back to your local community"), required=False)

    class Meta:
        model = Application
        formfield_callback = https_urls
        fields = ["purpose", "give_back", "event_grant", "event_grant_notes", "currency"]

    field_order = [
        "event_choice", "new_event_name", "new_event_url", "new_event_city", "new_event_country",
        "new_event_starts", "new_event_ends", "country", "city_name", "city_choice", "passport_country",
        "purpose", "give_back", "event_grant", "event_grant_notes", "currency",
    ]  # fmt: skip

    fieldsets = [
        (_("The event"), "", ["event_choice"]),
        (
            _("Not in the list? Add the event"),
            _("Only if you did not choose it above: its name, website, city, country and dates."),
            ["new_event_name", "new_event_url", "new_event_city", "new_event_country",
             "new_event_starts", "new_event_ends"],
        ),
        (
            _("Where you travel from"),
            _("With the event, these give the visa check."),
            ["country", "city_name", "city_choice", "passport_country"],
        ),
        (_("Your plans"), "", ["purpose", "give_back", "event_grant", "event_grant_notes"]),
        (
            _("Your cost estimates"),
            _("In one currency. Black Python Devs books and pays for these directly."),
            ["currency"],  # and one estimate per item the round covers (see __init__)
        ),
    ]  # fmt: skip

    def __init__(self, *args, round, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round
        self.fields["country"].label = _("Country you travel from")
        self.fields["city_name"].label = _("City you travel from")
        self.setup_location(current_city=self.instance.origin_city)
        countries = [("", _("Choose a country")), *choices.countries()]
        self.fields["passport_country"].choices = countries
        self.fields["new_event_country"].choices = countries
        self.fields["event_choice"].queryset = (
            Conference.objects.published().upcoming().order_by("starts_on", "name")
        )
        application = self.instance
        if not application.pk:
            self.initial["currency"] = round.currency  # not the model's default
        lead_with_round_currency(self, round)
        if application.pk and not self.is_bound:
            self.initial.update(
                event_choice=application.event
                if application.event and application.event.listed
                else None,
                country=application.origin_country,
                passport_country=application.passport_country,
            )
            if application.event and not application.event.listed:
                event = application.event
                self.initial.update(
                    new_event_name=event.name, new_event_url=event.url, new_event_city=event.city,
                    new_event_country=event.country, new_event_starts=event.starts_on, new_event_ends=event.ends_on,
                )  # fmt: skip
            if application.origin_city_id:
                self.initial["city_name"] = application.origin_city.name
        existing = {c.category: c for c in application.costs.all()} if application.pk else {}
        legend, hint, names = self.fieldsets[-1]
        costs = [f"cost_{category}" for category in round.covered]
        self.fieldsets = [*self.fieldsets[:-1], (legend, hint, [*names, *costs])]
        for category in round.covered:
            name = f"cost_{category}"
            self.fields[name] = forms.DecimalField(
                label=_("Estimate: %(item)s") % {"item": Category(category).label},
                required=False,
                min_value=Decimal(0),
                max_digits=12,
                decimal_places=2,
            )
            if category in existing and not self.is_bound:
                cost = existing[category]
                self.initial[name] = money.to_major(cost.amount, cost.currency)

    def clean_new_event_starts(self):
        return date_in_window(self.cleaned_data.get("new_event_starts"))

    def clean_new_event_ends(self):
        return date_in_window(self.cleaned_data.get("new_event_ends"))

    def clean(self):
        cleaned = super().clean()
        self.clean_location(cleaned)
        if not cleaned.get("event_choice") and cleaned.get("new_event_name"):
            missing = [
                f
                for f in (
                    "new_event_url",
                    "new_event_city",
                    "new_event_country",
                    "new_event_starts",
                    "new_event_ends",
                )
                if not cleaned.get(f)
            ]
            for field in missing:
                self.add_error(field, _("Needed for an event that is not in the list."))
            starts, ends = cleaned.get("new_event_starts"), cleaned.get("new_event_ends")
            if starts and ends and ends < starts:
                self.add_error("new_event_ends", _("The last day is before the first day."))
        return cleaned

    def costs(self):
        currency = self.cleaned_data["currency"]
        return {
            category: money.to_minor(self.cleaned_data[f"cost_{category}"], currency)
            for category in self.round.covered
            if self.cleaned_data.get(f"cost_{category}")
        }

    def draft(self):
        """The parsed application, for `services.save_draft`."""
        data = self.cleaned_data
        new_event = None
        if not data.get("event_choice") and data.get("new_event_name"):
            new_event = {
                "name": data["new_event_name"],
                "url": data["new_event_url"],
                "city": data["new_event_city"],
                "country": data["new_event_country"],
                "starts_on": data["new_event_starts"],
                "ends_on": data["new_event_ends"],
            }
        return Draft(
            fields={name: data[name] for name in self.Meta.fields},
            listed_event=data.get("event_choice"),
            new_event=new_event,
            origin_country=data.get("country") or "",
            origin_city=getattr(self.instance, "city", None),
            passport_country=data.get("passport_country") or "",
            costs=self.costs(),
        )


class AllocationOptionsForm(forms.Form):
    """The allocation page's options, from its query string: a cap on awards per country
    (the round's own cap when none is given) and whether to leave out applications whose
    visa is not feasible (yes unless "off")."""

    max_per_country = forms.IntegerField(
        label=_("At most this many awards per country"),
        min_value=1,
        max_value=1000,
        required=False,
    )

    def options(self, round):
        valid = self.is_valid()
        cap = self.cleaned_data.get("max_per_country") if valid else None
        return {
            "max_per_country": cap or round.max_per_country,
        }


class ReviewForm(forms.Form):
    comment = long_text(
        _("Comment for the committee (never shown to the applicant)"), required=False, rows=3
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        scale = [(n, str(n)) for n in range(1, 6)]
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=_("%(criterion)s (weight %(weight)s)")
                % {"criterion": criterion.name, "weight": criterion.weight},
                help_text=criterion.guidance,
                choices=scale,
                coerce=int,
                widget=forms.RadioSelect,
            )
            self.fields[f"note_{criterion.pk}"] = forms.CharField(
                label=_("Why"), required=False, max_length=500
            )

    def scores(self):
        return {
            c.pk: (self.cleaned_data[f"score_{c.pk}"], self.cleaned_data.get(f"note_{c.pk}", ""))
            for c in self.criteria
        }


class VisaCheckForm(forms.Form):
    """A staff member's own visa check: the verdict and where it comes from."""

    verdict = forms.ChoiceField(
        label=_("Verdict of your check"),
        choices=[
            ("feasible", _("feasible")),
            ("at_risk", _("at risk")),
            ("not_feasible", _("not feasible")),
        ],
        widget=forms.RadioSelect,
    )
    source = forms.CharField(
        label=_("Where the answer comes from"),
        help_text=_(
            "For example: the consulate's appointment page on a date, or the applicant's "
            "valid visa you have seen. Kept with the check and in the audit log."
        ),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ConflictForm(forms.Form):
    reason = forms.CharField(label=_("Reason (seen by staff only)"), required=False, max_length=300)


class FewReviewsForm(forms.Form):
    """An executor lets an application with too few reviews into the proposal."""

    few_reviews_reason = forms.CharField(
        label=_("Why it may be proposed with fewer reviews"),
        help_text=_("Recorded in the audit log, with your name."),
        max_length=500,
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[("award", _("Award")), ("waitlist", _("Waiting list")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    reason = long_text(_("Message to the applicant"), required=False, rows=3)

    def __init__(self, *args, round, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round
        for category in round.covered:
            self.fields[f"award_{category}"] = forms.DecimalField(
                label=_("Award for %(item)s (%(currency)s)")
                % {"item": Category(category).label, "currency": round.currency},
                required=False,
                min_value=Decimal(0),
                max_digits=12,
                decimal_places=2,
            )

    def items(self):
        return {
            category: money.to_minor(self.cleaned_data[f"award_{category}"], self.round.currency)
            for category in self.round.covered
            if self.cleaned_data.get(f"award_{category}")
        }


class RoundForm(forms.ModelForm):
    budget_amount = forms.DecimalField(
        label=_("Budget"), min_value=Decimal(0), max_digits=12, decimal_places=2
    )
    cap_per_person_amount = forms.DecimalField(
        label=_("Cap per person"),
        required=False,
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
    )
    cap_per_year_amount = forms.DecimalField(
        label=_("Cap per person per year"),
        required=False,
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
    )
    currency = currency_field(label=_("Currency"), initial="USD")

    class Meta:
        model = Round
        fields = [
            "name", "slug", "description", "opens_at", "closes_at", "decision_date", "currency", "covered",
            "requires_leader", "max_per_country", "offer_reply_days", "min_reviews", "reviewers",
            "signatory", "signatory_title",
        ]  # fmt: skip
        help_texts = {
            "signatory": _(
                "An executor. Their name and role are printed on the funding letters issued from now "
                "on; letters already issued keep theirs until they are re-issued."
            ),
            "signatory_title": _("For example “Executive Director”."),
        }
        widgets = {
            "opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "decision_date": forms.DateInput(attrs={"type": "date"}),
            "reviewers": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = (
            User.objects.filter(groups__name=Role.REVIEWER).select_related("profile").distinct()
        )
        self.fields["reviewers"].label_from_instance = lambda u: (
            getattr(getattr(u, "profile", None), "display_name", "") or u.email
        )
        # Only an executor signs the Fund's letters (staff hold the role too; see roles.py).
        self.fields["signatory"].queryset = (
            User.objects.filter(
                Q(groups__name=Role.EXECUTOR) | Q(is_staff=True) | Q(is_superuser=True),
                is_active=True,
            )
            .select_related("profile")
            .order_by("profile__display_name", "email")
            .distinct()
        )
        self.fields["signatory"].label_from_instance = self.fields["reviewers"].label_from_instance
        round = self.instance
        if round.pk:
            lead_with_round_currency(self, round)
        if round.pk and not self.is_bound:
            self.initial["budget_amount"] = money.to_major(round.budget, round.currency)
            for name in ("cap_per_person", "cap_per_year"):
                value = getattr(round, name)
                self.initial[f"{name}_amount"] = (
                    money.to_major(value, round.currency) if value else None
                )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("opens_at")
            and cleaned.get("closes_at")
            and cleaned["closes_at"] <= cleaned["opens_at"]
        ):
            self.add_error("closes_at", _("Applications must close after they open."))
        if not cleaned.get("covered"):
            self.add_error("covered", _("Choose what the round covers."))
        if cleaned.get("signatory") and not cleaned.get("signatory_title"):
            self.add_error(
                "signatory_title", _("Enter the signatory's role as it should be printed.")
            )
        if cleaned.get("signatory_title") and not cleaned.get("signatory"):
            self.add_error("signatory", _("Choose who signs the letters, or leave the role empty."))
        return cleaned

    def save(self, commit=True):
        round = super().save(commit=False)
        currency = self.cleaned_data["currency"]
        round.budget = money.to_minor(self.cleaned_data["budget_amount"], currency)
        for name in ("cap_per_person", "cap_per_year"):
            value = self.cleaned_data.get(f"{name}_amount")
            setattr(round, name, money.to_minor(value, currency) if value else None)
        if commit:
            round.save()
            self.save_m2m()
        return round


class RoundTextForm(forms.ModelForm):
    class Meta:
        model = RoundText
        fields = ["language", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # English is the round's own description; translations are for the other languages.
        # A blank first choice, so the empty row for a new translation stays empty (and
        # unvalidated) unless the editor picks a language.
        self.fields["language"].choices = [
            ("", _("Choose a language")),
            *((code, name) for code, name in settings.LANGUAGES if code != "en"),
        ]


RoundTextFormSet = forms.inlineformset_factory(
    Round, RoundText, form=RoundTextForm, extra=1, can_delete=True
)

CriterionFormSet = forms.inlineformset_factory(
    Round, Criterion, fields=["name", "guidance", "weight", "order"], extra=2, can_delete=True
)


class RateForm(forms.Form):
    currency = currency_field(label=_("Currency"))
    rate = forms.DecimalField(
        label=_("Value of one unit in the round's currency"),
        min_value=Decimal("0.000001"),
        max_value=Decimal("1000000"),
        max_digits=18,
        decimal_places=8,
    )
    as_of = forms.DateField(label=_("As of"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, round, **kwargs):
        super().__init__(*args, **kwargs)
        # The round's own currency always counts at 1: it is not offered.
        self.fields["currency"].choices = [
            (code, label) for code, label in currencies_to_choose() if code != round.currency
        ]


class BookingForm(forms.ModelForm):
    cost = forms.DecimalField(
        label=_("Cost"), min_value=Decimal(0), max_digits=12, decimal_places=2
    )
    currency = currency_field(label=_("Currency paid in"))

    class Meta:
        model = Booking
        fields = [
            "category",
            "vendor",
            "reference",
            "description",
            "starts_at",
            "currency",
            "refundable",
            "status",
        ]
        widgets = {"starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"})}

    def __init__(self, *args, round=None, **kwargs):
        super().__init__(*args, **kwargs)
        if round is not None:
            lead_with_round_currency(self, round)
        # A booking is cancelled from its row, where its refund and loss are recorded.
        self.fields["status"].choices = [
            c for c in self.fields["status"].choices if c[0] not in Booking.Status.CLOSED
        ]

    def amount(self):
        return money.to_minor(self.cleaned_data["cost"], self.cleaned_data["currency"])


def refund_field(label, booking, currency, **kwargs):
    """A refund of `booking` in the round's `currency` (major units): from nothing to its
    price, with messages that say so."""
    cost = booking.amount_in_round_currency if booking else None
    messages = {"min_value": _("A refund cannot be negative."), **kwargs.pop("error_messages", {})}
    if cost is not None:
        messages["max_value"] = _("A refund cannot be more than the booking cost (%(cost)s).") % {
            "cost": money.display(cost, currency)
        }
    return forms.DecimalField(
        label=label,
        min_value=Decimal(0),
        max_value=None if cost is None else money.to_major(cost, currency),
        max_digits=12,
        decimal_places=2,
        error_messages=messages,
        **kwargs,
    )


class BookingStatusForm(forms.Form):
    """One booking's next status; the refund expected when a paid booking is cancelled, or
    the refund received when it is marked refunded (round currency, major units)."""

    status = forms.ChoiceField(
        label=_("New status"),
        choices=Booking.Status.choices,
        error_messages={"required": _("Choose the status to move the booking to.")},
    )

    def __init__(self, *args, booking=None, **kwargs):
        super().__init__(*args, **kwargs)
        currency = booking.application.round.currency if booking else None
        self.fields["expected_refund"] = refund_field(
            _("Refund expected"), booking, currency, required=False
        )
        self.fields["refunded"] = refund_field(
            _("Refund received"), booking, currency, required=False
        )


def passport_name_field(help_text):
    return forms.CharField(
        label=_("Your name exactly as in your passport"),
        max_length=Application._meta.get_field("passport_name").max_length,
        help_text=help_text,
        error_messages={"required": _("Enter your name exactly as in your passport.")},
    )


PASSPORT_NAME_HINT = _(
    "It is printed on your funding letter, so write it as on your passport's photo page. "
    "Only you and the Fund's staff see it."
)


class ReplyForm(forms.Form):
    """The applicant's answer to an award: it must be said; nothing defaults to declining.
    Accepting asks for the name exactly as in the passport, for the funding letter."""

    passport_name = passport_name_field(
        format_lazy("{} {}", PASSPORT_NAME_HINT, _("Not needed if you decline."))
    )
    answer = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
        error_messages={"required": _("Choose whether you accept or decline the award.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and self.data.get("answer") == "decline":
            self.fields["passport_name"].required = False


class PassportNameForm(forms.Form):
    """The passport name, asked once of those who accepted before it was asked on accepting."""

    passport_name = passport_name_field(PASSPORT_NAME_HINT)


class CancelAllForm(forms.Form):
    """After a refused visa: the refund expected for each open booking that was paid (round
    currency; a refundable booking's whole price unless changed). Open bookings not yet paid
    (`unpaid`) are cancelled at no loss and ask nothing."""

    def __init__(self, *args, bookings, currency, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.bookings = [b for b in bookings if b.is_open]
        self.paid = [b for b in self.bookings if b.was_paid]
        self.unpaid = [b for b in self.bookings if not b.was_paid]
        for booking in self.paid:
            price = money.display(booking.amount_in_round_currency, currency)
            self.fields[f"refund_{booking.pk}"] = refund_field(
                format_lazy(
                    _("{booking}: refund expected"),
                    booking=f"{booking.get_category_display()} — {booking.vendor}",
                ),
                booking,
                currency,
                initial=exports.major(
                    booking.amount_in_round_currency if booking.refundable else 0, currency
                ),
                help_text=(
                    _("Paid %(price)s; refundable.")
                    if booking.refundable
                    else _("Paid %(price)s; not refundable.")
                )
                % {"price": price},
                error_messages={"required": _("Enter the refund expected (0 if none).")},
            )

    def expected_refunds(self):
        """The refund expected per paid booking id (round currency, minor units)."""
        return {
            b.pk: money.to_minor(self.cleaned_data[f"refund_{b.pk}"], self.currency)
            for b in self.paid
        }


class VisaOutcomeForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["appointment_date", "visa_decision"]
        widgets = {"appointment_date": forms.DateInput(attrs={"type": "date"})}

    def clean_appointment_date(self):
        return date_in_window(
            self.cleaned_data.get("appointment_date"), ahead=dt.timedelta(days=2 * 366)
        )


class ReportForm(forms.Form):
    summary = long_text(_("How it went"), rows=5)
    brought_back = long_text(_("What you are bringing back to your community"))
    people_reached = forms.IntegerField(
        label=_("People you have shared it with so far"),
        min_value=0,
        max_value=10_000_000,
        initial=0,
    )


class WaitTimeImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Format"),
        choices=[
            ("csv", _("CSV: post, country, visa_category, wait_days")),
            (
                "state_department_html",
                _("US State Department “Global Visa Wait Times” page, saved as HTML"),
            ),
        ],
    )
    destination = forms.ChoiceField(label=_("Visas for (country)"), initial="US", widget=FastSelect)
    as_of = forms.DateField(label=_("Data as of"), widget=forms.DateInput(attrs={"type": "date"}))
    source = forms.CharField(label=_("Where it comes from"), max_length=200)
    file = forms.FileField(label=_("File"), help_text=_("Up to 2 MB."))

    MAX_BYTES = 2 * 1024 * 1024

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return file

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["destination"].choices = [("", _("Choose a country")), *choices.countries()]


class OutOfPocketForm(forms.Form):
    description = forms.CharField(label=_("What the traveller paid"), max_length=300)
    amount = forms.DecimalField(
        label=_("Amount"), min_value=Decimal("0.01"), max_digits=12, decimal_places=2
    )
    currency = currency_field(label=_("Currency"))

    def __init__(self, *args, round=None, **kwargs):
        super().__init__(*args, **kwargs)
        if round is not None:
            lead_with_round_currency(self, round)
