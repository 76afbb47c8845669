"""The round report as CSV, from the same figures as the report page."""

from django.http import HttpResponse

from bpd.website import spreadsheet


def report_csv(round, data):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{round.slug}-report.csv"'
    writer = spreadsheet.Writer(response)
    writer.writerow(["section", "key", "committed_minor", "spent_minor", "currency"])
    writer.writerow(["total", "budget", round.budget, "", round.currency])
    writer.writerow(["total", "all", data["committed"], data["spent"], round.currency])
    # Per category: what was awarded (the award is committed per application, not per
    # category, so categories show awards and spending; the totals above are the truth).
    for row in data["by_category"]:
        writer.writerow(
            ["awarded_by_category", row["key"], row["awarded"], row["spent"], round.currency]
        )
    for section in ("by_region", "by_country"):
        for row in data[section]:
            writer.writerow([section, row["key"], row["committed"], row["spent"], round.currency])
    for key, count in data["outcomes"].items():
        writer.writerow(["outcome", key, count, "", ""])
    writer.writerow(["losses", "all", "", data["losses"], round.currency])
    writer.writerow(["out_of_pocket", "unsettled", data["out_of_pocket_count"], "", ""])
    return response
