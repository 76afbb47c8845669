"""The published tables as the reader reads them: names in their language, counts
formatted for it, "fewer than 10" where a count is small. No figure is made here: this
only reads what `bpd.insights.tables` published."""

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from bpd.insights.suppression import HIDDEN, NONE, SHOWN, SMALL
from bpd.insights.tables import ELSEWHERE
from bpd.ledger import money as money_lib
from bpd.ledger.models import Programme
from bpd.members import choices, regions


def count_text(cell, k):
    """A cell as words: "1,250", "fewer than 10", "hidden", "none"."""
    state, shown = cell
    if state == SHOWN:
        return number_format(shown, force_grouping=True)
    if state == SMALL:
        return _("fewer than %(k)s") % {"k": k}
    if state == HIDDEN:
        return _("not shown")
    return _("none")


def place_name(code):
    if code == ELSEWHERE:
        return _("Country not given")
    return regions.area_name(code) or code


def skill_name(code):
    if not code:
        return _("Not given")
    return str(dict(choices.SkillLevel.choices).get(code, code))


def role_name(code):
    return str(dict(choices.tech_roles()).get(code, code))


def language_name(code):
    return str(dict(choices.spoken_languages()).get(code, code))


def programme_name(code):
    return str(dict(Programme.choices).get(code, code))


def money_text(minor, currency):
    return money_lib.display(minor, currency) if minor is not None else "—"


def rows(items, name, k):
    """[{code, cell}] as [(name, cell value or None, text)] for a table and a chart."""
    return [
        (name(row["code"]), row["cell"][1] if row["cell"][0] == SHOWN else None,
         count_text(row["cell"], k))
        for row in items
    ]  # fmt: skip


def growth_rows(months, cells, k):
    """(month, members at its end, joined that month) for a table. Joins are the change
    of the rounded figure, so they say no more than the two figures do."""
    rows = []
    for index, (month, cell) in enumerate(zip(months, cells, strict=True)):
        before = cells[index - 1] if index else None
        joined = "—"
        if before and before[0] == SHOWN and cell[0] == SHOWN:
            joined = number_format(cell[1] - before[1], force_grouping=True)
        rows.append((month, count_text(cell, k), joined))
    return rows


def regions_table(table, k):
    """The place table for the page: regions with their sub-regions and countries."""
    out = []
    for region in table["regions"]:
        subs = []
        for sub in region["subregions"]:
            countries = sorted(
                (
                    {"code": c["code"], "name": place_name(c["code"]), "text": count_text(c["cell"], k),
                     "state": c["cell"][0]}
                    for c in sub["countries"]
                ),
                key=lambda row: row["name"],
            )  # fmt: skip
            subs.append(
                {"name": place_name(sub["code"]), "text": count_text(sub["cell"], k),
                 "countries": countries}
            )  # fmt: skip
        out.append(
            {"code": region["code"], "name": place_name(region["code"]),
             "text": count_text(region["cell"], k), "subregions": subs}
        )  # fmt: skip
    return out


def members_legend(k):
    """Map buckets for member counts: (css class, label), lightest first."""
    return [
        ("nd", _("none")),
        ("b1", _("fewer than %(k)s, or not shown") % {"k": k}),
        ("b2", _("%(low)s to %(high)s") % {"low": number_format(k), "high": 49}),
        ("b3", _("%(low)s to %(high)s") % {"low": 50, "high": 249}),
        ("b4", _("%(low)s to %(high)s") % {"low": 250, "high": 999}),
        ("b5", _("%(n)s or more") % {"n": number_format(1000, force_grouping=True)}),
    ]


def members_bucket(cell):
    state, shown = cell
    if state == NONE:
        return "nd"
    if state != SHOWN:
        return "b1"
    for bucket, floor in (("b5", 1000), ("b4", 250), ("b3", 50)):
        if shown >= floor:
            return bucket
    return "b2"


def money_buckets(per_1000_by_country):
    """Money per 1,000 members in four quantile buckets: ({country: class}, limits)."""
    values = sorted(v for v in per_1000_by_country.values() if v)
    if not values:
        return {}, []
    limits = [values[min(len(values) - 1, len(values) * q // 4)] for q in (1, 2, 3)]
    fills = {}
    for country, value in per_1000_by_country.items():
        if not value:
            fills[country] = "b1"
            continue
        fills[country] = "b" + str(2 + sum(value > limit for limit in limits))
    return fills, limits
