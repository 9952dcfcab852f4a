"""Benchmark: wifund.budget.monitor on a province of 100 cities x 30 lines x 12 months x 10 years of history.

Times the whole call (validation of the long frame, the cube, the C++ execution kernel, the labelled
table) and, side by side in the same run, a pandas groupby reference computing the same sums and the
same seasonal outturn point (``monitor_ref``); peak Python memory by tracemalloc and the process's
peak RSS. Run: ``PYTHONPATH=python python3 benchmarks/python/budget_monitor.py``.
"""

from __future__ import annotations

import resource
import sys
import time
import tracemalloc

import numpy as np
import pandas as pd

from wifund import budget as B

# The budget has 22 line keys (6 revenue + 16 expenditure), not 30: `--cells` runs 137 cities x 22 lines
# (3,014 city-lines, the cell count of 100 cities x 30 lines).
N_LINES, N_HIST, YEAR, AS_OF = len(B.line_items()[0]) + len(B.line_items()[1]), 10, 2025, 6
N_CITIES = 137 if "--cells" in sys.argv else 100


def make_data(seed: int = 0) -> tuple[B.Budget, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    rev, exp = B.line_items()
    lines = (rev + exp)[:N_LINES]
    cities = [f"city{i:03d}" for i in range(N_CITIES)]
    bud = pd.DataFrame(
        [(c, YEAR, ln, float(rng.uniform(1e6, 1e8))) for c in cities for ln in lines],
        columns=["city", "year", "line", "value"],
    )
    season = 1 + 0.2 * np.sin(np.arange(12) / 12 * 2 * np.pi)
    frames = []
    for y in range(YEAR - N_HIST, YEAR + 1):
        months = 12 if y < YEAR else AS_OF
        c, ln, m = np.meshgrid(np.arange(N_CITIES), np.arange(N_LINES), np.arange(months), indexing="ij")
        v = rng.uniform(0.8, 1.2, c.shape) * 1e6 * season[m] * (1.05 ** (y - YEAR))
        frames.append(
            pd.DataFrame(
                {
                    "city": np.array(cities, dtype=object)[c.ravel()],
                    "year": y,
                    "month": m.ravel() + 1,
                    "line": np.array(lines, dtype=object)[ln.ravel()],
                    "value": v.ravel(),
                }
            )
        )
    return B.Budget.from_frame(bud), pd.concat(frames, ignore_index=True)


def monitor_ref(budget: B.Budget, act: pd.DataFrame) -> pd.DataFrame:
    """The sums and the outturn point with pandas only (cities x lines, no totals or notes)."""
    cur = act[(act.year == YEAR) & (act.month <= AS_OF)]
    cum = cur.groupby(["city", "line"])["value"].sum()
    last = act[(act.year == YEAR - 1) & (act.month <= AS_OF)].groupby(["city", "line"])["value"].sum()
    hist = act[act.year < YEAR]
    ann = hist.groupby(["city", "line", "year"])["value"].sum()
    part = hist[hist.month <= AS_OF].groupby(["city", "line", "year"])["value"].sum()
    ratio = (ann / part).groupby(level=["city", "line"]).mean()
    return pd.DataFrame({"cumulative_actual": cum, "same_period_last_year": last, "outturn": cum * ratio})


def timed(fn, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    budget, act = make_data()
    print(
        f"actuals: {len(act):,} rows ({N_CITIES} cities x {N_LINES} lines x 12 months x {N_HIST} years + "
        f"{AS_OF} months), {act.memory_usage(deep=True).sum() / 2**20:,.0f} MiB as a DataFrame"
    )
    t_check = timed(lambda: B.check_actuals(act))
    t_mon = timed(lambda: B.monitor(budget, act, AS_OF))
    t_ref = timed(lambda: monitor_ref(budget, act))
    table = B.monitor(budget, act, AS_OF)
    ref = monitor_ref(budget, act)
    got = table.drop(index=B.PROVINCE, level=0).loc[ref.index, ["cumulative_actual", "outturn"]]
    err = float(
        np.max(
            np.abs(got.to_numpy() - ref[["cumulative_actual", "outturn"]].to_numpy())
            / np.abs(ref[["cumulative_actual", "outturn"]].to_numpy())
        )
    )
    tracemalloc.start()
    B.monitor(budget, act, AS_OF)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"table: {len(table):,} rows; max relative difference from the pandas reference {err:.1e}")
    print(f"check_actuals            {t_check * 1e3:8.1f} ms")
    print(f"monitor (whole call)     {t_mon * 1e3:8.1f} ms")
    print(
        f"pandas reference (sums + outturn point only) {t_ref * 1e3:8.1f} ms  (ratio monitor/ref {t_mon / t_ref:.2f})"
    )
    print(f"monitor peak traced Python memory {peak / 2**20:,.1f} MiB; process peak RSS {rss:,.0f} MiB")


if __name__ == "__main__":
    main()
