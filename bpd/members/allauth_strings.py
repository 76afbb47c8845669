"""Strings django-allauth shows on our sign-in pages, listed so our catalogues translate them.

allauth ships no Hausa or Swahili translations. Django merges every catalogue
per language, so giving these exact messages a translation in our .po files
translates allauth's forms and errors too. Nothing imports this module.
"""

from django.utils.translation import gettext_noop

ALLAUTH_STRINGS = [
    gettext_noop("Email"),
    gettext_noop("Email address"),
    gettext_noop("Code"),
    gettext_noop("Incorrect code."),
    gettext_noop("Too many failed login attempts. Try again later."),
    gettext_noop("Be patient, you are sending too many requests."),
    gettext_noop("A user is already registered with this email address."),
    gettext_noop("Enter a valid email address."),
]
