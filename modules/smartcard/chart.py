"""A grouped bar chart as inline SVG drawn by the app: no JavaScript, no CDN, no inline styles
(colours are SVG presentation attributes, which the Content-Security-Policy allows)."""
from __future__ import annotations

from markupsafe import Markup, escape

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 720, 280, 90, 10, 20, 60
COLOURS = ("#0b5394", "#6aa84f", "#e69138", "#a61c00", "#674ea7", "#3d85c6", "#b45f06", "#999999")


def _top(value: int) -> int:
    """The top of the scale: four equal steps of 1, 2 or 5 times a power of ten."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            if magnitude * factor * 4 >= value:
                return magnitude * factor * 4
        magnitude *= 10


def bar_chart(title: str, labels: list[str], series: list[tuple[str, list[int]]], fmt=str) -> Markup:
    """Bars of ``series`` [(name, values per label)] per label, a scale and a legend."""
    top = _top(max([v for _, vs in series for v in vs] or [0]))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group = plot_w / max(len(labels), 1)
    bar = max(group * 0.8 / max(len(series), 1), 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-labelledby="sc-chart-title"><title id="sc-chart-title">{escape(title)}</title>']
    for i in range(5):
        y = TOP + plot_h - plot_h * i / 4
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d0d7de"/>'
                     f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="#555">'
                     f'{escape(fmt(top * i // 4))}</text>')
    for gi, label in enumerate(labels):
        x0 = LEFT + gi * group + group * 0.1
        for si, (name, values) in enumerate(series):
            h = plot_h * max(values[gi], 0) / top
            parts.append(f'<rect x="{x0 + si * bar:.1f}" y="{TOP + plot_h - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                         f'fill="{COLOURS[si % len(COLOURS)]}"><title>{escape(label)}: {escape(name)} '
                         f'{escape(fmt(values[gi]))}</title></rect>')
        parts.append(f'<text x="{x0 + group * 0.4:.1f}" y="{HEIGHT - BOTTOM + 14}" text-anchor="middle" font-size="10" '
                     f'fill="#555">{escape(label)}</text>')
    for si, (name, _) in enumerate(series):
        x = LEFT + (si % 4) * 150
        y = HEIGHT - 30 + (si // 4) * 16
        parts.append(f'<rect x="{x}" y="{y}" width="12" height="12" fill="{COLOURS[si % len(COLOURS)]}"/>'
                     f'<text x="{x + 16}" y="{y + 10}" font-size="12" fill="#1b1b1b">{escape(name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
