"""Monte Carlo throughput (issue #12): scenario × city × class × year cells a second of ``wifund.simulate``
on the demo province, with the lean kernel (``include/wifund/stochastic/lean.hpp``: the base-year stock rolled
once per generator, the year's awards and the dependants of each death rolled per scenario; method="lean") and
the full kernel (the engine's year step with the whole cohort book per scenario; method="full"), on 1 and 2
threads, wall and process CPU time; the full kernel again with binomial mortality of beneficiaries
(``Sources.mortality``, where lean is not exact); peak memory; the Dask overhead on a 2-worker LocalCluster;
and side by side a straightforward vectorised numpy implementation of a simplified fund model
(contributions by city × class, Poisson claims × a cost per claim, an expected-survival annuity run-off of the
awards, interest, balance roll) over the same cells.

The numpy model is not the engine's model (no cohorts, no floors, no dependants): the ratio says how the
engine's exact kernel compares with the cheapest vectorised model of the same cells, not a like-for-like
speed-up. ``--context-file`` writes the demo context for ``benchmarks/cpp/simulate_bench.cpp``.

    PYTHONPATH=python python3 benchmarks/python/simulate_vs_numpy.py [--scenarios 400] [--full-scenarios 100]
        [--years 30] [--context-file build/bench/demo_context.bin]
"""

from __future__ import annotations

import argparse
import dataclasses
import resource
import time
import warnings
from pathlib import Path

import numpy as np

import wifund
from wifund import _bridge, _core
from wifund.simulate import generator, run_blocks
from wifund.stochastic import Sources


def numpy_model(scenarios: int, years: int, cities: int, classes: int, seed: int) -> np.ndarray:
    """The simplified model, vectorised over scenarios × cities × classes, looping over years."""
    rng = np.random.default_rng(seed)
    insured = np.full((scenarios, cities, classes), 50_000.0)
    wage = np.full((scenarios, cities, classes), 6_000.0)
    rate = np.linspace(0.002, 0.019, classes)
    incidence = np.linspace(0.001, 0.01, classes)
    survival = np.cumprod(np.full(years, 0.97))  # expected survival, computed once
    awards = np.zeros((scenarios, years))
    balance = np.full(scenarios, 3e9)
    out = np.empty((scenarios, years))
    for j in range(years):
        g = 0.05 + 0.01 * rng.standard_normal((scenarios, 1, 1))
        wage *= 1 + g
        insured *= 1.01
        contributions = (insured * wage * 12 * rate).sum(axis=(1, 2))
        claims = rng.poisson(insured * incidence)
        short_term = (claims * 30_000.0).sum(axis=(1, 2))
        awards[:, j] = claims.sum(axis=(1, 2)) * 0.05 * 36_000.0
        long_term = awards[:, : j + 1] @ survival[j::-1]
        net = contributions - short_term - long_term
        balance = balance + net + 0.02 * (balance + 0.5 * net)
        out[:, j] = balance
    return out


def _time(g: object, scenarios: int, threads: int, method: str) -> tuple[float, float]:
    t, c = time.perf_counter(), time.process_time()
    raw = run_blocks(g, scenarios, 0, threads, "fund", 64, False, method)
    assert raw["method"] == method
    return time.perf_counter() - t, time.process_time() - c


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenarios", type=int, default=400, help="scenarios of the lean runs and the numpy model")
    ap.add_argument("--full-scenarios", type=int, default=100, help="scenarios of the full-kernel runs")
    ap.add_argument("--years", type=int, default=30)
    ap.add_argument("--context-file", default=None, help="write the demo context here (simulate_bench.cpp)")
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    prov = wifund.Province.demo()
    if args.context_file:
        policy = wifund.Policy.load(prov.default_policy)
        ctx, _, _ = _bridge.build_context(prov, policy, wifund.Assumptions.default(), args.years)
        path = Path(args.context_file)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(ctx.to_bytes())
    t = time.process_time()
    gen = generator(prov, years=args.years)
    build = time.process_time() - t
    per_scenario_cells = len(prov.city_names) * len(_core.axes.risk_classes) * args.years
    gen_mortality = generator(prov, years=args.years, sources=dataclasses.replace(Sources.default(), mortality=True))
    rows = []
    for label, g, method, n in (
        ("lean", gen, "lean", args.scenarios),
        ("full", gen, "full", args.full_scenarios),
        ("full + binomial mortality", gen_mortality, "full", args.full_scenarios),
    ):
        for threads in (1, 2):
            dt, dc = _time(g, n, threads, method)
            rows.append((f"wifund.simulate {label}, {threads} thread(s), {n} scenarios", dt, dc, n))
    t = time.perf_counter()
    numpy_model(args.scenarios, args.years, len(prov.city_names), len(_core.axes.risk_classes), 0)
    dt_np = time.perf_counter() - t
    dask = None
    try:
        from distributed import Client, LocalCluster

        from wifund import distributed as wd

        with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as lc:
            with Client(lc) as client:
                t = time.perf_counter()
                wd.simulate(prov, scenarios=args.scenarios, years=args.years, client=client, block=64)
                dask = time.perf_counter() - t
    except ImportError:
        pass
    print(f"{per_scenario_cells:,} cells a scenario (cities × 9 classes × {args.years} years)")
    print(f"  generator build (incl. the lean stock roll): {build * 1e3:.0f} ms CPU")
    print(f"  {'kernel':<62} {'wall s':>8} {'M cells/s':>10} {'CPU s':>8} {'ms CPU/scen':>12}")
    for name, dt, dc, n in rows:
        print(f"  {name:<62} {dt:8.2f} {n * per_scenario_cells / dt / 1e6:10.3f} {dc:8.2f} {1e3 * dc / n:12.2f}")
    cells = args.scenarios * per_scenario_cells
    label = f"numpy simplified model, {args.scenarios} scenarios"
    print(f"  {label:<62} {dt_np:8.2f} {cells / dt_np / 1e6:10.3f}")
    if dask is not None:
        label = "wifund.distributed.simulate (lean), 2 in-process workers"
        print(f"  {label:<62} {dask:8.2f} {cells / dask / 1e6:10.3f}")
    lean1 = rows[0][2] / rows[0][3]
    print(f"  lean / full CPU per scenario: {rows[2][2] / rows[2][3] / lean1:.2f}x faster")
    print(f"  100,000 scenarios at the lean 2-thread wall rate: {100_000 * rows[1][1] / rows[1][3]:.0f} s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak resident memory of this process: {peak:.0f} MiB")
    print(f"  target: 100,000 scenarios × 30 years in < 25 s = {100_000 * 81 * 30 / 25 / 1e6:.1f} M cells/s")


if __name__ == "__main__":
    main()
