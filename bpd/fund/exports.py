"""The round report as CSV, from the same figures as the report page.

People read it in a spreadsheet, so it speaks their language: amounts in major units
with the currency beside them, sections and statuses by their translated labels. The
codes follow in columns of their own, for anyone who sorts or joins on them.
"""

from decimal import Decimal

from django.http import HttpResponse
from django.utils.translation import gettext as _

from bpd.fund.models import Application, Category
from bpd.ledger import money
from bpd.website import spreadsheet


def major(minor, currency):
    """`minor` units as a plain decimal in major units, to the currency's precision
    ("1000.00", never "1E+3"). A Decimal, not text, so the spreadsheet sees a number."""
    return money.to_major(minor, currency).quantize(Decimal(1).scaleb(-money.precision(currency)))


def report_csv(round, data):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{round.slug}-report.csv"'
    writer = spreadsheet.Writer(response)
    currency = round.currency
    statuses = dict(Application.Status.choices)
    visas = dict(Application._meta.get_field("visa_decision").choices)
    categories = dict(Category.choices)

    def amounts(section, section_code, item, item_code, committed, spent):
        writer.writerow([
            section, item,
            "" if committed is None else major(committed, currency),
            "" if spent is None else major(spent, currency),
            currency, "", section_code, item_code,
        ])  # fmt: skip

    def count(section, section_code, item, item_code, n):
        writer.writerow([section, item, "", "", "", n, section_code, item_code])

    writer.writerow([
        _("Section"), _("Item"), _("Committed"), _("Spent"), _("Currency"), _("Count"),
        _("Section code"), _("Item code"),
    ])  # fmt: skip
    total = _("Total")
    amounts(total, "total", _("Budget"), "budget", round.budget, None)
    amounts(total, "total", _("All funded applications"), "all", data["committed"], data["spent"])
    # Per category: what was awarded (the award is committed per application, not per
    # category, so categories show awards and spending; the totals above are the truth).
    section = _("Awarded and spent by category")
    for row in data["by_category"]:
        label = str(categories.get(row["key"], row["key"]))
        amounts(section, "awarded_by_category", label, row["key"], row["awarded"], row["spent"])
    section = _("By region (UN M49)")
    for row in data["by_region"]:
        amounts(section, "by_region", row["key"], "", row["committed"], row["spent"])
    section = _("By country")
    for row in data["by_country"]:
        amounts(section, "by_country", row["key"], row["code"], row["committed"], row["spent"])
    section = _("Applications by status")
    for key, n in data["outcomes"].items():
        count(section, "outcome", str(statuses.get(key, key)), key, n)
    section = _("Funded applications by visa decision")
    for key, n in data["visas"].items():
        count(section, "visa", str(visas.get(key, key)), key, n)
    # Refunds and losses of cancelled bookings. An awaited refund is not back yet: it is in
    # "Spent" above, and the part of the losses reckoned on it is provisional.
    section = _("Refunds (cancellations)")
    amounts(section, "refunds", _("Expected"), "expected", None, data["refunds_expected"])
    amounts(section, "refunds", _("Received"), "received", None, data["refunded"])
    amounts(section, "refunds", _("Awaited"), "awaited", None, data["refunds_awaited"])
    section = _("Losses (cancellations)")
    amounts(section, "losses", total, "all", None, data["losses"])
    amounts(
        section, "losses", _("Provisional, until awaited refunds arrive"), "provisional", None,
        data["losses_provisional"],
    )  # fmt: skip
    count(
        _("Unsettled out-of-pocket costs"), "out_of_pocket", total, "unsettled",
        data["out_of_pocket_count"],
    )  # fmt: skip
    count(_("Trip reports received"), "reports", total, "received", data["reports"])
    return response
