"""Monte Carlo throughput (issue #12): scenario × city × class × year cells a second of ``wifund.simulate``
on the demo province (the engine's full year step per scenario), on 1 and 2 threads, its peak memory,
the Dask overhead on a 2-worker LocalCluster, and side by side a straightforward vectorised numpy
implementation of a simplified fund model (contributions by city × class, Poisson claims × a cost per
claim, an expected-survival annuity run-off of the awards, interest, balance roll) over the same cells.

The two are not the same model: the numpy one is the "lean path" the issue describes (survival computed
once, aggregated books), the wifund kernel still runs the full cohort roll for every scenario, so the
ratio measures how far the kernel is from the lean target, not a like-for-like speed-up.

The kernel is timed with the default sources and again with binomial mortality of beneficiaries on
(``Sources.mortality``), wall and process CPU time.

    PYTHONPATH=python python3 benchmarks/python/simulate_vs_numpy.py [--scenarios 200] [--years 30]
"""

from __future__ import annotations

import argparse
import dataclasses
import resource
import time
import warnings

import numpy as np

import wifund
from wifund import _core
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenarios", type=int, default=200)
    ap.add_argument("--years", type=int, default=30)
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    prov = wifund.Province.demo()
    gen = generator(prov, years=args.years)
    cells = args.scenarios * len(prov.city_names) * len(_core.axes.risk_classes) * args.years
    rows = []
    cpu_rows = []
    gen_mortality = generator(prov, years=args.years, sources=dataclasses.replace(Sources.default(), mortality=True))
    for label, g in (("", gen), (" + binomial mortality", gen_mortality)):
        for threads in (1, 2):
            t, c = time.perf_counter(), time.process_time()
            run_blocks(g, args.scenarios, 0, threads, "fund", 64, False)
            dt, dc = time.perf_counter() - t, time.process_time() - c
            rows.append((f"wifund.simulate{label}, {threads} thread(s)", dt, cells / dt))
            cpu_rows.append((f"wifund.simulate{label}, {threads} thread(s)", dc, 1e3 * dc / args.scenarios))
    t = time.perf_counter()
    numpy_model(args.scenarios, args.years, len(prov.city_names), len(_core.axes.risk_classes), 0)
    dt = time.perf_counter() - t
    rows.append(("numpy simplified lean model", dt, cells / dt))
    try:
        from distributed import Client, LocalCluster

        from wifund import distributed as wd

        with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as lc:
            with Client(lc) as client:
                t = time.perf_counter()
                wd.simulate(prov, scenarios=args.scenarios, years=args.years, client=client, block=64)
                dt = time.perf_counter() - t
        rows.append(("wifund.distributed.simulate, 2 in-process workers (incl. generator build)", dt, cells / dt))
    except ImportError:
        pass
    print(
        f"{args.scenarios} scenarios × {len(prov.city_names)} cities × 9 classes × {args.years} years = {cells:,} cells"
    )
    for name, dt, rate in rows:
        print(f"  {name:<75} {dt:8.2f} s  {rate / 1e6:8.3f} M cells/s")
    print("  CPU time of the process (all threads; less sensitive to the load of a shared machine):")
    for name, dc, per in cpu_rows:
        print(f"  {name:<75} {dc:8.2f} s  {per:8.1f} ms CPU a scenario")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak resident memory of this process: {peak:.0f} MiB")
    print(f"  target: 100,000 scenarios × 30 years in < 25 s = {100_000 * 81 * 30 / 25 / 1e6:.1f} M cells/s")


if __name__ == "__main__":
    main()
