"""Province base data: insured and wages by city × risk class, long-term beneficiaries, the fund.

A province is a folder of four files (schema in the README, "Province data"):

``province.toml``
    ``[province]`` name, base_year, default_policy, illustrative; ``[fund]`` opening_balance,
    opening_reserve, base_expenditure, base_contributions (yuan); ``[economy]``
    national_disposable_income (yuan per head, base year).
``cities.csv``
    city, collection_rate, minimum_wage, project_value.
``insured.csv``
    city, risk_class (1..8, or U for unclassified employers), insured, avg_monthly_wage, avg_float.
``beneficiaries.csv``
    city, kind (allowance / care / spouse / child / parent), grade, care_level, sex (M/F), age, count,
    monthly_amount, pension, award_year, retired, lone.

Every value is checked on reading; a bad value raises ``ValueError`` naming the file, the column,
the row's city / class and the value.
"""
from __future__ import annotations

import json
import math
import tomllib
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import _core
from ._io import atomic_directory

# The axes are defined once, in C++ (include/wifund/core/axes.hpp), and exported by _core.
RISK_CLASSES: list[str] = list(_core.risk_classes)
BENEFIT_KINDS: list[str] = list(_core.benefit_kinds)
CARE_LEVELS: list[str] = list(_core.care_levels)
SEXES: list[str] = list(_core.sexes)

_CITY_COLUMNS = ["city", "collection_rate", "minimum_wage", "project_value"]
_INSURED_COLUMNS = ["city", "risk_class", "insured", "avg_monthly_wage", "avg_float"]
_BENEFICIARY_COLUMNS = ["city", "kind", "grade", "care_level", "sex", "age", "count", "monthly_amount",
                        "pension", "award_year", "retired", "lone"]


def _demo_dir() -> Path:
    return Path(str(resources.files("wifund") / "data" / "demo"))


def _show(value: Any) -> str:
    """A cell value as the user wrote it: numbers plainly, empty cells as (empty), text quoted."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "(empty)"
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return f"{float(value):g}"
    return repr(str(value))


def _bad(file: str, column: str, where: str, value: Any, reason: str) -> ValueError:
    return ValueError(f"{file}: column '{column}' {where}: value {_show(value)} {reason}")


def _read_csv(folder: Path, name: str, columns: list[str]) -> pd.DataFrame:
    path = folder / name
    if not path.exists():
        raise FileNotFoundError(f"province folder {folder}: missing file {name}")
    df = pd.read_csv(path, dtype={"city": str, "risk_class": str, "kind": str, "care_level": str, "sex": str},
                     keep_default_na=False, na_values=[""])
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{name}: missing column(s) {missing}; expected {columns}")
    return df[columns].copy()


def _where(df: pd.DataFrame, i: Any, where_cols: list[str]) -> str:
    return "for " + ", ".join(f"{c}={df.at[i, c]}" for c in where_cols) + f" (row {int(i) + 2})"


def _numeric(df: pd.DataFrame, file: str, column: str, where_cols: list[str], *, lo: float | None = None,
             hi: float | None = None, lo_open: bool = False) -> pd.Series:
    """Converts a column to float and checks its range (vectorised), naming the first bad row."""
    raw = df[column]
    values = pd.to_numeric(raw, errors="coerce").astype(float)
    arr = values.to_numpy()
    checks = [(np.isnan(arr), "is missing or not a number"), (np.isinf(arr), "is not finite")]
    if lo is not None:
        checks.append(((arr <= lo) if lo_open else (arr < lo), f"must be {'>' if lo_open else '>='} {lo}"))
    if hi is not None:
        checks.append((arr > hi, f"must be <= {hi}"))
    for mask, reason in checks:
        if mask.any():
            i = df.index[int(np.argmax(mask))]
            raise _bad(file, column, _where(df, i, where_cols), raw.at[i], reason)
    return values


def _require_in(df: pd.DataFrame, file: str, column: str, allowed: Any, reason: str) -> None:
    """Raises for the first row whose ``column`` is not in ``allowed``; ``reason`` may use {value}."""
    bad = ~df[column].isin(list(allowed))
    if bad.any():
        i = df.index[int(np.argmax(bad.to_numpy()))]
        where = f"(row {int(i) + 2})" if column == "city" else f"for city={df.at[i, 'city']} (row {int(i) + 2})"
        raise ValueError(f"{file}: column '{column}' {where}: {reason.format(value=repr(df.at[i, column]))}")


@dataclass(frozen=True)
class Province:
    """Base-year data of one province (one pooling area under 统收统支).

    Use :meth:`demo` for the shipped illustrative province or :meth:`from_dir` for your own folder.
    """

    name: str
    base_year: int
    cities: pd.DataFrame          # index city; collection_rate, minimum_wage, project_value
    insured: pd.DataFrame         # city, risk_class, insured, avg_monthly_wage, avg_float
    beneficiaries: pd.DataFrame   # long-term beneficiaries in payment at the base-year end
    fund: dict[str, float]        # opening_balance, opening_reserve, base_expenditure, base_contributions
    national_disposable_income: float
    default_policy: str = "national"
    illustrative: bool = False
    source: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    #: Optional claims triangles of the folder (``<name>_triangle.csv``, long format: injury_year,
    #: payment_year, cumulative_paid), for wifund.reserving; the demo ships ``medical_payments``.
    triangles: dict[str, pd.DataFrame] = field(default_factory=dict)

    # ------------------------------------------------------------------ constructors
    @classmethod
    def demo(cls) -> "Province":
        """The demonstration province shipped in the package (illustrative, not real data).

        Nine fictional prefecture-level cities, the eight risk classes, base year 2024, about
        5 million insured; generated by ``tools/make_demo_province.py`` to land near the national
        2021 ratios (revenue and expenditure per insured, months of payment, reserve share).
        """
        return cls.from_dir(_demo_dir())

    @classmethod
    def from_dir(cls, path: str | Path) -> "Province":
        """Reads and validates a province folder (see the module docstring for the schema)."""
        folder = Path(path)
        if not folder.is_dir():
            raise FileNotFoundError(f"province folder {folder} does not exist")
        meta_path = folder / "province.toml"
        if not meta_path.exists():
            raise FileNotFoundError(f"province folder {folder}: missing file province.toml")
        with open(meta_path, "rb") as fh:
            meta = tomllib.load(fh)
        prov = meta.get("province", {})
        fund_meta = meta.get("fund", {})
        econ = meta.get("economy", {})
        for section, key in [("province", "base_year"), ("economy", "national_disposable_income")] + [
                ("fund", k) for k in ("opening_balance", "opening_reserve", "base_expenditure", "base_contributions")]:
            if key not in meta.get(section, {}):
                raise ValueError(f"province.toml: missing [{section}] {key}")
        base_year = prov["base_year"]
        if not isinstance(base_year, int) or not 1990 <= base_year <= 2100:
            raise ValueError(f"province.toml: [province] base_year = {base_year!r} must be a year in 1990..2100")
        fund = {}
        for k in ("opening_balance", "opening_reserve", "base_expenditure", "base_contributions"):
            v = fund_meta[k]
            if not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0 or (k == "base_expenditure" and v <= 0):
                raise ValueError(f"province.toml: [fund] {k} = {v!r} must be a finite number "
                                 f"{'> 0' if k == 'base_expenditure' else '>= 0'}")
            fund[k] = float(v)
        if fund["opening_reserve"] > fund["opening_balance"]:
            raise ValueError(f"province.toml: [fund] opening_reserve = {fund['opening_reserve']} exceeds "
                             f"opening_balance = {fund['opening_balance']} (the reserve is part of the balance)")
        di = econ["national_disposable_income"]
        if not isinstance(di, (int, float)) or not di > 0:
            raise ValueError(f"province.toml: [economy] national_disposable_income = {di!r} must be > 0")

        cities = _read_csv(folder, "cities.csv", _CITY_COLUMNS)
        if cities["city"].isna().any():
            raise ValueError(f"cities.csv: column 'city' is empty in row {int(cities['city'].isna().idxmax()) + 2}")
        dup = cities["city"][cities["city"].duplicated()]
        if len(dup):
            raise ValueError(f"cities.csv: column 'city': city {dup.iloc[0]!r} appears twice")
        cities["collection_rate"] = _numeric(cities, "cities.csv", "collection_rate", ["city"], lo=0, hi=1)
        cities["minimum_wage"] = _numeric(cities, "cities.csv", "minimum_wage", ["city"], lo=0)
        cities["project_value"] = _numeric(cities, "cities.csv", "project_value", ["city"], lo=0)
        city_set = set(cities["city"])

        insured = _read_csv(folder, "insured.csv", _INSURED_COLUMNS)
        insured["risk_class"] = insured["risk_class"].astype(str).str.strip()
        _require_in(insured, "insured.csv", "city", city_set,
                    f"city {{value}} is not in cities.csv (cities: {sorted(city_set)})")
        _require_in(insured, "insured.csv", "risk_class", RISK_CLASSES,
                    f"unknown risk class {{value}}; expected one of {RISK_CLASSES}")
        where = ["city", "risk_class"]
        insured["insured"] = _numeric(insured, "insured.csv", "insured", where, lo=0)
        insured["avg_monthly_wage"] = _numeric(insured, "insured.csv", "avg_monthly_wage", where, lo=0, lo_open=True)
        insured["avg_float"] = _numeric(insured, "insured.csv", "avg_float", where, lo=0, hi=3)
        dup = insured[insured.duplicated(["city", "risk_class"])]
        if len(dup):
            r = dup.iloc[0]
            raise ValueError(f"insured.csv: city={r['city']}, risk_class={r['risk_class']} appears twice")
        missing = city_set - set(insured["city"])
        if missing:
            raise ValueError(f"insured.csv: city {sorted(missing)[0]!r} is in cities.csv but has no rows in insured.csv")

        ben = _read_csv(folder, "beneficiaries.csv", _BENEFICIARY_COLUMNS)
        _require_in(ben, "beneficiaries.csv", "city", city_set, "city {value} is not in cities.csv")
        _require_in(ben, "beneficiaries.csv", "kind", BENEFIT_KINDS,
                    f"unknown kind {{value}}; expected one of {BENEFIT_KINDS}")
        _require_in(ben, "beneficiaries.csv", "sex", ("M", "F"), "{value} must be M or F")
        _require_in(ben[ben["kind"] == "care"], "beneficiaries.csv", "care_level", CARE_LEVELS,
                    f"{{value}} must be one of {CARE_LEVELS}")
        where = ["city", "kind"]
        for col, kw in [("age", dict(lo=0, hi=120)), ("count", dict(lo=0)), ("monthly_amount", dict(lo=0)),
                        ("pension", dict(lo=0)), ("award_year", dict(lo=1950, hi=base_year)),
                        ("retired", dict(lo=0, hi=1)), ("lone", dict(lo=0, hi=1))]:
            ben[col] = _numeric(ben, "beneficiaries.csv", col, where, **kw)
        grades = pd.to_numeric(ben["grade"], errors="coerce")
        needs_grade = ben["kind"].isin(["allowance", "care"])
        bad = needs_grade & ~grades.isin([1, 2, 3, 4])
        if bad.any():
            i = bad.idxmax()
            raise _bad("beneficiaries.csv", "grade", _where(ben, i, ["city", "kind"]), ben.at[i, "grade"],
                       "must be a disability grade 1..4")
        ben["grade"] = grades.fillna(0).astype(int)
        ben["care_level"] = ben["care_level"].fillna("")

        triangles = {}
        for path in sorted(folder.glob("*_triangle.csv")):
            tri = pd.read_csv(path, comment="#")
            missing = [c for c in ("injury_year", "payment_year", "cumulative_paid") if c not in tri.columns]
            if missing:
                raise ValueError(f"{path.name}: missing column(s) {missing}; expected injury_year, payment_year, "
                                 f"cumulative_paid")
            triangles[path.name[: -len("_triangle.csv")]] = tri

        return cls(name=str(prov.get("name", folder.name)), base_year=base_year, triangles=triangles,
                   cities=cities.set_index("city"), insured=insured.reset_index(drop=True),
                   beneficiaries=ben.reset_index(drop=True), fund=fund, national_disposable_income=float(di),
                   default_policy=str(prov.get("default_policy", "national")),
                   illustrative=bool(prov.get("illustrative", False)), source=str(folder),
                   extra={k: v for k, v in meta.items() if k not in ("province", "fund", "economy")})

    # ------------------------------------------------------------------ views
    @property
    def city_names(self) -> list[str]:
        return list(self.cities.index)

    def matrix(self, column: str, fill: float = 0.0) -> np.ndarray:
        """A cities × 9 array (classes 1..8, U) of an ``insured.csv`` column."""
        wide = self.insured.pivot(index="city", columns="risk_class", values=column)
        wide = wide.reindex(index=self.city_names, columns=RISK_CLASSES)
        return wide.fillna(fill).to_numpy(dtype=float)

    def summary(self) -> pd.DataFrame:
        """Insured, payroll and average wage by city (base year)."""
        df = self.insured.assign(payroll=lambda d: d.insured * d.avg_monthly_wage * 12)
        out = df.groupby("city", sort=False)[["insured", "payroll"]].sum().reindex(self.city_names)
        out["avg_monthly_wage"] = out["payroll"] / out["insured"] / 12
        return out

    def with_fund(self, **values: float) -> "Province":
        """A copy with some ``[fund]`` values replaced (e.g. a different opening balance)."""
        unknown = set(values) - set(self.fund)
        if unknown:
            raise KeyError(f"unknown fund field(s) {sorted(unknown)}; known: {sorted(self.fund)}")
        return replace(self, fund={**self.fund, **{k: float(v) for k, v in values.items()}})

    def triangle(self, name: str = "medical_payments"):
        """A claims triangle of the province as a :class:`wifund.reserving.Triangle` (cumulative paid by
        injury year and payment year)."""
        from .reserving import Triangle

        if name not in self.triangles:
            raise KeyError(f"province {self.name!r} has no triangle {name!r} (files <name>_triangle.csv); "
                           f"available: {sorted(self.triangles)}")
        return Triangle.from_frame(self.triangles[name], origin="injury_year", development="payment_year",
                                   value="cumulative_paid", development_is="calendar")

    # ------------------------------------------------------------------ output
    def to_dir(self, path: str | Path, overwrite: bool = False) -> Path:
        """Writes the province as a folder that :meth:`from_dir` reads back (atomically)."""
        target = Path(path)
        with atomic_directory(target, overwrite=overwrite) as tmp:
            self.cities.reset_index().to_csv(tmp / "cities.csv", index=False)
            self.insured.to_csv(tmp / "insured.csv", index=False)
            ben = self.beneficiaries.copy()
            ben["grade"] = ben["grade"].where(ben["grade"] > 0, "").astype(str)
            ben.to_csv(tmp / "beneficiaries.csv", index=False)
            (tmp / "province.toml").write_text(self._toml(), encoding="utf-8")
            for name, tri in self.triangles.items():
                tri.to_csv(tmp / f"{name}_triangle.csv", index=False)
        return target

    def _toml(self) -> str:
        lines = ["# Written by wifund.Province.to_dir" + (" — ILLUSTRATIVE, NOT REAL DATA" if self.illustrative else ""),
                 "[province]", f"name = {json.dumps(self.name, ensure_ascii=False)}", f"base_year = {self.base_year}",
                 f'default_policy = "{self.default_policy}"', f"illustrative = {str(self.illustrative).lower()}", "",
                 "[fund]"]
        lines += [f"{k} = {v!r}" for k, v in self.fund.items()]
        lines += ["", "[economy]", f"national_disposable_income = {self.national_disposable_income!r}", ""]
        return "\n".join(lines)

    def __repr__(self) -> str:
        tag = " (illustrative)" if self.illustrative else ""
        return (f"Province({self.name!r}{tag}, base year {self.base_year}, {len(self.cities)} cities, "
                f"{self.insured['insured'].sum():,.0f} insured, "
                f"{self.beneficiaries['count'].sum():,.0f} long-term beneficiaries)")

    def _repr_html_(self) -> str:
        return f"<p><b>{self.name}</b> — base year {self.base_year}</p>" + self.summary().to_html(float_format="{:,.0f}".format)
