"""Side by side in one run: fitting 1,000 series of length 30 with a damped additive trend (AAdN,
estimated initial states) in statsmodels' ETSModel and in wifund (one call per series, and the
threaded batch). Prints the times, the ratios and how often wifund's likelihood is at least
statsmodels' (- 1e-6).

    python benchmarks/python/forecast_vs_statsmodels.py [--n 1000] [--length 30]
"""

import argparse
import os
import time
import warnings

# One BLAS thread: statsmodels' many tiny linear-algebra calls get slower, not faster, with a BLAS thread
# pool on a busy 2-core machine; this keeps the comparison fair to statsmodels and stable between runs.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402 - after the BLAS thread variables above
import pandas as pd  # noqa: E402
from statsmodels.tsa.exponential_smoothing.ets import ETSModel  # noqa: E402

from wifund import forecast as fc  # noqa: E402


def series(n: int, length: int, seed: int = 1) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        g, vol = rng.uniform(0.01, 0.07), rng.uniform(0.005, 0.055)
        level = 100 * np.exp(np.cumsum(rng.normal(g, vol, length)))
        out.append(level * (1 + rng.normal(0, 0.01, length)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--length", type=int, default=30)
    args = ap.parse_args()
    ys = series(args.n, args.length)

    t0 = time.perf_counter()
    ll_sm = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for y in ys:
            ll_sm.append(ETSModel(y, error="add", trend="add", damped_trend=True).fit(disp=False).llf)
    t_sm = time.perf_counter() - t0

    t0 = time.perf_counter()
    ll_one = [fc.ets(y, "add", "add", True).loglik for y in ys]
    t_one = time.perf_counter() - t0

    frame = pd.DataFrame({i: y for i, y in enumerate(ys)})
    res = {}
    for threads in (1, 2):
        t0 = time.perf_counter()
        batch = fc.fit_many(frame, trend="add", damped=True, threads=threads, progress=False)
        res[threads] = time.perf_counter() - t0
    ll_batch = batch.table["loglik"].to_numpy()

    ok = np.mean(np.asarray(ll_one) >= np.asarray(ll_sm) - 1e-6)
    assert np.array_equal(ll_batch, np.asarray(ll_one))
    print(f"{args.n} series x {args.length}, AAdN, estimated initial states")
    print(f"statsmodels ETSModel.fit        {t_sm:8.3f} s")
    print(f"wifund.forecast.ets (loop)      {t_one:8.3f} s   {t_sm / t_one:6.1f}x faster")
    for threads, t in res.items():
        print(f"wifund.forecast.fit_many, {threads} thr {t:8.3f} s   {t_sm / t:6.1f}x faster")
    print(
        f"wifund loglik >= statsmodels - 1e-6 on {ok:.1%} of series; "
        f"mean gain {np.mean(np.asarray(ll_one) - np.asarray(ll_sm)):.4f}"
    )


if __name__ == "__main__":
    main()
