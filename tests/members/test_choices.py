import csv
import datetime as dt
import re

import pytest
from django.utils import timezone, translation

from bpd.fund.forms import ApplicationForm, WaitTimeImportForm
from bpd.fund.models import Application, Round
from bpd.members import choices
from bpd.members.forms import DirectoryFilterForm, OnboardingForm, WhereForm
from bpd.members.models import Profile
from bpd.members.regions import DATA
from bpd.website.languages import sort_key

NOT_COUNTRIES = {
    "XA",
    "XB",
    "ZZ",
    "EU",
    "EZ",
    "UN",
    "QO",
    "001",
    "150",
    "419",
    "IC",
    "EA",
    "AC",
    "DG",
}


def codes():
    return [code for code, _name in choices.countries()]


def names(language):
    with translation.override(language):
        return dict(choices.countries())


def test_countries_hold_no_pseudo_locales_regions_or_unions():
    offered = set(codes())

    assert not offered & NOT_COUNTRIES
    assert all(re.fullmatch(r"[A-Z]{2}", code) for code in offered)


@pytest.mark.parametrize("language", ["en", "ha", "sw", "es", "fr", "pt"])
def test_countries_have_no_pseudo_locale_names_in_any_language(language):
    shown = " ".join(names(language).values()).casefold()

    assert "pseudo" not in shown
    assert names(language).keys() == names("en").keys()


def test_countries_are_the_iso_3166_list_plus_taiwan_and_kosovo():
    """UN M49 (our regions table) lists every ISO 3166-1 country but Taiwan; GeoNames,
    the gazetteer, also uses Kosovo's XK."""
    with open(DATA / "m49-countries.csv", newline="", encoding="utf-8") as handle:
        m49 = {row["country"] for row in csv.DictReader(handle)}

    assert set(codes()) == m49 | {"TW", "XK"}


def test_countries_are_named_in_the_readers_language():
    assert names("fr")["EG"] == "Égypte"
    assert names("fr")["US"] == "États-Unis"
    assert names("ha")["NG"] == "Nijeriya"
    assert names("ha")["US"] == "Amurka"
    assert names("sw")["US"] == "Marekani"


def test_countries_show_names_not_codes():
    for code, name in choices.countries():
        assert name != code
        assert f"({code})" not in name


def test_countries_sort_accented_names_with_their_letter_in_french():
    with translation.override("fr"):
        ordered = [name for _code, name in choices.countries()]

    assert ordered.index("Dominique") < ordered.index("Égypte") < ordered.index("Fidji")
    assert ordered.index("Estonie") < ordered.index("États-Unis") < ordered.index("Éthiopie")
    assert ordered == sorted(ordered, key=sort_key)


def test_countries_sort_ignores_case_and_accents_in_english():
    ordered = [name for _code, name in choices.countries()]

    assert ordered.index("Afghanistan") < ordered.index("Åland Islands") < ordered.index("Albania")


def test_sort_key_puts_hausa_hooked_letters_after_their_plain_ones():
    words = ["ɗaya", "dubu", "ƙasa", "kowa", "lafiya", "bakwai", "ɓera", "cikin"]

    assert sorted(words, key=sort_key) == [
        "bakwai", "ɓera", "cikin", "dubu", "ɗaya", "kowa", "ƙasa", "lafiya",
    ]  # fmt: skip


def first_option(form, name):
    select = str(form[name])
    return re.search(r"<option value=\"([^\"]*)\"[^>]*>([^<]*)</option>", select).groups()


@pytest.mark.parametrize(
    ("make_form", "name"),
    [
        (lambda: WhereForm(instance=Profile()), "country"),
        (lambda: OnboardingForm(instance=Profile()), "country"),
        (lambda: WaitTimeImportForm(), "destination"),
    ],
)
def test_country_selects_start_with_a_prompt(db, make_form, name):
    value, label = first_option(make_form(), name)

    assert value == ""
    assert label.startswith("Choose")


@pytest.mark.parametrize(
    ("name", "prompt"),
    [
        ("country", "Choose your country"),
        ("passport_country", "Choose a country"),
        ("new_event_country", "Choose a country"),
    ],
)
def test_application_country_selects_start_with_a_prompt(db, name, prompt):
    now = timezone.now()
    round = Round(
        name="R", slug="r", opens_at=now, closes_at=now + dt.timedelta(days=9),
        decision_date=now.date(), budget=1, currency="USD", covered=["flight"],
    )  # fmt: skip
    form = ApplicationForm(instance=Application(round=round), round=round)

    assert first_option(form, name) == ("", prompt)


def test_country_prompt_is_translated(db):
    with translation.override("fr"):
        value, label = first_option(WaitTimeImportForm(), "destination")

    assert (value, label) == ("", "Choisissez un pays")


def test_directory_country_filter_starts_with_any(db):
    assert first_option(DirectoryFilterForm(), "country") == ("", "Any")
