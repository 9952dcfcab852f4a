"""Time the projection from Python: the whole wifund.project call and its parts, a rerun with a changed
scenario (the context kept), the fund-summary sink, and 10,000 scenarios through _core.fund.project_many.

    python benchmarks/python/projection.py [--context-file build/bench/demo_context.wfc] [--many 10000]

The context file is the versioned bytes of the demo context (jilin, 30 years); the C++ benchmark reads
it (WIFUND_BENCH_CONTEXT=<file> ./build/dev/benchmarks/cpp/projection_bench) so that the Python rerun and
the C++ projection are timed on the same input.
"""

import argparse
import time
from pathlib import Path

import numpy as np

import wifund
from wifund import _bridge, _core


def best(fn, repeat=20):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def changed_scenarios(base: "_core.fund.Scenario", n: int) -> list:
    """n scenarios: the base paths with wage growth and interest shifted (cheap copies, no Python rebuild)."""
    out = []
    e0 = base.economy
    for i in range(n):
        e = _core.fund.EconomyPaths()
        for name in (
            "employment_growth",
            "coverage_growth",
            "collection_rate",
            "minimum_wage",
            "cpi",
            "medical_inflation",
            "disposable_income_growth",
            "project_growth",
            "other_income",
            "prevention_share",
            "major_accident_cost",
            "avg_wage_prev",
        ):
            setattr(e, name, getattr(e0, name))
        e.wage_growth = e0.wage_growth + 0.00001 * (i % 1000) - 0.005
        e.interest_rate = e0.interest_rate + 0.0001 * (i % 37)
        out.append(_core.fund.Scenario(e))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--context-file", default="build/bench/demo_context.wfc")
    ap.add_argument("--many", type=int, default=10_000)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()

    prov = wifund.Province.demo()
    policy = wifund.Policy.load("jilin")
    a = wifund.Assumptions.default()
    ctx, scen, _ = _bridge.build_context(prov, policy, a, 30)
    path = Path(args.context_file)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(ctx.to_bytes())

    proj = wifund.project(prov, policy, a, years=30)
    a2 = wifund.Assumptions(paths={"wage_growth": 0.04, "interest_rate": 0.02})
    s2 = _bridge.build_scenario(prov, a2, _bridge.projection_years(prov, 30))
    # The pure C++ time of the summary sink, measured in-process: project_many over k copies of one
    # scenario on one thread has no per-projection Python cost.
    k = 50
    t_cpp_summary = best(lambda: _core.fund.project_many(ctx, [s2] * k, threads=1), repeat=5) / k

    rows = [
        ("wifund.project (30 years, demo province, jilin)", best(lambda: wifund.project(prov, policy, a, years=30))),
        (
            "  of which build_context (resolve policy, data, validate)",
            best(lambda: _bridge.build_context(prov, policy, a, 30)),
        ),
        (
            "  of which _core.fund.project(ctx, scenario) (C++, GIL released)",
            best(lambda: _core.fund.project(ctx, scen)),
        ),
        ("rerun: _core.fund.project(ctx, changed scenario), full sink", best(lambda: _core.fund.project(ctx, s2))),
        ("rerun: proj.rerun(scenario=changed)", best(lambda: proj.rerun(scenario=s2))),
        ("rerun: proj.rerun(assumptions=changed) (paths rebuilt in Python)", best(lambda: proj.rerun(a2))),
        (
            "summary sink: _core.fund.project(ctx, s, sink='summary')",
            best(lambda: _core.fund.project(ctx, s2, sink="summary")),
        ),
        ("summary sink, C++ only (project_many of 50, 1 thread, per run)", t_cpp_summary),
        ("project + by_city long frame", best(lambda: wifund.project(prov, policy, a, years=30).by_city, repeat=5)),
    ]
    print(f"{'step':66s} {'best of runs':>12s}")
    for name, t in rows:
        print(f"{name:66s} {t * 1e3:9.2f} ms")

    many = changed_scenarios(scen, args.many)
    for threads in sorted({1, args.threads}):
        t = best(lambda threads=threads: _core.fund.project_many(ctx, many, threads=threads), repeat=1)
        print(
            f"project_many: {len(many):,} scenarios, {threads} thread(s): {t:.2f} s = {len(many) / t:,.0f} scenarios/s"
        )
    r1 = _core.fund.project_many(ctx, many[:200], threads=1)
    r2 = _core.fund.project_many(ctx, many[:200], threads=args.threads)
    assert all(np.array_equal(r1[n], r2[n]) for n in _core.fund.fund_summary_vectors), "thread count changed a result"
    print(f"context bytes: {path} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
