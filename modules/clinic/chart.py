"""A horizontal bar chart as SVG drawn by the app (no JavaScript, no CDN, no inline styles: colours
are SVG presentation attributes, which the Content-Security-Policy allows).

Drawn for a phone first: the viewBox is about as wide as a 360 px screen's page, so the text keeps
its size there (a wide viewBox scaled down to a phone made 12 px labels 6 px); each label takes its
own line above its bar (a long one wrapped: the clinic, then the poli, between words), and the stylesheet
bounds the chart's width on wide screens (``.chart``)."""
from __future__ import annotations

from markupsafe import Markup, escape

from core.kit import local_number

WIDTH, FONT, BAR, GAP = 320, 14, 16, 10
LINE = FONT + 4
LONG = 34  # characters of a label line (about 250 of the 320 units at 14): longer ones are wrapped


def _lines(label: str) -> list[str]:
    """The label in lines of at most ``LONG`` characters: split at " · " (clinic, then poli) and,
    where a part is still too long, between words."""
    if len(label) <= LONG:
        return [label]
    lines = []
    for part in label.split(" · "):
        line = ""
        for word in part.split():
            if line and len(line) + 1 + len(word) > LONG:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        lines.append(line)
    return lines


def bar_chart(title: str, rows: list[tuple[str, float]], unit: str = "") -> Markup:
    """One bar per ``(label, value)``, scaled to the largest value, the value written beside it."""
    top = max([v for _, v in rows] or [0]) or 1
    parts, y = [], 4
    for label, value in rows:
        for line in _lines(label):
            y += LINE
            parts.append(f'<text x="0" y="{y - 4}" font-size="{FONT}" fill="#222">{escape(line)}</text>')
        width = max((WIDTH - 64) * value / top, 1 if value else 0)
        parts.append(f'<rect x="0" y="{y + 2}" width="{width:.1f}" height="{BAR}" fill="#1a5c3a"/>')
        parts.append(f'<text x="{width + 6:.1f}" y="{y + BAR - 1}" font-size="{FONT}" fill="#222">'
                     f'{escape(local_number(value) + unit)}</text>')
        y += BAR + GAP
    height = max(y, 20)
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
            f'aria-labelledby="chart-title"><title id="chart-title">{escape(title)}</title>')
    return Markup(head + "".join(parts) + "</svg>")
