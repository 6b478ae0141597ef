"""A horizontal bar chart as SVG drawn by the app (no JavaScript, no CDN, no inline styles: colours
are SVG presentation attributes, which the Content-Security-Policy allows)."""
from __future__ import annotations

from markupsafe import Markup, escape

from core.kit import local_number

WIDTH, ROW, LABEL_W = 640, 26, 220


def bar_chart(title: str, rows: list[tuple[str, float]], unit: str = "") -> Markup:
    """One bar per ``(label, value)``, scaled to the largest value, the value written beside it."""
    top = max([v for _, v in rows] or [0]) or 1
    height = ROW * max(len(rows), 1) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
             f'aria-labelledby="chart-title"><title id="chart-title">{escape(title)}</title>']
    for i, (label, value) in enumerate(rows):
        y = 5 + i * ROW
        width = (WIDTH - LABEL_W - 70) * value / top
        parts.append(f'<text x="{LABEL_W - 6}" y="{y + 17}" text-anchor="end" font-size="12" fill="#222">'
                     f'{escape(label)}</text>')
        parts.append(f'<rect x="{LABEL_W}" y="{y + 4}" width="{width:.1f}" height="{ROW - 8}" fill="#1a5c3a"/>')
        parts.append(f'<text x="{LABEL_W + width + 4:.1f}" y="{y + 17}" font-size="12" fill="#222">'
                     f'{escape(local_number(value) + unit)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
