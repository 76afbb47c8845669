"""Money is an integer count of the currency's minor units plus its ISO 4217 code."""

import functools
from decimal import ROUND_HALF_UP, Decimal

from babel.core import get_global
from babel.numbers import (
    format_currency,
    get_currency_name,
    get_currency_precision,
    get_territory_currencies,
    is_currency,
    list_currencies,
)
from django.utils import timezone

from bpd.website import languages

# Every code CLDR knows, withdrawn ones included (ADP, AFA…): for reading old records.
# What people may choose is `in_use()`.
CURRENCIES = sorted(list_currencies())


def in_use(on=None):
    """The ISO 4217 codes legal tender somewhere on `on` (today by default), from CLDR:
    no withdrawn currencies, funds, metals or test codes (XAU, XTS, XXX)."""
    return _in_use(on or timezone.localdate())


@functools.lru_cache(maxsize=4)
def _in_use(on):
    codes = set()
    for territory in get_global("territory_currencies"):
        codes.update(get_territory_currencies(territory, start_date=on, tender=True))
    return frozenset(code for code in codes if is_currency(code))


def currency_label(currency, language=None):
    """The currency's name in the reader's language, then its code: "US Dollar (USD)"."""
    name = get_currency_name(currency, locale=language or languages.current())
    if name == currency:  # a currency newer than the language's CLDR data (ZWG in 2024)
        name = get_currency_name(currency, locale=languages.DEFAULT)
    # CLDR writes names for use inside a sentence ("dollar des États-Unis"); in a list
    # each starts with a capital, as the site's other lists do.
    return f"{name[:1].upper()}{name[1:]} ({currency})"


def currency_choices(first=None, language=None):
    """(code, label) for every currency in use, named in the reader's language and sorted
    by that name; `first` (the round's currency) leads, even if it is no longer in use."""
    return _currency_choices(language or languages.current(), first, timezone.localdate())


@functools.lru_cache(maxsize=64)
def _currency_choices(language, first, on):
    codes = in_use(on) - {first}
    labelled = sorted(
        ((code, currency_label(code, language)) for code in codes),
        key=lambda pair: languages.sort_key(pair[1]),
    )
    if first and is_currency(first):
        labelled.insert(0, (first, currency_label(first, language)))
    return tuple(labelled)


def precision(currency):
    return get_currency_precision(currency)


def to_minor(amount, currency):
    """A Decimal (or string) in major units to an int of minor units, rounding half up."""
    scale = Decimal(10) ** precision(currency)
    return int((Decimal(str(amount)) * scale).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def to_major(minor, currency):
    return Decimal(minor) / (Decimal(10) ** precision(currency))


def convert(minor, currency, rate, target):
    """`minor` units of `currency` at `rate` (target per one unit of currency) in target minor units."""
    major = to_major(minor, currency) * Decimal(str(rate))
    return to_minor(major, target)


def display(minor, currency, language=None):
    if minor is None:
        return ""
    return format_currency(
        to_major(minor, currency), currency, locale=language or languages.current()
    )


def display_with_code(minor, currency, language=None):
    """Minor units with the currency's code, digits in the reader's language: "USD 800.00",
    "USD 800,00". For text read away from the site (the data download), where a bare "$"
    could be any dollar."""
    if minor is None:
        return ""
    return format_currency(
        to_major(minor, currency), currency, format="¤¤ #,##0.00",
        locale=language or languages.current(),
    )  # fmt: skip
