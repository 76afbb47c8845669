"""Charts drawn on the server as small standalone SVG documents: no library, no
JavaScript. Each has an accessible name and a description, and the page shows the same
figures in a table beside it (a chart is never the only way to read a figure).

Two shapes are enough for the insights pages: horizontal bars (skill levels, money by
programme, people per region) and a line (members over time)."""

from xml.sax.saxutils import escape, quoteattr

WIDTH = 640
BAR = 22
GAP = 8
LABEL_MIN, LABEL_MAX = 80, 310  # room for the labels left of the bars

STYLE = (
    "<style>text{font:13px system-ui,sans-serif;fill:#1f2328}"
    ".bar{fill:#1d3557}.muted{fill:#8c959f}.axis{stroke:#8c959f;stroke-width:1}"
    ".line{fill:none;stroke:#1d3557;stroke-width:2.5}.grid{stroke:#d0d7de;stroke-width:1}"
    "</style>"
)


def _open(width, height, title, description):
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="t d"><title id="t">{escape(title)}</title>'
        f'<desc id="d">{escape(description)}</desc>{STYLE}'
    )


def bars(rows, *, title, description):
    """rows: [(label, value or None, text)]: a bar of `value` (None: no bar, only the
    text, e.g. "fewer than 10"), labelled `label`, with `text` after it."""
    top = max((value for _label, value, _text in rows if value), default=0) or 1
    height = max(len(rows), 1) * (BAR + GAP) + GAP
    # Room for the longest label (about 7.5 units a character at 13 px), within limits.
    label = min(LABEL_MAX, max(LABEL_MIN, round(7.5 * max((len(r[0]) for r in rows), default=0))))
    room = WIDTH - label - 110
    parts = [_open(WIDTH, height, title, description)]
    for index, (name, value, text) in enumerate(rows):
        y = GAP + index * (BAR + GAP)
        middle = y + BAR / 2 + 4.5
        parts.append(
            f'<text x="{label - 8}" y="{middle:.1f}" text-anchor="end">{escape(name[:40])}</text>'
        )
        length = round(room * value / top) if value else 0
        if length:
            parts.append(f'<rect class="bar" x="{label}" y="{y}" width="{length}" height="{BAR}"/>')
        css = "" if value else ' class="muted"'
        parts.append(f'<text x="{label + length + 6}" y="{middle:.1f}"{css}>{escape(text)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def line(points, *, title, description, labels):
    """points: [value or None] in order (None: not shown, a gap in the line); `labels`
    the x-axis texts (every few are drawn)."""
    height, left, bottom, right, top_pad = 280, 64, 36, 16, 14
    values = [value for value in points if value is not None]
    high = _nice(max(values, default=0))
    plot_w, plot_h = WIDTH - left - right, height - bottom - top_pad
    parts = [_open(WIDTH, height, title, description)]
    for step in range(5):
        value = high * step / 4
        y = top_pad + plot_h - plot_h * step / 4
        parts.append(
            f'<line class="grid" x1="{left}" x2="{WIDTH - right}" y1="{y:.1f}" y2="{y:.1f}"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{_short(value)}</text>'
        )
    count = max(len(points) - 1, 1)
    coords = []
    for index, value in enumerate(points):
        x = left + plot_w * index / count
        if value is None:
            coords.append(None)
            continue
        coords.append((x, top_pad + plot_h - (plot_h * value / high if high else 0)))
    path, pen_down = [], False
    for point in coords:
        if point is None:
            pen_down = False
            continue
        path.append(f"{'L' if pen_down else 'M'}{point[0]:.1f} {point[1]:.1f}")
        pen_down = True
    if path:
        parts.append(f'<path class="line" d={quoteattr("".join(path))}/>')
    # About six labels, evenly spaced from the first: the last month is in the table.
    every = max(1, -(-len(labels) // 6))
    for index, label in enumerate(labels):
        if index % every:
            continue
        x = left + plot_w * index / count
        parts.append(
            f'<text x="{x:.1f}" y="{height - 12}" text-anchor="middle">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _nice(value):
    """A round top for the axis at or above `value`."""
    if value <= 0:
        return 10
    step = 1
    while step * 10 < value:
        step *= 10
    for factor in (1, 2, 2.5, 5, 10):
        if step * factor >= value:
            return step * factor
    return step * 10


def _short(value):
    if value >= 1_000_000:
        return f"{value / 1_000_000:g}M"
    if value >= 1000:
        return f"{value / 1000:g}k"
    return f"{value:g}"
