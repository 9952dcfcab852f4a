"""Experience rating of 10 million employers (issue #13): wifund.ratesetting.float_tiers (C++ kernel) side by side
with a straightforward vectorised pandas / numpy implementation of the same schedule, from a DataFrame already in
memory. The two must agree exactly on every multiplier; best of ``--repeat`` runs.

    python benchmarks/python/float_tiers_bench.py [--employers 10000000] [--schedule jiangsu] [--repeat 3]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from wifund import ratesetting as R


def population(n: int, seed: int = 2026) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    contributions = rng.gamma(2.0, 2e4, n)
    benefits = np.where(rng.random(n) < 0.6, 0.0, contributions * rng.gamma(0.7, 0.8, n))
    insured = rng.integers(1, 400, n).astype(float)
    injuries = np.where(benefits > 0, rng.poisson(0.02 * insured + 1), 0).astype(float)
    cities = pd.Categorical.from_codes(rng.integers(0, 14, n), categories=[f"C{i:02d}" for i in range(14)])
    return pd.DataFrame(
        {
            "employer": np.arange(n),
            "risk_class": rng.integers(1, 9, n).astype(np.int8),
            "city": cities,
            "contributions": contributions,
            "benefits": benefits,
            "injuries": injuries,
            "insured": insured,
            "years_insured": rng.uniform(0, 10, n),
            "zero_previous_cycle": rng.random(n) < 0.3,
            "arrears": rng.random(n) < 0.01,
        }
    )


def pandas_float(f: pd.DataFrame, s: R.FloatSchedule) -> pd.Series:
    """The same rules written directly in pandas / numpy (no step limit: the schedules benchmarked set tiers
    outright)."""
    c, b = f["contributions"].to_numpy(), f["benefits"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(c > 0, b / c, np.where(b > 0, np.inf, 0.0))
        inc = np.where(f["insured"] > 0, f["injuries"] / f["insured"], 0.0)
    side = "left" if s.ratio_right_closed else "right"
    rb = np.searchsorted(np.asarray(s.ratio_edges), ratio, side=side)
    if s.incidence_edges:
        ib = np.searchsorted(np.asarray(s.incidence_edges), inc, side="left" if s.incidence_right_closed else "right")
    else:
        ib = np.zeros(len(f), dtype=np.int64)
    grid = np.asarray(s.grid)
    m = grid[rb, ib]
    if s.zero_repeat is not None and "zero_previous_cycle" in f:
        m = np.where((ratio == 0) & (inc == 0) & f["zero_previous_cycle"].to_numpy(), s.zero_repeat, m)
    if s.no_contributions == "top":
        m = np.where((c == 0) & (b > 0), s.ladder[-1], m)
    cls = f["risk_class"].to_numpy()
    if s.class1_up_only:
        m = np.where((cls == 1) & (m < 1.0), 1.0, m)
    blocked = np.zeros(len(f), dtype=bool)
    for flag in s.block_down:
        if flag in f:
            blocked |= f[flag].to_numpy()
    m = np.where(blocked & (m < 1.0), 1.0, m)
    m = np.where(f["years_insured"].to_numpy() < s.min_years_insured, 1.0, m)
    base = np.asarray(s.base_rates)[cls - 1]
    rate = base * m
    if s.floor_class1_base:
        rate = np.maximum(rate, s.base_rates[0])
    return pd.Series(rate / base, index=f.index, name="multiplier")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--employers", type=int, default=10_000_000)
    ap.add_argument("--schedule", default="jiangsu")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    f = population(a.employers)
    s = R.load_schedule(a.schedule)
    best_w = best_p = float("inf")
    for _ in range(a.repeat):
        t = time.perf_counter()
        res = R.float_tiers(f, s)
        best_w = min(best_w, time.perf_counter() - t)
        t = time.perf_counter()
        ref = pandas_float(f, s)
        best_p = min(best_p, time.perf_counter() - t)
    same = bool(np.array_equal(res.employers["multiplier"].to_numpy(), ref.to_numpy()))
    print(f"{a.employers:,} employers, schedule {a.schedule}")
    print(f"wifund.ratesetting.float_tiers (C++ kernel + checks + revenue by city/class): {best_w:.3f} s")
    print(f"pandas / numpy vectorised (multipliers only):                               {best_p:.3f} s")
    print(f"multipliers identical: {same}; revenue effect {res.revenue['revenue_effect'].sum():,.0f} yuan")
    if not same:
        raise SystemExit("the two implementations disagree")


if __name__ == "__main__":
    main()
