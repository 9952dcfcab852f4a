"""Audit of a province: time and peak memory of wifund.budget_audit.audit (and of reading the actuals)
for 100 cities × every line × 12 months × 10 years, with headcount by two risk classes, wages, rates and
two beneficiary series per city, and a few planted problems (so findings are built).

    PYTHONPATH=python python3 benchmarks/python/audit_bench.py [--cities 100] [--years 10]

The schema has 24 line keys (22 lines and the 2 totals), so 100 cities give 288,000 rows; ``--cities
125`` gives the 360,000 rows of 100 cities × 30 lines. Time: best of ``--repeat`` runs. Memory: the peak
of Python allocations during one call (tracemalloc, which NumPy and pandas buffers report to) and the
process's maximum resident set size (ru_maxrss) at the end.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests" / "python"))
from wifund import io as wio  # noqa: E402
from wifund.budget_audit import audit  # noqa: E402

from audit_data import clean_submission  # noqa: E402


def best(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def peak(fn) -> float:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def plant(s: dict, rng: np.random.Generator) -> dict:
    a = s["actuals"].copy()
    med = np.flatnonzero((a["line"] == "medical").to_numpy())
    a.loc[a.index[rng.choice(med, 50, replace=False)], "value"] *= 3.0  # spikes: jumps and totals
    a = pd.concat([a, a.sample(10, random_state=1)], ignore_index=True)  # repeats
    gone = (a["city"] == a["city"].iloc[0]) & (a["year"] == a["year"].iloc[0] + 1) & (a["month"] == 6)
    return {**s, "actuals": a[~gone]}  # a missing month


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cities", type=int, default=100)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    cities = tuple(f"city{i:03d}" for i in range(args.cities))
    s = plant(
        clean_submission(cities=cities, start=(2015, 1), months=12 * args.years, noise=0.005), np.random.default_rng(0)
    )
    a = s["actuals"]
    print(
        f"{args.cities} cities x {a['line'].nunique()} lines x {12 * args.years} months: {len(a):,} actuals rows, "
        f"{len(s['headcount']):,} headcount rows, {len(s['beneficiaries']):,} beneficiary rows"
    )

    t_check, _ = best(lambda: wio.check_actuals(a, duplicates="keep"), args.repeat)
    t_plain, f0 = best(lambda: audit(a), args.repeat)
    t_full, f = best(lambda: audit(s), args.repeat)
    m_full = peak(lambda: audit(s))
    m_plain = peak(lambda: audit(a))
    print(f"check_actuals               {t_check * 1e3:8.1f} ms")
    print(f"audit(actuals only)         {t_plain * 1e3:8.1f} ms   peak {m_plain:6.1f} MiB   {len(f0)} findings")
    print(f"audit(with side tables)     {t_full * 1e3:8.1f} ms   peak {m_full:6.1f} MiB   {len(f)} findings")
    print("  findings by rule:", dict(f["rule"].value_counts()))

    clean = wio.check_actuals(a.drop_duplicates(["city", "year", "month", "line"]))
    with tempfile.TemporaryDirectory() as d:
        for ext in ("csv", "parquet"):
            p = Path(d) / f"a.{ext}"
            t_w, _ = best(lambda p=p: wio.write_actuals(clean, p, if_exists="replace"), 1)
            t_r, _ = best(lambda p=p: wio.read_actuals(p), args.repeat)
            print(
                f"{ext:8s} write {t_w * 1e3:8.1f} ms   read {t_r * 1e3:8.1f} ms   ({p.stat().st_size / 2**20:.1f} MiB)"
            )
        url = f"sqlite:///{d}/a.db"
        t_w, _ = best(lambda: wio.write_actuals(clean, url, "actuals", if_exists="replace"), 1)
        t_r, _ = best(lambda: wio.read_actuals(url, "actuals"), args.repeat)
        print(f"sqlite   write {t_w * 1e3:8.1f} ms   read {t_r * 1e3:8.1f} ms")
    print(f"max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
