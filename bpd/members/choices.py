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
    """(code, name) of every ISO 3166-1 country and territory, named in the reader's
    language and sorted by that name; no codes shown, no regions or pseudo-locales."""
    return _countries(languages.current())


# CLDR names two-letter codes that are not countries. ISO 3166-1 leaves some codes to
# its users (AA, QM-QZ, XA-XZ, ZZ): CLDR puts its pseudo-locales (XA "Pseudo-Accents",
# XB "Pseudo-Bidi"), "Outlying Oceania" (QO) and "Unknown Region" (ZZ) there. Others are
# "exceptionally reserved" for unions and parts of countries (EU, EZ, UN, IC, …).
EXCEPTIONALLY_RESERVED = {
    "AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "FX", "IC", "SU", "TA", "UK", "UN",
}  # fmt: skip
# Kosovo's code is user-assigned, but GeoNames (our gazetteer), CLDR and the EU use it,
# and members who live there must be able to say so.
USER_ASSIGNED_IN_USE = {"XK"}


def is_country(code):
    """Whether `code` is an ISO 3166-1 alpha-2 country or territory (or Kosovo's XK)."""
    if code in USER_ASSIGNED_IN_USE:
        return True
    user_assigned = code in {"AA", "ZZ"} or code.startswith("X") or "QM" <= code <= "QZ"
    return (
        len(code) == 2
        and code.isascii()
        and code.isalpha()
        and code.isupper()
        and not user_assigned
        and code not in EXCEPTIONALLY_RESERVED
    )


# Names come from CLDR data that never changes while the process runs: compute once per language.
@functools.cache
def _spoken_languages(language):
    locale = Locale.parse(language)
    names = [(code, locale.languages.get(code, code)) for code in SPOKEN_LANGUAGE_CODES]
    return sorted(names, key=lambda pair: languages.sort_key(pair[1]))


@functools.cache
def _countries(language):
    # Every language names the same territories; English decides which codes exist.
    codes = [code for code in Locale.parse("en").territories if is_country(code)]
    names = Locale.parse(language).territories
    return sorted(
        ((code, names.get(code, code)) for code in codes),
        key=lambda pair: languages.sort_key(pair[1]),
    )


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


# What a message through the expertise directory can be about: one of the member's kinds,
# or this.
CONTACT_OTHER = ("other", _("Something else"))


def label(options, code):
    return dict(options).get(code, code)
