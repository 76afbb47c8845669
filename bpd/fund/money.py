"""Money is an integer count of the currency's minor units plus its ISO 4217 code."""

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_currency, get_currency_precision, list_currencies

from bpd.website import languages

CURRENCIES = sorted(list_currencies())


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
