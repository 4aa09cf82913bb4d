"""Charts as inline SVG, drawn on the server: no JavaScript, no CDN, readable on
a phone (the SVG scales to the page width) and by a screen reader (a <title>
and a table beside each chart in the template).

Only presentation attributes are used (no style attributes), so the portal's
Content-Security-Policy can forbid inline styles.
"""

from __future__ import annotations

import math
from typing import Callable, Sequence, Tuple

from markupsafe import Markup, escape

BAR = "#0b6e4f"
BAR_ALT = "#c0392b"
GRID = "#d9d9d9"
TEXT = "#333333"
FONT = 'font-family="Noto Sans Devanagari, Noto Sans, sans-serif"'


def _nice_max(value: float, ticks: int = 4) -> float:
    """The axis top: `ticks` equal steps of 1, 2 or 5 times a power of ten, so
    that counts get whole-number gridlines (0, 2, 4, 6, 8 for a top of 7)."""
    if value <= 0:
        return ticks
    raw = value / ticks
    exponent = 10 ** math.floor(math.log10(raw))
    for step in (1, 2, 5, 10):
        if raw <= step * exponent:
            return max(step * exponent, 1) * ticks
    return 10 * exponent * ticks


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() or value >= 100 else f"{value:,.1f}"


def column_chart(
    points: Sequence[Tuple[str, float]],
    title: str,
    width: int = 480,
    height: int = 240,
    highlight: Callable[[str, float], bool] = lambda label, value: False,
) -> Markup:
    """Vertical bars, one per point (e.g. messages per day)."""
    left, right, top, bottom = 40, 8, 12, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = _nice_max(max((v for _, v in points), default=0))
    n = max(len(points), 1)
    slot = plot_w / n
    bar_w = max(slot * 0.7, 1)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg" {FONT} font-size="13">',
        f"<title>{escape(title)}</title>",
    ]
    for i in range(5):
        value = top_value * i / 4
        y = top + plot_h - plot_h * i / 4
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" fill="{TEXT}">{_fmt(value)}</text>')
    label_every = max(1, math.ceil(n / 6))
    for i, (label, value) in enumerate(points):
        h = plot_h * value / top_value
        x = left + i * slot + (slot - bar_w) / 2
        colour = BAR_ALT if highlight(label, value) else BAR
        parts.append(
            f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{colour}">'
            f"<title>{escape(label)}: {_fmt(value)}</title></rect>"
        )
        if i % label_every == 0:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle" fill="{TEXT}">'
                f"{escape(label)}</text>"
            )
    if not points:
        parts.append(f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" fill="{TEXT}">—</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def bar_chart(
    items: Sequence[Tuple[str, float]],
    title: str,
    width: int = 480,
    row_height: int = 30,
    value_suffix: str = "",
) -> Markup:
    """Horizontal bars with their labels (top intents, services, statuses)."""
    label_w, value_w, pad = 150, 56, 6
    height = max(len(items), 1) * row_height + 2 * pad
    plot_w = width - label_w - value_w
    top_value = max((v for _, v in items), default=0) or 1
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg" {FONT} font-size="14">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(items):
        y = pad + i * row_height
        w = plot_w * value / top_value
        shown = label if len(label) <= 20 else label[:19] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + row_height * 0.65:.1f}" text-anchor="end" fill="{TEXT}">'
            f"{escape(shown)}</text>"
        )
        parts.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{max(w, 1):.1f}" height="{row_height - 8}" fill="{BAR}">'
            f"<title>{escape(label)}: {_fmt(value)}{escape(value_suffix)}</title></rect>"
        )
        parts.append(
            f'<text x="{label_w + w + 4:.1f}" y="{y + row_height * 0.65:.1f}" fill="{TEXT}">'
            f"{_fmt(value)}{escape(value_suffix)}</text>"
        )
    if not items:
        parts.append(f'<text x="{width / 2}" y="{height / 2 + 4}" text-anchor="middle" fill="{TEXT}">—</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def share_bar(share: float, title: str, width: int = 480, height: int = 30) -> Markup:
    """One bar filled to `share` (0..1), e.g. applications decided in time."""
    share = min(max(share, 0.0), 1.0)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg" {FONT} font-size="13">',
        f"<title>{escape(title)}</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="{GRID}"/>',
        f'<rect x="0" y="0" width="{width * share:.1f}" height="{height}" fill="{BAR}"/>',
        f'<text x="{width / 2}" y="{height / 2 + 5}" text-anchor="middle" fill="#000000">{share * 100:.0f}%</text>',
        "</svg>",
    ]
    return Markup("".join(parts))
