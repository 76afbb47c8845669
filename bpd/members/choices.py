"""Fixed choices for profiles, with names in the reader's language."""

import functools

from babel import Locale
from django.db import models
from django.utils.translation import gettext_lazy as _

from bpd.website import languages

# Languages members commonly speak; names come from CLDR in the reader's language.
SPOKEN_LANGUAGE_CODES = [
    "en", "fr", "pt", "es", "ar", "sw", "ha", "yo", "ig", "am", "om", "so", "zu", "xh", "af",
    "rw", "lg", "ln", "wo", "tw", "ak", "ee", "ff", "sn", "st", "tn", "mg", "ti", "ny", "ht",
    "de", "nl", "it", "zh", "hi",
]  # fmt: skip


def spoken_languages():
    return _spoken_languages(languages.current())


def countries():
    return _countries(languages.current())


# Names come from CLDR data that never changes while the process runs: compute once per language.
@functools.cache
def _spoken_languages(language):
    locale = Locale.parse(language)
    names = [(code, locale.languages.get(code, code)) for code in SPOKEN_LANGUAGE_CODES]
    return sorted(names, key=lambda pair: pair[1].casefold())


@functools.cache
def _countries(language):
    locale = Locale.parse(language)
    territories = [
        (code, name)
        for code, name in locale.territories.items()
        if len(code) == 2 and code.isalpha() and code not in {"ZZ", "EU", "EZ", "UN", "QO"}
    ]
    return sorted(territories, key=lambda pair: pair[1].casefold())


TECH_ROLES = [
    ("backend", _("Back-end development")),
    ("web", _("Web and front-end development")),
    ("data", _("Data analysis and engineering")),
    ("ml", _("Machine learning and AI")),
    ("devops", _("DevOps, cloud and infrastructure")),
    ("security", _("Security")),
    ("mobile", _("Mobile development")),
    ("scientific", _("Scientific computing")),
    ("education", _("Teaching and education")),
    ("devrel", _("Developer relations")),
    ("management", _("Engineering management")),
    ("student", _("Student")),
]


def tech_roles():
    return TECH_ROLES


class SkillLevel(models.TextChoices):
    NEW = "new", _("New to Python")
    BEGINNER = "beginner", _("Beginner")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")
    EXPERT = "expert", _("Expert")


class CareerStatus(models.TextChoices):
    STUDENT = "student", _("Student")
    EMPLOYED = "employed", _("Employed")
    OPEN_TO_WORK = "open", _("Open to work")
    HIRING = "hiring", _("Hiring")
    FREELANCING = "freelancing", _("Freelancing")


EXPERTISE_KINDS = [
    ("speaker", _("Speaker")),
    ("writer", _("Writer")),
    ("maintainer", _("Open-source maintainer")),
    ("mentor", _("Mentor")),
]


def expertise_kinds():
    return EXPERTISE_KINDS


def label(options, code):
    return dict(options).get(code, code)
