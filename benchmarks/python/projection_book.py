"""CPU times of the deterministic projection (brief `book`, issues #13 / #14 item 5): the demo's context
build, one 30-year C++ run (full sink and fund summary), `wifund.project`, one `Balance(30)` solve, and the
context build, C++ run and base-year replay of a province of ``--cities`` cities (the demo's nine replicated,
as benchmarks/python/run_outputs.py makes them). CPU times (`time.thread_time`: the C++ work runs on the
calling thread with the GIL released), minimum of ``--repeat`` runs; the machine is shared.

    PYTHONPATH=python python benchmarks/python/projection_book.py [--repeat 7] [--cities 900]
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import wifund
from wifund import _core
from wifund import ratesetting as R
from wifund._bridge import build_context

_replay = importlib.import_module("wifund.replay")  # the module (wifund.replay is also a function)


def cpu(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.thread_time()
        fn()
        best = min(best, time.thread_time() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--cities", type=int, default=0, help="also a province of this many cities (a multiple of 9)")
    args = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from projection_check import _replicated  # noqa: PLC0415

    demo = wifund.Province.demo()
    pol = wifund.Policy.load("jilin")
    a = wifund.Assumptions.default()
    ctx, s, _ = build_context(demo, pol, a, 30)
    rows = {
        "demo build_context (30 years)": cpu(lambda: build_context(demo, pol, a, 30), args.repeat),
        "demo C++ project, full sink": cpu(lambda: _core.fund.project(ctx, s), args.repeat),
        "demo C++ project, summary": cpu(lambda: _core.fund.project(ctx, s, sink="summary"), args.repeat),
        "demo wifund.project (context, replay, run)": cpu(
            lambda: wifund.project(demo, pol, a, years=30), max(3, args.repeat // 2)
        ),
        "demo solve Balance(years=30)": cpu(lambda: R.solve(demo, pol, target=R.Balance(years=30)), 3),
    }
    for k, v in rows.items():
        print(f"{k:48s} {v * 1e3:9.1f} ms CPU")
    if args.cities:
        t = time.thread_time()
        big = _replicated(args.cities // 9)
        print(f"{args.cities} cities: Province built (not timed as part of the job) {time.thread_time() - t:.1f} s CPU")
        t = time.thread_time()
        bctx, bs, _ = build_context(big, pol, a, 30)
        print(f"{args.cities} cities: build_context {time.thread_time() - t:9.2f} s CPU")
        t = time.thread_time()
        _core.fund.project(bctx, bs)
        print(f"{args.cities} cities: C++ project (30 years) {time.thread_time() - t:9.2f} s CPU")
        t = time.thread_time()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _replay.replay_messages(big, _replay.base_year_rules(pol), 0.05, a)
        print(f"{args.cities} cities: base-year replay {time.thread_time() - t:9.2f} s CPU")


if __name__ == "__main__":
    main()
