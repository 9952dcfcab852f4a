"""Monte Carlo of the fund (issue #12): :func:`simulate` → :class:`Simulation`.

Each scenario is drawn by the C++ generator (``include/wifund/stochastic/generator.hpp``; sources in
:class:`wifund.stochastic.Sources`) from counter-based Philox streams keyed by (seed, scenario, stream)
and projected by the engine's own year step (phased cut, 以支定收 rate review, fiscal advance, cohorts),
so the arrays do not depend on the thread count, on the blocking or on Dask
(:func:`wifund.distributed.simulate`). The kernel runs in blocks with the GIL released; between blocks
Python updates the progress bar and Ctrl-C (``KeyboardInterrupt``) stops the run cleanly.

Risk measures follow domain README §4.4 and §4.8: months of payment (可支付月数) below a threshold, the
fund exhausted (a fiscal advance, 条例 Art. 13), and VaR / TVaR of the deficit. The annual deficit is
``expenditure − (revenue − fiscal_advance)`` (own revenue: the advance is not income of the fund); the
cumulative deficit is its running sum from the first projected year.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from . import _core, _plot
from ._bridge import build_context
from ._checks import check_array, check_choice, check_int, check_number, check_type
from .assumptions import Assumptions
from .policy import Policy
from .province import Province
from .stochastic import SOURCES, Sources

__all__ = ["Simulation", "VECTORS", "METHODS", "generator", "simulate", "DEFAULT_MEMORY_BUDGET"]

#: The scenario × year arrays of every simulation (``_core.stochastic.simulation_vectors``).
VECTORS: list[str] = list(_core.stochastic.simulation_vectors)
#: keep="city" is refused beyond this many bytes of city detail (2 GiB) unless memory_budget says more.
DEFAULT_MEMORY_BUDGET = 2 * 1024**3

Array = npt.NDArray[np.float64]
RISK_CLASSES: list[str] = list(_core.axes.risk_classes)


def generator(
    province: Province,
    policy: Policy | str | None = None,
    assumptions: Assumptions | None = None,
    years: int = 30,
    sources: Sources | None = None,
    who: str = "simulate",
    rate_multiplier: Any = None,
) -> Any:
    """The validated ``_core.stochastic.Generator`` of a simulation (context, deterministic scenario,
    sources): built once, shared by threads, picklable (what :mod:`wifund.distributed` scatters)."""
    check_type(f"{who}: province", province, Province, "a wifund.Province (Province.demo() or Province.from_dir)")
    if policy is None:
        policy = province.default_policy
    if not isinstance(policy, (Policy, str, Path)):
        raise TypeError(f"{who}: policy must be a wifund.Policy, a packaged policy name or a TOML path")
    pol = policy if isinstance(policy, Policy) else Policy.load(policy)
    a = Assumptions.default() if assumptions is None else assumptions
    check_type(f"{who}: assumptions", a, Assumptions, "a wifund.Assumptions or None")
    years = check_int(f"{who}: years", years, 1, 50)
    src = Sources.default() if sources is None else sources
    check_type(f"{who}: sources", src, Sources, "a wifund.stochastic.Sources or None")
    ctx, scenario, _ = build_context(province, pol, a, years)
    if rate_multiplier is not None:  # a rate scenario: base rates x multiplier (scalar or one per class)
        m = np.broadcast_to(check_array(f"{who}: rate_multiplier", rate_multiplier, 0.0, 10.0), (len(RISK_CLASSES),))
        scenario.rate_multiplier = [float(v) for v in m]
    return _core.stochastic.Generator(ctx, scenario, src.to_core())


def _check_run(who: str, scenarios: Any, seed: Any, threads: Any, keep: Any, memory_budget: Any) -> tuple[int, ...]:
    n = check_int(f"{who}: scenarios", scenarios, 1, 10**8)
    s = check_int(f"{who}: seed", seed, 0, 2**63 - 1)
    t = 0 if threads is None else check_int(f"{who}: threads", threads, 1, 1024)
    check_choice(f"{who}: keep", keep, ["fund", "city"])
    check_number(f"{who}: memory_budget", memory_budget, 0, None, lo_open=True)
    return n, s, t


def check_memory(who: str, keep: str, scenarios: int, cities: int, years: int, memory_budget: float) -> None:
    """keep='city' costs two S × C × T float64 arrays; refused beyond ``memory_budget`` bytes."""
    if keep != "city":
        return
    need = _core.stochastic.city_detail_bytes(scenarios, cities, years)
    if need > memory_budget:
        raise ValueError(
            f"{who}: keep = 'city' with scenarios = {scenarios}, {cities} cities and {years} years needs "
            f"{need / 2**20:.0f} MiB of city detail (2 × S × C × T × 8 bytes), more than memory_budget = "
            f"{memory_budget / 2**20:.0f} MiB; use keep='fund', fewer scenarios or a larger memory_budget"
        )


def _blocks(n: int, block: int) -> Iterator[tuple[int, int]]:
    for first in range(0, n, block):
        yield first, min(block, n - first)


def _progress(total: int, on: bool) -> Any:
    if not on:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:  # tqdm is in the notebook extra; without it no bar
        return None
    return tqdm(total=total, unit="scenario", desc="wifund.simulate")


#: Kernels of :func:`simulate` (``method``).
METHODS: list[str] = ["auto", "lean", "full"]


def method_used(gen: Any, method: str, who: str = "simulate") -> tuple[str, str]:
    """The kernel ``method`` runs on ``gen`` and why the lean one is not used ("" when it is): ``auto`` is the
    lean kernel where it is exact for the generator (``Generator.lean_reason`` empty), ``lean`` is refused
    where it is not."""
    check_choice(f"{who}: method", method, METHODS)
    reason = str(gen.lean_reason)
    if method == "lean" and reason:
        raise ValueError(f"{who}: method = 'lean' is not exact for this generator: {reason}")
    if method == "full":
        return "full", "method='full' asked"
    return ("full", reason) if reason else ("lean", "")


def run_blocks(
    gen: Any,
    scenarios: int,
    seed: int,
    threads: int,
    keep: str,
    block: int,
    progress: bool,
    method: str = "auto",
) -> dict[str, Any]:
    """Runs the kernel block by block (progress and Ctrl-C between blocks) and stacks the rows."""
    bar = _progress(scenarios, progress)
    parts: list[dict[str, Any]] = []
    try:
        for first, count in _blocks(scenarios, block):
            parts.append(_core.stochastic.simulate(gen, seed, first, count, threads, keep == "city", method))
            if bar is not None:
                bar.update(count)
    finally:
        if bar is not None:
            bar.close()
    return stack(parts)


def stack(parts: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Concatenates kernel blocks in scenario order."""
    parts = sorted(parts, key=lambda p: int(p["first"]))
    out = {k: parts[0][k] for k in ("start_year", "years", "cities")}
    out["first"] = parts[0]["first"]
    if "method" in parts[0]:  # the kernel used (the same in every block of one generator and method)
        out["method"] = parts[0]["method"]
    for k in parts[0]:
        if k not in out:
            out[k] = np.concatenate([p[k] for p in parts], axis=0)
    return out


def simulate(
    province: Province,
    policy: Policy | str | None = None,
    assumptions: Assumptions | None = None,
    scenarios: int = 10_000,
    years: int = 30,
    seed: int = 0,
    threads: int | None = None,
    progress: bool = True,
    keep: str = "fund",
    *,
    sources: Sources | None = None,
    block: int | None = None,
    memory_budget: float = DEFAULT_MEMORY_BUDGET,
    rate_multiplier: Any = None,
    method: str = "auto",
) -> Simulation:
    """Monte Carlo of the fund: ``scenarios`` scenarios × ``years`` years.

    Parameters
    ----------
    province, policy, assumptions, years
        As for :func:`wifund.project` (the deterministic scenario the generator moves around).
    scenarios
        Number of scenarios, ≥ 1.
    seed
        Seed of the Philox streams (0 ≤ seed < 2**63); scenario i of a seed is the same whatever the thread
        count, the block size or the machine.
    threads
        C++ threads (default: one per core).
    progress
        A tqdm progress bar (``tqdm.auto``: a widget in notebooks) updated per block.
    keep
        ``"fund"`` (the provincial vectors :data:`VECTORS`) or ``"city"`` (also each city's expenditure and
        contributions: 2 × S × C × T × 8 bytes, refused beyond ``memory_budget``).
    sources
        The sources of randomness (:class:`wifund.stochastic.Sources`; default :meth:`Sources.default`).
        :meth:`Sources.off` repeats the deterministic projection in every scenario.
    block
        Scenarios per kernel call (default 16 per thread, at least 64): the granularity of the progress
        bar and of Ctrl-C.
    memory_budget
        Bytes allowed for keep="city" (default 2 GiB).
    rate_multiplier
        A rate scenario: the policy's base rates × this (one value, or one per risk class), as in
        :meth:`Projection.rerun`.
    method
        The kernel: ``"lean"`` (``include/wifund/stochastic/lean.hpp``: the base-year stock rolled once per
        generator, only the year's awards and the dependants of each death rolled per scenario; equal to the
        full kernel to rounding), ``"full"`` (the engine's year step with the whole cohort book in every
        scenario) or ``"auto"`` (default: lean where it is exact for the generator, i.e. not with binomial
        mortality, the flat-by-grade round, rounds excluding retired recipients or flat increment events in a
        projection year). :attr:`Simulation.method` and :attr:`Simulation.method_reason` say which ran and
        why not lean.
    """
    check_choice("simulate: method", method, METHODS)
    n, s, t = _check_run("simulate", scenarios, seed, threads, keep, memory_budget)
    src = Sources.default() if sources is None else sources
    check_type("simulate: province", province, Province, "a wifund.Province")
    check_memory(
        "simulate", keep, n, len(province.city_names), check_int("simulate: years", years, 1, 50), memory_budget
    )
    gen = generator(province, policy, assumptions, years, src, rate_multiplier=rate_multiplier)
    import os

    nthreads = t or (os.cpu_count() or 1)
    size = check_int("simulate: block", block, 1, 10**7) if block is not None else max(64, 16 * nthreads)
    _, reason = method_used(gen, method)
    raw = run_blocks(gen, n, s, t, keep, size, progress, method)

    def rerun(other: Sources) -> Simulation:
        return simulate(
            province,
            policy,
            assumptions,
            n,
            years,
            s,
            threads,
            progress,
            "fund",
            sources=other,
            block=block,
            rate_multiplier=rate_multiplier,
            method=method,
        )

    return Simulation(raw=raw, seed=s, sources=src, cities=list(province.city_names), rerun=rerun, method_reason=reason)


@dataclasses.dataclass
class Simulation:
    """Results of :func:`simulate`: scenario × year arrays and risk measures.

    Attributes
    ----------
    raw
        The kernel's arrays: each of :data:`VECTORS` as an S × T ndarray (``closing``, ``revenue``,
        ``expenditure``, ``contributions`` (incl. project premiums), ``months_of_payment``, ``phased_cut``,
        ``fiscal_advance``, ``advance_outstanding``, ``rate_multiplier``, ``reserve``, ``payg_cost_rate``,
        ``injuries``, ``deaths`` (deaths at work and in catastrophes), ``beneficiary_deaths`` (deaths among the
        beneficiaries in payment: drawn with ``Sources.mortality``, expected otherwise)); with keep="city" also
        ``city_expenditure`` and ``city_contributions`` (S × (C × T), city-major).
    """

    raw: dict[str, Any]
    seed: int
    sources: Sources
    cities: list[str]
    rerun: Callable[[Sources], Simulation] | None = dataclasses.field(default=None, repr=False, compare=False)
    #: Why the lean kernel did not run ("" when it did; see :attr:`method`).
    method_reason: str = ""

    @property
    def method(self) -> str:
        """The kernel that ran: ``"lean"`` or ``"full"`` (``include/wifund/stochastic/lean.hpp``)."""
        return str(self.raw.get("method", "full"))

    @property
    def years(self) -> list[int]:
        start, t = int(self.raw["start_year"]), int(self.raw["years"])
        return list(range(start, start + t))

    @property
    def scenarios(self) -> int:
        return int(self.raw["closing"].shape[0])

    def array(self, name: str) -> Array:
        """One S × T array (a name of :data:`VECTORS`, or ``deficit`` / ``cumulative_deficit``)."""
        if name == "deficit":
            return np.asarray(self.raw["expenditure"] - self.raw["revenue"] + self.raw["fiscal_advance"])
        if name == "cumulative_deficit":
            return np.cumsum(self.array("deficit"), axis=1)
        check_choice("Simulation: column", name, [*VECTORS, "deficit", "cumulative_deficit"])
        return np.asarray(self.raw[name])

    def frame(self, name: str) -> pd.DataFrame:
        """One array as a DataFrame (rows: scenario, columns: year)."""
        return pd.DataFrame(self.array(name), index=pd.RangeIndex(self.scenarios, name="scenario"), columns=self.years)

    def city(self, name: str = "city_expenditure") -> pd.DataFrame:
        """City detail (keep="city") as a long frame: scenario, city, year, value."""
        if name not in self.raw:
            raise ValueError(f"Simulation.city: no {name!r}; run simulate(..., keep='city')")
        s, c, t = self.scenarios, len(self.cities), len(self.years)
        arr = np.asarray(self.raw[name]).reshape(s, c, t)
        idx = pd.MultiIndex.from_product([range(s), self.cities, self.years], names=["scenario", "city", "year"])
        return pd.DataFrame({"value": arr.reshape(-1)}, index=idx).reset_index()

    def _within(self, within: int | None) -> int:
        t = len(self.years)
        return t if within is None else check_int("Simulation: within", within, 1, t)

    def quantiles(self, column: str = "closing", q: Sequence[float] = (0.05, 0.25, 0.5, 0.75, 0.95)) -> pd.DataFrame:
        """Quantiles by year (rows: year, columns: q) of one array."""
        qs = [check_number("Simulation.quantiles: q", v, 0.0, 1.0) for v in q]
        values = np.quantile(self.array(column), qs, axis=0)
        return pd.DataFrame(values.T, index=pd.Index(self.years, name="year"), columns=qs)

    def prob_months_below(self, months: float, within: int | None = None) -> float:
        """Probability that months of payment fall below ``months`` in one of the first ``within`` years."""
        m = check_number("Simulation.prob_months_below: months", months, 0.0, None)
        n = self._within(within)
        return float(np.mean((self.array("months_of_payment")[:, :n] < m).any(axis=1)))

    def exhausted(self) -> npt.NDArray[np.bool_]:
        """S × T: the fund is exhausted in the year (a fiscal advance paid or outstanding, 条例 Art. 13)."""
        return np.asarray((self.array("fiscal_advance") > 0) | (self.array("advance_outstanding") > 0))

    def prob_exhausted(self, within: int | None = None) -> float:
        """Probability that the balance is exhausted within the first ``within`` years."""
        n = self._within(within)
        return float(np.mean(self.exhausted()[:, :n].any(axis=1)))

    def exhaustion_year(self) -> pd.Series:
        """First exhausted year of each scenario (NaN: never within the horizon)."""
        ex = self.exhausted()
        first = np.where(ex.any(axis=1), np.argmax(ex, axis=1), -1)
        years = np.where(first >= 0, self.years[0] + first, np.nan)
        return pd.Series(years, index=pd.RangeIndex(self.scenarios, name="scenario"), name="exhaustion_year")

    def exhaustion_distribution(self) -> pd.DataFrame:
        """Probability of first exhaustion in each year, and cumulated."""
        y = self.exhaustion_year()
        p = np.array([float(np.mean(y == yr)) for yr in self.years])
        return pd.DataFrame({"probability": p, "cumulative": np.cumsum(p)}, index=pd.Index(self.years, name="year"))

    def _tail(self, level: float, cumulative: bool) -> tuple[Array, Array]:
        a = check_number("Simulation: level", level, 0.0, 1.0, lo_open=True, hi_open=True)
        x = self.array("cumulative_deficit" if cumulative else "deficit")
        var = np.quantile(x, a, axis=0)
        tvar = np.array([x[x[:, j] >= var[j], j].mean() for j in range(x.shape[1])])
        return var, tvar

    def var(self, level: float = 0.95, cumulative: bool = False) -> pd.Series:
        """Value at risk by year: the ``level`` quantile of the annual (or cumulative) deficit, yuan."""
        return pd.Series(self._tail(level, cumulative)[0], index=pd.Index(self.years, name="year"), name="var")

    def tvar(self, level: float = 0.95, cumulative: bool = False) -> pd.Series:
        """Tail value at risk by year: the mean deficit at or beyond the VaR."""
        return pd.Series(self._tail(level, cumulative)[1], index=pd.Index(self.years, name="year"), name="tvar")

    def risk_table(self, months: float = 6.0, level: float = 0.95) -> pd.DataFrame:
        """By year: median closing balance, P(months < ``months``), P(exhausted by the year), VaR / TVaR of
        the annual and the cumulative deficit."""
        mop = self.array("months_of_payment")
        ex = self.exhausted()
        return pd.DataFrame(
            {
                "closing_median": np.median(self.array("closing"), axis=0),
                "months_median": np.median(mop, axis=0),
                "prob_months_below": (mop < months).mean(axis=0),
                "prob_exhausted_by": np.logical_or.accumulate(ex, axis=1).mean(axis=0),
                "var_deficit": self.var(level).to_numpy(),
                "tvar_deficit": self.tvar(level).to_numpy(),
                "var_cumulative_deficit": self.var(level, cumulative=True).to_numpy(),
                "tvar_cumulative_deficit": self.tvar(level, cumulative=True).to_numpy(),
            },
            index=pd.Index(self.years, name="year"),
        )

    def variance_shares(self, column: str = "closing", year: int | None = None) -> pd.DataFrame:
        """Variance of ``column`` in ``year`` (default the last) with one source on at a time (same seed and
        scenario count), and each one's share of their sum; ``all`` is this run's variance (the difference
        to the sum is the interaction)."""
        if self.rerun is None:
            raise ValueError("Simulation.variance_shares: this Simulation cannot be rerun")
        j = len(self.years) - 1 if year is None else self.years.index(check_int("variance_shares: year", year))
        rows = {}
        for s in SOURCES:
            if getattr(self.sources, s):
                rows[s] = float(np.var(self.rerun(self.sources.only(s)).array(column)[:, j], ddof=1))
        total = sum(rows.values())
        out = pd.DataFrame(
            {
                "variance": list(rows.values()),
                "variance_share": [v / total if total > 0 else np.nan for v in rows.values()],
            },
            index=pd.Index(list(rows), name="source"),
        )
        out.loc["all"] = [float(np.var(self.array(column)[:, j], ddof=1)), np.nan]
        return out

    def fan_chart(self, column: str = "closing", ax: Any = None, scale: float = 1e8) -> Any:
        """Fan chart (5-95 %, 25-75 % bands and the median) of one array; returns the Axes. Draws on ``ax``
        when given, else on new pyplot Axes; the backend is never changed."""
        (a,) = _plot.user_axes("Simulation.fan_chart", ax, 1, (7, 3.5))
        draw_fan(self, column, a, scale)
        return a

    def __repr__(self) -> str:
        on = [s for s in SOURCES if getattr(self.sources, s)]
        return (
            f"Simulation({self.scenarios} scenarios × {len(self.years)} years {self.years[0]}-{self.years[-1]}, "
            f"seed {self.seed}, sources {on or 'none'})"
        )


def draw_fan(sim: Simulation, column: str, ax: Any, scale: float = 1e8) -> None:
    """The fan chart of ``column`` on ``ax`` (shared by :meth:`Simulation.fan_chart` and the report)."""
    q = sim.quantiles(column, (0.05, 0.25, 0.5, 0.75, 0.95))
    money = column not in ("months_of_payment", "phased_cut", "payg_cost_rate", "rate_multiplier")
    k = scale if money else 1.0
    x = q.index.to_numpy()
    ax.fill_between(x, q[0.05] / k, q[0.95] / k, alpha=0.25, color="C0", label="5-95%")
    ax.fill_between(x, q[0.25] / k, q[0.75] / k, alpha=0.45, color="C0", label="25-75%")
    ax.plot(x, q[0.5] / k, color="C0", label=_plot.label("中位数", "median"))
    unit = f" ({_plot.label('亿元', '100 million yuan')})" if money and scale == 1e8 else ""
    ax.set_title(f"{column}{unit}", **_plot.text_kw())
    ax.legend(**_plot.legend_kw())
