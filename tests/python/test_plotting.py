"""matplotlib conventions (issue #14 item 3): the backend is never changed, ``ax=`` takes one Axes or a
sequence and the Axes are returned, Chinese text is drawn with an installed CJK font (no missing glyph)."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
import warnings

import matplotlib

matplotlib.use("Agg")  # the tests' own choice, before pyplot; wifund itself never calls use()

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from wifund import _plot  # noqa: E402
from wifund._checks import InputTypeError  # noqa: E402


def test_report_and_plot_leave_the_users_backend_alone(tmp_path):
    code = textwrap.dedent(
        f"""
        import matplotlib
        matplotlib.use("svg")
        import wifund
        proj = wifund.project(wifund.Province.demo(), years=5)
        proj.report({str(tmp_path / "r.html")!r})
        axes = proj.plot()
        assert matplotlib.get_backend() == "svg", matplotlib.get_backend()
        print(len(axes), type(axes[0]).__name__)
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["2", "Axes"]


def test_plot_accepts_one_axes_or_a_sequence_and_returns_them(demo_projection):
    fig, ax = plt.subplots()
    assert demo_projection.plot(ax=ax) is ax
    assert ax.get_title()  # the balance panel was drawn there
    fig2, pair = plt.subplots(1, 2)
    got = demo_projection.plot(ax=pair)
    assert list(got) == list(pair)
    assert all(a.has_data() for a in pair)
    plt.close("all")


@pytest.mark.parametrize("bad", ["axes", 3, [None], []])
def test_plot_rejects_what_is_not_axes(demo_projection, bad):
    with pytest.raises(InputTypeError, match="ax = "):
        demo_projection.plot(ax=bad)


def test_plot_rejects_too_many_axes(demo_projection):
    _, trio = plt.subplots(1, 3)
    with pytest.raises(InputTypeError, match="1 to 2 Axes"):
        demo_projection.plot(ax=trio)
    plt.close("all")


def _draw_chinese(**kw):
    fig = Figure()
    ax = fig.subplots()
    ax.set_title("基金结余与可支付月数 一次性伤残补助金", **kw)
    fig.savefig(io.BytesIO(), format="png")


def test_a_chinese_title_renders_without_missing_glyphs():
    # The test command installs fonts-wqy-microhei (scripts/setup.sh), so a CJK font must be found.
    assert _plot.cjk_family() is not None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _draw_chinese(**_plot.text_kw())
    assert _plot.label("可支付月数", "months").startswith("可支付月数")


def test_the_glyph_check_can_fail():
    # Control: the same title in a Latin-only font warns about missing glyphs, which the test above
    # would turn into an error.
    with pytest.warns(UserWarning, match="missing from"):
        _draw_chinese(fontfamily=["DejaVu Sans"])
