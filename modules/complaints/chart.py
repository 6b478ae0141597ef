"""A grouped bar chart as inline SVG, drawn by the app (no JavaScript, no CDN, no inline styles:
colours are SVG presentation attributes, which the Content-Security-Policy allows).

Sized to be read on a 360 px phone (issue 20.6): the drawing is 480 units wide and the page shows
it at most 32rem wide (``complaints.css``), so a 14-unit label is about 10 px on a phone and 15 px
on a desktop; months are named in the page's language ("Jul", with the year under the first month
and under each January), never "26-07".
"""
from __future__ import annotations

from markupsafe import Markup, escape

from core.kit import month_axis, month_name  # noqa: F401  (the core's month labels, this chart's axis)

WIDTH, HEIGHT = 480, 250
LEFT, RIGHT, TOP, BOTTOM = 36, 6, 14, 62
COLOURS = ("#0b5394", "#6aa84f")


def _nice_max(value: int) -> int:
    """The top of the scale: four equal steps of 1, 2 or 5 times a power of ten."""
    step = 1
    while step * 4 < value:
        for factor in (2, 5 / 2, 2):  # 1 -> 2 -> 5 -> 10 -> 20 ...
            step = int(step * factor)
            if step * 4 >= value:
                break
    return step * 4


def bar_chart(title: str, labels: list[str], series: list[tuple[str, list[int]]],
              axis: list[tuple[str, str]] | None = None) -> Markup:
    """``series`` is [(name, values)]: each label gets one bar per series, with a legend. ``labels``
    name the groups in full (the bars' tooltips); ``axis`` gives what is written under each group,
    (line, second line), when shorter than the label (``month_axis``)."""
    axis = axis or [(label, "") for label in labels]
    top = _nice_max(max([v for _, values in series for v in values] or [0]))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group_w = plot_w / max(len(labels), 1)
    bar_w = max(group_w * 0.8 / max(len(series), 1), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="chart-title"><title id="chart-title">{escape(title)}</title>'
    ]
    for i in range(5):  # grid lines with their values
        value = top * i // 4
        y = TOP + plot_h - plot_h * i / 4
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d0d7de"/>')
        parts.append(f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="12" '
                     f'fill="#555">{value}</text>')
    for gi, label in enumerate(labels):
        x0 = LEFT + gi * group_w + group_w * 0.1
        for si, (name, values) in enumerate(series):
            value = values[gi]
            h = plot_h * value / top if top else 0
            x, y = x0 + si * bar_w, TOP + plot_h - h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{COLOURS[si % 2]}">'
                f"<title>{escape(label)}: {escape(name)} {value}</title></rect>"
            )
        line, second = axis[gi]
        centre = x0 + group_w * 0.4
        parts.append(f'<text x="{centre:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" font-size="14" '
                     f'fill="#333">{escape(line)}</text>')
        if second:
            parts.append(f'<text x="{centre:.1f}" y="{HEIGHT - BOTTOM + 31}" text-anchor="middle" font-size="12" '
                         f'fill="#555">{escape(second)}</text>')
    for si, (name, _) in enumerate(series):  # legend
        x = LEFT + si * (WIDTH - LEFT) / 2
        parts.append(f'<rect x="{x:.1f}" y="{HEIGHT - 17}" width="13" height="13" fill="{COLOURS[si % 2]}"/>')
        parts.append(f'<text x="{x + 18:.1f}" y="{HEIGHT - 6}" font-size="14" fill="#1b1b1b">{escape(name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
