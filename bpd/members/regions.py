"""UN M49 regions for countries (offline data in data/m49-*.csv), named in the reader's language."""

import csv
from functools import cache
from pathlib import Path

from babel import Locale

from bpd.website import languages

DATA = Path(__file__).parent / "data"


@cache
def _table():
    with open(DATA / "m49-countries.csv", newline="", encoding="utf-8") as handle:
        return {row["country"]: row for row in csv.DictReader(handle)}


@cache
def _english_names():
    with open(DATA / "m49-areas.csv", newline="", encoding="utf-8") as handle:
        return {row["code"]: row["name"] for row in csv.DictReader(handle)}


def region_code(country, level="subregion"):
    """The M49 code of `country`'s region ("region", "subregion" or "intermediate"), or ""."""
    row = _table().get((country or "").upper())
    return row[level] if row else ""


@cache
def countries_in(region, level="region"):
    """The ISO 3166 codes of the countries in the M49 area `region` at `level`, sorted."""
    return tuple(sorted(code for code, row in _table().items() if row[level] == region))


def area_name(code, language=None):
    if not code:
        return ""
    locale = Locale.parse(language or languages.current())
    return locale.territories.get(code) or _english_names().get(code, code)


def region_of(country, level=None):
    """`country`'s region name in the reader's language: the most precise M49 area
    ("Western Africa", "Caribbean") unless `level` asks for another."""
    if level is None:
        code = region_code(country, "intermediate") or region_code(country, "subregion")
    else:
        code = region_code(country, level)
    return area_name(code)
