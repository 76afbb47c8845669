"""The UI catalogues are complete, and the compiled .mo files match the .po sources.

The .mo files are committed so the site runs without GNU gettext installed;
this test fails if someone edits a .po file and forgets to recompile.
"""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

from bpd.website import languages

LOCALE = Path(settings.BASE_DIR) / "locale"
TRANSLATED = [code for code in languages.CODES if code != languages.DEFAULT]
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\{ ?\w+ ?\}\}|<[^>]+>")


def catalogue(code):
    return polib.pofile(str(LOCALE / code / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("code", TRANSLATED)
def test_catalogue_is_complete(code):
    po = catalogue(code)

    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    assert po.metadata.get("Plural-Forms")


@pytest.mark.parametrize("code", TRANSLATED)
def test_catalogue_keeps_placeholders(code):
    for entry in catalogue(code).translated_entries():
        assert sorted(PLACEHOLDER.findall(entry.msgid)) == sorted(
            PLACEHOLDER.findall(entry.msgstr or entry.msgstr_plural[0])
        ), entry.msgid


@pytest.mark.parametrize("code", TRANSLATED)
def test_catalogue_covers_every_english_string(code):
    english = {entry.msgid for entry in catalogue("en") if not entry.obsolete}

    assert english <= {entry.msgid for entry in catalogue(code) if not entry.obsolete}


@pytest.mark.parametrize("code", [*TRANSLATED, "en"])
def test_compiled_catalogue_matches_source(code):
    po = catalogue(code)
    mo = polib.mofile(str(LOCALE / code / "LC_MESSAGES" / "django.mo"))

    compiled = {(entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural for entry in mo}
    for entry in po.translated_entries():
        assert compiled.get((entry.msgctxt, entry.msgid)) == (
            entry.msgstr or entry.msgstr_plural
        ), f"{code}: {entry.msgid!r} differs: run `python manage.py compilemessages`"
