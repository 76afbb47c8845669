"""Refresh the catalogues of Django's and allauth's own messages that those projects do
not translate into the site's languages (Hausa for both; Kiswahili and Portuguese for
allauth, whose catalogues have pt_BR and pt_PT but no pt).

These are the messages a member can meet on our pages: form and validation errors from
django.forms, django.core.validators and model fields, and allauth's account forms,
adapter messages and the account templates we do not override. The msgids are taken
from the installed versions; translations already in a catalogue are kept.

    .venv/bin/python locale_vendor/refresh.py      # then translate, then:
    .venv/bin/python manage.py compilemessages --ignore=.venv

LOCALE_PATHS lists this folder after locale/, so our own catalogue wins where both
translate a msgid.
"""

import sys
from pathlib import Path

import allauth
import django
import polib

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

LANGUAGES = ["ha", "sw", "es", "fr", "pt"]
DJANGO = Path(django.__file__).parent
ALLAUTH = Path(allauth.__file__).parent
OURS = HERE.parent / "bpd"

DJANGO_SOURCES = [
    "forms/fields.py", "forms/forms.py", "forms/formsets.py", "forms/models.py",
    "forms/utils.py", "forms/widgets.py", "core/validators.py", "db/models/base.py",
    "db/models/fields/__init__.py", "db/models/fields/files.py",
    "db/models/fields/related.py", "contrib/auth/validators.py",
]  # fmt: skip
ALLAUTH_SOURCES = ("account/forms.py", "account/adapter.py", "account/fields.py")
# Templates no one reaches here: there are no passwords, phones or passkeys.
UNREACHABLE = ("password", "phone", "passkey")


def overridden_templates():
    return {
        path.relative_to(root).as_posix()
        for root in OURS.glob("*/templates")
        for path in root.glob("account/**/*")
    }


def django_msgids():
    text = "\n".join((DJANGO / name).read_text() for name in DJANGO_SOURCES)
    reference = polib.pofile(str(DJANGO / "conf/locale/fr/LC_MESSAGES/django.po"))
    return [e for e in reference if e.msgid and _quoted(e.msgid) in text]


def _quoted(msgid):
    # Long messages are split over lines in the source; match their first words.
    return msgid[:40].replace("\n", "\\n")


def allauth_msgids():
    ours = overridden_templates()
    reference = polib.pofile(str(ALLAUTH / "locale/fr/LC_MESSAGES/django.po"))
    result = []
    for entry in reference:
        for path, _line in entry.occurrences:
            if path.startswith(ALLAUTH_SOURCES):
                result.append(entry)
                break
            if path.startswith("templates/account/"):
                template = path.removeprefix("templates/")
                if template not in ours and not any(w in template for w in UNREACHABLE):
                    result.append(entry)
                    break
    return result


def translated(catalogue, language):
    """The msgids `catalogue` (django or allauth) already translates into `language`."""
    root = DJANGO / "conf/locale" if catalogue == "django" else ALLAUTH / "locale"
    path = root / language / "LC_MESSAGES/django.po"
    if not path.exists():
        return set()
    return {e.msgid for e in polib.pofile(str(path)).translated_entries()}


def main():
    wanted = {"django": django_msgids(), "allauth": allauth_msgids()}
    for language in LANGUAGES:
        path = HERE / language / "LC_MESSAGES/django.po"
        old = polib.pofile(str(path)) if path.exists() else None
        kept = {e.msgid: e for e in old} if old else {}
        po = polib.POFile(wrapwidth=0)
        po.metadata = {
            "Project-Id-Version": "bpd vendor messages",
            "Language": language,
            "MIME-Version": "1.0",
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit",
            "Plural-Forms": "nplurals=2; plural=(n != 1);",
        }
        seen = set()
        for catalogue, entries in wanted.items():
            have = translated(catalogue, language)
            for entry in entries:
                if entry.msgid in have or entry.msgid in seen:
                    continue
                seen.add(entry.msgid)
                new = polib.POEntry(
                    msgid=entry.msgid,
                    msgid_plural=entry.msgid_plural,
                    msgctxt=entry.msgctxt,
                    comment=f"{catalogue}",
                )
                previous = kept.get(entry.msgid)
                if entry.msgid_plural:
                    new.msgstr_plural = previous.msgstr_plural if previous else {0: "", 1: ""}
                else:
                    new.msgstr = previous.msgstr if previous else ""
                po.append(new)
        if not len(po):
            if path.exists():
                path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        po.save(str(path))
        print(f"{language}: {len(po)} messages, {len(po.untranslated_entries())} to translate")


if __name__ == "__main__":
    main()
