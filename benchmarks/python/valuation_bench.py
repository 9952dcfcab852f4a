"""Valuing a large book of long-term beneficiaries with wifund.valuation.value (issue #11 item 5):
N rows (default 1,000,000) resampled from the demonstration province's beneficiary table, one
person a row, valued to extinction at 3 % on one core. Prints the wall-clock time of the whole call
(input checks, the 50-year context, the economic paths and the C++ roll) and of the C++ call alone,
by city and kind (``per_row=False``: the projection's grouping of the Art. 39 ¶3 deaths) and per row
(each row's own PV, the dependants of its deaths included) on a subset of ``--per-row`` rows.

The lifelib BasicTerm_M-sized workload (10,000 lives x 241 monthly steps) against numpy is
benchmarks/python/life_vs_numpy.py (issue #11 item 1).

    PYTHONPATH=python python3 benchmarks/python/valuation_bench.py [--rows 1000000] [--per-row 20000]
"""

from __future__ import annotations

import argparse
import os
import time
from types import SimpleNamespace

import wifund
from wifund import _core, valuation
from wifund._bridge import _cohort_columns, build_input


def book(n: int, seed: int = 1) -> object:
    demo = wifund.Province.demo()
    ben = demo.beneficiaries.sample(n, replace=True, random_state=seed).reset_index(drop=True)
    return demo, ben.assign(count=1.0)


def timed(fn: object) -> tuple[float, object]:
    t = time.perf_counter()
    out = fn()  # type: ignore[operator]
    return time.perf_counter() - t, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--per-row", type=int, default=20_000)
    args = ap.parse_args()
    print(f"cpu: {os.cpu_count()} logical cores visible; one thread used")
    demo, ben = book(args.rows)
    t_all, v = timed(lambda: valuation.value(ben, province=demo, discount=0.03, per_row=False))
    print(f"value({args.rows:,} rows, per_row=False): {t_all:.2f} s  liability {v.total / 1e8:,.1f} 亿元")
    inp, _ = build_input(demo, wifund.Policy.load(demo.default_policy), wifund.Assumptions.default(), 50)
    base = inp.base
    base.set_beneficiaries(**_cohort_columns(SimpleNamespace(city_names=demo.city_names, base_year=2024), ben))
    inp.base = base
    t_core, _ = timed(lambda: _core.valuation.value(inp, 0, [0.03], 150, False, -1))
    print(f"  _core.valuation.value alone: {t_core:.2f} s ({1e6 * t_core / args.rows:.2f} µs a row)")
    _, sub = book(args.per_row, seed=2)
    t_row, r = timed(lambda: valuation.value(sub, province=demo, discount=0.03))
    print(
        f"value({args.per_row:,} rows, per_row=True): {t_row:.2f} s ({1e6 * t_row / args.per_row:.1f} µs a row; "
        f"{args.rows:,} rows would take about {t_row * args.rows / args.per_row:.0f} s)"
    )


if __name__ == "__main__":
    main()
