"""The forms of partners' management: a partner (its texts per language, links, logo),
the people who act for it, an offer (written by its people or staff), codes for a pool,
the executors' notes and reasons. Each checks its own types and bounds; the services
check the rules again and name the field that breaks one."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bpd.members import choices, regions
from bpd.partners import services
from bpd.partners.models import CODE_LIMIT, TEXT_LIMIT, Offer, Partner
from bpd.website import images, languages
from bpd.website.forms import FastSelect, language_choices, text_fields, web_addresses

DATETIME = {"type": "datetime-local"}
MAX_LINKS = 10
LINK_LENGTH = 300


def _clean_text(value):
    return (value or "").replace("\r\n", "\n").strip()


class FastSelectMultiple(FastSelect, forms.SelectMultiple):
    """A long <select multiple> (countries) rendered in Python, like FastSelect."""

    allow_multiple_selected = True

    def __init__(self, attrs=None, choices=()):
        super().__init__({"multiple": True, "size": 8, **(attrs or {})}, choices)


class PartnerForm(forms.Form):
    """What a partner is: its name and address, what it does (per language), what it
    gives back to BPD, where it lives online, its logo, whether the partnership runs."""

    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=120,
        error_messages={"required": gettext_lazy("Give the partner's name.")},
    )
    slug = forms.SlugField(
        label=gettext_lazy("Address of its page"),
        max_length=140,
        required=False,
        help_text=gettext_lazy("Letters, digits and hyphens. Empty: made from the name."),
    )
    status = forms.ChoiceField(label=gettext_lazy("Partnership"), choices=Partner.Status.choices)
    language = forms.ChoiceField(label=gettext_lazy("Language of the description"))
    description = forms.CharField(
        label=gettext_lazy("Description"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("Plain text: who they are and what they teach or make."),
    )
    gives_back = forms.CharField(
        label=gettext_lazy("What they give back to BPD"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("For example: 20% of every sale is donated to BPD."),
    )
    website = forms.URLField(
        label=gettext_lazy("Website"), required=False, max_length=500, assume_scheme="https"
    )
    links = forms.CharField(
        label=gettext_lazy("Other links"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One address per line, at most 10."),
    )
    logo = forms.FileField(
        label=gettext_lazy("Logo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=gettext_lazy("JPEG, PNG or WebP, up to 5 MB. We keep a small copy."),
    )
    remove_logo = forms.BooleanField(label=gettext_lazy("Remove the logo"), required=False)

    def __init__(self, *args, partner=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices()
        if partner is None or not partner.logo:
            del self.fields["remove_logo"]
        if partner is None:
            del self.fields["slug"]
        language = partner.language if partner else languages.current()
        self.other_languages = [code for code in languages.CODES if code != language]
        texts = {t.language: t.description for t in partner.texts.all()} if partner else {}
        text_fields(self, self.other_languages, texts, _("Description in %(language)s"), TEXT_LIMIT)
        if not self.is_bound:
            if partner is None:
                self.initial.update(language=language, status=Partner.Status.ACTIVE)
            else:
                self.initial.update(
                    {name: getattr(partner, name) for name in services.PARTNER_FIELDS}
                )

    def clean_name(self):
        value = " ".join(self.cleaned_data["name"].split())
        if not value:
            raise forms.ValidationError(_("Give the partner's name."))
        return value

    def clean_description(self):
        return _clean_text(self.cleaned_data["description"])

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo:
            try:
                images.check_upload(logo)
            except images.ImageRejected as error:
                raise forms.ValidationError(str(error)) from None
        return logo

    def clean_links(self):
        return web_addresses(self.cleaned_data["links"], most=MAX_LINKS, length=LINK_LENGTH)

    def partner_data(self) -> dict:
        c = self.cleaned_data
        data = {name: c[name] for name in services.PARTNER_FIELDS if name in self.fields}
        data["texts"] = {code: _clean_text(c.get(f"text_{code}")) for code in self.other_languages}
        return data


class PersonForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Email address of the member"),
        max_length=254,
        help_text=gettext_lazy("They must have joined BPD with this address."),
    )


class ReasonForm(forms.Form):
    """A reason kept in the audit log (and emailed where the help text says so)."""

    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Emailed to them and kept in the audit log. Up to 500 characters."),
        error_messages={"required": gettext_lazy("Say why, in a few words.")},
    )

    def __init__(self, *args, required=True, label=None, help_text=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        field.required = required
        if label:
            field.label = label
        if help_text:
            field.help_text = help_text

    def clean_reason(self):
        value = " ".join(self.cleaned_data["reason"].split())
        if self.fields["reason"].required and not value:
            raise forms.ValidationError(_("Say why, in a few words."))
        return value


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Partnership"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any")), *Partner.Status.choices]

    def chosen(self):
        return self.cleaned_data["status"] if self.is_valid() else ""


def _region_choices():
    return [(code, regions.area_name(code)) for code in services.region_choices()]


class OfferForm(forms.Form):
    """An offer: what it is, what members get, when, how many, and who may claim it.
    For an approved offer (staff only) just its dates, quantity and eligibility."""

    kind = forms.ChoiceField(label=gettext_lazy("Kind of offer"), choices=Offer.Kind.choices)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=140)
    value = forms.CharField(
        label=gettext_lazy("What members get"),
        max_length=120,
        help_text=gettext_lazy("In a few words: “10% off”, “a 30-day trial”, “a free seat”."),
    )
    language = forms.ChoiceField(label=gettext_lazy("Language of the description"))
    description = forms.CharField(
        label=gettext_lazy("Description"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    shared_code = forms.CharField(
        label=gettext_lazy("The code everyone uses"),
        max_length=CODE_LIMIT,
        required=False,
        help_text=gettext_lazy("Only for “One code for everyone”."),
    )
    url = forms.URLField(
        label=gettext_lazy("Address"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=gettext_lazy("Where members redeem it; for a landing page, the page itself."),
    )
    audience = forms.ChoiceField(
        label=gettext_lazy("Who sees it"),
        choices=Offer.Audience.choices,
        help_text=gettext_lazy("Unique codes and seats are always for members only."),
    )
    starts_at = forms.DateTimeField(
        label=gettext_lazy("Available from"),
        required=False,
        widget=forms.DateTimeInput(attrs=DATETIME, format="%Y-%m-%dT%H:%M"),
    )
    ends_at = forms.DateTimeField(
        label=gettext_lazy("Available until"),
        required=False,
        widget=forms.DateTimeInput(attrs=DATETIME, format="%Y-%m-%dT%H:%M"),
    )
    quantity = forms.IntegerField(
        label=gettext_lazy("How many members may claim it"),
        required=False,
        min_value=1,
        max_value=services.MAX_QUANTITY,
        help_text=gettext_lazy(
            "Seats: required. Unique codes: empty means as many as the codes in the pool. "
            "Not used by a shared code or a landing page."
        ),
    )
    reclaim_days = forms.IntegerField(
        label=gettext_lazy("Reclaim unused seats after (days)"),
        required=False,
        min_value=1,
        max_value=services.MAX_RECLAIM_DAYS,
        help_text=gettext_lazy("Seats only. Empty: never reclaimed."),
    )
    countries = forms.MultipleChoiceField(
        label=gettext_lazy("Only members in these countries"),
        required=False,
        widget=FastSelectMultiple,
    )
    regions = forms.MultipleChoiceField(
        label=gettext_lazy("Only members in these regions"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    skill_levels = forms.MultipleChoiceField(
        label=gettext_lazy("Only members with this Python experience"),
        required=False,
        choices=choices.SkillLevel.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    career_statuses = forms.MultipleChoiceField(
        label=gettext_lazy("Only members in this career situation"),
        required=False,
        choices=choices.CareerStatus.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    first_timers_until = forms.DateTimeField(
        label=gettext_lazy("Only members claiming their first offer, until"),
        required=False,
        widget=forms.DateTimeInput(attrs=DATETIME, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args, offer=None, limited=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices()
        self.fields["countries"].choices = choices.countries()
        self.fields["regions"].choices = _region_choices()
        self.limited = limited
        if limited:
            for name in list(self.fields):
                if name not in services.AFTER_APPROVAL:
                    del self.fields[name]
        language = offer.language if offer else languages.current()
        self.other_languages = [] if limited else [c for c in languages.CODES if c != language]
        texts = {t.language: t.description for t in offer.texts.all()} if offer else {}
        text_fields(self, self.other_languages, texts, _("Description in %(language)s"), TEXT_LIMIT)
        if not self.is_bound:
            if offer is None:
                self.initial.update(language=language, audience=Offer.Audience.MEMBERS)
            else:
                self.initial.update(
                    {
                        name: getattr(offer, name)
                        for name in services.OFFER_FIELDS
                        if name in self.fields
                    }
                )
        groups = [
            (gettext_lazy("The offer"), "", ["kind", "title", "value", "language", "description"]),
            (
                gettext_lazy("In other languages"),
                gettext_lazy("Leave a language empty to show the description above."),
                [f"text_{code}" for code in self.other_languages],
            ),
            (
                gettext_lazy("How members get it"),
                "",
                ["shared_code", "url", "audience", "quantity", "reclaim_days"],
            ),
            (gettext_lazy("When"), "", ["starts_at", "ends_at"]),
            (
                gettext_lazy("Who may claim it"),
                gettext_lazy(
                    "Checked against the member's profile when they claim. Empty: anyone."
                ),
                ["countries", "regions", "skill_levels", "career_statuses", "first_timers_until"],
            ),
        ]
        self.fieldsets = [
            (title, hint, [name for name in names if name in self.fields])
            for title, hint, names in groups
            if any(name in self.fields for name in names)
        ]

    def clean_shared_code(self):
        value = self.cleaned_data["shared_code"].strip()
        if services.has_control(value):
            raise forms.ValidationError(_("A code is plain text, with no control characters."))
        return value

    def offer_data(self) -> dict:
        c = self.cleaned_data
        data = {name: c[name] for name in services.OFFER_FIELDS if name in self.fields}
        for name in ("title", "value", "description", "shared_code", "url"):
            if name in data:
                data[name] = _clean_text(data[name])
        if self.other_languages:
            data["texts"] = {
                code: _clean_text(c.get(f"text_{code}")) for code in self.other_languages
            }
        return data

    def add_service_errors(self, error):
        """Show an OfferInvalid's messages at their fields (or above the form)."""
        for field, messages in error.errors.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


class CodesForm(forms.Form):
    """Codes for a pool: pasted, or a file (one per line, or a CSV with a "code" column)."""

    text = forms.CharField(
        label=gettext_lazy("Paste the codes"),
        required=False,
        strip=False,
        max_length=services.MAX_CODES_BYTES,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text=gettext_lazy("One code per line."),
    )
    file = forms.FileField(
        label=gettext_lazy("Or upload a file"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".csv,.txt,text/csv,text/plain"}),
        help_text=gettext_lazy(
            "A text file with one code per line, or a CSV whose first column (or the column "
            "headed “code”) holds them. Up to 100,000 codes and 2 MB."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return ""
        if upload.size > services.MAX_CODES_BYTES:
            raise forms.ValidationError(
                _("The file is more than 2 MB: split it into several uploads.")
            )
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The file is not plain text (UTF-8).")) from None

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not (cleaned.get("text") or "").strip() and not cleaned.get("file"):
            self.add_error("text", _("Paste the codes, or upload a file."))
        return cleaned

    def codes_text(self) -> str:
        return self.cleaned_data.get("file") or self.cleaned_data.get("text") or ""
