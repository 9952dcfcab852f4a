"""Quick timings of the demo projection, its reruns and project_many on 400 scenarios (benchmarks/README.md,
"After the fidelity rules"). Wall clock, minimum and median of repeated runs.

    PYTHONPATH=python python3 benchmarks/python/projection_quick.py
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import numpy as np

import wifund
from wifund import _core
from wifund._bridge import build_scenario, projection_years


def timed(fn: Callable[[], object], n: int = 15) -> tuple[float, float]:
    ts = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts), min(ts)


def main() -> None:
    prov = wifund.Province.demo()
    pol = wifund.Policy.load("jilin")
    proj = wifund.project(prov, pol, years=30)
    ctx, s = proj.context, proj.scenario
    a2 = wifund.Assumptions(paths={"wage_growth": 0.04})
    rows = {
        "C++ full": timed(lambda: _core.fund.project(ctx, s)),
        "C++ summary": timed(lambda: _core.fund.project(ctx, s, sink="summary")),
        "rerun(scenario)": timed(lambda: proj.rerun(scenario=s)),
        "rerun(assumptions)": timed(lambda: proj.rerun(assumptions=a2)),
        "wifund.project": timed(lambda: wifund.project(prov, pol, years=30), n=7),
    }
    print("cohorts in stock", len(prov.beneficiaries))
    for k, (med, low) in rows.items():
        print(f"{k}: median {med * 1e3:.1f} ms, min {low * 1e3:.1f} ms")
    years = projection_years(prov, 30)
    rng = np.random.default_rng(1)
    many = []
    for _ in range(400):
        paths = {"wage_growth": float(rng.normal(0.05, 0.01)), "interest_rate": float(rng.normal(0.015, 0.003))}
        many.append(build_scenario(prov, wifund.Assumptions(paths=paths), years))
    for threads in (1, 2):
        t = time.perf_counter()
        _core.fund.project_many(ctx, many, threads=threads)
        wall = time.perf_counter() - t
        print(f"project_many 400 scenarios threads={threads}: {wall:.2f} s wall, {400 / wall:.1f} scenarios/s")


if __name__ == "__main__":
    main()
