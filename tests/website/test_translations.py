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


# Django's and allauth's own messages in the languages they do not translate
# (locale_vendor/refresh.py): complete, placeholders kept, compiled, and still current.
VENDOR = Path(settings.BASE_DIR) / "locale_vendor"
VENDOR_CODES = sorted(p.name for p in VENDOR.iterdir() if (p / "LC_MESSAGES").is_dir())
VENDOR_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|<[^>]+>")


def test_vendor_catalogues_exist_where_django_or_allauth_lack_a_language():
    assert {"ha", "sw", "pt"} <= set(VENDOR_CODES)


@pytest.mark.parametrize("code", VENDOR_CODES)
def test_vendor_catalogue_is_complete_and_compiled(code):
    po = polib.pofile(str(VENDOR / code / "LC_MESSAGES" / "django.po"))
    mo = polib.mofile(str(VENDOR / code / "LC_MESSAGES" / "django.mo"))

    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    compiled = {entry.msgid: entry.msgstr or entry.msgstr_plural for entry in mo}
    for entry in po:
        for text in [entry.msgstr] if not entry.msgid_plural else entry.msgstr_plural.values():
            assert sorted(VENDOR_PLACEHOLDER.findall(entry.msgid)) == sorted(
                VENDOR_PLACEHOLDER.findall(text)
            ), entry.msgid
        assert compiled.get(entry.msgid) == (entry.msgstr or entry.msgstr_plural), entry.msgid


@pytest.mark.parametrize("code", VENDOR_CODES)
def test_django_messages_reach_the_reader_in_their_language(code):
    from django import forms
    from django.utils import translation

    with translation.override(code):
        required = str(forms.CharField().error_messages["required"])
    assert required != "This field is required."
