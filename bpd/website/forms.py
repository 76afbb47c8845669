"""Form helpers shared by every app's forms and admin pages."""

from django import forms
from django.db import models
from django.forms.renderers import TemplatesSetting
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

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
