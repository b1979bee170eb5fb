"""The overview as one PNG (the bot's /stats). matplotlib (3.11+) lays text out with libraqm, so
Persian letters are joined and right-to-left runs ordered by it (a reshaper + bidi pass on top
would reverse them again); the font is Noto Sans Arabic from the fontpkg-noto-sans-arabic package
(OFL-1.1), never fetched at run time. Latin text falls back to matplotlib's own DejaVu Sans.

The caller passes every word already translated: services do not know the locale's catalog."""

from __future__ import annotations

import functools
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import matplotlib.ticker

matplotlib.use("Agg")  # no display here; must precede pyplot

from matplotlib import font_manager
from matplotlib import pyplot as plt

from services.text import localize_digits

# Colour-blind-safe (Okabe-Ito), with enough contrast on white.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
FONT_FAMILY = "Noto Sans Arabic"


@functools.cache
def persian_font() -> Path:
    import fontpkg_noto_sans_arabic

    files = Path(fontpkg_noto_sans_arabic.__file__).parent / "files"
    font = next(iter(sorted(files.glob("*.ttf"))))
    font_manager.fontManager.addfont(str(font))
    return font


@dataclass(frozen=True, slots=True)
class Panel:
    title: str
    labels: Sequence[str]
    values: Sequence[float]


def overview_png(title: str, panels: Sequence[Panel], summary: Mapping[str, str],
                 locale: str | None) -> bytes:
    """A 2x2 grid of bar charts under `title`, the `summary` lines at the foot."""
    persian_font()
    with plt.rc_context({"font.family": [FONT_FAMILY, "DejaVu Sans"], "font.size": 10}):
        figure, axes = plt.subplots(2, 2, figsize=(11, 8), dpi=100)
        for axis, panel, colour in zip(axes.flat, panels, PALETTE, strict=False):
            positions = list(range(len(panel.labels)))
            axis.barh(positions, panel.values, color=colour)
            axis.set_yticks(positions, list(panel.labels))
            axis.invert_yaxis()
            axis.set_title(panel.title)
            axis.xaxis.set_major_formatter(
                matplotlib.ticker.FuncFormatter(
                    lambda value, _pos: localize_digits(f"{value:g}", locale)
                )
            )
            for position, value in zip(positions, panel.values, strict=True):
                axis.annotate(localize_digits(f"{value:g}", locale), (value, position),
                              xytext=(3, 0), textcoords="offset points", va="center")
            axis.spines[["top", "right"]].set_visible(False)
        for axis in list(axes.flat)[len(panels):]:
            axis.set_visible(False)
        figure.suptitle(title, fontsize=14)
        lines = [f"{name}: {value}" for name, value in summary.items()]
        figure.text(0.5, 0.01, "   |   ".join(lines), ha="center", fontsize=10)
        figure.tight_layout(rect=(0, 0.04, 1, 0.96))
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        plt.close(figure)
    return buffer.getvalue()
