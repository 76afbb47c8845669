"""The insights pages. Public: /insights/ with its map, charts, CSVs and JSON. Staff
(executors and the treasurer): /insights/staff/ with money, where to invest next and
an on-demand refresh of one region. Every view reads the newest snapshot only
(`selectors.latest`): no view counts members."""

import datetime as dt
import functools
import hashlib
import io
import json

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from bpd.insights import charts, present, selectors, services, tables, worldmap
from bpd.insights.suppression import SHOWN
from bpd.members.roles import treasurer_required
from bpd.website import languages, spreadsheet
from bpd.website.caching import public_page
from bpd.website.versions import CONTENT, versioned

# SVG documents carry their own <style>: allowed there, and nothing else.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'"


def _svg(markup):
    response = HttpResponse(markup, content_type="image/svg+xml; charset=utf-8")
    response["Content-Security-Policy"] = SVG_POLICY
    return response


def cached_svg(view):
    """Public SVGs: drawn once per language, address and day's figures, then served from
    the cache with their own policy header (the page cache would drop it)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        raw = f"{languages.current()}|{request.get_full_path()}|{CONTENT.get()}"
        key = "insights:svg:" + hashlib.sha1(raw.encode()).hexdigest()
        stored = versioned.get(key)
        if stored is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200:
                return response
            set_response_etag(response)
            stored = (response.content, response["ETag"])
            versioned.set(key, stored, 3600)
        response = _svg(stored[0])
        # Hashed once when stored (ConditionalGetMiddleware answers If-None-Match with it).
        response["ETag"] = stored[1]
        patch_cache_control(response, public=True, max_age=300)
        return response

    return wrapper


def _figures(part):
    found = selectors.latest(part)
    if found is None:
        raise Http404
    return found


def _context(data):
    k = data["k"]
    places = data["places"]
    growth = data.get("growth") or {"months": [], "world": [], "regions": {}}
    attendance = present.rows(data["attendance"]["regions"], present.place_name, k)
    tickets = present.rows(data["tickets"]["regions"], present.place_name, k)
    return {
        "data": data,
        "k": k,
        "computed": _moment(data["computed_at"]),
        "has_elsewhere": places.get("elsewhere", ["none"])[0] != "none",
        "event_rows": [
            (name, text, ticket_text)
            for (name, _v, text), (_n, _w, ticket_text) in zip(attendance, tickets, strict=True)
        ],
        "total": present.count_text(places["total"], k),
        "elsewhere": present.count_text(places.get("elsewhere", ["none", None]), k),
        "regions": present.regions_table(places, k),
        "cities": [
            (row["name"], present.place_name(row["country"]), present.count_text(row["cell"], k))
            for row in data["cities"]
        ],
        "growth": present.growth_rows(growth["months"], growth["world"], k)[-12:],
        "skills": present.rows(data["skill_levels"], present.skill_name, k),
        "roles": present.rows(data["roles"], present.role_name, k),
        "languages": present.rows(data["languages"], present.language_name, k),
        "csv_tables": PUBLIC_TABLES,
    }


def _moment(text):
    try:
        return dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None


@require_safe
def public(request):
    data = selectors.latest("public")
    if data is None:
        return render(request, "insights/public.html", {"empty": True})
    return render(request, "insights/public.html", _context(data))


def _members_map(data, title):
    k = data["k"]
    cells = data["places"]["countries"]
    return worldmap.render(
        {code: present.members_bucket(cell) for code, cell in cells.items()},
        title=title,
        description=_(
            "Each country shaded by its number of members; countries with fewer than %(k)s "
            "are shaded as one group. The page has the same figures in a table."
        )
        % {"k": k},
        legend=present.members_legend(k),
        labels={
            code: f"{present.place_name(code)}: {present.count_text(cell, k)}"
            for code, cell in cells.items()
        },
    )


@require_safe
def members_map(request):
    return _svg(_members_map(_figures("public"), _("Members of Black Python Devs by country")))


CHARTS = {"growth", "skill-levels", "roles", "languages"}


def _chart(data, name):
    k = data["k"]
    if name == "growth":
        growth = data.get("growth") or {"months": [], "world": []}
        return charts.line(
            [cell[1] if cell[0] == SHOWN else None for cell in growth["world"]],
            title=_("Members over time"),
            description=_("Members at the end of each month, rounded; the page has a table."),
            labels=growth["months"],
        )
    source = {
        "skill-levels": ("skill_levels", present.skill_name, _("Python experience")),
        "roles": ("roles", present.role_name, _("What members do")),
        "languages": ("languages", present.language_name, _("Languages members speak")),
    }
    key, name_of, title = source[name]  # fmt: skip
    return charts.bars(
        present.rows(data[key], name_of, k)[:15],
        title=title,
        description=_("Members per answer, rounded; the page has the same figures in a table."),
    )


@require_safe
def chart(request, name):
    if name not in CHARTS:
        raise Http404
    return _svg(_chart(_figures("public"), name))


@require_safe
def data_json(request):
    """Every public table as published, for the community's own use."""
    data = _figures("public")
    body = json.dumps(
        {
            "about": "Black Python Devs members by place, growth, skills, roles and languages. "
            "Counts below k are 'small' (shown as fewer than k), some are 'hidden' so a small "
            "one cannot be worked out; shown counts are rounded to base.",
            **data,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _csv(filename, header, rows):
    buffer = io.StringIO()
    writer = spreadsheet.Writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _value(cell):
    """A cell in a CSV: the rounded count, or its state ("small", "hidden", "none")."""
    return cell[1] if cell[0] == SHOWN else cell[0]


def _place_rows(places):
    yield ["world", "", "", _value(places["total"])]
    for region in places["regions"]:
        yield [region["code"], "", "", _value(region["cell"])]
        for sub in region["subregions"]:
            yield [region["code"], sub["code"], "", _value(sub["cell"])]
            for country in sub["countries"]:
                yield [region["code"], sub["code"], country["code"], _value(country["cell"])]
    yield [tables.ELSEWHERE, "", "", _value(places.get("elsewhere", ["none", None]))]


def _table_csv(data, table, prefix=""):
    k = data["k"]
    note = f"k={k}, base={data['base']}, computed_at={data['computed_at']}"
    if table == "places":
        return _csv(f"{prefix}members-by-place.csv", ["region", "subregion", "country", note],
                    _place_rows(data["places"]))  # fmt: skip
    if table == "cities":
        return _csv(f"{prefix}members-by-city.csv", ["city", "country", note],
                    ([r["name"], r["country"], _value(r["cell"])] for r in data["cities"]))  # fmt: skip
    if table == "growth":
        growth = data.get("growth") or {"months": [], "world": [], "regions": {}}
        codes = list(growth["regions"])
        rows = (
            [month, _value(growth["world"][i]), *(_value(growth["regions"][c][i]) for c in codes)]
            for i, month in enumerate(growth["months"])
        )
        return _csv(f"{prefix}members-over-time.csv", ["month", "world", *codes, note], rows)
    if table in {"skill-levels", "roles", "languages"}:
        key = table.replace("-", "_")
        return _csv(f"{prefix}{table}.csv", [key, note],
                    ([r["code"] or "not_given", _value(r["cell"])] for r in data[key]))  # fmt: skip
    if table in {"attendance", "tickets"}:
        rows = [["all", _value(data[table]["total"])]] + [
            [r["code"], _value(r["cell"])] for r in data[table]["regions"]
        ]
        return _csv(f"{prefix}{table}-by-region.csv", ["region", note], rows)
    if table == "active" and "active" in data:
        return _csv(f"{prefix}active-members-by-place.csv", ["region", "subregion", "country", note],
                    _place_rows(data["active"]))  # fmt: skip
    if table == "money" and "money" in data:
        rows = []
        for currency, found in data["money"].items():
            rows += [["programme", code, currency, a, r, ""] for code, a, r in found["programmes"]]
            rows += [["region", code, currency, a, r, p] for code, a, r, p in found["regions"]]
            rows += [["country", code, currency, a, r, p if p is not None else ""]
                     for code, (a, r, p) in found["countries"].items()]  # fmt: skip
        return _csv(f"{prefix}money.csv",
                    ["by", "code", "currency", "net_paid_all_time_minor_units",
                     "net_paid_last_12_months_minor_units", "last_12_months_per_1000_members"],
                    rows)  # fmt: skip
    if table == "invest" and "money" in data:
        rows = [
            [currency, *row] for currency, found in data["money"].items() for row in found["invest"]
        ]
        return _csv(f"{prefix}where-to-invest-next.csv",
                    ["currency", "subregion", "members", "active_members",
                     "net_paid_last_12_months_minor_units", "share_of_active_permille",
                     "share_of_money_permille"], rows)  # fmt: skip
    raise Http404


PUBLIC_TABLES = ("places", "cities", "growth", "skill-levels", "roles", "languages",
                 "attendance", "tickets")  # fmt: skip
STAFF_TABLES = (*PUBLIC_TABLES, "active", "money", "invest")


@require_safe
def table_csv(request, table):
    if table not in PUBLIC_TABLES:
        raise Http404
    return _table_csv(_figures("public"), table)


@treasurer_required
@require_safe
def staff(request):
    data = selectors.latest("staff")
    if data is None:
        context = {"empty": True, "region_choices": _region_choices()}
        return render(request, "insights/staff.html", context)
    context = _context(data)
    k = data["k"]
    active = data["active"]["countries"]
    countries = []
    money = data.get("money", {})
    for region in context["regions"]:
        for sub in region["subregions"]:
            for country in sub["countries"]:
                row = dict(country, region=region["name"], subregion=sub["name"])
                row["active"] = present.count_text(active.get(country["code"], ["none", None]), k)
                row["money"] = [
                    (currency, found["countries"].get(country["code"]))
                    for currency, found in money.items()
                ]
                countries.append(row)
    context |= {
        "countries": countries,
        "money": [
            {
                "currency": currency,
                "programmes": [
                    (
                        present.programme_name(c),
                        present.money_text(a, currency),
                        present.money_text(r, currency),
                    )
                    for c, a, r in found["programmes"]
                ],
                "regions": [
                    (
                        present.place_name(c),
                        present.money_text(a, currency),
                        present.money_text(r, currency),
                        present.money_text(p, currency),
                    )
                    for c, a, r, p in found["regions"]
                ],
                "invest": [
                    (
                        present.place_name(c),
                        m,
                        ac,
                        present.money_text(s, currency),
                        sa / 10,
                        sm / 10,
                    )
                    for c, m, ac, s, sa, sm in found["invest"]
                ],
            }
            for currency, found in money.items()
        ],
        "active_total": present.count_text(data["active"]["total"], k),
        "region_choices": _region_choices(),
        "stale": services.is_stale_at(data["computed_at"]),
        "staff_tables": STAFF_TABLES,
        "currencies": list(money),
    }
    return render(request, "insights/staff.html", context)


def _region_choices():
    return [(code, present.place_name(code)) for code in tables.REGIONS]


@treasurer_required
@require_safe
def staff_map(request, kind):
    data = _figures("staff")
    if kind == "members":
        return _svg(_members_map(data, _("Members by country (staff figures)")))
    currency = request.GET.get("currency", "")
    money = data.get("money", {})
    if kind != "money" or (currency and currency not in money):
        raise Http404
    currency = currency or next(iter(money), "")
    countries = money.get(currency, {}).get("countries", {})
    per_1000 = {code: row[2] for code, row in countries.items()}
    fills, limits = present.money_buckets(per_1000)
    legend = [("nd", _("no money spent, or members not shown"))]
    bounds = [None, *limits, None]
    for index in range(4):
        low, high = bounds[index], bounds[index + 1]
        text = (
            _("up to %(high)s") % {"high": present.money_text(high, currency)} if low is None
            else _("more than %(low)s") % {"low": present.money_text(low, currency)}
        )  # fmt: skip
        legend.append((f"b{index + 2}", text))
    return _svg(
        worldmap.render(
            {code: fill for code, fill in fills.items() if fill != "b1"},
            title=_("Money spent per 1,000 members in the last 12 months (%(currency)s)")
            % {"currency": currency},
            description=_("Net payments of every programme in the last 12 months per 1,000 members, "
                          "by the country of the members served. The page has a table."),
            legend=legend if limits else [legend[0]],
            labels={code: f"{present.place_name(code)}: {present.money_text(value, currency)}"
                    for code, value in per_1000.items() if value is not None},
        )
    )  # fmt: skip


@treasurer_required
@require_safe
def staff_chart(request, name):
    data = _figures("staff")
    if name in CHARTS:
        return _svg(_chart(data, name))
    currency = request.GET.get("currency", "")
    money = data.get("money", {})
    if name != "money" or currency not in money:
        raise Http404
    rows = [
        (present.programme_name(code), recent, present.money_text(recent, currency))
        for code, _all, recent in money[currency]["programmes"]
    ]
    return _svg(
        charts.bars(
            rows,
            title=_("Money by programme in the last 12 months (%(currency)s)")
            % {"currency": currency},
            description=_("Net payments per programme; the page has the same figures in a table."),
        )
    )


@treasurer_required
@require_safe
def staff_csv(request, table):
    if table not in STAFF_TABLES:
        raise Http404
    return _table_csv(_figures("staff"), table, prefix="staff-")


@treasurer_required
@require_POST
def refresh(request):
    region = request.POST.get("region", "")
    if region not in tables.REGIONS:
        messages.error(request, _("Choose a region to count again."))
        return redirect("insights:staff")
    services.refresh_region(region)
    messages.success(
        request,
        _("%(region)s was counted again just now.") % {"region": present.place_name(region)},
    )
    return redirect("insights:staff")


app_name = "insights"
urlpatterns = [
    path("", public_page(public), name="public"),
    path("map/members.svg", cached_svg(members_map), name="map"),
    path("charts/<slug:name>.svg", cached_svg(chart), name="chart"),
    path("data.json", public_page(data_json), name="data"),
    path("csv/<slug:table>.csv", public_page(table_csv), name="csv"),
    path("staff/", staff, name="staff"),
    path("staff/map/<slug:kind>.svg", staff_map, name="staff_map"),
    path("staff/charts/<slug:name>.svg", staff_chart, name="staff_chart"),
    path("staff/csv/<slug:table>.csv", staff_csv, name="staff_csv"),
    path("staff/refresh/", refresh, name="refresh"),
]
