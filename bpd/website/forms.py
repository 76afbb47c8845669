"""Form helpers shared by every app's forms and admin pages."""

from django import forms
from django.db import models
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

# Links people paste without a scheme are web addresses, and the web is https.
# (Django 6 makes this the default; saying it now also silences its warning.)
URL_FIELD_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}


def https_urls(field, **kwargs):
    """A ModelForm `formfield_callback` that applies URL_FIELD_OVERRIDES."""
    kwargs.update(URL_FIELD_OVERRIDES.get(type(field), {}))
    return field.formfield(**kwargs)


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
            f"{' selected' if str(option_value) in selected else ''}>{escape(label)}</option>"
            for option_value, label in self.choices
        )
        return format_html("<select{}>{}</select>", flatatt(attrs), mark_safe(options))
