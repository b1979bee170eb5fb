"""Charts as inline SVG from pygal, drawn on the server: no script and no request leaves the
page. Labels stay text in the SVG, so the browser shapes Persian and orders right-to-left runs
itself (no reshaper needed); pygal's tooltip script, fetched from a CDN by default, is off."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import pygal
from markupsafe import Markup
from pygal.style import Style

# Okabe-Ito: told apart by people with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")

_STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#1f2933",
    foreground_strong="#1f2933",
    foreground_subtle="#52606d",
    colors=PALETTE,
    font_family="Vazirmatn, 'Noto Sans Arabic', Tahoma, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    value_font_size=13,
    title_font_size=16,
    legend_font_size=13,
)


def _config(chart: pygal.Graph, digits: Callable[[float], str]) -> None:
    chart.config.js = []  # pygal's default tooltip script comes from a CDN
    chart.config.disable_xml_declaration = True
    chart.config.show_legend = False
    chart.config.print_values = True
    chart.config.value_formatter = digits
    chart.config.explicit_size = False
    chart.config.margin = 10


def _isolated(text: str) -> str:
    """A right-to-left isolate: the SVG is laid out left to right (pygal's geometry), and a
    Persian label with digits («۱۳ آبان ۱۴۰۵») must still read right to left."""
    return f"\u2067{text}\u2069"


def bar_chart(
    title: str, labels: Sequence[str], values: Sequence[float],
    digits: Callable[[float], str], *, horizontal: bool = True, rtl: bool = True,
) -> Markup:
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    height = max(220, 34 * len(labels) + 90) if horizontal else 320
    chart = kind(style=_STYLE, width=640, height=height, x_label_rotation=0 if horizontal else 35)
    _config(chart, digits)
    if not horizontal and len(labels) > 10:
        # Thirty dates side by side do not fit a phone: every fifth is named (all are in the
        # table under the chart).
        chart.config.x_labels_major_every = 5
        chart.config.show_minor_x_labels = False
        chart.config.print_values = False
    word = _isolated if rtl else str
    chart.title = word(title)
    chart.x_labels = [word(label) for label in labels]
    # Counts are whole: ticks at whole steps, about five of them.
    top = max([math.ceil(v) for v in values] + [1])
    step = max(1, math.ceil(top / 5))
    chart.config.y_labels = list(range(0, top + step, step))
    chart.add(title, list(values))
    return Markup(chart.render(is_unicode=True))  # pygal's own SVG, labels escaped by it
