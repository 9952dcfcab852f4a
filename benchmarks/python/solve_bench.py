"""Rate-setting solvers (issue #13): one deterministic solve on the demo (target <= 50 ms: the balancing multiplier
over 30 years, and the multiplier for 12 months of payment at 10 years) and one probability-constrained solve
(P(months of payment < 12 within 10 years) <= 5 %) with ``--scenarios`` scenarios; best of ``--repeat`` runs for
the deterministic ones. The first evaluation is one C++ engine run, the others only the rate-dependent part of the
years (ratesetting/split.hpp); the context is built once per solve in Python (build_context) and that is included in
the time (printed separately too). The probability solve runs every scenario once through the Monte Carlo engine, then
TOMS 748 on the order statistic of the scenarios' lowest months (ratesetting/solve.hpp); ``--engine`` runs the engine
at every evaluation instead (the state before the split).

    python benchmarks/python/solve_bench.py [--scenarios 10000] [--threads 2] [--repeat 5]
"""

from __future__ import annotations

import argparse
import resource
import time

import wifund
from wifund import ratesetting as R


def best(fn, repeat: int) -> tuple[float, float, R.SolveResult]:
    """Best wall time and best CPU time (process_time: the C++ work runs on the calling thread) of ``repeat``."""
    walls, cpus, res = [], [], None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        res = fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    assert res is not None
    return min(walls), min(cpus), res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--scenarios", type=int, default=10_000)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--engine", action="store_true", help="an engine run at every evaluation (no split)")
    ap.add_argument("--skip-probability", action="store_true")
    args = ap.parse_args()
    evaluation = "engine" if args.engine else "auto"
    demo = wifund.Province.demo()
    policy = wifund.Policy.load("jilin")
    from wifund._bridge import build_context

    a = wifund.Assumptions.default()
    t, c, _ = best(lambda: build_context(demo, policy, a, 30), args.repeat)
    print(f"{'build_context (30 years)':28s} wall {t * 1e3:7.1f} ms  cpu {c * 1e3:7.1f} ms")
    for name, target in (
        ("Balance(years=30)", R.Balance(years=30)),
        ("MonthsOfPayment(12, at=10)", R.MonthsOfPayment(12, at=10)),
    ):
        t, c, res = best(lambda target=target: R.solve(demo, policy, target=target, evaluation=evaluation), args.repeat)
        print(
            f"{name:28s} wall {t * 1e3:7.1f} ms  cpu {c * 1e3:7.1f} ms  "
            f"multiplier {res.lever_value:.9f}  achieved {res.achieved:.12g}  "
            f"{res.evaluations} evaluations ({res.method})"
        )
    if args.skip_probability:
        return
    target = R.Probability(months=12, within=10, at_most=0.05, scenarios=args.scenarios, seed=1, threads=args.threads)
    t0, c0 = time.perf_counter(), time.process_time()
    res = R.solve(demo, policy, target=target, bounds=(0.5, 3.0), evaluation=evaluation)
    t, c = time.perf_counter() - t0, time.process_time() - c0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"Probability ({args.scenarios} scenarios, {args.threads} threads): wall {t:.1f} s  cpu {c:.1f} s  "
        f"multiplier {res.lever_value:.6f}  "
        f"P = {res.achieved:.4f}  bracket {res.bracket[0]:.8f}..{res.bracket[1]:.8f}  "
        f"{res.evaluations} evaluations ({res.method}); peak RSS {rss:.0f} MB"
    )


if __name__ == "__main__":
    main()
