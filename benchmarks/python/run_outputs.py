"""Whole-process timings of the main job (issue #14 item 5): `python -c "import wifund"`, the demo's
`wifund run`, and `wifund run` on provinces of 90 and 900 cities (the demo's nine cities replicated),
30 years each, with peak memory (ru_maxrss of the child).

    PYTHONPATH=python python3 benchmarks/python/run_outputs.py [--repeat 3] [--cities 9 90 900]

Prints a Markdown table for benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

import wifund


def _timed(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one child process (its own rusage, from wait4)."""
    t = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - t
    child.returncode = os.waitstatus_to_exitcode(status)
    err = child.stderr.read().decode() if child.stderr else ""
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({child.returncode}): {err[-2000:]}")
    return wall, usage.ru_maxrss / 1024


def _province(folder: Path, copies: int) -> Path:
    """The demo province with each city replicated ``copies`` times (names suffixed), same ratios."""
    demo = wifund.Province.demo()
    demo.to_dir(folder)
    if copies == 1:
        return folder

    def rep(df: pd.DataFrame) -> pd.DataFrame:
        parts = []
        for k in range(copies):
            part = df.copy()
            part["city"] = part["city"].astype(str) + (f"-{k}" if k else "")
            parts.append(part)
        return pd.concat(parts, ignore_index=True)

    for name in ("cities", "insured", "beneficiaries"):
        frame = pd.read_csv(folder / f"{name}.csv", comment="#")
        rep(frame).to_csv(folder / f"{name}.csv", index=False)
    toml = (folder / "province.toml").read_text(encoding="utf-8")
    (folder / "province.toml").write_text(_scaled_totals(toml, copies), encoding="utf-8")
    return folder


#: Sections of province.toml holding the base year's money totals (scaled with the cities).
_TOTALS = ("fund", "base_year.revenue", "base_year.expenditure")


def _scaled_totals(toml: str, copies: int) -> str:
    """province.toml with the base-year totals (the fund's balances and flows, the reported items)
    multiplied by ``copies``, so that the replicated province's base-year replay matches as the demo's
    does (without it every run warns that the replay is ``copies`` times the reported figures)."""
    out, section = [], ""
    for line in toml.splitlines(keepends=True):
        m = re.match(r"\s*\[([^\]]+)\]", line)
        if m:
            section = m.group(1).strip()
        kv = re.match(r"(\s*[A-Za-z_][A-Za-z0-9_]*\s*=\s*)([-+0-9.eE]+)(\s*(#.*)?\n?)$", line)
        if section in _TOTALS and kv:
            line = f"{kv.group(1)}{float(kv.group(2)) * copies!r}{kv.group(3)}"
        out.append(line)
    return "".join(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cities", type=int, nargs="*", default=[9, 90, 900])
    args = ap.parse_args()
    py = sys.executable
    rows = []
    imp = [_timed([py, "-c", "import wifund"]) for _ in range(args.repeat)]
    rows.append(("python -c 'import wifund'", statistics.median(w for w, _ in imp), max(m for _, m in imp)))
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.cities:
            copies = max(1, n // 9)
            prov = _province(Path(tmp) / f"p{n}", copies)
            runs = []
            for r in range(args.repeat):
                out = Path(tmp) / f"out{n}-{r}"
                cmd = [py, "-m", "wifund", "run", "--out", str(out)]
                if n != 9:
                    cmd += ["--province", str(prov)]
                runs.append(_timed(cmd))
            label = "wifund run (demo, 9 cities)" if n == 9 else f"wifund run ({9 * copies} cities)"
            rows.append((label, statistics.median(w for w, _ in runs), max(m for _, m in runs)))
    print("| process (30 years) | wall s (median) | peak RSS MiB |")
    print("|---|---:|---:|")
    for label, wall, mem in rows:
        print(f"| {label} | {wall:.2f} | {mem:.0f} |")


if __name__ == "__main__":
    main()
