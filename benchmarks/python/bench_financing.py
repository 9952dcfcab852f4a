"""CPU seconds of ``Projection.financing()`` by method, one process (benchmarks/README.md, "financing() in one pass").

    PYTHONPATH=python python3 benchmarks/python/bench_financing.py [--cities 9] [--methods pass roll]

``--cities 9`` is the demo; other counts replicate its nine cities (``run_outputs._province``, as
``run_bench.py``). Prints each method's CPU seconds (30 years, the interest-rate path) and, with both
methods, how far ``pass`` is from ``roll``, then ``uptime``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run_outputs import _province  # noqa: E402  (the same replicated provinces as run_outputs.py)

import wifund  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cities", type=int, default=9)
    ap.add_argument("--years", type=int, default=30)
    ap.add_argument("--methods", nargs="+", default=["pass", "roll"], choices=["pass", "roll"])
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the replicated provinces' base-year replay warns
        if args.cities == 9:
            prov = wifund.Province.demo()
        else:
            prov = wifund.Province.from_dir(_province(Path(tmp) / "p", max(1, args.cities // 9)))
        proj = wifund.project(prov, years=args.years)
        out = {}
        for method in args.methods:
            t = time.process_time()
            out[method] = wifund.valuation.financing(proj, method=method)
            print(f"financing(method={method!r}): {time.process_time() - t:.3f} CPU s")
    if len(out) == 2:
        a, b = out["pass"].by_year, out["roll"].by_year
        for col in ("award_capital", "liability_end"):
            rel = (a[col] / b[col] - 1).to_numpy()
            print(f"{col}: max |pass/roll - 1| = {np.abs(rel).max():.2e}, last year {rel[-1]:+.2e}")
        gap = out["pass"].general_average_premium_terminal, out["roll"].general_average_premium_terminal
        print(f"general_average_premium_terminal: pass {gap[0]:.6%}, roll {gap[1]:.6%}")
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
