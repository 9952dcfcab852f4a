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

from typing import Any

from . import _core
from ._checks import check_int, check_type
from .assumptions import Assumptions
from .policy import Policy
from .province import Province
from .simulate import DEFAULT_MEMORY_BUDGET, Simulation, _check_run, check_memory, generator, stack
from .stochastic import Sources

__all__ = ["simulate"]


def _block(gen: Any, seed: int, first: int, count: int, keep_city: bool) -> dict[str, Any]:
    return _core.stochastic.simulate(gen, seed, first, count, 1, keep_city)


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
) -> Simulation:
    """:func:`wifund.simulate` on the workers of ``client`` (a ``dask.distributed.Client``), ``block``
    scenarios per task (each task one C++ thread; a worker runs as many tasks as it has threads)."""
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
    remote = client.scatter(gen, broadcast=True)
    futures = [
        client.submit(_block, remote, s, first, min(size, n - first), keep == "city", pure=False)
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
        )

    return Simulation(raw=raw, seed=s, sources=src, cities=list(province.city_names), rerun=rerun)
