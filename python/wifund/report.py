"""Outputs of a projection: charts, CSV files, an Excel workbook and a self-contained HTML report.

Every writer goes through :mod:`wifund._io`: an interrupted run leaves no half-written file, and nothing
that wifund did not write is ever deleted or overwritten (rules in that module's docstring).
Money is kept unrounded in CSV and Excel (yuan); the HTML tables show 亿 yuan (10⁸) to 3 decimals —
the only place wifund rounds.
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
import io
import math
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING

import pandas as pd

from ._io import Writer, has_marker, write_file, write_outputs

if TYPE_CHECKING:  # pragma: no cover
    from .projection import Projection

YI = 1e8  # 亿

#: Rows in an Excel sheet (the header is one of them); a longer table is split across sheets.
EXCEL_MAX_ROWS = 1_048_576
#: Beyond this many sheets for one table, the table is left out of the workbook (its CSV has it all).
EXCEL_MAX_PARTS = 16
#: The tables written as ``<name>.csv`` and as workbook sheets, in order (see :func:`_tables`).
TABLE_NAMES = (
    "fund",
    "revenue_by_item",
    "expenditure_by_item",
    "indicators",
    "by_city",
    "by_class",
    "beneficiaries",
    "assumptions",
    "claims_assumptions",
    "policy",
    "assumed_parameters",
    "base_year_replay",
)
#: Every file of the main job's output folder (besides the manifest).
RUN_FILES = tuple(f"{n}.csv" for n in TABLE_NAMES) + ("projection.xlsx", "report.html")

#: Display names of expenditure items, grouped for the stacked chart.
ITEM_GROUPS = {
    "Medical, rehabilitation, devices, food, appraisal": [
        "medical",
        "rehabilitation",
        "assistive_devices",
        "hospital_food",
        "appraisal",
    ],
    "Lump sums (disability, medical subsidy)": ["disability_lump_sum", "medical_subsidy"],
    "Death (funeral, death grant)": ["funeral_grant", "death_grant"],
    "Long-term (allowance, top-up, care, dependants)": [
        "disability_allowance",
        "allowance_topup",
        "care_allowance",
        "dependant_pension",
    ],
    "Prevention": ["prevention"],
}


def _mpl():
    import matplotlib

    if matplotlib.get_backend().lower() not in ("agg", "module://matplotlib_inline.backend_inline"):
        try:
            matplotlib.use("Agg")
        except Exception:  # a backend already in use in a notebook: keep it
            pass
    import matplotlib.pyplot as plt

    return plt


def plot_projection(proj: Projection, ax=None):
    """Two panels: fund balance and reserve with months of payment; revenue vs expenditure by item."""
    plt = _mpl()
    if ax is None:
        fig, axes = plt.subplots(1, 2, figsize=(13, 4.6))
    else:
        axes = ax
        fig = axes[0].figure
    f = proj.fund
    years = f.index.to_numpy()
    a0 = axes[0]
    a0.bar(years, f["closing"] / YI, color="#4c78a8", label="closing balance")
    a0.bar(years, f["reserve"] / YI, color="#f58518", label="of which reserve")
    # Chart text stays ASCII: matplotlib's default fonts have no CJK glyphs (a missing glyph warns).
    a0.set_ylabel("100 million yuan")
    a0.set_title("Fund balance and months of payment")
    a0b = a0.twinx()
    a0b.plot(years, f["months_of_payment"], color="#e45756", marker="o", ms=3, label="months of payment")
    a0b.set_ylabel("months")
    lines, labels = a0.get_legend_handles_labels()
    l2, lab2 = a0b.get_legend_handles_labels()
    a0.legend(lines + l2, labels + lab2, loc="upper left", fontsize=8)
    a1 = axes[1]
    exp = proj.expenditure_by_item
    bottom = None
    for name, items in ITEM_GROUPS.items():
        vals = exp[items].sum(axis=1) / YI
        a1.bar(years, vals, bottom=bottom, label=name)
        bottom = vals if bottom is None else bottom + vals
    a1.plot(years, f["revenue"] / YI, color="black", lw=2, label="revenue")
    a1.set_title("Revenue against expenditure by item")
    a1.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    return fig


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    _mpl().close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _tables(proj: Projection) -> dict[str, pd.DataFrame]:
    p = proj.policy.at(_dt.date(proj.start, 7, 1))
    policy_used = p.to_frame()
    return {
        "fund": proj.fund,
        "revenue_by_item": proj.revenue_by_item,
        "expenditure_by_item": proj.expenditure_by_item,
        "indicators": proj.indicators,
        "by_city": proj.by_city,
        "by_class": proj.by_class,
        "beneficiaries": proj.beneficiaries,
        "assumptions": proj.assumptions.to_frame(proj.years),
        "claims_assumptions": proj.assumptions.claims_frame().astype({"value": str}),
        "policy": policy_used.astype({"value": str}),
        "assumed_parameters": proj.assumed.astype({"value": str}),
        "base_year_replay": (
            proj.replay
            if proj.replay is not None
            else pd.DataFrame(columns=["reported", "replayed", "ratio"], index=pd.Index([], name="item"))
        ),
    }


def _csv_writer(df: pd.DataFrame) -> Writer:
    return lambda fh: df.to_csv(fh, index=not isinstance(df.index, pd.RangeIndex))


def _csv_files(proj: Projection) -> dict[str, Writer]:
    return {f"{name}.csv": _csv_writer(df) for name, df in _tables(proj).items()}


def write_csvs(proj: Projection, folder: Path, force: bool = False) -> Path:
    """One CSV per table in ``folder``, with a manifest; refreshes an earlier wifund output there, refuses
    a folder holding other files unless ``force`` (see :mod:`wifund._io`)."""
    return write_outputs(folder, _csv_files(proj), command="wifund.Projection.to_csv", force=force)


def _excel_sheets(tables: dict[str, pd.DataFrame]) -> tuple[list[tuple[str, pd.DataFrame]], list[str]]:
    """(sheet name, frame) pairs and notes: a table longer than a sheet is split across ``name``,
    ``name (2)``, …; one needing more than :data:`EXCEL_MAX_PARTS` sheets is left out with a note."""
    sheets: list[tuple[str, pd.DataFrame]] = []
    notes: list[str] = []
    for name, df in tables.items():
        per = EXCEL_MAX_ROWS - df.columns.nlevels  # header rows take sheet rows too
        if len(df) <= per:
            sheets.append((name[:31], df))
            continue
        parts = math.ceil(len(df) / per)
        if parts > EXCEL_MAX_PARTS:
            notes.append(
                f"{name}: {len(df):,} rows would need {parts} sheets; left out of the workbook, "
                f"the whole table is in {name}.csv"
            )
            continue
        names = [name[:31] if k == 0 else f"{name[:25]} ({k + 1})" for k in range(parts)]
        sheets += [(sheet, df.iloc[k * per : (k + 1) * per]) for k, sheet in enumerate(names)]
        notes.append(
            f"{name}: {len(df):,} rows, more than one Excel sheet holds ({per:,}); split across "
            f"sheets {', '.join(names)} in order; the whole table is in {name}.csv"
        )
    return sheets, notes


def _write_excel_into(proj: Projection, fh: IO[bytes]) -> None:
    from . import __version__

    sheets, notes = _excel_sheets(_tables(proj))
    # The base-year replay's warnings (wifund.replay) come first in the notes sheet.
    notes = [f"warning: {m}" for m in proj.replay_warnings] + notes
    # Built in memory, then copied: a workbook interrupted mid-save (SIGTERM) leaves openpyxl's zip file
    # pointing at this buffer, not at the output file that the caller closes and discards.
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        for sheet, df in sheets:
            df.to_excel(xw, sheet_name=sheet, index=not isinstance(df.index, pd.RangeIndex))
        if notes:
            pd.DataFrame({"note": notes}).to_excel(xw, sheet_name="notes", index=False)
        # wifund's mark (see _is_wifund_workbook): Excel and LibreOffice rewrite lastModifiedBy on saving.
        xw.book.properties.creator = f"wifund {__version__}"
        xw.book.properties.lastModifiedBy = "wifund"
    fh.write(buf.getbuffer())


def _is_wifund_workbook(path: Path) -> bool:
    """A workbook written by wifund and not saved since by a spreadsheet program."""
    try:
        with zipfile.ZipFile(path) as z:
            core = z.read("docProps/core.xml")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return b"<dc:creator>wifund " in core and b"<cp:lastModifiedBy>wifund</cp:lastModifiedBy>" in core


def write_excel(proj: Projection, path: Path, overwrite: bool = False) -> Path:
    """The workbook at ``path``; an existing file is replaced only if wifund wrote it, or ``overwrite``."""
    return write_file(
        path, lambda fh: _write_excel_into(proj, fh), is_ours=_is_wifund_workbook, what="workbook", overwrite=overwrite
    )


def _money_table(df: pd.DataFrame, money_cols: list[str], pct_cols: list[str] = (), digits: int = 3) -> str:
    show = df.copy()
    for c in money_cols:
        show[c] = (show[c] / YI).map(lambda v: f"{v:,.{digits}f}")
    for c in pct_cols:
        show[c] = show[c].map(lambda v: f"{100 * v:.2f}%")
    return show.to_html(classes="t", border=0, escape=True)


def render_html(proj: Projection) -> str:
    """The report as one HTML string (charts embedded as PNG data URIs; no external resources)."""
    f = proj.fund
    fig = plot_projection(proj)
    chart_main = _png(fig)
    plt = _mpl()
    fig2, ax2 = plt.subplots(figsize=(13, 3.8))
    ind = proj.indicators
    ax2.plot(ind.index, 100 * ind["payg_cost_rate"], label="PAYG cost rate (% of payroll)")
    ax2.plot(ind.index, 100 * ind["effective_contribution_rate"], label="effective contribution rate (% of payroll)")
    ax2.set_title("Cost rate against contribution rate")
    ax2.legend(fontsize=8)
    fig2.tight_layout()
    chart_rates = _png(fig2)

    city = proj.city_table.reset_index()
    first, last = proj.years[0], proj.years[-1]
    city_first = city[city["year"] == first].set_index("city")[["revenue", "expenditure", "net"]]
    city_last = city[city["year"] == last].set_index("city")[["revenue", "expenditure", "net"]]
    city_tbl = pd.concat([city_first.add_suffix(f" {first}"), city_last.add_suffix(f" {last}")], axis=1)
    fund_tbl = _money_table(
        f[
            ["opening", "contributions", "project_premiums", "interest", "revenue", "expenditure", "closing", "reserve"]
        ].assign(months=f["months_of_payment"].round(1)),
        ["opening", "contributions", "project_premiums", "interest", "revenue", "expenditure", "closing", "reserve"],
    )
    exp_show = (proj.expenditure_by_item.T / 1e6).round(1)
    exp_cols = sorted({proj.years[0], proj.years[min(4, len(proj.years) - 1)], proj.years[-1]})
    exp_tbl = exp_show[exp_cols].to_html(classes="t", border=0)
    ind_tbl = pd.DataFrame(
        {
            "months of payment": ind["months_of_payment"].round(1),
            "PAYG cost rate (% of payroll)": (100 * ind["payg_cost_rate"]).round(3),
            "contribution rate (% of payroll)": (100 * ind["effective_contribution_rate"]).round(3),
            "current balance ratio": ind["current_balance_ratio"].round(3),
            "phased cut": ind["phased_cut"],
            "reserve / balance": ind["reserve_share_of_balance"].round(3),
            "revenue per insured (yuan)": ind["revenue_per_insured"].round(1),
            "expenditure per insured (yuan)": ind["expenditure_per_insured"].round(1),
            "warning": ind["warning"],
        }
    ).to_html(classes="t", border=0)
    paths = proj.assumptions.to_frame(proj.years).iloc[: min(10, len(proj.years))].round(4).astype(object)
    paths["collection_rate"] = paths["collection_rate"].where(
        paths["collection_rate"].notna(), "city base (cities.csv)"
    )
    assumptions_tbl = paths.to_html(classes="t", border=0)
    claims_tbl = proj.assumptions.claims_frame().to_html(classes="t", border=0, index=False)
    policy_tbl = (
        proj.policy.at(_dt.date(proj.start, 7, 1))
        .to_frame()[["key", "value", "effective_from", "source", "assumed", "layer"]]
        .to_html(classes="t", border=0, index=False)
    )
    assumed_tbl = proj.assumed.to_html(classes="t", border=0, index=False)
    prov = proj.province
    banner = (
        (
            "<p class='warn'>The demonstration province is illustrative: fictional cities with plausible "
            "magnitudes, not real data.</p>"
        )
        if prov.illustrative
        else ""
    )
    last_row = f.iloc[-1]
    e = html.escape
    replay_warn, replay_section = _replay_html(proj)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
{_GENERATOR_PREFIX}{e(_version())}">
<title>wifund projection — {e(prov.name)}</title>
<style>
body {{ font-family: system-ui, "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif; margin: 2em auto; max-width: 1200px; color: #222; }}
h1 {{ font-size: 1.5em; }} h2 {{ font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }}
table.t {{ border-collapse: collapse; font-size: 12px; }}
table.t td, table.t th {{ padding: 2px 8px; text-align: right; border-bottom: 1px solid #eee; }}
.warn {{ background: #fff3cd; padding: .5em 1em; border-left: 4px solid #f0ad4e; }}
img.chart {{ width: 100%; max-width: 1200px; }}
.kpi span {{ display: inline-block; margin-right: 2em; }}
</style></head><body>
<h1>Work-injury insurance fund projection — {e(prov.name)}</h1>
{banner}
{replay_warn}
<p>Policy <code>{e(proj.policy.name)}</code> (layers: {e(" → ".join(proj.policy.chain))}); base year {prov.base_year};
projection {first}–{last}; provincial pooling with unified collection and expenditure (统收统支).
Generated by wifund on {_dt.date.today().isoformat()}.</p>
<p class="kpi"><span>Closing balance {last}: <b>{last_row["closing"] / YI:,.2f} 亿 yuan</b></span>
<span>Months of payment {last}: <b>{last_row["months_of_payment"]:.1f}</b></span>
<span>PAYG cost rate {last}: <b>{100 * last_row["payg_cost_rate"]:.3f}%</b> of payroll</span></p>
<h2>Fund balance and months of payment; revenue against expenditure by item</h2>
<img class="chart" id="chart-fund" alt="fund balance, months of payment, revenue and expenditure"
 src="data:image/png;base64,{chart_main}">
<img class="chart" id="chart-rates" alt="PAYG cost rate and contribution rate" src="data:image/png;base64,{chart_rates}">
<h2>Fund (亿 yuan)</h2>
<p>opening + revenue − expenditure = closing; interest is counted in revenue; the reserve is inside the balance.</p>
{fund_tbl}
<h2>Indicators</h2>
{ind_tbl}
{replay_section}
<h2>Expenditure by item (million yuan)</h2>
{exp_tbl}
<h2>By city (亿 yuan)</h2>
<p>Provincial-level items (interest, other income, prevention fee) are shown as “(provincial level)”.</p>
{_money_table(city_tbl, list(city_tbl.columns))}
<h2>Assumptions used</h2>
<h3>Economic paths (first years)</h3>
{assumptions_tbl}
<h3>Claims basis</h3>
{claims_tbl}
<h2>Policy parameters in force on {proj.start}-07-01</h2>
{policy_tbl}
<h2>Assumed parameters used</h2>
<p>These values are not verified for the province; they are documented defaults that a user can override with
<code>policy.override({{...}})</code>.</p>
{assumed_tbl}
<script>
// Self-check used by the test suite (headless Chromium): records whether every chart image decoded
// and how many script errors occurred, as attributes on <body>.
(function () {{
  var errors = 0;
  window.addEventListener("error", function () {{ errors += 1; document.body.dataset.errors = errors; }});
  window.addEventListener("load", function () {{
    var imgs = document.querySelectorAll("img.chart"), ok = 0;
    imgs.forEach(function (im) {{ if (im.complete && im.naturalWidth > 0) ok += 1; }});
    document.body.dataset.chartsRendered = ok;
    document.body.dataset.chartsTotal = imgs.length;
    document.body.dataset.errors = errors;
    console.log("wifund report: " + ok + "/" + imgs.length + " charts rendered");
  }});
}})();
</script>
</body></html>
"""


def _replay_html(proj: Projection) -> tuple[str, str]:
    """The base-year replay's warnings (shown under the title) and its section (table of reported and
    replayed base-year figures, 亿 yuan)."""
    e = html.escape
    warn = "".join(
        f"<p class='warn' id='replay-warning-{i}'>Base-year replay: {e(m)}</p>\n"
        for i, m in enumerate(proj.replay_warnings)
    )
    if proj.replay is None:
        return warn, ""
    r = proj.replay
    tbl = pd.DataFrame(
        {
            "reported (亿 yuan)": (r["reported"] / YI).map(lambda v: f"{v:,.4f}"),
            "replayed (亿 yuan)": (r["replayed"] / YI).map(lambda v: f"{v:,.4f}"),
            "replayed / reported": r["ratio"].map(lambda v: f"{v:.4f}"),
        },
        index=r.index,
    ).to_html(classes="t", border=0)
    cut = r.attrs.get("phased_cut", float("nan"))
    tol = r.attrs.get("tolerance", float("nan"))
    src = r.attrs.get("phased_cut_source", "")
    section = (
        f"<h2 id='replay'>Base-year replay ({proj.province.base_year})</h2>\n"
        "<p>The engine's rules run on the base year itself (wifund.replay), against what province.toml reports; "
        f"phased cut applied {100 * cut:.0f}%{' (' + e(src) + ')' if src else ''}; tolerance {100 * tol:.1f}% on "
        f"{e(', '.join(r.attrs.get('checked', [])))}.</p>\n{tbl}"
    )
    return warn, section


_GENERATOR_PREFIX = '<meta name="generator" content="wifund '


def _version() -> str:
    from . import __version__

    return __version__


def _html_writer(proj: Projection) -> Writer:
    # Rendered when its turn comes (after the CSVs and the workbook); a failure discards every temporary.
    return lambda fh: fh.write(render_html(proj).encode("utf-8"))


def _is_wifund_report(path: Path) -> bool:
    return path.suffix.lower() in (".html", ".htm") and has_marker(path, _GENERATOR_PREFIX.encode())


def write_html(proj: Projection, path: Path, overwrite: bool = False) -> Path:
    """The report at ``path``; an existing file is replaced only if it is a wifund report, or ``overwrite``."""
    return write_file(path, _html_writer(proj), is_ours=_is_wifund_report, what="report", overwrite=overwrite)


def write_run(
    proj: Projection,
    out: Path,
    *,
    force: bool = False,
    command: str = "wifund.report.write_run",
    inputs: Iterable[str | Path] = (),
    input_dirs: Iterable[str | Path] = (),
    input_files: Iterable[str | Path] = (),
) -> Path:
    """The main job's output folder: CSVs, ``projection.xlsx``, ``report.html`` and the manifest.

    The CSVs are written first; every file goes to a temporary sibling and all are renamed into place
    only once everything is written, so a failure leaves the previous output as it was. ``out`` follows
    the rules of :mod:`wifund._io` (refreshed if it holds an earlier wifund output; refused if it holds
    other files unless ``force``, or if it overlaps ``input_dirs``).
    """
    files = _csv_files(proj)
    files["projection.xlsx"] = lambda fh: _write_excel_into(proj, fh)
    files["report.html"] = _html_writer(proj)
    return write_outputs(
        out, files, command=command, inputs=inputs, input_dirs=input_dirs, input_files=input_files, force=force
    )
