"""The site's languages and how a path looks in each of them.

English is the default and has no URL prefix; every other language lives
under /<code>/. These helpers are the one place that knows that rule.
"""

import unicodedata

from babel import Locale
from django.conf import settings
from django.utils.translation import get_language

DEFAULT = settings.LANGUAGE_CODE
CODES = [code for code, _name in settings.LANGUAGES]


def _autonym(code):
    name = Locale.parse(code).get_display_name(code)
    return name[:1].upper() + name[1:]


# Each language's name in itself ("Kiswahili", "Français"), for the switcher.
AUTONYMS = {code: _autonym(code) for code in CODES}


def prefixed(path, language):
    """Site-relative URL of `path` (no leading slash, e.g. "about/") in `language`."""
    path = path.lstrip("/")
    prefix, _sep, rest = path.partition("/")
    if prefix in CODES and prefix != DEFAULT:
        path = rest  # already prefixed: re-prefix for `language`
    if language == DEFAULT:
        return "/" + path
    return f"/{language}/{path}"


def current():
    return get_language() or DEFAULT


def country_name(code, language=None):
    """A country's name from CLDR, in the reader's language (offline, no lookups)."""
    if not code:
        return ""
    locale = Locale.parse(language or current())
    return locale.territories.get(code.upper(), code.upper())


# Letters Unicode does not split into a base letter and an accent. Hausa's hooked letters
# come right after their plain ones in its alphabet ("~" sorts after every letter).
_SORT_AS = str.maketrans(
    {"ɓ": "b~", "ɗ": "d~", "ƙ": "k~", "ƴ": "y~", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d"}
)


def sort_key(text):
    """A key that sorts names the way readers of the site's languages expect: case and
    accents ignored ("Égypte" among the E's, "Åland" among the A's), exact text breaking ties.

    A small stand-in for a full collation (ICU), which the site does not depend on.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    base = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return base.translate(_SORT_AS), text
