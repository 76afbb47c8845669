"""Form helpers shared by every app's forms and admin pages."""

from django.db import models

# Links people paste without a scheme are web addresses, and the web is https.
# (Django 6 makes this the default; saying it now also silences its warning.)
URL_FIELD_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}


def https_urls(field, **kwargs):
    """A ModelForm `formfield_callback` that applies URL_FIELD_OVERRIDES."""
    kwargs.update(URL_FIELD_OVERRIDES.get(type(field), {}))
    return field.formfield(**kwargs)
