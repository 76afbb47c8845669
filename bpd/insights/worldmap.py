"""A world map of members per country, drawn on the server as one SVG document.

No tiles, no JavaScript and no network: the shapes come from ``data/world-map.json``,
made once by ``build_world_map`` (docs/insights.md, "The world map", says from what and
how). Each country is one element, a ``<path>``, a ``<circle>`` when it is too small to
see, or a ``<g>`` holding both, whose ``data-c`` attribute is its ISO 3166-1 alpha-2 code
and whose class is its bucket::

    svg = render(
        {"NG": "b5", "GH": "b3"},
        title="Members by country",
        description="Nigeria has the most members, then Ghana.",
        legend=[("b5", "100 or more"), ("b3", "10 to 49"), (NO_DATA, "No members")],
        labels={"NG": "Nigeria: 120 members", "GH": "Ghana: 31 members"},
    )

A screen reader gets only the title and the description, and small countries are hard
to point at, so a page shows the same numbers in a table: the map gives the pattern.
"""

import json
import re
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

_DATA = json.loads((Path(__file__).resolve().parent / "data" / "world-map.json").read_text("utf-8"))
VIEWBOX: str = _DATA["viewBox"]
_SHAPES: dict[str, str] = _DATA["shapes"]
_POINTS: dict[str, list[int]] = _DATA["points"]

# Every code the map draws: shapes and points.
COUNTRIES = frozenset(_SHAPES) | frozenset(_POINTS)

# The buckets, lightest first, and the class of countries not in ``fills``.
BUCKETS = ("b0", "b1", "b2", "b3", "b4", "b5")
NO_DATA = "nd"
_CLASSES = frozenset((*BUCKETS, NO_DATA))

# A sequential palette ending on BPD's navy #1d3557. Even the lightest bucket has 3:1
# contrast with the white page (3.08:1; WCAG 2.2, 1.4.11, graphical objects), which
# leaves neighbouring buckets only about 1.3:1 apart in lightness, so the hue also turns,
# from teal to navy, to keep them apart. No data is a light grey, unlike any bucket.
# Borders are thin white lines; points (countries too small to see) get a dark outline
# so that a grey one still shows on white.
_STYLE = (
    "path,circle{stroke:#fff;stroke-width:.4;stroke-linejoin:round;fill-rule:evenodd}"
    "circle{stroke:#5c6773;stroke-width:.5}"
    f".{NO_DATA}{{fill:#e3e6ea}}"
    ".b0{fill:#32a1ab}.b1{fill:#32889f}.b2{fill:#307191}"
    ".b3{fill:#2c5c83}.b4{fill:#254870}.b5{fill:#1d3557}"
    "rect{stroke:#5c6773;stroke-width:.5}"
    "text{font:12px system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;fill:#1b1b1b}"
)
_POINT_RADIUS = 2.2

# The legend sits bottom left, in the empty South Pacific between the islands (which
# end about 100 units above the bottom) and Chile: at most 7 rows, bottom up.
_LEGEND_MAX = 7
_LEGEND_X = 10
_LEGEND_ROW = 14
_LEGEND_BOTTOM = int(VIEWBOX.split()[3]) - 4

_CODE = re.compile(r"^[A-Z]{2}$")


def _check_class(value):
    if value not in _CLASSES:
        raise ValueError(f"unknown class {value!r}: use one of {sorted(_CLASSES)}")
    return value


def render(fills, *, title, description, legend, labels=None):
    """The map as a standalone SVG document (a string) that scales to its container's width.

    fills: alpha-2 code → bucket class ("b0" … "b5"); countries not in it are "nd".
    Codes the map does not draw (Antarctica, AQ) are left out: compare with COUNTRIES
    to mention them beside the map. title and description become the SVG's <title> and
    <desc>, which name it for screen readers (role="img", aria-labelledby). legend: up
    to 7 (class, text) pairs, drawn as swatches. labels: alpha-2 code → text shown when
    the pointer rests on that country (a <title> inside its element).
    """
    labels = labels or {}
    for code in (*fills, *labels):
        if not _CODE.match(code):
            raise ValueError(f"not an ISO 3166-1 alpha-2 code: {code!r}")
    for value in fills.values():
        _check_class(value)
    if len(legend) > _LEGEND_MAX:
        raise ValueError(f"the legend has room for {_LEGEND_MAX} rows, not {len(legend)}")

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{VIEWBOX}" role="img"'
        ' aria-labelledby="t d">',
        f'<title id="t">{escape(title)}</title>',
        f'<desc id="d">{escape(description)}</desc>',
        f"<style>{_STYLE}</style>",
    ]

    def element(code, tag, attributes="", children=""):
        """<tag class=bucket data-c=code …>, with the label as a <title> child if any."""
        if code in labels:
            children += f"<title>{escape(labels[code])}</title>"
        head = f"<{tag} class={quoteattr(fills.get(code, NO_DATA))} data-c={quoteattr(code)}"
        return f"{head}{attributes}>{children}</{tag}>" if children else f"{head}{attributes}/>"

    def circle(code):
        x, y = _POINTS[code]
        return f' cx="{x}" cy="{y}" r="{_POINT_RADIUS}"'

    # Shapes first, then points on top of every shape: a point may sit inside a larger
    # neighbour (Vatican City in Italy). A small country that also has a shape draws
    # both in one group, so that it leaves no hole between its neighbours (Luxembourg).
    for code in sorted(_SHAPES.keys() - _POINTS.keys()):
        out.append(element(code, "path", f' d="{_SHAPES[code]}"'))
    for code in sorted(_POINTS):
        if code in _SHAPES:
            both = f'<path d="{_SHAPES[code]}"/><circle{circle(code)}/>'
            out.append(element(code, "g", children=both))
        else:
            out.append(element(code, "circle", circle(code)))

    top = _LEGEND_BOTTOM - _LEGEND_ROW * len(legend)
    out.append('<g class="legend">')
    for row, (css, text) in enumerate(legend):
        y = top + row * _LEGEND_ROW
        out.append(
            f"<rect class={quoteattr(_check_class(css))}"
            f' x="{_LEGEND_X}" y="{y + 2}" width="16" height="10"/>'
            f'<text x="{_LEGEND_X + 22}" y="{y + 11}">{escape(text)}</text>'
        )
    out.append("</g></svg>")
    return "\n".join(out)
