"""Reserving speed, wifund vs chainladder-python, side by side in one process.

    python benchmarks/python/reserving_vs_chainladder.py [--quick]

(a) chain ladder + Mack on one 10x10 triangle (RAA), including the Python call and the pandas
    results; (b) 10,000 stacked 10x10 triangles (construction from a long DataFrame, and chain
    ladder + Mack on the built triangles); (c) ODP bootstrap, 10,000 simulations on GenIns, to the
    simulated IBNR. Prints a table of median wall-clock times and the ratio chainladder / wifund.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
import warnings

import numpy as np
import pandas as pd

import wifund.reserving as wr

warnings.simplefilter("ignore")
import chainladder as cl  # noqa: E402


def best_of(fn, repeat: int, number: int = 1) -> float:
    """Median over `repeat` runs of the mean time of `number` calls, in seconds."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - t0) / number)
    return statistics.median(times)


def stacked_long_frame(n_seg: int, seed: int = 0) -> pd.DataFrame:
    """n_seg noisy copies of RAA in long format (segment, origin, development year, value)."""
    raa = cl.load_sample("raa").values[0, 0]
    rng = np.random.default_rng(seed)
    noise = rng.lognormal(0.0, 0.1, size=(n_seg, 10, 10))
    inc = np.diff(np.nan_to_num(raa), axis=1, prepend=0.0)
    cum = np.cumsum(np.abs(inc)[None] * noise + 1.0, axis=2)
    seg, o, d = np.meshgrid(np.arange(n_seg), np.arange(10), np.arange(10), indexing="ij")
    keep = (o + d) < 10
    return pd.DataFrame(
        {"segment": seg[keep], "origin": 1981 + o[keep], "development": 1981 + o[keep] + d[keep], "values": cum[keep]}
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer repeats (a smoke run)")
    args = ap.parse_args()
    rep = 3 if args.quick else 7
    rows = []

    # (a) one triangle
    raa_cl = cl.load_sample("raa")
    raa_wf = wr.Triangle.from_array(raa_cl.values[0, 0], origin=range(1981, 1991))
    t_cl = best_of(lambda: cl.MackChainladder().fit(cl.Development().fit_transform(raa_cl)), rep, 5)
    t_wf = best_of(lambda: wr.mack(raa_wf, threads=1), rep, 200)
    rows.append(("(a) CL + Mack, one 10x10 (RAA)", t_cl, t_wf))

    # (b) 10,000 stacked triangles
    n_seg = 10_000
    df = stacked_long_frame(n_seg)
    t_cl_build = best_of(
        lambda: cl.Triangle(
            df, origin="origin", development="development", columns="values", index="segment", cumulative=True
        ),
        max(1, rep // 3),
    )
    t_wf_build = best_of(lambda: wr.Triangle.from_frame(df, "origin", "development", "values", segments="segment"), rep)
    rows.append(("(b) build 10,000 stacked 10x10 from a long frame", t_cl_build, t_wf_build))
    tri_cl = cl.Triangle(
        df, origin="origin", development="development", columns="values", index="segment", cumulative=True
    )
    tri_wf = wr.Triangle.from_frame(df, "origin", "development", "values", segments="segment")
    m_cl = cl.MackChainladder().fit(cl.Development().fit_transform(tri_cl))
    m_wf = wr.mack(tri_wf)
    ult_cl = np.asarray(m_cl.ultimate_.values)[:, 0, :, 0]
    np.testing.assert_allclose(m_wf.ultimate.to_numpy(), ult_cl, rtol=1e-8)  # the same numbers
    t_cl = best_of(lambda: cl.MackChainladder().fit(cl.Development().fit_transform(tri_cl)), max(1, rep // 3))
    t_wf1 = best_of(lambda: wr.mack(tri_wf, threads=1), rep)
    t_wf2 = best_of(lambda: wr.mack(tri_wf, threads=2), rep)
    rows.append(("(b) CL + Mack on 10,000 stacked 10x10, 1 thread", t_cl, t_wf1))
    rows.append(("(b) CL + Mack on 10,000 stacked 10x10, 2 threads", t_cl, t_wf2))

    # (c) ODP bootstrap, 10,000 simulations on GenIns
    gen_cl = cl.load_sample("genins")
    gen_wf = wr.Triangle.from_array(gen_cl.values[0, 0], origin=range(2001, 2011))

    def boot_cl():
        sims = cl.BootstrapODPSample(n_sims=10_000, random_state=42).fit_transform(gen_cl)
        return cl.Chainladder().fit(sims).ibnr_

    t_cl = best_of(boot_cl, max(1, rep // 3))
    for process in ("gamma", "odp"):  # chainladder-python draws the process from a gamma
        for threads in (1, 2):
            t_wf = best_of(
                lambda process=process, threads=threads: wr.odp_bootstrap(
                    gen_wf, n_sims=10_000, seed=42, process=process, threads=threads, progress=False
                ),
                rep,
            )
            rows.append(
                (
                    f"(c) ODP bootstrap 10,000 sims (GenIns), {process} process, {threads} thread"
                    + ("s" if threads > 1 else ""),
                    t_cl,
                    t_wf,
                )
            )

    print(
        f"# {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"chainladder {cl.__version__}, numpy {np.__version__}, pandas {pd.__version__}"
    )
    print("| case | chainladder-python | wifund | ratio |")
    print("|---|---:|---:|---:|")
    for name, a, b in rows:
        print(f"| {name} | {fmt(a)} | {fmt(b)} | {a / b:,.0f}x |")


def fmt(t: float) -> str:
    if t < 1e-3:
        return f"{t * 1e6:,.1f} µs"
    if t < 1:
        return f"{t * 1e3:,.1f} ms"
    return f"{t:,.2f} s"


if __name__ == "__main__":
    main()
