"""Forms of the people who run learning programmes: a programme (with its description
in the site's other languages), a cohort (its hosts by email, for executors), and a
material. Types and bounds are checked here; the services check the rules again."""

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bpd.events.models import Event
from bpd.learning import manage
from bpd.learning.models import TEXT_LIMIT, Material, Programme
from bpd.partners.models import Offer
from bpd.website import languages
from bpd.website.forms import language_choices, text_fields

DATETIME = {"type": "datetime-local"}
MAX_HOSTS = 10
EVENTS_SHOWN = 200


class ProgrammeForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Programme.Kind.choices)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=140)
    slug = forms.SlugField(
        label=gettext_lazy("Address"),
        help_text=gettext_lazy("Letters, numbers and hyphens; empty: made from the title."),
        max_length=160,
        required=False,
    )
    language = forms.ChoiceField(label=gettext_lazy("Language of the description"))
    description = forms.CharField(
        label=gettext_lazy("Description"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=Programme.Status.choices,
        help_text=gettext_lazy("Only a published programme is shown and open for sign-up."),
    )

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices()
        language = programme.language if programme else languages.current()
        self.other_languages = [code for code in languages.CODES if code != language]
        texts = {t.language: t.description for t in programme.texts.all()} if programme else {}
        text_fields(self, self.other_languages, texts, _("Description in %(language)s"), TEXT_LIMIT)
        if not self.is_bound:
            if programme:
                self.initial.update({k: getattr(programme, k) for k in manage.PROGRAMME_FIELDS})
            else:
                self.initial.update(language=language, status=Programme.Status.DRAFT)
        self.fieldsets = [
            (
                gettext_lazy("The programme"),
                "",
                ["kind", "title", "slug", "language", "description", "status"],
            ),
            (
                gettext_lazy("In other languages"),
                gettext_lazy("Leave a language empty to show the description above."),
                [f"text_{code}" for code in self.other_languages],
            ),
        ]

    def data_for_service(self) -> dict:
        data = {key: self.cleaned_data.get(key) for key in manage.PROGRAMME_FIELDS}
        data["texts"] = {
            code: self.cleaned_data.get(f"text_{code}") or "" for code in self.other_languages
        }
        return data


def _event_choices(cohort=None):
    """Events a cohort can take its sessions from: not cancelled, from the last year or
    later (and the cohort's own), newest first."""
    since = timezone.now() - dt.timedelta(days=365)
    events = Event.objects.exclude(status=Event.Status.CANCELLED).filter(starts_at__gte=since)
    if cohort is not None and cohort.event_id:
        events = events | Event.objects.filter(pk=cohort.event_id)
    return events.order_by("-starts_at")[:EVENTS_SHOWN]


class CohortForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        help_text=gettext_lazy("Such as Spring 2027."),
        max_length=120,
    )
    capacity = forms.IntegerField(
        label=gettext_lazy("Places"), min_value=1, max_value=manage.MAX_CAPACITY
    )
    signup_opens_at = forms.DateTimeField(
        label=gettext_lazy("Sign-up opens"),
        widget=forms.DateTimeInput(attrs=DATETIME, format="%Y-%m-%dT%H:%M"),
    )
    signup_closes_at = forms.DateTimeField(
        label=gettext_lazy("Sign-up closes"),
        widget=forms.DateTimeInput(attrs=DATETIME, format="%Y-%m-%dT%H:%M"),
    )
    event = forms.ModelChoiceField(
        label=gettext_lazy("Sessions"),
        help_text=gettext_lazy(
            "The event whose dates are the sessions, such as a weekly Discord call. "
            "Create it first under Events; empty: no sessions yet."
        ),
        queryset=Event.objects.none(),
        required=False,
    )
    sessions_to_complete = forms.IntegerField(
        label=gettext_lazy("Sessions to attend to complete"),
        min_value=1,
        max_value=manage.MAX_SESSIONS,
        initial=1,
    )
    hosts = forms.CharField(
        label=gettext_lazy("Hosts"),
        help_text=gettext_lazy("Their email addresses, one per line; each must have an account."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, cohort=None, executor=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = _event_choices(cohort)
        self.fields["event"].label_from_instance = lambda event: (
            f"{event.title} ({timezone.localtime(event.starts_at):%Y-%m-%d})"
        )
        if not executor:
            del self.fields["hosts"]
        if cohort is not None and not self.is_bound:
            self.initial.update(
                {key: getattr(cohort, key) for key in manage.COHORT_FIELDS if key != "event"}
            )
            self.initial["event"] = cohort.event_id
            if executor:
                self.initial["hosts"] = "\n".join(cohort.hosts.values_list("email", flat=True))

    def clean_hosts(self):
        emails = []
        for line in (self.cleaned_data.get("hosts") or "").replace(",", "\n").splitlines():
            email = line.strip().lower()
            if email and email not in emails:
                emails.append(email)
        if len(emails) > MAX_HOSTS:
            raise forms.ValidationError(_("At most 10 hosts."))
        users = {
            user.email.lower(): user
            for user in get_user_model()
            .objects.annotate(email_lower=Lower("email"))
            .filter(is_active=True, email_lower__in=emails)
        }
        unknown = [email for email in emails if email not in users]
        if unknown:
            raise forms.ValidationError(
                _("No account has this address: %(emails)s") % {"emails": ", ".join(unknown)}
            )
        return [users[email] for email in emails]

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("signup_opens_at"), cleaned.get("signup_closes_at")
        if opens and closes and closes <= opens:
            self.add_error("signup_closes_at", _("Sign-up must close after it opens."))
        return cleaned

    def data_for_service(self) -> dict:
        return {key: self.cleaned_data[key] for key in manage.COHORT_FIELDS}


class MaterialForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Material.Kind.choices)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    author = forms.CharField(label=gettext_lazy("Author"), max_length=200, required=False)
    url = forms.URLField(
        label=gettext_lazy("Address (link)"), max_length=500, required=False, assume_scheme="https"
    )
    offer = forms.ModelChoiceField(
        label=gettext_lazy("A partner's offer for it"),
        help_text=gettext_lazy("Members see the offer beside the material."),
        queryset=Offer.objects.none(),
        required=False,
    )
    position = forms.IntegerField(
        label=gettext_lazy("Position in the list"), min_value=0, max_value=10000, initial=0
    )

    def __init__(self, *args, material=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = (
            Offer.objects.filter(status=Offer.Status.APPROVED)
            .select_related("partner")
            .order_by("partner__name", "title")
        )
        self.fields["offer"].label_from_instance = lambda offer: (
            f"{offer.partner.name}: {offer.title}"
        )
        if material is not None and not self.is_bound:
            self.initial.update({k: getattr(material, k) for k in manage.MATERIAL_FIELDS})
            self.initial["offer"] = material.offer_id

    def data_for_service(self) -> dict:
        return {key: self.cleaned_data[key] for key in manage.MATERIAL_FIELDS}
