"""Command line: ``wifund run`` (the main job) and ``wifund init-demo``.

    wifund run [--province DIR] [--policy NAME|FILE] [--start YEAR] [--years N] --out DIR
    wifund init-demo DIR
    python -m wifund run ...
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ._checks import check_int
from .policy import Policy
from .projection import project
from .province import Province
from .report import write_run


def _int_flag(flag: str, text: str | None, lo: int | None = None, hi: int | None = None) -> int | None:
    """An integer flag, checked by the same rule as the Python argument (``2025.5`` and ``abc`` are
    errors naming the flag and the value; exit status 2 like every input error)."""
    if text is None:
        return None
    try:
        value = int(text.strip())
    except ValueError:
        raise ValueError(f"wifund run: {flag} = {text!r}: must be an integer"
                         + (f" from {lo} to {hi}" if lo is not None and hi is not None else "")) from None
    return check_int(f"wifund run: {flag}", value, lo, hi)


def _run(args: argparse.Namespace) -> int:
    t0 = time.perf_counter()
    years = _int_flag("--years", args.years, 1, 50)
    start = _int_flag("--start", args.start, 1990, 2150)
    province = Province.from_dir(args.province) if args.province else Province.demo()
    policy = Policy.load(args.policy) if args.policy else None
    if start is not None and start <= province.base_year:
        raise ValueError(f"wifund run: --start = {start}: must be after the province's base year {province.base_year}")
    proj = project(province, policy, start=start, years=years)
    out = write_run(proj, Path(args.out))
    f = proj.fund.iloc[-1]
    print(f"{province.name}: policy {proj.policy.name}, {proj.years[0]}-{proj.years[-1]}")
    print(f"  closing balance {proj.years[-1]}: {f['closing'] / 1e8:,.2f} 亿 yuan, "
          f"{f['months_of_payment']:.1f} months of payment")
    print(f"  assumed parameters used: {len(proj.assumed_parameters)} (listed in the report)")
    print(f"  wrote {out}/report.html, projection.xlsx and {len(list(out.glob('*.csv')))} CSV files "
          f"in {time.perf_counter() - t0:.1f} s")
    return 0


def _init_demo(args: argparse.Namespace) -> int:
    target = Province.demo().to_dir(args.dir, overwrite=args.force)
    print(f"wrote the demonstration province (illustrative) to {target}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="wifund", description="Work-injury insurance fund projections.")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="project a province and write CSVs, a workbook and report.html")
    run.add_argument("--province", help="province folder (default: the embedded demonstration province)")
    run.add_argument("--policy", help="policy name (national, jilin, ningxia) or TOML file "
                                      "(default: the province's default policy)")
    # Parsed as text and checked in _run, so that a bad value is reported like every other input error
    # (field, value, rule; exit status 2) instead of argparse's usage dump.
    run.add_argument("--start", default=None, help="first projection year (default: base year + 1)")
    run.add_argument("--years", default="30", help="number of years, 1-50 (default 30)")
    run.add_argument("--out", required=True, help="output folder (replaced atomically)")
    run.set_defaults(func=_run)
    demo = sub.add_parser("init-demo", help="write the demonstration province as a folder of CSV/TOML files")
    demo.add_argument("dir")
    demo.add_argument("--force", action="store_true", help="replace the folder if it exists")
    demo.set_defaults(func=_init_demo)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (ValueError, KeyError, FileNotFoundError, FileExistsError) as exc:
        print(f"wifund: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
