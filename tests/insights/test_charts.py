"""The server-drawn charts: valid, named, escaped SVG that leaves room for its labels."""

import re
import xml.etree.ElementTree as ET

from bpd.insights import charts

NS = "{http://www.w3.org/2000/svg}"


def test_bars_leave_room_for_the_longest_label_and_escape_text():
    long_name = "Black Leadership Opportunity Fund"
    svg = charts.bars(
        [(long_name, 100, "100"), ("<b>&", None, "fewer than 10")],
        title="Money <by> programme",
        description="desc",
    )
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.find(f"{NS}title").text == "Money <by> programme"
    first_label = root.findall(f"{NS}text")[0]
    assert float(first_label.get("x")) >= 7.5 * len(long_name) - 8
    assert [r.get("x") for r in root.findall(f"{NS}rect")] == [str(round(7.5 * len(long_name)))]
    assert "fewer than 10" in svg


def test_a_line_breaks_where_a_month_is_not_shown():
    svg = charts.line([10, 20, None, 40, 50], title="t", description="d", labels=list("abcde"))
    path = ET.fromstring(svg).find(f"{NS}path").get("d")
    assert len(re.findall("M", path)) == 2  # two pieces, no line across the gap
    assert charts._nice(0) == 10
    assert charts._nice(305) == 500
    assert charts._nice(1200) == 2000
