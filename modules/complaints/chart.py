"""A grouped bar chart as inline SVG, drawn by the app (no JavaScript, no CDN, no inline styles:
colours are SVG presentation attributes, which the Content-Security-Policy allows)."""
from __future__ import annotations

from markupsafe import Markup, escape

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 20, 40
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


def bar_chart(title: str, labels: list[str], series: list[tuple[str, list[int]]]) -> Markup:
    """``series`` is [(name, values)]: each label gets one bar per series, with a legend."""
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
        parts.append(f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
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
        parts.append(
            f'<text x="{x0 + group_w * 0.4:.1f}" y="{HEIGHT - BOTTOM + 14}" text-anchor="middle" '
            f'font-size="10" fill="#555">{escape(label[2:])}</text>'
        )
    for si, (name, _) in enumerate(series):  # legend
        x = LEFT + si * 160
        parts.append(f'<rect x="{x}" y="{HEIGHT - 16}" width="12" height="12" fill="{COLOURS[si % 2]}"/>')
        parts.append(f'<text x="{x + 16}" y="{HEIGHT - 6}" font-size="12" fill="#1b1b1b">{escape(name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
