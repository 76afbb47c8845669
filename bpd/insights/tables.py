"""The published tables: exact counts (`bpd.insights.figures`) put through the rule
(`bpd.insights.suppression`). This is the one place figures about people are made fit
to show; the pages, CSVs, JSON, maps and charts only read what it returns.

A cell is stored as [state, shown]: ["shown", 120], ["small", None] ("fewer than k"),
["hidden", None] (kept back so a small one cannot be worked out), ["none", None]."""

from bpd.insights.suppression import SHOWN, Node, Rule, publish, publish_counts
from bpd.members import regions

# Members whose country is not given, or is a place with no UN M49 region (Antarctica).
ELSEWHERE = "ZZ"
# The five UN M49 regions, in the order the pages list them.
REGIONS = ("002", "019", "142", "150", "009")


def _cell(cell):
    return [cell.state, cell.shown]


def middle_area(country):
    """The area between region and country: M49's intermediate region where it has one
    (Western Africa, the Caribbean), else its sub-region (Western Europe)."""
    return regions.region_code(country, "intermediate") or regions.region_code(country, "subregion")


def place_tree(counts):
    """World → M49 region → sub-region → country, from {country: count}."""
    root = Node("world", 0)
    region_nodes, sub_nodes = {}, {}
    elsewhere = 0
    for country, count in sorted(counts.items()):
        region = regions.region_code(country, "region") if country else ""
        sub = middle_area(country) if country else ""
        if not region or not sub:
            elsewhere += count
            continue
        if region not in region_nodes:
            region_nodes[region] = Node(region, 0)
        if sub not in sub_nodes:
            sub_nodes[sub] = region_nodes[region].add(Node(sub, 0))
        sub_nodes[sub].add(Node(country, count))
    for code in REGIONS:
        if code in region_nodes:
            root.add(region_nodes[code])
    root.add(Node(ELSEWHERE, elsewhere))
    for node in reversed(list(root.walk())):
        if node.children:
            node.value = sum(child.value for child in node.children)
    return root


def places(counts, rule):
    """The place table: {"total": cell, "regions": [{code, cell, subregions: [{code,
    cell, countries: [{code, cell}]}]}], "elsewhere": cell, "countries": {code: cell}}."""
    root = place_tree(counts)
    cells = publish(root, rule)
    table = {"total": _cell(cells[root]), "regions": [], "countries": {}}
    for region in root.children:
        if region.code == ELSEWHERE:
            table["elsewhere"] = _cell(cells[region])
            continue
        row = {"code": region.code, "cell": _cell(cells[region]), "subregions": []}
        for sub in region.children:
            countries = [
                {"code": country.code, "cell": _cell(cells[country])}
                for country in sorted(sub.children, key=lambda node: node.code)
            ]
            row["subregions"].append(
                {"code": sub.code, "cell": _cell(cells[sub]), "countries": countries}
            )
            table["countries"] |= {country["code"]: country["cell"] for country in countries}
        table["regions"].append(row)
    return table


def parts(counts, rule, *, total=None):
    """Parts of a whole (skill levels; "" is "not given"): [{code, cell}] largest first,
    with the whole as one more check a reader can make."""
    whole = Node("all", total if total is not None else sum(counts.values()))
    for code, count in counts.items():
        whole.add(Node(code or "", count))
    rest = whole.value - sum(counts.values())
    if rest > 0:
        whole.add(Node("", rest))
    cells = publish(whole, rule)
    return _ranked([(node.code, cells[node]) for node in whole.children])


def counts_each(counts, rule):
    """Counts that do not add up to a whole (roles, languages): [{code, cell}]."""
    return _ranked(list(publish_counts(counts, rule).items()))


def _ranked(pairs):
    order = {"shown": 0, "hidden": 1, "small": 2, "none": 3}
    rows = [{"code": code, "cell": _cell(cell)} for code, cell in pairs if cell.state != "none"]
    rows.sort(key=lambda row: (order[row["cell"][0]], -(row["cell"][1] or 0), row["code"]))
    return rows


def by_region(counts, rule):
    """{country: people} added up per M49 region: [{code, cell}] (ZZ for elsewhere)."""
    totals = {}
    for country, count in counts.items():
        region = regions.region_code(country, "region") if country else ""
        key = region or ELSEWHERE
        totals[key] = totals.get(key, 0) + count
    whole = Node("all", sum(totals.values()))
    for code in (*REGIONS, ELSEWHERE):
        whole.add(Node(code, totals.get(code, 0)))
    cells = publish(whole, rule)
    return {"total": _cell(cells[whole])} | {
        "regions": [{"code": node.code, "cell": _cell(cells[node])} for node in whole.children]
    }


def growth(raw, rule):
    """Members at the end of each month, world and per region: a table per month, so a
    region's figure and the world's cannot be subtracted to give a small one. Rounded
    (base 5 or more) even for staff, so consecutive months do not give the joins of a
    month exactly; joins per month are shown only as the change of the rounded world
    figure. Never per country: a small country's growth is a small group."""
    rule = Rule(k=rule.k, base=max(rule.base, 5))
    running = {}
    for country, count in raw["before"].items():
        running[country] = running.get(country, 0) + count
    months = _months_from(raw["first"], raw.get("last") or max(raw["months"], default=raw["first"]))
    series = {"months": months, "world": [], "regions": {code: [] for code in REGIONS}}
    for month in months:
        for country, count in raw["months"].get(month, {}).items():
            running[country] = running.get(country, 0) + count
        table = by_region(running, rule)
        series["world"].append(table["total"])
        for row in table["regions"]:
            if row["code"] in series["regions"]:
                series["regions"][row["code"]].append(row["cell"])
    return series


def _months_from(first, last):
    """Every month from `first` to `last` ("YYYY-MM"), both included."""
    year, month = (int(part) for part in first.split("-"))
    found = []
    while f"{year:04d}-{month:02d}" <= last:
        found.append(f"{year:04d}-{month:02d}")
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return found


def cities(rows, rule, country_cells, members):
    """Cities only where the city passes the rule and so does the rest of its country
    (its members minus every city shown), so a country's figure minus its cities never
    leaves a small group: [{name, country, cell}] largest first."""
    by_country = {}
    for _city_id, name, country, count in rows:
        if count >= rule.k:
            by_country.setdefault(country, []).append((count, name))
    shown = []
    for country, found in by_country.items():
        state, _country_shown = country_cells.get(country, ["none", None])
        if state != SHOWN:
            continue
        found.sort(reverse=True)
        total = sum(count for count, _name in found)
        exact_country = members.get(country, 0)
        while found and exact_country - total < rule.k and exact_country != total:
            total -= found.pop()[0]
        if found and exact_country - total < rule.k:
            found = []  # every member is in a shown city: one would be the rest
        for count, name in found:
            shown.append({"name": name, "country": country, "cell": [SHOWN, rule.rounded(count)]})
    shown.sort(key=lambda row: (-row["cell"][1], row["name"]))
    return shown


def build(raw, rule, *, staff=False):
    """Every table of one publication. `staff` adds active members and money."""
    members = raw.get("members", {})
    place_table = places(members, rule)
    table = {
        "k": rule.k,
        "base": rule.base,
        "computed_at": raw.get("computed_at", ""),
        "places": place_table,
        "cities": cities(raw.get("cities", []), rule, place_table["countries"], members),
        "growth": growth(raw["growth"], rule) if raw.get("growth") else None,
        "skill_levels": parts(raw.get("skill_levels", {}), rule, total=sum(members.values())),
        "roles": counts_each(raw.get("roles", {}), rule),
        "languages": counts_each(raw.get("languages", {}), rule),
        "attendance": by_region(raw.get("attendance", {}), rule),
        "tickets": by_region(raw.get("tickets", {}), rule),
    }
    if staff:
        table["active"] = places(raw.get("active", {}), rule)
        table["money"] = money(raw.get("money", []), place_table, table["active"])
    return table


def money(rows, members, active):
    """Staff only. Money is not suppressed: the treasurer and executors see every entry
    in the ledger anyway. What is per member uses the published member figure (never an
    exact count the table hides), so money per member cannot give a hidden count away.

    Per currency: {"programmes": [[programme, all, recent]], "regions": [[code, all,
    recent, per_1000]], "countries": {code: [all, recent, per_1000]}, "invest": [...]}."""
    currencies = {}
    for programme, currency, region, country, all_time, recent in rows:
        found = currencies.setdefault(
            currency, {"programmes": {}, "regions": {}, "countries": {}, "subregions": {}}
        )
        prog = found["programmes"].setdefault(programme, [0, 0])
        prog[0] += all_time
        prog[1] += recent
        key = region or ELSEWHERE
        place = found["regions"].setdefault(key, [0, 0])
        place[0] += all_time
        place[1] += recent
        if country:
            spot = found["countries"].setdefault(country, [0, 0])
            spot[0] += all_time
            spot[1] += recent
            sub = middle_area(country) or ELSEWHERE
            found["subregions"][sub] = found["subregions"].get(sub, 0) + recent
    region_cells = {row["code"]: row["cell"] for row in members["regions"]}
    out = {}
    for currency, found in sorted(currencies.items()):
        out[currency] = {
            "programmes": sorted([code, *sums] for code, sums in found["programmes"].items()),
            "regions": [
                [code, *sums, _per_1000(sums[1], region_cells.get(code))]
                for code, sums in sorted(found["regions"].items())
            ],
            "countries": {
                code: [*sums, _per_1000(sums[1], members["countries"].get(code))]
                for code, sums in sorted(found["countries"].items())
            },
            "invest": invest(found["subregions"], members, active),
        }
    return out


def _per_1000(amount, cell):
    """Minor units per 1,000 members, from a shown member figure only."""
    if not cell or cell[0] != SHOWN or not cell[1]:
        return None
    return round(amount * 1000 / cell[1])


def invest(recent_by_subregion, members, active):
    """Where to invest next: sub-regions whose share of the active members is furthest
    above their share of the money spent in the last 12 months, first. Only sub-regions
    whose member and active member figures are shown take part.
    [[subregion, members, active, recent money, active share ‰, money share ‰]]."""
    shown = {}
    for table, index in ((members, 0), (active, 1)):
        for region in table["regions"]:
            for sub in region["subregions"]:
                if sub["cell"][0] == SHOWN:
                    shown.setdefault(sub["code"], [None, None])[index] = sub["cell"][1]
    rows = [(code, m, a) for code, (m, a) in shown.items() if m and a]
    active_total = sum(a for _code, _m, a in rows) or 1
    money_total = sum(recent_by_subregion.get(code, 0) for code, _m, _a in rows) or 1
    ranked = []
    for code, count, act in rows:
        spent = recent_by_subregion.get(code, 0)
        ranked.append(
            [code, count, act, spent, round(act * 1000 / active_total),
             round(spent * 1000 / money_total)]
        )  # fmt: skip
    ranked.sort(key=lambda row: (row[5] - row[4], -row[2], row[0]))
    return ranked
