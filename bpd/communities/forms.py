"""The communities' forms: the directory's filters, proposing a community, editing one
(its description per language, links, logo), the executors' decisions and leaders, and
a new event for a community (the events organiser's own form, set up for the place)."""

from types import SimpleNamespace

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bpd.communities.models import TEXT_LIMIT
from bpd.events.forms import EventForm
from bpd.events.models import Event
from bpd.events.selectors import REGION_CODES
from bpd.members import regions
from bpd.members.forms import LocationMixin
from bpd.website import images, languages
from bpd.website.forms import language_choices, web_addresses

MAX_LINKS = 10
LINK_LENGTH = 300


class DirectoryFilterForm(forms.Form):
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)
    country = forms.ChoiceField(label=gettext_lazy("Country"), required=False)

    def __init__(self, *args, countries=(), **kwargs):
        super().__init__(*args, **kwargs)
        every = [("", _("Any"))]
        self.fields["region"].choices = every + [
            (code, regions.area_name(code)) for code in REGION_CODES
        ]
        self.fields["country"].choices = every + list(countries)

    def filters(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v} if self.is_valid() else {}


class _Logo(forms.Form):
    # A plain file field: `images.check_upload` reads only the header before anything is
    # decoded, and says what is wrong in words (Django's ImageField decodes first).
    logo = forms.FileField(
        label=gettext_lazy("Logo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=gettext_lazy(
            "JPEG, PNG or WebP, up to 5 MB. We keep a small copy, without the file's hidden "
            "details."
        ),
    )

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo:
            try:
                images.check_upload(logo)
            except images.ImageRejected as error:
                raise forms.ValidationError(str(error)) from None
        return logo


def _clean_text(value):
    """Text as typed, with Windows line ends made plain (Django's CharField already
    refuses NUL characters)."""
    return (value or "").replace("\r\n", "\n").strip()


class CommunityFields(LocationMixin, _Logo):
    """What a community is: its name and city, the language it writes in, what it is,
    where else it lives online, its logo."""

    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=120,
        help_text=gettext_lazy("As people know it, e.g. PyData Accra."),
        error_messages={"required": gettext_lazy("Give the community's name.")},
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the description"),
        help_text=gettext_lazy("You can add the description in other languages later."),
    )
    description = forms.CharField(
        label=gettext_lazy("Description"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "Plain text: who you are, how often you meet, who is welcome. Up to 8,000 characters."
        ),
        error_messages={"required": gettext_lazy("Say in a few words what the community is.")},
    )
    website = forms.URLField(
        label=gettext_lazy("Website"), required=False, max_length=500, assume_scheme="https"
    )
    links = forms.CharField(
        label=gettext_lazy("Other links"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Meetup, Discord, social media: one address per line, at most 10."),
    )

    def __init__(self, *args, community=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Where LocationMixin keeps the city it found (never the community itself).
        self.instance = SimpleNamespace(city=community.city if community else None)
        self.fields["language"].choices = language_choices()
        self.fields["city_name"].label = _("City")
        self.fields["city_name"].help_text = _(
            "Where the community meets. Matched against a list of cities, offline."
        )
        self.fields["city_name"].required = True
        self.fields["city_name"].error_messages["required"] = _(
            "Give the city where the community meets."
        )
        self.fields["country"].label = _("Country")
        self.setup_location()
        if not self.is_bound:
            if community is None:
                self.initial.setdefault("language", languages.current())
            else:
                self.initial.update(
                    {
                        name: getattr(community, name)
                        for name in ("name", "language", "description", "website", "links")
                    }
                )
                self.initial["country"] = community.country

    def clean_name(self):
        value = " ".join(self.cleaned_data["name"].split())
        if not value:
            raise forms.ValidationError(_("Give the community's name."))
        return value

    def clean_description(self):
        value = _clean_text(self.cleaned_data["description"])
        if not value:
            raise forms.ValidationError(_("Say in a few words what the community is."))
        return value

    def clean_links(self):
        return web_addresses(self.cleaned_data["links"], most=MAX_LINKS, length=LINK_LENGTH)

    def clean(self):
        cleaned = super().clean()
        if "city_name" in self.fields:
            self.clean_location(cleaned)
            unanswered = not (self.has_error("city_name") or self.has_error("city_choice"))
            if not self.instance.city and unanswered:
                self.add_error("city_name", _("Give the city where the community meets."))
        return cleaned

    def community_data(self) -> dict:
        c = self.cleaned_data
        data = {
            name: c[name]
            for name in ("name", "language", "description", "website", "links")
            if name in self.fields
        }
        if "city_name" in self.fields:
            data["city"] = self.instance.city
        return data


class ProposeForm(CommunityFields):
    field_order = [
        "name", "country", "city_name", "city_choice", "language", "description", "website",
        "links", "logo",
    ]  # fmt: skip
    fieldsets = [
        (gettext_lazy("The community"), "", ["name", "country", "city_name", "city_choice"]),
        (
            gettext_lazy("What it is"),
            gettext_lazy("This is what people read on its page once it is approved."),
            ["language", "description"],
        ),
        (gettext_lazy("Where else it lives"), "", ["website", "links", "logo"]),
    ]


class EditForm(CommunityFields):
    """Editing a community. Leaders edit what it says (the description in each language,
    links, logo); executors also its name, city and language."""

    remove_logo = forms.BooleanField(label=gettext_lazy("Remove the logo"), required=False)

    STAFF_ONLY = ("name", "country", "city_name", "city_choice", "language")

    def __init__(self, *args, community, staff=False, **kwargs):
        super().__init__(*args, community=community, **kwargs)
        if not staff:
            for name in self.STAFF_ONLY:
                del self.fields[name]
        if not community.logo:
            del self.fields["remove_logo"]
        self.other_languages = [code for code in languages.CODES if code != community.language]
        names = dict(settings.LANGUAGES)
        texts = {text.language: text.description for text in community.texts.all()}
        for code in self.other_languages:
            field = forms.CharField(
                label=_("Description in %(language)s") % {"language": names[code]},
                required=False,
                max_length=TEXT_LIMIT,
                widget=forms.Textarea(attrs={"rows": 4, "lang": code}),
            )
            self.fields[f"text_{code}"] = field
            if not self.is_bound:
                self.initial[f"text_{code}"] = texts.get(code, "")
        self.fieldsets = [
            (gettext_lazy("The community"), "", [n for n in self.STAFF_ONLY if n != "language"]),
            (gettext_lazy("What it is"), "", ["language", "description"]),
            (
                gettext_lazy("In other languages"),
                gettext_lazy(
                    "Readers see the description in their language when there is one, "
                    "else the one above. Leave a language empty to show the one above."
                ),
                [f"text_{code}" for code in self.other_languages],
            ),
            (gettext_lazy("Where else it lives"), "", ["website", "links", "logo", "remove_logo"]),
        ]

    def texts(self) -> dict:
        return {
            code: _clean_text(self.cleaned_data.get(f"text_{code}"))
            for code in self.other_languages
        }


class NoteForm(forms.Form):
    """An executor's note to whoever proposed the community (required to decline)."""

    note = forms.CharField(
        label=gettext_lazy("Note to the member who proposed it"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Emailed to them. Up to 500 characters."),
        error_messages={"required": gettext_lazy("Say why, in a few words.")},
    )

    def __init__(self, *args, required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].required = required

    def clean_note(self):
        value = " ".join(self.cleaned_data["note"].split())
        if self.fields["note"].required and not value:
            raise forms.ValidationError(_("Say why, in a few words."))
        return value


class AddLeaderForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Email address of the member"),
        max_length=254,
        help_text=gettext_lazy("They must have joined BPD with this address."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Kept in the audit log. Up to 500 characters."),
        error_messages={"required": gettext_lazy("Say why, in a few words.")},
    )

    def __init__(self, *args, help_text=None, **kwargs):
        super().__init__(*args, **kwargs)
        if help_text:
            self.fields["reason"].help_text = help_text

    def clean_reason(self):
        value = " ".join(self.cleaned_data["reason"].split())
        if not value:
            raise forms.ValidationError(_("Say why, in a few words."))
        return value


class CommunityEventForm(EventForm):
    """The events organiser's form for a community's event: in person in its city, on its
    clock and in its language, unless the leader chooses otherwise."""

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, default_zone=community.city.timezone or "UTC", **kwargs)
        if not self.is_bound:
            self.initial.update(
                kind=Event.Kind.IN_PERSON, language=community.language, country=community.country
            )
            self.setup_location(current_city=community.city)
