"""matplotlib conventions shared by every chart of wifund (issue #14 item 3).

* The global backend is never changed: charts for files (the HTML report) are drawn on a
  :class:`matplotlib.figure.Figure` created directly (the object-oriented API, no pyplot state), and
  charts for the user go to pyplot only when the user passes no ``ax=``, in whatever backend is active.
* Plotting methods accept ``ax=`` as one Axes or a sequence of Axes and return the Axes they drew on.
* Chinese text is drawn with a CJK font when one is installed (WenQuanYi, Noto/Source Han, SimHei, …);
  without one, labels fall back to their English text, so no glyph is ever missing. The font is set on
  each text element (not through the global rcParams), so it also holds when a notebook draws the
  figure later, outside any context.

matplotlib is imported only when a chart is drawn, never at ``import wifund``.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from ._checks import InputTypeError, show

# Families tried in order; the first installed one is used for Chinese text.
CJK_FAMILIES = (
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
    "AR PL UMing CN",
)


@functools.cache
def cjk_family() -> str | None:
    """The name of an installed font family with Chinese glyphs, or None."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    for name in CJK_FAMILIES:
        if name in installed:
            return name
    return None


def warm() -> None:
    """Imports what drawing a chart for a file needs and finds the CJK font (the chart process of
    `wifund run` does this while the projection runs)."""
    import matplotlib.backends.backend_agg  # noqa: F401  (savefig's canvas)
    import matplotlib.figure  # noqa: F401

    cjk_family()


def families() -> list[str]:
    """Font families for wifund's text: the CJK family (if any) first, then matplotlib's sans-serif."""
    fam = cjk_family()
    return [fam, "sans-serif"] if fam else ["sans-serif"]


def label(zh: str, en: str) -> str:
    """A bilingual label ("中文 English") when a CJK font is installed, else the English text."""
    return f"{zh} {en}" if cjk_family() else en


def text_kw() -> dict[str, Any]:
    """Keyword arguments for set_title / set_ylabel / text: the font families."""
    return {"fontfamily": families()}


def legend_kw(size: float = 8) -> dict[str, Any]:
    """Keyword arguments for Axes.legend: the font families and size."""
    return {"prop": {"family": families(), "size": size}}


#: Fixed margins of a file's figure, in inches: room for a title, tick labels and an axis label (a
#: twin axis's labels need ``right`` / ``gap`` of about 0.85 / 1.6).
MARGINS = {"left": 0.85, "right": 0.25, "bottom": 0.5, "top": 0.4, "gap": 0.9, "vgap": 0.7}


def file_figure(
    figsize: tuple[float, float], nrows: int = 1, ncols: int = 1, **margins: float
) -> tuple[Any, list[Any]]:
    """A Figure for a file (no pyplot, the backend untouched) and its Axes as a flat list.

    The panels are placed with fixed margins in inches (:data:`MARGINS`, overridden by ``margins``)
    rather than by ``tight_layout``, which draws the whole figure once more to measure it (as long as
    the drawing itself: half the cost of a chart)."""
    from matplotlib.figure import Figure

    m = {**MARGINS, **margins}
    w, h = figsize
    fig = Figure(figsize=figsize)
    axes = fig.subplots(nrows, ncols, squeeze=False)
    aw = (w - m["left"] - m["right"] - (ncols - 1) * m["gap"]) / ncols
    ah = (h - m["bottom"] - m["top"] - (nrows - 1) * m["vgap"]) / nrows
    fig.subplots_adjust(
        left=m["left"] / w,
        right=1 - m["right"] / w,
        bottom=m["bottom"] / h,
        top=1 - m["top"] / h,
        wspace=m["gap"] / aw,
        hspace=m["vgap"] / ah,
    )
    return fig, [a for row in axes for a in row]


def user_axes(who: str, ax: Any, n: int, figsize: tuple[float, float]) -> list[Any]:
    """The Axes to draw ``n`` panels on: new pyplot Axes (current backend) when ``ax`` is None,
    else ``ax`` (one Axes, or a sequence of one to ``n``) — a clear error for anything else."""
    from matplotlib.axes import Axes

    if ax is None:
        import matplotlib.pyplot as plt

        _, axes = plt.subplots(1, n, figsize=figsize, squeeze=False)
        return list(axes[0])
    if isinstance(ax, Axes):
        return [ax]
    if isinstance(ax, Sequence) or hasattr(ax, "flat"):
        got = list(ax.flat) if hasattr(ax, "flat") else list(ax)
        bad = [a for a in got if not isinstance(a, Axes)]
        if not got or len(got) > n or bad:
            raise InputTypeError(
                f"{who}: ax = {show(ax)}: must be one matplotlib Axes or a sequence of 1 to {n} Axes"
                + (f" (got a {type(bad[0]).__name__})" if bad else f" (got {len(got)})")
            )
        return got
    raise InputTypeError(
        f"{who}: ax = {show(ax)}: must be a matplotlib Axes or a sequence of Axes, not {type(ax).__name__}"
    )
