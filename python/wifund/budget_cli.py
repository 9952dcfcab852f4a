"""``wifund budget draft|monitor|share|assess|audit|report`` (issue #10, item 9).

    wifund budget draft   [--province DIR] [--policy NAME|FILE] [--assumptions FILE] [--year Y]
                          [--actuals FILE|URL [--table T]] [--targets CSV] [--adjustments CSV] --out DIR
    wifund budget monitor [--dir FOLDER] [--as-of M] --out DIR
    wifund budget share   [--dir FOLDER] [--rule ningxia|anhui] --out DIR
    wifund budget assess  [--dir FOLDER] --out DIR
    wifund budget audit   [--dir FOLDER] --out DIR
    wifund budget report  [--dir FOLDER] [--as-of M] [--rule ningxia|anhui] --out DIR

Without ``--province`` / ``--dir`` the commands use the demo province and its budget year 2025
(:func:`wifund.datasets.demo_budget_year`), so each runs with no input. A budget-year folder is described in
:mod:`wifund.budget_year`. Conventions of ``wifund run``: errors are one line naming the file, column, city,
month and value, exit status 2; every output folder is written atomically and only replaces wifund's own
earlier output (:mod:`wifund._io`).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from . import budget as _b
from . import budget_report as _report
from . import io as _wio
from ._csv import read_csv
from ._io import write_outputs
from .budget_year import BudgetYear, adjustments_from_frame

__all__ = ["add_parser"]

Handler = Callable[[argparse.Namespace, str], int]


def _int(flag: str, text: str | None, lo: int, hi: int) -> int | None:
    if text is None:
        return None
    try:
        value = int(text.strip())
    except ValueError:
        raise ValueError(f"wifund budget: {flag} = {text!r}: must be an integer from {lo} to {hi}") from None
    if not lo <= value <= hi:
        raise ValueError(f"wifund budget: {flag} = {value}: must be an integer from {lo} to {hi}")
    return value


def _year(args: argparse.Namespace) -> BudgetYear:
    return BudgetYear.from_dir(args.dir) if args.dir else BudgetYear.demo()


def _inputs(args: argparse.Namespace) -> tuple[list[str], list[str]]:
    dirs = [d for d in (getattr(args, "dir", None), getattr(args, "province", None)) if d]
    files = [f for f in (getattr(args, a, None) for a in ("actuals", "targets", "adjustments", "assumptions")) if f]
    files = [f for f in files if Path(f).is_file()]
    return dirs, files


def _csv(df: pd.DataFrame) -> Callable[[Any], Any]:
    frame = df.reset_index() if not isinstance(df.index, pd.RangeIndex) else df
    return lambda fh: frame.to_csv(fh, index=False, encoding="utf-8-sig")


def _write(args: argparse.Namespace, command: str, tables: dict[str, pd.DataFrame]) -> Path:
    dirs, files = _inputs(args)
    return write_outputs(
        args.out,
        {f"{k}.csv": _csv(v) for k, v in tables.items()},
        command=command,
        inputs=dirs + files,
        input_dirs=dirs,
        input_files=files,
        force=args.force,
    )


def _read_table(flag: str, path: str) -> pd.DataFrame:
    try:
        return read_csv(path)
    except ValueError as exc:
        raise ValueError(f"wifund budget: {flag} {path}: {exc}") from exc


def _draft(args: argparse.Namespace, command: str) -> int:
    from .assumptions import Assumptions
    from .policy import Policy
    from .province import Province

    province = Province.from_dir(args.province) if args.province else Province.demo()
    policy = Policy.load(args.policy) if args.policy else None
    assumptions = Assumptions.from_file(args.assumptions) if args.assumptions else None
    actuals = _wio.read_actuals(args.actuals, table=args.table) if args.actuals else None
    year = _int("--year", args.year, province.base_year + 1, province.base_year + 50)
    if year is None:
        year = int(actuals["year"].max()) + 1 if actuals is not None else province.base_year + 1
    targets = _read_table("--targets", args.targets) if args.targets else None
    adjustments = None
    if args.adjustments:
        adjustments = adjustments_from_frame(_read_table("--adjustments", args.adjustments), args.adjustments)
    d = _b.draft(province, policy, year, assumptions, actuals, targets, adjustments)
    tables = {"budget": d.monthly(), "budget_annual": d.adjusted, "adjustments": d.adjustment_table()}
    if d.basis is not None:
        tables["draft_basis"] = d.basis
    _write(args, command, tables)
    tot = d.adjusted.sum()
    rev, exp = _b.line_items()
    print(f"{province.name}: budget draft {year}, {len(d.cities)} units, {len(d.adjustments)} adjustments")
    print(
        f"  revenue {tot[[c for c in rev if c in tot.index]].sum() / 1e8:,.2f} 亿 yuan, expenditure "
        f"{tot[[c for c in exp if c in tot.index]].sum() / 1e8:,.2f} 亿 yuan; wrote {args.out}/budget.csv"
    )
    return 0


def _monitor(args: argparse.Namespace, command: str) -> int:
    y = _year(args)
    table = y.monitor(_int("--as-of", args.as_of, 1, 12))
    warn = _report.warnings_table(table)
    _write(args, command, {"execution": table, "warnings": warn})
    prov = table.loc[_b.PROVINCE]
    print(
        f"execution {y.year} to month {int(round(12 * float(prov['time_progress'].iloc[0])))}: revenue "
        f"{100 * float(prov.loc['revenue', 'progress']):.1f}%, expenditure "
        f"{100 * float(prov.loc['expenditure', 'progress']):.1f}% of the adjusted budget; {len(warn)} warnings"
    )
    return 0


def _share(args: argparse.Namespace, command: str) -> int:
    y = _year(args)
    dec = y.decomposition()
    shares = y.share(args.rule)
    _write(args, command, {"decomposition": dec, "shares": shares})
    print(
        f"shares ({args.rule}): {shares['share'].sum() / 1e4:,.1f} 万元 in all, "
        f"{int((shares['share'] > 0).sum())} cities pay"
    )
    return 0


def _assess(args: argparse.Namespace, command: str) -> int:
    scores = _year(args).assess()
    _write(args, command, {"scores": scores})
    best = scores.sort_values("rank").index[0]
    print(f"assessment: {len(scores)} cities, best {best} ({float(scores.loc[best, 'score']):.1f})")
    return 0


def _audit(args: argparse.Namespace, command: str) -> int:
    findings = _year(args).audit()
    _write(args, command, {"audit": findings})
    print(f"audit: {len(findings)} finding{'' if len(findings) == 1 else 's'}")
    return 0


def _full(args: argparse.Namespace, command: str) -> int:
    y = _year(args)
    res = _report.BudgetResults(y, as_of=_int("--as-of", args.as_of, 1, 12), rule=args.rule)
    dirs, files = _inputs(args)
    _report.write_report(res, args.out, force=args.force, command=command, inputs=dirs + files)
    print(f"wrote {args.out}/budget_report.html, budget_report.xlsx and {len(res.tables())} CSV files")
    return 0


def add_parser(sub: Any) -> None:
    """Adds ``wifund budget …`` to the subparsers of ``wifund``."""
    budget = sub.add_parser("budget", help="the budget cycle: draft, monitor, share, assess, audit, report")
    cmds = budget.add_subparsers(dest="budget_command", required=True)

    def common(p: argparse.ArgumentParser, folder: bool = True) -> None:
        if folder:
            p.add_argument("--dir", help="budget-year folder (budget.csv, actuals.csv, ...; default: the demo's 2025)")
        p.add_argument("--out", required=True, help="output folder (refreshed if it holds an earlier wifund output)")
        p.add_argument("--force", action="store_true", help="write into a folder holding other files")

    d = cmds.add_parser("draft", help="draft the budget by city x line x month from the projection engine")
    d.add_argument("--province", help="province folder (default: the demo province)")
    d.add_argument("--policy", help="policy name or TOML file (default: the province's)")
    d.add_argument("--assumptions", metavar="FILE", help="assumptions file (as for wifund run)")
    d.add_argument("--year", help="budget year (default: after the actuals, else after the base year)")
    d.add_argument("--actuals", help="prior actuals: CSV, Excel, Parquet file or SQLAlchemy URL (with --table)")
    d.add_argument("--table", help="database table of --actuals")
    d.add_argument("--targets", help="CSV: city, contributions and / or insured (the tax bureau's targets)")
    d.add_argument("--adjustments", help="CSV: line, city, amount or factor, reason, author (定性调整)")
    common(d, folder=False)
    d.set_defaults(func=_draft)
    m = cmds.add_parser("monitor", help="the execution table with deviations, outturn and warnings")
    m.add_argument("--as-of", help="last month elapsed, 1-12 (default: the last month reported)")
    common(m)
    m.set_defaults(func=_monitor)
    for name, fn, text in (
        ("share", _share, "the variance decomposition and the responsibility shares"),
        ("assess", _assess, "scores, ranks and reasons per city"),
        ("audit", _audit, "rule-based checks of the submissions (稽核)"),
    ):
        p = cmds.add_parser(name, help=text)
        if name == "share":
            p.add_argument("--rule", default="ningxia", choices=sorted(_b.RULES), help="sharing rule")
        common(p)
        p.set_defaults(func=fn)
    r = cmds.add_parser("report", help="the evaluator's report: HTML, Excel workbook and CSVs")
    r.add_argument("--as-of", help="last month elapsed, 1-12 (default: the last month reported)")
    r.add_argument("--rule", default="ningxia", choices=sorted(_b.RULES), help="sharing rule")
    common(r)
    r.set_defaults(func=_full)
