"""Output of ``wifund simulate`` (issue #12 item 5): quantiles, the risk table, the exhaustion-year
distribution and an HTML report with fan charts and depletion probabilities, written atomically into one
output folder by :mod:`wifund._io` (the rules of ``wifund run``). Charts and tables reuse the helpers of
:mod:`wifund.report`."""

from __future__ import annotations

import html
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from . import _plot
from ._io import Writer, write_outputs
from .report import _GENERATOR_PREFIX, _csv_writer, _money_table, _png, _version, self_check_script
from .simulate import Simulation, draw_fan

__all__ = ["SIM_FILES", "quantile_table", "render_html", "write_simulation"]

#: Every file of a ``wifund simulate`` output folder (besides the manifest).
SIM_FILES = ("quantiles.csv", "risk.csv", "exhaustion.csv", "report.html")
#: The arrays whose quantiles are written.
QUANTILE_COLUMNS = ("closing", "months_of_payment", "revenue", "expenditure", "contributions", "deficit")
_Q = (0.05, 0.25, 0.5, 0.75, 0.95)


def quantile_table(sim: Simulation) -> pd.DataFrame:
    """Long table: variable, year and the 5/25/50/75/95 % quantiles."""
    parts = []
    for col in QUANTILE_COLUMNS:
        q = sim.quantiles(col, _Q)
        q.columns = [f"q{int(round(100 * v)):02d}" for v in _Q]
        parts.append(q.reset_index().assign(variable=col))
    out = pd.concat(parts, ignore_index=True)
    return out[["variable", "year", *[c for c in out.columns if c.startswith("q")]]]


def render_html(sim: Simulation, title: str, months: float = 6.0) -> str:
    """The report as one self-contained HTML string (charts as PNG data URIs)."""
    e = html.escape
    fig, axes = _plot.file_figure((13, 4.2), 1, 2)
    draw_fan(sim, "closing", axes[0])
    draw_fan(sim, "months_of_payment", axes[1])
    fig.tight_layout()
    fans = _png(fig)
    dist = sim.exhaustion_distribution()
    fig2, (ax2,) = _plot.file_figure((13, 3.4))
    ax2.plot(dist.index, 100 * dist["cumulative"], label=_plot.label("基金穷尽累计概率", "P(exhausted by year)"))
    ax2.plot(
        dist.index,
        100 * sim.risk_table(months)["prob_months_below"],
        label=_plot.label(f"可支付月数<{months:g}", f"P(months of payment < {months:g})"),
    )
    ax2.set_ylabel("%")
    ax2.set_title(_plot.label("基金风险概率", "Depletion probabilities"), **_plot.text_kw())
    ax2.legend(**_plot.legend_kw())
    fig2.tight_layout()
    probs = _png(fig2)
    risk = sim.risk_table(months)
    money = [c for c in risk.columns if "deficit" in c or c == "closing_median"]
    risk_tbl = _money_table(
        risk.assign(months_median=risk["months_median"].round(1)), money, ["prob_months_below", "prob_exhausted_by"]
    )
    t = len(sim.years)
    on = ", ".join(s for s in ("economy", "claims", "severity", "catastrophes") if getattr(sim.sources, s)) or "none"
    return f"""<!DOCTYPE html>
<html lang="zh-Hans"><head><meta charset="utf-8">
{_GENERATOR_PREFIX}{e(_version())}">
<title>wifund simulation — {e(title)}</title>
<style>
body {{ font-family: system-ui, "WenQuanYi Micro Hei", sans-serif; margin: 2em auto; max-width: 1200px; }}
table.t {{ border-collapse: collapse; font-size: 12px; }}
table.t td, table.t th {{ padding: 2px 8px; text-align: right; border-bottom: 1px solid #eee; }}
img.chart {{ width: 100%; }}
</style></head><body>
<h1>工伤保险基金风险预测 Monte Carlo of the fund — {e(title)}</h1>
<p>{sim.scenarios} scenarios × {t} years ({sim.years[0]}–{sim.years[-1]}), seed {sim.seed}; sources of randomness:
{e(on)}. Each scenario runs the projection's own year step (phased cut, rate review, fiscal advance).</p>
<p id="depletion"><b>P(fund exhausted within {t} years) = {100 * sim.prob_exhausted():.2f}%</b>;
P(months of payment &lt; {months:g} within {t} years) = {100 * sim.prob_months_below(months):.2f}%.</p>
<h2>Fan charts (5–95 %, 25–75 %, median)</h2>
<img class="chart" alt="fan charts" src="data:image/png;base64,{fans}">
<h2>Depletion probabilities</h2>
<img class="chart" alt="depletion probabilities" src="data:image/png;base64,{probs}">
<h2>Risk table (money in 亿元; VaR / TVaR at 95 % of the deficit = expenditure − own revenue)</h2>
{risk_tbl}
{self_check_script("wifund simulation report")}
</body></html>
"""


def _files(sim: Simulation, title: str) -> dict[str, Writer]:
    return {
        "quantiles.csv": _csv_writer(quantile_table(sim)),
        "risk.csv": _csv_writer(sim.risk_table()),
        "exhaustion.csv": _csv_writer(sim.exhaustion_distribution()),
        "report.html": lambda fh: fh.write(render_html(sim, title).encode("utf-8")),
    }


def write_simulation(
    sim: Simulation,
    out: str | Path,
    *,
    title: str = "",
    force: bool = False,
    command: str = "wifund.sim_report.write_simulation",
    inputs: Iterable[str | Path] = (),
    input_dirs: Iterable[str | Path] = (),
    input_files: Iterable[str | Path] = (),
) -> Path:
    """Writes :data:`SIM_FILES` into ``out`` with a manifest (atomically; an earlier wifund output is
    refreshed, a folder holding other files refused unless ``force``)."""
    return write_outputs(
        out,
        _files(sim, title),
        command=command,
        inputs=inputs,
        input_dirs=input_dirs,
        input_files=input_files,
        force=force,
    )
