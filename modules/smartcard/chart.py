"""A grouped bar chart as inline SVG drawn by the app: no JavaScript, no CDN, no inline styles
(colours are SVG presentation attributes, which the Content-Security-Policy allows).

Sized to be read on a 360 px phone: the drawing is ``WIDTH`` (480) units wide and the page shows
it at most 32rem wide (``smartcard.css``), so a ``FONT`` (18) unit label is about 12 px on a phone
(about 330 px for the drawing) and 19 px on a desktop. Months are named in the reader's language
("Des" / "Dec", the year under the first month and under each January), the scale in short
numbers ("200 rb" / "200K"), the legend two names a row.
"""
from __future__ import annotations

from babel.numbers import format_compact_decimal
from flask_babel import get_locale
from markupsafe import Markup, escape

from core.kit import month_axis, month_name  # noqa: F401  (the core's month labels; views import them from here)

WIDTH, LEFT, RIGHT, TOP, AXIS, LEGEND_ROW, FONT = 480, 64, 6, 14, 48, 26, 18
PLOT_H = 200
COLOURS = ("#0b5394", "#6aa84f", "#e69138", "#a61c00", "#674ea7", "#3d85c6", "#b45f06", "#999999")


def short_amount(amount: int) -> str:
    """Rupiah as a short number in the current language for the scale: "1,5 jt" / "1.5M"."""
    return format_compact_decimal(amount, locale=get_locale() or "id", fraction_digits=1)


def _top(value: int) -> int:
    """The top of the scale: four equal steps of 1, 2 or 5 times a power of ten."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            if magnitude * factor * 4 >= value:
                return magnitude * factor * 4
        magnitude *= 10


def _text(x, y, text, anchor="middle", fill="#333") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{FONT}" fill="{fill}">'
            f'{escape(text)}</text>')


def bar_chart(title: str, months: list[str], series: list[tuple[str, list[int]]], fmt=str) -> Markup:
    """Bars of ``series`` [(name, rupiah per month)] per "YYYY-MM" month of ``months``, a scale
    (short numbers) and a legend; ``fmt`` writes an amount in full for each bar's tooltip."""
    top = _top(max([v for _, vs in series for v in vs] or [0]))
    plot_w = WIDTH - LEFT - RIGHT
    legend_top = TOP + PLOT_H + AXIS
    height = legend_top + LEGEND_ROW * ((len(series) + 1) // 2)
    group = plot_w / max(len(months), 1)
    bar = max(group * 0.8 / max(len(series), 1), 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
             f'aria-labelledby="sc-chart-title"><title id="sc-chart-title">{escape(title)}</title>']
    for i in range(5):
        y = TOP + PLOT_H - PLOT_H * i / 4
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d0d7de"/>'
                     + _text(LEFT - 4, y + 5, short_amount(top * i // 4), anchor="end"))
    for gi, ((short, year), month) in enumerate(zip(month_axis(months), months)):
        x0 = LEFT + gi * group + group * 0.1
        for si, (name, values) in enumerate(series):
            h = PLOT_H * max(values[gi], 0) / top
            parts.append(f'<rect x="{x0 + si * bar:.1f}" y="{TOP + PLOT_H - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                         f'fill="{COLOURS[si % len(COLOURS)]}"><title>{escape(month_name(month))}: {escape(name)} '
                         f'{escape(fmt(values[gi]))}</title></rect>')
        parts.append(_text(x0 + group * 0.4, TOP + PLOT_H + 20, short))
        if year:
            parts.append(_text(x0 + group * 0.4, TOP + PLOT_H + 40, year))
    for si, (name, _) in enumerate(series):
        x = 4 + (si % 2) * (WIDTH // 2)
        y = legend_top + (si // 2) * LEGEND_ROW
        parts.append(f'<rect x="{x}" y="{y}" width="16" height="16" fill="{COLOURS[si % len(COLOURS)]}"/>'
                     + _text(x + 22, y + 14, name, anchor="start", fill="#1b1b1b"))
    parts.append("</svg>")
    return Markup("".join(parts))
