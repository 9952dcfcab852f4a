"""The deterministic provincial fund projection (the main job) and its labelled results.

>>> import wifund
>>> proj = wifund.project(wifund.Province.demo(), years=10)
>>> proj.fund[["revenue", "expenditure", "closing", "months_of_payment"]]  # doctest: +SKIP

The policy is resolved once per projection (one :class:`wifund._core.PolicyYear` per year); the
whole loop runs in C++ (``include/wifund/fund/projection.hpp``) with the GIL released.

Dates used to resolve the policy for projection year *t*:

* contribution rules (base rates, phased cut, project rate): 1 January of *t* — the phased cut is
  decided on months of payment at the end of *t − 1* under the rule in force on that date;
* benefit, prevention, reserve and indexation rules: 1 July of *t* (the average injury date);
* flat increment events: those whose effective date falls in *t*, applied at the start of *t* to
  cohorts awarded in or before the cut-off year (a cut-off before 1 July counts the year before).
"""
from __future__ import annotations

import datetime as _dt
import functools
import math
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import _core
from ._checks import InputTypeError, check_int, check_type, show
from .assumptions import Assumptions
from .benefits import rules as _benefit_rules
from .policy import Policy
from .province import BENEFIT_KINDS, CARE_LEVELS, RISK_CLASSES, Province

PROVINCIAL_LEVEL = "(provincial level)"
REVENUE_ITEMS: list[str] = list(_core.revenue_items)
EXPENDITURE_ITEMS: list[str] = list(_core.expenditure_items)
FUND_COLUMNS = ["opening", "contributions", "project_premiums", "interest", "other_income", "revenue",
                "expenditure", "closing", "reserve", "months_of_payment", "payg_cost_rate",
                "current_balance_ratio", "phased_cut", "covered_payroll", "insured", "avg_monthly_wage"]


@functools.lru_cache(maxsize=1)
def _china_life_qx() -> pd.DataFrame:
    """The China Life Insurance Experience Tables 2010-2013 (CL1..CL6), read once per process."""
    return pd.read_csv(str(resources.files("wifund") / "data" / "life_tables" / "cl2010_2013_qx.csv"))


@functools.lru_cache(maxsize=16)
def _life_table(name: str) -> _core.LifeTable:
    qx = _china_life_qx()
    if name not in qx.columns:
        raise ValueError(f"mortality table {name!r} is not one of {list(qx.columns[1:])}")
    return _core.LifeTable(name, int(qx["age"].iloc[0]), qx[name].astype(float).tolist())


def _cutoff_year(d: _dt.date) -> int:
    # Cohorts are annual and awarded on average at mid-year: a cut-off before 1 July excludes the
    # awards of that year.
    return d.year if d >= _dt.date(d.year, 7, 1) else d.year - 1


def resolve_policy_year(policy: Policy, year: int) -> tuple[_core.PolicyYear, set[str]]:
    """The C++ parameters for projection year ``year`` and the set of assumed keys used."""
    jan1, mid = policy.at(_dt.date(year, 1, 1)), policy.at(_dt.date(year, 7, 1))
    used_c = ["contribution.base_rate", "contribution.phased_cut.active", "contribution.phased_cut.thresholds_months",
              "contribution.phased_cut.reductions", "contribution.project_rate"]
    p = _core.PolicyYear()
    p.year = year
    base = [float(v) for v in jan1["contribution.base_rate"]]
    if len(base) != 8:
        raise ValueError(f"policy {policy.name}: contribution.base_rate in {year} has {len(base)} values, expected 8")
    unclassified = jan1.get("contribution.unclassified_rate", math.nan)
    p.base_rate = base + [float(unclassified)]
    cut = _core.PhasedCutRule()
    cut.active = bool(jan1["contribution.phased_cut.active"])
    # Thresholds exist only from the first cut (2018-05-01); outside the window they are not needed.
    if cut.active or "contribution.phased_cut.thresholds_months" in jan1:
        lower, upper = (float(v) for v in jan1["contribution.phased_cut.thresholds_months"])
        lower_cut, upper_cut = (float(v) for v in jan1["contribution.phased_cut.reductions"])
        cut.lower_months, cut.upper_months, cut.lower_cut, cut.upper_cut = lower, upper, lower_cut, upper_cut
    p.cut = cut
    p.project_rate = float(jan1["contribution.project_rate"])
    p.benefits = _benefit_rules(mid)
    # Prevention spending from the fund is regulated from 人社部规〔2017〕13号 (2017-08-17); before it
    # no prevention fee is charged to the fund.
    p.prevention_cap = float(mid.get("prevention.cap_ratio", 0.0))
    res = _core.ReserveRule()
    res.ratio = float(mid["reserve.ratio"])
    res.cap_ratio = float(mid["reserve.cap_ratio"])
    base_name = mid["reserve.base"]
    if base_name not in ("contributions", "expenditure"):
        raise ValueError(f"policy {policy.name}: reserve.base in {year} is {base_name!r}; "
                         f"expected 'contributions' or 'expenditure'")
    res.base = getattr(_core.ReserveBase, base_name)
    p.reserve = res
    ix = _core.IndexationRule()
    mode = mid["benefits.indexation.mode"]
    if mode not in ("percentage", "flat"):
        raise ValueError(f"policy {policy.name}: benefits.indexation.mode in {year} is {mode!r}; "
                         f"expected 'percentage' or 'flat'")
    ix.percentage = mode == "percentage"
    ix.allowance_wage_weight = float(mid["benefits.indexation.allowance_wage_weight"])
    ix.dependant_wage_weight = float(mid["benefits.indexation.dependant_wage_weight"])
    ix.care_follows_wage = bool(mid["benefits.indexation.care_follows_wage"])
    p.indexation = ix
    events = []
    for ev in policy.increments(_dt.date(year, 1, 1), _dt.date(year, 12, 31)):
        e = _core.IncrementEvent()
        e.effective_year = year
        e.cutoff_year = _cutoff_year(ev["cutoff"])
        e.allowance = [float(v) for v in ev["allowance"][:4]]
        e.care = [float(v) for v in ev["care"]]
        e.spouse, e.other, e.lone_extra = float(ev["spouse"]), float(ev["other"]), float(ev["lone_extra"])
        e.exclude_retired = bool(ev.get("exclude_retired", False))
        events.append(e)
    p.increments = events
    ages = mid["retirement.age"]
    p.retirement_age = [int(ages["male"]), int(ages["female"])]
    assumed = {k for k in jan1.assumed if k in used_c} | {k for k in mid.assumed if not k.startswith("contribution.")
                                                         or k == "contribution.base_clamp"}
    return p, assumed


def _economy(province: Province, a: Assumptions, years: list[int]) -> _core.EconomyPaths:
    cities = province.city_names
    e = _core.EconomyPaths()
    e.wage_growth = a.city_path("wage_growth", years, cities)
    e.employment_growth = a.city_path("employment_growth", years, cities)
    e.coverage_growth = a.city_path("coverage_growth", years, cities)
    coll = a.city_path("collection_rate", years, cities)
    base_coll = province.cities["collection_rate"].to_numpy(dtype=float)[:, None]
    e.collection_rate = np.where(np.isnan(coll), base_coll, coll)
    mw_growth = a.city_path("minimum_wage_growth", years, cities)
    e.minimum_wage = province.cities["minimum_wage"].to_numpy(dtype=float)[:, None] * np.cumprod(1 + mw_growth, axis=1)
    for name in ("cpi", "medical_inflation", "interest_rate", "disposable_income_growth", "project_growth",
                 "other_income", "prevention_share"):
        setattr(e, name, a.path(name, years))
    return e


def _claims(a: Assumptions, years: list[int]) -> _core.ClaimsAssumptions:
    c = _core.ClaimsAssumptions()
    c.incidence = a.incidence_matrix(years)
    for name in ("grade_share", "death_share", "care_share", "termination_share", "medical_cost",
                 "rehabilitation_cost", "device_cost", "appraisal_fee", "appraisal_share", "hospital_days",
                 "payment_pattern", "entry_ages", "entry_age_weights", "male_share", "spouses_per_death",
                 "children_per_death", "parents_per_death", "spouse_age_offset", "child_age", "parent_age",
                 "lone_share", "retirement_pension_ratio", "disabled_mortality_load", "dependant_mortality_load"):
        value = a.claim(name)
        if name == "payment_pattern":
            value = [float(v) for v in np.asarray(getattr(value, "proportions", value), dtype=float)]
        try:
            setattr(c, name, value)
        except TypeError as exc:
            raise ValueError(f"assumptions: claims assumption {name!r} = {value!r} has the wrong shape or type") from exc
    return c


def _base(province: Province) -> _core.ProvinceBase:
    b = _core.ProvinceBase()
    b.base_year = province.base_year
    b.cities = province.city_names
    b.insured = province.matrix("insured")
    b.wage = province.matrix("avg_monthly_wage")
    b.avg_float = province.matrix("avg_float", fill=1.0)
    b.project_value = province.cities["project_value"].to_numpy(dtype=float)
    b.opening_balance = province.fund["opening_balance"]
    b.opening_reserve = province.fund["opening_reserve"]
    b.base_expenditure = province.fund["base_expenditure"]
    b.base_contributions = province.fund["base_contributions"]
    b.disposable_income = province.national_disposable_income
    ben = province.beneficiaries
    city_index = {c: i for i, c in enumerate(province.city_names)}
    b.set_beneficiaries(
        city=ben["city"].map(city_index).to_numpy(dtype=np.int32),
        kind=ben["kind"].map({k: i for i, k in enumerate(BENEFIT_KINDS)}).to_numpy(dtype=np.int32),
        grade=ben["grade"].to_numpy(dtype=np.int32),
        care_level=ben["care_level"].map({k: i for i, k in enumerate(CARE_LEVELS)}).fillna(0).to_numpy(dtype=np.int32),
        sex=(ben["sex"] == "F").to_numpy(dtype=np.int32),
        age=ben["age"].to_numpy(dtype=np.int32),
        count=ben["count"].to_numpy(dtype=float),
        monthly_amount=ben["monthly_amount"].to_numpy(dtype=float),
        pension=ben["pension"].to_numpy(dtype=float),
        award_year=ben["award_year"].to_numpy(dtype=np.int32),
        retired=ben["retired"].to_numpy(dtype=np.int32),
        lone=ben["lone"].to_numpy(dtype=np.int32),
    )
    return b


def build_input(province: Province, policy: Policy, assumptions: Assumptions, years_total: int
                ) -> tuple[_core.ProjectionInput, list[str]]:
    """The C++ input for ``years_total`` years after the province's base year, and the sorted list of
    assumed policy parameters it uses. Resolving it once and reusing it is how scenario work stays
    cheap: ``_core.project`` is a pure function of this object."""
    years = list(range(province.base_year + 1, province.base_year + 1 + years_total))
    assumptions.check(province, years)
    inp = _core.ProjectionInput()
    inp.years = years_total
    inp.base = _base(province)
    resolved, assumed = [], set()
    for y in years:
        p, used = resolve_policy_year(policy, y)
        resolved.append(p)
        assumed |= used
    inp.policy = resolved
    inp.economy = _economy(province, assumptions, years)
    inp.claims = _claims(assumptions, years)
    dis, dep = assumptions.claim("mortality_disabled"), assumptions.claim("mortality_dependants")
    inp.mortality = _core.MortalityBasis(_life_table(dis[0]), _life_table(dis[1]), _life_table(dep[0]),
                                         _life_table(dep[1]))
    return inp, sorted(assumed)


def project(province: Province, policy: Policy | str | None = None, assumptions: Assumptions | None = None,
            start: int | None = None, years: int = 30) -> "Projection":
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
        raise InputTypeError(f"project: policy = {show(policy)}: must be a wifund.Policy, a packaged policy name "
                             f"{Policy.available()} or a TOML path, not {type(policy).__name__}")
    if not isinstance(policy, Policy):
        policy = Policy.load(policy)
    if assumptions is None:
        assumptions = Assumptions.default()
    check_type("project: assumptions", assumptions, Assumptions, "a wifund.Assumptions or None")
    years = check_int("project: years", years, 1, 50)
    start = province.base_year + 1 if start is None else check_int("project: start", start)
    if start <= province.base_year:
        raise ValueError(f"project: start = {start} must be after the province's base year {province.base_year}")
    skip = start - province.base_year - 1
    total = skip + years
    if total > 50:
        raise ValueError(f"project: start = {start} with years = {years} reaches {start + years - 1}, more than 50 "
                         f"years after the base year {province.base_year}")
    inp, assumed = build_input(province, policy, assumptions, total)
    raw = _run_core(inp, province, assumptions)
    return Projection(raw=raw, province=province, policy=policy, assumptions=assumptions, skip=skip,
                      assumed_parameters=assumed)


#: Result arrays that must stay finite (ratios such as months of payment may be inf or NaN when
#: expenditure or payroll is zero, which is a property of the inputs, not an overflow).
#: The city arrays sum to these, so an overflow anywhere shows here.
_FINITE_RESULTS = ("opening", "contributions", "project_premiums", "interest", "other_income", "revenue",
                   "expenditure", "closing", "reserve", "covered_payroll", "insured")


def _largest_input(province: Province, assumptions: Assumptions, years: list[int]) -> str:
    """The input amount of largest magnitude, named with its table, column and row: the cause of an
    overflow (in practice a value in the wrong unit, e.g. 1e306 insured)."""
    candidates: list[tuple[float, str, float]] = []
    for k, v in province.fund.items():
        candidates.append((abs(v), f"province fund {k}", v))
    ndi = province.national_disposable_income
    candidates.append((abs(ndi), "province national_disposable_income", ndi))
    for table, frame, cols, where in (("insured", province.insured, ["insured", "avg_monthly_wage"],
                                       ["city", "risk_class"]),
                                      ("beneficiaries", province.beneficiaries, ["count", "monthly_amount", "pension"],
                                       ["city", "kind"])):
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


def _run_core(inp: _core.ProjectionInput, province: Province, assumptions: Assumptions) -> dict[str, Any]:
    """``_core.project`` with overflow reported against the inputs: an inf or NaN in a money or
    headcount result, or an engine check failing on an inf it computed, is an error naming the input
    that caused it."""
    years = list(range(province.base_year + 1, province.base_year + 1 + inp.years))
    try:
        raw = _core.project(inp)
    except ValueError as exc:
        if " inf " in f" {exc} " or "= inf" in str(exc) or "nan" in str(exc):
            raise ValueError(f"project: an intermediate result overflows ({exc}): "
                             f"{_largest_input(province, assumptions, years)}") from exc
        raise
    for name in _FINITE_RESULTS:
        arr = np.asarray(raw[name], dtype=float)
        if not np.isfinite(arr).all():
            j = int(np.argmax(~np.isfinite(arr)))
            raise ValueError(f"project: the result {name!r} overflows to {float(arr[j])!r} (first in {years[j]}): "
                             f"{_largest_input(province, assumptions, years)}")
    return raw


def compare(projections: "dict[str, Projection]", column: str = "months_of_payment") -> pd.DataFrame:
    """One column of :attr:`Projection.fund` (or :attr:`Projection.indicators`) for several scenarios,
    side by side: a DataFrame indexed by year with one column per scenario name.

    >>> base = wifund.project(province, policy)                                   # doctest: +SKIP
    >>> cut = wifund.project(province, policy.override({...}))                    # doctest: +SKIP
    >>> wifund.compare({"base": base, "rates -20%": cut}).plot()                  # doctest: +SKIP
    """
    if not isinstance(projections, dict):
        raise InputTypeError(f"compare: projections = {show(projections)}: must be a dict {{scenario name: "
                             f"Projection}}, not {type(projections).__name__}")
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
            raise ValueError(f"compare: {column!r} is neither a fund column {list(proj.fund.columns)} nor an "
                             f"indicator {list(proj.indicators.columns)}")
    out = pd.DataFrame(cols)
    out.columns.name = column
    return out


@dataclass
class Projection:
    """Results of :func:`project`, as labelled pandas frames.

    Attributes
    ----------
    fund
        One row per year: opening, contributions, project_premiums, interest, other_income, revenue,
        expenditure, closing, reserve, months_of_payment, payg_cost_rate, current_balance_ratio,
        phased_cut, covered_payroll, insured, avg_monthly_wage.
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

    @property
    def years(self) -> list[int]:
        s = self.raw["start_year"] + self.skip
        return list(range(s, self.raw["start_year"] + self.raw["years"]))

    @property
    def start(self) -> int:
        return self.years[0]

    def _cut(self, arr: np.ndarray) -> np.ndarray:
        return arr[..., self.skip:]

    @cached_property
    def fund(self) -> pd.DataFrame:
        df = pd.DataFrame({c: self._cut(self.raw[c]) for c in FUND_COLUMNS},
                          index=pd.Index(self.years, name="year"))
        return df

    @cached_property
    def revenue_by_item(self) -> pd.DataFrame:
        """year × revenue item (yuan), provincial totals."""
        arr = self.raw["city_revenue"][:, self.skip:, :].sum(axis=0)
        return pd.DataFrame(arr, index=pd.Index(self.years, name="year"), columns=REVENUE_ITEMS)

    @cached_property
    def expenditure_by_item(self) -> pd.DataFrame:
        """year × expenditure item (yuan), provincial totals."""
        arr = self.raw["city_expenditure"][:, self.skip:, :].sum(axis=0)
        return pd.DataFrame(arr, index=pd.Index(self.years, name="year"), columns=EXPENDITURE_ITEMS)

    @cached_property
    def by_city(self) -> pd.DataFrame:
        cities = self.province.city_names + [PROVINCIAL_LEVEL]
        frames = []
        for key, items, flow in (("city_revenue", REVENUE_ITEMS, "revenue"),
                                 ("city_expenditure", EXPENDITURE_ITEMS, "expenditure")):
            arr = self.raw[key][:, self.skip:, :]
            idx = pd.MultiIndex.from_product([cities, self.years, items], names=["city", "year", "item"])
            frames.append(pd.DataFrame({"flow": flow, "value": arr.reshape(-1)}, index=idx).reset_index())
        df = pd.concat(frames, ignore_index=True)
        return df[["city", "year", "item", "flow", "value"]]

    @cached_property
    def city_table(self) -> pd.DataFrame:
        """city × (revenue, expenditure, balance) for every year, wide by year (yuan)."""
        df = self.by_city.pivot_table(index=["city", "year"], columns="flow", values="value", aggfunc="sum")
        df["net"] = df["revenue"] - df["expenditure"]
        return df

    @cached_property
    def by_class(self) -> pd.DataFrame:
        """Long frame by city × risk class × year: insured, payroll, rate, contributions, injuries."""
        idx = pd.MultiIndex.from_product([self.province.city_names, RISK_CLASSES, self.years],
                                         names=["city", "risk_class", "year"])
        data = {name: self.raw[f"{name}_ck"][:, :, self.skip:].reshape(-1)
                for name in ("insured", "payroll", "rate", "contributions", "injuries")}
        df = pd.DataFrame(data, index=idx).reset_index()
        return df[df["insured"] > 0].reset_index(drop=True)

    @cached_property
    def beneficiaries(self) -> pd.DataFrame:
        """Long frame by city × kind × year: average number in payment and new awards."""
        idx = pd.MultiIndex.from_product([self.province.city_names, BENEFIT_KINDS, self.years],
                                         names=["city", "kind", "year"])
        return pd.DataFrame({"in_payment": self.raw["in_payment"][:, :, self.skip:].reshape(-1),
                             "new_awards": self.raw["new_awards"][:, :, self.skip:].reshape(-1)},
                            index=idx).reset_index()

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
        out["reserve_share_of_balance"] = np.where(f["closing"] > 0, f["reserve"] / f["closing"].where(f["closing"] > 0, 1), 0.0)
        out["revenue_per_insured"] = f["revenue"] / f["insured"]
        out["expenditure_per_insured"] = f["expenditure"] / f["insured"]
        levels = []
        for y, m in zip(f.index, f["months_of_payment"]):
            green, yellow, orange = (float(v) for v in self.policy.at(_dt.date(y, 12, 31))["fund.warning_months"])
            levels.append("green" if m >= green else "yellow" if m >= yellow else "orange" if m >= orange else "red")
        out["warning"] = levels
        return out

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
                rows.append({"key": key, "value": first.get(key), "source": first.source(key) if key in first else "",
                             "note": first.note(key) if key in first else ""})
        return pd.DataFrame(rows, columns=["key", "value", "source", "note"])

    # ------------------------------------------------------------------ output
    def plot(self, ax=None):
        """Balance, reserve and months of payment; revenue against expenditure by item."""
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
        return (f"Projection({self.province.name!r}, policy {self.policy.name!r}, {self.years[0]}-{self.years[-1]}: "
                f"closing balance {last['closing'] / 1e8:,.2f} 亿 yuan, {last['months_of_payment']:.1f} months "
                f"of payment in {self.years[-1]})")

    def _repr_html_(self) -> str:
        cols = ["revenue", "expenditure", "closing", "reserve", "months_of_payment", "payg_cost_rate"]
        show = self.fund[cols].copy()
        for c in ["revenue", "expenditure", "closing", "reserve"]:
            show[c] = show[c] / 1e8
        return (f"<p><b>{self.province.name}</b> — policy <code>{self.policy.name}</code>, "
                f"{self.years[0]}–{self.years[-1]} (money in 亿 yuan)</p>"
                + show.to_html(float_format="{:,.3f}".format))
