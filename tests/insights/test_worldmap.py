"""The server-drawn world map (bpd.insights.worldmap) and the build that made its data."""

import gzip
import re
import xml.etree.ElementTree as ET

import pytest
from babel import Locale

from bpd.insights import build_world_map, worldmap
from bpd.members.choices import is_country

SVG = "{http://www.w3.org/2000/svg}"

# The 193 member states of the United Nations.
UN_MEMBERS = {
    "AD", "AE", "AF", "AG", "AL", "AM", "AO", "AR", "AT", "AU", "AZ", "BA", "BB", "BD", "BE",
    "BF", "BG", "BH", "BI", "BJ", "BN", "BO", "BR", "BS", "BT", "BW", "BY", "BZ", "CA", "CD",
    "CF", "CG", "CH", "CI", "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CY", "CZ", "DE", "DJ",
    "DK", "DM", "DO", "DZ", "EC", "EE", "EG", "ER", "ES", "ET", "FI", "FJ", "FM", "FR", "GA",
    "GB", "GD", "GE", "GH", "GM", "GN", "GQ", "GR", "GT", "GW", "GY", "HN", "HR", "HT", "HU",
    "ID", "IE", "IL", "IN", "IQ", "IR", "IS", "IT", "JM", "JO", "JP", "KE", "KG", "KH", "KI",
    "KM", "KN", "KP", "KR", "KW", "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU",
    "LV", "LY", "MA", "MC", "MD", "ME", "MG", "MH", "MK", "ML", "MM", "MN", "MR", "MT", "MU",
    "MV", "MW", "MX", "MY", "MZ", "NA", "NE", "NG", "NI", "NL", "NO", "NP", "NR", "NZ", "OM",
    "PA", "PE", "PG", "PH", "PK", "PL", "PT", "PW", "PY", "QA", "RO", "RS", "RU", "RW", "SA",
    "SB", "SC", "SD", "SE", "SG", "SI", "SK", "SL", "SM", "SN", "SO", "SR", "SS", "ST", "SV",
    "SY", "SZ", "TD", "TG", "TH", "TJ", "TL", "TM", "TN", "TO", "TR", "TT", "TV", "TZ", "UA",
    "UG", "US", "UY", "UZ", "VC", "VE", "VN", "VU", "WS", "YE", "ZA", "ZM", "ZW",
}  # fmt: skip
# Observer states, states with limited recognition and a disputed territory.
OTHER_STATES = {"PS", "VA", "XK", "EH", "SS", "TW"}
CARIBBEAN = {
    "AG", "BS", "BB", "DM", "GD", "KN", "LC", "VC", "TT", "JM", "CU", "HT", "DO",
    "PR", "AW", "CW", "KY", "VG", "VI", "AI", "MS", "TC", "GP", "MQ", "BM",
}  # fmt: skip
PACIFIC = {
    "FJ", "KI", "MH", "FM", "NR", "PW", "PG", "WS", "SB", "TO", "TV", "VU",
    "NC", "PF", "CK", "NU", "GU", "AS", "MP",
}  # fmt: skip

LEGEND = [
    ("b0", "none"),
    ("b1", "fewer than 10, or not shown"),
    ("b2", "10 to 49"),
    ("b3", "50 to 249"),
    ("b4", "250 to 999"),
    ("b5", "1,000 or more"),
    (worldmap.NO_DATA, "no figures"),
]


def parse(svg):
    return ET.fromstring(svg)


def drawn(root):
    """{alpha-2: element} of every country in a rendered map."""
    found = {}
    for element in root.iter():
        code = element.get("data-c")
        if code is not None:
            assert code not in found, f"{code} drawn twice"
            found[code] = element
    return found


def full_map():
    """Every country in a bucket, with a label like the members page's."""
    names = Locale.parse("en").territories
    codes = sorted(worldmap.COUNTRIES)
    fills = {code: worldmap.BUCKETS[i % len(worldmap.BUCKETS)] for i, code in enumerate(codes)}
    labels = {
        code: f"{names.get(code, code)}: {1234 + i:,} members" for i, code in enumerate(codes)
    }
    return worldmap.render(
        fills,
        title="Members of Black Python Devs by country",
        description="Each country shaded by its number of members.",
        legend=LEGEND,
        labels=labels,
    )


def test_un_members_list_is_complete():
    assert len(UN_MEMBERS) == 193


@pytest.mark.parametrize(
    "codes",
    [UN_MEMBERS, OTHER_STATES, CARIBBEAN, PACIFIC],
    ids=["UN members", "other states", "Caribbean", "Pacific"],
)
def test_every_listed_country_is_drawn_under_its_code(codes):
    found = drawn(parse(full_map()))
    assert sorted(codes - found.keys()) == []
    assert codes <= worldmap.COUNTRIES


def test_every_country_a_member_can_pick_is_drawn_but_antarctica():
    pickable = {code for code in Locale.parse("en").territories if is_country(code)}
    assert sorted(pickable - worldmap.COUNTRIES) == ["AQ"]


def test_every_m49_row_is_drawn_but_antarctica():
    assert build_world_map.required_codes() <= worldmap.COUNTRIES
    assert "AQ" not in worldmap.COUNTRIES


def test_keys_are_alpha_2_codes_never_minus_99():
    keys = [*worldmap._SHAPES, *worldmap._POINTS]
    assert "-99" not in keys
    assert [key for key in keys if not re.fullmatch(r"[A-Z]{2}", key)] == []


def test_small_states_are_points_large_ones_shapes():
    found = drawn(parse(full_map()))
    for code in ("TV", "NR", "VA", "MC", "SG", "KN", "MH"):
        assert found[code].tag == SVG + "circle", code
    for code in ("FR", "NG", "BR", "CU", "PG", "FJ", "XK", "TW"):
        assert found[code].tag == SVG + "path", code
    # Brunei keeps its shape (it would leave a hole in Borneo) and gets a point too.
    assert [child.tag for child in found["BN"]][:2] == [SVG + "path", SVG + "circle"]


def test_paths_use_relative_commands_and_short_numbers():
    for code, d in worldmap._SHAPES.items():
        assert re.fullmatch(r"(m[-0-9. ]+z)+", d), code
        assert not re.search(r"\.\d\d", d), f"{code}: more than one decimal"


def test_full_map_stays_small():
    svg = full_map().encode()
    gzipped = len(gzip.compress(svg, compresslevel=9))
    # Measured at 35.4 KB gzipped, 111.7 KB as sent uncompressed (docs/insights.md).
    assert gzipped <= 60_000, gzipped
    assert len(svg) <= 150_000, len(svg)


def test_document_is_an_accessible_standalone_svg():
    root = parse(full_map())
    assert root.tag == SVG + "svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "t d"
    assert root.get("viewBox") == worldmap.VIEWBOX
    # Scales with its container: no fixed size.
    assert root.get("width") is None
    assert root.get("height") is None
    assert root.find(SVG + "title").get("id") == "t"
    assert root.find(SVG + "title").text == "Members of Black Python Devs by country"
    assert root.find(SVG + "desc").get("id") == "d"
    assert root.find(SVG + "desc").text == "Each country shaded by its number of members."
    assert "fill:#1d3557" in root.find(SVG + "style").text
    texts = [text.text for text in root.iter(SVG + "text")]
    assert texts == [label for _, label in LEGEND]
    swatches = [rect.get("class") for rect in root.iter(SVG + "rect")]
    assert swatches == [css for css, _ in LEGEND]


def test_fills_and_no_data():
    root = parse(
        worldmap.render(
            {"NG": "b5", "GH": "b0", "AQ": "b3"},
            title="t",
            description="d",
            legend=[],
            labels={"NG": "Nigeria"},
        )
    )
    found = drawn(root)
    assert found["NG"].get("class") == "b5"
    assert found["NG"].find(SVG + "title").text == "Nigeria"
    assert found["GH"].get("class") == "b0"
    assert found["GH"].find(SVG + "title") is None
    assert found["FR"].get("class") == worldmap.NO_DATA
    # Antarctica is not drawn; its fill is left out, not an error.
    assert "AQ" not in found


@pytest.mark.parametrize(
    ("fills", "legend", "message"),
    [
        ({"NG": "b9"}, [], "unknown class"),
        ({"NG": 'b1" onload="x'}, [], "unknown class"),
        ({"-99": "b1"}, [], "not an ISO 3166-1 alpha-2 code"),
        ({"ng": "b1"}, [], "not an ISO 3166-1 alpha-2 code"),
        ({}, [("b1", "a")] * 8, "room for 7 rows"),
        ({}, [("evil", "a")], "unknown class"),
    ],
)
def test_bad_input_is_refused(fills, legend, message):
    with pytest.raises(ValueError, match=message):
        worldmap.render(fills, title="t", description="d", legend=legend)


def test_text_is_escaped():
    nasty = "<script>alert(\"x\")</script> & 'quotes'"
    svg = worldmap.render(
        {"FR": "b2", "TV": "b3"},
        title=nasty,
        description=nasty,
        legend=[("b2", nasty)],
        labels={"FR": nasty, "TV": nasty},
    )
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    root = parse(svg)
    assert root.find(SVG + "title").text == nasty
    assert root.find(SVG + "desc").text == nasty
    found = drawn(root)
    assert found["FR"].find(SVG + "title").text == nasty
    assert found["TV"].find(SVG + "title").text == nasty
    assert [text.text for text in root.iter(SVG + "text")] == [nasty]


# --- The build ------------------------------------------------------------------------
ALPHA3 = {"FRA": "FR", "NOR": "NO", "SOM": "SO"}
NUMERIC = {250: "FR", 706: "SO"}


@pytest.mark.parametrize(
    ("name", "fid", "properties", "code"),
    [
        # Natural Earth GeoJSON: ISO_A2 is "-99" for France and Norway, ISO_A2_EH is right.
        ("France", None, {"ISO_A2": "-99", "ISO_A2_EH": "FR", "ADM0_A3": "FRA"}, "FR"),
        ("Norway", None, {"ISO_A2": "-99", "ISO_A2_EH": "-99", "ADM0_A3": "NOR"}, "NO"),
        ("Somaliland", None, {"ISO_A2": "-99", "ADM0_A3": "SOL"}, "SO"),
        ("Kosovo", None, {"ISO_A2": "-99", "ADM0_A3": "KOS"}, "XK"),
        # world-atlas TopoJSON: a numeric id, or none.
        ("France", "250", {"name": "France"}, "FR"),
        ("N. Cyprus", None, {"name": "N. Cyprus"}, "CY"),
        ("Nowhere", None, {"ISO_A2": "-99", "ADM0_A3": "-99"}, None),
    ],
)
def test_features_are_keyed_without_trusting_minus_99(name, fid, properties, code):
    assert build_world_map.key_feature(name, fid, properties, ALPHA3, NUMERIC) == code


def test_a_border_inside_one_country_is_dissolved():
    # Two squares sharing arc 1 (x = 10): 0 then 1 ring the left one, ~1 then 2 the right.
    simple = {
        0: [(10, 0), (0, 0), (0, 10), (10, 10)],
        1: [(10, 10), (10, 0)],
        2: [(10, 10), (20, 10), (20, 0), (10, 0)],
    }
    refs = build_world_map.dissolve([[[0, 1]], [[~1, 2]]])
    assert sorted(refs) == [0, 2]
    (ring,) = build_world_map.chain(refs, simple)
    assert abs(build_world_map.area(ring)) == 200


def test_path_data_is_relative_in_tenths():
    rings = [[(10, 20), (15, 20), (15, 5)], [(100, 100), (100, 110), (90, 110)]]
    assert build_world_map.path_data(rings) == "m1 2 .5 0 0-1.5zm9 8 0 1-1 0z"


def test_simplify_keeps_ends_and_far_points():
    line = [(0, 0), (1, 0.1), (2, -0.1), (3, 5), (4, 0)]
    assert build_world_map.simplify(line, 0.5) == [(0, 0), (2, -0.1), (3, 5), (4, 0)]
