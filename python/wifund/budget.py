"""The budget cycle: drafting, execution monitoring, variance decomposition, responsibility sharing, assessment.

>>> import wifund
>>> draft = wifund.budget.draft(wifund.Province.demo(), year=2025)             # doctest: +SKIP
>>> budget = wifund.budget.Budget.from_frame(approved)                        # doctest: +SKIP
>>> table = wifund.budget.monitor(budget, actuals, as_of=6)                   # doctest: +SKIP
>>> parts = wifund.budget.decompose(budget_inputs, actual_inputs)             # doctest: +SKIP
>>> shares = wifund.budget.share_shortfall(frame, rule="ningxia")             # doctest: +SKIP
>>> scores = wifund.budget.assess(indicators)                                 # doctest: +SKIP

Data come in the long schema shared with :mod:`wifund.io`: columns ``city`` (str), ``year`` (int),
``month`` (int 1..12), ``line`` (str, a key of :func:`line_items`), ``value`` (float, yuan); validated by
:func:`check_actuals`. The computations that scale with cities x lines x months x years (the execution
sums and the outturn, the Shapley / LMDI decomposition, the banded sharing rule) run in C++
(``include/wifund/budget/``, ``wifund._core.budget``); this module checks inputs and labels results.

Conventions
-----------
* Amounts are yuan; rates are fractions (``progress`` 0.5 = 50 %).
* A (city, line, month) absent from the actuals of a month the city reported is 0 (long data omit
  zero rows); a month the city did not report at all is an error.
* A ratio whose denominator is 0 is NaN **with a note** in the ``note`` column (a city without a fiscal
  subsidy budget has no progress rate on that line); functions that need the rate raise instead.
* Qualitative adjustments (定性调整) are explicit records kept by :meth:`Budget.adjust` and shown beside
  the figures they change (``adjustment``, ``adjustment_note``).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import html
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd

from . import _bridge, _core
from . import io as _lines
from ._checks import (
    InputTypeError,
    check_bool,
    check_choice,
    check_fraction,
    check_int,
    check_keys,
    check_number,
    check_shares,
    check_type,
    show,
    suggest,
)

__all__ = [
    "PROVINCE",
    "line_items",
    "check_actuals",
    "Adjustment",
    "Budget",
    "draft",
    "projection_lines",
    "seasonal_pattern",
    "PROVINCIAL_LEVEL",
    "CARRIED_LINES",
    "monitor",
    "PaymentLadder",
    "payment_ladder",
    "decompose",
    "SharingRule",
    "RULES",
    "share_shortfall",
    "INDICATORS",
    "assess",
]

#: The label of the province (the sum of the cities) in every result.
PROVINCE = "(province)"
REVENUE_LINES: tuple[str, ...] = _lines.REVENUE_LINES
TOTALS: tuple[str, str] = ("revenue", "expenditure")


def line_items() -> tuple[list[str], list[str]]:
    """The budget's line keys: ``(revenue lines, expenditure lines)``, without the two totals.

    The expenditure lines are the projection's expenditure items (``_core.axes.expenditure_items``, the
    engine's axis) followed by ``transfer_out`` and ``other_expenditure``, as defined once in
    :mod:`wifund.io`. Every function of this module gets its lines from here.
    """
    return list(REVENUE_LINES), list(_lines.EXPENDITURE_LINES)


def _all_lines() -> tuple[list[str], np.ndarray]:
    rev, exp = line_items()
    return rev + exp, np.array([0] * len(rev) + [1] * len(exp), dtype=np.int32)


# ------------------------------------------------------------------------------------------------
# Frame checks (one place; messages name the field, the row's city / year / month / line and the value)
# ------------------------------------------------------------------------------------------------
_KEY_COLS = ("city", "year", "month", "line")


def _where(frame: pd.DataFrame, i: int) -> str:
    parts = []
    for c in _KEY_COLS:
        if c in frame.columns:
            v = frame[c].iloc[i]
            parts.append(f"{c} {v!r}" if isinstance(v, str) else f"{c} {show(v)}")
    return "for " + ", ".join(parts) if parts else f"in row {i}"


def _require_frame(fn: str, name: str, frame: Any, required: Sequence[str]) -> pd.DataFrame:
    check_type(f"{fn}: {name}", frame, pd.DataFrame, "a pandas DataFrame")
    missing = [c for c in required if c not in frame.columns]
    if missing:
        hint = suggest(missing[0], [str(c) for c in frame.columns])
        raise ValueError(
            f"{fn}: {name} lacks column(s) {missing}{hint} (it has {[str(c) for c in frame.columns]}; "
            f"required: {list(required)})"
        )
    if len(frame) == 0:
        raise ValueError(f"{fn}: {name} is empty (no rows)")
    return frame.reset_index(drop=True)


def _text_column(fn: str, frame: pd.DataFrame, col: str) -> np.ndarray:
    """A column of non-empty strings as an object array of Python str; checked on its distinct values
    (a province's actuals repeat a hundred city names over hundreds of thousands of rows)."""
    codes, uniques = pd.factorize(frame[col], use_na_sentinel=True)
    uniq = np.asarray(uniques, dtype=object)
    bad = [k for k, v in enumerate(uniq) if not isinstance(v, str) or not v.strip()]
    if bad or (codes < 0).any():
        mask = (codes < 0) | np.isin(codes, bad)
        i = int(np.argmax(mask))
        v = frame[col].iloc[i]
        raise InputTypeError(f"{fn}: {col} {_where(frame, i)} = {show(v)}: must be a non-empty string")
    return cast("np.ndarray", np.array([str(v) for v in uniq], dtype=object)[codes])


def _int_column(fn: str, frame: pd.DataFrame, col: str, lo: int | None = None, hi: int | None = None) -> np.ndarray:
    s = frame[col]
    if pd.api.types.is_bool_dtype(s):
        raise InputTypeError(f"{fn}: {col} {_where(frame, 0)} = {show(s.iloc[0])}: must be an integer, not bool")
    if pd.api.types.is_integer_dtype(s):
        arr = s.to_numpy(dtype=np.int64)
    else:
        num = pd.to_numeric(s, errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(num) | (num != np.round(num))
        bad |= np.array([isinstance(v, (bool, np.bool_)) for v in s.to_numpy(dtype=object)], dtype=bool)
        if bad.any():
            i = int(np.argmax(bad))
            raise InputTypeError(f"{fn}: {col} {_where(frame, i)} = {show(s.iloc[i])}: must be an integer")
        arr = num.astype(np.int64)
    mask = np.zeros(len(arr), dtype=bool)
    if lo is not None:
        mask |= arr < lo
    if hi is not None:
        mask |= arr > hi
    if mask.any():
        i = int(np.argmax(mask))
        raise ValueError(
            f"{fn}: {col} {_where(frame, i)} = {show(s.iloc[i])}: must be an integer from {lo} to {hi}"
            if lo is not None and hi is not None
            else f"{fn}: {col} {_where(frame, i)} = {show(s.iloc[i])}: must be >= {lo}"
        )
    return cast("np.ndarray", arr)


def _num_column(fn: str, frame: pd.DataFrame, col: str, lo: float | None = None, what: str = "") -> np.ndarray:
    """A finite float column (no bool, no text, no NaN), >= lo when given; the first bad row is named."""
    s = frame[col]
    if pd.api.types.is_bool_dtype(s):
        raise InputTypeError(f"{fn}: {col} {_where(frame, 0)} = {show(s.iloc[0])}: must be a number, not bool")
    if pd.api.types.is_numeric_dtype(s):
        arr = s.to_numpy(dtype=float)
        bad_type = np.zeros(len(arr), dtype=bool)
    else:
        raw = s.to_numpy(dtype=object)
        bad_type = np.array([isinstance(v, (bool, np.bool_, str, bytes)) or v is None for v in raw], dtype=bool)
        arr = pd.to_numeric(s.where(~bad_type, np.nan), errors="coerce").to_numpy(dtype=float)
        bad_type |= np.isnan(arr) & ~pd.isna(s).to_numpy()
    if bad_type.any():
        i = int(np.argmax(bad_type))
        raise InputTypeError(f"{fn}: {col} {_where(frame, i)} = {show(s.iloc[i])}: must be a number")
    checks = [(np.isnan(arr), "must be a number (NaN is not allowed)"), (np.isinf(arr), "must be finite")]
    if lo is not None:
        checks.append((arr < lo, f"must be >= {lo:g}{what}"))
    for mask, rule in checks:
        if mask is not None and mask.any():
            i = int(np.argmax(mask))
            raise ValueError(f"{fn}: {col} {_where(frame, i)} = {show(s.iloc[i])}: {rule}")
    return cast("np.ndarray", arr)


def _line_column(fn: str, frame: pd.DataFrame, known: Sequence[str]) -> np.ndarray:
    lines = _text_column(fn, frame, "line")
    known_set = set(known)
    uniq = pd.unique(lines)
    for u in uniq:
        if u not in known_set:
            i = int(np.argmax(lines == u))
            extra = (
                " is a computed total; give its lines instead"
                if u in TOTALS
                else f" is not a budget line{suggest(u, known)}"
            )
            raise ValueError(f"{fn}: line {_where(frame, i)} = {u!r}{extra} (known lines: {list(known)})")
    return lines


def _no_duplicates(fn: str, frame: pd.DataFrame, cols: Sequence[str], what: str) -> None:
    dup = frame.duplicated(subset=list(cols), keep=False).to_numpy()
    if dup.any():
        i = int(np.argmax(dup))
        raise ValueError(
            f"{fn}: {what} {_where(frame, i)} appears {int(dup.sum())} times in total among "
            f"duplicated keys; each ({', '.join(cols)}) must appear once"
        )


def check_actuals(frame: pd.DataFrame) -> pd.DataFrame:
    """Validates monthly actuals in the long schema for the budget functions and returns them canonical.

    This is :func:`wifund.io.check_actuals` with ``budget=True`` (one check of the long schema): columns
    ``city`` (non-empty str, not ``"(province)"``), ``year`` (int), ``month`` (int 1..12), ``line`` (a key
    of :func:`line_items`; the totals ``revenue`` / ``expenditure`` are computed, not given), ``value``
    (finite number, yuan; negative values — refunds, corrections — are allowed).

    Returns
    -------
    pandas.DataFrame
        The five columns with dtypes str, int64, int64, str, float64, sorted by (city, year, month, line).

    Raises
    ------
    ValueError
        Naming the field, the city / year / month / line and the value: a missing column, a non-integer
        or out-of-range month, an unknown line, a non-numeric, NaN or infinite value, a duplicated
        (city, year, month, line), or a month missing inside a city's year (months present must run
        1, 2, ..., n without a hole). ``InputTypeError`` (a ``ValueError``) for wrong types.
    """
    return _lines.check_actuals(frame, "check_actuals: actuals", budget=True)


# ------------------------------------------------------------------------------------------------
# Budget
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Adjustment:
    """A qualitative adjustment (定性调整) of a budget figure: who changed which line, by how much, why."""

    line: str
    city: str | None  #: None: every city
    amount: float | None  #: yuan added to the annual figure (phased like the line)
    factor: float | None  #: or a multiplier of the annual figure
    reason: str
    author: str

    def note(self) -> str:
        change = f"{self.amount:+,.0f} yuan" if self.amount is not None else f"x{self.factor:g}"
        return f"{change}: {self.reason} ({self.author})"


class Budget:
    """An approved budget by city x line x month for one year, with its qualitative adjustments.

    Build one with :meth:`from_frame`; :meth:`adjust` returns a new budget with one more adjustment
    record. ``annual`` is the budget as approved, ``adjusted`` after the adjustments.
    """

    def __init__(
        self,
        year: int,
        cities: Sequence[str],
        monthly: np.ndarray,
        lines_present: Sequence[str],
        adjustments: Sequence[Adjustment] = (),
        basis: pd.DataFrame | None = None,
    ) -> None:
        self.year = int(year)
        #: For a :func:`draft`: how each unit's figures were made (prior-year execution, targets), else None.
        self.basis = basis
        self.cities = list(cities)
        self.lines, self._kind = _all_lines()
        self._monthly = np.array(monthly, dtype=float)  # as approved, [C, L, 12]
        self.lines_present = [ln for ln in self.lines if ln in set(lines_present)]
        self.adjustments: tuple[Adjustment, ...] = tuple(adjustments)
        self._adjusted = self._apply(self._monthly, self.adjustments)

    # -- construction ------------------------------------------------------------------------------
    @classmethod
    def from_frame(
        cls, frame: pd.DataFrame, pattern: Sequence[float] | Mapping[str, Sequence[float]] | None = None
    ) -> Budget:
        """A budget approved elsewhere, in the long schema.

        Parameters
        ----------
        frame : pandas.DataFrame
            Columns ``city``, ``year`` (one year), ``line``, ``value`` (finite, >= 0, yuan) and optionally
            ``month`` (1..12, for every row or none). Without months the values are annual and are
            phased by ``pattern``; with months every (city, line) given must have all 12 months. A line
            a city does not list is 0 for that city.
        pattern : sequence of 12 shares, or mapping line -> 12 shares, optional
            The monthly phasing of annual figures (shares summing to 1). Default: twelve equal months.
            Lines absent from a mapping are phased evenly.

        Returns
        -------
        Budget
        """
        fn = "Budget.from_frame"
        frame = _require_frame(fn, "frame", frame, ("city", "year", "line", "value"))
        lines, _ = _all_lines()
        city = _text_column(fn, frame, "city")
        if (city == PROVINCE).any():
            raise ValueError(f"{fn}: city = {PROVINCE!r} is reserved for the province total, which is computed")
        year = _int_column(fn, frame, "year", 1900, 2200)
        years = sorted(set(year.tolist()))
        if len(years) != 1:
            raise ValueError(f"{fn}: year = {years}: a Budget holds one year; select one (frame[frame.year == y])")
        line = _line_column(fn, frame, lines)
        value = _num_column(fn, frame, "value", 0.0, " (a budget is not negative)")
        cities = list(pd.unique(city))
        ci = {c: i for i, c in enumerate(cities)}
        li = {ln: i for i, ln in enumerate(lines)}
        ic = np.array([ci[c] for c in city], dtype=np.int64)
        il = np.array([li[ln] for ln in line], dtype=np.int64)
        monthly = np.zeros((len(cities), len(lines), 12))
        has_month = "month" in frame.columns and frame["month"].notna().any()
        if has_month:
            if frame["month"].isna().any():
                i = int(np.argmax(frame["month"].isna().to_numpy()))
                raise ValueError(f"{fn}: month {_where(frame, i)} = nan: give a month for every row or for none")
            month = _int_column(fn, frame, "month", 1, 12)
            tmp = pd.DataFrame({"city": city, "month": month, "line": line})
            _no_duplicates(fn, tmp, ("city", "line", "month"), "row")
            counts = tmp.groupby(["city", "line"], sort=False).size()
            short = counts[counts != 12]
            if len(short):
                (c, ln), n = next(iter(short.items()))
                got = sorted(tmp.loc[(tmp.city == c) & (tmp.line == ln), "month"].tolist())
                miss = [m for m in range(1, 13) if m not in got]
                raise ValueError(
                    f"{fn}: month for city {c!r}, line {ln!r} = {miss[0]} is missing ({n} of 12 months "
                    f"given); a monthly budget needs all 12 months"
                )
            np.add.at(monthly, (ic, il, month - 1), value)
        else:
            tmp = pd.DataFrame({"city": city, "line": line})
            _no_duplicates(fn, tmp, ("city", "line"), "row")
            shares = cls._pattern(fn, pattern, lines)
            annual = np.zeros((len(cities), len(lines)))
            annual[ic, il] = value
            monthly = annual[:, :, None] * shares[None, :, :]
        return cls(years[0], cities, monthly, sorted(set(line)))

    @staticmethod
    def _pattern(fn: str, pattern: Any, lines: list[str]) -> np.ndarray:
        """[L, 12] monthly shares."""
        even = np.full(12, 1.0 / 12.0)
        out = np.tile(even, (len(lines), 1))
        if pattern is None:
            return out
        if isinstance(pattern, Mapping):
            check_keys(f"{fn}: pattern", pattern.keys(), lines, "line")
            for k, v in pattern.items():
                out[lines.index(k)] = check_shares(f"{fn}: pattern", v, 12, 1.0, f"for line {k!r}", tol=1e-9)
            return out
        shares = check_shares(f"{fn}: pattern", pattern, 12, 1.0, tol=1e-9)
        return np.tile(np.asarray(shares), (len(lines), 1))

    # -- adjustments -------------------------------------------------------------------------------
    def _apply(self, monthly: np.ndarray, records: Sequence[Adjustment]) -> np.ndarray:
        out = monthly.copy()
        for r in records:
            ln = self.lines.index(r.line)
            cs = range(len(self.cities)) if r.city is None else [self.cities.index(r.city)]
            for c in cs:
                if r.factor is not None:
                    out[c, ln] *= r.factor
                else:
                    row = out[c, ln]
                    tot = row.sum()
                    shares = row / tot if tot > 0 else np.full(12, 1.0 / 12.0)
                    out[c, ln] = row + r.amount * shares
        return out

    def adjust(
        self,
        line: str,
        city: str | None = None,
        *,
        amount: float | None = None,
        factor: float | None = None,
        reason: str,
        author: str,
    ) -> Budget:
        """A new budget with one qualitative adjustment (定性调整) applied and recorded.

        Parameters
        ----------
        line : str
            The line changed (not a total).
        city : str or None
            The city; ``None`` applies a ``factor`` to every city (an ``amount`` needs a city).
        amount : float, optional
            Yuan added to the annual figure, phased like the line's months (evenly if the line is 0).
        factor : float, optional
            Or a multiplier (>= 0) of the annual figure. Exactly one of ``amount`` and ``factor``.
        reason, author : str
            Why and by whom; both required and shown beside the figure in every output.

        Returns
        -------
        Budget
            The original figures stay in ``annual``; ``adjusted`` holds the new ones; ``adjustments``
            lists every record.
        """
        fn = "Budget.adjust"
        lines, _ = _all_lines()
        check_type(f"{fn}: line", line, str, "a line name")
        if line not in lines:
            raise ValueError(
                f"{fn}: line = {line!r}: "
                + (
                    "is a computed total; adjust its lines"
                    if line in TOTALS
                    else f"is not a budget line{suggest(line, lines)}"
                )
            )
        if city is not None:
            check_type(f"{fn}: city", city, str, "a city name")
            if city not in self.cities:
                raise ValueError(
                    f"{fn}: city = {city!r}: is not in the budget{suggest(city, self.cities)} (cities: {self.cities})"
                )
        if (amount is None) == (factor is None):
            raise ValueError(f"{fn}: amount = {show(amount)}, factor = {show(factor)}: give exactly one of them")
        if amount is not None:
            amount = check_number(f"{fn}: amount", amount)
            if city is None:
                raise ValueError(
                    f"{fn}: city = None with amount = {show(amount)}: an amount needs a city "
                    "(use factor= to change every city)"
                )
        if factor is not None:
            factor = check_number(f"{fn}: factor", factor, 0.0)
        for name, text in (("reason", reason), ("author", author)):
            check_type(f"{fn}: {name}", text, str, "a string")
            if not text.strip():
                raise ValueError(f"{fn}: {name} = {text!r}: must not be empty (an adjustment must say why and who)")
        rec = Adjustment(line, city, amount, factor, reason.strip(), author.strip())
        new = self._apply(self._adjusted, [rec])
        neg = new.sum(axis=2) < -1e-9 * max(1.0, float(np.abs(self._adjusted).sum()))
        if neg.any():
            c = int(np.argwhere(neg)[0][0])
            raise ValueError(
                f"{fn}: amount = {show(amount)} for city {self.cities[c]!r}, line {line!r}: the adjusted "
                f"budget {new[c, lines.index(line)].sum():,.2f} would be negative"
            )
        present = set(self.lines_present) | {line}
        return Budget(self.year, self.cities, self._monthly, list(present), self.adjustments + (rec,), self.basis)

    # -- views -------------------------------------------------------------------------------------
    def _frame(self, arr: np.ndarray) -> pd.DataFrame:
        df = pd.DataFrame(arr.sum(axis=2), index=pd.Index(self.cities, name="city"), columns=self.lines)
        return df[self.lines_present]

    @property
    def annual(self) -> pd.DataFrame:
        """Annual budget as approved, city x line (lines present in the budget)."""
        return self._frame(self._monthly)

    @property
    def adjusted(self) -> pd.DataFrame:
        """Annual budget after the adjustments, city x line."""
        return self._frame(self._adjusted)

    def monthly(self, adjusted: bool = True) -> pd.DataFrame:
        """The phased budget in the long schema (city, year, month, line, value)."""
        check_bool("Budget.monthly: adjusted", adjusted)
        arr = self._adjusted if adjusted else self._monthly
        keep = [self.lines.index(ln) for ln in self.lines_present]
        C, L = len(self.cities), len(keep)
        sub = arr[:, keep, :]
        return pd.DataFrame(
            {
                "city": np.repeat(self.cities, L * 12),
                "year": self.year,
                "month": np.tile(np.arange(1, 13), C * L),
                "line": np.tile(np.repeat(self.lines_present, 12), C),
                "value": sub.reshape(-1),
            }
        )

    def adjustment_table(self) -> pd.DataFrame:
        """Every adjustment record, in the order applied."""
        return pd.DataFrame(
            [dataclasses.asdict(a) for a in self.adjustments],
            columns=["line", "city", "amount", "factor", "reason", "author"],
        )

    def _notes(self, city: str | None, lines: set[str]) -> str:
        return "; ".join(
            a.note() + ("" if city is not None or a.city is None else f" [{a.city}]")
            for a in self.adjustments
            if a.line in lines and (city is None or a.city in (None, city))
        )

    def __repr__(self) -> str:
        tot = self.adjusted.sum()
        rev, exp = line_items()
        return (
            f"Budget({self.year}: {len(self.cities)} cities, {len(self.lines_present)} lines, revenue "
            f"{tot[[ln for ln in rev if ln in tot.index]].sum():,.0f}, expenditure "
            f"{tot[[ln for ln in exp if ln in tot.index]].sum():,.0f} yuan, {len(self.adjustments)} adjustments)"
        )

    def _repr_html_(self) -> str:
        head = f"<p><b>{html.escape(repr(self))}</b></p>"
        body = self.adjusted.to_html(float_format=lambda x: f"{x:,.0f}")
        if self.adjustments:
            body += "<p>Adjustments (定性调整)</p>" + self.adjustment_table().to_html(index=False)
        return cast(str, head + body)


# ------------------------------------------------------------------------------------------------
# Budget draft (issue #10 item 1; 吉政发〔2020〕20号 §三(三): 定量分析、定性调整)
# ------------------------------------------------------------------------------------------------
#: The budget unit of the provincial-level items (interest, other income, fiscal subsidy, prevention,
#: major accidents, advance repayment), as in :attr:`wifund.projection.Projection.by_city`.
PROVINCIAL_LEVEL = "(provincial level)"
#: Lines the engine does not model: drafted at their prior-year actual (0 without prior actuals).
CARRIED_LINES: tuple[str, ...] = ("transfer_in", "remittance_in", "transfer_out", "other_expenditure")


def projection_lines(raw: Mapping[str, Any], j: int) -> np.ndarray:
    """The engine's flows of year index ``j`` of a raw projection (``_core.fund.project``) as budget lines:
    an array [units, lines] (units: the cities, then the provincial level; lines: :func:`line_items`).

    ``contributions`` = the engine's contributions + project premiums, ``fiscal_subsidy`` = its fiscal
    advance (条例 Art. 13), ``interest`` and ``other_income`` as they are, each expenditure item as its
    line; the lines the engine does not model (:data:`CARRIED_LINES`) are 0."""
    lines, _ = _all_lines()
    li = {ln: i for i, ln in enumerate(lines)}
    rev = np.asarray(raw["city_revenue"], dtype=float)[:, j, :]
    exp = np.asarray(raw["city_expenditure"], dtype=float)[:, j, :]
    ri = {k: i for i, k in enumerate(_core.axes.revenue_items)}
    out = np.zeros((rev.shape[0], len(lines)))
    out[:, li["contributions"]] = rev[:, ri["contributions"]] + rev[:, ri["project_premiums"]]
    out[:, li["interest"]] = rev[:, ri["interest"]]
    out[:, li["other_income"]] = rev[:, ri["other_income"]]
    out[:, li["fiscal_subsidy"]] = rev[:, ri["fiscal_advance"]]
    for k, item in enumerate(_core.axes.expenditure_items):
        out[:, li[item]] = exp[:, k]
    return out


def seasonal_pattern(actuals: pd.DataFrame, units: Sequence[str]) -> np.ndarray:
    """Monthly shares [units, lines, 12] from the complete years (12 months) of checked actuals: per unit and
    line the months' sum over the years divided by the years' total; a unit's line with no positive total
    (or a negative month) takes the line's pattern over all units, and failing that twelve equal months."""
    lines, _ = _all_lines()
    U, L = len(units), len(lines)
    full = actuals.groupby(["city", "year"])["month"].transform("max") == 12
    act = actuals[full & actuals["city"].isin(list(units))]
    sums = np.zeros((U, L, 12))
    if len(act):
        iu = pd.Index(list(units)).get_indexer(act["city"])
        il = pd.Index(lines).get_indexer(act["line"])
        np.add.at(sums, (iu, il, act["month"].to_numpy() - 1), act["value"].to_numpy())
    even = np.full(12, 1.0 / 12.0)

    def shares(v: np.ndarray) -> np.ndarray | None:
        tot = float(v.sum())
        return v / tot if tot > 0 and (v >= 0).all() else None

    out = np.empty((U, L, 12))
    for ln in range(L):
        pooled = shares(sums[:, ln, :].sum(axis=0))
        fallback = even if pooled is None else pooled
        for u in range(U):
            own = shares(sums[u, ln])
            out[u, ln] = fallback if own is None else own
    return out


def _check_targets(fn: str, targets: Any, cities: list[str]) -> pd.DataFrame:
    """``targets``: one row per city with ``contributions`` (yuan) and / or ``insured`` (persons)."""
    if isinstance(targets, Mapping):
        check_keys(f"{fn}: targets", targets.keys(), cities, "city")
        targets = pd.DataFrame({"city": list(targets.keys()), "contributions": list(targets.values())})
    frame = _require_frame(fn, "targets", targets, ("city",))
    cols = [c for c in ("contributions", "insured") if c in frame.columns]
    extra = [str(c) for c in frame.columns if c not in ("city", "contributions", "insured")]
    if not cols or extra:
        bad = extra[0] if extra else "(none)"
        raise ValueError(
            f"{fn}: targets column = {bad!r}{suggest(bad, ['contributions', 'insured']) if extra else ''}: targets "
            "take 'city' and one or both of 'contributions' (the tax bureau's target, yuan) and 'insured' "
            "(the coverage-plan target, persons)"
        )
    city = _text_column(fn, frame, "city")
    for i, c in enumerate(city):
        if c not in cities:
            raise ValueError(
                f"{fn}: targets city = {c!r} (row {i}) is not a city of the province{suggest(c, cities)} "
                f"(cities: {cities})"
            )
    out = pd.DataFrame({"city": city})
    _no_duplicates(fn, out, ("city",), "targets row")
    for c in cols:
        what = " (a contribution target is not negative)" if c == "contributions" else " (a headcount target)"
        given = frame[c].notna().to_numpy() | frame[c].map(lambda v: isinstance(v, str)).to_numpy()
        vals = np.full(len(frame), np.nan)
        if given.any():  # an empty cell (NaN) is "no target for this city"; text, inf and negatives are errors
            vals[given] = _num_column(fn, frame.loc[given].reset_index(drop=True), c, 0.0, what)
        out[c] = vals
        if c == "insured" and (out[c] <= 0).any():
            i = int(np.argmax((out[c] <= 0).to_numpy()))
            raise ValueError(f"{fn}: targets insured for city {out['city'].iloc[i]!r} = 0: must be > 0 persons")
    return out


def _as_adjustment(fn: str, i: int, a: Any) -> Adjustment:
    if isinstance(a, Adjustment):
        return a
    check_type(f"{fn}: adjustments[{i}]", a, Mapping, "an Adjustment or a mapping (line, city, amount|factor, ...)")
    check_keys(f"{fn}: adjustments[{i}]", a.keys(), [f.name for f in dataclasses.fields(Adjustment)], "field")
    missing = [k for k in ("line", "reason", "author") if k not in a]
    if missing:
        raise ValueError(f"{fn}: adjustments[{i}] lacks {missing}: an adjustment needs line, reason and author")
    return Adjustment(a["line"], a.get("city"), a.get("amount"), a.get("factor"), a["reason"], a["author"])


def draft(
    province: Any,
    policy: Any = None,
    year: int | None = None,
    assumptions: Any = None,
    prior_actuals: pd.DataFrame | None = None,
    targets: pd.DataFrame | Mapping[str, float] | None = None,
    adjustments: Sequence[Adjustment | Mapping[str, Any]] | None = None,
) -> Budget:
    """Drafts the province's budget for ``year`` by city x line x month (定量分析, then 定性调整).

    The quantitative draft is the projection engine's year ``year`` started from the last actual year end
    (``_core.fund.year_end_state`` / ``project(..., actuals=)``), with the inputs 吉政发〔2020〕20号 §三(三)
    names: the prior-year execution (``prior_actuals``), the rate policy of ``year`` (``policy``, e.g. a
    rate cut), wage growth, employment and coverage growth (``assumptions``), coverage-plan and collection
    targets (``targets``).

    Parameters
    ----------
    province : wifund.Province
    policy : wifund.Policy, packaged name or TOML path, optional
        Default: the province's ``default_policy``.
    year : int
        The budget year, after the province's base year; with ``prior_actuals``, the year after their last.
    assumptions : wifund.Assumptions, optional
        Default :meth:`Assumptions.default`.
    prior_actuals : pandas.DataFrame, optional
        Monthly actuals (long schema, :func:`check_actuals`) ending with the 12 months of ``year - 1`` for
        every city (the provincial level ``"(provincial level)"`` optional). When ``year - 1`` is after the
        base year the year-end state takes from them: the balance (the projected opening of the first
        actual year plus the actual revenue less expenditure of each actual year, projected years in
        between), the year's expenditure and contributions (months of payment, the prevention cap), and
        each city's insured scaled by its contribution execution (actual / projected contributions of
        ``year - 1``: collection results and headcount). Always: the lines the engine does not model
        (:data:`CARRIED_LINES`) at their ``year - 1`` actual, and the monthly phasing from the seasonal
        pattern of the complete years (:func:`seasonal_pattern`). Without them: the projection from the
        base data, even months, carried lines 0.
    targets : pandas.DataFrame or mapping city -> yuan, optional
        One row per city: ``contributions`` (the tax bureau's contribution target, yuan; replaces the
        city's computed contributions) and / or ``insured`` (the coverage-plan target of average insured in
        ``year``, persons; the city's insured at the start are rescaled so that the engine's insured of
        ``year`` equal it, and contributions and benefits follow). An empty cell is no target for that city.
        A mapping gives contribution targets.
    adjustments : sequence of Adjustment or mappings, optional
        Qualitative adjustments applied in order after the quantitative draft (:meth:`Budget.adjust`).

    Returns
    -------
    Budget
        Units: the cities, then ``"(provincial level)"``; every line of :func:`line_items`. ``basis`` is a
        frame by unit of how the figures were made: ``execution_ratio``, ``prior_contributions``,
        ``prior_projected``, ``engine_contributions``, ``insured_target``, ``engine_insured``,
        ``contributions_target``, ``contributions_source``.

    Raises
    ------
    ValueError
        Naming the argument and value: a year not after the base year or not following the actuals,
        incomplete actuals for ``year - 1``, a city of the actuals or targets that is not in the province,
        a negative or zero target, an unknown line or city in an adjustment.
    """
    from .assumptions import Assumptions
    from .policy import Policy
    from .province import Province

    fn = "draft"
    check_type(f"{fn}: province", province, Province, "a wifund.Province")
    if policy is None:
        policy = province.default_policy
    if not isinstance(policy, Policy):
        check_type(f"{fn}: policy", policy, (str, Path), "a wifund.Policy, a packaged policy name or a TOML path")
        policy = Policy.load(policy)
    assumptions = Assumptions.default() if assumptions is None else assumptions
    check_type(f"{fn}: assumptions", assumptions, Assumptions, "a wifund.Assumptions or None")
    base = int(province.base_year)
    if year is None:
        raise ValueError(f"{fn}: year = None: give the budget year (after the base year {base})")
    year = check_int(f"{fn}: year", year, base + 1, base + 50)
    cities = list(province.city_names)
    units = cities + [PROVINCIAL_LEVEL]
    lines, _ = _all_lines()
    li = {ln: i for i, ln in enumerate(lines)}
    act = None
    if prior_actuals is not None:
        act = check_actuals(prior_actuals)
        last = int(act["year"].max())
        if last != year - 1:
            raise ValueError(
                f"{fn}: year = {year} does not follow the actuals: their last year is {last}; draft {last + 1} "
                f"from them, or give the actuals of {year - 1}"
            )
        unknown = sorted(set(act["city"]) - set(units))
        if unknown:
            raise ValueError(
                f"{fn}: prior_actuals city = {unknown[0]!r} is not a city of the province"
                f"{suggest(unknown[0], units)} (cities: {units})"
            )
        got = act[act["year"] == year - 1].groupby("city")["month"].max()
        for c in cities:
            if int(got.get(c, 0)) != 12:
                raise ValueError(
                    f"{fn}: prior_actuals for city {c!r}, year {year - 1}: month {int(got.get(c, 0)) + 1} is "
                    f"missing; the draft needs the 12 months of {year - 1} for every city"
                )
    tgt = None if targets is None else _check_targets(fn, targets, cities)
    recs = [_as_adjustment(fn, i, a) for i, a in enumerate(adjustments or ())]

    total = year - base
    ctx, sc, _ = _bridge.build_context(province, policy, assumptions, total)
    state = _core.fund.year_end_state(ctx, sc, year - 1)
    U = len(units)
    ratio = np.ones(U)
    prior = np.full(U, np.nan)
    prior_proj = np.full(U, np.nan)
    carried = np.zeros((U, len(lines)))
    if act is not None:
        cube = np.zeros((U, len(lines)))
        last_year = act[act["year"] == year - 1]
        np.add.at(
            cube,
            (pd.Index(units).get_indexer(last_year["city"]), pd.Index(lines).get_indexer(last_year["line"])),
            last_year["value"].to_numpy(),
        )
        has_unit = np.isin(units, last_year["city"].unique())
        for ln in CARRIED_LINES:
            carried[:, li[ln]] = cube[:, li[ln]]
        prior = np.where(has_unit, cube[:, li["contributions"]], np.nan)
        if year - 1 > base:
            whole = _core.fund.project(ctx, sc)
            j_last = year - 1 - base - 1
            proj = projection_lines(whole, j_last)
            prior_proj = proj[:, li["contributions"]]
            kind = _all_lines()[1]
            rev_k, exp_k = kind == 0, kind == 1
            # Balance: the projected opening of the first actual year, then actual (or projected) nets.
            first = max(int(act["year"].min()), base + 1)
            balance = float(np.asarray(whole["opening"])[first - base - 1])
            for y in range(first, year):
                jy = y - base - 1
                flows = projection_lines(whole, jy)
                ya = act[act["year"] == y]
                cy = np.zeros((U, len(lines)))
                np.add.at(
                    cy,
                    (pd.Index(units).get_indexer(ya["city"]), pd.Index(lines).get_indexer(ya["line"])),
                    ya["value"].to_numpy(),
                )
                reported = np.isin(units, ya["city"].unique())
                flows[reported] = cy[reported]
                balance += float(flows[:, rev_k].sum() - flows[:, exp_k].sum())
            full = np.where(has_unit[:, None], cube, proj)
            state.balance = balance
            state.expenditure = float(full[:, exp_k].sum())
            state.contributions = float(full[:, li["contributions"]].sum())
            with np.errstate(divide="ignore", invalid="ignore"):
                r = np.where(has_unit & (prior_proj > 0), prior / prior_proj, 1.0)
            ratio = r
            ins = np.asarray(state.insured, dtype=float).copy()
            ins *= ratio[: len(cities), None]
            state.insured = ins
    raw = _core.fund.project(ctx, sc, "full", state)
    engine_insured = np.asarray(raw["insured_ck"], dtype=float)[:, :, 0].sum(axis=1)
    ins_target = np.full(U, np.nan)
    if tgt is not None and "insured" in tgt.columns and tgt["insured"].notna().any():
        given = tgt[tgt["insured"].notna()]
        idx = pd.Index(cities).get_indexer(given["city"])
        ins_target[idx] = given["insured"].to_numpy()
        scale = np.ones(len(cities))
        scale[idx] = ins_target[idx] / np.where(engine_insured[idx] > 0, engine_insured[idx], np.nan)
        if not np.isfinite(scale).all():
            c = cities[int(np.argmax(~np.isfinite(scale)))]
            raise ValueError(f"{fn}: targets insured for city {c!r}: the city has no insured to scale")
        ins = np.asarray(state.insured, dtype=float).copy() * scale[:, None]
        state.insured = ins
        ratio[: len(cities)] *= scale
        raw = _core.fund.project(ctx, sc, "full", state)
        engine_insured = np.asarray(raw["insured_ck"], dtype=float)[:, :, 0].sum(axis=1)
    annual = projection_lines(raw, 0) + carried
    engine_contrib = annual[:, li["contributions"]].copy()
    c_target = np.full(U, np.nan)
    source = np.array(["projection"] * len(cities) + ["projection"], dtype=object)
    if tgt is not None and "contributions" in tgt.columns:
        given = tgt[tgt["contributions"].notna()]
        idx = pd.Index(cities).get_indexer(given["city"])
        c_target[idx] = given["contributions"].to_numpy()
        annual[idx, li["contributions"]] = c_target[idx]
        source[idx] = "tax bureau target"
    pattern = seasonal_pattern(act, units) if act is not None else np.full((U, len(lines), 12), 1.0 / 12.0)
    basis = pd.DataFrame(
        {
            "execution_ratio": ratio,
            "prior_contributions": prior,
            "prior_projected": prior_proj,
            "engine_contributions": engine_contrib,
            "insured_target": ins_target,
            "engine_insured": np.append(engine_insured, np.nan),
            "contributions_target": c_target,
            "contributions_source": source,
        },
        index=pd.Index(units, name="city"),
    )
    out = Budget(year, units, annual[:, :, None] * pattern, lines, (), basis)
    for rec in recs:
        out = out.adjust(rec.line, rec.city, amount=rec.amount, factor=rec.factor, reason=rec.reason, author=rec.author)
    return out


# ------------------------------------------------------------------------------------------------
# Execution monitoring
# ------------------------------------------------------------------------------------------------
def _as_of_month(fn: str, as_of: Any, year: int) -> int:
    if isinstance(as_of, (_dt.date, pd.Timestamp, pd.Period)):
        y, m = int(as_of.year), int(as_of.month)
    elif isinstance(as_of, str):
        try:
            p = pd.Period(as_of, freq="M")
        except (ValueError, TypeError):
            raise ValueError(f"{fn}: as_of = {as_of!r}: must be a month 1..12, a date or 'YYYY-MM'") from None
        y, m = p.year, p.month
    else:
        return check_int(f"{fn}: as_of", as_of, 1, 12)
    if y != year:
        raise ValueError(f"{fn}: as_of = {show(as_of)}: is in {y}, the budget is for {year}")
    return m


def _check_bands(fn: str, bands: Any) -> tuple[float, float]:
    check_type(f"{fn}: bands", bands, (tuple, list), "a pair (yellow, red)")
    if len(bands) != 2:
        raise ValueError(
            f"{fn}: bands = {show(list(bands))}: must be two ascending fractions (yellow, red), e.g. (0.05, 0.10)"
        )
    lo, hi = (check_number(f"{fn}: bands", b, 0.0, lo_open=True) for b in bands)
    if not lo < hi:
        raise ValueError(f"{fn}: bands = {show(list(bands))}: must be ascending (yellow < red)")
    return lo, hi


def _cube(act: pd.DataFrame, cities: list[str], lines: list[str], years: list[int]) -> np.ndarray:
    """Actuals as [C, L, Y, 12] (absent = 0)."""
    C, L, Y = len(cities), len(lines), len(years)
    ic = pd.Index(cities).get_indexer(act["city"])
    il = pd.Index(lines).get_indexer(act["line"])
    iy = act["year"].to_numpy() - years[0]
    flat = ((ic * L + il) * Y + iy) * 12 + act["month"].to_numpy() - 1
    out = np.zeros(C * L * Y * 12)
    out[flat] = act["value"].to_numpy()  # keys are unique (check_actuals)
    return out.reshape(C, L, Y, 12)


def monitor(
    budget: Budget,
    actuals: pd.DataFrame,
    as_of: int | str | _dt.date,
    *,
    bands: Sequence[float] = (0.05, 0.10),
    warn_on: str = "deviation",
    opening_balance: float | None = None,
    ladder: PaymentLadder | None = None,
) -> pd.DataFrame:
    """The official execution table (社预执行07表) with deviations, the projected outturn and warnings.

    Parameters
    ----------
    budget : Budget
        The budget year's approved (and adjusted) budget.
    actuals : pandas.DataFrame
        Monthly actuals in the long schema (:func:`check_actuals`): the budget year through ``as_of``,
        and prior years for the same period last year and the seasonal pattern. Months after ``as_of``
        in the budget year are ignored. Every budget city must report months 1..``as_of``; a city in
        the actuals that is not in the budget is an error.
    as_of : int, 'YYYY-MM' or date
        The last month elapsed (1..12) of the budget year.
    bands : (float, float), default (0.05, 0.10)
        ``|deviation|`` above the first is ``"yellow"``, above the second ``"red"`` (the Anhui bands).
    warn_on : {"deviation", "outturn_deviation"}
        Which deviation the bands apply to: the year to date against the phased budget, or the
        projected outturn against the adjusted annual budget.
    opening_balance : float, optional
        The province's accumulated balance (reserve included) on 1 January; when given, the months-of-
        payment ladder (:func:`payment_ladder`) is evaluated and its result stored in ``attrs``
        (``months_of_payment``, ``payment_level``, ``payment_reasons``).
    ladder : PaymentLadder, optional
        Thresholds of the ladder (defaults 12 / 9 / 6 months, projected 3 within 12 months).

    Returns
    -------
    pandas.DataFrame
        Indexed by (city, line), the province first as city ``"(province)"``, each city's lines in the
        order of :func:`line_items` with ``revenue`` after the revenue lines and ``expenditure`` after
        the expenditure lines. Columns: ``annual_budget``, ``adjusted_budget``, ``adjustment``,
        ``adjustment_note``, ``period_actual`` (month ``as_of``), ``cumulative_actual`` (months 1..as_of),
        ``same_period_last_year``, ``progress`` (cumulative / adjusted budget), ``time_progress``
        (as_of / 12), ``gap_to_time`` (progress - time progress), ``budget_to_date`` (the phased
        adjusted budget of months 1..as_of), ``deviation`` ((cumulative - budget to date) / budget to
        date), ``yoy_growth`` (cumulative / same period last year - 1), ``outturn``, ``outturn_low``,
        ``outturn_high`` (projected year-end actual: the mean and the range over prior years' seasonal
        patterns), ``outturn_deviation`` ((outturn - adjusted) / adjusted), ``outturn_method``,
        ``warning`` (green / yellow / red / n/a) and ``note`` (why a rate is NaN, how the outturn was
        made). The province row of every column is the sum of its cities.
    """
    fn = "monitor"
    check_type(f"{fn}: budget", budget, Budget, "a wifund.budget.Budget")
    m = _as_of_month(fn, as_of, budget.year)
    yb, rb = _check_bands(fn, bands)
    check_choice(f"{fn}: warn_on", warn_on, ["deviation", "outturn_deviation"])
    act = check_actuals(actuals)
    lines, kind = budget.lines, budget._kind
    unknown = sorted(set(act["city"].unique()) - set(budget.cities))
    if unknown:
        raise ValueError(
            f"{fn}: city = {unknown[0]!r} is in the actuals but not in the budget"
            f"{suggest(unknown[0], budget.cities)} (budget cities: {budget.cities})"
        )
    act = act[act["year"] <= budget.year]
    cur = act[act["year"] == budget.year]
    reported = cur.groupby("city")["month"].max()
    for c in budget.cities:
        got = int(reported.get(c, 0))
        if got < m:
            raise ValueError(
                f"{fn}: month for city {c!r}, year {budget.year} = {got + 1} is missing: the actuals "
                f"{'stop at month ' + str(got) if got else 'have no month'} and as_of = {m} needs months "
                f"1..{m}"
            )
    act = act[(act["year"] < budget.year) | (act["month"] <= m)]
    years = list(range(int(act["year"].min()), budget.year + 1))
    cube = _cube(act, budget.cities, lines, years)
    C, Y = len(budget.cities), len(years)
    last_month = act.groupby(["city", "year"])["month"].max()
    complete = np.zeros((C, Y), dtype=np.uint8)
    has_last = np.zeros(C, dtype=np.uint8)
    ci = {c: i for i, c in enumerate(budget.cities)}
    for (c, y), mx in last_month.items():
        if y < budget.year:
            complete[ci[c], y - years[0]] = mx == 12
            if y == budget.year - 1:
                has_last[ci[c]] = mx >= m
    annual = budget._monthly.sum(axis=2)
    adjusted = budget._adjusted.sum(axis=2)
    r = _core.budget.execution_table(cube, complete, has_last, annual, adjusted, budget._adjusted, kind, m)

    # Rows: kernel order is block (province, cities) x (lines..., revenue, expenditure); reorder lines.
    L = len(lines)
    present = set(budget.lines_present) | set(act["line"].unique())
    rev, exp = line_items()
    order_names = (
        [ln for ln in rev if ln in present] + ["revenue"] + [ln for ln in exp if ln in present] + ["expenditure"]
    )
    pos = {ln: i for i, ln in enumerate(lines)}
    pos.update({"revenue": L, "expenditure": L + 1})
    blocks = [PROVINCE] + budget.cities
    take = np.array([b * (L + 2) + pos[ln] for b in range(len(blocks)) for ln in order_names])
    index = pd.MultiIndex.from_product([blocks, order_names], names=["city", "line"])
    col = {k: np.asarray(v)[take] for k, v in r.items()}
    df = pd.DataFrame(index=index)
    df["annual_budget"] = col["annual_budget"]
    df["adjusted_budget"] = col["adjusted_budget"]
    df["adjustment"] = df["adjusted_budget"] - df["annual_budget"]
    rev_set, exp_set = set(rev), set(exp)
    df["adjustment_note"] = [
        budget._notes(
            None if c == PROVINCE else c, rev_set if ln == "revenue" else exp_set if ln == "expenditure" else {ln}
        )
        for c, ln in index
    ]
    for k in ("period_actual", "cumulative_actual", "same_period_last_year"):
        df[k] = col[k]
    notes: list[list[str]] = [[] for _ in range(len(df))]

    def ratio(num: np.ndarray, den: np.ndarray, what: str, label: str) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where(den != 0, num / np.where(den != 0, den, 1.0), np.nan)
        for i in np.flatnonzero(den == 0):
            notes[i].append(f"{what} is 0: {label} undefined")
        return out

    cum, adj, btd = col["cumulative_actual"], col["adjusted_budget"], col["budget_to_date"]
    df["progress"] = ratio(cum, adj, "adjusted budget", "progress")
    df["time_progress"] = m / 12.0
    df["gap_to_time"] = df["progress"] - df["time_progress"]
    df["budget_to_date"] = btd
    df["deviation"] = ratio(cum - btd, btd, "budget to date", "deviation")
    miss = col["last_year_missing"]
    last = np.where(miss > 0, np.nan, col["same_period_last_year"])
    for i in np.flatnonzero(miss > 0):
        notes[i].append(
            f"no figures for {budget.year - 1} months 1..{m}"
            + (f" for {miss[i]} cities" if index[i][0] == PROVINCE else "")
        )
    df["same_period_last_year"] = last
    with np.errstate(divide="ignore", invalid="ignore"):
        yoy = np.where((miss == 0) & (last != 0), cum / np.where(last != 0, last, 1.0) - 1.0, np.nan)
    for i in np.flatnonzero((miss == 0) & (last == 0)):
        notes[i].append("same period last year is 0: yoy_growth undefined")
    df["yoy_growth"] = yoy
    df["outturn"] = col["outturn"]
    df["outturn_low"] = col["outturn_low"]
    df["outturn_high"] = col["outturn_high"]
    df["outturn_deviation"] = ratio(col["outturn"] - adj, adj, "adjusted budget", "outturn deviation")
    methods = np.array(["history", "budget phasing", "even months"])
    df["outturn_method"] = methods[col["method"]]
    for i in np.flatnonzero(col["method"] > 0):
        notes[i].append(
            "outturn from the "
            + ("budget's phasing" if col["method"][i] == 1 else "even months")
            + " (no prior year with this line)"
            + (" for some parts" if index[i][1] in TOTALS or index[i][0] == PROVINCE else "")
        )
    dev = df[warn_on].to_numpy()
    a = np.abs(dev)
    df["warning"] = np.where(np.isnan(a), "n/a", np.where(a > rb, "red", np.where(a > yb, "yellow", "green")))
    df["note"] = ["; ".join(n) for n in notes]
    df.attrs.update(
        {
            "year": budget.year,
            "as_of": m,
            "bands": (yb, rb),
            "warn_on": warn_on,
            "adjustments": [dataclasses.asdict(x) for x in budget.adjustments],
        }
    )
    if opening_balance is not None:
        lad = payment_ladder(act, budget.year, m, opening_balance, ladder)
        df.attrs.update(
            {
                "months_of_payment": float(lad["months_of_payment"].iloc[0]),
                "payment_level": str(lad["level"].iloc[0]),
                "payment_reasons": str(lad["reasons"].iloc[0]),
            }
        )
    return df


@dataclass(frozen=True)
class PaymentLadder:
    """Thresholds of the months-of-payment warning ladder (domain README §4.8; all [U], overridable).

    green: M >= ``green``; yellow: ``yellow`` <= M < ``green`` or a current deficit in
    ``deficit_quarters`` consecutive quarters; orange: ``orange`` <= M < ``yellow``; red: M < ``orange``
    or a projected M below ``red_projected`` within ``horizon`` months. The worst level that applies wins.
    """

    green: float = 12.0
    yellow: float = 9.0
    orange: float = 6.0
    red_projected: float = 3.0
    horizon: int = 12
    deficit_quarters: int = 2

    def __post_init__(self) -> None:
        fn = "PaymentLadder"
        vals = [
            check_number(f"{fn}: {k}", getattr(self, k), 0.0) for k in ("green", "yellow", "orange", "red_projected")
        ]
        check_int(f"{fn}: horizon", self.horizon, 1, 120)
        check_int(f"{fn}: deficit_quarters", self.deficit_quarters, 1, 8)
        if not (vals[0] >= vals[1] >= vals[2] >= vals[3]):
            raise ValueError(f"{fn}: green, yellow, orange, red_projected = {vals}: must be descending")


def payment_ladder(
    actuals: pd.DataFrame, year: int, as_of: int, opening_balance: float, ladder: PaymentLadder | None = None
) -> pd.DataFrame:
    """The province's months of payment at ``as_of`` and its warning level.

    Months of payment (可支付月数, domain README §4.4) = accumulated balance / (expenditure over the last
    12 months / 12), with balance = ``opening_balance`` (1 January, reserve included) + revenue -
    expenditure of months 1..``as_of``. The next ``horizon`` months are projected from the same months of
    the latest year with data, scaled by the year-to-date growth of revenue and of expenditure.

    Returns
    -------
    pandas.DataFrame
        One row (``"(province)"``): ``balance``, ``expenditure_12m``, ``months_of_payment``,
        ``deficit_quarters`` (consecutive latest complete quarters with expenditure > revenue),
        ``projected_min_months``, ``level`` and ``reasons``.
    """
    fn = "payment_ladder"
    ladder = (
        PaymentLadder() if ladder is None else check_type(f"{fn}: ladder", ladder, PaymentLadder, "a PaymentLadder")
    )
    year = check_int(f"{fn}: year", year, 1900, 2200)
    m = check_int(f"{fn}: as_of", as_of, 1, 12)
    bal0 = check_number(f"{fn}: opening_balance", opening_balance)
    act = check_actuals(actuals)
    rev, _ = line_items()
    act = act[act["year"].isin([year - 1, year])]
    kind = np.where(act["line"].isin(rev), 0, 1)
    flows = np.zeros((2, 2, 12))  # [year-1, year] x [revenue, expenditure] x month
    np.add.at(flows, (act["year"].to_numpy() - (year - 1), kind, act["month"].to_numpy() - 1), act["value"].to_numpy())
    reported = act.groupby("year")["month"].max()
    if int(reported.get(year, 0)) < m:
        raise ValueError(
            f"{fn}: month for year {year} = {int(reported.get(year, 0)) + 1} is missing; as_of = {m} "
            f"needs months 1..{m}"
        )
    has_prev = int(reported.get(year - 1, 0)) == 12
    reasons: list[str] = []
    revn, expn = flows[1, 0, :m], flows[1, 1, :m]
    balance = bal0 + float(revn.sum() - expn.sum())
    if has_prev:
        series_exp = np.concatenate([flows[0, 1], flows[1, 1, :m]])
        series_rev = np.concatenate([flows[0, 0], flows[1, 0, :m]])
    else:
        reasons.append(f"no full {year - 1}: the last 12 months' expenditure is the year to date x 12/{m}")
        series_exp = np.concatenate([np.full(12, expn.mean()), expn])
        series_rev = np.concatenate([np.full(12, revn.mean()), revn])
    exp12 = float(series_exp[-12:].sum())

    def months(bal: float, e12: float) -> float:
        return math.inf if e12 <= 0 else bal / (e12 / 12.0)

    mop = months(balance, exp12)
    # Quarters: consecutive latest complete quarters in deficit.
    net = series_rev - series_exp
    start = len(net) - m  # index of January of `year`
    nq = m // 3
    q_ends = [start + 3 * q for q in range(nq, 0, -1)] + ([start - 3 * q for q in range(0, 4)] if has_prev else [])
    deficit_q = 0
    for e in q_ends:
        if e - 3 < 0 or net[e - 3 : e].sum() >= 0:
            break
        deficit_q += 1
    # Projection of the next `horizon` months.
    growth = []
    for k in (0, 1):
        ytd, prev = flows[1, k, :m].sum(), flows[0, k, :m].sum()
        growth.append(ytd / prev if has_prev and prev > 0 and ytd > 0 else 1.0)
    hist_r, hist_e = list(series_rev), list(series_exp)
    bal, proj_min = balance, math.inf
    for _ in range(ladder.horizon):
        src = len(hist_r) - 12  # same calendar month one year earlier
        r_, e_ = hist_r[src] * growth[0], hist_e[src] * growth[1]
        hist_r.append(r_)
        hist_e.append(e_)
        bal += r_ - e_
        proj_min = min(proj_min, months(bal, float(sum(hist_e[-12:]))))
    level = "green"
    if mop < ladder.green or deficit_q >= ladder.deficit_quarters:
        level = "yellow"
        if mop < ladder.green:
            reasons.append(f"{mop:.1f} months of payment < {ladder.green:g}")
        if deficit_q >= ladder.deficit_quarters:
            reasons.append(f"current deficit in {deficit_q} consecutive quarters")
    if mop < ladder.yellow:
        level = "orange"
        reasons.append(f"{mop:.1f} months < {ladder.yellow:g}")
    if mop < ladder.orange or proj_min < ladder.red_projected:
        level = "red"
        if mop < ladder.orange:
            reasons.append(f"{mop:.1f} months < {ladder.orange:g}")
        if proj_min < ladder.red_projected:
            reasons.append(f"projected {proj_min:.1f} months < {ladder.red_projected:g} within {ladder.horizon} months")
    if level == "green":
        reasons.append(f"{mop:.1f} months of payment >= {ladder.green:g}")
    return pd.DataFrame(
        {
            "balance": [balance],
            "expenditure_12m": [exp12],
            "months_of_payment": [mop],
            "deficit_quarters": [deficit_q],
            "projected_min_months": [proj_min],
            "level": [level],
            "reasons": ["; ".join(reasons)],
        },
        index=pd.Index([PROVINCE], name="city"),
    )


# ------------------------------------------------------------------------------------------------
# Variance decomposition
# ------------------------------------------------------------------------------------------------
#: The contribution-revenue model's factors and their class: revenue = insured x wage x months x
#: base_rate x (1 - phased_cut) x float_factor x (1 - relief) x collection_rate.
DEFAULT_FACTORS: dict[str, str] = {
    "insured": "non_policy",
    "wage": "non_policy",
    "base_rate": "policy",
    "phased_cut": "policy",
    "float_factor": "policy",
    "relief": "policy",
    "collection_rate": "non_policy",
}
_COMPLEMENT = {"phased_cut", "relief"}  # enter the model as (1 - x)
_FACTOR_LIMITS = {
    "insured": (0.0, None),
    "wage": (0.0, None),
    "months": (0.0, 12.0),
    "base_rate": (0.0, 1.0),
    "phased_cut": (0.0, 1.0),
    "float_factor": (0.0, None),
    "relief": (0.0, 1.0),
    "collection_rate": (0.0, None),
}


def decompose(
    budget_inputs: pd.DataFrame,
    actual_inputs: pd.DataFrame,
    *,
    method: str = "shapley",
    factors: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Splits actual - budgeted contribution revenue by city into policy and non-policy factors.

    Parameters
    ----------
    budget_inputs, actual_inputs : pandas.DataFrame
        One row per city (the same cities in both): ``city`` and one column per factor. Default model
        (``factors=None``): ``insured`` (average insured persons), ``wage`` (average monthly contribution
        wage, yuan), ``base_rate`` (fraction), ``phased_cut`` (fraction cut, enters as 1 - x),
        ``float_factor`` (the average float multiplier set by policy), ``relief`` (fraction relieved,
        enters as 1 - x), ``collection_rate`` (collected / due); an optional ``months`` column (default
        12) is a non-policy factor.
    method : {"shapley", "lmdi"}
        ``"shapley"`` (default): exact and order-independent for any values, including zeros (a relief of
        100 %) and sign changes. ``"lmdi"`` (LMDI-I, the logarithmic mean Divisia index): exact too, but
        needs every factor > 0 in both frames; offered as the second method.
    factors : mapping column -> "policy" | "non_policy", optional
        A user model: each column is a multiplicative factor (``phased_cut`` and ``relief`` as 1 - x),
        in the order given.

    Returns
    -------
    pandas.DataFrame
        Indexed by city, the province (sum) last: ``budget_revenue``, ``actual_revenue``, ``difference``
        (actual - budget), one column per factor (its part of the difference), ``policy``,
        ``non_policy`` (the sums by class; ``policy + non_policy == difference``) and
        ``policy_shortfall`` (= -policy: the policy-driven part of the shortfall, the ``policy_effect``
        that :func:`share_shortfall` takes).
    """
    fn = "decompose"
    check_choice(f"{fn}: method", method, ["shapley", "lmdi"])
    if factors is None:
        fac = dict(DEFAULT_FACTORS)
        if "months" in budget_inputs.columns if isinstance(budget_inputs, pd.DataFrame) else False:
            fac = {
                "insured": "non_policy",
                "wage": "non_policy",
                "months": "non_policy",
                **{k: v for k, v in DEFAULT_FACTORS.items() if k not in ("insured", "wage")},
            }
    else:
        check_type(f"{fn}: factors", factors, Mapping, "a mapping column -> 'policy' | 'non_policy'")
        if not factors:
            raise ValueError(f"{fn}: factors = {{}}: give at least one factor")
        for k, v in factors.items():
            check_type(f"{fn}: factors", k, str, "column names")
            check_choice(f"{fn}: factors[{k!r}]", v, ["policy", "non_policy"])
        fac = dict(factors)
    if len(fac) > _core.budget.max_shapley_factors:
        raise ValueError(f"{fn}: factors = {len(fac)}: at most {_core.budget.max_shapley_factors} factors")
    names = list(fac)
    frames = []
    for label, frame in (("budget_inputs", budget_inputs), ("actual_inputs", actual_inputs)):
        frame = _require_frame(fn, label, frame, ["city"] + names)
        city = _text_column(fn, frame, "city")
        _no_duplicates(fn, pd.DataFrame({"city": city}), ("city",), f"{label}: city")
        cols = []
        for k in names:
            lo, hi = _FACTOR_LIMITS.get(k, (None, None))
            arr = _num_column(f"{fn}: {label}", frame, k, lo)
            if hi is not None and (arr > hi).any():
                i = int(np.argmax(arr > hi))
                raise ValueError(f"{fn}: {label}: {k} {_where(frame, i)} = {show(arr[i])}: must be <= {hi:g}")
            cols.append(1.0 - arr if k in _COMPLEMENT else arr)
        frames.append((pd.Index(city), np.column_stack(cols)))
    (c0, x0), (c1, x1) = frames
    extra = [c for c in c1 if c not in set(c0)]
    lacking = [c for c in c0 if c not in set(c1)]
    if extra or lacking:
        raise ValueError(
            f"{fn}: city = {(extra or lacking)[0]!r} is in {'actual' if extra else 'budget'}_inputs "
            f"but not in {'budget' if extra else 'actual'}_inputs; both need the same cities"
        )
    x1 = x1[c1.get_indexer(c0)]
    if method == "lmdi":
        bad = ~((x0 > 0) & (x1 > 0))
        if bad.any():
            i, j = np.argwhere(bad)[0]
            v = x0[i, j] if not x0[i, j] > 0 else x1[i, j]
            k = names[j]
            raise ValueError(
                f"{fn}: {k} for city {c0[i]!r} = {show(1 - v if k in _COMPLEMENT else v)}: LMDI takes "
                "logarithms and needs every factor > 0 (a cut or relief < 1); use method='shapley'"
            )
    # The default model without a months column pays 12 months: a constant scales every part alike.
    scale = 12.0 if factors is None and "months" not in fac else 1.0
    parts = scale * np.asarray(_core.budget.decompose(np.ascontiguousarray(x0), np.ascontiguousarray(x1), method))
    v0, v1 = scale * x0.prod(axis=1), scale * x1.prod(axis=1)
    out = pd.DataFrame(parts, index=pd.Index(list(c0), name="city"), columns=names)
    out.insert(0, "difference", v1 - v0)
    out.insert(0, "actual_revenue", v1)
    out.insert(0, "budget_revenue", v0)
    out["policy"] = out[[k for k in names if fac[k] == "policy"]].sum(axis=1)
    out["non_policy"] = out[[k for k in names if fac[k] == "non_policy"]].sum(axis=1)
    out["policy_shortfall"] = -out["policy"]
    out.loc[PROVINCE] = out.sum(axis=0)
    out.attrs.update({"method": method, "factors": fac})
    return out


# ------------------------------------------------------------------------------------------------
# Responsibility sharing
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SharingRule:
    """A responsibility-sharing rule as parameters (every share is the city's, i.e. local, part).

    Parameters
    ----------
    name, source, confidence : str
        Labels; ``source`` cites the document, ``confidence`` its tag ([V] read, [V*] read in a repost).
    basis : {"revenue", "balance"}
        ``"revenue"``: the gap is the non-policy contribution shortfall, budget - actual - policy_effect,
        and the bands are fractions of the budgeted contributions. ``"balance"``: the gap is the city's
        final current deficit, actual_expenditure - actual_contributions - policy_effect, against its
        budgeted deficit max(0, budget_expenditure - budget_contributions); the bands are fractions of
        the budgeted expenditure (needs columns ``budget_expenditure``, ``actual_expenditure``).
    management_local : float
        Local share of management gaps (``expansion_loss + irregular_spending``).
    local_surplus, local_deficit : float
        Local share of the gap up to the first band when the city's budget was drawn with a current
        surplus / deficit (``local_deficit=None``: the same as ``local_surplus``).
    bands, band_local : tuple of float
        Ascending thresholds on (gap - budgeted gap) / reference and the local share of the gap beyond
        each one.
    band_mode : {"marginal", "whole"}
        ``"marginal"``: each layer at its own share (continuous in the gap); ``"whole"``: the whole excess
        over the budgeted gap at the share of the band the deviation reaches.
    floor, cap : float, optional
        Bounds of the local share of the gap, as fractions of the reference (``cap=None``: none).
    reward : float
        Share of an over-completion (a negative gap) returned to the city (a negative ``share``).
    exclude_policy : bool
        Whether the policy-driven part (``policy_effect``) is taken out of the gap first.
    """

    name: str = "custom"
    basis: str = "revenue"
    management_local: float = 1.0
    local_surplus: float = 1.0
    local_deficit: float | None = None
    bands: tuple[float, ...] = ()
    band_local: tuple[float, ...] = ()
    band_mode: str = "marginal"
    floor: float = 0.0
    cap: float | None = None
    reward: float = 0.0
    exclude_policy: bool = True
    source: str = ""
    confidence: str = ""

    def __post_init__(self) -> None:
        fn = f"SharingRule {self.name!r}"
        check_type(f"{fn}: name", self.name, str, "a string")
        check_choice(f"{fn}: basis", self.basis, ["revenue", "balance"])
        check_choice(f"{fn}: band_mode", self.band_mode, ["marginal", "whole"])
        for k in ("management_local", "local_surplus", "reward"):
            check_fraction(f"{fn}: {k}", getattr(self, k))
        if self.local_deficit is not None:
            check_fraction(f"{fn}: local_deficit", self.local_deficit)
        check_bool(f"{fn}: exclude_policy", self.exclude_policy)
        for k in ("bands", "band_local"):
            check_type(f"{fn}: {k}", getattr(self, k), (tuple, list), "a tuple of fractions")
        if len(self.bands) != len(self.band_local):
            raise ValueError(
                f"{fn}: bands = {show(list(self.bands))}, band_local = {show(list(self.band_local))}: "
                "need one local share per band"
            )
        prev = -1.0
        for b in self.bands:
            b = check_number(f"{fn}: bands", b, 0.0)
            if b <= prev:
                raise ValueError(f"{fn}: bands = {show(list(self.bands))}: must be strictly ascending")
            prev = b
        for s in self.band_local:
            check_fraction(f"{fn}: band_local", s)
        floor = check_number(f"{fn}: floor", self.floor, 0.0)
        if self.cap is not None and check_number(f"{fn}: cap", self.cap, 0.0) < floor:
            raise ValueError(f"{fn}: cap = {show(self.cap)}: must be >= floor = {show(self.floor)}")

    def _core(self) -> Any:
        r = _core.budget.SharingRule()
        r.management_local = float(self.management_local)
        r.local_surplus = float(self.local_surplus)
        r.local_deficit = float(self.local_surplus if self.local_deficit is None else self.local_deficit)
        r.bands = [float(b) for b in self.bands]
        r.band_local = [float(b) for b in self.band_local]
        r.marginal = self.band_mode == "marginal"
        r.floor = float(self.floor)
        r.cap = math.inf if self.cap is None else float(self.cap)
        r.reward = float(self.reward)
        return r


#: Bundled rules.
RULES: dict[str, SharingRule] = {
    "ningxia": SharingRule(
        name="ningxia",
        basis="revenue",
        management_local=1.0,
        local_surplus=1.0,
        source="宁人社发〔2023〕118号 附件《宁夏回族自治区工伤保险自治区级统筹政府责任分担办法》 Arts. 4, 8 "
        "(effective 2023-09-01)",
        confidence="[V]; the floor at 0 (the text is silent on surpluses) is [U]",
    ),
    "anhui": SharingRule(
        name="anhui",
        basis="balance",
        management_local=1.0,
        local_surplus=0.1,
        local_deficit=0.2,
        bands=(0.05, 0.10),
        band_local=(0.4, 0.6),
        band_mode="marginal",
        source="安徽《工伤保险基金省级统收统支预算管理和责任分担办法》 (2025-01), as summarised in "
        "review-2026-12.md §9",
        confidence="[V*] read in a repost; the band semantics (layers on the final-vs-budget gap, fractions of "
        "budgeted expenditure) are [U]",
    ),
}

_SHARE_REQUIRED = (
    "city",
    "budget_contributions",
    "actual_contributions",
    "policy_effect",
    "expansion_loss",
    "irregular_spending",
)


def share_shortfall(
    frame: pd.DataFrame, rule: str | SharingRule | Callable[[pd.DataFrame], Any] = "ningxia", **params: Any
) -> pd.DataFrame:
    """Each city's share of the shortfall, remitted to the provincial special account.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per city: ``city``, ``budget_contributions`` (>= 0), ``actual_contributions`` (>= 0),
        ``policy_effect`` (the policy-driven part of the shortfall, e.g. ``decompose(...)
        ["policy_shortfall"]``), ``expansion_loss`` and ``irregular_spending`` (>= 0; the management
        gaps). A ``"balance"`` rule also needs ``budget_expenditure`` and ``actual_expenditure``; a rule
        whose surplus and deficit ratios differ needs ``budget_balance`` (the city's budgeted current
        balance) or ``budget_expenditure`` (balance = budget_contributions - budget_expenditure).
    rule : "ningxia" | "anhui" | SharingRule | callable
        A bundled rule, a :class:`SharingRule`, or ``callable(frame) -> Series | DataFrame`` returning the
        share per row (a Series, or a frame with a ``share`` column and any parts).
    **params
        Fields of :class:`SharingRule` replacing those of ``rule`` (``local_surplus=0.5``,
        ``reward=0.2``, ``cap=0.05``...): a user rule without code.

    Returns
    -------
    pandas.DataFrame
        The frame (validated) with ``gap`` (the non-policy gap shared), ``budget_gap``, ``deviation``,
        ``band`` (0 within the first band), ``gap_local``, ``gap_province``, ``management_gap``,
        ``management_local``, ``management_province``, ``reward``, ``share`` (= gap_local +
        management_local - reward) and ``province_part``; ``share + province_part`` equals the positive
        gap plus the management gaps in every row. Ningxia: share = max(0, budget - actual -
        policy_effect) + expansion_loss + irregular_spending.
    """
    fn = "share_shortfall"
    if callable(rule) and not isinstance(rule, SharingRule):
        if params:
            raise ValueError(f"{fn}: rule parameters {sorted(params)} cannot be combined with a callable rule")
        df = _share_frame(fn, frame, None)
        res = rule(df.copy())
        share = res["share"] if isinstance(res, pd.DataFrame) else res
        if not isinstance(share, (pd.Series, np.ndarray, list)) or len(share) != len(df):
            raise ValueError(
                f"{fn}: rule = {getattr(rule, '__name__', rule)!r} returned {show(share)}: must return "
                f"one share per city ({len(df)}), as a Series or a frame with a 'share' column"
            )
        vals = check_number_array(fn, "share (from the callable rule)", share, df["city"])
        out = df.copy()
        if isinstance(res, pd.DataFrame):
            for c in res.columns:
                if c not in out.columns:
                    out[c] = np.asarray(res[c])
        out["share"] = vals
        out["rule"] = getattr(rule, "__name__", "callable")
        return out
    if isinstance(rule, str):
        check_choice(f"{fn}: rule", rule, list(RULES))
        rule = RULES[rule]
    check_type(f"{fn}: rule", rule, SharingRule, "a rule name, a SharingRule or a callable")
    if params:
        check_keys(f"{fn}: rule parameters", params, [f.name for f in dataclasses.fields(SharingRule)], "parameter")
        rule = dataclasses.replace(rule, **params)
    df = _share_frame(fn, frame, rule)
    pol = df["policy_effect"].to_numpy() if rule.exclude_policy else 0.0
    bc, ac = df["budget_contributions"].to_numpy(), df["actual_contributions"].to_numpy()
    n = len(df)
    if rule.basis == "revenue":
        gap = bc - ac - pol
        budget_gap = np.zeros(n)
        ref = bc
    else:
        be, ae = df["budget_expenditure"].to_numpy(), df["actual_expenditure"].to_numpy()
        gap = ae - ac - pol
        budget_gap = np.maximum(be - bc, 0.0)
        ref = be
    if rule.bands:
        zero = ~(ref > 0)
        if zero.any():
            i = int(np.argmax(zero))
            col = "budget_contributions" if rule.basis == "revenue" else "budget_expenditure"
            raise ValueError(
                f"{fn}: {col} for city {df['city'].iloc[i]!r} = {show(ref[i])}: rule {rule.name!r} "
                "measures its bands as a fraction of it, so it must be > 0"
            )
    ratios_differ = rule.local_deficit is not None and rule.local_deficit != rule.local_surplus
    if "budget_balance" in df.columns:
        surplus = df["budget_balance"].to_numpy() >= 0
    elif "budget_expenditure" in df.columns:
        surplus = bc - df["budget_expenditure"].to_numpy() >= 0
    elif ratios_differ:
        raise ValueError(
            f"{fn}: frame lacks column 'budget_balance' (or 'budget_expenditure'): rule {rule.name!r} "
            "takes a different local share when the city's budget was drawn with a deficit"
        )
    else:
        surplus = np.ones(n, dtype=bool)
    mg = df["expansion_loss"].to_numpy() + df["irregular_spending"].to_numpy()
    r = _core.budget.share_shortfall(
        np.ascontiguousarray(gap, dtype=float),
        budget_gap,
        np.asarray(ref, float),
        surplus.astype(np.uint8),
        mg,
        rule._core(),
    )
    out = df.copy()
    out["gap"] = gap
    out["budget_gap"] = budget_gap
    out["deviation"] = np.asarray(r["deviation"])
    out["band"] = np.asarray(r["band"])
    out["gap_local"] = np.asarray(r["gap_local"])
    out["gap_province"] = np.asarray(r["gap_province"])
    out["management_gap"] = mg
    out["management_local"] = np.asarray(r["management_local"])
    out["management_province"] = np.asarray(r["management_province"])
    out["reward"] = np.asarray(r["reward"])
    out["share"] = np.asarray(r["share"])
    out["province_part"] = out["gap_province"] + out["management_province"] + out["reward"]
    out["rule"] = rule.name
    out.attrs.update({"rule": dataclasses.asdict(rule)})
    return out


def check_number_array(fn: str, name: str, values: Any, cities: pd.Series) -> np.ndarray:
    """Finite numbers, one per city; the first bad one is named by its city."""
    raw = list(values)
    for i, v in enumerate(raw):
        ok = isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))
        if not ok or not math.isfinite(float(v)):
            raise (InputTypeError if not ok else ValueError)(
                f"{fn}: {name} for city {cities.iloc[i]!r} = {show(v)}: must be a finite number"
            )
    return np.asarray(raw, dtype=float)


def _share_frame(fn: str, frame: Any, rule: SharingRule | None) -> pd.DataFrame:
    req = list(_SHARE_REQUIRED)
    if rule is not None and rule.basis == "balance":
        req += ["budget_expenditure", "actual_expenditure"]
    df = _require_frame(fn, "frame", frame, req).copy()
    df["city"] = _text_column(fn, df, "city")
    _no_duplicates(fn, df, ("city",), "city")
    for c in req[1:] + [
        c for c in ("budget_balance", "budget_expenditure", "actual_expenditure") if c in df.columns and c not in req
    ]:
        lo = None if c in ("policy_effect", "budget_balance") else 0.0
        df[c] = _num_column(fn, df, c, lo, " (an amount of money here is not negative)" if lo is not None else "")
    return df


# ------------------------------------------------------------------------------------------------
# Assessment
# ------------------------------------------------------------------------------------------------
Curve = tuple[float, float] | Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Indicator:
    """An assessment indicator: how its value is formed, its group, default weight and scoring curve."""

    name: str
    group: str  #: execution / output / effect / satisfaction (财社〔2022〕65号 categories)
    columns: tuple[str, ...]  #: (numerator, denominator) or (value,)
    weight: float
    curve: tuple[float, float]  #: value scoring 0, value scoring 100 (linear between, clipped)
    text: str
    source: str
    absolute_deviation: bool = False


#: The indicators named by the Ningxia annex Art. 7, the Ningxia opinion §三(六) and the Jilin opinion §三(七).
#: Default weights: execution 10 / output 50 / effect 30 / satisfaction 10 — a common weighting in
#: budget performance self-evaluation (review-2026-12.md §9, [U]: an assumption, not a rule).
INDICATORS: dict[str, Indicator] = {
    i.name: i
    for i in [
        Indicator(
            "deviation_rate",
            "execution",
            ("actual_contributions", "budget_contributions"),
            10.0,
            (0.10, 0.0),
            "|revenue deviation|",
            "Ningxia annex Art. 7",
            absolute_deviation=True,
        ),
        Indicator(
            "revenue_completion",
            "output",
            ("actual_contributions", "budget_contributions"),
            15.0,
            (0.90, 1.0),
            "revenue-budget completion",
            "Ningxia annex Art. 7; Jilin §三(七)",
        ),
        Indicator(
            "share_payment",
            "output",
            ("share_paid", "share_due"),
            5.0,
            (0.0, 1.0),
            "sharing money paid",
            "Ningxia annex Art. 7",
        ),
        Indicator(
            "coverage_completion",
            "output",
            ("insured_actual", "insured_plan"),
            10.0,
            (0.95, 1.0),
            "coverage-plan completion",
            "Ningxia annex Art. 7 (应保尽保); Jilin §三(七)",
        ),
        Indicator(
            "collection_rate",
            "output",
            ("contributions_collected", "contributions_due"),
            10.0,
            (0.90, 1.0),
            "collection rate",
            "Ningxia annex Art. 7 (应收尽收)",
        ),
        Indicator(
            "remittance",
            "output",
            ("remittance_paid", "remittance_due"),
            10.0,
            (0.90, 1.0),
            "fund remittance",
            "Jilin §三(七)",
        ),
        Indicator(
            "prevention_use",
            "effect",
            ("prevention_spending", "prevention_cap"),
            15.0,
            (1.2, 1.0),
            "prevention spending / cap",
            "Jilin §三(七); 人社部规〔2017〕13号 (cap 3 %)",
        ),
        Indicator(
            "benefits_on_time",
            "effect",
            ("benefits_on_time",),
            15.0,
            (0.95, 1.0),
            "benefits paid on time",
            "Ningxia opinion §三(六)",
        ),
        Indicator(
            "satisfaction",
            "satisfaction",
            ("satisfaction",),
            10.0,
            (0.60, 1.0),
            "satisfaction",
            "财社〔2022〕65号 (user-supplied survey share)",
        ),
    ]
}


def _score(curve: Any, x: np.ndarray, fn: str, name: str) -> np.ndarray:
    if callable(curve):
        s = np.asarray(curve(x), dtype=float)
        if s.shape != x.shape or not np.isfinite(s[np.isfinite(x)]).all():
            raise ValueError(f"{fn}: curves[{name!r}] returned {show(s)}: must give one finite score per city")
        return cast("np.ndarray", np.clip(s, 0.0, 100.0))
    lo, hi = curve
    return cast("np.ndarray", np.clip((x - lo) / (hi - lo) * 100.0, 0.0, 100.0))


def assess(
    frame: pd.DataFrame, *, weights: Mapping[str, float] | None = None, curves: Mapping[str, Curve] | None = None
) -> pd.DataFrame:
    """Scores, ranks and a short reason per city on the indicators of the Ningxia and Jilin texts.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per city: ``city`` and the columns of the indicators for which data exist (see
        :data:`INDICATORS`): ``budget_contributions`` / ``actual_contributions`` (revenue completion
        and deviation rate), ``share_due`` / ``share_paid``, ``insured_plan`` / ``insured_actual``,
        ``contributions_due`` / ``contributions_collected``, ``remittance_due`` / ``remittance_paid``,
        ``prevention_cap`` / ``prevention_spending``, ``benefits_on_time`` (fraction),
        ``satisfaction`` (fraction). An indicator whose columns are absent is left out; a NaN for one
        city leaves it out for that city (said in ``reason``). Every other value must be finite >= 0.
    weights : mapping indicator -> weight (>= 0), optional
        Replace the default weights (execution 10 / output 50 / effect 30 / satisfaction 10, [U]).
        Weights of the indicators used are rescaled to sum to 100 per city.
    curves : mapping indicator -> (value at score 0, value at score 100) or callable, optional
        Linear scoring between the bounds, clipped to [0, 100]; the first bound may exceed the second
        (lower is better, e.g. the deviation rate).

    Returns
    -------
    pandas.DataFrame
        Indexed by city: for each indicator used its value and ``<name>_score``; ``score`` (0..100),
        ``rank`` (1 = best; ties share the better rank) and ``reason``.
    """
    fn = "assess"
    df = _require_frame(fn, "frame", frame, ("city",))
    city = _text_column(fn, df, "city")
    _no_duplicates(fn, pd.DataFrame({"city": city}), ("city",), "city")
    w = {k: v.weight for k, v in INDICATORS.items()}
    if weights is not None:
        check_type(f"{fn}: weights", weights, Mapping, "a mapping indicator -> weight")
        check_keys(f"{fn}: weights", weights, INDICATORS, "indicator")
        w.update({k: check_number(f"{fn}: weights[{k!r}]", v, 0.0) for k, v in weights.items()})
    cv: dict[str, Any] = {k: v.curve for k, v in INDICATORS.items()}
    if curves is not None:
        check_type(f"{fn}: curves", curves, Mapping, "a mapping indicator -> (low, high) or callable")
        check_keys(f"{fn}: curves", curves, INDICATORS, "indicator")
        for k, v in curves.items():
            if not callable(v):
                from ._checks import check_length

                check_length(f"{fn}: curves[{k!r}]", v, 2)
                a, b = (check_number(f"{fn}: curves[{k!r}]", x) for x in v)
                if a == b:
                    raise ValueError(f"{fn}: curves[{k!r}] = {show(list(v))}: the two bounds must differ")
                v = (a, b)
            cv[k] = v
    out = pd.DataFrame(index=pd.Index(city, name="city"))
    used: list[str] = []
    scores, wts = [], []
    numeric: dict[str, np.ndarray] = {}

    def col(c: str) -> np.ndarray:
        if c not in numeric:
            s = df[c]
            nan = s.isna().to_numpy()
            tmp = df.copy()
            tmp[c] = s.where(~nan, 0.0)
            arr = np.array(_num_column(fn, tmp, c, 0.0))
            arr[nan] = np.nan
            numeric[c] = arr
        return numeric[c]

    for name, ind in INDICATORS.items():
        if not all(c in df.columns for c in ind.columns) or w[name] == 0:
            continue
        if len(ind.columns) == 2:
            num, den = col(ind.columns[0]), col(ind.columns[1])
            zero = den == 0
            if zero.any() and name != "share_payment":
                i = int(np.argmax(zero))
                raise ValueError(
                    f"{fn}: {ind.columns[1]} for city {city[i]!r} = 0: {name} needs it > 0 "
                    f"(use NaN to leave {name} out for this city)"
                )
            with np.errstate(divide="ignore", invalid="ignore"):
                val = num / den
            if name == "share_payment":
                val = np.where(zero & ~np.isnan(num), 1.0, val)  # nothing due: fully paid
            if ind.absolute_deviation:
                val = np.abs(val - 1.0)
        else:
            val = col(ind.columns[0])
        used.append(name)
        out[name] = val
        sc = _score(cv[name], val, fn, name)
        sc = np.where(np.isnan(val), np.nan, sc)
        out[f"{name}_score"] = sc
        scores.append(sc)
        wts.append(w[name])
    if not used:
        raise ValueError(
            f"{fn}: frame has no indicator's columns (columns: {[str(c) for c in df.columns]}); "
            f"indicators and their columns: { {k: list(v.columns) for k, v in INDICATORS.items()} }"
        )
    S = np.column_stack(scores)
    W = np.where(np.isnan(S), 0.0, np.asarray(wts)[None, :])
    tot_w = W.sum(axis=1)
    if (tot_w == 0).any():
        i = int(np.argmax(tot_w == 0))
        raise ValueError(f"{fn}: city {city[i]!r} has no data for any weighted indicator")
    out["score"] = (np.nan_to_num(S) * W).sum(axis=1) / tot_w
    out["rank"] = out["score"].rank(ascending=False, method="min").astype(int)
    reasons = []
    for i in range(len(out)):
        have = [(S[i, j], used[j]) for j in range(len(used)) if not np.isnan(S[i, j])]
        have.sort()
        weak = [f"{INDICATORS[n].text} {out[n].iloc[i]:.1%} ({s:.0f}/100)" for s, n in have[:2] if s < 100]
        parts = [f"rank {out['rank'].iloc[i]} of {len(out)}, score {out['score'].iloc[i]:.1f}"]
        parts.append("weakest: " + "; ".join(weak) if weak else "full marks on every indicator with data")
        lacking = [used[j] for j in range(len(used)) if np.isnan(S[i, j])]
        if lacking:
            parts.append("no data: " + ", ".join(lacking))
        reasons.append(" — ".join(parts))
    out["reason"] = reasons
    out.attrs.update({"weights": {k: w[k] for k in used}, "curves": {k: cv[k] for k in used if not callable(cv[k])}})
    return out
