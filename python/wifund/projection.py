"""The deterministic provincial fund projection (the main job) and its labelled results.

>>> import wifund
>>> proj = wifund.project(wifund.Province.demo(), years=10)
>>> proj.fund[["revenue", "expenditure", "closing", "months_of_payment"]]  # doctest: +SKIP

The policy is resolved once per projection (one :class:`wifund._core.policy.PolicyYear` per year) into a
C++ context (``include/wifund/fund/context.hpp``) that the :class:`Projection` keeps; the whole loop
runs in C++ (``include/wifund/fund/projection.hpp``) with the GIL released, and
:meth:`Projection.rerun` projects another scenario of the same context at the cost of the C++ run.

Which TOML key fills which C++ field, and the date on which each is resolved (1 January for
contribution rules, 1 July for benefit rules, increments by cut-off), is the table in
:mod:`wifund._bridge`.
"""

from __future__ import annotations

import datetime as _dt
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import _core, _labels
from . import replay as _replay
from ._bridge import build_base as _base
from ._bridge import build_claims as _claims
from ._bridge import (
    build_context,
    build_input,
    build_scenario,
    projection_years,
    rate_review_override,
    resolve_policy_year,
)
from ._bridge import build_economy as _economy
from ._checks import InputTypeError, check_int, check_type, show
from .assumptions import Assumptions
from .policy import Policy
from .province import BENEFIT_KINDS, RISK_CLASSES, Province

__all__ = [
    "Projection",
    "compare",
    "project",
    "build_context",
    "build_input",
    "resolve_policy_year",
    "_base",
    "_claims",
    "_economy",
]

PROVINCIAL_LEVEL = "(provincial level)"
REVENUE_ITEMS: list[str] = list(_core.axes.revenue_items)
EXPENDITURE_ITEMS: list[str] = list(_core.axes.expenditure_items)
FUND_COLUMNS = [
    "opening",
    "contributions",
    "project_premiums",
    "interest",
    "other_income",
    "revenue",
    "expenditure",
    "closing",
    "reserve",
    "months_of_payment",
    "payg_cost_rate",
    "current_balance_ratio",
    "phased_cut",
    "covered_payroll",
    "insured",
    "avg_monthly_wage",
    "fiscal_advance",
    "advance_repayment",
    "advance_outstanding",
    "major_accident",
    "reserve_use",
    "rate_multiplier",
    "benefit_avg_wage",
]


def project(
    province: Province,
    policy: Policy | str | None = None,
    assumptions: Assumptions | None = None,
    start: int | None = None,
    years: int = 30,
    replay_tolerance: float = 0.05,
    rate_review: Mapping[str, Any] | bool | None = None,
    *,
    _precomputed: Callable[[], Precomputed | None] | None = None,
) -> Projection:
    """Projects the fund of ``province`` for ``years`` years from ``start``.

    Parameters
    ----------
    province
        Base data (:meth:`Province.demo` or :meth:`Province.from_dir`).
    policy
        A :class:`~wifund.policy.Policy`, a packaged policy name or a TOML path; default: the
        province's ``default_policy``.
    assumptions
        Economic and claims assumptions; default :meth:`Assumptions.default`.
    start
        First projection year; default the year after the province's base year. A later start
        projects the years in between too and reports from ``start``.
    years
        Number of years reported, 1 to 50.
    replay_tolerance
        Tolerance of the base-year replay (:func:`wifund.replay`, > 0; default 5 %): the engine's rules
        (the policy without its plain overrides, :func:`wifund.replay.base_year_rules`) are run on the
        base year first, and contributions, expenditure or a reported expenditure item
        off by more than this from ``province.toml`` warn with :class:`wifund.ReplayWarning` (the
        replay and its warnings are kept on the projection and shown in every report).
    rate_review
        A scenario override of the 以支定收 rate review (条例 Art. 8): ``{"band_months": [9, 12],
        "first_year": 2026, "cycle_years": 2, "step": 0.1, "bounds": [0.5, 1.5], "lag_years": 1}`` (any
        subset; the rest from the policy's ``rate_review.*``), ``True`` (the policy's values, turned on)
        or ``False`` (off). Default: the policy's rule (off in the packaged files).
    _precomputed
        Private (:mod:`wifund.cli`): returns the liabilities computed elsewhere for the same inputs
        (:class:`Precomputed`), or None to compute them when asked for.

    Returns
    -------
    Projection
    """
    # Arguments are checked where they enter (issue #7): types first (years=True, start=2025.7 and
    # province=None are errors, not conversions), then ranges.
    check_type("project: province", province, Province, "a wifund.Province (Province.demo() or Province.from_dir)")
    if policy is None:
        policy = province.default_policy
    if not isinstance(policy, (Policy, str, Path)):
        raise InputTypeError(
            f"project: policy = {show(policy)}: must be a wifund.Policy, a packaged policy name "
            f"{Policy.available()} or a TOML path, not {type(policy).__name__}"
        )
    if not isinstance(policy, Policy):
        policy = Policy.load(policy)
    if assumptions is None:
        assumptions = Assumptions.default()
    check_type("project: assumptions", assumptions, Assumptions, "a wifund.Assumptions or None")
    years = check_int("project: years", years, 1, 50)
    replay_tolerance = _replay.check_tolerance(replay_tolerance, "project: replay_tolerance")
    start = province.base_year + 1 if start is None else check_int("project: start", start)
    if start <= province.base_year:
        raise ValueError(f"project: start = {start} must be after the province's base year {province.base_year}")
    skip = start - province.base_year - 1
    total = skip + years
    if total > 50:
        raise ValueError(
            f"project: start = {start} with years = {years} reaches {start + years - 1}, more than 50 "
            f"years after the base year {province.base_year}"
        )
    ctx, scenario, assumed = build_context(province, policy, assumptions, total)
    if rate_review is not None:
        scenario = build_scenario(
            province,
            assumptions,
            projection_years(province, total),
            rate_review=rate_review_override(policy, province.base_year + 1, rate_review),
        )
    raw = _run_core(lambda: _core.fund.project(ctx, scenario), total, province, assumptions)
    replay_frame, replay_warnings = base_year_replay(province, policy, assumptions, replay_tolerance)
    done = _precomputed() if _precomputed is not None else None
    for message in replay_warnings:
        warnings.warn(message, _replay.ReplayWarning, stacklevel=2)
    proj = Projection(
        raw=raw,
        province=province,
        policy=policy,
        assumptions=assumptions,
        skip=skip,
        assumed_parameters=assumed,
        context=ctx,
        scenario=scenario,
        replay=replay_frame,
        replay_warnings=replay_warnings,
    )
    if done is not None:
        proj.__dict__["liabilities"] = done.liabilities  # the cached_property's value, computed elsewhere
    return proj


def base_year_replay(
    province: Province, policy: Policy, assumptions: Assumptions, tolerance: float
) -> tuple[pd.DataFrame | None, list[str]]:
    """The base-year replay of :func:`project` and its warning messages (not yet warned). The base year is
    replayed under the policy's files: overrides are scenarios of the projection years."""
    try:
        return _replay.replay_messages(province, _replay.base_year_rules(policy), tolerance, assumptions)
    except (ValueError, KeyError) as exc:  # e.g. a policy that does not reach back to the base year
        return None, [
            f"{province.name}: base-year replay {province.base_year} could not be run ({exc}); the projection "
            "is not checked against the base year"
        ]


def stock_liabilities(province: Province, policy: Policy, assumptions: Assumptions) -> Any:
    """:attr:`Projection.liabilities` of a projection of ``province`` under ``policy`` and ``assumptions``."""
    from .valuation import value

    return value(province.beneficiaries, policy, assumptions, province=province, per_row=False)


@dataclass(frozen=True)
class Precomputed:
    """What :func:`project` takes from elsewhere (the main job's second process computes it while this one
    projects): :attr:`Projection.liabilities` (:func:`stock_liabilities`) for the same province, policy
    and assumptions."""

    liabilities: Any


def _claims_differ(a: Assumptions, b: Assumptions) -> bool:
    """Whether two assumption sets may have different claims bases (then the context is rebuilt).
    Anything not plainly equal counts as different: rebuilding is always correct, only slower."""
    if a is b or a.claims is b.claims:
        return False
    if set(a.claims) != set(b.claims):
        return True
    for k, v in a.claims.items():
        w = b.claims[k]
        try:
            if isinstance(v, pd.DataFrame) or isinstance(w, pd.DataFrame):
                same = isinstance(v, pd.DataFrame) and isinstance(w, pd.DataFrame) and v.equals(w)
            elif isinstance(v, (int, float, str, bool)) and isinstance(w, (int, float, str, bool)):
                same = v == w
            else:
                va, wa = np.asarray(v, dtype=float), np.asarray(w, dtype=float)
                same = va.shape == wa.shape and bool(np.array_equal(va, wa))
        except (TypeError, ValueError):
            same = False
        if not same:
            return True
    return False


#: Result arrays that must stay finite (ratios such as months of payment may be inf or NaN when
#: expenditure or payroll is zero, which is a property of the inputs, not an overflow).
#: The city arrays sum to these, so an overflow anywhere shows here.
_FINITE_RESULTS = (
    "opening",
    "contributions",
    "project_premiums",
    "interest",
    "other_income",
    "revenue",
    "expenditure",
    "closing",
    "reserve",
    "covered_payroll",
    "insured",
    "fiscal_advance",
    "advance_outstanding",
)


def _largest_input(province: Province, assumptions: Assumptions, years: list[int]) -> str:
    """The input amount of largest magnitude, named with its table, column and row: the cause of an
    overflow (in practice a value in the wrong unit, e.g. 1e306 insured)."""
    candidates: list[tuple[float, str, float]] = []
    for k, v in province.fund.items():
        candidates.append((abs(v), f"province fund {k}", v))
    ndi = province.national_disposable_income
    candidates.append((abs(ndi), "province national_disposable_income", ndi))
    for table, frame, cols, where in (
        ("insured", province.insured, ["insured", "avg_monthly_wage"], ["city", "risk_class"]),
        ("beneficiaries", province.beneficiaries, ["count", "monthly_amount", "pension"], ["city", "kind"]),
    ):
        for c in cols:
            if len(frame):
                i = int(np.argmax(np.abs(frame[c].to_numpy(dtype=float))))
                v = float(frame[c].iloc[i])
                at = ", ".join(f"{w}={frame[w].iloc[i]}" for w in where)
                candidates.append((abs(v), f"{table} column '{c}' for {at}", v))
    for c in ("minimum_wage", "project_value"):
        city = province.cities[c].abs().idxmax()
        v = float(province.cities.at[city, c])
        candidates.append((abs(v), f"cities column '{c}' for city={city}", v))
    for c in ("medical_cost", "rehabilitation_cost", "device_cost", "appraisal_fee"):
        v = float(assumptions.claim(c))
        candidates.append((abs(v), f"assumptions: claims {c!r}", v))
    other = float(np.max(np.abs(assumptions.path("other_income", years))))
    candidates.append((other, "assumptions: other_income", other))
    _, what, value = max(candidates, key=lambda t: t[0])
    return f"the largest input is {what} = {value!r}; check its unit and magnitude (yuan, persons)"


def _run_core(
    run: Callable[[], dict[str, Any]], n_years: int, province: Province, assumptions: Assumptions
) -> dict[str, Any]:
    """``_core.fund.project`` with overflow reported against the inputs: an inf or NaN in a money or
    headcount result, or an engine check failing on an inf it computed, is an error naming the input
    that caused it."""
    years = list(range(province.base_year + 1, province.base_year + 1 + n_years))
    try:
        raw = run()
    except ValueError as exc:
        if " inf " in f" {exc} " or "= inf" in str(exc) or "nan" in str(exc):
            raise ValueError(
                f"project: an intermediate result overflows ({exc}): {_largest_input(province, assumptions, years)}"
            ) from exc
        raise
    for name in _FINITE_RESULTS:
        arr = np.asarray(raw[name], dtype=float)
        if not np.isfinite(arr).all():
            j = int(np.argmax(~np.isfinite(arr)))
            raise ValueError(
                f"project: the result {name!r} overflows to {float(arr[j])!r} (first in {years[j]}): "
                f"{_largest_input(province, assumptions, years)}"
            )
    return raw


def compare(projections: dict[str, Projection], column: str = "months_of_payment") -> pd.DataFrame:
    """One column of :attr:`Projection.fund` (or :attr:`Projection.indicators`) for several scenarios,
    side by side: a DataFrame indexed by year with one column per scenario name.

    >>> base = wifund.project(province, policy)                                   # doctest: +SKIP
    >>> cut = wifund.project(province, policy.override({...}))                    # doctest: +SKIP
    >>> wifund.compare({"base": base, "rates -20%": cut}).plot()                  # doctest: +SKIP
    """
    if not isinstance(projections, dict):
        raise InputTypeError(
            f"compare: projections = {show(projections)}: must be a dict {{scenario name: "
            f"Projection}}, not {type(projections).__name__}"
        )
    if not projections:
        raise ValueError("compare: projections = {}: no projections given")
    check_type("compare: column", column, str, "a column name (str)")
    cols = {}
    for name, proj in projections.items():
        check_type(f"compare: projections[{name!r}]", proj, Projection, "a wifund.Projection (from wifund.project)")
        if column in proj.fund.columns:
            cols[name] = proj.fund[column]
        elif column in proj.indicators.columns:
            cols[name] = proj.indicators[column]
        else:
            raise ValueError(
                f"compare: {column!r} is neither a fund column {list(proj.fund.columns)} nor an "
                f"indicator {list(proj.indicators.columns)}"
            )
    out = pd.DataFrame(cols)
    out.columns.name = column
    return out


def _units(df: pd.DataFrame, value: str | None = None) -> pd.DataFrame:
    """``df`` with ``attrs["units"]``: the unit of each column (yuan, rate = a fraction, persons, …)."""
    df.attrs["units"] = _labels.units_of(df, value)
    return df


@dataclass
class Projection:
    """Results of :func:`project`, as labelled pandas frames.

    Attributes
    ----------
    fund
        One row per year: opening, contributions, project_premiums, interest, other_income, revenue,
        expenditure, closing, reserve, months_of_payment, payg_cost_rate, current_balance_ratio,
        phased_cut, covered_payroll, insured, avg_monthly_wage; fiscal_advance (财政垫付 when the balance
        would go negative, 条例 Art. 13), advance_repayment, advance_outstanding (> 0: the fund is
        exhausted), major_accident, reserve_use (its part paid from the reserve), rate_multiplier (the
        以支定收 review multiplier in force), benefit_avg_wage (AW_{t-1} used for benefits).
    by_city
        Long frame (city, year, item, flow, value) of every revenue and expenditure item; the
        provincial-level items (interest, other income, prevention) are under
        ``"(provincial level)"``, so sums over cities reproduce :attr:`fund`.
    """

    raw: dict[str, Any]
    province: Province
    policy: Policy
    assumptions: Assumptions
    skip: int = 0
    assumed_parameters: list[str] = field(default_factory=list)
    #: The C++ context (base data, resolved policy, claims basis, mortality, horizon), kept for reruns.
    context: Any = field(default=None, repr=False, compare=False)
    #: The C++ scenario (economic paths and overrides) this projection ran.
    scenario: Any = field(default=None, repr=False, compare=False)
    #: The base-year replay (:func:`wifund.replay`: reported, replayed, ratio by item) of the province
    #: under this projection's policy and assumptions, and its warnings (:class:`wifund.ReplayWarning`
    #: messages, also in every report). A rerun keeps the replay of the projection it came from.
    replay: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    replay_warnings: list[str] = field(default_factory=list, compare=False)

    def rerun(
        self,
        assumptions: Assumptions | None = None,
        *,
        scenario: Any = None,
        rate_multiplier: Any = None,
        incidence_multiplier: float = 1.0,
        rate_review: Mapping[str, Any] | bool | None = None,
    ) -> Projection:
        """The same projection under another scenario, reusing the context (no policy resolution, no
        base data rebuilt, no context validation): the cost is the C++ run.

        Parameters
        ----------
        assumptions
            New assumptions. Their economic paths make the new scenario; if their claims basis differs
            from this projection's, the context is rebuilt with the new claims (policy and base data are
            reused). Default: this projection's assumptions.
        scenario
            A ready ``wifund._core.fund.Scenario`` (e.g. from :func:`wifund._bridge.build_scenario`); the
            fastest path. Exclusive with ``assumptions`` and the multipliers.
        rate_multiplier, incidence_multiplier
            Solver overrides: base rates × multiplier by class (9 values, classes 1..8 and U), incidence ×
            multiplier.
        rate_review
            A rate-review override, as for :func:`project` (``rate_review=``).
        """
        if self.context is None:
            raise ValueError("rerun: this Projection has no context (it was built without one)")
        ctx = self.context
        if scenario is not None:
            if (
                assumptions is not None
                or rate_multiplier is not None
                or incidence_multiplier != 1.0
                or rate_review is not None
            ):
                raise ValueError("rerun: give either scenario or assumptions/multipliers, not both")
            new_a = self.assumptions
        else:
            new_a = self.assumptions if assumptions is None else assumptions
            years = projection_years(self.province, ctx.years)
            if assumptions is not None:
                new_a.check(self.province, years)
                if _claims_differ(self.assumptions, new_a):
                    ctx = ctx.with_claims(_claims(new_a, years))
            if (
                assumptions is None
                and rate_multiplier is None
                and incidence_multiplier == 1.0
                and rate_review is None
                and self.scenario is not None
            ):
                scenario = self.scenario
            else:
                review = None if rate_review is None else rate_review_override(self.policy, years[0], rate_review)
                scenario = build_scenario(self.province, new_a, years, rate_multiplier, incidence_multiplier, review)
        raw = _run_core(lambda: _core.fund.project(ctx, scenario), ctx.years, self.province, new_a)
        return Projection(
            raw=raw,
            province=self.province,
            policy=self.policy,
            assumptions=new_a,
            skip=self.skip,
            assumed_parameters=list(self.assumed_parameters),
            context=ctx,
            scenario=scenario,
            replay=self.replay,
            replay_warnings=list(self.replay_warnings),
        )

    def __eq__(self, other: object) -> bool:
        """Same inputs (province, policy, assumptions, years shown) and the same numbers (every array
        equal, NaN equal to NaN). Never raises: arrays are compared with ``numpy.array_equal``."""
        if not isinstance(other, Projection):
            return NotImplemented
        if self is other:
            return True
        if (self.skip, self.assumed_parameters) != (other.skip, other.assumed_parameters):
            return False
        if not (
            self.province == other.province and self.policy == other.policy and self.assumptions == other.assumptions
        ):
            return False
        if self.raw.keys() != other.raw.keys():
            return False
        for k, a in self.raw.items():
            b = other.raw[k]
            if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
                a_arr, b_arr = np.asarray(a), np.asarray(b)
                nan_ok = a_arr.dtype.kind == "f" and b_arr.dtype.kind == "f"
                if not np.array_equal(a_arr, b_arr, equal_nan=nan_ok):
                    return False
            elif a != b:
                return False
        return True

    __hash__ = None  # type: ignore[assignment]

    @property
    def years(self) -> list[int]:
        s = self.raw["start_year"] + self.skip
        return list(range(s, self.raw["start_year"] + self.raw["years"]))

    @property
    def start(self) -> int:
        return self.years[0]

    def _cut(self, arr: np.ndarray) -> np.ndarray:
        return arr[..., self.skip :]

    @cached_property
    def fund(self) -> pd.DataFrame:
        df = pd.DataFrame({c: self._cut(self.raw[c]) for c in FUND_COLUMNS}, index=pd.Index(self.years, name="year"))
        return _units(df)

    @property
    def exhausted_year(self) -> int | None:
        """The first year in which the fund needed the fiscal advance (条例 Art. 13 垫付), or None."""
        f = self.fund
        hit = f.index[f["fiscal_advance"] > 0]
        return int(hit[0]) if len(hit) else None

    @cached_property
    def revenue_by_item(self) -> pd.DataFrame:
        """year × revenue item (yuan), provincial totals."""
        arr = self.raw["city_revenue"][:, self.skip :, :].sum(axis=0)
        return _units(pd.DataFrame(arr, index=pd.Index(self.years, name="year"), columns=REVENUE_ITEMS))

    @cached_property
    def expenditure_by_item(self) -> pd.DataFrame:
        """year × expenditure item (yuan), provincial totals."""
        arr = self.raw["city_expenditure"][:, self.skip :, :].sum(axis=0)
        return _units(pd.DataFrame(arr, index=pd.Index(self.years, name="year"), columns=EXPENDITURE_ITEMS))

    @cached_property
    def by_city(self) -> pd.DataFrame:
        cities = self.province.city_names + [PROVINCIAL_LEVEL]
        frames = []
        for key, items, flow in (
            ("city_revenue", REVENUE_ITEMS, "revenue"),
            ("city_expenditure", EXPENDITURE_ITEMS, "expenditure"),
        ):
            arr = self.raw[key][:, self.skip :, :]
            idx = pd.MultiIndex.from_product([cities, self.years, items], names=["city", "year", "item"])
            frames.append(pd.DataFrame({"flow": flow, "value": arr.reshape(-1)}, index=idx).reset_index())
        df = pd.concat(frames, ignore_index=True)
        return _units(df[["city", "year", "item", "flow", "value"]], value="yuan")

    @cached_property
    def city_table(self) -> pd.DataFrame:
        """(city, year) × (revenue, expenditure, net), yuan; cities in the order of ``cities.csv``, then
        the provincial level."""
        df = self.by_city.pivot_table(index=["city", "year"], columns="flow", values="value", aggfunc="sum")
        order = pd.MultiIndex.from_product(
            [self.province.city_names + [PROVINCIAL_LEVEL], self.years], names=["city", "year"]
        )
        df = df.reindex(order)
        df["net"] = df["revenue"] - df["expenditure"]
        return _units(df)

    @cached_property
    def by_class(self) -> pd.DataFrame:
        """Long frame by city × risk class × year: insured, payroll, rate, contributions, injuries."""
        idx = pd.MultiIndex.from_product(
            [self.province.city_names, RISK_CLASSES, self.years], names=["city", "risk_class", "year"]
        )
        data = {
            name: self.raw[f"{name}_ck"][:, :, self.skip :].reshape(-1)
            for name in ("insured", "payroll", "rate", "contributions", "injuries")
        }
        df = pd.DataFrame(data, index=idx).reset_index()
        return _units(df[df["insured"] > 0].reset_index(drop=True))

    @cached_property
    def beneficiaries(self) -> pd.DataFrame:
        """Long frame by city × kind × year: average number in payment and new awards."""
        idx = pd.MultiIndex.from_product(
            [self.province.city_names, BENEFIT_KINDS, self.years], names=["city", "kind", "year"]
        )
        out = pd.DataFrame(
            {
                "in_payment": self.raw["in_payment"][:, :, self.skip :].reshape(-1),
                "new_awards": self.raw["new_awards"][:, :, self.skip :].reshape(-1),
            },
            index=idx,
        ).reset_index()
        return _units(out)

    @cached_property
    def indicators(self) -> pd.DataFrame:
        """Fund indicators by year, with the early-warning level (policy ``fund.warning_months``)."""
        f = self.fund
        out = pd.DataFrame(index=f.index)
        out["months_of_payment"] = f["months_of_payment"]
        out["payg_cost_rate"] = f["payg_cost_rate"]
        out["current_balance_ratio"] = f["current_balance_ratio"]
        out["effective_contribution_rate"] = f["contributions"] / f["covered_payroll"]
        out["phased_cut"] = f["phased_cut"]
        out["reserve_share_of_balance"] = np.where(
            f["closing"] > 0, f["reserve"] / f["closing"].where(f["closing"] > 0, 1), 0.0
        )
        out["revenue_per_insured"] = f["revenue"] / f["insured"]
        out["expenditure_per_insured"] = f["expenditure"] / f["insured"]
        levels = []
        for y, m in zip(f.index, f["months_of_payment"]):
            green, yellow, orange = (float(v) for v in self.policy.at(_dt.date(y, 12, 31))["fund.warning_months"])
            levels.append("green" if m >= green else "yellow" if m >= yellow else "orange" if m >= orange else "red")
        out["warning"] = levels
        return _units(out)

    def financing(self, discount: float | list[float] | None = None, method: str = "pass") -> Any:
        """Financing indicators by year (issue #11 item 3): PAYG cost rate, capital value of the year's
        long-term awards and terminal-funding rate, liability for benefits in payment at each year end,
        reserve adequacy and funded ratios, months of payment; and the general average premium with and
        without a terminal reserve target. A :class:`wifund.valuation.Financing`; ``discount`` as for
        :func:`wifund.valuation.value` (default: the interest-rate path); ``method``: ``"pass"`` (one roll
        of the book tagged by vintage, the default) or ``"roll"`` (the reference), see
        :func:`wifund.valuation.financing`. The default call is computed once, then kept."""
        if discount is None and method == "pass":
            return self._financing_default
        from .valuation import financing

        return financing(self, discount, method)

    @cached_property
    def liabilities(self) -> Any:
        """The liability for the long-term benefits in payment at the base-year end (the province's
        stock), valued with this projection's policy and assumptions: a :class:`wifund.valuation.Valuation`
        (``.totals`` by city × kind; discount: the interest-rate path). Computed once, then kept."""
        return stock_liabilities(self.province, self.policy, self.assumptions)

    @cached_property
    def _financing_default(self) -> Any:
        from .valuation import financing

        return financing(self)

    @cached_property
    def assumed(self) -> pd.DataFrame:
        """The assumed (unverified, overridable) policy parameters this projection used."""
        p = self.policy.at(_dt.date(self.start, 7, 1))
        rows = []
        for key in self.assumed_parameters:
            if key in p:
                rows.append({"key": key, "value": p[key], "source": p.source(key), "note": p.note(key)})
            else:
                first = self.policy.at(_dt.date(self.start, 1, 1))
                rows.append(
                    {
                        "key": key,
                        "value": first.get(key),
                        "source": first.source(key) if key in first else "",
                        "note": first.note(key) if key in first else "",
                    }
                )
        return pd.DataFrame(rows, columns=["key", "value", "source", "note"])

    # ------------------------------------------------------------------ output
    def plot(self, ax: Any = None) -> Any:
        """Balance, reserve and months of payment; revenue against expenditure by item.

        ``ax``: None (new Axes in the active matplotlib backend, which wifund never changes), one Axes
        (the balance panel only) or a sequence of two Axes. Returns the Axes drawn on (one, or a list).
        """
        from .report import plot_projection

        return plot_projection(self, ax=ax)

    def to_csv(self, folder: str | Path, force: bool = False) -> Path:
        """Writes one CSV per table (fund.csv, by_city.csv, by_class.csv, beneficiaries.csv, indicators.csv,
        …) and ``wifund-manifest.json`` into ``folder``.

        An absent folder is created and an earlier wifund output there is refreshed in place; a folder
        holding anything else (a notebook, data) is refused with ``FileExistsError`` unless ``force``, and
        even then only wifund's file names are written. Nothing wifund did not write is removed.
        """
        from .report import write_csvs

        return write_csvs(self, Path(folder), force=force)

    def to_excel(self, path: str | Path, overwrite: bool = False) -> Path:
        """Writes a workbook with one sheet per table (a table longer than a sheet is split across sheets).

        An existing file is replaced only if it is a workbook wifund wrote and no spreadsheet program saved
        since, or if ``overwrite``; otherwise ``FileExistsError``.
        """
        from .report import write_excel

        return write_excel(self, Path(path), overwrite=overwrite)

    def report(self, path: str | Path, overwrite: bool = False) -> Path:
        """Writes a self-contained HTML report with charts.

        An existing file is replaced only if it is a wifund report (``<meta name="generator"
        content="wifund …">``), or if ``overwrite``; otherwise ``FileExistsError``.
        """
        from .report import write_html

        return write_html(self, Path(path), overwrite=overwrite)

    def __repr__(self) -> str:
        f = self.fund
        last = f.iloc[-1]
        return (
            f"Projection({self.province.name!r}, policy {self.policy.name!r}, {self.years[0]}-{self.years[-1]}: "
            f"closing balance {last['closing'] / 1e8:,.2f} 亿 yuan, {last['months_of_payment']:.1f} months "
            f"of payment in {self.years[-1]})"
        )

    def _repr_html_(self) -> str:
        cols = ["revenue", "expenditure", "closing", "reserve", "months_of_payment", "payg_cost_rate"]
        show = self.fund[cols].copy()
        for c in ["revenue", "expenditure", "closing", "reserve"]:
            show[c] = show[c] / 1e8
        table = _labels.html_table(show, float_format="{:,.3f}")
        return (
            f"<p><b>{self.province.name}</b> — policy <code>{self.policy.name}</code>, "
            f"{self.years[0]}–{self.years[-1]} (money in 亿 yuan)</p>" + table
        )
