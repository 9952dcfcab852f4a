"""Outputs of a projection: charts, CSV files, an Excel workbook and a self-contained HTML report.

Every writer goes through :mod:`wifund._io`: an interrupted run leaves no half-written file, and nothing
that wifund did not write is ever deleted or overwritten (rules in that module's docstring).
Money is kept unrounded in CSV (yuan) and Excel (万元); the HTML report shows 亿元 (10⁸ yuan) to 3 decimals —
the only place wifund rounds.
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
import io
import json
import math
import zipfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from . import _labels, _plot
from ._io import Writer, has_marker, write_file, write_outputs

if TYPE_CHECKING:  # pragma: no cover
    from .projection import Projection

YI = 1e8  # 亿

#: Rows in an Excel sheet (the header is one of them); a longer table is split across sheets.
EXCEL_MAX_ROWS = 1_048_576
#: Beyond this many sheets for one table, the table is left out of the workbook (its CSV has it all).
EXCEL_MAX_PARTS = 16
#: The main job's workbook holds tables of at most this many rows (the demo's longest has ~13,000; 900
#: cities give 1.2 million by_city rows): longer ones are in their CSV only (``wifund run --workbook-rows``).
WORKBOOK_ROWS = 100_000
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
    "financing",  # wifund.valuation (issue #11)
    "liabilities",
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


def _balance_panel(proj: Projection, a0: Any) -> None:
    f = proj.fund
    years = f.index.to_numpy()
    a0.bar(years, f["closing"] / YI, color="#4c78a8", label=_plot.label("期末滚存结余", "closing balance"))
    a0.bar(years, f["reserve"] / YI, color="#f58518", label=_plot.label("其中储备金", "of which reserve"))
    a0.set_ylabel(_plot.label("亿元", "亿元 (10^8 yuan)"), **_plot.text_kw())
    a0.set_title(_plot.label("基金结余与可支付月数", "Fund balance and months of payment"), **_plot.text_kw())
    a0b = a0.twinx()
    a0b.plot(
        years, f["months_of_payment"], color="#e45756", marker="o", ms=3, label=_plot.label("可支付月数", "months")
    )
    a0b.set_ylabel(_plot.label("月", "months"), **_plot.text_kw())
    lines, labels = a0.get_legend_handles_labels()
    l2, lab2 = a0b.get_legend_handles_labels()
    a0.legend(lines + l2, labels + lab2, loc="upper left", **_plot.legend_kw(8))


def _flows_panel(proj: Projection, a1: Any) -> None:
    f = proj.fund
    years = f.index.to_numpy()
    exp = proj.expenditure_by_item
    bottom = None
    for name, items in ITEM_GROUPS.items():
        vals = exp[items].sum(axis=1) / YI
        a1.bar(years, vals, bottom=bottom, label=name)
        bottom = vals if bottom is None else bottom + vals
    a1.plot(years, f["revenue"] / YI, color="black", lw=2, label=_plot.label("基金收入", "revenue"))
    a1.set_ylabel(_plot.label("亿元", "亿元 (10^8 yuan)"), **_plot.text_kw())
    a1.set_title(_plot.label("基金收入与分项支出", "Revenue against expenditure by item"), **_plot.text_kw())
    a1.legend(loc="upper left", **_plot.legend_kw(7))


def plot_projection(proj: Projection, ax: Any = None) -> Any:
    """Two panels: fund balance and reserve with months of payment; revenue against expenditure by item.

    ``ax``: None (new pyplot Axes in the active backend, which is never changed), one Axes (the first
    panel only) or a sequence of two. Returns the Axes drawn on: one Axes, or a list of two.
    """
    axes = _plot.user_axes("Projection.plot", ax, 2, (13, 4.6))
    _draw_projection(proj, axes)
    if ax is None:
        axes[0].figure.tight_layout()
    return axes[0] if len(axes) == 1 else axes


def _draw_projection(proj: Projection, axes: list[Any]) -> None:
    _balance_panel(proj, axes[0])
    if len(axes) > 1:
        _flows_panel(proj, axes[1])


def _png(fig: Any) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
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
        **_valuation_tables(proj),
        "base_year_replay": (
            proj.replay
            if proj.replay is not None
            else pd.DataFrame(columns=["reported", "replayed", "ratio"], index=pd.Index([], name="item"))
        ),
    }


def _valuation_tables(proj: Projection) -> dict[str, pd.DataFrame]:
    """The valuation sheets (issue #11 item 5): financing indicators by year and the liability for the
    base-year stock by city × kind (wifund.valuation; discount: the interest-rate path)."""
    return {"financing": proj.financing().by_year, "liabilities": proj.liabilities.totals}


def _valuation_chart(data: dict[str, Any]) -> str:
    """Financing rates and reserve adequacy by year (PNG, base64), from :func:`chart_inputs`."""
    fin = data["financing"]
    fig, (a0, a1) = _plot.file_figure((13, 3.8), 1, 2)  # fixed margins, no tight_layout (_plot.file_figure)
    a0.plot(fin.index, 100 * fin["payg_cost_rate"], label=_plot.label("现收现付成本率", "PAYG cost rate"))
    a0.plot(fin.index, 100 * fin["terminal_funding_rate"], label=_plot.label("完全积累费率", "terminal-funding rate"))
    a0.axhline(100 * data["general_average_premium"], ls="--", color="0.4", label=_plot.label("平均保费", "GAP"))
    a0.set_ylabel("% of payroll")
    a0.set_title(_plot.label("筹资费率", "Financing rates"), **_plot.text_kw())
    a0.legend(**_plot.legend_kw(8))
    a1.plot(fin.index, fin["reserve_adequacy_ratio"], label=_plot.label("储备充足率", "balance / liability"))
    a1.plot(fin.index, fin["funded_ratio"], label=_plot.label("积累率", "reserve / liability"))
    a1.set_title(_plot.label("储备充足率", "Reserve adequacy"), **_plot.text_kw())
    a1.legend(**_plot.legend_kw(8))
    return _png(fig)


def _valuation_html(proj: Projection, chart: str) -> str:
    """The valuation section: liabilities by city and kind, financing rates over time, reserve adequacy."""
    tables = _valuation_tables(proj)
    fin, liab = tables["financing"], tables["liabilities"]
    result = proj.financing()
    by_kind = (liab["pv"].unstack("kind").fillna(0.0) / YI).round(3)
    by_kind.columns = [_labels.both(str(k)) for k in by_kind.columns]
    show = pd.DataFrame(
        {
            "PAYG cost rate (%)": (100 * fin["payg_cost_rate"]).round(3),
            "terminal-funding rate (%)": (100 * fin["terminal_funding_rate"]).round(3),
            "award capital (亿元)": (fin["award_capital"] / YI).round(3),
            "liability at year end (亿元)": (fin["liability_end"] / YI).round(3),
            "balance / liability": fin["reserve_adequacy_ratio"].round(3),
            "reserve / liability": fin["funded_ratio"].round(3),
            "months of payment": fin["months_of_payment"].round(1),
        }
    )
    return f"""<h2 id="valuation">精算估值 Valuation: liabilities and financing</h2>
<p>Present value at {proj.province.base_year + 1}-01-01 of the long-term benefits in payment at the base-year end
(伤残津贴 to retirement and the top-up, 生活护理费, 供养亲属抚恤金, Art. 39 ¶3 dependants and funeral grants of later
deaths), discounted from mid-year at the interest-rate path, by the projection's own cohort code: <b>{liab["pv"].sum() / YI:,.2f}
亿元</b>. General average premium over the horizon: <b>{100 * result.general_average_premium:.3f}%</b> of payroll;
with the horizon's liability as a terminal reserve target: <b>{100 * result.general_average_premium_terminal:.3f}%</b>
(docs/valuation.md).</p>
{by_kind.to_html(classes="t", border=0)}
<img class="chart" id="chart-valuation" alt="financing rates and reserve adequacy" src="data:image/png;base64,{chart}">
{show.to_html(classes="t", border=0)}
"""


def _csv_writer(df: pd.DataFrame) -> Writer:
    # UTF-8 with a BOM, so that Excel on Chinese Windows shows the city names instead of mojibake
    # (pandas.read_csv and wifund's readers skip the BOM).
    return lambda fh: df.to_csv(fh, index=not isinstance(df.index, pd.RangeIndex), encoding="utf-8-sig")


def _csv_files(proj: Projection) -> dict[str, Writer]:
    return {f"{name}.csv": _csv_writer(df) for name, df in _tables(proj).items()}


def write_csvs(proj: Projection, folder: Path, force: bool = False) -> Path:
    """One CSV per table in ``folder``, with a manifest; refreshes an earlier wifund output there, refuses
    a folder holding other files unless ``force`` (see :mod:`wifund._io`)."""
    return write_outputs(folder, _csv_files(proj), command="wifund.Projection.to_csv", force=force)


def _excel_sheets(
    tables: dict[str, pd.DataFrame], max_rows: int | None = None
) -> tuple[list[tuple[str, pd.DataFrame]], list[str]]:
    """(sheet name, frame) pairs and notes: a table longer than a sheet is split across ``name``,
    ``name (2)``, …; one needing more than :data:`EXCEL_MAX_PARTS` sheets, or longer than ``max_rows``
    (the main job's limit, its CSVs holding every table), is left out with a note."""
    sheets: list[tuple[str, pd.DataFrame]] = []
    notes: list[str] = []
    for name, df in tables.items():
        if max_rows is not None and len(df) > max_rows:
            notes.append(
                f"{name}: {len(df):,} rows, more than the workbook's limit of {max_rows:,} rows a table "
                f"(wifund run --workbook-rows); left out of the workbook, the whole table is in {name}.csv"
            )
            continue
        per = EXCEL_MAX_ROWS - 2  # two header rows: names with units, then keys
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


def _cover_rows(proj: Projection, notes: list[str]) -> list[tuple[str, str]]:
    """(label, value) rows of the workbook's cover sheet."""
    from . import __version__

    prov = proj.province
    rows = [
        ("省份 Province", prov.name),
        (
            "数据性质 Data",
            "示范数据，非真实统计 ILLUSTRATIVE, not real data" if prov.illustrative else "省份数据 province data",
        ),
        ("政策 Policy", proj.policy.name),
        ("基年 Base year", str(prov.base_year)),
        ("预测年度 Projection years", f"{proj.years[0]}-{proj.years[-1]}"),
        ("金额单位 Money unit", f"{_labels.WORKBOOK_MONEY} (10,000 yuan); the CSV files hold yuan"),
        ("比率 Rates", "百分比 percentages (stored as fractions)"),
        ("输入 Input", prov.source or "wifund.Province (built in Python)"),
        ("程序 Program", f"wifund {__version__}"),
        ("运行日期 Run date", _dt.date.today().isoformat()),
        ("假定参数 Assumed parameters", f"{len(proj.assumed)} (sheet assumed_parameters; listed below)"),
    ]
    rows += [(f"  {r.key}", f"{r.value}  [{r.note or r.source}]") for r in proj.assumed.itertuples()]
    rows += [("说明 Note", n) for n in notes]
    return rows


def _write_sheet(book: Any, ws: Any, df: pd.DataFrame) -> None:
    """One table, written row by row (XlsxWriter's constant-memory mode): row 1 the Chinese name and
    unit of each column, row 2 its key, then the data; money converted to 万元 (unrounded), number
    formats by unit, widths from the headers, frozen headers and an autofilter."""
    frame = df.reset_index() if not isinstance(df.index, pd.RangeIndex) else df
    cols = list(frame.columns)
    head_fmt = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7"})
    key_fmt = book.add_format({"italic": True, "font_color": "#595959", "bg_color": "#F2F2F2"})
    specs = []
    for c in cols:
        numeric = pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
        u = _labels.unit(str(c), numeric) if numeric else "text"
        if u == "yuan" and not numeric:
            u = "text"
        text, num_format, div = _labels.WORKBOOK_UNITS[u]
        name = _labels.zh(str(c)) or str(c)
        specs.append((f"{name}（{text}）" if text else name, book.add_format({"num_format": num_format}), div, numeric))
    # constant_memory: a row is flushed when the next one is started, so rows are written in order.
    for j, (header, fmt, _, _) in enumerate(specs):
        ws.set_column(j, j, max(10, min(40, 2 + len(header) * 1.6)), fmt)
        ws.write_string(0, j, header, head_fmt)
    for j, c in enumerate(cols):
        ws.write_string(1, j, str(c), key_fmt)
    values = [frame[c].to_numpy() for c in cols]
    for i in range(len(frame)):
        r = i + 2
        for j, (_, fmt, div, numeric) in enumerate(specs):
            v = values[j][i]
            if numeric:
                f = float(v)
                if math.isfinite(f):
                    ws.write_number(r, j, f / div, fmt)
                else:
                    ws.write_string(r, j, "" if math.isnan(f) else str(f))
            elif v is None or (isinstance(v, float) and math.isnan(v)):
                ws.write_blank(r, j, None)
            else:
                ws.write_string(r, j, str(v))
    ws.freeze_panes(2, 0)
    if cols:
        ws.autofilter(1, 0, max(1, len(frame) + 1), len(cols) - 1)


def _write_excel_into(proj: Projection, fh: IO[bytes], max_rows: int | None = None) -> None:
    import xlsxwriter

    from . import __version__

    sheets, notes = _excel_sheets(_tables(proj), max_rows)
    # The base-year replay's warnings (wifund.replay) come first in the notes sheet (and on the cover).
    notes = [f"warning: {m}" for m in proj.replay_warnings] + notes
    # Built in memory, then copied: a workbook interrupted mid-save (SIGTERM) leaves no zip file pointing
    # at the output file that the caller closes and discards. constant_memory: each sheet is streamed row
    # by row to a temporary file instead of being held as cell objects.
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"constant_memory": True, "strings_to_numbers": False})
    # wifund's mark (see _is_wifund_workbook): XlsxWriter writes the author as dc:creator and as
    # cp:lastModifiedBy, which Excel and LibreOffice rewrite on saving. The version is in "generator".
    book.set_properties({"author": "wifund", "title": f"{proj.province.name} projection"})
    book.set_custom_property("generator", f"wifund {__version__}")
    cover = book.add_worksheet("cover")
    bold = book.add_format({"bold": True})
    cover.set_column(0, 0, 34)
    cover.set_column(1, 1, 90)
    cover.write_string(0, 0, f"{proj.province.name}: 工伤保险基金预测 work-injury fund projection", bold)
    for i, (label, value) in enumerate(_cover_rows(proj, notes), start=2):
        cover.write_string(i, 0, label, bold if not label.startswith("  ") else None)
        cover.write_string(i, 1, value)
    for sheet, df in sheets:
        _write_sheet(book, book.add_worksheet(sheet), df)
    if notes:
        _write_sheet(book, book.add_worksheet("notes"), pd.DataFrame({"note": notes}))
    book.close()
    fh.write(buf.getbuffer())


def _is_wifund_workbook(path: Path) -> bool:
    """A workbook written by wifund and not saved since by a spreadsheet program."""
    try:
        with zipfile.ZipFile(path) as z:
            core = z.read("docProps/core.xml")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    # dc:creator "wifund" (or "wifund <version>" before 0.2) and lastModifiedBy still "wifund".
    return b"<dc:creator>wifund" in core and b"<cp:lastModifiedBy>wifund</cp:lastModifiedBy>" in core


def write_excel(proj: Projection, path: Path, overwrite: bool = False) -> Path:
    """The workbook at ``path``; an existing file is replaced only if wifund wrote it, or ``overwrite``."""
    return write_file(
        path, lambda fh: _write_excel_into(proj, fh), is_ours=_is_wifund_workbook, what="workbook", overwrite=overwrite
    )


def _money_table(df: pd.DataFrame, money_cols: list[str], pct_cols: Sequence[str] = (), digits: int = 3) -> str:
    show = df.copy()
    for c in money_cols:
        show[c] = (show[c] / YI).map(lambda v: f"{v:,.{digits}f}")
    for c in pct_cols:
        show[c] = show[c].map(lambda v: f"{100 * v:.2f}%")
    return cast(str, show.to_html(classes="t", border=0, escape=True))


_WARNING_ZH = {"green": "绿色 green", "yellow": "黄色 yellow", "orange": "橙色 orange", "red": "红色 red"}


def _budget_year_table(proj: Projection) -> pd.DataFrame:
    """The base-year actual and the first projected year side by side by line item, in 亿元: what a
    budget office reads first. Base-year lines the province does not report are left blank."""
    from . import _core

    prov = proj.province
    first = proj.years[0]
    rev = proj.revenue_by_item.loc[first]
    exp = proj.expenditure_by_item.loc[first]
    f = proj.fund.loc[first]
    byd = prov.base_year_data
    reported: dict[str, Any] = {**byd.revenue, **byd.expenditure}
    reported["contributions"] = prov.fund.get("base_contributions")
    reported["expenditure"] = prov.fund.get("base_expenditure")
    if all(k in reported for k in _core.axes.revenue_items):
        reported["revenue"] = sum(float(reported[k]) for k in _core.axes.revenue_items)
    reported["closing"] = prov.fund.get("opening_balance")
    reported["reserve"] = prov.fund.get("opening_reserve")
    rows: list[tuple[str, Any, float]] = []
    for k in _core.axes.revenue_items:
        rows.append((k, reported.get(k), float(rev[k])))
    rows.append(("revenue", reported.get("revenue"), float(f["revenue"])))
    for k in _core.axes.expenditure_items:
        rows.append((k, reported.get(k), float(exp[k])))
    rows.append(("expenditure", reported.get("expenditure"), float(f["expenditure"])))
    rows.append(("closing", reported.get("closing"), float(f["closing"])))
    rows.append(("reserve", reported.get("reserve"), float(f["reserve"])))
    index = [_labels.both(k) for k, _, _ in rows]
    base = [np.nan if v is None else float(v) / YI for _, v, _ in rows]
    proj_first = [v / YI for _, _, v in rows]
    out = pd.DataFrame(
        {f"{prov.base_year} 实际 actual": base, f"{first} 预测 projected": proj_first},
        index=pd.Index(index, name="亿元"),
    )
    return out


def _months_chart(data: dict[str, Any]) -> str:
    """Months of payment with the policy thresholds: the phased-cut thresholds where the cut is in force
    that year, and the early-warning ladder (``fund.warning_months``)."""
    ind = data["indicators"]
    years = ind.index.to_numpy()
    fig, (ax,) = _plot.file_figure((13, 3.8))
    ax.plot(
        years, ind["months_of_payment"], color="#e45756", marker="o", ms=3, label=_plot.label("可支付月数", "months")
    )
    green, yellow, orange = data["warning_months"]
    for level, colour, zh, en in (
        (green, "#54a24b", "绿色预警线", "green"),
        (yellow, "#eeca3b", "黄色预警线", "yellow"),
        (orange, "#f58518", "橙色预警线", "orange"),
    ):
        ax.axhline(level, color=colour, lw=1, ls="--", label=_plot.label(zh, f"warning: {en} {level:g}"))
    cut_years, thresholds = data["cut_years"], data["cut_thresholds"]
    if cut_years:
        for t in thresholds:
            ax.hlines(t, cut_years[0] - 0.5, cut_years[-1] + 0.5, color="#4c78a8", lw=1, ls=":")
        ax.plot([], [], color="#4c78a8", ls=":", label=_plot.label("阶段性降费阈值", "phased-cut thresholds"))
    ax.set_ylabel(_plot.label("月", "months"), **_plot.text_kw())
    ax.set_title(
        _plot.label("可支付月数与政策阈值", "Months of payment against the policy thresholds"), **_plot.text_kw()
    )
    ax.legend(loc="upper left", **_plot.legend_kw(7))
    return _png(fig)


class _ChartFrames:
    """What the projection panels read (``fund``, ``expenditure_by_item``), outside a Projection."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.fund = data["fund"]
        self.expenditure_by_item = data["expenditure_by_item"]


def chart_inputs(proj: Projection) -> dict[str, Any]:
    """Everything the report's four charts are drawn from, as plain frames and numbers (picklable: the
    main job draws them in a second process while it writes the tables, :mod:`wifund.cli`)."""
    years = [int(y) for y in proj.indicators.index]
    cut_years = [y for y in years if bool(proj.policy.at(_dt.date(y, 1, 1))["contribution.phased_cut.active"])]
    thresholds = (
        [float(t) for t in proj.policy.at(_dt.date(cut_years[0], 1, 1))["contribution.phased_cut.thresholds_months"]]
        if cut_years
        else []
    )
    result = proj.financing()
    return {
        **{name: getattr(proj, name) for name in ("fund", "expenditure_by_item", "indicators")},
        "financing": result.by_year,
        "general_average_premium": float(result.general_average_premium),
        "warning_months": tuple(float(v) for v in proj.policy.at(_dt.date(proj.start, 12, 31))["fund.warning_months"]),
        "cut_years": cut_years,
        "cut_thresholds": thresholds,
    }


def draw_charts(data: dict[str, Any]) -> dict[str, str]:
    """The report's four charts (PNG, base64) from :func:`chart_inputs`."""
    # Charts for the file are drawn on Figures of their own (no pyplot, the user's backend untouched).
    # Fixed margins (no tight_layout, which draws each figure twice); the balance panel's twin axis
    # (months) needs the wider gap.
    fig, axes = _plot.file_figure((13, 4.6), 1, 2, gap=1.6)
    _draw_projection(cast("Projection", _ChartFrames(data)), axes)
    main = _png(fig)
    fig2, (ax2,) = _plot.file_figure((13, 3.8))
    ind = data["indicators"]
    ax2.plot(
        ind.index, 100 * ind["payg_cost_rate"], label=_plot.label("现收现付成本率", "PAYG cost rate (% of payroll)")
    )
    ax2.plot(
        ind.index,
        100 * ind["effective_contribution_rate"],
        label=_plot.label("实际费率", "effective contribution rate (% of payroll)"),
    )
    ax2.set_title(_plot.label("成本率与费率", "Cost rate against contribution rate"), **_plot.text_kw())
    ax2.set_ylabel("%")
    ax2.legend(**_plot.legend_kw(8))
    rates = _png(fig2)
    return {"main": main, "rates": rates, "months": _months_chart(data), "valuation": _valuation_chart(data)}


def render_html(proj: Projection, charts: dict[str, str] | None = None) -> str:
    """The report as one HTML string (charts embedded as PNG data URIs; no external resources).
    ``charts``: the four charts already drawn (:func:`draw_charts` of :func:`chart_inputs`), else drawn here."""
    if charts is None:
        charts = draw_charts(chart_inputs(proj))
    f = proj.fund
    ind = proj.indicators
    chart_main, chart_rates, chart_months = charts["main"], charts["rates"], charts["months"]

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
    exp_show = (proj.expenditure_by_item.T / YI).round(3)
    exp_show.index = [_labels.both(k) for k in exp_show.index]
    exp_cols = sorted({proj.years[0], proj.years[min(4, len(proj.years) - 1)], proj.years[-1]})
    exp_tbl = exp_show[exp_cols].to_html(classes="t", border=0)
    budget_tbl = _budget_year_table(proj).to_html(classes="t", border=0, float_format="{:,.3f}".format, na_rep="—")
    ind_first = ind.iloc[0]
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
<html lang="zh-Hans"><head><meta charset="utf-8">
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
<h1>工伤保险基金预测报告 Work-injury insurance fund projection — {e(prov.name)}</h1>
{banner}
{replay_warn}
<p>Policy <code>{e(proj.policy.name)}</code> (layers: {e(" → ".join(proj.policy.chain))}); base year {prov.base_year};
projection {first}–{last}; provincial pooling with unified collection and expenditure (统收统支).
Input <code>{e(prov.source or "wifund.Province built in Python")}</code>; wifund {e(_version())}; run on
{_dt.date.today().isoformat()}. All money in 亿元 (10⁸ yuan) unless a column says otherwise; rates in %.</p>
<h2 id="budget-year">预算年度 The budget year {first}</h2>
<p class="kpi"><span>Closing balance {first}: <b>{f.iloc[0]["closing"] / YI:,.2f} 亿元</b></span>
<span>Months of payment {first}: <b>{ind_first["months_of_payment"]:.1f}</b></span>
<span>Warning level: <b>{e(_WARNING_ZH.get(str(ind_first["warning"]), str(ind_first["warning"])))}</b></span>
<span>PAYG cost rate {first}: <b>{100 * ind_first["payg_cost_rate"]:.3f}%</b> of payroll</span></p>
<p>The base-year actual (as the province reports it) beside the first projected year, by line item (亿元).</p>
{budget_tbl}
<h2>长期趋势 The long-run path to {last}</h2>
<p class="kpi"><span>Closing balance {last}: <b>{last_row["closing"] / YI:,.2f} 亿元</b></span>
<span>Months of payment {last}: <b>{last_row["months_of_payment"]:.1f}</b></span>
<span>PAYG cost rate {last}: <b>{100 * last_row["payg_cost_rate"]:.3f}%</b> of payroll</span></p>
<img class="chart" id="chart-months" alt="months of payment and the policy thresholds"
 src="data:image/png;base64,{chart_months}">
<h2>Fund balance and months of payment; revenue against expenditure by item</h2>
<img class="chart" id="chart-fund" alt="fund balance, months of payment, revenue and expenditure"
 src="data:image/png;base64,{chart_main}">
<img class="chart" id="chart-rates" alt="PAYG cost rate and contribution rate" src="data:image/png;base64,{chart_rates}">
<h2>Fund (亿元)</h2>
<p>opening + revenue − expenditure = closing; interest is counted in revenue; the reserve is inside the balance.</p>
{fund_tbl}
<h2>Indicators</h2>
{ind_tbl}
{replay_section}
{_valuation_html(proj, charts["valuation"])}
<h2>Expenditure by item (亿元)</h2>
{exp_tbl}
<h2>By city (亿元)</h2>
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
{self_check_script("wifund report")}
</body></html>
"""


def self_check_script(name: str) -> str:
    """The <script> of every HTML report: headless Chromium (the tests) reads from <body> whether each
    chart image decoded and how many script errors occurred; the console line starts with ``name``."""
    return _SELF_CHECK.replace("NAME", json.dumps(name + ": "))


_SELF_CHECK = """<script>
// Self-check used by the test suite (headless Chromium): records whether every chart image decoded
// and how many script errors occurred, as attributes on <body>.
(function () {
  var errors = 0;
  window.addEventListener("error", function () { errors += 1; document.body.dataset.errors = errors; });
  window.addEventListener("load", function () {
    var imgs = document.querySelectorAll("img.chart"), ok = 0;
    imgs.forEach(function (im) { if (im.complete && im.naturalWidth > 0) ok += 1; });
    document.body.dataset.chartsRendered = ok;
    document.body.dataset.chartsTotal = imgs.length;
    document.body.dataset.errors = errors;
    console.log(NAME + ok + "/" + imgs.length + " charts rendered");
  });
})();
</script>"""


def _replay_html(proj: Projection) -> tuple[str, str]:
    """The base-year replay's warnings (shown under the title) and its section (table of reported and
    replayed base-year figures, 亿元)."""
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
            "reported (亿元)": (r["reported"] / YI).map(lambda v: f"{v:,.4f}"),
            "replayed (亿元)": (r["replayed"] / YI).map(lambda v: f"{v:,.4f}"),
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


def _html_writer(proj: Projection, charts: Callable[[], dict[str, str]] | None = None) -> Writer:
    # Rendered when its turn comes (after the CSVs and the workbook); a failure discards every temporary.
    # ``charts``: returns the charts drawn elsewhere (the main job's second process), or raises its error.
    return lambda fh: fh.write(render_html(proj, None if charts is None else charts()).encode("utf-8"))


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
    workbook_rows: int | None = WORKBOOK_ROWS,
    charts: Callable[[], dict[str, str]] | None = None,
) -> Path:
    """The main job's output folder: CSVs, ``projection.xlsx``, ``report.html`` and the manifest.

    ``workbook_rows``: tables longer than this are only in their CSV (named on the workbook's cover
    and notes sheet), so a province of hundreds of cities writes its workbook in seconds; None: no limit.
    ``charts``: a function returning the report's charts (:func:`draw_charts`), called when the report is
    written (the main job draws them in a second process meanwhile); None: drawn here.

    The CSVs are written first; every file goes to a temporary sibling and all are renamed into place
    only once everything is written, so a failure leaves the previous output as it was. ``out`` follows
    the rules of :mod:`wifund._io` (refreshed if it holds an earlier wifund output; refused if it holds
    other files unless ``force``, or if it overlaps ``input_dirs``).
    """
    files = _csv_files(proj)
    files["projection.xlsx"] = lambda fh: _write_excel_into(proj, fh, workbook_rows)
    files["report.html"] = _html_writer(proj, charts)
    return write_outputs(
        out, files, command=command, inputs=inputs, input_dirs=input_dirs, input_files=input_files, force=force
    )
