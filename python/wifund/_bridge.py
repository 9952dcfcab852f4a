"""The one bridge from Python objects to the C++ engine: which TOML key or assumption name fills which
C++ field, and on which date each policy key is resolved.

A projection is built in two parts (``include/wifund/fund/context.hpp``, ``scenario.hpp``):

* the **context** — base data, the policy resolved for every year, the claims basis, mortality, the
  horizon — built and validated once by :func:`build_context` (``_core.fund.make_context``);
* the **scenario** — the economic paths and the solvers' overrides — built by :func:`build_scenario`,
  validated cheaply on every run.

Dates used to resolve the policy for projection year *t* (the ``resolved_on`` column of
:data:`POLICY_FIELDS`):

* ``JAN1`` — contribution rules (base rates, phased cut, project rate, rate review): 1 January of *t*; the
  phased cut is decided on months of payment at the end of *t − 1*;
* ``MONTHLY`` — the phased-cut window (``contribution.phased_cut.active``): the 1st of each month of *t*;
  the share of the year's months inside a window is the share of the year's contributions cut
  (2018-05-01 → 2019-04-30 cuts 8/12 of 2018 and 4/12 of 2019); the tiers, take-up and stop are those in
  force on the first month inside the window;
* ``JUL1`` — benefit, prevention, reserve, indexation and retirement rules: 1 July of *t* (the average
  injury date), including ``contribution.base_clamp`` (the own-wage clamp is a benefit rule, Art. 64);
* ``CUTOFF`` — flat increment events: those whose effective date falls in *t*, applied at the start of
  *t* to cohorts awarded in or before the cut-off year (a cut-off before 1 July counts the year before).

Defaults live in the policy TOML files and in :mod:`wifund.assumptions` only; the C++ structs carry none,
so every field below is always set from here.
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
from collections.abc import Callable
from importlib import resources
from typing import Any, NamedTuple, cast

import numpy as np
import pandas as pd

from . import _core

JAN1 = "1 January"
MONTHLY = "1st of every month"
JUL1 = "1 July"
CUTOFF = "increment cut-off"


def _floats(v: Any) -> list[float]:
    return [float(x) for x in v]


def _by_name(*names: str) -> Callable[[Any], list[float]]:
    return lambda v: [float(v[n]) for n in names]


class Field(NamedTuple):
    """One row of the bridge: a TOML key (or assumption name), the C++ field it fills, its date."""

    key: str
    cpp: str  # dotted path on _core.policy.PolicyYear / BenefitRules / ClaimsAssumptions ...
    resolved_on: str  # JAN1, JUL1, CUTOFF (policy) or "path"/"claims" (assumptions)
    convert: Callable[[Any], Any] | None = None  # None: handled by code next to the table


#: The 以支定收 rate review (``_core.policy.RateReviewRule``, ``policy/rate_schedule.hpp``): key → C++ field(s).
RATE_REVIEW_KEYS: dict[str, str] = {
    "rate_review.active": "rate_review.active",
    "rate_review.band_months": "rate_review.band_low, rate_review.band_high",
    "rate_review.first_year": "rate_review.first_year",
    "rate_review.cycle_years": "rate_review.cycle_years",
    "rate_review.step": "rate_review.step",
    "rate_review.bounds": "rate_review.floor, rate_review.cap",
    "rate_review.lag_years": "rate_review.lag_years",
}

#: Benefit rules (``_core.policy.BenefitRules``, ``policy/benefits.hpp``), all resolved on 1 July.
BENEFIT_FIELDS: list[Field] = [
    Field("benefits.disability.lump_sum_months", "lump_sum_months", JUL1, _floats),
    Field("benefits.disability.allowance_rate", "allowance_rate", JUL1, _floats),
    Field("benefits.disability.minimum_wage_floor", "minimum_wage_floor", JUL1, bool),
    Field("benefits.disability.retirement_topup", "retirement_topup", JUL1, bool),
    Field("benefits.care.rate", "care_rate", JUL1, _by_name(*_core.axes.care_levels)),
    Field("benefits.death.funeral_months", "funeral_months", JUL1, float),
    Field("benefits.death.grant_income_multiple", "death_grant_multiple", JUL1, float),
    Field(
        "benefits.dependants.rate",
        "spouse_rate, other_rate, lone_extra",
        JUL1,
        _by_name("spouse", "other", "lone_extra"),
    ),
    Field("benefits.dependants.cap_own_wage_multiple", "dependant_cap", JUL1, float),
    Field("benefits.medical_subsidy_months", "medical_subsidy_months", JUL1, _floats),
    Field("benefits.hospital_food_per_day", "hospital_food_per_day", JUL1, float),
    # hospital_food_per_day is then indexed and capped by _hospital_food_per_day (below).
    Field("benefits.hospital_food.growth", "hospital_food_per_day (indexation)", JUL1, None),
    Field("benefits.hospital_food.cap_per_day", "hospital_food_per_day (cap of the indexation)", JUL1, None),
    Field("contribution.base_clamp", "base_clamp", JUL1, _floats),
]

#: Policy-year fields (``_core.policy.PolicyYear``, ``policy/policy_year.hpp``) other than the benefit rules.
#: Rows with ``convert=None`` are resolved by :func:`resolve_policy_year` itself (conditional or
#: composite keys), on the date written here.
POLICY_FIELDS: list[Field] = [
    Field("contribution.base_rate", "base_rate[classes 1..8]", JAN1),
    Field("contribution.unclassified_rate", "base_rate[U] (NaN when absent)", JAN1),
    Field("contribution.phased_cut.active", "cut.active, cut.year_share (months in the window / 12)", MONTHLY),
    Field("contribution.phased_cut.thresholds_months", "cut.lower_months, cut.upper_months", MONTHLY),
    Field("contribution.phased_cut.reductions", "cut.lower_cut, cut.upper_cut", MONTHLY),
    Field("contribution.phased_cut.take_up", "cut.take_up", MONTHLY),
    Field("contribution.phased_cut.stop_months", "cut.stop_months", MONTHLY),
    Field("contribution.project_rate", "project_rate", JAN1, float),
    *BENEFIT_FIELDS,
    Field("prevention.cap_ratio", "prevention_cap (0 before 人社部规〔2017〕13号)", JUL1),
    Field("reserve.ratio", "reserve.ratio", JUL1, float),
    Field("reserve.cap_ratio", "reserve.cap_ratio", JUL1, float),
    Field("reserve.base", "reserve.base", JUL1),
    Field("reserve.advance_repaid", "reserve.advance_repaid", JUL1, bool),
    *(Field(k, c, JAN1) for k, c in RATE_REVIEW_KEYS.items()),
    Field("benefits.indexation.mode", "indexation.percentage", JUL1),
    Field("benefits.indexation.allowance_wage_weight", "indexation.allowance_wage_weight", JUL1, float),
    Field("benefits.indexation.dependant_wage_weight", "indexation.dependant_wage_weight", JUL1, float),
    Field("benefits.indexation.care_follows_wage", "indexation.care_follows_wage", JUL1, bool),
    Field("benefits.indexation.mode", "indexation.flat_by_grade", JUL1),
    Field(
        "benefits.indexation.grade_average_rate",
        "indexation.by_grade_allowance_rate, by_grade_care_rate, by_grade_dependant_rate",
        JUL1,
    ),
    Field("benefits.indexation.exclude_retired", "indexation.exclude_retired", JUL1, bool),
    Field("retirement.age", "retirement_age[male, female]", JUL1),
    Field("increments", "increments (IncrementEvent per event effective in the year)", CUTOFF),
]

#: Economic paths (``_core.fund.EconomyPaths``, ``economy/paths.hpp``): assumption name -> C++ field.
#: City paths are cities × years; the others are provincial (length years).
CITY_PATH_FIELDS: list[Field] = [
    Field("wage_growth", "wage_growth", "path"),
    Field("employment_growth", "employment_growth", "path"),
    Field("coverage_growth", "coverage_growth", "path"),
    Field("collection_rate", "collection_rate (NaN: the city's base-year rate)", "path"),
    Field("minimum_wage_growth", "minimum_wage (base-year minimum wage × cumulated growth)", "path"),
]
PATH_FIELDS: list[Field] = [
    Field(n, n, "path")
    for n in (
        "cpi",
        "medical_inflation",
        "interest_rate",
        "disposable_income_growth",
        "project_growth",
        "other_income",
        "prevention_share",
        "major_accident_cost",
    )
]
#: The published provincial average wage (a level series by data year, not carried forward): the
#: value for projection year t is the published annual figure of t − 1 / 12 (AW_{t-1}); NaN where not
#: published (the engine then scales the insured average wage by the last published / insured ratio).
AVG_WAGE_FIELD = Field("published_avg_wage", "avg_wage_prev (published annual wage of t − 1 / 12; NaN: none)", "path")

#: Claims basis (``_core.fund.ClaimsAssumptions``, ``claims/assumptions.hpp``): same names on both sides.
CLAIMS_FIELDS: list[Field] = [
    Field(n, n, "claims")
    for n in (
        "grade_share",
        "death_share",
        "care_share",
        "termination_share",
        "medical_cost",
        "rehabilitation_cost",
        "device_cost",
        "appraisal_fee",
        "appraisal_share",
        "hospital_days",
        "payment_pattern",
        "entry_ages",
        "entry_age_weights",
        "male_share",
        "family_weights",
        "spouse_age_offset",
        "child_age",
        "parent_age",
        "lone_share",
        "dependant_incapacity_share",
        "spouse_exit_hazard",
        "female_cadre_share",
        "retirement_pension_ratio",
        "disabled_mortality_load",
        "dependant_mortality_load",
    )
]

# The 1 January keys whose "assumed" flag is reported (the unclassified rate is a rate, not an assumption).
_CONTRIBUTION_KEYS_USED = [
    "contribution.base_rate",
    "contribution.phased_cut.active",
    "contribution.phased_cut.thresholds_months",
    "contribution.phased_cut.reductions",
    "contribution.phased_cut.take_up",
    "contribution.phased_cut.stop_months",
    "contribution.project_rate",
]


def _set(obj: Any, field: Field, params: Any) -> None:
    value = cast(Callable[[Any], Any], field.convert)(params[field.key])  # set for the fields _set is given
    names = [n.strip() for n in field.cpp.split(",")]
    if len(names) == 1:
        setattr(obj, names[0], value)
    else:
        for n, v in zip(names, value, strict=True):
            setattr(obj, n, v)


def benefit_rules(params: Any) -> _core.policy.BenefitRules:
    """The C++ benefit rules from resolved policy parameters (``policy.at(date)``)."""
    r = _core.policy.BenefitRules()
    for f in BENEFIT_FIELDS:
        if f.convert is not None:
            _set(r, f, params)
    r.hospital_food_per_day = _hospital_food_per_day(params)
    return r


def _hospital_food_per_day(params: Any) -> float:
    """The hospital food subsidy (住院伙食补助费, yuan/day) of the year of ``params``.

    The standard in force (set by the pooling-area government, 条例 Art. 30; Jilin 20 → 26 yuan/day,
    吉人社办字〔2017〕62号, 吉人社发〔2022〕24号) grows by ``benefits.hospital_food.growth`` per full year
    since it took effect; that indexation never takes it above ``benefits.hospital_food.cap_per_day``
    (人社部发〔2017〕58号 caps the subsidy at 40% of urban daily consumption spending), and a standard
    set by notice is paid as set even above the cap.
    """
    key = "benefits.hospital_food_per_day"
    standard = float(params[key])
    if not hasattr(params, "effective_from"):
        return standard  # a plain mapping of rules (wifund.benefits.rules): no date, the standard as given
    growth = float(params["benefits.hospital_food.growth"])
    cap = float(params["benefits.hospital_food.cap_per_day"])
    years = params.date.year - params.effective_from(key).year
    indexed = standard * (1.0 + growth) ** max(years, 0)
    return float(max(standard, min(indexed, cap)))


def _cutoff_year(d: _dt.date) -> int:
    # Cohorts are annual and awarded on average at mid-year: a cut-off before 1 July excludes the
    # awards of that year.
    return d.year if d >= _dt.date(d.year, 7, 1) else d.year - 1


def resolve_policy_year(policy: Any, year: int) -> tuple[_core.policy.PolicyYear, set[str]]:
    """The C++ parameters for projection year ``year`` and the set of assumed keys used."""
    jan1, mid = policy.at(_dt.date(year, 1, 1)), policy.at(_dt.date(year, 7, 1))
    p = _core.policy.PolicyYear()
    p.year = year
    base = [float(v) for v in jan1["contribution.base_rate"]]
    if len(base) != 8:
        raise ValueError(f"policy {policy.name}: contribution.base_rate in {year} has {len(base)} values, expected 8")
    unclassified = jan1.get("contribution.unclassified_rate", math.nan)
    p.base_rate = base + [float(unclassified)]
    p.cut, cut_params = phased_cut_rule(policy, year)
    p.rate_review, review_used = rate_review_rule(jan1)
    p.project_rate = float(jan1["contribution.project_rate"])
    p.benefits = benefit_rules(mid)
    # Prevention spending from the fund is regulated from 人社部规〔2017〕13号 (2017-08-17); before it
    # no prevention fee is charged to the fund.
    p.prevention_cap = float(mid.get("prevention.cap_ratio", 0.0))
    res = _core.policy.ReserveRule()
    res.ratio = float(mid["reserve.ratio"])
    res.cap_ratio = float(mid["reserve.cap_ratio"])
    base_name = mid["reserve.base"]
    if base_name not in ("contributions", "expenditure", "balance"):
        raise ValueError(
            f"policy {policy.name}: reserve.base in {year} is {base_name!r}; expected 'contributions', "
            "'expenditure' or 'balance'"
        )
    res.base = getattr(_core.policy.ReserveBase, base_name)
    res.advance_repaid = bool(mid["reserve.advance_repaid"])
    p.reserve = res
    ix = _core.policy.IndexationRule()
    mode = mid["benefits.indexation.mode"]
    if mode not in ("percentage", "flat", "flat_by_grade"):
        raise ValueError(
            f"policy {policy.name}: benefits.indexation.mode in {year} is {mode!r}; "
            "expected 'percentage', 'flat' or 'flat_by_grade'"
        )
    ix.percentage = mode == "percentage"
    ix.allowance_wage_weight = float(mid["benefits.indexation.allowance_wage_weight"])
    ix.dependant_wage_weight = float(mid["benefits.indexation.dependant_wage_weight"])
    ix.care_follows_wage = bool(mid["benefits.indexation.care_follows_wage"])
    # 人社部发〔2017〕58号: + rate x the previous year's provincial average of the grade (the engine
    # takes the averages over the cohorts in payment); exclude_retired applies to either round.
    ix.flat_by_grade = mode == "flat_by_grade"
    rates = mid["benefits.indexation.grade_average_rate"]
    ix.by_grade_allowance_rate = float(rates["allowance"])
    ix.by_grade_care_rate = float(rates["care"])
    ix.by_grade_dependant_rate = float(rates["dependants"])
    ix.exclude_retired = bool(mid["benefits.indexation.exclude_retired"])
    p.indexation = ix
    events = []
    for ev in policy.increments(_dt.date(year, 1, 1), _dt.date(year, 12, 31)):
        e = _core.policy.IncrementEvent()
        e.effective_year = year
        e.cutoff_year = _cutoff_year(ev["cutoff"])
        e.allowance = [float(v) for v in ev["allowance"][:4]]
        e.care = [float(v) for v in ev["care"]]
        e.spouse, e.other, e.lone_extra = float(ev["spouse"]), float(ev["other"]), float(ev["lone_extra"])
        e.exclude_retired = bool(ev.get("exclude_retired", False))
        e.floor, e.floor_topup = float(ev["floor"]), float(ev["floor_topup"])
        e.legacy_subsidy = [float(v) for v in ev["legacy_subsidy"]]  # grades 1..10 (吉人社发〔2022〕24号)
        events.append(e)
    p.increments = events
    ages = mid["retirement.age"]
    p.retirement_age = [int(ages[s]) for s in ("male", "female")]
    assumed = (
        {k for k in jan1.assumed if k in _CONTRIBUTION_KEYS_USED and not k.startswith("contribution.phased_cut.")}
        | {k for k in cut_params.assumed if k.startswith("contribution.phased_cut.")}
        | ({k for k in jan1.assumed if k.startswith("rate_review.")} if review_used else set())
        | {
            k
            for k in mid.assumed
            if (not k.startswith("contribution.") or k == "contribution.base_clamp")
            and not k.startswith("rate_review.")
        }
    )
    # Keys read only in another mode are not used this year: the flat-by-grade rates, and the food cap
    # when the food standard is not indexed.
    if not ix.flat_by_grade:
        assumed.discard("benefits.indexation.grade_average_rate")
    if float(mid["benefits.hospital_food.growth"]) == 0.0:
        assumed.discard("benefits.hospital_food.cap_per_day")
    return p, assumed


def phased_cut_rule(policy: Any, year: int) -> tuple[_core.policy.PhasedCutRule, Any]:
    """The phased cut of ``year`` at monthly resolution (人社部发〔2018〕25号 … 〔2023〕19号 windows): active
    when any month's 1st falls inside a window, ``year_share`` = months inside / 12; thresholds,
    reductions, take-up and stop from the first month inside (1 January when none). Also returns the
    parameters read (for the assumed flags)."""
    months = [policy.at(_dt.date(year, m, 1)) for m in range(1, 13)]
    inside = [bool(pm["contribution.phased_cut.active"]) for pm in months]
    cut = _core.policy.PhasedCutRule()
    cut.active = any(inside)
    first = months[inside.index(True)] if cut.active else months[0]
    cut.year_share = sum(inside) / 12.0
    # Thresholds exist only from the first cut (2018-05-01); outside the window they are not needed
    # (the engine never reads them when the cut is inactive; they stay NaN).
    if cut.active or "contribution.phased_cut.thresholds_months" in first:
        lower, upper = (float(v) for v in first["contribution.phased_cut.thresholds_months"])
        lower_cut, upper_cut = (float(v) for v in first["contribution.phased_cut.reductions"])
        cut.lower_months, cut.upper_months, cut.lower_cut, cut.upper_cut = lower, upper, lower_cut, upper_cut
        cut.take_up = float(first["contribution.phased_cut.take_up"])
        cut.stop_months = float(first["contribution.phased_cut.stop_months"])
    return cut, first


def rate_review_rule(params: Any) -> tuple[_core.policy.RateReviewRule, bool]:
    """The 以支定收 rate review (条例 Art. 8) from resolved parameters (``policy.at(date)``), and whether it
    is active. Inactive: the other fields are read only when the keys are present."""
    r = _core.policy.RateReviewRule()
    r.active = bool(params["rate_review.active"])
    if r.active or "rate_review.band_months" in params:
        r.band_low, r.band_high = (float(v) for v in params["rate_review.band_months"])
        r.first_year = int(params["rate_review.first_year"])
        r.cycle_years = int(params["rate_review.cycle_years"])
        r.step = float(params["rate_review.step"])
        r.floor, r.cap = (float(v) for v in params["rate_review.bounds"])
        r.lag_years = int(params["rate_review.lag_years"])
    return r, r.active


def rate_review_override(policy: Any, year: int, spec: Any) -> _core.policy.RateReviewRule:
    """A scenario's rate review: ``spec`` maps ``rate_review.*`` names without the prefix (``band_months``,
    ``first_year``, ``cycle_years``, ``step``, ``bounds``, ``lag_years``, ``active`` — default True) to
    values; names not given come from ``policy`` on 1 January of ``year``. Checked by the policy's key
    declarations (unit, range, order), so a bad value is named like a bad policy value."""
    from collections.abc import Mapping

    if isinstance(spec, bool):
        spec = {"active": spec}
    if not isinstance(spec, Mapping):
        raise TypeError(
            f"rate_review = {spec!r}: must be a mapping of rate_review fields "
            f"({', '.join(k.split('.', 1)[1] for k in RATE_REVIEW_KEYS)}), True/False, or None"
        )
    fields = {k.split(".", 1)[1] for k in RATE_REVIEW_KEYS}
    unknown = sorted(set(spec) - fields)
    if unknown:
        raise ValueError(f"rate_review: unknown field(s) {unknown}; allowed: {sorted(fields)}")
    values = {"rate_review.active": True, **{f"rate_review.{k}": v for k, v in spec.items()}}
    checked = policy.override(values, name="rate_review", source="scenario rate_review")
    rule, _ = rate_review_rule(checked.at(_dt.date(year, 1, 1)))
    return rule


def build_economy(province: Any, a: Any, years: list[int]) -> _core.fund.EconomyPaths:
    """The economic paths of a scenario (C++ ``economy_paths``)."""
    cities = province.city_names
    e = _core.fund.EconomyPaths()
    e.wage_growth = a.city_path("wage_growth", years, cities)
    e.employment_growth = a.city_path("employment_growth", years, cities)
    e.coverage_growth = a.city_path("coverage_growth", years, cities)
    coll = a.city_path("collection_rate", years, cities)
    base_coll = province.cities["collection_rate"].to_numpy(dtype=float)[:, None]
    e.collection_rate = np.where(np.isnan(coll), base_coll, coll)
    mw_growth = a.city_path("minimum_wage_growth", years, cities)
    e.minimum_wage = province.cities["minimum_wage"].to_numpy(dtype=float)[:, None] * np.cumprod(1 + mw_growth, axis=1)
    for f in PATH_FIELDS:
        setattr(e, f.cpp, a.path(f.key, years))
    # AW_{t-1}: the published annual average wage of the year before, monthly (NaN: not published).
    e.avg_wage_prev = a.level_series(AVG_WAGE_FIELD.key, [y - 1 for y in years]) / 12.0
    return e


def build_scenario(
    province: Any,
    a: Any,
    years: list[int],
    rate_multiplier: Any = None,
    incidence_multiplier: float = 1.0,
    rate_review: _core.policy.RateReviewRule | None = None,
) -> _core.fund.Scenario:
    """A C++ scenario: the economic paths of ``a`` and the solvers' overrides (default: none). A
    ``rate_review`` rule (:func:`rate_review_override`) replaces the policy's rate review in every year."""
    rm = [1.0] * len(_core.axes.risk_classes) if rate_multiplier is None else [float(v) for v in rate_multiplier]
    s = _core.fund.Scenario(build_economy(province, a, years), rm, float(incidence_multiplier))
    if rate_review is not None:
        s.override_rate_review = True
        s.rate_review = rate_review
    return s


def build_claims(a: Any, years: list[int]) -> _core.fund.ClaimsAssumptions:
    """The claims basis (C++ ``claims_assumptions``)."""
    c = _core.fund.ClaimsAssumptions()
    c.incidence = a.incidence_matrix(years)
    # family_compositions rows [spouses, children, parents] -> three C++ columns.
    comps = [[int(x) for x in row] for row in a.claim("family_compositions")]
    c.family_spouses, c.family_children, c.family_parents = ([row[i] for row in comps] for i in range(3))
    c.pension_qualify_at_15, c.pension_qualify_at_20 = (float(v) for v in a.claim("pension_qualify_share"))
    for f in CLAIMS_FIELDS:
        value = a.claim(f.key)
        if f.key == "payment_pattern":
            value = [float(v) for v in np.asarray(getattr(value, "proportions", value), dtype=float)]
        try:
            setattr(c, f.cpp, value)
        except TypeError as exc:
            raise ValueError(
                f"assumptions: claims assumption {f.key!r} = {value!r} has the wrong shape or type"
            ) from exc
    return c


@functools.lru_cache(maxsize=1)
def _china_life_qx() -> pd.DataFrame:
    """The China Life Insurance Experience Tables 2010-2013 (CL1..CL6), read once per process."""
    return pd.read_csv(str(resources.files("wifund") / "data" / "life_tables" / "cl2010_2013_qx.csv"))


@functools.lru_cache(maxsize=16)
def life_table(name: str) -> _core.life.LifeTable:
    qx = _china_life_qx()
    if name not in qx.columns:
        raise ValueError(f"mortality table {name!r} is not one of {list(qx.columns[1:])}")
    return _core.life.LifeTable(name, int(qx["age"].iloc[0]), qx[name].astype(float).tolist())


def build_mortality(a: Any) -> _core.fund.MortalityBasis:
    dis, dep = a.claim("mortality_disabled"), a.claim("mortality_dependants")
    return _core.fund.MortalityBasis(life_table(dis[0]), life_table(dis[1]), life_table(dep[0]), life_table(dep[1]))


def _filled(ben: pd.DataFrame, column: str, default: Any) -> np.ndarray:
    """An optional integer column of the stock, its missing cells (or the whole column) set to ``default``."""
    fallback = pd.Series(default, index=ben.index, dtype=float)
    values = ben[column].astype(float).fillna(fallback) if column in ben.columns else fallback
    return cast("np.ndarray", values.to_numpy(dtype=np.int32))


def _cohort_columns(province: Any, ben: pd.DataFrame, coded: dict[str, Any] | None = None) -> dict[str, np.ndarray]:
    """The stock's columns as the engine's arrays (``ProvinceBase.set_beneficiaries``). ``coded``: the
    factorizations of the text columns made by ``province._check_beneficiaries`` (``_Coded``), reused
    instead of factorizing 1,000,000 cells again."""
    from .province import _Coded

    text = {c: (coded or {}).get(c) or _Coded.of(ben[c]) for c in ("city", "kind", "sex", "care_level")}
    care = text["care_level"].positions(_core.axes.care_levels)
    sex = text["sex"].positions(_core.axes.sexes)
    return dict(
        city=text["city"].positions(province.city_names),
        kind=text["kind"].positions(_core.axes.benefit_kinds),
        grade=ben["grade"].to_numpy(dtype=np.int32),
        care_level=np.where(care < 0, 0, care).astype(np.int32),  # only care cohorts have a level
        sex=sex,
        age=ben["age"].to_numpy(dtype=np.int32),
        count=ben["count"].to_numpy(dtype=float),
        monthly_amount=ben["monthly_amount"].to_numpy(dtype=float),
        pension=ben["pension"].to_numpy(dtype=float),
        award_year=ben["award_year"].to_numpy(dtype=np.int32),
        retired=ben["retired"].to_numpy(dtype=np.int32),
        lone=ben["lone"].to_numpy(dtype=np.int32),
        # 国发〔2024〕18号 ages: born in base_year - age, in July, where the stock does not say.
        birth_year=_filled(ben, "birth_year", province.base_year - ben["age"]),
        birth_month=_filled(ben, "birth_month", 7),
        # Men: group 0 (male); women: -1, split into female cadres / workers by female_cadre_share.
        group=np.where(sex == _core.axes.sexes.index("M"), 0, -1).astype(np.int32),
        # Art. 39 ¶3 wages where the stock gives them (0: reconstructed), deferred dependants' first month.
        own_wage=_optional_float(ben, "own_wage"),
        cap_wage=_optional_float(ben, "cap_wage"),
        pay_from_month=_pay_from_months(ben, (coded or {}).get("pay_from")),
    )


def _optional_float(ben: pd.DataFrame, column: str) -> np.ndarray:
    """An optional money column of the stock, 0 where not given (the engine's "reconstruct")."""
    if column not in ben.columns:
        return np.zeros(len(ben))
    return cast("np.ndarray", pd.to_numeric(ben[column], errors="coerce").fillna(0.0).to_numpy(dtype=float))


def _pay_from_months(ben: pd.DataFrame, coded: Any = None) -> np.ndarray:
    """pay_from (YYYY-MM, checked by the Province) as month indices 12 x year + month - 1; 0: in payment.
    Parsed once per distinct value (a missing cell: 0); ``coded``: the column's factorization made by the
    checks (``province._Coded``), else it is factorized here."""
    if "pay_from" not in ben.columns:
        return np.zeros(len(ben), dtype=np.int32)
    from .province import _Coded, pay_from_month

    pay_from = coded if coded is not None else _Coded.of(ben["pay_from"])
    texts = (str(v).strip() for v in pay_from.uniques)
    months = np.array([(pay_from_month(t) or 0) if t else 0 for t in texts] + [0], dtype=np.int32)
    return cast("np.ndarray", months[pay_from.codes])


def build_base(province: Any) -> _core.fund.ProvinceBase:
    """The base-year data (C++ ``province_base``)."""
    b = _core.fund.ProvinceBase()
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
    b.set_beneficiaries(**_cohort_columns(province, province.beneficiaries))
    return b


def resolve_policy(policy: Any, years: list[int]) -> tuple[list[_core.policy.PolicyYear], list[str]]:
    """The resolved policy years and the sorted list of assumed parameters they use."""
    resolved, assumed = [], set()
    for y in years:
        p, used = resolve_policy_year(policy, y)
        resolved.append(p)
        assumed |= used
    return resolved, sorted(assumed)


def projection_years(province: Any, years_total: int) -> list[int]:
    return list(range(province.base_year + 1, province.base_year + 1 + years_total))


def build_context(
    province: Any, policy: Any, assumptions: Any, years_total: int
) -> tuple[_core.fund.Context, _core.fund.Scenario, list[str]]:
    """The C++ context (validated once), the scenario of ``assumptions`` and the assumed policy keys."""
    years = projection_years(province, years_total)
    assumptions.check(province, years)
    resolved, assumed = resolve_policy(policy, years)
    ctx = _core.fund.make_context(
        build_base(province), resolved, build_claims(assumptions, years), build_mortality(assumptions), years_total
    )
    return ctx, build_scenario(province, assumptions, years), assumed


def build_input(
    province: Any, policy: Any, assumptions: Any, years_total: int
) -> tuple[_core.fund.ProjectionInput, list[str]]:
    """The flat C++ input (``projection_input``) for ``years_total`` years, and the assumed policy keys:
    one object for a single ``_core.fund.project(input)`` call. Scenario work should use
    :func:`build_context` and ``_core.fund.project(context, scenario)`` instead."""
    years = projection_years(province, years_total)
    assumptions.check(province, years)
    inp = _core.fund.ProjectionInput()
    inp.years = years_total
    inp.base = build_base(province)
    inp.policy, assumed = resolve_policy(policy, years)
    inp.economy = build_economy(province, assumptions, years)
    inp.claims = build_claims(assumptions, years)
    inp.mortality = build_mortality(assumptions)
    return inp, assumed
