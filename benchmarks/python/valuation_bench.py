"""Valuing a large book of long-term beneficiaries with wifund.valuation.value (issue #11, performance):
N rows (default 1,000,000) resampled from the demonstration province's beneficiary table, one person a
row, valued to extinction at 3 % on one core, by the fast path (``method="fast"``,
include/wifund/valuation/fast.hpp) and, side by side on a subset of ``--roll-rows`` rows, by the roll
(``method="roll"``, the projection's cohort books), after checking on that subset that both give the same
values per row (1e-9 relative).

Two books of N rows: the demo's rows resampled as they are (many rows equal: the fast path values equal
rows once), and the same with every row's monthly amount moved by a different tiny factor (all rows
distinct: what a file of real individual records looks like). Each line gives the wall-clock and CPU time
of the whole ``value`` call from a DataFrame in memory (input checks, the 50-year context, the economic
paths, the C++ valuation, the result tables) and of the C++ call alone.

The lifelib BasicTerm_M-sized workload (10,000 lives x 241 monthly steps) against numpy is
benchmarks/python/life_vs_numpy.py (issue #11 item 1).

Each 1,000,000-row timing is repeated ``--repeat`` times (the machine is shared: the range of CPU times is
printed), and the CPU time of one ``value`` call on the distinct book is split into its stages (the row
checks, the mortality-table ages, the 50-year context and policy, the engine's arrays, the C++ valuation,
the result tables) by running them one after the other as ``value`` does.

    PYTHONPATH=python python3 benchmarks/python/valuation_bench.py [--rows 1000000] [--roll-rows 20000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd

import wifund
from wifund import _core, valuation
from wifund._bridge import _cohort_columns, build_input
from wifund.province import _check_beneficiaries, _Src


def book(demo: wifund.Province, n: int, seed: int, distinct: bool) -> pd.DataFrame:
    ben = demo.beneficiaries.sample(n, replace=True, random_state=seed).reset_index(drop=True).assign(count=1.0)
    if distinct:  # every row its own amount (a factor within ±0.5 %)
        jitter = np.random.default_rng(seed).uniform(-0.005, 0.005, n)
        ben["monthly_amount"] = ben["monthly_amount"] * (1 + jitter)
    return ben


def timed(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[float, float, Any]:
    w, c = time.perf_counter(), time.process_time()
    out = fn(*args, **kwargs)
    return time.perf_counter() - w, time.process_time() - c, out


def core_input(demo: wifund.Province, ben: pd.DataFrame) -> Any:
    inp, _ = build_input(demo, wifund.Policy.load(demo.default_policy), wifund.Assumptions.default(), 50)
    base = inp.base
    base.set_beneficiaries(**_cohort_columns(SimpleNamespace(city_names=demo.city_names, base_year=2024), ben))
    inp.base = base
    return inp


def cpu_range(n: int, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[float, float, float, Any]:
    """Best wall time, min and max CPU time of ``n`` calls, and the last result. Each result is dropped
    before the next call, as a caller replacing its result would (keeping three 1,000,000-row results
    alive made the next calls 0.1-0.3 s slower: new memory, page faults)."""
    walls, cpus = [], []
    out: Any = None
    for _ in range(n):
        out = None
        w, c, out = timed(fn, *args, **kwargs)
        walls.append(w)
        cpus.append(c)
    return min(walls), min(cpus), max(cpus), out


def stages(demo: wifund.Province, ben: pd.DataFrame, per_row: bool) -> dict[str, float]:
    """CPU seconds of the stages of ``value(ben, province=demo, discount=0.03, method="fast")``, run one after
    the other as python/wifund/valuation.py runs them."""
    out: dict[str, float] = {}
    coded: dict[str, Any] = {}
    src = _Src("value(beneficiaries=...)", is_file=False)

    def stage(name: str, fn: Callable[[], Any]) -> Any:
        c = time.process_time()
        result = fn()
        out[name] = time.process_time() - c
        return result

    checked = stage("row checks", lambda: _check_beneficiaries(ben, src, src, set(demo.city_names), 2024, coded))
    stage("table ages", lambda: valuation._check_table_ages(checked, wifund.Assumptions.default(), coded))
    inp = stage("context and policy", lambda: valuation._input(demo, None, None, 1.0))
    columns = stage(
        "engine arrays",
        lambda: _cohort_columns(SimpleNamespace(city_names=demo.city_names, base_year=2024), checked, coded),
    )
    base = inp.base
    stage("set_beneficiaries", lambda: base.set_beneficiaries(**columns))
    inp.base = base
    raw = stage("C++ value_fast", lambda: _core.valuation.value_fast(inp, 0, [0.03], 150, -1, per_row=per_row))
    if per_row:
        pv = np.asarray(raw["pv"], dtype=float)
        cols = [f"pv_{i}" for i in valuation.ITEMS] + ["pv"]

        def tables() -> Any:
            block = np.empty((pv.shape[1] + 1, pv.shape[0]))
            block[:-1] = pv.T
            block[-1] = pv.sum(axis=1)
            values = pd.DataFrame(block.T, columns=cols, index=checked.index, copy=False)
            return pd.concat([checked, values], axis=1), valuation._sums_by_city_kind(values, checked, coded)

        stage("result tables", tables)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--roll-rows", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    print(f"cpu: {os.cpu_count()} logical cores visible; one thread used; load {os.getloadavg()}")
    demo = wifund.Province.demo()
    kw: dict[str, Any] = dict(province=demo, discount=0.03)

    sub = book(demo, args.roll_rows, seed=2, distinct=True)
    w_roll, c_roll, roll = timed(lambda: valuation.value(sub, **kw))
    w_fast, c_fast, fast = timed(lambda: valuation.value(sub, method="fast", **kw))
    # The roll drops cohorts below 1e-9 persons, the fast path later (docs/valuation.md): per row of one
    # person they differ by that truncation (about 1e-9 relative); compared at 100 persons a row.
    cols = [f"pv_{i}" for i in valuation.ITEMS]
    worst_total = abs(fast.total / roll.total - 1)
    big = sub.assign(count=100.0)
    r = valuation.value(big, **kw).rows[cols].to_numpy()
    f = valuation.value(big, method="fast", **kw).rows[cols].to_numpy()
    worst = float(np.max(np.abs(f - r) / np.maximum(np.abs(r), 1e-6)))
    assert worst < 1e-9 and worst_total < 1e-9, (worst, worst_total)
    print(
        f"{args.roll_rows:,} distinct rows: fast and roll agree to {worst:.1e} per row x item "
        f"(at 100 persons a row), {worst_total:.1e} in the liability (one person a row)"
    )
    for name, w, c in (("roll", w_roll, c_roll), ("fast", w_fast, c_fast)):
        print(f"  value(method={name!r}): {w:.3f} s wall, {c:.3f} s CPU ({1e6 * c / args.roll_rows:.2f} µs a row)")

    n = args.repeat
    for distinct in (False, True):
        ben = book(demo, args.rows, seed=1, distinct=distinct)
        label = "distinct amounts" if distinct else "resampled as is"
        inp = core_input(demo, ben)
        for per_row in (False, True):
            wc, lo, hi, raw = cpu_range(n, _core.valuation.value_fast, inp, 0, [0.03], 150, -1, per_row=per_row)
            if not per_row:
                print(
                    f"{args.rows:,} rows ({label}; {raw['distinct_rows']:,} row shapes probed, "
                    f"{raw['dependant_bases']:,} dependant bases rolled), CPU min-max of {n} calls:"
                )
            print(f"  _core.valuation.value_fast(per_row={per_row}) alone: {wc:.3f} s wall, {lo:.3f}-{hi:.3f} s CPU")
        for per_row in (False, True):
            w, lo, hi, v = cpu_range(n, valuation.value, ben, method="fast", per_row=per_row, **kw)
            print(
                f"  value(method='fast', per_row={per_row}): {w:.3f} s wall, {lo:.3f}-{hi:.3f} s CPU "
                f"(liability {v.total / 1e8:,.2f} 亿元)"
            )
        if distinct:
            for per_row in (False, True):
                parts = stages(demo, ben, per_row)
                print(
                    f"  stages of one value(per_row={per_row}), CPU s: "
                    + ", ".join(f"{k} {t:.3f}" for k, t in parts.items())
                    + f" (sum {sum(parts.values()):.3f})"
                )


if __name__ == "__main__":
    main()
