"""The ledger as CSV for a spreadsheet: amounts in major units with their currency
beside them, labels in the reader's language and the codes in columns of their own.
Every cell goes through `bpd.website.spreadsheet`, so text that looks like a formula
(a vendor named "=HYPERLINK(…)") stays text."""

from decimal import Decimal

from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _

from bpd.ledger import money
from bpd.ledger.models import Entry, Programme
from bpd.members import regions
from bpd.website import spreadsheet


def major(minor, currency):
    """`minor` units as a plain decimal in major units, to the currency's precision."""
    if minor is None:
        return ""
    return money.to_major(minor, currency).quantize(Decimal(1).scaleb(-money.precision(currency)))


class _Echo:
    """A file that hands back what is written, so each CSV row streams as it is made."""

    def write(self, value):
        return value


def _streamed(filename, rows):
    writer = spreadsheet.Writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def entries_csv(entries):
    """Every entry of `entries` (a queryset with its pool), read in chunks."""
    kinds = dict(Entry.Kind.choices)
    programmes = dict(Programme.choices)

    def rows():
        yield [
            _("Date"), _("Programme"), _("Pool"), _("Kind"), _("Purpose"), _("Paid to"),
            _("Reference"), _("Amount"), _("Currency"), _("Rate"), _("Amount in the pool's currency"),
            _("Pool currency"), _("Country"), _("Region"), _("Reverses entry"), _("Entry"),
            _("Note"), _("Programme code"), _("Kind code"), _("Region code"), _("Source"),
        ]  # fmt: skip
        for entry in entries.iterator(chunk_size=2000):
            pool = entry.pool
            yield [
                entry.occurred_on.isoformat(), str(programmes.get(entry.programme, "")), pool.name,
                str(kinds.get(entry.kind, entry.kind)), entry.purpose, entry.vendor, entry.reference,
                major(entry.amount, entry.currency), entry.currency, entry.rate,
                major(entry.amount_in_pool_currency, pool.currency), pool.currency, entry.country,
                regions.area_name(entry.region), entry.reverses_id or "", entry.pk, entry.note,
                entry.programme, entry.kind, entry.region, entry.source,
            ]  # fmt: skip

    return _streamed("ledger.csv", rows())


def totals_csv(pool_rows, programme_rows, region_rows):
    """The overview's three tables, one after the other, in major units."""

    def rows():
        yield [
            _("Section"), _("Year"), _("Item"), _("Currency"), _("Budget"), _("Committed"),
            _("Available"), _("Paid"), _("Refunded"), _("Lost"), _("Section code"), _("Item code"),
        ]  # fmt: skip

        def line(section, code, year, label, key, totals, budget=None, available=None):
            c = totals.currency
            return [
                section, year, label, c, major(budget, c), major(totals.committed, c),
                major(available, c), major(totals.paid, c), major(totals.refunded, c),
                major(totals.lost, c), code, key,
            ]  # fmt: skip

        for row in pool_rows:
            pool = row.pool
            yield line(
                _("Pools"), "pool", pool.year, pool.name, pool.key, row.totals,
                pool.budget, row.available,
            )  # fmt: skip
        for row in programme_rows:
            yield line(
                _("By year and programme"), "programme", row.year, row.label, row.key,
                row.totals, row.budget, row.available,
            )  # fmt: skip
        for row in region_rows:
            yield line(
                _("By year and region (UN M49)"), "region", row.year, row.label, row.key,
                row.totals,
            )  # fmt: skip

    return _streamed("ledger-totals.csv", rows())
