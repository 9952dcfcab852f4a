"""Rate setting (issue #13): solvers for balancing rates and fund targets, the phased-cut / rate-review calendar,
experience rating of employers and Bühlmann–Straub credibility.

* :func:`solve` — the value of a lever (:class:`Lever`: a multiplier on every base rate, the class-1 rate with
  fixed relativities, or a phased-cut depth) at which the fund meets a target (:class:`Balance`,
  :class:`MonthsOfPayment`, :class:`SteadyState`, :class:`Probability`); TOMS 748 in C++
  (``include/wifund/ratesetting/solve.hpp``), the first evaluation one engine run and the others only the
  rate-dependent part of the years (``split.hpp``); the result's ``policy`` carries the solved rates and
  :func:`wifund.project` accepts it.
* :func:`calendar` — the years in which the phased cut or the 以支定收 rate review changes the rate, and months of
  payment with and without them.

* :func:`float_tiers` — each employer's float tier (费率浮动) from its claims-to-contributions ratio (支缴率 =
  benefits ÷ contributions over the look-back window) and its injury incidence (工伤发生率 = injuries ÷ average
  insured headcount) under a float schedule given as data; vectorised in C++
  (``include/wifund/ratesetting/float_tiers.hpp``), one pass over the employers.
* :func:`load_schedule` / :func:`schedules` — the bundled schedules (``wifund/data/float_schedules/*.toml``:
  the national 人社部发〔2015〕71号 frame, Jiangsu 苏人社规〔2023〕2号, Huainan, Shenzhen, Henan; each file cites
  review-2026-12.md §9 and the domain README §2.3) and user schedules from a TOML file or a dict, validated.
* :func:`credibility` — Bühlmann–Straub credibility estimates of class (or any group) rates.
* :func:`sensitivity` — a tornado of fund indicators against each assumption moved down and up, with
  elasticities, and its chart.

Schedule format (TOML or dict)::

    name = "mine"
    ladder = [0.5, 0.8, 1.0, 1.2, 1.5]     # multipliers of the class base rate, ascending, containing 1
    base_rates = [0.002, 0.004, ...]        # class 1..K base rates (fraction of payroll)
    grid = [[...], ...]                     # multiplier per (ratio band, incidence band); a flat list
                                            # when there is no incidence axis
    min_years_insured = 1.0                 # new-employer rule: fewer years insured -> base rate
    class1_up_only = true                   # class 1 floats upward only (71号)
    floor_class1_base = true                # no floated rate below the class-1 base (71号)
    max_step = 2                            # tiers moved per review at most (0: no limit)
    no_contributions = "top"                # benefits but no contributions: "top", "base" or "error"
    block_down = ["arrears", "fraud"]       # flag columns that forbid a downward float
    zero_repeat = 0.5                       # optional: multiplier at zero ratio and incidence in two cycles
    [ratio]
    edges = [0.1, 0.5, 1.0, 1.2]            # strictly ascending fractions (0.5 = 50 %)
    closed = "right"                        # "right": bands (a, b] ("≤ b"); "left": [a, b) ("< b")
    [incidence]                             # optional second axis (injuries ÷ insured)
    edges = [0.002]
    closed = "right"

An employer whose ratio is undefined (benefits paid, no contributions) is handled by ``no_contributions``; 0 ÷ 0
is a ratio of 0 (nothing used). Flag columns named in ``block_down`` are optional in the input (absent: not set).
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from wifund import _core
from wifund._checks import InputTypeError, check_choice, check_int, check_keys, check_number, check_type, show, suggest

__all__ = [
    "FloatSchedule",
    "FloatResult",
    "Credibility",
    "schedules",
    "load_schedule",
    "float_tiers",
    "credibility",
    "REQUIRED_COLUMNS",
    "REASONS",
    "Sensitivity",
    "sensitivity",
    "SENSITIVITY_OUTPUTS",
    "Balance",
    "MonthsOfPayment",
    "SteadyState",
    "Probability",
    "Lever",
    "LEVERS",
    "TargetUnreachable",
    "SolveResult",
    "solve",
    "Calendar",
    "calendar",
]

#: Columns every employer table must have (over the look-back window).
REQUIRED_COLUMNS = (
    "employer",
    "risk_class",
    "city",
    "contributions",
    "benefits",
    "injuries",
    "insured",
    "years_insured",
)
#: Reason codes of the kernel (ratesetting/float_tiers.hpp float_reason), blocked ones are "blocked:<flag>".
REASONS = ("experience", "new_employer", "no_contributions", "step_limit", "class1_up_only", "class1_floor")
_NO_CONTRIB = {"top": 0, "base": 1, "error": 2}
_KEYS = (
    "name",
    "title",
    "source",
    "note",
    "window_years",
    "ladder",
    "base_rates",
    "grid",
    "min_years_insured",
    "class1_up_only",
    "floor_class1_base",
    "max_step",
    "no_contributions",
    "block_down",
    "zero_repeat",
    "ratio",
    "incidence",
)


@dataclass(frozen=True)
class FloatSchedule:
    """A float schedule, checked (see the module docstring for the fields)."""

    name: str
    ladder: tuple[float, ...]
    base_rates: tuple[float, ...]
    ratio_edges: tuple[float, ...]
    ratio_right_closed: bool
    incidence_edges: tuple[float, ...]
    incidence_right_closed: bool
    grid: tuple[tuple[float, ...], ...]  # rows: ratio bands, columns: incidence bands
    min_years_insured: float
    class1_up_only: bool
    floor_class1_base: bool
    max_step: int
    no_contributions: str
    block_down: tuple[str, ...]
    zero_repeat: float | None = None
    window_years: float = 1.0
    title: str = ""
    source: str = ""
    note: str = ""

    @property
    def base_tier(self) -> int:
        return self.ladder.index(1.0)

    def tier(self, multiplier: float, what: str = "multiplier") -> int:
        """Index of ``multiplier`` in the ladder (a clear error when it is not a tier)."""
        for t, m in enumerate(self.ladder):
            if abs(m - multiplier) <= 1e-9 * max(1.0, abs(m)):
                return t
        raise ValueError(
            f"float schedule {self.name!r}: {what} = {show(multiplier)} is not a tier of the ladder {list(self.ladder)}"
        )


def _packaged() -> Path:
    return Path(str(resources.files("wifund") / "data" / "float_schedules"))


def schedules() -> list[str]:
    """Names of the bundled float schedules."""
    return sorted(p.stem for p in _packaged().glob("*.toml"))


def _number_list(where: str, key: str, value: Any, lo: float | None = None) -> tuple[float, ...]:
    if not isinstance(value, (list, tuple)) or not value:
        raise ValueError(f"{where}: {key} = {show(value)}: must be a non-empty list of numbers")
    return tuple(check_number(f"{where}: {key}", v, lo=lo) for v in value)


def _axis(where: str, key: str, raw: Any) -> tuple[tuple[float, ...], bool]:
    if raw is None:
        return (), True
    if not isinstance(raw, Mapping):
        raise InputTypeError(f"{where}: {key} = {show(raw)}: must be a table with edges and closed")
    check_keys(f"{where}: {key}", raw.keys(), ("edges", "closed"))
    edges = _number_list(where, f"{key}.edges", raw.get("edges"))
    for a, b in zip(edges, edges[1:], strict=False):
        if not b > a:
            raise ValueError(
                f"{where}: {key}.edges = {list(edges)}: thresholds overlap ({show(a)} then {show(b)}); "
                "they must be strictly ascending"
            )
    closed = check_choice(f"{where}: {key}.closed", raw.get("closed", "right"), ("right", "left"))
    return edges, closed == "right"


def load_schedule(schedule: str | PathLike[str] | Mapping[str, Any] | FloatSchedule) -> FloatSchedule:
    """A bundled schedule by name (:func:`schedules`), a TOML file, or a dict in the TOML layout; checked:
    unknown keys, thresholds that are not strictly ascending (overlapping bands), a grid of the wrong shape
    or with multipliers off the ladder, a ladder without the base (1.0) raise ``ValueError`` naming the
    schedule and the key."""
    if isinstance(schedule, FloatSchedule):
        return schedule
    if isinstance(schedule, Mapping):
        raw: Mapping[str, Any] = schedule
        origin = str(schedule.get("name", "<dict>"))
    elif isinstance(schedule, (str, PathLike)):
        p = Path(schedule)
        if not p.suffix and not p.exists():
            names = schedules()
            if str(schedule) not in names:
                raise ValueError(
                    f"float schedule {str(schedule)!r}: unknown{suggest(str(schedule), names)} (bundled: {names})"
                )
            p = _packaged() / f"{schedule}.toml"
        try:
            raw = tomllib.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ValueError(f"float schedule file {str(p)!r}: not found") from None
        except tomllib.TOMLDecodeError as e:
            raise ValueError(f"float schedule file {str(p)!r}: not valid TOML: {e}") from None
        origin = str(raw.get("name", p.stem))
    else:
        raise InputTypeError(f"schedule = {show(schedule)}: must be a name, a TOML path or a dict")
    where = f"float schedule {origin!r}"
    check_keys(where, raw.keys(), _KEYS)
    for req in ("ladder", "base_rates", "grid", "ratio"):
        if req not in raw:
            raise ValueError(f"{where}: missing key {req!r}")
    ladder = _number_list(where, "ladder", raw["ladder"], lo=0.0)
    if any(not b > a for a, b in zip(ladder, ladder[1:], strict=False)):
        raise ValueError(f"{where}: ladder = {list(ladder)}: must be strictly ascending")
    if 1.0 not in ladder:
        raise ValueError(f"{where}: ladder = {list(ladder)}: must contain the base rate multiplier 1.0")
    base_rates = _number_list(where, "base_rates", raw["base_rates"], lo=0.0)
    r_edges, r_right = _axis(where, "ratio", raw["ratio"])
    i_edges, i_right = _axis(where, "incidence", raw.get("incidence"))
    grid_raw = raw["grid"]
    if not isinstance(grid_raw, (list, tuple)):
        raise InputTypeError(f"{where}: grid = {show(grid_raw)}: must be a list")
    rows_raw = [r if isinstance(r, (list, tuple)) else [r] for r in grid_raw]
    if len(rows_raw) != len(r_edges) + 1 or any(len(r) != len(i_edges) + 1 for r in rows_raw):
        raise ValueError(
            f"{where}: grid = {show(grid_raw)}: must have {len(r_edges) + 1} rows (ratio bands) of "
            f"{len(i_edges) + 1} multipliers (incidence bands)"
        )
    grid = tuple(tuple(check_number(f"{where}: grid", v, lo=0.0) for v in row) for row in rows_raw)
    zero_repeat = raw.get("zero_repeat")
    s = FloatSchedule(
        name=origin,
        ladder=ladder,
        base_rates=base_rates,
        ratio_edges=r_edges,
        ratio_right_closed=r_right,
        incidence_edges=i_edges,
        incidence_right_closed=i_right,
        grid=grid,
        min_years_insured=check_number(f"{where}: min_years_insured", raw.get("min_years_insured", 0.0), lo=0.0),
        class1_up_only=_bool(where, "class1_up_only", raw.get("class1_up_only", False)),
        floor_class1_base=_bool(where, "floor_class1_base", raw.get("floor_class1_base", False)),
        max_step=_int(where, "max_step", raw.get("max_step", 0)),
        no_contributions=check_choice(
            f"{where}: no_contributions", raw.get("no_contributions", "error"), tuple(_NO_CONTRIB)
        ),
        block_down=_flags(where, raw.get("block_down", [])),
        zero_repeat=None if zero_repeat is None else check_number(f"{where}: zero_repeat", zero_repeat, lo=0.0),
        window_years=check_number(f"{where}: window_years", raw.get("window_years", 1.0), lo=0.0, lo_open=True),
        title=str(raw.get("title", "")),
        source=str(raw.get("source", "")),
        note=str(raw.get("note", "")),
    )
    for row in s.grid:
        for m in row:
            s.tier(m, "grid multiplier")
    if s.zero_repeat is not None:
        s.tier(s.zero_repeat, "zero_repeat")
    return s


def _bool(where: str, key: str, v: Any) -> bool:
    if not isinstance(v, (bool, np.bool_)):
        raise InputTypeError(f"{where}: {key} = {show(v)}: must be true or false")
    return bool(v)


def _int(where: str, key: str, v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 0:
        raise ValueError(f"{where}: {key} = {show(v)}: must be a whole number >= 0")
    return int(v)


def _flags(where: str, v: Any) -> tuple[str, ...]:
    if not isinstance(v, (list, tuple)) or not all(isinstance(x, str) and x for x in v):
        raise InputTypeError(f"{where}: block_down = {show(v)}: must be a list of column names")
    if len(set(v)) != len(v) or len(v) > 16:
        raise ValueError(f"{where}: block_down = {show(v)}: at most 16 distinct column names")
    if any(x in REQUIRED_COLUMNS for x in v):
        raise ValueError(f"{where}: block_down = {show(v)}: a flag cannot be a required column")
    return tuple(v)


@dataclass(frozen=True)
class FloatResult:
    """The result of :func:`float_tiers`.

    ``employers``: the input's ``employer``, ``city``, ``risk_class``, ``contributions`` plus ``claims_ratio``
    (支缴率, fraction; ``inf`` when benefits were paid with no contributions), ``incidence``, ``multiplier`` (of the
    class base rate), ``rate`` (fraction of payroll) and ``reason`` (categorical: one of :data:`REASONS` or
    ``blocked:<flag>``). ``revenue``: by ``city`` and ``risk_class``, the number of ``employers``, the window's
    ``contributions``, the same contributions at the new multipliers (``new_contributions`` = contributions ×
    new multiplier ÷ current multiplier, i.e. at unchanged payroll) and ``revenue_effect`` (their difference)."""

    employers: pd.DataFrame
    revenue: pd.DataFrame
    schedule: FloatSchedule = field(repr=False)


def _first_bad(bad: np.ndarray, message: Callable[[int], str]) -> None:
    """Raises ``ValueError(message(i))`` for the first employer ``i`` flagged in ``bad`` (vectorised check)."""
    if bad.any():
        raise ValueError(message(int(np.argmax(bad))))


def _num(frame: pd.DataFrame, col: str, ids: Any) -> np.ndarray:
    s = frame[col]
    if s.dtype == bool or not (pd.api.types.is_numeric_dtype(s)):
        bad = s.map(lambda v: isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.number)))
        if s.dtype == bool or bad.any():
            i = int(np.argmax(bad.to_numpy())) if bad.any() else 0
            raise InputTypeError(
                f"float_tiers: {col} for employer {show(ids[i])} = {show(s.iloc[i])}: must be a number"
            )
    a = np.ascontiguousarray(s.to_numpy(dtype=np.float64, na_value=np.nan))
    _first_bad(
        ~np.isfinite(a) | (a < 0),
        lambda i: f"float_tiers: {col} for employer {show(ids[i])} = {show(a[i])}: must be finite and >= 0",
    )
    return a


def _flag(frame: pd.DataFrame, col: str, ids: Any) -> np.ndarray:
    s = frame[col]
    if s.dtype == bool:
        return np.asarray(s.to_numpy(), dtype=bool)
    a: np.ndarray = s.to_numpy()
    ok = pd.Series(a).isin([0, 1, True, False]).to_numpy()
    if not ok.all():
        i = int(np.argmax(~ok))
        raise ValueError(f"float_tiers: {col} for employer {show(ids[i])} = {show(a[i])}: must be a flag (0/1)")
    return np.asarray(a, dtype=bool)


def float_tiers(
    employers: pd.DataFrame | str | PathLike[str],
    schedule: str | PathLike[str] | Mapping[str, Any] | FloatSchedule = "national_71",
    *,
    base_rates: Sequence[float] | None = None,
) -> FloatResult:
    """Experience rating of every employer under ``schedule`` (see the module docstring).

    ``employers``: a DataFrame or a Parquet file with :data:`REQUIRED_COLUMNS` (contributions and benefits in
    yuan over the schedule's window, injuries and average insured headcount over the window, years insured),
    optional ``zero_previous_cycle`` (flag: ratio and incidence were both 0 in the previous cycle), optional
    ``current_multiplier`` (the employer's tier now, for ``max_step``; default 1) and the schedule's blocking-flag
    columns. ``base_rates`` overrides the schedule's class base rates (classes 1..K).
    Bad input (missing columns, negative or non-finite values, unknown classes, a current multiplier off the
    ladder, benefits with no contributions under ``no_contributions = "error"``) raises ``ValueError`` naming the
    column, the employer and the value."""
    s = load_schedule(schedule)
    if base_rates is not None:
        s = load_schedule(
            {**_as_dict(s), "base_rates": list(_number_list("float_tiers", "base_rates", base_rates, lo=0.0))}
        )
    if isinstance(employers, (str, PathLike)):
        employers = pd.read_parquet(employers)
    if not isinstance(employers, pd.DataFrame):
        raise InputTypeError(f"float_tiers: employers = {show(employers)}: must be a DataFrame or a Parquet path")
    missing = [c for c in REQUIRED_COLUMNS if c not in employers.columns]
    if missing:
        raise ValueError(
            f"float_tiers: employers is missing column(s) {missing} (has {list(map(str, employers.columns))})"
        )
    ids = employers["employer"].array  # indexed only on the error path (no copy of 10 million ids)
    cls_s = employers["risk_class"]
    K = len(s.base_rates)
    if pd.api.types.is_integer_dtype(cls_s) and not isinstance(cls_s.dtype, pd.CategoricalDtype):
        cls_f = cls_s.to_numpy()
        bad = (cls_f < 1) | (cls_f > K)
    else:
        cls_f = pd.to_numeric(cls_s, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        bad = ~np.isin(cls_f, np.arange(1, K + 1, dtype=np.float64))
    _first_bad(
        bad,
        lambda i: (
            f"float_tiers: risk_class for employer {show(ids[i])} = {show(cls_s.iloc[i])}: unknown class "
            f"(schedule {s.name!r} has classes 1..{K})"
        ),
    )
    risk_class = cls_f.astype(np.int32)
    cols = {c: _num(employers, c, ids) for c in ("contributions", "benefits", "injuries", "insured", "years_insured")}
    _first_bad(
        (cols["injuries"] > 0) & (cols["insured"] == 0),
        lambda i: f"float_tiers: insured for employer {show(ids[i])} = 0: must be > 0 when injuries > 0",
    )
    if s.no_contributions == "error":
        _first_bad(
            (cols["contributions"] == 0) & (cols["benefits"] > 0) & (cols["years_insured"] >= s.min_years_insured),
            lambda i: (
                f"float_tiers: contributions for employer {show(ids[i])} = 0 with benefits "
                f"{show(cols['benefits'][i])}: the 支缴率 is undefined and schedule {s.name!r} has "
                "no_contributions = 'error'"
            ),
        )
    zero_prev = _flag(employers, "zero_previous_cycle", ids) if "zero_previous_cycle" in employers else None
    flags: np.ndarray | None = None
    present = [f for f in s.block_down if f in employers.columns]
    if present:
        flags = np.zeros(len(employers), dtype=np.uint32)
        for b, f in enumerate(s.block_down):
            if f in employers.columns:
                flags |= _flag(employers, f, ids).astype(np.uint32) << np.uint32(b)
    current: np.ndarray | None = None
    if "current_multiplier" in employers.columns:
        cm = _num(employers, "current_multiplier", ids)
        lad = np.asarray(s.ladder)
        idx = np.abs(cm[:, None] - lad[None, :]).argmin(axis=1) if len(cm) else np.zeros(0, dtype=np.int64)
        _first_bad(
            np.abs(lad[idx] - cm) > 1e-9,
            lambda i: (
                f"float_tiers: current_multiplier for employer {show(ids[i])} = {show(cm[i])}: not a tier "
                f"of schedule {s.name!r} (ladder {list(s.ladder)})"
            ),
        )
        current = idx.astype(np.int32)
    city_s = employers["city"]
    if isinstance(city_s.dtype, pd.CategoricalDtype):
        codes = city_s.cat.codes.to_numpy()
        _first_bad(codes < 0, lambda i: f"float_tiers: city for employer {show(ids[i])} is missing")
        city_codes, cities = codes.astype(np.int32), np.asarray(city_s.cat.categories)
    else:
        fc, cities = pd.factorize(city_s, use_na_sentinel=True)
        _first_bad(fc < 0, lambda i: f"float_tiers: city for employer {show(ids[i])} is missing")
        city_codes = fc.astype(np.int32)
    out = _core.ratesetting.float_tiers(
        risk_class,
        cols["contributions"],
        cols["benefits"],
        cols["injuries"],
        cols["insured"],
        cols["years_insured"],
        zero_prev.astype(np.uint8) if zero_prev is not None else None,
        flags,
        current,
        city_codes,
        len(cities),
        list(s.ladder),
        s.base_tier,
        list(s.ratio_edges),
        s.ratio_right_closed,
        list(s.incidence_edges),
        s.incidence_right_closed,
        [s.tier(m) for row in s.grid for m in row],
        -1 if s.zero_repeat is None else s.tier(s.zero_repeat),
        s.max_step,
        s.class1_up_only,
        s.floor_class1_base,
        s.min_years_insured,
        _NO_CONTRIB[s.no_contributions],
        (1 << len(s.block_down)) - 1,
        list(s.base_rates),
    )
    blocked0 = int(_core.ratesetting.reason_blocked)
    names = list(REASONS) + [f"blocked:{f}" for f in s.block_down]
    lut = np.full(256, -1, dtype=np.int16)
    lut[: len(REASONS)] = np.arange(len(REASONS))
    lut[blocked0 : blocked0 + len(s.block_down)] = np.arange(len(REASONS), len(names))
    reason = pd.Categorical.from_codes(lut[out["reason"]], categories=names)
    frame = pd.DataFrame(
        {
            "employer": employers["employer"].array,
            "city": city_s.array,
            "risk_class": risk_class,
            "contributions": cols["contributions"].copy(),  # not a view of the input (copy=False below)
            "claims_ratio": out["ratio"],
            "incidence": out["incidence"],
            "multiplier": out["multiplier"],
            "rate": out["rate"],
            "reason": reason,
        },
        index=employers.index,
        copy=False,  # the arrays are fresh from the kernel: no consolidation copy
    )
    G = len(cities)
    n_emp = out["by_employers"].reshape(G, K)
    keep = n_emp.ravel() > 0
    contrib = out["by_contributions"]
    new = out["by_new_contributions"]
    revenue = pd.DataFrame(
        {
            "city": np.repeat(np.asarray(cities, dtype=object), K)[keep],
            "risk_class": np.tile(np.arange(1, K + 1), G)[keep],
            "employers": n_emp.ravel()[keep].astype(np.int64),
            "contributions": contrib[keep],
            "new_contributions": new[keep],
            "revenue_effect": new[keep] - contrib[keep],
        }
    )
    return FloatResult(employers=frame, revenue=revenue.reset_index(drop=True), schedule=s)


def _as_dict(s: FloatSchedule) -> dict[str, Any]:
    d: dict[str, Any] = {
        "name": s.name,
        "title": s.title,
        "source": s.source,
        "note": s.note,
        "window_years": s.window_years,
        "ladder": list(s.ladder),
        "base_rates": list(s.base_rates),
        "grid": [list(r) for r in s.grid],
        "min_years_insured": s.min_years_insured,
        "class1_up_only": s.class1_up_only,
        "floor_class1_base": s.floor_class1_base,
        "max_step": s.max_step,
        "no_contributions": s.no_contributions,
        "block_down": list(s.block_down),
        "ratio": {"edges": list(s.ratio_edges), "closed": "right" if s.ratio_right_closed else "left"},
    }
    if s.incidence_edges:
        d["incidence"] = {"edges": list(s.incidence_edges), "closed": "right" if s.incidence_right_closed else "left"}
    if s.zero_repeat is not None:
        d["zero_repeat"] = s.zero_repeat
    return d


# ------------------------------------------------------------------------------------------------
# Bühlmann–Straub credibility
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Credibility:
    """Bühlmann–Straub estimates. ``table`` by group: ``weight`` (total), ``individual`` (weighted mean of the
    group's ratios), ``credibility`` (Z = w / (w + s²/a)) and ``premium`` (Z·individual + (1 − Z)·collective);
    ``collective`` (the credibility-weighted mean), ``within`` (s², the expected process variance) and
    ``between`` (a, the variance of the hypothetical means; 0 when its unbiased estimate is ≤ 0, and then every
    Z is 0)."""

    table: pd.DataFrame
    collective: float
    within: float
    between: float


def credibility(
    frame: pd.DataFrame, *, group: str = "risk_class", ratio: str = "ratio", weight: str = "weight"
) -> Credibility:
    """Bühlmann–Straub credibility of group rates from a long frame (one row per group and period: the observed
    ``ratio`` — e.g. benefits ÷ payroll of a class in a year — and its ``weight`` — the payroll).

    Estimators (Bühlmann & Gisler 2005, §4.8; actuar's ``cm()`` default): X_i = Σ_j w_ij x_ij / w_i;
    s² = Σ_i Σ_j w_ij (x_ij − X_i)² / Σ_i (n_i − 1); a = (Σ_i w_i (X_i − X̄)² − (I − 1) s²) / (w − Σ_i w_i² / w)
    with X̄ = Σ_i w_i X_i / w; Z_i = w_i / (w_i + s²/a); collective = Σ Z_i X_i / Σ Z_i."""
    if not isinstance(frame, pd.DataFrame):
        raise InputTypeError(f"credibility: frame = {show(frame)}: must be a DataFrame")
    missing = [c for c in (group, ratio, weight) if c not in frame.columns]
    if missing:
        raise ValueError(f"credibility: frame is missing column(s) {missing} (has {list(map(str, frame.columns))})")
    keys = frame[group].to_numpy()
    x = pd.to_numeric(frame[ratio], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    w = pd.to_numeric(frame[weight], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    for name, a, lo_open in ((ratio, x, False), (weight, w, True)):
        bad = ~np.isfinite(a) | ((a <= 0) if lo_open else np.zeros(len(a), dtype=bool))
        if bad.any():
            i = int(np.argmax(bad))
            rule = "must be finite and > 0" if lo_open else "must be finite"
            raise ValueError(f"credibility: {name} for {group} {show(keys[i])} = {show(a[i])}: {rule}")
    codes, groups = pd.factorize(keys, sort=True)
    n_groups = len(groups)
    if n_groups < 2:
        raise ValueError(f"credibility: {group} has {n_groups} value(s): at least 2 groups are needed")
    wi = np.bincount(codes, weights=w, minlength=n_groups)
    ni = np.bincount(codes, minlength=n_groups)
    if (ni < 2).any():
        g = groups[int(np.argmax(ni < 2))]
        raise ValueError(f"credibility: {group} {show(g)} has 1 period: at least 2 are needed for the within variance")
    xi = np.bincount(codes, weights=w * x, minlength=n_groups) / wi
    s2 = float(np.sum(w * (x - xi[codes]) ** 2) / np.sum(ni - 1))
    wt = float(wi.sum())
    xbar = float(np.sum(wi * xi) / wt)
    a = float((np.sum(wi * (xi - xbar) ** 2) - (n_groups - 1) * s2) / (wt - np.sum(wi**2) / wt))
    if a > 0 and s2 > 0:
        z = wi / (wi + s2 / a)
        collective = float(np.sum(z * xi) / np.sum(z))
    else:
        a = max(a, 0.0)
        z = np.ones(n_groups) if s2 == 0 else np.zeros(n_groups)
        collective = xbar
    table = pd.DataFrame(
        {
            group: groups,
            "weight": wi,
            "individual": xi,
            "credibility": z,
            "premium": z * xi + (1 - z) * collective,
        }
    )
    if not math.isfinite(collective):
        raise ValueError("credibility: the collective estimate is not finite")
    return Credibility(table=table, collective=collective, within=s2, between=a)


# ------------------------------------------------------------------------------------------------
# Sensitivity (tornado)
# ------------------------------------------------------------------------------------------------
#: Indicators :func:`sensitivity` can report: fund columns at the horizon, and the exhaustion year.
SENSITIVITY_OUTPUTS = ("months_of_payment", "payg_cost_rate", "closing", "exhausted_year", "balancing_rate")


@dataclass(frozen=True)
class Sensitivity:
    """The result of :func:`sensitivity`. ``table``: one row per (``output``, ``shock``) with the ``base`` value,
    the values with the assumption moved down (``low``) and up (``high``), ``swing`` = high − low and
    ``elasticity`` = ((high − low) / base) / (2 δ / x), x the assumption's mean level over the projection (1 for
    the relative ``incidence`` shock); NaN where base or x is 0 or the fund is never exhausted. ``balancing_rate``
    is the multiplier of every class base rate that balances revenue and expenditure from the first projection
    year to ``at`` (:func:`solve` with :class:`Balance`; 1 = the policy's rates). Rows are sorted by
    ``|swing|`` within each output (the tornado order)."""

    table: pd.DataFrame
    at: int

    def plot(self, output: str = "months_of_payment", ax: Any = None) -> Any:
        """A tornado chart of ``output``: bars from the base value to the low and high values of each shock.
        Draws on ``ax`` (or new pyplot Axes in the current backend) and returns the Axes."""
        from wifund import _labels, _plot

        check_choice("Sensitivity.plot: output", output, sorted(set(self.table["output"])))
        (axes,) = _plot.user_axes("Sensitivity.plot", ax, 1, (6.0, 3.5))
        t = self.table[self.table["output"] == output].iloc[::-1]
        base = float(t["base"].iloc[0])
        y = np.arange(len(t))
        axes.barh(y, t["low"] - base, left=base, color="#4c72b0", label="low")
        axes.barh(y, t["high"] - base, left=base, color="#dd8452", label="high")
        axes.axvline(base, color="black", linewidth=0.8)
        axes.set_yticks(y, [f"{s} ±{d:g}" for s, d in zip(t["shock"], t["delta"], strict=True)], **_plot.text_kw())
        zh = _labels.zh(output) or output
        axes.set_xlabel(_plot.label(zh, f"{output} in {self.at}"), **_plot.text_kw())
        axes.legend(**_plot.legend_kw())
        return axes


def _balancing_multiplier(proj: Any, at: int) -> float:
    """The multiplier of every class base rate at which the fund's own revenue equals its spending from the first
    projection year to ``at`` (:class:`Balance`), solved on the projection's own context and scenario; NaN when not
    reached in 0.1–5."""
    ctx = proj.context
    raw = _core.ratesetting.solve(
        ctx, proj.scenario, 0, 0, -1, [math.nan] * 9, 0, 0.0, math.inf, 0, at - int(ctx.start_year), 0.1, 5.0
    )
    return float(raw["lever_value"]) if raw["reachable"] else float("nan")


def _indicator(proj: Any, output: str, at: int) -> float:
    if output == "balancing_rate":
        return _balancing_multiplier(proj, at)
    if output == "exhausted_year":
        y = proj.exhausted_year
        return float("nan") if y is None else float(y)
    return float(proj.fund.loc[at, output])


def sensitivity(
    province: Any,
    policy: Any = None,
    assumptions: Any = None,
    *,
    outputs: Sequence[str] = ("months_of_payment", "payg_cost_rate", "exhausted_year"),
    shocks: Mapping[str, float] | None = None,
    at: int | None = None,
    years: int = 30,
) -> Sensitivity:
    """Moves each assumption down and up and reports the indicators: a tornado and elasticities.

    ``shocks``: ``{name: delta}``; a path of :data:`wifund.assumptions.PATH_DEFAULTS` (e.g. ``wage_growth``) is
    moved additively by ±delta in every projection year (cities with their own path keep it), ``incidence`` is
    scaled by 1 ± delta. Default: ±1 point on wage growth, employment growth, medical inflation and the interest
    rate, ±10 % on incidence. ``outputs``: names in :data:`SENSITIVITY_OUTPUTS`, fund columns taken in year ``at``
    (default: the last projection year). Each run is :meth:`wifund.Projection.rerun` on one context."""
    from wifund.assumptions import PATH_DEFAULTS, Assumptions
    from wifund.projection import project

    where = "sensitivity"
    outputs = list(outputs)
    if not outputs:
        raise ValueError(f"{where}: outputs is empty (choose from {list(SENSITIVITY_OUTPUTS)})")
    for o in outputs:
        check_choice(f"{where}: outputs", o, SENSITIVITY_OUTPUTS)
    if shocks is None:
        shocks = {"wage_growth": 0.01, "employment_growth": 0.01, "medical_inflation": 0.01, "interest_rate": 0.01}
        shocks = {**shocks, "incidence": 0.1}
    if not isinstance(shocks, Mapping) or not shocks:
        raise InputTypeError(f"{where}: shocks = {show(shocks)}: must be a non-empty dict of name -> delta")
    check_keys(f"{where}: shocks", shocks.keys(), [*PATH_DEFAULTS, "incidence"], what="assumption")
    a = assumptions if assumptions is not None else Assumptions.default()
    base = project(province, policy, a, years=years)
    all_years = list(range(int(base.raw["start_year"]), int(base.raw["start_year"]) + int(base.raw["years"])))
    at = base.years[-1] if at is None else at
    if at not in base.years:
        raise ValueError(f"{where}: at = {show(at)}: not a projection year ({base.years[0]}..{base.years[-1]})")
    rows = []
    for name, delta in shocks.items():
        d = check_number(f"{where}: shocks[{name!r}]", delta, lo=0.0, lo_open=True)
        if name == "incidence":
            if d >= 1:
                raise ValueError(f"{where}: shocks['incidence'] = {show(delta)}: must be < 1 (a relative change)")
            low, high, level = base.rerun(incidence_multiplier=1 - d), base.rerun(incidence_multiplier=1 + d), 1.0
        else:
            path = a.path(name, all_years)
            if not np.isfinite(path).all():
                raise ValueError(f"{where}: shocks[{name!r}]: the path {name!r} is not set (NaN), nothing to move")
            level = float(np.mean(path))
            low = base.rerun(assumptions=a.replace(**{name: dict(zip(all_years, (path - d).tolist(), strict=True))}))
            high = base.rerun(assumptions=a.replace(**{name: dict(zip(all_years, (path + d).tolist(), strict=True))}))
        for o in outputs:
            b, lo_v, hi_v = (_indicator(p, o, at) for p in (base, low, high))
            with np.errstate(divide="ignore", invalid="ignore"):
                el = ((hi_v - lo_v) / b) / (2 * d / level) if b != 0 and level != 0 else float("nan")
            rows.append((o, name, d, b, lo_v, hi_v, hi_v - lo_v, el))
    t = pd.DataFrame(rows, columns=["output", "shock", "delta", "base", "low", "high", "swing", "elasticity"])
    t = t.assign(_k=t["swing"].abs().fillna(-1.0)).sort_values(["output", "_k"], ascending=[True, False], kind="stable")
    return Sensitivity(table=t.drop(columns="_k").reset_index(drop=True), at=int(at))


# ------------------------------------------------------------------------------------------------
# Solvers (issue #13 item 1) and the phased-cut / rate-review calendar (item 2)
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Balance:
    """以支定收、收支平衡 (条例 Art. 8): the fund's own revenue = its spending over the first ``years`` projection
    years (indicator: Σ (revenue − fiscal advance) ÷ Σ (expenditure − advance repayment), solved to 1: a fiscal
    advance (条例 Art. 13) is not revenue of the fund and its repayment not spending on benefits)."""

    years: int


@dataclass(frozen=True)
class MonthsOfPayment:
    """Months of payment (累计结余可支付月数, 人社部发〔2015〕72号): ``months`` at year ``at`` (indicator: the months of
    payment that year), or inside ``band=(lo, hi)`` — at year ``at``, or with ``every_year=True`` in every year up to
    ``at`` (default the last one needed; indicator: the lowest months over those years, solved to ``lo``, and the
    highest checked against ``hi``). The solution is the lever value at which the indicator reaches ``months`` (or
    ``lo``): for a rate lever the lowest rate that meets the target. ``at``: years from the start (1 = the first
    projection year) or a calendar year (>= 1900)."""

    months: float | None = None
    at: int | None = None
    band: tuple[float, float] | None = None
    every_year: bool = False


@dataclass(frozen=True)
class SteadyState:
    """The steady-state rate (the Canada Pension Plan's definition): the constant rate that keeps months of payment
    equal in two future years ``years=(a, b)`` (years from the start, or calendar years; indicator: months in ``b`` ÷
    months in ``a``, solved to 1). Apply the lever after a review period with ``Lever(..., years=(first, last))``."""

    years: tuple[int, int]


@dataclass(frozen=True)
class Probability:
    """P(months of payment < ``months`` in one of the first ``within`` years) ≤ ``at_most`` under the Monte Carlo
    model (:func:`wifund.simulate`, ``sources`` default :meth:`wifund.stochastic.Sources.default`), over scenarios
    0..``scenarios``−1 of ``seed``: the same scenarios at every lever value (common random numbers). P is a step
    function of the lever, but P ≤ ``at_most`` exactly when the (⌊``at_most`` × ``scenarios``⌋ + 1)-th smallest of
    the scenarios' lowest months of payment over the ``within`` years is ≥ ``months``, and that order statistic is
    continuous in the lever: TOMS 748 solves it to a relative bracket width ``tol`` and the solution is the feasible
    end of the bracket (P ≤ ``at_most`` there, above it just below). The scenarios are drawn and run by the Monte
    Carlo engine once; later lever values redo only each scenario's rate-dependent part."""

    months: float
    within: int
    at_most: float
    scenarios: int = 1000
    seed: int = 0
    threads: int | None = None
    sources: Any = None
    tol: float = 1e-4


Target = Balance | MonthsOfPayment | SteadyState | Probability
#: Lever kinds of :class:`Lever` (the C++ ``ratesetting::lever_kind`` codes).
LEVERS = ("multiplier", "class_rates", "cut_depth")


@dataclass(frozen=True)
class Lever:
    """What the solver moves, in projection years ``years=(first, last)`` (calendar years, inclusive; default every
    projection year):

    * ``"multiplier"``: every class base rate × the value (1 = the policy's rates; 人社部发〔2015〕71号 classes);
    * ``"class_rates"``: the class-1 base rate (fraction of payroll), the other classes at fixed ``relativities``
      (8 values for classes 1..8, or 9 with the unclassified rate; default the policy's rates in the first lever
      year ÷ its class-1 rate);
    * ``"cut_depth"``: a flat phased cut (阶段性降低费率, 人社部发〔2018〕25号 … 〔2023〕19号) of the value (fraction
      of the base rates, 0..1) in every lever year, without the months-of-payment tiers.
    """

    kind: str = "multiplier"
    years: tuple[int, int] | None = None
    relativities: Sequence[float] | None = None


class TargetUnreachable(ValueError):
    """A target that no lever value inside the bounds reaches; ``closest_lever`` and ``closest_achieved`` are the
    lever value that came closest and its indicator."""

    def __init__(self, message: str, closest_lever: float, closest_achieved: float) -> None:
        super().__init__(message)
        self.closest_lever = closest_lever
        self.closest_achieved = closest_achieved


@dataclass(frozen=True)
class SolveResult:
    """The result of :func:`solve`. ``lever_value``: the solved lever value; ``achieved``: the target's indicator
    there (see the target classes); ``goal``: the value it was solved to; ``evaluations``: lever values evaluated
    (one projection each, or ``scenarios`` Monte Carlo scenarios for :class:`Probability`; see ``method`` for how);
    ``converged``: the bracket narrowed to the tolerance; ``policy``: the policy with the solved rates applied (a
    layer ``solve`` of dated entries), which :func:`wifund.project` accepts — ``wifund.project(province,
    result.policy, assumptions, years=result.years)`` reproduces ``achieved`` (:meth:`indicator`); ``bracket``: the
    final bracket."""

    lever_value: float
    achieved: float
    goal: float
    evaluations: int
    converged: bool
    policy: Any
    target: Target
    lever: Lever
    bounds: tuple[float, float]
    years: int
    start: int
    bracket: tuple[float, float]
    highest: float | None = None
    #: How the evaluations ran: ``"split"`` (the first an engine run, the others only the rate-dependent part of
    #: the year), ``"engine"`` (an engine run each) or ``"engine (...)"`` when the split failed its check against
    #: the engine at the first evaluation (``include/wifund/ratesetting/split.hpp``; for :class:`Probability` the
    #: first evaluation runs every scenario through the Monte Carlo engine, the others split each scenario).
    method: str = ""

    def indicator(self, projection: Any) -> float:
        """The target's indicator computed from a :class:`wifund.Projection` (its ``fund`` table; for
        :class:`Probability` a :class:`wifund.simulate.Simulation`), independently of the solver."""
        t = self.target
        if isinstance(t, Probability):
            return float(projection.prob_months_below(t.months, within=t.within))
        fund = projection.fund
        kind, _, _, first, at, _ = _fund_target(t, self.start, "SolveResult.indicator")
        years = [self.start + j for j in range(at + 1)]
        if kind == 0:
            f = fund.loc[years]
            own = (f["revenue"] - f["fiscal_advance"]).sum()
            return float(own / (f["expenditure"] - f["advance_repayment"]).sum())
        if kind == 1:
            return float(fund.loc[self.start + at, "months_of_payment"])
        if kind == 2:
            return float(fund.loc[years, "months_of_payment"].min())
        m = fund["months_of_payment"]
        return float(m.loc[self.start + at] / m.loc[self.start + first])


def _year_index(where: str, value: Any, start: int, hi: int = 50) -> int:
    """A target year: years from the start (1 = the first projection year) or a calendar year (>= 1900)."""
    v = check_int(where, value, 1)
    if v >= 1900:
        if not start <= v < start + hi:
            raise ValueError(f"{where} = {v}: the calendar year must lie in {start}..{start + hi - 1}")
        return v - start
    if v > hi:
        raise ValueError(f"{where} = {v}: at most {hi} years from the start {start}")
    return v - 1


def _fund_target(t: Any, start: int, who: str) -> tuple[int, float, float, int, int, str]:
    """(C++ target kind, months, band high, first index, at index, description) of a deterministic target."""
    inf = float("inf")
    if isinstance(t, Balance):
        n = check_int(f"{who}: Balance.years", t.years, 1, 50)
        return 0, 0.0, inf, 0, n - 1, f"Balance(years={n})"
    if isinstance(t, MonthsOfPayment):
        check_type(f"{who}: MonthsOfPayment.every_year", t.every_year, bool, "True or False")
        if (t.months is None) == (t.band is None):
            raise ValueError(
                f"{who}: MonthsOfPayment: give months= or band=(lo, hi), not {'both' if t.band else 'neither'}"
            )
        if t.band is not None:
            if not isinstance(t.band, (tuple, list)) or len(t.band) != 2:
                raise InputTypeError(f"{who}: MonthsOfPayment.band = {show(t.band)}: must be a pair (lo, hi)")
            lo = check_number(f"{who}: MonthsOfPayment.band[0]", t.band[0], 0.0)
            hi = check_number(f"{who}: MonthsOfPayment.band[1]", t.band[1], 0.0)
            if not lo < hi:
                raise ValueError(f"{who}: MonthsOfPayment.band = {show(list(t.band))}: must have low < high")
        else:
            if t.every_year:
                raise ValueError(f"{who}: MonthsOfPayment(every_year=True) needs band=(lo, hi)")
            lo, hi = check_number(f"{who}: MonthsOfPayment.months", t.months, 0.0), inf
        if t.at is None and not t.every_year:
            raise ValueError(f"{who}: MonthsOfPayment: at= (the year) is required unless every_year=True")
        at = 29 if t.at is None else _year_index(f"{who}: MonthsOfPayment.at", t.at, start)
        desc = f"MonthsOfPayment({'band=' + str((lo, hi)) if t.band is not None else 'months=' + show(lo)}"
        desc += f", {'every_year=True up to ' if t.every_year else 'at '}{start + at})"
        return (2 if t.every_year else 1), lo, hi, 0, at, desc
    if isinstance(t, SteadyState):
        if not isinstance(t.years, (tuple, list)) or len(t.years) != 2:
            raise InputTypeError(f"{who}: SteadyState.years = {show(t.years)}: must be a pair (a, b)")
        a = _year_index(f"{who}: SteadyState.years[0]", t.years[0], start)
        b = _year_index(f"{who}: SteadyState.years[1]", t.years[1], start)
        if not a < b:
            raise ValueError(f"{who}: SteadyState.years = {show(list(t.years))}: must be two years in increasing order")
        return 3, 0.0, inf, a, b, f"SteadyState(years=({start + a}, {start + b}))"
    raise InputTypeError(f"{who}: target = {show(t)}: must be Balance, MonthsOfPayment, SteadyState or Probability")


def _lever(lever: Any, policy: Any, start: int, horizon: int, who: str) -> tuple[Lever, int, int, int, list[float]]:
    """The checked lever: (lever, kind code, first index, last index, relativities (9, NaN = keep))."""
    if isinstance(lever, str):
        lever = Lever(kind=lever)
    check_type(f"{who}: lever", lever, Lever, "a lever name " + str(list(LEVERS)) + " or a ratesetting.Lever")
    check_choice(f"{who}: lever", lever.kind, LEVERS)
    last_year = start + horizon - 1
    if lever.years is None:
        first, last = 0, -1
    else:
        if not isinstance(lever.years, (tuple, list)) or len(lever.years) != 2:
            raise InputTypeError(f"{who}: Lever.years = {show(lever.years)}: must be a pair (first, last) of years")
        a = check_int(f"{who}: Lever.years[0]", lever.years[0], start, last_year)
        b = check_int(f"{who}: Lever.years[1]", lever.years[1], a, last_year)
        first, last = a - start, (-1 if b == last_year else b - start)
    rel = [math.nan] * 9
    if lever.kind == "class_rates":
        if lever.relativities is None:
            base = _policy_rates(policy, start + first)
            if not base[0] > 0:
                raise ValueError(f"{who}: class_rates: the class-1 base rate in {start + first} is 0, no relativities")
            rel = [b / base[0] if math.isfinite(b) else math.nan for b in base]
        else:
            r = list(lever.relativities)
            if len(r) not in (8, 9):
                raise ValueError(
                    f"{who}: Lever.relativities = {show(r)}: must have 8 values (classes 1..8) or 9 (with U)"
                )
            rel[: len(r)] = [check_number(f"{who}: Lever.relativities[class {k + 1}]", v, 0.0) for k, v in enumerate(r)]
    return lever, LEVERS.index(lever.kind), first, last, rel


def _policy_rates(policy: Any, year: int) -> list[float]:
    """Class base rates 1..8 and U (NaN when absent) in force on 1 January (as ``_bridge.resolve_policy_year``)."""
    import datetime as dt

    p = policy.at(dt.date(year, 1, 1))
    return [float(v) for v in p["contribution.base_rate"]] + [float(p.get("contribution.unclassified_rate", math.nan))]


def _default_bounds(kind: str, rel: list[float], policy: Any, start: int) -> tuple[float, float]:
    if kind == "multiplier":
        return 0.1, 5.0
    if kind == "cut_depth":
        return 0.0, 1.0
    base1 = _policy_rates(policy, start)[0]
    return 0.1 * base1, 5.0 * base1


def _check_bounds(
    who: str, bounds: Any, kind: str, rel: list[float], policy: Any, years: list[int]
) -> tuple[float, float]:
    if not isinstance(bounds, (tuple, list)) or len(bounds) != 2:
        raise InputTypeError(f"{who}: bounds = {show(bounds)}: must be a pair (low, high)")
    lo = check_number(f"{who}: bounds[0]", bounds[0], 0.0)
    hi = check_number(f"{who}: bounds[1]", bounds[1], 0.0)
    if not lo < hi:
        raise ValueError(f"{who}: bounds = {show(list(bounds))}: inverted or empty (must have low < high)")
    if kind == "cut_depth" and hi > 1:
        raise ValueError(f"{who}: bounds = {show(list(bounds))}: a cut depth is a fraction, at most 1")
    if kind != "cut_depth":
        for y in years:
            rates = _policy_rates(policy, y)
            top = max(
                (
                    hi * (r if kind == "multiplier" else q)
                    for r, q in zip(rates, rel, strict=True)
                    if math.isfinite(r if kind == "multiplier" else q)
                ),
                default=0.0,
            )
            if top > 1:
                raise ValueError(
                    f"{who}: bounds = {show(list(bounds))}: at the upper bound a base rate in {y} would be "
                    f"{show(top)} of payroll, more than 1"
                )
    return lo, hi


def _solved_policy(policy: Any, kind: str, value: float, rel: list[float], years: list[int], open_end: bool) -> Any:
    """The policy with the lever's value applied as dated entries of a layer ``solve`` (the same arithmetic as the
    C++ ``ratesetting::apply_lever``, so a projection of it reproduces the solver's run)."""
    import datetime as dt

    src = "wifund.ratesetting.solve"
    keys = set(policy.keys())

    def entries(values: list[Any]) -> list[dict[str, Any]]:
        out = []
        for i, (y, v) in enumerate(zip(years, values, strict=True)):
            last = i == len(years) - 1
            out.append(
                {
                    "from": dt.date(y, 1, 1),
                    "to": None if (last and open_end) else dt.date(y, 12, 31),
                    "value": v,
                    "source": src,
                    "note": f"solved {kind} = {value!r}",
                }
            )
        return out

    mapping: dict[str, Any] = {}
    if kind == "cut_depth":
        n = len(years)
        mapping["contribution.phased_cut.active"] = entries([True] * n)
        mapping["contribution.phased_cut.thresholds_months"] = entries([[0.0, 0.0]] * n)
        mapping["contribution.phased_cut.reductions"] = entries([[value, value]] * n)
        mapping["contribution.phased_cut.take_up"] = entries([1.0] * n)
        mapping["contribution.phased_cut.stop_months"] = entries([0.0] * n)
    else:
        rates = [_policy_rates(policy, y) for y in years]
        if kind == "multiplier":
            new = [[r * value for r in rs] for rs in rates]
        else:
            new = [[value * q if math.isfinite(q) else r for r, q in zip(rs, rel, strict=True)] for rs in rates]
        mapping["contribution.base_rate"] = entries([row[:8] for row in new])
        if "contribution.unclassified_rate" in keys and all(math.isfinite(row[8]) for row in new):
            mapping["contribution.unclassified_rate"] = entries([row[8] for row in new])
    return policy.override(mapping, name="solve", source=src)


def _setup(who: str, province: Any, policy: Any, assumptions: Any) -> tuple[Any, Any]:
    from wifund.assumptions import Assumptions
    from wifund.policy import Policy
    from wifund.province import Province

    check_type(f"{who}: province", province, Province, "a wifund.Province (Province.demo() or Province.from_dir)")
    if policy is None:
        policy = province.default_policy
    if not isinstance(policy, (Policy, str, PathLike)):
        raise InputTypeError(f"{who}: policy = {show(policy)}: must be a wifund.Policy, a policy name or a TOML path")
    pol = policy if isinstance(policy, Policy) else Policy.load(policy if isinstance(policy, str) else Path(policy))
    a = Assumptions.default() if assumptions is None else assumptions
    check_type(f"{who}: assumptions", a, Assumptions, "a wifund.Assumptions or None")
    return pol, a


def solve(
    province: Any,
    policy: Any = None,
    assumptions: Any = None,
    *,
    target: Target,
    lever: str | Lever = "multiplier",
    bounds: tuple[float, float] | None = None,
    rate_review: Mapping[str, Any] | bool | None = None,
    tol: float = 1e-12,
    evaluation: str = "auto",
) -> SolveResult:
    """The lever value at which the fund meets ``target`` (:class:`Balance`, :class:`MonthsOfPayment`,
    :class:`SteadyState`, :class:`Probability`).

    ``lever``: ``"multiplier"``, ``"class_rates"``, ``"cut_depth"`` or a :class:`Lever`; ``bounds``: the lever's
    range (default 0.1–5 for the multiplier, 0.1–5 × the class-1 rate for class rates, 0–1 for a cut depth).
    ``rate_review``: a rate-review override as for :func:`wifund.project`. The projection runs as many years as the
    target needs. The evaluations run in C++ (``include/wifund/ratesetting/solve.hpp``, ``split.hpp``): the first is
    one engine run, which also records what of each year does not depend on the rates (injuries, awards, the cohort
    book, every benefit payment); the others redo only the contributions, the phased cut, the rate review, the
    prevention fee and the fund roll, and equal an engine run (checked against the engine at the first evaluation:
    where they differ by more than 1e-12 relative every evaluation is an engine run). ``evaluation="engine"`` runs
    the engine at every evaluation, ``"split"`` skips the check (``SolveResult.method`` says which ran). The bounds
    are cut into 8 intervals (4 for a probability) to find a sign change (the first from the lower bound), which
    TOMS 748 narrows to a relative width ``tol`` or an indicator within 1e-11 (relative) of its goal (for a
    probability: TOMS 748 on the order statistic of :class:`Probability` to ``Probability.tol``). A target that
    no value in the bounds reaches raises :class:`TargetUnreachable` (a ``ValueError``) naming the target, the
    lever range and the closest achievable value. Bad targets, levers and bounds raise ``ValueError`` naming the
    field and the value."""
    from wifund._bridge import build_context, build_scenario, projection_years, rate_review_override

    who = "solve"
    methods = ("auto", "split", "engine")
    check_choice(f"{who}: evaluation", evaluation, methods)
    pol, a = _setup(who, province, policy, assumptions)
    tol = check_number(f"{who}: tol", tol, 0.0, 1e-3, lo_open=True)
    start = province.base_year + 1
    prob = isinstance(target, Probability)
    if prob:
        t: Any = target
        within = check_int(f"{who}: Probability.within", t.within, 1, 50)
        months = check_number(f"{who}: Probability.months", t.months, 0.0)
        at_most = check_number(f"{who}: Probability.at_most", t.at_most, 0.0, 1.0, hi_open=True)
        scenarios = check_int(f"{who}: Probability.scenarios", t.scenarios, 1, 10**7)
        seed = check_int(f"{who}: Probability.seed", t.seed, 0, 2**63 - 1)
        threads = 0 if t.threads is None else check_int(f"{who}: Probability.threads", t.threads, 1, 1024)
        ptol = check_number(f"{who}: Probability.tol", t.tol, 0.0, 0.1, lo_open=True)
        horizon, desc = within, f"Probability(months < {show(months)} within {within} years <= {show(at_most)})"
        if rate_review is not None:
            raise ValueError(f"{who}: rate_review is not supported with a Probability target (set it in the policy)")
    else:
        kind, months, band_high, first, at, desc = _fund_target(target, start, who)
        horizon = at + 1
    lev, code, lfirst, llast, rel = _lever(lever, pol, start, horizon, who)
    lever_years = list(range(start + lfirst, start + (horizon - 1 if llast < 0 else llast) + 1))
    if bounds is None:
        bounds = _default_bounds(lev.kind, rel, pol, start + lfirst)
    lo, hi = _check_bounds(who, bounds, lev.kind, rel, pol, lever_years)
    if prob:
        from wifund.simulate import generator

        gen = generator(province, pol, a, horizon, t.sources, who=who)
        raw = _core.ratesetting.solve_probability(
            gen,
            code,
            lfirst,
            llast,
            rel,
            months,
            within,
            at_most,
            seed,
            scenarios,
            threads,
            lo,
            hi,
            ptol,
            60,
            4,
            methods.index(evaluation),
        )
    else:
        years = projection_years(province, horizon)
        ctx, scenario, _ = build_context(province, pol, a, horizon)
        if rate_review is not None:
            scenario = build_scenario(province, a, years, rate_review=rate_review_override(pol, start, rate_review))
        raw = _core.ratesetting.solve(
            ctx,
            scenario,
            code,
            lfirst,
            llast,
            rel,
            kind,
            months,
            band_high,
            first,
            at,
            lo,
            hi,
            tol,
            100,
            8,
            methods.index(evaluation),
        )
    what = f"lever {lev.kind} in [{show(lo)}, {show(hi)}]"
    if not raw["reachable"]:
        raise TargetUnreachable(
            f"{who}: target {desc} cannot be reached with {what}: the closest achievable value is "
            f"{show(raw['closest_achieved'])} (goal {show(raw['goal'])}) at {lev.kind} = {show(raw['closest_lever'])}",
            float(raw["closest_lever"]),
            float(raw["closest_achieved"]),
        )
    if not prob and kind == 2 and raw["second"] > band_high:
        raise TargetUnreachable(
            f"{who}: target {desc} cannot be reached with {what}: at {lev.kind} = {show(raw['lever_value'])}, where "
            f"the lowest months of payment reach the band's low end {show(months)}, the highest are "
            f"{show(raw['second'])}, above {show(band_high)} (no constant lever value keeps every year in the band)",
            float(raw["lever_value"]),
            float(raw["second"]),
        )
    value = float(raw["lever_value"])
    solved = _solved_policy(pol, lev.kind, value, rel, lever_years, llast < 0)
    return SolveResult(
        lever_value=value,
        achieved=float(raw["achieved"]),
        goal=float(raw["goal"]),
        evaluations=int(raw["evaluations"]),
        converged=bool(raw["converged"]),
        policy=solved,
        target=target,
        lever=lev,
        bounds=(lo, hi),
        years=horizon,
        start=start,
        bracket=(float(raw["bracket_low"]), float(raw["bracket_high"])),
        highest=float(raw["second"]) if not prob and kind == 2 else None,
        method=str(raw["method"]),
    )


@dataclass(frozen=True)
class Calendar:
    """The result of :func:`calendar`. ``table`` by ``year``: the ``phased_cut`` applied (fraction of the base
    rates) and the review ``rate_multiplier`` in force with the rules, ``effective_factor`` = rate_multiplier ×
    (1 − phased_cut) (the rules' factor on every contribution rate), ``cut_change`` / ``review_change`` (the rule
    changed the rate that year: the cut or the multiplier differs from the year before; the first year is compared
    with the base year's cut and a multiplier of 1), ``months_of_payment`` with the rules and
    ``months_without`` with both switched off (no phased cut, no rate review). ``changes``: the rows where a rule
    changed the rate."""

    table: pd.DataFrame

    @property
    def changes(self) -> pd.DataFrame:
        t = self.table
        return t[t["cut_change"] | t["review_change"]]

    def plot(self, ax: Any = None) -> Any:
        """Months of payment with and without the rules, the years in which a rule changed the rate marked. Draws
        on ``ax`` (or new pyplot Axes in the current backend; the backend is never changed) and returns the Axes."""
        from wifund import _plot

        (axes,) = _plot.user_axes("Calendar.plot", ax, 1, (6.5, 3.5))
        t = self.table
        axes.plot(t["year"], t["months_of_payment"], color="#4c72b0", label="with the cut / review")
        axes.plot(t["year"], t["months_without"], color="#999999", linestyle="--", label="without")
        ch = self.changes
        axes.scatter(ch["year"], ch["months_of_payment"], color="#dd8452", zorder=3, label="rate changed")
        axes.set_ylabel(_plot.label("累计结余可支付月数", "months of payment"), **_plot.text_kw())
        axes.legend(**_plot.legend_kw())
        return axes


def calendar(
    province: Any,
    policy: Any = None,
    assumptions: Any = None,
    *,
    years: int = 30,
    rate_review: Mapping[str, Any] | bool | None = None,
) -> Calendar:
    """The years in which the phased cut (人社部发〔2018〕25号 … 〔2023〕19号 and provincial cuts) or the 以支定收 rate
    review (条例 Art. 8; ``rate_review`` as for :func:`wifund.project`) changes the contribution rate under the
    assumptions, and the months-of-payment path with and without them (:class:`Calendar`). The path without is
    the same context with every year's cut set to 0 and the review switched off (one C++ run each)."""
    from wifund._bridge import build_scenario, projection_years
    from wifund.projection import project

    who = "calendar"
    pol, a = _setup(who, province, policy, assumptions)
    years = check_int(f"{who}: years", years, 1, 50)
    proj = project(province, pol, a, years=years, rate_review=rate_review)
    ys = projection_years(province, years)
    off = build_scenario(province, a, ys, rate_review=_core.policy.RateReviewRule())
    off.override_rate_review = True  # an inactive rule replaces the policy's: no review
    without = _core.ratesetting.evaluate(proj.context, off, LEVERS.index("cut_depth"), 0, -1, [math.nan] * 9, 0.0)
    fund = proj.fund
    cut = fund["phased_cut"].to_numpy(dtype=np.float64)
    mult = fund["rate_multiplier"].to_numpy(dtype=np.float64)
    base_cut = province.base_year_data.phased_cut
    prev_cut = np.concatenate([[0.0 if base_cut is None else float(base_cut)], cut[:-1]])
    prev_mult = np.concatenate([[1.0], mult[:-1]])
    table = pd.DataFrame(
        {
            "year": np.asarray(ys, dtype=np.int64),
            "phased_cut": cut,
            "rate_multiplier": mult,
            "effective_factor": mult * (1 - cut),
            "cut_change": cut != prev_cut,
            "review_change": mult != prev_mult,
            "months_of_payment": fund["months_of_payment"].to_numpy(dtype=np.float64),
            "months_without": np.asarray(without["months_of_payment"], dtype=np.float64),
        }
    )
    return Calendar(table=table)
