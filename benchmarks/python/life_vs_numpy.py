"""lifelib BasicTerm_M-sized workload side by side: 10,000 model points x 241 monthly steps of
survival and discounting (terms of 10, 15 or 20 years, entry ages 20-59, CL1, 3 %, constant force
within the year), by wifund.life.model_points and by a straightforward vectorised numpy
implementation of the same computation, in one script. Checks that they agree to 1e-9 (relative)
first, then prints the best of N wall-clock times and the ratios.

    PYTHONPATH=python python3 benchmarks/python/life_vs_numpy.py [--repeat 30]
"""

from __future__ import annotations

import argparse
import platform
import time

import numpy as np

import wifund
from wifund import _core

N_POINTS, STEPS, RATE = 10_000, 241, 0.03


def best(fn, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def portfolio(seed=42):
    rng = np.random.default_rng(seed)
    age = rng.integers(20, 60, N_POINTS)
    term = rng.choice([10, 15, 20], N_POINTS)
    term[0] = 20  # at least one life runs the whole 240 months
    return age, term, rng.uniform(1e4, 1e6, N_POINTS)


def numpy_naive(qx, age, term, s, i):
    """Every cell: annual q by age, monthly q = 1 - (1 - q)^(1/12), survival by cumprod, discount."""
    t = np.arange(STEPS)
    ages = np.minimum(age[:, None] + t // 12, len(qx) - 1)
    qm = 1.0 - (1.0 - qx[ages]) ** (1.0 / 12.0)
    p = np.cumprod(np.concatenate([np.ones((len(age), 1)), 1.0 - qm[:, :-1]], axis=1), axis=1)
    inforce = t[None, :] < 12 * term[:, None]
    disc = (1.0 + i) ** (-t / 12.0)
    pv_ann = (disc * p * inforce).sum(axis=1)
    pv_claims = s * ((disc * (1.0 + i) ** (-1.0 / 12.0)) * p * qm * inforce).sum(axis=1)
    return pv_ann, pv_claims


def numpy_per_age(qx, age, term, s, i):
    """The same with the monthly q computed once per age (a lookup per cell)."""
    qm_age = 1.0 - (1.0 - qx) ** (1.0 / 12.0)
    t = np.arange(STEPS)
    ages = np.minimum(age[:, None] + t // 12, len(qx) - 1)
    qm = qm_age[ages]
    p = np.cumprod(np.concatenate([np.ones((len(age), 1)), 1.0 - qm[:, :-1]], axis=1), axis=1)
    inforce = t[None, :] < 12 * term[:, None]
    disc = (1.0 + i) ** (-t / 12.0)
    pv_ann = (disc * p * inforce).sum(axis=1)
    pv_claims = s * ((disc * (1.0 + i) ** (-1.0 / 12.0)) * p * qm * inforce).sum(axis=1)
    return pv_ann, pv_claims


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()
    table = wifund.life.LifeTable.china_2010_2013("CL1")
    qx = table.qx.to_numpy()
    age, term, s = portfolio()

    # Agreement first (1e-9 relative), every implementation against the naive numpy one.
    ref_a, ref_c = numpy_naive(qx, age, term, s, RATE)
    runs = {
        "numpy, per age": lambda: numpy_per_age(qx, age, term, s, RATE),
        "wifund.life.model_points (DataFrame)": lambda: wifund.life.model_points(table, age, term, s, RATE),
        "_core, by policy year, 1 thread": lambda: _core.life.life_model_points(
            table.core, age, term, s, RATE, "constant_force", 1, True
        ),
        "_core, by policy year, 2 threads": lambda: _core.life.life_model_points(
            table.core, age, term, s, RATE, "constant_force", 2, True
        ),
        "_core, month by month, 1 thread": lambda: _core.life.life_model_points(
            table.core, age, term, s, RATE, "constant_force", 1, False
        ),
        "_core, month by month, 2 threads": lambda: _core.life.life_model_points(
            table.core, age, term, s, RATE, "constant_force", 2, False
        ),
    }
    for name, fn in runs.items():
        out = fn()
        a, c = (out["pv_annuity"].to_numpy(), out["pv_claims"].to_numpy()) if hasattr(out, "columns") else out
        np.testing.assert_allclose(a, ref_a, rtol=1e-9, err_msg=name)
        np.testing.assert_allclose(c, ref_c, rtol=1e-9, err_msg=name)
    print(f"agree to 1e-9: {len(runs)} implementations against numpy (naive)")

    t_naive = best(lambda: numpy_naive(qx, age, term, s, RATE), args.repeat)
    times = {"numpy, naive": t_naive}
    for name, fn in runs.items():
        times[name] = best(fn, args.repeat)
    t_np = min(t_naive, times["numpy, per age"])
    print(
        f"{N_POINTS:,} points x {STEPS} monthly steps; best of {args.repeat}; numpy {np.__version__}, "
        f"Python {platform.python_version()}"
    )
    print(f"{'implementation':40s} {'time':>10s} {'vs naive':>9s} {'vs best numpy':>14s}")
    for name, t in times.items():
        print(f"{name:40s} {t * 1e3:8.2f} ms {t_naive / t:8.1f}x {t_np / t:13.1f}x")


if __name__ == "__main__":
    main()
