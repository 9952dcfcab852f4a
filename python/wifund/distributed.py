"""The Monte Carlo on a Dask cluster (issue #12 item 4): :func:`simulate` runs blocks of scenarios on the
workers of a ``dask.distributed.Client`` and gives arrays bit-identical to :func:`wifund.simulate`.

The generator (context, deterministic scenario, sources; a few MB pickled) is scattered once to every
worker (``client.scatter(..., broadcast=True)``); each task carries only ``(seed, first, count)`` and runs
the GIL-free kernel; the blocks are combined by a tree reduction (pairs of blocks concatenated in scenario
order, ``fan_in`` at a time). Scenario i of a seed is drawn from its own Philox streams, so neither the
number of workers, the block size nor the scheduling changes a bit.

Pointing it at a real cluster is a matter of the client: ``Client("tcp://scheduler:8786")`` (every
worker needs the same wifund build).
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path
from typing import Any

from . import _core
from ._checks import check_choice, check_int, check_type
from .assumptions import Assumptions
from .policy import Policy
from .province import Province
from .simulate import (
    DEFAULT_MEMORY_BUDGET,
    METHODS,
    Simulation,
    _check_run,
    check_memory,
    generator,
    method_used,
    stack,
)
from .stochastic import Sources

__all__ = ["simulate"]


def _block(gen: Any, seed: int, first: int, count: int, keep_city: bool, method: str) -> dict[str, Any]:
    return _core.stochastic.simulate(gen, seed, first, count, 1, keep_city, method)


def _combine(*parts: dict[str, Any]) -> dict[str, Any]:
    return stack(list(parts))


def simulate(
    province: Province,
    policy: Policy | str | None = None,
    assumptions: Assumptions | None = None,
    scenarios: int = 10_000,
    years: int = 30,
    seed: int = 0,
    *,
    client: Any,
    keep: str = "fund",
    sources: Sources | None = None,
    block: int = 256,
    fan_in: int = 4,
    memory_budget: float = DEFAULT_MEMORY_BUDGET,
    rate_multiplier: Any = None,
    method: str = "auto",
) -> Simulation:
    """:func:`wifund.simulate` on the workers of ``client`` (a ``dask.distributed.Client``), ``block``
    scenarios per task (each task one C++ thread; a worker runs as many tasks as it has threads); ``method``
    as for :func:`wifund.simulate` (the same kernel, so the same arrays)."""
    check_choice("distributed.simulate: method", method, METHODS)
    n, s, _ = _check_run("distributed.simulate", scenarios, seed, None, keep, memory_budget)
    size = check_int("distributed.simulate: block", block, 1, 10**7)
    fan = check_int("distributed.simulate: fan_in", fan_in, 2, 64)
    src = Sources.default() if sources is None else sources
    check_type("distributed.simulate: province", province, Province, "a wifund.Province")
    check_memory(
        "distributed.simulate",
        keep,
        n,
        len(province.city_names),
        check_int("distributed.simulate: years", years, 1, 50),
        memory_budget,
    )
    gen = generator(
        province, policy, assumptions, years, src, who="distributed.simulate", rate_multiplier=rate_multiplier
    )
    _, reason = method_used(gen, method, "distributed.simulate")
    remote = client.scatter(gen, broadcast=True)
    futures = [
        client.submit(_block, remote, s, first, min(size, n - first), keep == "city", method, pure=False)
        for first in range(0, n, size)
    ]
    while len(futures) > 1:  # tree reduction
        futures = [client.submit(_combine, *futures[i : i + fan], pure=False) for i in range(0, len(futures), fan)]
    raw = futures[0].result()

    def rerun(other: Sources) -> Simulation:
        return simulate(
            province,
            policy,
            assumptions,
            n,
            years,
            s,
            client=client,
            sources=other,
            block=size,
            fan_in=fan,
            rate_multiplier=rate_multiplier,
            method=method,
        )

    return Simulation(raw=raw, seed=s, sources=src, cities=list(province.city_names), rerun=rerun, method_reason=reason)


# ---------------------------------------------------------------------------------------------------------
# Experience rating on Dask (issue #13 item 5)
__all__ += ["float_tiers"]


def _tiers_part(part: Any, schedule: Any, base_rates: Any) -> tuple[Any, Any]:
    """One partition: the in-process kernel (:func:`wifund.ratesetting.float_tiers`) on the worker."""
    from . import ratesetting

    if isinstance(part, tuple):  # (path, row groups) of a Parquet file: read on the worker
        import pyarrow.parquet as pq

        path, groups = part
        part = pq.ParquetFile(path).read_row_groups(groups).to_pandas()
    res = ratesetting.float_tiers(part, schedule, base_rates=base_rates)
    return res.employers, res.revenue


def _revenue_of(pair: tuple[Any, Any]) -> Any:
    return pair[1]


def _employers_of(pair: tuple[Any, Any]) -> Any:
    return pair[0]


_REVENUE_SUMS = ("employers", "contributions", "new_contributions")


def _sum_revenue(*parts: Any) -> Any:
    """The revenue of several partitions (in partition order): sums by (city, risk_class), pairs ordered by
    their first appearance; ``revenue_effect`` is recomputed from the summed columns."""
    import pandas as pd

    both = pd.concat(parts, ignore_index=True)
    out = both.groupby(["city", "risk_class"], sort=False, observed=True)[list(_REVENUE_SUMS)].sum().reset_index()
    out["revenue_effect"] = out["new_contributions"] - out["contributions"]
    return out


def _parquet_parts(path: Any, rows_per_task: int) -> list[tuple[str, list[int]]]:
    """(file, row groups) tasks over a Parquet file or a directory of Parquet files (files in the order
    ``pandas.read_parquet`` reads them), about ``rows_per_task`` rows each (whole row groups)."""
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    files = list(ds.dataset(str(path), format="parquet").files)
    parts: list[tuple[str, list[int]]] = []
    for f in files:
        meta = pq.ParquetFile(f).metadata
        groups: list[int] = []
        rows = 0
        for g in range(meta.num_row_groups):
            groups.append(g)
            rows += meta.row_group(g).num_rows
            if rows >= rows_per_task:
                parts.append((f, groups))
                groups, rows = [], 0
        if groups or meta.num_row_groups == 0:
            parts.append((f, groups))
    return parts


def float_tiers(
    employers: Any,
    schedule: Any = "national_71",
    *,
    client: Any,
    base_rates: Any = None,
    fan_in: int = 4,
    rows_per_task: int = 1_000_000,
) -> Any:
    """:func:`wifund.ratesetting.float_tiers` over the partitions of a Parquet dataset or a dask DataFrame on the
    workers of ``client`` (a ``dask.distributed.Client``).

    ``employers``: a Parquet file or a directory of Parquet files (split into tasks of whole row groups, about
    ``rows_per_task`` rows each, read on the workers: only (file, row groups) travels) or a
    ``dask.dataframe.DataFrame`` (one task per partition). Every partition runs the in-process kernel, so the
    ``employers`` rows (multiplier, rate, reason, ratio, incidence) are bit-identical to
    ``ratesetting.float_tiers`` on the whole table (a Parquet input gets the same ``RangeIndex`` as
    ``pandas.read_parquet``; a dask DataFrame keeps its index). The revenue by city and class is a tree reduction
    of the partitions' sums (``fan_in`` at a time, in partition order, so the result does not depend on the
    scheduling): ``employers`` counts are exact, the yuan sums agree with the in-process sums to rounding
    (relative 1e-12; the additions are grouped by partition). Rows are gathered to the client in partition order.
    Errors of a partition (bad input) are raised as in-process, naming the column, the employer and the value.
    """
    import pandas as pd

    from . import ratesetting

    fan = check_int("distributed.float_tiers: fan_in", fan_in, 2, 64)
    rows = check_int("distributed.float_tiers: rows_per_task", rows_per_task, 1, 10**9)
    sched = ratesetting.load_schedule(schedule)
    if hasattr(employers, "to_delayed") and hasattr(employers, "npartitions"):  # a dask DataFrame
        parts: list[Any] = list(client.compute(employers.to_delayed()))
        reset_index = False
    elif isinstance(employers, (str, PathLike)):
        if not Path(employers).exists():
            raise FileNotFoundError(f"distributed.float_tiers: employers = {str(employers)!r} does not exist")
        parts = _parquet_parts(employers, rows)
        reset_index = True
    else:
        raise TypeError(
            f"distributed.float_tiers: employers must be a Parquet path or a dask DataFrame, not "
            f"{type(employers).__name__} (an in-memory DataFrame: use wifund.ratesetting.float_tiers)"
        )
    pairs = [client.submit(_tiers_part, p, sched, base_rates, pure=False) for p in parts]
    revenue = [client.submit(_revenue_of, p, pure=False) for p in pairs]
    while len(revenue) > 1:  # tree reduction
        revenue = [client.submit(_sum_revenue, *revenue[i : i + fan], pure=False) for i in range(0, len(revenue), fan)]
    frames = client.gather([client.submit(_employers_of, p, pure=False) for p in pairs])
    rev = client.gather(revenue[0]) if len(parts) > 1 else _sum_revenue(revenue[0].result())
    cats = [f["city"] for f in frames if isinstance(f["city"].dtype, pd.CategoricalDtype)]
    if cats and len(cats) == len(frames):  # categorical cities: one set of categories, as one read
        union = pd.api.types.union_categoricals([c.array for c in cats])
        frames = [f.assign(city=pd.Categorical(f["city"], categories=union.categories)) for f in frames]
    out = pd.concat(frames, ignore_index=reset_index)
    if isinstance(out["city"].dtype, pd.CategoricalDtype):
        order = {c: k for k, c in enumerate(out["city"].cat.categories)}
    else:
        order = {c: k for k, c in enumerate(pd.unique(out["city"]))}
    rev = rev.assign(_o=rev["city"].map(order)).sort_values(["_o", "risk_class"], kind="stable")
    rev = rev.drop(columns="_o").reset_index(drop=True)
    rev["employers"] = rev["employers"].astype("int64")
    return ratesetting.FloatResult(employers=out, revenue=rev, schedule=sched)
