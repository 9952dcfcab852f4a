"""Province base data: insured and wages by city × risk class, long-term beneficiaries, the fund.

A province is a folder of four files (schema in the README, "Province data"):

``province.toml``
    ``[province]`` name, base_year, default_policy, illustrative; ``[fund]`` opening_balance,
    opening_reserve, base_expenditure, base_contributions (yuan), optionally the sub-tables
    ``[fund.base_revenue_items]`` and ``[fund.base_expenditure_items]`` (what the province reports of
    the base year by item, yuan); optionally ``[base_year]`` phased_cut, phased_cut_source,
    float_source (the base year's effective rate situation, :class:`BaseYearData`); ``[economy]``
    national_disposable_income (yuan per head, base year).
``cities.csv``
    city, collection_rate, minimum_wage, project_value.
``insured.csv``
    city, risk_class (1..8, or U for unclassified employers), insured, avg_monthly_wage, avg_float.
``beneficiaries.csv``
    city, kind (allowance / care / spouse / child / parent / legacy_subsidy), grade (1..4; 1..10 for
    legacy_subsidy, the pre-2004 按月领取伤残补助金), care_level, sex (M/F), age, count, monthly_amount,
    pension, award_year, retired, lone; optional birth_year (default base_year - age) and birth_month
    (default 7, the mid-year convention), which set the 2025 retirement ages; optional own_wage and
    cap_wage (allowance rows, yuan/month: the bases of the dependants' pensions and of the Art. 39 cap if
    the recipient dies; empty: allowance / its Art. 35 rate) and pay_from (spouse / parent rows,
    ``YYYY-MM``: a deferred dependant paid from that month; empty: in payment).

Every value is checked on reading; a bad value raises ``ValueError`` naming the file, the column,
the row's city / class and the value.
"""

from __future__ import annotations

import copy
import functools
import json
import math
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field, fields, replace
from importlib import resources
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from . import _core
from ._checks import InputTypeError, check_keys
from ._csv import read_csv, read_toml
from ._io import write_outputs

if TYPE_CHECKING:
    from .reserving import Triangle

# The axes are defined once, in C++ (include/wifund/core/axes.hpp), and exported by _core.
RISK_CLASSES: list[str] = list(_core.axes.risk_classes)
BENEFIT_KINDS: list[str] = list(_core.axes.benefit_kinds)
CARE_LEVELS: list[str] = list(_core.axes.care_levels)
SEXES: list[str] = list(_core.axes.sexes)

_CITY_COLUMNS = ["city", "collection_rate", "minimum_wage", "project_value"]
_INSURED_COLUMNS = ["city", "risk_class", "insured", "avg_monthly_wage", "avg_float"]
_BENEFICIARY_COLUMNS = [
    "city",
    "kind",
    "grade",
    "care_level",
    "sex",
    "age",
    "count",
    "monthly_amount",
    "pension",
    "award_year",
    "retired",
    "lone",
]


@functools.cache
def _demo_province() -> Province:
    return Province.from_dir(_demo_dir())


#: Optional columns of beneficiaries.csv (filled in on reading: born base_year - age, in July).
#: own_wage / cap_wage (allowance rows): the recipient's own wage and the Art. 39 cap's wage, monthly,
#: for the dependants if the recipient dies (Art. 39 ¶3; empty: reconstructed as allowance / rate);
#: pay_from (spouse / parent rows): "YYYY-MM", the month a deferred dependant's pension starts
#: (劳动和社会保障部令第18号 Arts. 3-4: on reaching 60 / 55); empty: in payment.
_BENEFICIARY_OPTIONAL = ["birth_year", "birth_month", "own_wage", "cap_wage", "pay_from"]
#: Kinds whose rows carry a disability grade, and its range.
_GRADED_KINDS = {"allowance": (1, 4), "care": (1, 4), "legacy_subsidy": (1, 10)}
#: Kinds a pay_from month may defer (the dependants paid from an eligibility age).
_DEFERRABLE_KINDS = ("spouse", "parent")


def _demo_dir() -> Path:
    return Path(str(resources.files("wifund") / "data" / "demo"))


FUND_KEYS = ("opening_balance", "opening_reserve", "base_expenditure", "base_contributions")
#: Optional sub-tables of ``[fund]``: base-year revenue (other than contributions, which is
#: ``base_contributions``) and expenditure by item, as the province reports them (yuan).
FUND_ITEM_TABLES = ("base_revenue_items", "base_expenditure_items")
#: Revenue items a province may report in ``[fund.base_revenue_items]`` (the axis of _core, without
#: contributions).
REPORTABLE_REVENUE_ITEMS: list[str] = [k for k in _core.axes.revenue_items if k != "contributions"]
EXPENDITURE_ITEMS: list[str] = list(_core.axes.expenditure_items)
BASE_YEAR_KEYS = ("phased_cut", "phased_cut_source", "float_source")
#: Known keys of province.toml, per table (a typo such as ``default_polciy`` is an error).
_TOML_KEYS = {
    "province": ["name", "base_year", "default_policy", "illustrative"],
    "fund": list(FUND_KEYS) + list(FUND_ITEM_TABLES),
    "base_year": list(BASE_YEAR_KEYS),
    "economy": ["national_disposable_income"],
}
_REQUIRED = [("province", "base_year"), ("economy", "national_disposable_income")] + [("fund", k) for k in FUND_KEYS]


def _show(value: Any) -> str:
    """A cell value as the user wrote it: numbers plainly, empty cells as (empty), text quoted."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "(empty)"
    if isinstance(value, (bool, np.bool_)):
        return repr(bool(value))
    if isinstance(value, (int, float, np.integer, np.floating)):
        return f"{float(value):g}"
    return repr(str(value))


@dataclass(frozen=True)
class _Src:
    """How a table is named in messages: a file (``insured.csv``, rows are file lines) or a DataFrame
    passed to ``Province(...)`` (rows are index labels)."""

    label: str
    lines: list[int] | None = None  # file line of each row (from wifund._csv.read_csv)
    is_file: bool = True

    def row(self, df: pd.DataFrame, i: Any) -> str:
        if not self.is_file:
            return f"(index {i!r})"
        # A file's frame is indexed by position (_read_csv) until checked: the label is the position in
        # the file, also when ``df`` is a subset of the rows (the rows that give an optional column).
        pos = int(i) if isinstance(i, (int, np.integer)) else df.index.get_loc(i)
        if self.lines is not None and isinstance(pos, int) and pos < len(self.lines):
            return f"(row {self.lines[pos]})"
        return f"(row {int(pos) + 2})"


def _bad(src: _Src, column: str, where: str, value: Any, reason: str) -> ValueError:
    return ValueError(f"{src.label}: column '{column}' {where}: value {_show(value)} {reason}")


def _read_csv(
    folder: Path, name: str, columns: list[str], optional: tuple[str, ...] = ()
) -> tuple[pd.DataFrame, list[int]]:
    path = folder / name
    if not path.exists():
        raise FileNotFoundError(f"province folder {folder}: missing file {name}")
    df, lines = read_csv(
        path,
        columns,
        dtype={"city": str, "risk_class": str, "kind": str, "care_level": str, "sex": str, "pay_from": str},
        keep_default_na=False,
        na_values=[""],
        with_lines=True,
    )
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{name}: missing column(s) {missing}; expected {columns}")
    return df[columns + [c for c in optional if c in df.columns]].copy(), lines


def _where(df: pd.DataFrame, i: Any, where_cols: list[str], src: _Src) -> str:
    return "for " + ", ".join(f"{c}={df.at[i, c]}" for c in where_cols) + f" {src.row(df, i)}"


def _numeric(
    df: pd.DataFrame,
    src: _Src,
    column: str,
    where_cols: list[str],
    *,
    lo: float | None = None,
    hi: float | None = None,
    lo_open: bool = False,
    whole: bool = False,
) -> pd.Series:
    """Converts a column to float and checks its range (vectorised), naming the first bad row.

    Booleans are not numbers here (``True`` read from SQL or Excel is not 1 yuan); ``whole`` asks for
    whole numbers (ages, years and 0/1 flags go to the engine as integers and must not be truncated)."""
    raw = df[column]
    if raw.dtype == bool or raw.dtype == object:
        mask = raw.map(lambda v: isinstance(v, (bool, np.bool_))).to_numpy()
        if mask.any():
            i = df.index[int(np.argmax(mask))]
            raise _bad(src, column, _where(df, i, where_cols, src), raw.at[i], "is a boolean, not a number")
    values = pd.to_numeric(raw, errors="coerce").astype(float)
    arr = values.to_numpy()
    checks = [(np.isnan(arr), "is missing or not a number"), (np.isinf(arr), "is not finite")]
    if lo is not None:
        checks.append(((arr <= lo) if lo_open else (arr < lo), f"must be {'>' if lo_open else '>='} {lo}"))
    if hi is not None:
        checks.append((arr > hi, f"must be <= {hi}"))
    if whole:
        checks.append((arr != np.floor(arr), "must be a whole number"))
    for mask, reason in checks:
        if mask.any():
            i = df.index[int(np.argmax(mask))]
            raise _bad(src, column, _where(df, i, where_cols, src), raw.at[i], reason)
    return values


def _require_in(
    df: pd.DataFrame,
    src: _Src,
    column: str,
    allowed: Any,
    reason: str,
    coded: _Coded | None = None,
    only: np.ndarray | None = None,
) -> None:
    """Raises for the first row whose ``column`` is not in ``allowed``; ``reason`` may use {value}.
    ``coded``: the column's factorization (the check then runs once per distinct value); ``only``: the
    rows checked (a mask; the row named is the row of ``df``, its file line right)."""
    bad = ~coded.isin(allowed) if coded is not None else ~df[column].isin(list(allowed)).to_numpy()
    if only is not None:
        bad &= only
    if bad.any():
        i = df.index[int(np.argmax(bad))]
        where = src.row(df, i) if column == "city" else f"for city={df.at[i, 'city']} {src.row(df, i)}"
        raise ValueError(f"{src.label}: column '{column}' {where}: {reason.format(value=repr(df.at[i, column]))}")


@dataclass(frozen=True)
class _Coded:
    """A column as the positions of its values among its distinct values (``pd.factorize`` once, -1 for
    a missing cell): membership and look-ups then cost one small operation per distinct value and one
    array index per row, instead of a string hash or comparison per row."""

    codes: np.ndarray
    uniques: pd.Index

    @classmethod
    def of(cls, column: pd.Series) -> _Coded:
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
        return cls(np.asarray(codes), pd.Index(uniques))

    def isin(self, values: Any) -> np.ndarray:
        """Row mask: the value is one of ``values`` (a missing cell never is), as ``Series.isin``."""
        return cast("np.ndarray", np.append(self.uniques.isin(list(values)), False)[self.codes])

    def positions(self, names: Any) -> np.ndarray:
        """Positions of the values in ``names`` (-1 where absent or missing), int32."""
        lookup = np.append(pd.Index(list(names)).get_indexer(self.uniques), -1).astype(np.int32)
        return cast("np.ndarray", lookup[self.codes])


def _columns(df: Any, src: _Src, columns: list[str]) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise InputTypeError(f"{src.label} = {type(df).__name__}: must be a pandas DataFrame with columns {columns}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{src.label}: missing column(s) {missing}; expected {columns}")
    # A new frame of those columns: the callers replace columns (``df[c] = ...``), never write into one,
    # so the caller's frame is never modified (tests/python/test_valuation_fast.py) and its columns need
    # no copy (1,000,000 text cells take 0.3 s to copy). deep=False drops pandas < 3's
    # SettingWithCopy link to the caller's frame.
    return df[columns].copy(deep=False)


def _text_column(df: pd.DataFrame, src: _Src, column: str) -> None:
    """City names, kinds, ...: text, stripped; integer codes (from SQL) become their decimal text and
    an empty cell is named."""
    col = df[column]
    empty = col.isna().to_numpy()
    if empty.any():
        i = df.index[int(np.argmax(empty))]
        raise ValueError(f"{src.label}: column '{column}' {src.row(df, i)} is empty")
    if pd.api.types.infer_dtype(col, skipna=False) == "string":
        pass  # the common case (text from a file): kept as written, a stray space shows in the message
    else:
        df[column] = col.map(_code_text)


def _code_text(v: Any) -> str:
    if isinstance(v, (bool, np.bool_)):
        return repr(bool(v))  # not a code: fails the membership check with the value named
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return str(int(v))  # 3.0 from a SQL column with NULLs elsewhere
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    return str(v).strip()


def _check_cities(cities: Any, src: _Src) -> pd.DataFrame:
    if isinstance(cities, pd.DataFrame) and "city" not in cities.columns and cities.index.name == "city":
        cities = cities.reset_index()
    cities = _columns(cities, src, _CITY_COLUMNS)
    _text_column(cities, src, "city")
    dup = cities["city"][cities["city"].duplicated()]
    if len(dup):
        raise ValueError(f"{src.label}: column 'city': city {dup.iloc[0]!r} appears twice")
    cities["collection_rate"] = _numeric(cities, src, "collection_rate", ["city"], lo=0, hi=1)
    cities["minimum_wage"] = _numeric(cities, src, "minimum_wage", ["city"], lo=0)
    cities["project_value"] = _numeric(cities, src, "project_value", ["city"], lo=0)
    return cities.set_index("city")


def _check_insured(insured: Any, src: _Src, city_src: _Src, city_set: set[str]) -> pd.DataFrame:
    insured = _columns(insured, src, _INSURED_COLUMNS)
    _text_column(insured, src, "city")
    _text_column(insured, src, "risk_class")
    insured["risk_class"] = insured["risk_class"].str.upper()
    _require_in(
        insured, src, "city", city_set, f"city {{value}} is not in {city_src.label} (cities: {sorted(city_set)})"
    )
    # An unknown class is an error, never a silent drop of its insured (matrix() keeps only 1..8, U).
    _require_in(
        insured, src, "risk_class", RISK_CLASSES, f"unknown risk class {{value}}; expected one of {RISK_CLASSES}"
    )
    where = ["city", "risk_class"]
    insured["insured"] = _numeric(insured, src, "insured", where, lo=0)
    insured["avg_monthly_wage"] = _numeric(insured, src, "avg_monthly_wage", where, lo=0, lo_open=True)
    insured["avg_float"] = _numeric(insured, src, "avg_float", where, lo=0, hi=3)
    dup = insured[insured.duplicated(["city", "risk_class"])]
    if len(dup):
        r = dup.iloc[0]
        raise ValueError(f"{src.label}: city={r['city']}, risk_class={r['risk_class']} appears twice")
    missing = city_set - set(insured["city"])
    if missing:
        raise ValueError(
            f"{src.label}: city {sorted(missing)[0]!r} is in {city_src.label} but has no rows in {src.label}"
        )
    return insured.reset_index(drop=True)


def _check_beneficiaries(
    ben: Any,
    src: _Src,
    city_src: _Src,
    city_set: set[str],
    base_year: int,
    coded: dict[str, _Coded] | None = None,
) -> pd.DataFrame:
    """The checked beneficiary table (a bad value raises naming the file, column, row and value).

    The text columns are factorized once (:class:`_Coded`) and checked per distinct value; ``coded``, if
    given, receives those factorizations of the returned frame's city, kind, sex and care_level, and of
    pay_from as given (each distinct value's stripped text is the value kept), for
    ``_bridge._cohort_columns`` and the valuation's table-age check."""
    optional = [c for c in _BENEFICIARY_OPTIONAL if isinstance(ben, pd.DataFrame) and c in ben.columns]
    ben = _columns(ben, src, _BENEFICIARY_COLUMNS + optional)
    for col in ("city", "kind", "sex"):
        _text_column(ben, src, col)
    care = ben["care_level"]
    ben["care_level"] = (
        care.fillna("")
        if pd.api.types.infer_dtype(care, skipna=True) in ("string", "empty")
        else care.map(lambda v: "" if v is None or v != v else _code_text(v))
    )
    codes = {col: _Coded.of(ben[col]) for col in ("city", "kind", "sex", "care_level")}
    kind = codes["kind"]
    _require_in(ben, src, "city", city_set, f"city {{value}} is not in {city_src.label}", codes["city"])
    _require_in(ben, src, "kind", BENEFIT_KINDS, f"unknown kind {{value}}; expected one of {BENEFIT_KINDS}", kind)
    _require_in(ben, src, "sex", ("M", "F"), "{value} must be M or F", codes["sex"])
    reason = f"{{value}} must be one of {CARE_LEVELS}"
    _require_in(ben, src, "care_level", CARE_LEVELS, reason, codes["care_level"], only=kind.isin(["care"]))
    where = ["city", "kind"]
    kw: dict[str, Any]
    for col, kw in [
        ("age", dict(lo=0, hi=120, whole=True)),
        ("count", dict(lo=0)),
        ("monthly_amount", dict(lo=0)),
        ("pension", dict(lo=0)),
        ("award_year", dict(lo=1950, hi=base_year, whole=True)),
        ("retired", dict(lo=0, hi=1, whole=True)),
        ("lone", dict(lo=0, hi=1, whole=True)),
    ]:
        ben[col] = _numeric(ben, src, col, where, **cast(dict[str, Any], kw))
    raw_grade = ben["grade"]
    if raw_grade.dtype == bool or raw_grade.dtype == object:
        is_bool = raw_grade.map(lambda v: isinstance(v, (bool, np.bool_))).to_numpy()
        if is_bool.any():
            i = raw_grade.index[int(np.argmax(is_bool))]
            raise _bad(src, "grade", _where(ben, i, where, src), raw_grade.at[i], "is a boolean, not a grade")
    grades = pd.to_numeric(raw_grade, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    needs_grade = kind.isin(list(_GRADED_KINDS))
    for kind_name, (g_lo, g_hi) in _GRADED_KINDS.items():
        # Series.isin(range(g_lo, g_hi + 1)) on numbers: a whole number in the range (NaN is not)
        bad = kind.isin([kind_name]) & ~((grades >= g_lo) & (grades <= g_hi) & (grades == np.floor(grades)))
        if bad.any():
            i = ben.index[int(np.argmax(bad))]
            raise _bad(
                src, "grade", _where(ben, i, where, src), raw_grade.at[i], f"must be a disability grade {g_lo}..{g_hi}"
            )
    ben["grade"] = pd.Series(np.where(needs_grade, np.nan_to_num(grades, nan=0.0), 0.0).astype(int), index=ben.index)
    _check_death_wages(ben, src, where, kind)
    pay_from = _check_pay_from(ben, src, where, base_year, kind)
    if pay_from is not None:
        codes["pay_from"] = pay_from
    # Optional birth_year / birth_month (国发〔2024〕18号 retirement ages): checked where given; an empty
    # cell or a missing column means born in base_year - age (age at the base-year end), in July (the
    # mid-year convention), filled in when the engine's cohorts are built (so a re-dated province keeps it).
    if "birth_year" in ben.columns:
        given = ben["birth_year"].notna()
        years = _numeric(ben[given], src, "birth_year", where, lo=1880, hi=base_year, whole=True)
        off = (years - (base_year - ben.loc[given, "age"])).abs() > 1
        if off.any():
            i = off.idxmax()
            raise _bad(
                src,
                "birth_year",
                _where(ben, i, where, src),
                ben.at[i, "birth_year"],
                f"is inconsistent with age {int(ben.at[i, 'age'])} at the end of {base_year} "
                f"(expected {int(base_year - ben.at[i, 'age'])} ± 1)",
            )
        ben["birth_year"] = pd.to_numeric(ben["birth_year"], errors="coerce").astype(float)
        ben.loc[given, "birth_year"] = years
    if "birth_month" in ben.columns:
        given = ben["birth_month"].notna()
        months = _numeric(ben[given], src, "birth_month", where, lo=1, hi=12, whole=True)
        ben["birth_month"] = pd.to_numeric(ben["birth_month"], errors="coerce").astype(float)
        ben.loc[given, "birth_month"] = months
    if coded is not None:
        coded.update(codes)
    return ben.reset_index(drop=True)


def _only_rows(
    ben: pd.DataFrame, src: _Src, where: list[str], column: str, given: Any, kinds: Any, kind: _Coded | None = None
) -> None:
    """A value of an optional ``column`` on a row whose kind does not take it is an error (``kind``: the
    kind column's factorization, if at hand)."""
    wrong = np.asarray(given) & ~(kind.isin(kinds) if kind is not None else ben["kind"].isin(list(kinds)).to_numpy())
    if wrong.any():
        i = ben.index[int(np.argmax(wrong))]
        raise _bad(src, column, _where(ben, i, where, src), ben.at[i, column], f"is only for {' / '.join(kinds)} rows")


def _check_death_wages(ben: pd.DataFrame, src: _Src, where: list[str], kind: _Coded | None = None) -> None:
    """own_wage / cap_wage (条例 Art. 39 ¶3, the deceased's actual wage): positive and finite where given,
    allowance rows only; float columns with NaN where not given."""
    for col in ("own_wage", "cap_wage"):
        if col not in ben.columns:
            continue
        raw = ben[col]
        given = raw.notna()
        if not pd.api.types.is_numeric_dtype(raw.dtype) or pd.api.types.is_bool_dtype(raw.dtype):
            given &= raw.astype(str).str.strip() != ""  # a blank text cell is not given (a number never is)
        _only_rows(ben, src, where, col, given.to_numpy(), ("allowance",), kind)
        values = _numeric(ben[given], src, col, where, lo=0, lo_open=True)
        ben[col] = np.nan
        ben.loc[given, col] = values


def _positions(column: pd.Series, names: Any) -> np.ndarray:
    """Positions of the column's values in ``names`` (-1 where absent or missing), looked up once per
    distinct value (pd.factorize) rather than per row."""
    return _Coded.of(column).positions(names)


def pay_from_month(text: Any) -> int | None:
    """The month index (12 x year + month - 1) of a ``YYYY-MM`` pay_from cell; None if it is not one."""
    s = str(text).strip()
    parts = s.split("-")
    if len(parts) != 2 or len(parts[0]) != 4 or not all(p.isdigit() for p in parts) or not 1 <= len(parts[1]) <= 2:
        return None
    y, m = int(parts[0]), int(parts[1])
    return 12 * y + m - 1 if 1 <= m <= 12 else None


#: The dtype of ``Series.astype(str)`` (pandas >= 3: the "str" string dtype; before: object).
_STR_DTYPE = pd.Series(["-"]).astype(str).dtype


def _check_pay_from(
    ben: pd.DataFrame, src: _Src, where: list[str], base_year: int, kind: _Coded | None = None
) -> _Coded | None:
    """pay_from (劳动和社会保障部令第18号 Arts. 3-4, a deferred dependant): ``YYYY-MM`` text, spouse or
    parent rows only, in the base year or later (up to 2200); stored as stripped text (``astype(str)``),
    empty where not given. Returns the column's factorization as given (None without the column)."""
    if "pay_from" not in ben.columns:
        return None
    col = ben["pay_from"]
    # Checked and stripped once per distinct value (a single-age stock repeats a few months over
    # thousands of rows), the first bad row in the file's order reported. (factorize merges equal
    # values such as True and 1: both are bad, so a class is bad as a whole.)
    coded = _Coded.of(col)
    uniques = list(coded.uniques)
    text = [str(v).strip() for v in uniques]
    given_unique = np.array([t != "" for t in text] + [False], dtype=bool)  # code -1: missing, not given
    given = given_unique[coded.codes]
    _only_rows(ben, src, where, "pay_from", given, _DEFERRABLE_KINDS, kind)
    bad_unique = np.zeros(len(uniques) + 1, dtype=bool)
    for u, v in enumerate(uniques):
        if given_unique[u]:
            month = None if isinstance(v, (bool, np.bool_)) else pay_from_month(v)
            bad_unique[u] = month is None or not 12 * base_year <= month < 12 * 2201
    if bad_unique.any():
        i = ben.index[int(np.argmax(bad_unique[coded.codes]))]
        v = col.at[i]
        month = None if isinstance(v, (bool, np.bool_)) else pay_from_month(v)
        if month is None:
            raise _bad(src, "pay_from", _where(ben, i, where, src), v, "must be a month YYYY-MM (e.g. 2031-07)")
        raise _bad(
            src,
            "pay_from",
            _where(ben, i, where, src),
            v,
            f"must be in {base_year}-01 .. 2200-12 (the base year or later)",
        )
    if col.dtype == _STR_DTYPE and all(t == v for t, v in zip(text, uniques)):
        ben["pay_from"] = col.fillna("")  # already stripped text: only the missing cells become ""
    else:
        stripped = np.array([t if g else "" for t, g in zip(text, given_unique)] + [""], dtype=object)
        ben["pay_from"] = pd.Series(stripped[coded.codes], index=ben.index).astype(str)
    return coded


def _check_meta(meta: dict[str, Any], label: str) -> None:
    """Unknown tables and keys of province.toml are errors, with a did-you-mean hint."""
    check_keys(label, meta, _TOML_KEYS, "table")
    for section, keys in _TOML_KEYS.items():
        table = meta.get(section, {})
        if not isinstance(table, dict):
            raise ValueError(f"{label}: [{section}] must be a table, got {table!r}")
        check_keys(label, table, keys, "key", where=f"[{section}]")
    for sub in FUND_ITEM_TABLES:
        table = meta.get("fund", {}).get(sub, {})
        if not isinstance(table, dict):
            raise ValueError(f"{label}: [fund] {sub} must be a table ([fund.{sub}] item = yuan), got {table!r}")
    for section, key in _REQUIRED:
        if key not in meta.get(section, {}):
            raise ValueError(f"{label}: missing [{section}] {key}")


def _check_scalars(
    name: Any, base_year: Any, fund: Any, ndi: Any, default_policy: Any, illustrative: Any, label: str
) -> dict[str, Any]:
    """The scalar fields of a province (province.toml or ``Province(...)`` keyword arguments)."""
    if (
        not isinstance(base_year, (int, np.integer))
        or isinstance(base_year, (bool, np.bool_))
        or not 1990 <= base_year <= 2100
    ):
        raise ValueError(f"{label}: [province] base_year = {base_year!r} must be a year in 1990..2100")
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"{label}: [province] name = {name!r} must be a non-empty string")
    if not isinstance(fund, dict):
        raise InputTypeError(f"{label}: [fund] = {type(fund).__name__}: must be a dict with keys {list(FUND_KEYS)}")
    check_keys(label, fund, FUND_KEYS, "key", where="[fund]")
    out = {}
    for k in FUND_KEYS:
        if k not in fund:
            raise ValueError(f"{label}: missing [fund] {k}")
        v = fund[k]
        lo_open = k == "base_expenditure"
        if isinstance(v, (bool, np.bool_)):
            raise InputTypeError(f"{label}: [fund] {k} = {v!r} must be an amount in yuan, not a boolean")
        if (
            not isinstance(v, (int, float, np.integer, np.floating))
            or not math.isfinite(v)
            or v < 0
            or (lo_open and v <= 0)
        ):
            raise ValueError(f"{label}: [fund] {k} = {v!r} must be a finite number {'> 0' if lo_open else '>= 0'}")
        out[k] = float(v)
    if out["opening_reserve"] > out["opening_balance"]:
        raise ValueError(
            f"{label}: [fund] opening_reserve = {out['opening_reserve']} exceeds "
            f"opening_balance = {out['opening_balance']} (the reserve is part of the balance)"
        )
    if (
        isinstance(ndi, (bool, np.bool_))
        or not isinstance(ndi, (int, float, np.integer, np.floating))
        or not math.isfinite(ndi)
        or not ndi > 0
    ):
        raise ValueError(f"{label}: [economy] national_disposable_income = {ndi!r} must be a finite number > 0")
    if not isinstance(default_policy, str) or not default_policy.strip():
        raise ValueError(
            f"{label}: [province] default_policy = {default_policy!r} must be a policy name or a TOML path"
        )
    if not isinstance(illustrative, (bool, np.bool_)):
        raise ValueError(f"{label}: [province] illustrative = {illustrative!r} must be true or false")
    return out


@dataclass(frozen=True)
class BaseYearData:
    """The base year's effective rate situation and what the province reports of the base year by item;
    :func:`wifund.replay` runs the engine's rules on the base year and compares them with it.

    In ``province.toml``: ``[base_year]`` phased_cut, phased_cut_source, float_source, and the optional
    sub-tables ``[fund.base_revenue_items]`` and ``[fund.base_expenditure_items]``.

    Attributes
    ----------
    phased_cut
        The national phased cut of the base rates in force in the base year (a fraction, e.g. 0.2: the
        20 % cut of 人社部发〔2018〕25号 … 人社部发〔2023〕19号 for a fund with 18–24 months of payment at
        the end of the year before). ``None``: decided by the policy's rule on the months of payment at
        the start of the base year.
    phased_cut_source, float_source
        Where the cut and the float mix (``insured.csv`` ``avg_float``, 人社部发〔2015〕71号 tiers) come
        from; documentation, shown with the replay.
    revenue
        Reported base-year revenue by item other than contributions (``[fund] base_contributions``):
        keys among ``project_premiums``, ``interest``, ``other_income`` (the revenue axis of the engine).
    expenditure
        Reported base-year expenditure by item, keys among ``wifund._core.axes.expenditure_items``; the items
        given may not sum to more than ``[fund] base_expenditure`` (to it exactly when all are given).
    """

    phased_cut: float | None = None
    phased_cut_source: str = ""
    float_source: str = ""
    revenue: dict[str, float] = field(default_factory=dict)
    expenditure: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "phased_cut": self.phased_cut,
            "phased_cut_source": self.phased_cut_source,
            "float_source": self.float_source,
            "revenue": dict(self.revenue),
            "expenditure": dict(self.expenditure),
        }


_BASE_YEAR_FIELDS = ("phased_cut", "phased_cut_source", "float_source", "revenue", "expenditure")


def _amount(label: str, where: str, v: Any) -> float:
    if isinstance(v, (bool, np.bool_)):
        raise InputTypeError(f"{label}: {where} = {v!r} must be an amount in yuan, not a boolean")
    if not isinstance(v, (int, float, np.integer, np.floating)) or not math.isfinite(v) or v < 0:
        raise ValueError(f"{label}: {where} = {v!r} must be a finite number >= 0 (yuan)")
    return float(v)


def _check_base_year_data(value: Any, base_expenditure: float, label: str) -> BaseYearData:
    """The base-year data of a province (``[base_year]`` and the ``[fund]`` item tables), checked."""
    if value is None:
        return BaseYearData()
    if isinstance(value, BaseYearData):
        value = value.to_dict()
    if not isinstance(value, dict):
        raise InputTypeError(
            f"{label}: base_year_data = {type(value).__name__}: must be a wifund.province.BaseYearData, a dict "
            f"with keys {list(_BASE_YEAR_FIELDS)} or None"
        )
    check_keys(label, value, _BASE_YEAR_FIELDS, "key", where="base_year_data")
    cut = value.get("phased_cut")
    if cut is not None:
        if (
            isinstance(cut, (bool, np.bool_))
            or not isinstance(cut, (int, float, np.integer, np.floating))
            or not 0.0 <= cut <= 1.0
        ):
            raise ValueError(
                f"{label}: [base_year] phased_cut = {cut!r} must be a fraction in [0, 1] (the cut of the base "
                "rates in force in the base year, e.g. 0.2)"
            )
        cut = float(cut)
    texts = {}
    for k in ("phased_cut_source", "float_source"):
        t = value.get(k, "")
        if not isinstance(t, str):
            raise ValueError(f"{label}: [base_year] {k} = {t!r} must be a string")
        texts[k] = t
    tables: dict[str, dict[str, float]] = {}
    for key, sub, known in (
        ("revenue", "base_revenue_items", REPORTABLE_REVENUE_ITEMS),
        ("expenditure", "base_expenditure_items", EXPENDITURE_ITEMS),
    ):
        items = value.get(key, {}) or {}
        if not isinstance(items, dict):
            raise ValueError(f"{label}: [fund] {sub} must be a table ([fund.{sub}] item = yuan), got {items!r}")
        if key == "revenue" and "contributions" in items:
            raise ValueError(
                f"{label}: [fund.{sub}] contributions: base-year contributions are [fund] base_contributions; "
                "this table holds the other revenue items"
            )
        check_keys(label, items, known, "item", where=f"[fund.{sub}]")
        tables[key] = {k: _amount(label, f"[fund.{sub}] {k}", v) for k, v in items.items()}
    total = sum(tables["expenditure"].values())
    if total > base_expenditure * (1 + 1e-9):
        raise ValueError(
            f"{label}: [fund.base_expenditure_items] sum to {total!r}, more than [fund] base_expenditure = "
            f"{base_expenditure!r}"
        )
    if set(tables["expenditure"]) == set(EXPENDITURE_ITEMS) and abs(total - base_expenditure) > 1e-6 * base_expenditure:
        raise ValueError(
            f"{label}: [fund.base_expenditure_items] give every item and sum to {total!r}, not to [fund] "
            f"base_expenditure = {base_expenditure!r}"
        )
    return BaseYearData(phased_cut=cut, revenue=tables["revenue"], expenditure=tables["expenditure"], **texts)


#: Set by :meth:`Province.from_dir` while it builds the object, so that messages name the files.
_FILES: ContextVar[dict[str, _Src] | None] = ContextVar("wifund_province_files", default=None)


@dataclass(frozen=True)
class Province:
    """Base-year data of one province (one pooling area under 统收统支).

    Use :meth:`demo` for the shipped illustrative province, :meth:`from_dir` for your own folder, or
    ``Province(name=..., base_year=..., cities=..., insured=..., beneficiaries=..., fund=...,
    national_disposable_income=...)`` with DataFrames (e.g. read from a database). Both run the same
    checks: an unknown risk class, a negative headcount, a NaN wage, a duplicate city, a missing
    column or a boolean where money is expected is a ``ValueError`` naming the table, the column, the
    row's city / class and the value. Integer class codes (1..8 from SQL) are accepted as "1".."8",
    and ``cities`` may have ``city`` as a column or as its index.
    """

    name: str
    base_year: int
    cities: pd.DataFrame  # index city; collection_rate, minimum_wage, project_value
    insured: pd.DataFrame  # city, risk_class, insured, avg_monthly_wage, avg_float
    beneficiaries: pd.DataFrame  # long-term beneficiaries in payment at the base-year end
    fund: dict[str, float]  # opening_balance, opening_reserve, base_expenditure, base_contributions
    national_disposable_income: float
    default_policy: str = "national"
    illustrative: bool = False
    source: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    #: Optional claims triangles of the folder (``<name>_triangle.csv``, long format: injury_year,
    #: payment_year, cumulative_paid), for wifund.reserving; the demo ships ``medical_payments``.
    triangles: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: The base year's rate situation and reported items (``[base_year]``, ``[fund.base_*_items]``);
    #: a :class:`BaseYearData`, a dict of its fields or None (nothing reported beyond ``[fund]``).
    base_year_data: BaseYearData = field(default_factory=BaseYearData)

    def __post_init__(self) -> None:
        files = _FILES.get()
        if files is None:
            files = {k: _Src(f"Province({k}=...)", is_file=False) for k in ("cities", "insured", "beneficiaries")}
            label = "Province(...)"
        else:
            label = "province.toml"
        fund = _check_scalars(
            self.name,
            self.base_year,
            self.fund,
            self.national_disposable_income,
            self.default_policy,
            self.illustrative,
            label,
        )
        cities = _check_cities(self.cities, files["cities"])
        city_set = set(cities.index)
        insured = _check_insured(self.insured, files["insured"], files["cities"], city_set)
        ben = _check_beneficiaries(
            self.beneficiaries, files["beneficiaries"], files["cities"], city_set, int(self.base_year)
        )
        base_year_data = _check_base_year_data(self.base_year_data, fund["base_expenditure"], label)
        if not isinstance(self.triangles, dict):
            raise InputTypeError(f"{label}: triangles = {type(self.triangles).__name__}: must be a dict of DataFrames")
        for attr, value in (
            ("base_year", int(self.base_year)),
            ("fund", fund),
            ("cities", cities),
            ("insured", insured),
            ("beneficiaries", ben),
            ("national_disposable_income", float(self.national_disposable_income)),
            ("illustrative", bool(self.illustrative)),
            ("base_year_data", base_year_data),
        ):
            object.__setattr__(self, attr, value)

    # ------------------------------------------------------------------ constructors
    @classmethod
    def demo(cls) -> Province:
        """The demonstration province shipped in the package (illustrative, not real data).

        Nine fictional prefecture-level cities, the eight risk classes, base year 2024, about
        5 million insured; generated by ``tools/make_demo_province.py`` to land near the national
        2021 ratios (revenue and expenditure per insured, months of payment, reserve share).
        """
        # Read and validated once per process; each call returns its own deep copy (the frames are the
        # caller's to change), which costs about a tenth of reading the folder again.
        return copy.deepcopy(_demo_province())

    @classmethod
    def from_dir(cls, path: str | Path) -> Province:
        """Reads and validates a province folder (see the module docstring for the schema).

        CSV files may be UTF-8 (with or without BOM), GBK / GB18030 or UTF-16 (Excel's "Unicode text",
        tab-separated): the encoding is detected. A TOML syntax error names the file and line; an empty
        or ragged file names the file and line; unknown keys in ``province.toml`` are errors.
        """
        folder = Path(path)
        if not folder.is_dir():
            raise FileNotFoundError(f"province folder {folder} does not exist")
        meta_path = folder / "province.toml"
        if not meta_path.exists():
            raise FileNotFoundError(f"province folder {folder}: missing file province.toml")
        meta = read_toml(meta_path)
        _check_meta(meta, "province.toml")
        prov = meta.get("province", {})
        base_year = prov["base_year"]
        if not isinstance(base_year, int) or isinstance(base_year, bool) or not 1990 <= base_year <= 2100:
            raise ValueError(f"province.toml: [province] base_year = {base_year!r} must be a year in 1990..2100")

        frames, files = {}, {}
        for key, fname, columns in (
            ("cities", "cities.csv", _CITY_COLUMNS),
            ("insured", "insured.csv", _INSURED_COLUMNS),
            ("beneficiaries", "beneficiaries.csv", _BENEFICIARY_COLUMNS),
        ):
            optional = tuple(_BENEFICIARY_OPTIONAL) if key == "beneficiaries" else ()
            frames[key], lines = _read_csv(folder, fname, columns, optional)
            files[key] = _Src(fname, lines)

        triangles = {}
        for path in sorted(folder.glob("*_triangle.csv")):
            tri = read_csv(path, comment="#")
            missing = [c for c in ("injury_year", "payment_year", "cumulative_paid") if c not in tri.columns]
            if missing:
                raise ValueError(
                    f"{path.name}: missing column(s) {missing}; expected injury_year, payment_year, cumulative_paid"
                )
            triangles[path.name[: -len("_triangle.csv")]] = tri

        fund = dict(meta["fund"])
        items = {sub: fund.pop(sub) for sub in FUND_ITEM_TABLES if sub in fund}
        base_year_data = {
            **meta.get("base_year", {}),
            "revenue": items.get("base_revenue_items", {}),
            "expenditure": items.get("base_expenditure_items", {}),
        }
        token = _FILES.set(files)
        try:
            return cls(
                name=str(prov.get("name", folder.name)),
                base_year=base_year,
                triangles=triangles,
                cities=frames["cities"],
                insured=frames["insured"],
                beneficiaries=frames["beneficiaries"],
                fund=fund,
                base_year_data=base_year_data,  # type: ignore[arg-type]  # checked into BaseYearData
                national_disposable_income=meta["economy"]["national_disposable_income"],
                default_policy=prov.get("default_policy", "national"),
                illustrative=prov.get("illustrative", False),
                source=str(folder),
            )
        finally:
            _FILES.reset(token)

    # ------------------------------------------------------------------ views
    @property
    def city_names(self) -> list[str]:
        return list(self.cities.index)

    def matrix(self, column: str, fill: float = 0.0) -> np.ndarray:
        """A cities × 9 array (classes 1..8, U) of an ``insured.csv`` column."""
        ins = self.insured
        rows = _positions(ins["city"], self.city_names)
        cols = _positions(ins["risk_class"], RISK_CLASSES)
        ok = (rows >= 0) & (cols >= 0)
        flat = rows[ok] * len(RISK_CLASSES) + cols[ok]
        if ins.duplicated(["city", "risk_class"]).any():
            # duplicate (city, class) rows: pivot's own error (the checked tables have none)
            wide = ins.pivot(index="city", columns="risk_class", values=column)
            wide = wide.reindex(index=self.city_names, columns=RISK_CLASSES)
            return cast("np.ndarray", wide.fillna(fill).to_numpy(dtype=float))
        # Scattered by position (a pivot + reindex cost ~10 ms per column on the demo, 0.3 s at 900 cities).
        out = np.full((len(self.city_names), len(RISK_CLASSES)), np.nan)
        out.flat[flat] = ins[column].to_numpy(dtype=float)[ok]
        return np.where(np.isnan(out), fill, out)

    def summary(self) -> pd.DataFrame:
        """Insured, payroll and average wage by city (base year)."""
        df = self.insured.assign(payroll=lambda d: d.insured * d.avg_monthly_wage * 12)
        out = df.groupby("city", sort=False)[["insured", "payroll"]].sum().reindex(self.city_names)
        out["avg_monthly_wage"] = out["payroll"] / out["insured"] / 12
        return out

    def with_fund(self, **values: float) -> Province:
        """A copy with some ``[fund]`` values replaced (e.g. a different opening balance)."""
        unknown = set(values) - set(self.fund)
        if unknown:
            raise KeyError(f"unknown fund field(s) {sorted(unknown)}; known: {sorted(self.fund)}")
        return replace(self, fund={**self.fund, **{k: float(v) for k, v in values.items()}})

    def triangle(self, name: str = "medical_payments") -> Triangle:
        """A claims triangle of the province as a :class:`wifund.reserving.Triangle` (cumulative paid by
        injury year and payment year)."""
        from .reserving import Triangle

        if name not in self.triangles:
            raise KeyError(
                f"province {self.name!r} has no triangle {name!r} (files <name>_triangle.csv); "
                f"available: {sorted(self.triangles)}"
            )
        return Triangle.from_frame(
            self.triangles[name],
            origin="injury_year",
            development="payment_year",
            value="cumulative_paid",
            development_is="calendar",
        )

    # ------------------------------------------------------------------ output
    def to_dir(self, path: str | Path, overwrite: bool = False) -> Path:
        """Writes the province as a folder that :meth:`from_dir` reads back, with ``wifund-manifest.json``.

        An absent or empty folder is written. A folder that exists and is not empty is refused with
        ``FileExistsError`` — a province folder is there to be edited, so even one wifund wrote is not
        refreshed silently — unless ``overwrite``, which writes only wifund's file names there and removes
        nothing else. A path that is not a folder is refused and left untouched.
        """
        ben = self.beneficiaries.copy()
        ben["grade"] = ben["grade"].where(ben["grade"] > 0, "").astype(str)
        toml = self._toml().encode("utf-8")

        def csv(df: pd.DataFrame) -> Callable[[IO[bytes]], object]:
            return lambda fh: df.to_csv(fh, index=False, encoding="utf-8-sig")  # BOM: Excel reads UTF-8

        files = {
            "cities.csv": csv(self.cities.reset_index()),
            "insured.csv": csv(self.insured),
            "beneficiaries.csv": csv(ben),
            "province.toml": lambda fh: fh.write(toml),
        }
        files.update({f"{name}_triangle.csv": csv(tri) for name, tri in self.triangles.items()})
        write_outputs(path, files, command="wifund.Province.to_dir", force=overwrite, refresh=False)
        return Path(path)

    def _toml(self) -> str:
        lines = [
            "# Written by wifund.Province.to_dir" + (" — ILLUSTRATIVE, NOT REAL DATA" if self.illustrative else ""),
            "[province]",
            f"name = {json.dumps(self.name, ensure_ascii=False)}",
            f"base_year = {self.base_year}",
            f'default_policy = "{self.default_policy}"',
            f"illustrative = {str(self.illustrative).lower()}",
            "",
            "[fund]",
        ]
        lines += [f"{k} = {v!r}" for k, v in self.fund.items()]
        byd = self.base_year_data
        for sub, items in (("base_revenue_items", byd.revenue), ("base_expenditure_items", byd.expenditure)):
            if items:
                lines += ["", f"[fund.{sub}]"] + [f"{k} = {v!r}" for k, v in items.items()]
        if byd != BaseYearData():
            lines += ["", "[base_year]"]
            if byd.phased_cut is not None:
                lines.append(f"phased_cut = {byd.phased_cut!r}")
            lines += [
                f"{k} = {json.dumps(getattr(byd, k), ensure_ascii=False)}"
                for k in ("phased_cut_source", "float_source")
            ]
        lines += ["", "[economy]", f"national_disposable_income = {self.national_disposable_income!r}", ""]
        return "\n".join(lines)

    def __eq__(self, other: object) -> bool:
        """Same name, base year, tables (``DataFrame.equals``: same values, labels and dtypes), fund
        figures, triangles and base-year data. Never raises (pandas frames are not compared with ``==``)."""
        if not isinstance(other, Province):
            return NotImplemented
        if self is other:
            return True
        for f in fields(self):
            a, b = getattr(self, f.name), getattr(other, f.name)
            if isinstance(a, pd.DataFrame) or isinstance(b, pd.DataFrame):
                if not (isinstance(a, pd.DataFrame) and isinstance(b, pd.DataFrame) and a.equals(b)):
                    return False
            elif f.name == "triangles":
                if a.keys() != b.keys() or not all(a[k].equals(b[k]) for k in a):
                    return False
            elif a != b:
                return False
        return True

    def __repr__(self) -> str:
        tag = " (illustrative)" if self.illustrative else ""
        return (
            f"Province({self.name!r}{tag}, base year {self.base_year}, {len(self.cities)} cities, "
            f"{self.insured['insured'].sum():,.0f} insured, "
            f"{self.beneficiaries['count'].sum():,.0f} long-term beneficiaries)"
        )

    def _repr_html_(self) -> str:
        table: str = self.summary().to_html(float_format="{:,.0f}".format)
        return f"<p><b>{self.name}</b> — base year {self.base_year}</p>" + table
