"""Economic and claims assumptions for a projection.

Year-by-year paths (provincial, optionally per city) and the claims basis: incidence by risk class,
disability-grade and death splits, costs per injury, the entrants to long-term benefits and the
mortality tables. Every default is listed with its basis in :data:`DEFAULT_BASIS` and in the report.

Paths are given for some years; a projection year before the first given year takes the first value
and a year after the last takes the last value (carried forward), so a scalar means "every year".
"""

from __future__ import annotations

import copy
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ._checks import InputTypeError, check_array, check_int, check_length, check_number, check_shares, show, suggest
from .province import RISK_CLASSES, Province

#: Provincial paths and their defaults (annual fractions unless stated).
PATH_DEFAULTS: dict[str, float] = {
    "wage_growth": 0.05,
    "employment_growth": 0.005,
    "coverage_growth": 0.01,
    "collection_rate": float("nan"),  # NaN = keep each city's base-year collection rate (cities.csv)
    "cpi": 0.015,
    "disposable_income_growth": 0.045,
    "minimum_wage_growth": 0.04,
    "medical_inflation": 0.05,
    "interest_rate": 0.015,
    "project_growth": 0.0,
    "other_income": 0.0,
    "prevention_share": 0.02,
    "major_accident_cost": 0.0,
    "published_avg_wage": float("nan"),  # NaN = not published: the insured average wage is used
}
#: Level series given by data year and not carried forward (a year not given is "not published").
LEVEL_SERIES = ("published_avg_wage",)
#: Paths that may also be given per city.
CITY_PATHS = ("wage_growth", "employment_growth", "coverage_growth", "collection_rate", "minimum_wage_growth")

#: Claims basis defaults.
CLAIMS_DEFAULTS: dict[str, Any] = {
    "incidence": [0.0010, 0.0020, 0.0035, 0.0045, 0.0060, 0.0075, 0.0095, 0.0120, 0.0040],
    "grade_share": [0.002, 0.003, 0.004, 0.006, 0.010, 0.018, 0.035, 0.070, 0.120, 0.180],
    "death_share": 0.011,
    "care_share": [[0.45, 0.30, 0.15], [0.15, 0.30, 0.25], [0.05, 0.10, 0.25], [0.0, 0.05, 0.15]],
    "termination_share": [0.5, 0.5, 0.5, 0.5, 0.5, 0.5],
    "medical_cost": 18_000.0,
    "rehabilitation_cost": 1_500.0,
    "device_cost": 800.0,
    "appraisal_fee": 600.0,
    "appraisal_share": 0.55,
    "hospital_days": 15.0,
    "payment_pattern": [1.0],
    "entry_ages": [30, 40, 50],
    "entry_age_weights": [0.35, 0.40, 0.25],
    "male_share": 0.78,
    # Families of the deceased, [spouses, children, parents] with their weights: 0.8 spouses, 0.6
    # children and 0.4 parents per death, as the expected family used before (Art. 39 cap per family).
    "family_compositions": [
        [1, 0, 0],
        [1, 1, 0],
        [1, 2, 0],
        [1, 1, 1],
        [1, 2, 1],
        [1, 0, 1],
        [0, 0, 1],
        [0, 0, 2],
        [0, 0, 0],
    ],
    "family_weights": [0.25, 0.20, 0.10, 0.10, 0.05, 0.10, 0.05, 0.05, 0.10],
    "spouse_age_offset": -2,
    "child_age": 8,
    "parent_age": 68,
    "lone_share": 0.1,
    "dependant_incapacity_share": 0.05,
    "spouse_exit_hazard": 0.0,
    "female_cadre_share": 0.3,
    "pension_qualify_share": [0.95, 0.90],
    "retirement_pension_ratio": 0.81,
    "disabled_mortality_load": [3.0, 2.5, 2.0, 1.5],
    "dependant_mortality_load": 1.0,
    "mortality_disabled": ["CL1", "CL2"],
    "mortality_dependants": ["CL5", "CL6"],
}

#: The basis of every default (shown in reports; see also docs in the README).
DEFAULT_BASIS: dict[str, str] = {
    "wage_growth": "NBS urban non-private average wage grew 5.8% in 2023 and 6.7% in 2022; 5% assumed",
    "employment_growth": "slow growth of insured employment; 0.5% assumed",
    "coverage_growth": "coverage expansion (扩面) adds 1% a year; assumed",
    "collection_rate": "each city's base-year collection rate (cities.csv) kept",
    "cpi": "CPI about 0-2% in 2023-2024; 1.5% assumed",
    "disposable_income_growth": "national urban disposable income +4.6% in 2024 (54,188 / 51,821); 4.5% assumed",
    "minimum_wage_growth": "minimum wages revised every 2-3 years, about 4% a year on average; assumed",
    "medical_inflation": "medical cost per case +5% a year; assumed",
    "interest_rate": "fiscal special account deposit rate; 1.5% assumed (interest rules not verified)",
    "project_growth": "construction contract value flat; assumed",
    "other_income": "no other income; assumed",
    "prevention_share": "prevention fee used at 2% of last year's contributions (cap 3%, 人社部规〔2017〕13号)",
    "major_accident_cost": "no major accident (yuan a year; paid from the reserve first, 条例 Art. 13); the hook "
    "for catastrophe scenarios",
    "published_avg_wage": "not given: AW_{t-1} for the own-wage clamp, care, funeral grant and medical subsidy is "
    "the insured average wage; give the published 全口径城镇单位就业人员平均工资 (yuan a year, by data year) to "
    "use it, later years scaled by the insured wage growth",
    "incidence": "recognised injuries per insured-year rising with the 8 risk classes; ~0.36% overall, "
    "near the national 95万 recognised injuries / 1.49亿 insured of 2009 halved for later safety gains",
    "grade_share": "share of injuries assessed at grades 1..10; assumed, most at grades 9-10",
    "death_share": "work deaths ~1.1% of recognised injuries; assumed",
    "medical_cost": (
        "medical cost per recognised injury at base-year prices (indexed by medical_inflation from the first "
        "projected year); assumed"
    ),
    "payment_pattern": "short-term costs paid in the injury year; replace with wifund.reserving patterns",
    "retirement_pension_ratio": "pension / allowance at retirement 0.81 (worked example 3,420 / 4,220, S34)",
    "family_compositions": "families of the deceased (spouse / children / parents); 0.8 / 0.6 / 0.4 per death on "
    "average; assumed",
    "family_weights": "weights of the family compositions; assumed",
    "child_age": "age of a child of a worker of the mean entry age, shifted with the worker's age; assumed",
    "parent_age": "age of a parent of a worker of the mean entry age, shifted with the worker's age; assumed",
    "dependant_incapacity_share": "spouses and parents below 60 (men) / 55 (women) wholly unable to work and paid "
    "from the death (部令第18号 Art. 3); 5% assumed",
    "spouse_exit_hazard": "yearly exits of spouses on remarriage or employment (部令第18号 Art. 4); none assumed",
    "female_cadre_share": "female allowance recipients in the cadre group (old age 55, 国发〔2024〕18号); 30% assumed",
    "pension_qualify_share": "recipients with the minimum contribution years for a pension at 15 / 20 years "
    "(国发〔2024〕18号 raises it from 2030); the rest keep the allowance; 95% / 90% assumed",
    "disabled_mortality_load": "CL1/CL2 x 3.0 / 2.5 / 2.0 / 1.5 for grades 1..4; no official disabled table (§5.4)",
    "mortality_dependants": "CL5/CL6 annuity tables for dependants (§5.4)",
}

#: Growth paths: an annual rate of change, which must be > -1 (a fall of 100% or more is not a growth
#: rate: the level would be zero or negative). Range checks against the province and years are in
#: :meth:`Assumptions.check`.
GROWTH_PATHS = (
    "wage_growth",
    "employment_growth",
    "coverage_growth",
    "cpi",
    "disposable_income_growth",
    "minimum_wage_growth",
    "medical_inflation",
    "project_growth",
)
#: Year labels a path may use (a typo such as 225 or 20250 is outside every projection horizon).
PATH_YEARS = (1950, 2150)
#: Mortality tables available (China Life Insurance Experience Tables 2010-2013).
MORTALITY_TABLES = ("CL1", "CL2", "CL3", "CL4", "CL5", "CL6")


def _check_path_spec(name: str, spec: Any, label: str) -> None:
    """Type and value checks of one path given as scalar, {year: value}, Series or list (no years
    needed): finite numbers, NaN only for collection_rate (= keep the base-year rate), growth > -1,
    years integers in :data:`PATH_YEARS` (NaN in a Series: that year is not given)."""
    allow_nan = name == "collection_rate"
    lo = -1.0 if name in GROWTH_PATHS else None
    if name in LEVEL_SERIES:
        if not isinstance(spec, (Mapping, pd.Series)) or not len(spec):
            raise InputTypeError(
                f"{label} = {show(spec)}: must be a non-empty {{year: yuan a year}} mapping or a pandas Series "
                f"indexed by year (the published series; years not given are 'not published'), "
                f"not {type(spec).__name__}"
            )
        for y, v in spec.items():
            if (
                isinstance(y, (bool, np.bool_))
                or not isinstance(y, (int, np.integer))
                or not PATH_YEARS[0] <= int(y) <= PATH_YEARS[1]
            ):
                raise InputTypeError(
                    f"{label}: year {show(y)} must be an integer year in {PATH_YEARS[0]}..{PATH_YEARS[1]}"
                )
            if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.integer, np.floating)):
                raise InputTypeError(f"{label} in {y} = {show(v)}: must be a number (yuan a year)")
            if not (math.isfinite(float(v)) and 0 < float(v) < 1e8):
                raise ValueError(f"{label} in {y} = {float(v)!r}: must be a finite wage in (0, 1e8) yuan a year")
        return

    def one(v: Any, where: str) -> None:
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.integer, np.floating)):
            raise InputTypeError(f"{label}{where} = {show(v)}: must be a number, not {type(v).__name__}")
        f = float(v)
        if math.isnan(f):
            if not allow_nan:
                raise ValueError(
                    f"{label}{where} = nan: must be a number (NaN is allowed only for "
                    f"collection_rate, meaning the base-year rate)"
                )
            return
        if not math.isfinite(f):
            raise ValueError(f"{label}{where} = {f!r}: must be finite")
        if lo is not None and f <= lo:
            raise ValueError(f"{label}{where} = {f!r}: a growth rate must be > -1 (-1 is a fall of 100%)")

    def year(y: Any) -> int:
        if (
            isinstance(y, (bool, np.bool_))
            or not isinstance(y, (int, np.integer))
            and not (isinstance(y, (float, np.floating)) and float(y).is_integer())
        ):
            raise InputTypeError(f"{label}: year {show(y)} must be an integer year, not {type(y).__name__}")
        yi = int(y)
        if not PATH_YEARS[0] <= yi <= PATH_YEARS[1]:
            raise ValueError(f"{label}: year {yi} is outside {PATH_YEARS[0]}..{PATH_YEARS[1]} (a typo?)")
        return yi

    if isinstance(spec, pd.Series):
        # NaN in a Series means "not given for that year" (a column of Assumptions.from_frame covering
        # fewer years than the others): dropped, as before. Year labels are still checked.
        for y, v in spec.items():
            if not (isinstance(v, (float, np.floating)) and math.isnan(v)):
                one(v, f" in {year(y)}")
            else:
                year(y)
    elif isinstance(spec, Mapping):
        if not spec:
            raise ValueError(f"{label} = {{}}: give at least one {{year: value}}")
        for y, v in spec.items():
            one(v, f" in {year(y)}")
    elif isinstance(spec, (list, tuple, np.ndarray)):
        for i, v in enumerate(np.asarray(spec, dtype=object).ravel()):
            one(v, f"[{i}]")
    else:
        if not isinstance(spec, (int, float, np.integer, np.floating)) or isinstance(spec, (bool, np.bool_)):
            raise InputTypeError(
                f"{label} = {show(spec)}: must be a number, a {{year: value}} mapping, a "
                f"pandas Series indexed by year or a list, not {type(spec).__name__}"
            )
        one(spec, "")


def _check_claim(name: str, v: Any) -> None:
    """Type, shape and range of one claims assumption, naming it and the value."""
    label = f"assumptions: claims {name!r}"
    if name == "incidence":
        if isinstance(v, pd.DataFrame):
            cols = [str(c) for c in v.columns]
            missing = [c for c in RISK_CLASSES if c not in cols]
            if missing:
                raise ValueError(f"{label}: frame columns {cols} lack {missing}; expected {RISK_CLASSES}")
            for c in v.columns:
                if str(c) in RISK_CLASSES:
                    for y, x in v[c].items():
                        check_number(label, x, 0, 1, where=f"for class {c} in {y}")
            return
        check_length(label, v, 9)
        check_array(label, v, 0, 1, label=lambda i: f"for class {RISK_CLASSES[i[0]]}")
        return
    shares = {"grade_share": 10, "termination_share": 6}
    if name in shares:
        check_length(label, v, shares[name])
        arr = check_array(label, v, 0, 1, label=lambda i: f"item {i[0] + 1}")
        if name == "grade_share" and arr.sum() > 1 + 1e-12:
            raise ValueError(f"{label} = {show(v)}: the shares of grades 1..10 sum to {arr.sum():.6g} > 1")
        return
    if name == "care_share":
        if not isinstance(v, (list, tuple, np.ndarray)) or np.shape(v) != (4, 3):
            raise ValueError(f"{label} = {show(v)}: must be 4 rows (grades 1..4) of 3 shares (full, major, partial)")
        arr = check_array(label, v, 0, 1, label=lambda i: f"for grade {i[0] + 1}, level {i[1] + 1}")
        rows = arr.sum(axis=1)
        if (rows > 1 + 1e-12).any():
            g = int(np.argmax(rows > 1 + 1e-12))
            raise ValueError(f"{label} for grade {g + 1} = {show(list(v[g]))}: care shares sum to {rows[g]:.6g} > 1")
        return
    if name == "payment_pattern":
        v = getattr(v, "proportions", v)
        if isinstance(v, (pd.Series, pd.DataFrame)):
            v = v.to_numpy()
        if isinstance(v, (str, bytes, Mapping)) or np.ndim(v) != 1 or len(v) == 0:
            raise ValueError(f"{label} = {show(v)}: must be a non-empty list of shares by lag (summing to 1)")
        check_shares(label, list(v))
        return
    if name in ("entry_ages", "entry_age_weights"):
        check_length(label, v, len(v) if isinstance(v, (list, tuple, np.ndarray)) else 0)
        if name == "entry_ages":
            for i, a in enumerate(v):
                check_int(label, a, 14, 100, where=f"item {i + 1}")
        return
    if name in ("mortality_disabled", "mortality_dependants"):
        check_length(label, v, 2)
        for i, t in enumerate(v):
            if t not in MORTALITY_TABLES:
                raise ValueError(
                    f"{label} item {i + 1} ({'male' if i == 0 else 'female'}) = {show(t)}: unknown "
                    f"mortality table{suggest(t, MORTALITY_TABLES)}; tables: {list(MORTALITY_TABLES)}"
                )
        return
    if name == "disabled_mortality_load":
        check_length(label, v, 4)
        check_array(label, v, 0, 100, lo_open=True, label=lambda i: f"for grade {i[0] + 1}")
        return
    if name == "family_compositions":
        if (
            isinstance(v, (str, bytes, Mapping))
            or not isinstance(v, (list, tuple, np.ndarray))
            or len(v) == 0
            or any(np.ndim(row) != 1 or len(row) != 3 for row in v)
        ):
            raise ValueError(f"{label} = {show(v)}: must be a non-empty list of [spouses, children, parents] rows")
        for i, row in enumerate(v):
            for what, x, top in zip(("spouses", "children", "parents"), row, (1, 10, 4), strict=True):
                check_int(label, x, 0, top, where=f"family {i + 1} {what}")
        return
    if name == "family_weights":
        check_shares(label, v, len(v) if isinstance(v, (list, tuple, np.ndarray)) else 0, tol=1e-9)
        return
    if name == "pension_qualify_share":
        check_length(label, v, 2)
        check_array(label, v, 0, 1, label=lambda i: ("at 15 years", "at 20 years")[i[0]])
        return
    ints = {"spouse_age_offset": (-40, 40), "child_age": (0, 30), "parent_age": (30, 110)}
    if name in ints:
        check_int(label, v, *ints[name])
        return
    ranges: dict[str, tuple[float, float | None]] = {
        "death_share": (0, 1),
        "appraisal_share": (0, 1),
        "male_share": (0, 1),
        "lone_share": (0, 1),
        "hospital_days": (0, 366),
        "dependant_incapacity_share": (0, 1),
        "spouse_exit_hazard": (0, 1),
        "female_cadre_share": (0, 1),
        "retirement_pension_ratio": (0, 10),
        "dependant_mortality_load": (0, 100),
    }
    lo, hi = ranges.get(name, (0.0, None))  # costs: yuan >= 0
    check_number(label, v, lo, hi, lo_open=name == "dependant_mortality_load")


def _check_claims(claims: Mapping[str, Any]) -> None:
    for name, v in claims.items():
        _check_claim(name, v)
    ages = claims.get("entry_ages", CLAIMS_DEFAULTS["entry_ages"])
    weights = claims.get("entry_age_weights", CLAIMS_DEFAULTS["entry_age_weights"])
    if "entry_ages" in claims or "entry_age_weights" in claims:
        check_shares(
            "assumptions: claims 'entry_age_weights'", weights, len(ages), where=f"(for entry_ages {show(ages)})"
        )
    if "family_compositions" in claims or "family_weights" in claims:
        comps = claims.get("family_compositions", CLAIMS_DEFAULTS["family_compositions"])
        check_shares(
            "assumptions: claims 'family_weights'",
            claims.get("family_weights", CLAIMS_DEFAULTS["family_weights"]),
            len(comps),
            tol=1e-9,
            where=f"(for {len(comps)} family_compositions)",
        )
    if "grade_share" in claims or "death_share" in claims:
        total = float(np.sum(claims.get("grade_share", CLAIMS_DEFAULTS["grade_share"]))) + float(
            claims.get("death_share", CLAIMS_DEFAULTS["death_share"])
        )
        if total > 1 + 1e-12:
            raise ValueError(
                f"assumptions: claims 'grade_share' + 'death_share' sum to {total:.6g} > 1 "
                f"(death_share = {show(claims.get('death_share', CLAIMS_DEFAULTS['death_share']))})"
            )


def _path_values(spec: Any, years: list[int], name: str, before: np.ndarray | float | None = None) -> np.ndarray:
    """Turns a scalar, {year: value} mapping, Series or list into values for ``years``.

    Years after the last given year take the last value; years before the first given year take
    ``before`` (the provincial path for a city, the default for a provincial path) or, if ``None``,
    the first given value."""
    if isinstance(spec, (int, float, np.floating, np.integer)) and not isinstance(spec, bool):
        return np.full(len(years), float(spec))
    if isinstance(spec, Mapping):
        spec = pd.Series({int(k): float(v) for k, v in spec.items()})
    if isinstance(spec, (list, tuple, np.ndarray)):
        if len(spec) != len(years):
            raise ValueError(
                f"assumptions: path {name!r} has {len(spec)} values for {len(years)} projection years "
                f"{years[0]}..{years[-1]}; give a scalar, a {{year: value}} mapping or one value a year"
            )
        return np.asarray(spec, dtype=float)
    if isinstance(spec, pd.Series):
        s = spec.dropna().sort_index()
        if s.empty:
            return np.full(len(years), float("nan"))
        idx = s.index.astype(int)
        out = np.empty(len(years))
        fallback = np.broadcast_to(np.asarray(s.iloc[0] if before is None else before, dtype=float), (len(years),))
        for i, y in enumerate(years):
            pos = np.searchsorted(idx, y, side="right") - 1  # last given year <= y (carried forward)
            out[i] = s.iloc[pos] if pos >= 0 else fallback[i]
        return out
    raise TypeError(f"assumptions: path {name!r} has unsupported type {type(spec).__name__}")


def _year_keys(d: Any) -> Any:
    """TOML tables keyed by years have string keys ("2025"); turn such keys into ints, recursively."""
    if not isinstance(d, Mapping):
        return d
    return {(int(k) if isinstance(k, str) and k.strip().isdigit() else k): _year_keys(v) for k, v in d.items()}


@dataclass(frozen=True)
class Assumptions:
    """Economic paths and the claims basis.

    Parameters
    ----------
    paths
        Provincial paths: ``{name: scalar | {year: value} | pandas.Series}``; names in
        :data:`PATH_DEFAULTS`. Missing names take their default.
    city_paths
        Per-city overrides: ``{name: {city: scalar | {year: value}}}`` for names in
        :data:`CITY_PATHS`.
    claims
        Claims basis: names in :data:`CLAIMS_DEFAULTS`. ``incidence`` may be a list of 9 values
        (classes 1..8, U) or a DataFrame indexed by year with those columns.
    intervals
        Optional prediction intervals of paths (kept for stochastic work; not used by the
        deterministic engine).
    """

    paths: dict[str, Any] = field(default_factory=dict)
    city_paths: dict[str, dict[str, Any]] = field(default_factory=dict)
    claims: dict[str, Any] = field(default_factory=dict)
    intervals: pd.DataFrame | None = None

    def __post_init__(self) -> None:
        # Every value is checked here, where it enters (issue #7); ranges that depend on the province
        # and the projection years are checked by :meth:`check` when a projection is built.
        for attr, want in (
            ("paths", "a dict {name: value}"),
            ("city_paths", "a dict {name: {city: value}}"),
            ("claims", "a dict {name: value}"),
        ):
            if not isinstance(getattr(self, attr), Mapping):
                raise InputTypeError(
                    f"assumptions: {attr} = {show(getattr(self, attr))}: must be {want}, "
                    f"not {type(getattr(self, attr)).__name__}"
                )
        for name in self.paths:
            if name not in PATH_DEFAULTS:
                raise ValueError(
                    f"assumptions: unknown path {name!r}{suggest(name, PATH_DEFAULTS)} "
                    f"(known paths: {sorted(PATH_DEFAULTS)})"
                )
        for name in self.city_paths:
            if name not in CITY_PATHS:
                raise ValueError(
                    f"assumptions: path {name!r} cannot be given per city{suggest(name, CITY_PATHS)}; "
                    f"per-city paths: {list(CITY_PATHS)}"
                )
        for name in self.claims:
            if name not in CLAIMS_DEFAULTS:
                raise ValueError(
                    f"assumptions: unknown claims assumption {name!r}{suggest(name, CLAIMS_DEFAULTS)} "
                    f"(known: {sorted(CLAIMS_DEFAULTS)})"
                )
        for name, spec in self.paths.items():
            _check_path_spec(name, spec, f"assumptions: {name}")
        for name, by_city in self.city_paths.items():
            if not isinstance(by_city, Mapping):
                raise InputTypeError(
                    f"assumptions: city_paths[{name!r}] = {show(by_city)}: must be a dict "
                    f"{{city: value}}, not {type(by_city).__name__}"
                )
            for city, spec in by_city.items():
                _check_path_spec(name, spec, f"assumptions: {name} for city {city!r}")
        _check_claims(self.claims)
        if self.intervals is not None and not isinstance(self.intervals, pd.DataFrame):
            raise InputTypeError(f"assumptions: intervals = {show(self.intervals)}: must be a DataFrame or None")

    # ------------------------------------------------------------------ constructors
    @classmethod
    def default(cls) -> Assumptions:
        """The documented defaults (:data:`PATH_DEFAULTS`, :data:`CLAIMS_DEFAULTS`, :data:`DEFAULT_BASIS`)."""
        return cls()

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Assumptions:
        """From a flat mapping of path and claims names (``city_paths`` and ``intervals`` keys allowed)."""
        if not isinstance(d, Mapping):
            raise InputTypeError(f"Assumptions.from_dict: d = {show(d)}: must be a mapping, not {type(d).__name__}")
        d = dict(d)
        city = d.pop("city_paths", {}) or {}
        intervals = d.pop("intervals", None)
        paths = {k: v for k, v in d.items() if k in PATH_DEFAULTS}
        claims = {k: v for k, v in d.items() if k in CLAIMS_DEFAULTS}
        for k in d:
            if k not in paths and k not in claims:
                raise ValueError(
                    f"assumptions: unknown name {k!r}"
                    f"{suggest(k, [*PATH_DEFAULTS, *CLAIMS_DEFAULTS, 'city_paths', 'intervals'])}"
                )
        return cls(paths=paths, city_paths=city, claims=claims, intervals=intervals)

    @classmethod
    def from_frame(
        cls, frame: pd.DataFrame, city_frames: Mapping[str, pd.DataFrame] | None = None, **claims: Any
    ) -> Assumptions:
        """From a DataFrame indexed by year with path columns, plus optional per-city frames
        ``{name: DataFrame(index=year, columns=city)}`` and claims keyword arguments."""
        if not isinstance(frame, pd.DataFrame):
            raise InputTypeError(
                f"Assumptions.from_frame: frame = {show(frame)}: must be a DataFrame indexed by "
                f"year, not {type(frame).__name__}"
            )
        paths = {c: frame[c] for c in frame.columns}
        city = {name: {c: df[c] for c in df.columns} for name, df in (city_frames or {}).items()}
        return cls(paths=paths, city_paths=city, claims=dict(claims))

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> Assumptions:
        """Assumptions from a file, as ``wifund run --assumptions FILE`` reads them.

        * ``.csv`` — the format ``wifund run`` writes (``assumptions.csv``): a ``year`` column and one
          column per provincial path (names in :data:`PATH_DEFAULTS`); read by :meth:`from_frame`.
          Any Excel encoding (UTF-8 with or without BOM, GBK/GB18030, UTF-16) is accepted.
        * ``.toml`` — a flat table read by :meth:`from_dict`: path names with a scalar or a
          ``{year = value}`` table (``[wage_growth]`` then ``2025 = 0.05``), claims names with their
          values, and ``[city_paths.<path>]`` tables ``{city = value}``.

        Every value is checked as in :meth:`from_dict` / :meth:`from_frame`; a message names the
        file, and for CSVs the column and the year.
        """
        from ._csv import read_csv, read_toml

        p = Path(os.fspath(path))
        if not p.is_file():
            raise FileNotFoundError(f"assumptions file {p}: no such file")
        suffix = p.suffix.lower()
        if suffix == ".toml":
            data = _year_keys(read_toml(p))
            try:
                return cls.from_dict(data)
            except (ValueError, TypeError) as exc:
                raise type(exc)(f"{p}: {exc}") from None
        if suffix != ".csv":
            raise ValueError(f"assumptions file {p}: unknown format {p.suffix!r}; give a .csv or a .toml file")
        frame = read_csv(p, ["year"], comment="#")
        if "year" not in frame.columns:
            raise ValueError(
                f"{p}: no 'year' column (columns: {list(frame.columns)}); the file must have a year column "
                f"and one column per path ({', '.join(PATH_DEFAULTS)})"
            )
        unknown = [c for c in frame.columns if c != "year" and c not in PATH_DEFAULTS]
        if unknown:
            raise ValueError(
                f"{p}: unknown column {unknown[0]!r}{suggest(unknown[0], PATH_DEFAULTS)} "
                f"(known paths: {', '.join(PATH_DEFAULTS)})"
            )
        years = pd.to_numeric(frame["year"], errors="coerce")
        for i, (raw, y) in enumerate(zip(frame["year"], years, strict=True)):
            if pd.isna(y) or float(y) != int(y):
                raise ValueError(f"{p}: row {i + 1}: year = {raw!r}: must be an integer year")
        if years.duplicated().any():
            dup = int(years[years.duplicated()].iloc[0])
            raise ValueError(f"{p}: year {dup} appears twice")
        out = pd.DataFrame(index=pd.Index(years.astype(int).to_numpy(), name="year"))
        for c in frame.columns:
            if c == "year" or frame[c].isna().all():
                continue  # an empty column (the run writes a path left at its derived default so) = not given
            vals = pd.to_numeric(frame[c], errors="coerce")
            for raw, v, y in zip(frame[c], vals, out.index, strict=True):
                blank = pd.isna(raw) or (isinstance(raw, str) and raw.strip().lower() in ("", "nan"))
                if pd.isna(v) and not blank:
                    raise ValueError(f"{p}: column {c!r}, year {y}: {raw!r} is not a number")
            out[c] = vals.to_numpy(dtype=float)
        try:
            return cls.from_frame(out)
        except (ValueError, TypeError) as exc:
            raise type(exc)(f"{p}: {exc}") from None

    @classmethod
    def from_forecasts(
        cls,
        start: int,
        years: int,
        wage: Any = None,
        employment: Any = None,
        coverage: Any = None,
        level: float = 0.95,
        model: str = "auto",
        **others: Any,
    ) -> Assumptions:
        """Wage, employment and coverage growth paths from fitted forecasting models.

        A thin wrapper of :func:`wifund.forecast.paths_from_forecasts`: ``wage``, ``employment`` and
        ``coverage`` are models from :mod:`wifund.forecast` (or level series indexed by year, fitted
        with ``model``); their point forecasts give the paths for ``start .. start + years - 1`` and
        their prediction intervals at ``level`` are kept in :attr:`intervals` for stochastic runs.
        Other paths and claims assumptions are passed as keyword arguments (as :meth:`from_dict`).
        """
        from .forecast import paths_from_forecasts

        fp = paths_from_forecasts(
            start, years, wage=wage, employment=employment, coverage=coverage, level=level, model=model
        )
        base = cls.from_dict(others)
        paths = {**base.paths, **{c: fp.paths[c] for c in fp.paths.columns}}
        return cls(paths=paths, city_paths=base.city_paths, claims=base.claims, intervals=fp.intervals)

    def replace(self, **changes: Any) -> Assumptions:
        """A copy with some paths or claims assumptions replaced (the original is unchanged)."""
        paths, claims = dict(self.paths), dict(self.claims)
        for k, v in changes.items():
            if k in PATH_DEFAULTS:
                paths[k] = v
            elif k in CLAIMS_DEFAULTS:
                claims[k] = v
            else:
                raise ValueError(f"assumptions: unknown name {k!r}{suggest(k, [*PATH_DEFAULTS, *CLAIMS_DEFAULTS])}")
        return Assumptions(
            paths=paths, city_paths=copy.deepcopy(self.city_paths), claims=claims, intervals=self.intervals
        )

    # ------------------------------------------------------------------ resolution
    def claim(self, name: str) -> Any:
        return copy.deepcopy(self.claims.get(name, CLAIMS_DEFAULTS[name]))

    def path(self, name: str, years: list[int]) -> np.ndarray:
        """The provincial path ``name`` for ``years``."""
        if name in LEVEL_SERIES:
            return self.level_series(name, years)
        return _path_values(self.paths.get(name, PATH_DEFAULTS[name]), years, name, before=PATH_DEFAULTS[name])

    def level_series(self, name: str, years: list[int]) -> np.ndarray:
        """A level series (:data:`LEVEL_SERIES`) for ``years``: the given value, NaN where not given."""
        spec = self.paths.get(name)
        if spec is None:
            return np.full(len(years), np.nan)
        given = {int(y): float(v) for y, v in spec.items()}
        return np.array([given.get(int(y), np.nan) for y in years], dtype=float)

    def city_path(self, name: str, years: list[int], cities: list[str]) -> np.ndarray:
        """cities × years values of a per-city path (provincial path where a city has none)."""
        base = self.path(name, years)
        out = np.tile(base, (len(cities), 1))
        for city, spec in self.city_paths.get(name, {}).items():
            if city not in cities:
                raise ValueError(
                    f"assumptions: city path {name!r} names city {city!r}, which is not in the "
                    f"province (cities: {cities})"
                )
            out[cities.index(city)] = _path_values(spec, years, f"{name}[{city}]", before=base)
        return out

    def incidence_matrix(self, years: list[int]) -> np.ndarray:
        """years × 9 incidence rates (classes 1..8, U)."""
        inc = self.claim("incidence")
        if isinstance(inc, pd.DataFrame):
            cols = [c for c in RISK_CLASSES if c in inc.columns.astype(str)]
            frame = inc.copy()
            frame.columns = frame.columns.astype(str)
            if len(cols) != 9:
                raise ValueError(
                    f"assumptions: incidence frame must have columns {RISK_CLASSES}, got {list(frame.columns)}"
                )
            return np.column_stack([_path_values(frame[c], years, f"incidence[class {c}]") for c in RISK_CLASSES])
        arr = np.asarray(inc, dtype=float)
        if arr.shape != (9,):
            raise ValueError(f"assumptions: incidence must have 9 values (classes 1..8, U), got shape {arr.shape}")
        return np.tile(arr, (len(years), 1))

    def check(self, province: Province, years: list[int]) -> None:
        """Range checks naming the path, the city and the year of the first bad value (vectorised);
        a path whose given years all fall after the last projection year is an error (it would have
        no effect)."""
        cities = province.city_names
        bounds = {
            "wage_growth": (-0.5, 1),
            "employment_growth": (-0.5, 1),
            "coverage_growth": (-0.5, 1),
            "collection_rate": (0, 1),
            "minimum_wage_growth": (-0.5, 1),
            "cpi": (-0.5, 1),
            "disposable_income_growth": (-0.5, 1),
            "medical_inflation": (-0.5, 1),
            "interest_rate": (-0.5, 1),
            "project_growth": (-0.9, 10),
            "prevention_share": (0, 1),
            "other_income": (-math.inf, math.inf),
            "major_accident_cost": (0, 1e15),
        }
        given = [(f"{n}", spec) for n, spec in self.paths.items()] + [
            (f"{n} for city {c!r}", spec) for n, d in self.city_paths.items() for c, spec in d.items()
        ]
        for label, spec in given:
            if isinstance(spec, (Mapping, pd.Series)) and len(spec):
                ys = sorted(int(y) for y in (spec.keys() if isinstance(spec, Mapping) else spec.index))
                if ys[0] > years[-1]:
                    raise ValueError(
                        f"assumptions: {label} is given only for years {ys}, after the projection "
                        f"horizon {years[0]}..{years[-1]}; it would have no effect"
                    )
        for name, (lo, hi) in bounds.items():
            per_city = name in CITY_PATHS
            m = self.city_path(name, years, cities) if per_city else self.path(name, years)[None, :]
            with np.errstate(invalid="ignore"):
                bad = ~((lo <= m) & (m <= hi))
            if name == "collection_rate":
                bad &= ~np.isnan(m)
            if bad.any():
                c, j = np.unravel_index(int(np.argmax(bad)), m.shape)
                at = f" for city {cities[c]!r}" if per_city else ""
                raise ValueError(
                    f"assumptions: {name}{at} in {years[j]} is {float(m[c, j])!r}; must lie in [{lo}, {hi}]"
                )

    # ------------------------------------------------------------------ display
    def to_frame(self, years: list[int] | None = None) -> pd.DataFrame:
        """The provincial paths for ``years`` (default 2025..2034), one column per path."""
        years = years or list(range(2025, 2035))
        return pd.DataFrame(
            {name: self.path(name, years) for name in PATH_DEFAULTS}, index=pd.Index(years, name="year")
        )

    def claims_frame(self) -> pd.DataFrame:
        """Every claims assumption with its value and, for defaults, its basis."""
        rows = []
        for name in CLAIMS_DEFAULTS:
            v = self.claim(name)
            rows.append(
                {
                    "assumption": name,
                    "value": v if not isinstance(v, pd.DataFrame) else "by year",
                    "default": name not in self.claims,
                    "basis": DEFAULT_BASIS.get(name, "assumed"),
                }
            )
        return pd.DataFrame(rows)

    def __repr__(self) -> str:
        changed = sorted(set(self.paths) | set(self.claims) | set(self.city_paths))
        return f"Assumptions(defaults{' except ' + ', '.join(changed) if changed else ''})"

    def _repr_html_(self) -> str:
        from . import _labels

        return _labels.html_table(self.to_frame(), float_format="{:,.4f}")
