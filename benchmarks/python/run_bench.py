"""Whole-process timings of the main job against the import (issue #14 item 5), on a shared machine:
each process is run ``--repeat`` times, interleaved (import, run, import, run, …) so that both see the
same load, and the minimum is kept, in wall time and in CPU time (user + system of the child, from
``wait4``), with the child's peak RSS.

    PYTHONPATH=python python3 benchmarks/python/run_bench.py [--repeat 7] [--cities 9] [--keep DIR]
    PYTHONPATH=python python3 benchmarks/python/run_bench.py --phases [--cities 9]
    PYTHONPATH=python python3 benchmarks/python/run_bench.py --compare BEFORE AFTER

``--cities 9`` is the demo (``wifund run --out DIR``); other counts replicate the demo's nine cities
(``run_outputs._province``) and pass ``--province``. Prints a Markdown table for benchmarks/README.md,
the ratio run / import, and ``uptime``. ``--phases``: instead, the CPU seconds of each phase of the
main job in one fresh process (import, province, projection, valuation, CSVs, workbook, report).
``--cached-financing``: the run's `Projection.financing()` (issue #11; being rewritten in one pass) is
computed once beforehand (the demo's, its money scaled for a replicated province) and read from a
pickle in each run, so that the times show everything else.
``--compare``: two output folders of `wifund run` (``--keep``) compared: every CSV byte for byte, every
cell of every workbook sheet (value and number format), and report.html with its images and run date
taken out; prints each difference and exits 1 if there is one.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run_outputs import _province  # noqa: E402  (the same replicated provinces as run_outputs.py)


def _timed(cmd: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (MiB) of one child process."""
    t = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - t
    err = child.stderr.read().decode() if child.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {err[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def phases(cities: int, years: int) -> None:
    """CPU seconds of each phase of `wifund run` in this (fresh) process, outputs written to memory."""
    import io

    import wifund  # already imported by run_outputs: its cost is measured in a child process
    from wifund import report

    clock = time.process_time
    rows = [("import wifund (a child process)", _timed([sys.executable, "-c", "import wifund"])[1])]

    def step(name: str, fn: object) -> object:
        t = clock()
        out = fn()  # type: ignore[operator]
        rows.append((name, clock() - t))
        return out

    with tempfile.TemporaryDirectory() as tmp:
        if cities == 9:
            prov = step("Province.demo()", wifund.Province.demo)
        else:
            folder = _province(Path(tmp) / "p", max(1, cities // 9))
            prov = step("Province.from_dir", lambda: wifund.Province.from_dir(folder))
        proj = step("project (with the base-year replay)", lambda: wifund.project(prov, years=years))
        step("liabilities (wifund.valuation)", lambda: proj.liabilities)
        step("financing (wifund.valuation)", proj.financing)
        step("CSVs (14 tables)", lambda: [w(io.BytesIO()) for w in report._csv_files(proj).values()])
        step("workbook", lambda: report._write_excel_into(proj, io.BytesIO(), report.WORKBOOK_ROWS))
        step("report.html", lambda: report.render_html(proj))
    print("| phase (CPU s, one process) | s |")
    print("|---|---:|")
    for name, sec in rows:
        print(f"| {name} | {sec:.3f} |")
    print(f"| total | {sum(s for _, s in rows):.3f} |")
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


def _workbook_cells(path: Path) -> dict[tuple[str, int, int], tuple[object, str]]:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=False)
    return {
        (ws.title, c.row, c.column): (c.value, c.number_format)
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    }


def _report_text(path: Path) -> str:
    import re

    text = path.read_text(encoding="utf-8")
    text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "data:image/png;base64,…", text)
    return re.sub(r"run on\s+\d{4}-\d{2}-\d{2}", "run on DATE", text)


def compare(before: Path, after: Path) -> int:
    """Differences between two output folders of `wifund run` (see the module docstring)."""
    diffs: list[str] = []
    names = sorted({p.name for p in before.iterdir()} | {p.name for p in after.iterdir()})
    for name in names:
        a, b = before / name, after / name
        if not (a.exists() and b.exists()):
            diffs.append(f"{name}: only in {'the first' if a.exists() else 'the second'} folder")
        elif name.endswith(".csv") and a.read_bytes() != b.read_bytes():
            diffs.append(f"{name}: the bytes differ")
        elif name.endswith(".xlsx"):
            ca, cb = _workbook_cells(a), _workbook_cells(b)
            bad = [k for k in sorted(set(ca) | set(cb), key=str) if ca.get(k) != cb.get(k)]
            bad = [k for k in bad if not (k[0] == "cover" and "Run date" in str(ca.get((k[0], k[1], 1), "")))]
            diffs += [f"{name} {k}: {ca.get(k)!r} != {cb.get(k)!r}" for k in bad[:20]]
            print(f"{name}: {len(ca):,} cells compared, {len(bad)} differ")
        elif name == "report.html" and _report_text(a) != _report_text(b):
            diffs.append(f"{name}: the text differs (images and run date aside)")
    for d in diffs:
        print(d)
    print(f"{len(names)} files compared: {'identical' if not diffs else f'{len(diffs)} differences'}")
    return 1 if diffs else 0


#: The child of ``--cached-financing``: `wifund run` with wifund.valuation.financing answering from a pickle.
CACHED = """
import pickle, sys
import wifund.valuation
with open(sys.argv.pop(1), "rb") as fh:
    cached = pickle.load(fh)
wifund.valuation.financing = lambda projection, discount=None: cached
from wifund.cli import main
sys.argv[0] = "wifund"
sys.exit(main())
"""


def _cache_financing(path: Path, copies: int, years: int) -> None:
    """The demo's `financing()`, its money columns times ``copies`` for a replicated province (whose
    cities are the demo's ``copies`` times over: the same rates and ratios, money ``copies`` times)."""
    import dataclasses
    import pickle

    import wifund

    fin = wifund.project(wifund.Province.demo(), years=years).financing()
    by_year = fin.by_year.copy()
    for c in ("award_capital", "short_term_costs", "liability_end"):
        by_year[c] *= copies
    with open(path, "wb") as fh:
        pickle.dump(dataclasses.replace(fin, by_year=by_year), fh)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--cities", type=int, default=9)
    ap.add_argument("--years", type=int, default=30)
    ap.add_argument("--keep", help="copy the last run's output folder here (to compare outputs)")
    ap.add_argument("--phases", action="store_true", help="CPU time of each phase in one process instead")
    ap.add_argument("--cached-financing", action="store_true", help="financing() read from a pickle (see above)")
    ap.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"), help="compare two kept output folders")
    args = ap.parse_args()
    if args.compare:
        raise SystemExit(compare(Path(args.compare[0]), Path(args.compare[1])))
    if args.phases:
        phases(args.cities, args.years)
        return
    py = sys.executable
    imp: list[tuple[float, float, float]] = []
    run: list[tuple[float, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [py, "-m", "wifund", "run", "--years", str(args.years)]
        prov = None
        if args.cities != 9:
            prov = _province(Path(tmp) / "province", max(1, args.cities // 9))
            cmd += ["--province", str(prov)]
        if args.cached_financing:
            cache = Path(tmp) / "financing.pickle"
            _cache_financing(cache, max(1, args.cities // 9), args.years)
            cmd[1:3] = ["-c", CACHED, str(cache)]
        out = Path(tmp) / "out"
        for _ in range(args.repeat):
            imp.append(_timed([py, "-c", "import wifund"]))
            run.append(_timed([*cmd, "--out", str(out)]))
        if args.keep:
            shutil.rmtree(args.keep, ignore_errors=True)
            shutil.copytree(out, args.keep)
    label = "demo, 9 cities" if args.cities == 9 else f"{9 * max(1, args.cities // 9)} cities"
    if args.cached_financing:
        label += ", financing() cached"
    print(f"| process ({args.years} years), min of {args.repeat} | wall s | CPU s | peak RSS MiB |")
    print("|---|---:|---:|---:|")
    for name, rows in (("`python -c 'import wifund'`", imp), (f"`wifund run`, {label}", run)):
        wall, cpu, rss = min(r[0] for r in rows), min(r[1] for r in rows), max(r[2] for r in rows)
        print(f"| {name} | {wall:.2f} | {cpu:.2f} | {rss:.0f} |")
    print(
        f"ratio run / import: wall {min(r[0] for r in run) / min(r[0] for r in imp):.2f}, "
        f"CPU {min(r[1] for r in run) / min(r[1] for r in imp):.2f}"
    )
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
