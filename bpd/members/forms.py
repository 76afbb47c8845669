import datetime as dt
import unicodedata
from zoneinfo import available_timezones

from babel.numbers import format_decimal
from django import forms
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from bpd.audit.verbs import Verb
from bpd.members import choices, gazetteer
from bpd.members.models import Invite, Profile
from bpd.members.roles import Role
from bpd.members.services import record_acceptances
from bpd.members.visibility import Visibility
from bpd.website import images, languages
from bpd.website.forms import FastSelect, https_urls


class JoinForm(forms.Form):
    """Extra fields on allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    accept_code_of_conduct = forms.BooleanField(
        label=_("I have read the code of conduct and will follow it."),
        error_messages={"required": _("Please accept the code of conduct to join.")},
    )
    affirm_identity = forms.BooleanField(
        label=_("I identify as a Black Python developer, at any skill level."),
        error_messages={
            "required": _("Black Python Devs is a community for people who identify as Black.")
        },
    )

    def signup(self, request, user):
        record_acceptances(user=user)


# Characters that change the direction or visibility of text around them.
INVISIBLE_OR_BIDI = set(
    "\u200b\u200c\u200d\u2060\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def clean_name(value):
    """A name as people will read it: NFC-normalised, without characters that hide or
    reverse text, and with at least one visible character."""
    value = unicodedata.normalize("NFC", value or "")
    value = "".join(
        c for c in value if c not in INVISIBLE_OR_BIDI and unicodedata.category(c) != "Cc"
    )
    value = " ".join(value.split())
    if value and not any(unicodedata.category(c)[0] in "LNPS" for c in value):
        raise forms.ValidationError(_("Use at least one letter or number."))
    return value


class NameMixin:
    def clean_display_name(self):
        name = clean_name(self.cleaned_data.get("display_name"))
        if not name:
            raise forms.ValidationError(_("Please give the name you would like to be called."))
        return name

    def clean_pronouns(self):
        return clean_name(self.cleaned_data.get("pronouns"))


def city_label(city):
    """What tells namesakes apart, in the reader's language:
    "Springfield, Illinois, United States · 114,000" (population to three figures)."""
    country = languages.country_name(city.country)
    place = ", ".join(part for part in (city.name, city.region, country) if part)
    if not city.population:
        return place
    population = round(city.population, -max(len(str(city.population)) - 3, 0))
    return f"{place} · {format_decimal(population, locale=languages.current())}"


class NothingToChoose(forms.HiddenInput):
    """The city's namesakes when there are none to list: nothing is shown or sent back."""

    def render(self, name, value, attrs=None, renderer=None):
        return ""


class LocationMixin(forms.Form):
    """Country from a list, city typed and matched against the offline gazetteer."""

    country = forms.ChoiceField(label=_("Country"), required=False, widget=FastSelect)
    city_name = forms.CharField(
        label=_("City"),
        required=False,
        max_length=100,
        help_text=_("Type your city's name; we match it against a list of cities, offline."),
    )
    city_choice = forms.TypedChoiceField(
        label=_("Which one?"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=NothingToChoose,
    )

    def setup_location(self, current_city=None):
        """Call from `__init__`. `current_city`: the city saved so far (the instance's
        `city` unless given), shown among its namesakes and kept unless another is chosen."""
        self.fields["country"].choices = [("", _("Choose your country")), *choices.countries()]
        self.current_city = current_city or getattr(self.instance, "city", None)
        self.candidates = []
        self._searches = {}
        current = self.current_city
        if not self.is_bound:
            if current:
                self.initial.setdefault("city_name", current.name)
                self.initial.setdefault("city_choice", current.pk)
                self._offer_cities(self._search(current.name, current.country))
            return
        typed = str(self.data.get("city_name") or "")[:100]
        country = str(self.data.get("country") or "")
        if "\x00" in typed:
            typed = ""  # the field refuses it with a message; no database stores it
        if typed:
            # Offer the same candidates the person was shown, so their pick validates
            # (never searching for more than the field accepts).
            known = country in dict(self.fields["country"].choices)
            self._offer_cities(self._search(typed, country if known else None))

    def _search(self, name, country):
        """The gazetteer's matches, biggest first, with the saved city among them when its
        name is the one typed (it may be smaller than the first eight); one query for each
        name and country."""
        key = (gazetteer.fold(name), country or None)
        if key not in self._searches:
            found = list(gazetteer.search(name, country=key[1], limit=8))
            if (current := self._kept(name, key[1])) and current not in found:
                found = sorted([*found, current], key=lambda city: -city.population)
            self._searches[key] = found
        return self._searches[key]

    def _kept(self, name, country):
        """The saved city, if `name` (and `country`, when given) still describe it."""
        current = self.current_city
        if not current or country not in (None, current.country):
            return None
        return current if gazetteer.fold(current.name) == gazetteer.fold(name) else None

    def _offer_cities(self, cities):
        """Namesakes to choose from, as radio buttons that nothing ticks for the member
        (only their own earlier choice); a single match needs no question."""
        field = self.fields["city_choice"]
        field.widget = forms.RadioSelect() if len(cities) > 1 else NothingToChoose()
        field.choices = [(c.pk, city_label(c)) for c in cities]

    def clean_location(self, cleaned):
        name = (cleaned.get("city_name") or "").strip()
        country = cleaned.get("country") or None
        if not name:
            self.instance.city = None
            return
        matches = self._search(name, country)
        picked = cleaned.get("city_choice")
        city = next((c for c in matches if c.pk == picked), None) if picked else None
        # Sent back unchanged without a choice (a client that skips the list): no new question.
        city = city or self._kept(name, country)
        if city is None:
            exact = [c for c in matches if gazetteer.fold(c.name) == gazetteer.fold(name)]
            if len(exact) == 1 or len(matches) == 1:
                city = (exact or matches)[0]
                self._offer_cities([])  # chosen without asking: no list to show again
        if city is not None:
            self.instance.city = city
            cleaned["country"] = city.country
            return
        if not matches:
            self.add_error(
                "city_name",
                _(
                    "We could not find that city. Check the spelling, choose your country, or leave the city empty."
                ),
            )
            return
        self.candidates = matches
        self._offer_cities(matches)
        self.add_error("city_choice", _("Several cities match; choose yours."))


class OnboardingForm(NameMixin, LocationMixin, forms.ModelForm):
    """The one short page after joining."""

    class Meta:
        model = Profile
        fields = ["display_name", "pronouns", "country", "languages", "skill_level", "roles"]
        widgets = {"skill_level": forms.RadioSelect}

    field_order = [
        "display_name",
        "pronouns",
        "country",
        "city_name",
        "city_choice",
        "languages",
        "skill_level",
        "roles",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["display_name"].required = True
        self.setup_location()

    def clean(self):
        cleaned = super().clean()
        self.clean_location(cleaned)
        return cleaned


# The profile, one short section at a time: each form holds only its own fields, and
# saving one never touches another's (services.save_profile writes only these fields).


class AboutForm(NameMixin, forms.ModelForm):
    """About you: name, pronouns, photo, bio and languages."""

    # A plain file field: `images.check_upload` reads only the header before anything is
    # decoded, and says what is wrong in words (Django's ImageField decodes first).
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_(
            "JPEG, PNG or WebP, up to 5 MB. We keep only a small square copy, without the "
            "photo's hidden details (such as where it was taken)."
        ),
    )
    remove_photo = forms.BooleanField(label=_("Remove my photo"), required=False)

    class Meta:
        model = Profile
        fields = ["display_name", "pronouns", "photo", "bio", "languages"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "bio": format_lazy(
                _("Up to {count} characters."), count=Profile._meta.get_field("bio").max_length
            )
        }

    field_order = ["display_name", "pronouns", "photo", "remove_photo", "bio", "languages"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["display_name"].required = True
        if not self.instance.photo_small:
            del self.fields["remove_photo"]

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo:
            try:
                images.check_upload(photo)
            except images.ImageRejected as error:
                raise forms.ValidationError(str(error)) from None
        return photo


class WhereForm(LocationMixin, forms.ModelForm):
    """Where you are: country and city together, and the time zone."""

    class Meta:
        model = Profile
        fields = ["country", "time_zone"]

    field_order = ["country", "city_name", "city_choice", "time_zone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].help_text = _("Filled in from your city; e.g. Africa/Lagos.")
        self.setup_location()

    def clean_time_zone(self):
        value = self.cleaned_data["time_zone"].strip()
        if value and value not in available_timezones():
            raise forms.ValidationError(_("Unknown time zone. Use a name such as Africa/Nairobi."))
        return value

    def clean(self):
        cleaned = super().clean()
        self.clean_location(cleaned)
        return cleaned


class CareerForm(forms.ModelForm):
    """Career: what you do, skills, level, career status, and the expertise directory."""

    skills = forms.CharField(
        label=_("Skills"),
        required=False,
        max_length=500,
        help_text=_("Separate with commas, e.g. Django, pandas, teaching."),
    )

    class Meta:
        model = Profile
        fields = [
            "roles", "skill_level", "career_status", "in_expertise_directory",
            "expertise_kinds", "expertise_topics",
        ]  # fmt: skip

    field_order = ["roles", "skills", "skill_level", "career_status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["skills"] = ", ".join(s.name for s in self.instance.skills.all())

    def clean_skills(self):
        return [name.strip() for name in self.cleaned_data["skills"].split(",") if name.strip()][
            :30
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("in_expertise_directory"):
            if self.instance.name_visibility != Visibility.PUBLIC:
                self.add_error(
                    "in_expertise_directory",
                    _(
                        "The public expertise directory shows your name, so make your name public (under Privacy) or leave the directory."
                    ),
                )
            if not cleaned.get("expertise_topics"):
                self.add_error("expertise_topics", _("Say what you can talk or write about."))
        return cleaned


class LinksForm(forms.ModelForm):
    """Links: addresses typed without https:// get it."""

    class Meta:
        model = Profile
        formfield_callback = https_urls
        fields = ["github", "linkedin", "mastodon", "website"]


class PrivacyForm(forms.ModelForm):
    """Privacy: who sees each group of fields, and whether people may write through the site."""

    class Meta:
        model = Profile
        fields = [
            "name_visibility", "location_visibility", "city_visibility", "about_visibility",
            "career_visibility", "links_visibility", "contact_allowed",
            "left_out_of_statistics",
        ]  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        listed = self.instance.in_expertise_directory
        if listed and cleaned.get("name_visibility") not in (None, Visibility.PUBLIC):
            self.add_error(
                "name_visibility",
                _(
                    "The public expertise directory shows your name, so make your name public or leave the directory."
                ),
            )
        return cleaned


# Fields the overview leaves out: the photo shows as itself, and these are steps of a form.
NOT_SUMMARISED = {"photo", "remove_photo", "city_choice"}


def summary(form):
    """What an unbound section form holds now, as (label, text) pairs for the profile's
    overview: choices by their labels, yes or no for a box, "" when nothing is given."""
    rows = []
    for name, field in form.fields.items():
        if name in NOT_SUMMARISED:
            continue
        value = form.initial.get(name, field.initial)
        if name == "city_name" and form.current_city is not None:
            text = city_label(form.current_city)
        elif isinstance(field, forms.BooleanField):
            text = _("Yes") if value else _("No")
        elif isinstance(field, forms.MultipleChoiceField):
            labels = dict(field.choices)
            text = ", ".join(str(labels.get(code, code)) for code in value or [])
        elif isinstance(field, forms.ChoiceField):
            text = "" if value in (None, "") else str(dict(field.choices).get(value, value))
        else:
            text = "" if value is None else str(value)
        rows.append((capfirst(field.label), text))
    return rows


class ContactForm(forms.Form):
    """A message to a member listed in the expertise directory, passed on by email."""

    MESSAGE_LENGTH = 2000

    sender_name = forms.CharField(label=_("Your name"), max_length=100)
    sender_email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("The member receives it with your message, so that they can reply to you."),
    )
    organisation = forms.CharField(
        label=_("Your organisation"),
        required=False,
        max_length=200,
        help_text=_("For example the conference, company or podcast you write for."),
    )
    about = forms.ChoiceField(label=_("What it is about"), widget=forms.RadioSelect)
    message = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=format_lazy(_("Up to {count} characters."), count=MESSAGE_LENGTH),
    )

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        offered = [(code, label) for code, label in choices.EXPERTISE_KINDS if code in kinds]
        self.fields["about"].choices = [*offered, choices.CONTACT_OTHER]

    def clean_sender_name(self):
        name = clean_name(self.cleaned_data.get("sender_name"))
        if not name:
            raise forms.ValidationError(_("Please give your name."))
        return name

    def clean_organisation(self):
        return clean_name(self.cleaned_data.get("organisation"))

    def clean_message(self):
        """Line breaks and tabs stay; characters that hide or reverse text go."""
        text = unicodedata.normalize("NFC", self.cleaned_data.get("message") or "")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        text = "".join(
            c
            for c in text
            if c in "\n\t"
            or (c not in INVISIBLE_OR_BIDI and unicodedata.category(c) not in ("Cc", "Cs"))
        ).strip()
        if not text:
            raise forms.ValidationError(_("Please write your message."))
        return text


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    skill = forms.SlugField(label=_("Skill"), required=False)
    role = forms.ChoiceField(label=_("Role"), required=False)
    level = forms.ChoiceField(label=_("Python experience"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False, widget=FastSelect)
    language = forms.ChoiceField(label=_("Language"), required=False, widget=FastSelect)
    open_to_work = forms.BooleanField(label=_("Open to work"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        anything = [("", _("Any"))]
        self.fields["role"].choices = anything + list(choices.TECH_ROLES)
        self.fields["level"].choices = anything + list(choices.SkillLevel.choices)
        self.fields["country"].choices = anything + choices.countries()
        self.fields["language"].choices = anything + choices.spoken_languages()


class ExpertiseFilterForm(forms.Form):
    q = forms.CharField(label=_("Topic or name"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Available as"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Any")), *list(choices.EXPERTISE_KINDS)]


class DeleteAccountForm(forms.Form):
    published = forms.ChoiceField(
        label=_("What you published through Black Python Devs"),
        choices=[
            ("remove", _("Remove it")),
            ("anonymise", _("Keep it, shown as by an anonymous member")),
        ],
        widget=forms.RadioSelect,
        initial="remove",
    )  # the "I understand" box (website.forms.ConfirmForm) confirms it


class InviteForm(forms.ModelForm):
    groups = forms.ModelMultipleChoiceField(
        label=_("Roles granted"),
        queryset=Group.objects.filter(name__in=[r.value for r in Role]).order_by("name"),
        widget=forms.CheckboxSelectMultiple,
    )
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=90, initial=14)

    class Meta:
        model = Invite
        fields = ["groups", "email", "max_uses", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].label_from_instance = lambda group: Role(group.name).label
        self.fields["max_uses"].min_value = 1

    def expires_at(self):
        return timezone.now() + dt.timedelta(days=self.cleaned_data["days"])


class AuditFilterForm(forms.Form):
    person = forms.CharField(label=_("Person (email or name)"), required=False, max_length=254)
    subject_type = forms.ChoiceField(label=_("Kind of object"), required=False)
    subject_id = forms.CharField(label=_("Object number"), required=False, max_length=64)
    verb = forms.ChoiceField(label=_("What happened"), required=False)

    def __init__(self, *args, subject_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject_type"].choices = [("", _("Any")), *((t, t) for t in subject_types)]
        self.fields["verb"].choices = [("", _("Any")), *Verb.choices]


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(r.value, r.label) for r in Role if r != Role.MEMBER],
        help_text=_("Every account is a member. Executors are staff."),
    )
    reason = forms.CharField(label=_("Why (kept in the audit log)"), max_length=300)
