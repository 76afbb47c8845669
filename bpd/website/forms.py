"""Form helpers shared by every app's forms and admin pages."""

from django import forms
from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.forms.renderers import TemplatesSetting
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bpd.website import languages

# Links people paste without a scheme are web addresses, and the web is https.
# (Django 6 makes this the default; saying it now also silences its warning.)
URL_FIELD_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}


def https_urls(field, **kwargs):
    """A ModelForm `formfield_callback` that applies URL_FIELD_OVERRIDES."""
    kwargs.update(URL_FIELD_OVERRIDES.get(type(field), {}))
    return field.formfield(**kwargs)


class Renderer(TemplatesSetting):
    """Forms and fields render through the design system's components
    (templates/components/form.html and field.html)."""

    form_template_name = "components/form.html"
    field_template_name = "components/field.html"


class ConfirmForm(forms.Form):
    """The "I understand" box in front of an irreversible action (no JavaScript needed).

    `ConfirmForm(request.POST, label=...)`; the view acts only when it is valid."""

    confirm = forms.BooleanField(
        required=True,
        error_messages={"required": _("Tick the box to confirm, or go back.")},
    )

    def __init__(self, *args, label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].label = label


BLANK_LABEL = "---------"  # Django's empty choice; shown as a prompt instead


class FastSelect(forms.Select):
    """A <select> rendered in Python rather than one template per option.

    Country, language and currency lists have hundreds of options; Django's
    template-per-option rendering made them the slowest part of their pages.
    """

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        attrs["name"] = name
        values = value if isinstance(value, (list, tuple)) else [value]
        selected = {str(v) for v in values if v is not None}
        options = "".join(
            f'<option value="{escape(option_value)}"'
            f"{' selected' if str(option_value) in selected else ''}>"
            f"{escape(_('Choose one') if label == BLANK_LABEL else label)}</option>"
            for option_value, label in self.choices
        )
        return format_html("<select{}>{}</select>", flatatt(attrs), mark_safe(options))


def language_choices():
    """The site's languages as (code, name), in the site's order."""
    names = dict(settings.LANGUAGES)
    return [(code, names[code]) for code in languages.CODES]


def text_fields(form, other_languages, texts, label, max_length):
    """A description field per other language of the site, named text_<code>, filled
    from `texts` ({code: description}) when the form is not bound."""
    names = dict(settings.LANGUAGES)
    for code in other_languages:
        form.fields[f"text_{code}"] = forms.CharField(
            label=label % {"language": names[code]},
            required=False,
            max_length=max_length,
            widget=forms.Textarea(attrs={"rows": 3, "lang": code}),
        )
        if not form.is_bound:
            form.initial[f"text_{code}"] = texts.get(code, "")


def web_addresses(text, *, most=10, length=300):
    """The web addresses of a "one per line" field: blank lines dropped, https:// added
    where no scheme was typed, duplicates once; at most `most`, each at most `length`
    characters. Refused with a message naming the line that is not an address."""
    lines = [line.strip() for line in (text or "").replace("\r\n", "\n").split("\n")]
    lines = [line for line in lines if line]
    if len(lines) > most:
        raise forms.ValidationError(gettext("Give at most %(count)s links.") % {"count": most})
    check = URLValidator(schemes=["https", "http"])
    found = []
    for line in lines:
        address = line if "://" in line else f"https://{line}"
        try:
            if len(address) > length:
                raise forms.ValidationError("")
            check(address)
        except forms.ValidationError:
            raise forms.ValidationError(
                gettext("“%(line)s” is not a web address. Give one address per line.")
                % {"line": line[:80]}
            ) from None
        found.append(address)
    return "\n".join(dict.fromkeys(found))
