"""Life tables, survival, life expectancy, annuities and assurances (``include/wifund/life/``).

A :class:`LifeTable` holds one-year death probabilities ``q_x`` for whole ages ``start_age ... ω`` with
``q_ω = 1``. Build one with :meth:`LifeTable.from_qx`, :meth:`LifeTable.from_lx` or, for the bundled
China Life Insurance Experience Tables 2010–2013, :meth:`LifeTable.china_2010_2013`. Adjustments
(:meth:`~LifeTable.multiply`, :meth:`~LifeTable.set_forward`, :meth:`~LifeTable.blend`,
:meth:`~LifeTable.improve`) return new tables.

Every valuation is vectorised: ages, rates, terms, deferrals and escalations broadcast against each
other as numpy arrays do, and the module-level functions take a list of tables, which adds a
leading axis::

    >>> import wifund
    >>> cl5 = wifund.life.LifeTable.china_2010_2013("CL5")
    >>> round(cl5.annuity_due(60, 0.03, m=12), 4)                 # doctest: +SKIP
    >>> cl5.annuity_due([50, 60, 70], [[0.02], [0.03]]).shape      # (2, 3)
    (2, 3)

Conventions (README, "Life tables"): m-thly payments under UDD (exact ``α(m) ä − β(m)``, the
default) or Woolhouse (``"woolhouse"`` two terms, ``"woolhouse3"`` three terms); an escalating
annuity at ``g`` is the level annuity at ``(1+i)/(1+g) − 1`` with the table's own mortality.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Iterable, Sequence
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from . import _core
from ._checks import InputTypeError, _is_bool, show, suggest

__all__ = [
    "LifeTable",
    "CHINA_2010_2013",
    "annuity_due",
    "annuity_immediate",
    "whole_life_assurance",
    "term_assurance",
    "survival",
    "life_expectancy",
    "model_points",
]

#: The six China Life Insurance Experience Tables 2010-2013 (中国人身保险业经验生命表(2010–2013)).
CHINA_2010_2013 = {
    "CL1": "non-annuity table 1, male",
    "CL2": "non-annuity table 1, female",
    "CL3": "non-annuity table 2, male",
    "CL4": "non-annuity table 2, female",
    "CL5": "annuity business, male",
    "CL6": "annuity business, female",
}
_FRACTIONAL = ("udd", "woolhouse", "woolhouse3")
_WITHIN = ("udd", "constant_force")
_PICKLE_VERSION = 1
Real = float | int | np.ndarray | Sequence[float]


# ------------------------------------------------------------------------------------------------
# Argument conversion (types here; ranges are checked in C++ where the value is used)
# ------------------------------------------------------------------------------------------------
def _floats(name: str, value: Any) -> np.ndarray:
    if (
        _is_bool(value)
        or (isinstance(value, np.ndarray) and value.dtype == bool)
        or (isinstance(value, (list, tuple)) and any(_is_bool(v) for v in np.ravel(np.asarray(value, dtype=object))))
    ):
        raise InputTypeError(f"{name} = {show(value)}: must be numbers, not booleans")
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InputTypeError(f"{name} = {show(value)}: must be numbers") from None


def _ints(name: str, value: Any, what: str = "a whole number of years") -> np.ndarray:
    """Whole numbers as int64; 65.0 is accepted, 65.5 and NaN name the first offending element."""
    arr = _floats(name, value)
    if np.issubdtype(np.asarray(value).dtype, np.integer):
        return np.asarray(value, dtype=np.int64)
    bad = ~np.isfinite(arr) | (arr != np.round(arr)) | (np.abs(arr) > 2**53)
    if bad.any():
        idx = np.unravel_index(int(np.argmax(bad)), arr.shape) if arr.ndim else ()
        where = f"[{', '.join(map(str, idx))}]" if idx else ""
        raise ValueError(f"{name}{where} = {show(arr[idx] if arr.ndim else float(arr))}: must be {what}")
    return arr.astype(np.int64)


def _choice(name: str, value: Any, choices: Sequence[str]) -> str:
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name} = {show(value)}: must be one of {list(choices)}{suggest(value, choices)}")
    return value


def _threads(threads: Any) -> int:
    if not isinstance(threads, (int, np.integer)) or _is_bool(threads) or not 1 <= int(threads) <= 1024:
        raise ValueError(f"threads = {show(threads)}: must be an integer from 1 to 1024")
    return int(threads)


def _tables(tables: Any) -> tuple[list[LifeTable], bool]:
    """A table or a sequence of tables; the flag says whether a table axis leads the result."""
    if isinstance(tables, LifeTable):
        return [tables], False
    if isinstance(tables, (str, bytes)) or not isinstance(tables, Iterable):
        raise InputTypeError(f"tables = {show(tables)}: must be a LifeTable or a list of LifeTables")
    out = list(tables)
    if not out:
        raise ValueError("tables = []: give at least one LifeTable")
    for k, t in enumerate(out):
        if not isinstance(t, LifeTable):
            raise InputTypeError(f"tables[{k}] = {show(t)}: must be a LifeTable, not {type(t).__name__}")
    return out, True


def _evaluate(tables: Any, call: Any, **arrays: np.ndarray) -> Any:
    """Broadcasts the arrays (and a leading table axis for a list of tables), calls the flat C++
    function and reshapes; 0-d results come back as a Python float."""
    tabs, stacked = _tables(tables)
    try:
        shaped = np.broadcast_arrays(*arrays.values())
    except ValueError:
        shapes = ", ".join(f"{k} {np.shape(v)}" for k, v in arrays.items())
        raise ValueError(f"arguments do not broadcast together: {shapes}") from None
    shape = shaped[0].shape
    idx = np.arange(len(tabs), dtype=np.int64).reshape((len(tabs),) + (1,) * len(shape))
    full = (len(tabs),) + shape
    flat = {k: np.ascontiguousarray(np.broadcast_to(v, full)).ravel() for k, v in zip(arrays, shaped)}
    out = call([t._t for t in tabs], np.ascontiguousarray(np.broadcast_to(idx, full)).ravel(), **flat)
    out = np.asarray(out).reshape(full)
    if not stacked:
        out = out[0]
    return float(out) if out.ndim == 0 else out


# ------------------------------------------------------------------------------------------------
# The table
# ------------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _china_frame() -> pd.DataFrame:
    path = resources.files("wifund") / "data" / "life_tables" / "cl2010_2013_qx.csv"
    df = pd.read_csv(str(path))
    ages = df["age"].to_numpy()
    if not np.array_equal(ages, np.arange(ages[0], ages[0] + len(ages))):
        raise ValueError(f"{path}: ages must be contiguous whole ages")
    return df


class LifeTable:
    """A life table by single age ``start_age ... ω`` with ``q_ω = 1`` (immutable).

    Build with :meth:`from_qx`, :meth:`from_lx` or :meth:`china_2010_2013`; ``LifeTable(core)`` wraps
    an existing ``wifund._core.life.LifeTable`` (what the projection engine uses, see :attr:`core`).
    """

    __slots__ = ("_t",)

    def __init__(self, core: _core.life.LifeTable) -> None:
        if not isinstance(core, _core.life.LifeTable):
            raise InputTypeError(f"LifeTable: core = {show(core)}: use LifeTable.from_qx / from_lx / china_2010_2013")
        self._t = core

    # ---- construction -----------------------------------------------------------------------
    @classmethod
    def from_qx(cls, qx: Any, start_age: int = 0, name: str = "qx") -> LifeTable:
        """A table from one-year death probabilities.

        Parameters
        ----------
        qx : array_like or pandas.Series
            ``q_x`` for ages ``start_age, start_age + 1, ...``; each in [0, 1] and the last equal to 1.
            A Series indexed by whole, contiguous ages sets ``start_age`` from its index.
        start_age : int, default 0
            The age of ``qx[0]``.
        name : str
            A label shown in ``repr`` and in error messages.
        """
        if isinstance(qx, pd.Series) and start_age == 0 and len(qx):
            ages = _ints("qx index (ages)", qx.index.to_numpy(), "a whole age")
            if not np.array_equal(ages, np.arange(ages[0], ages[0] + len(ages))):
                gap = int(np.argmax(np.diff(ages) != 1)) + 1
                raise ValueError(
                    f"qx index (ages)[{gap}] = {ages[gap]}: ages must be contiguous (follows {ages[gap - 1]})"
                )
            start_age = int(ages[0])
        arr = _floats("qx", qx)
        if arr.ndim != 1:
            raise ValueError(f"qx has shape {arr.shape}: must be one-dimensional (one q per age)")
        return cls(_core.life.LifeTable(str(name), cls._start(start_age), arr.tolist()))

    @classmethod
    def from_lx(cls, lx: Any, start_age: int = 0, name: str = "lx") -> LifeTable:
        """A table from survivors ``l_x`` (any radix): ``q_x = 1 − l_{x+1}/l_x``, and ``q_ω = 1`` at the
        last age given. ``l_x`` must be > 0 at ``start_age``, non-negative and non-increasing."""
        arr = _floats("lx", lx)
        if arr.ndim != 1:
            raise ValueError(f"lx has shape {arr.shape}: must be one-dimensional (one l per age)")
        return cls(_core.life.LifeTable.from_lx(str(name), cls._start(start_age), arr.tolist()))

    @classmethod
    def china_2010_2013(cls, name: str) -> LifeTable:
        """One of the bundled China Life Insurance Experience Tables 2010–2013, ages 0–105.

        ``"CL1"``/``"CL2"``: non-annuity table 1, male/female; ``"CL3"``/``"CL4"``: non-annuity table 2;
        ``"CL5"``/``"CL6"``: annuity business (lighter mortality). Source: domain README §5.4 and
        Appendix A (a third-party transcription whose q₀ match the published values).
        """
        if not isinstance(name, str) or name.upper() not in CHINA_2010_2013:
            raise ValueError(
                f"name = {show(name)}: must be one of {list(CHINA_2010_2013)}{suggest(name, CHINA_2010_2013)}"
            )
        df = _china_frame()
        key = name.upper()
        return cls(_core.life.LifeTable(key, int(df["age"].iloc[0]), df[key].astype(float).tolist()))

    @staticmethod
    def _start(start_age: Any) -> int:
        if not isinstance(start_age, (int, np.integer)) or _is_bool(start_age):
            raise InputTypeError(f"start_age = {show(start_age)}: must be an integer, not {type(start_age).__name__}")
        if not 0 <= int(start_age) <= 200:
            raise ValueError(f"start_age = {show(start_age)}: must be an integer from 0 to 200")
        return int(start_age)

    # ---- attributes -------------------------------------------------------------------------
    @property
    def core(self) -> _core.life.LifeTable:
        """The C++ table (``wifund._core.life.LifeTable``) for the projection engine."""
        return self._t

    @property
    def name(self) -> str:
        return self._t.name

    @property
    def start_age(self) -> int:
        return self._t.min_age

    @property
    def omega(self) -> int:
        """The terminal age ω (the last age of the table, where q = 1)."""
        return self._t.max_age

    @property
    def ages(self) -> np.ndarray:
        return np.arange(self.start_age, self.omega + 1)

    @property
    def qx(self) -> pd.Series:
        """``q_x`` by age."""
        return pd.Series(self._t.qx, index=pd.Index(self.ages, name="age"), name="qx")

    @property
    def lx(self) -> pd.Series:
        """``l_x`` by age from ``l_{start_age} = 100,000``."""
        return pd.Series(self._t.lx(100000.0), index=pd.Index(self.ages, name="age"), name="lx")

    def to_frame(self) -> pd.DataFrame:
        """``q_x``, ``l_x``, curtate and complete (UDD) life expectancy by age."""
        ages = self.ages
        return pd.DataFrame(
            {
                "qx": self.qx,
                "lx": self.lx,
                "ex": self.life_expectancy(ages),
                "ex_complete": self.life_expectancy(ages, True),
            }
        )

    # ---- survival and expectancy ------------------------------------------------------------
    def survival(self, x: Any, t: Real, fractional: str = "udd") -> Any:
        """``ₜp_x``: the probability that a life aged ``x`` survives ``t`` years.

        Parameters
        ----------
        x : int or array_like of int
            Ages inside the table.
        t : float or array_like
            Durations ``>= 0``; a fractional part is interpolated within the year of age.
        fractional : {"udd", "constant_force"}
            ``1 − s q`` (uniform deaths) or ``p^s`` (constant force) for the fraction ``s``.
        """
        return survival(self, x, t, fractional)

    def life_expectancy(self, x: Any, complete: bool = False, fractional: str = "udd") -> Any:
        """Curtate ``e_x = Σ_{k≥1} ₖp_x`` or, with ``complete=True``, ``e̊_x = ∫ ₜp_x dt`` (UDD: ``e_x + ½``)."""
        return life_expectancy(self, x, complete, fractional)

    # ---- annuities and assurances -------------------------------------------------------------
    def annuity_due(
        self,
        x: Any,
        rate: Real,
        term: Any = None,
        deferral: Any = 0,
        m: int = 1,
        escalation: Real = 0.0,
        fractional: str = "udd",
        threads: int = 1,
    ) -> Any:
        """Life annuity-due of 1 a year paid in ``m`` instalments of ``1/m`` at the start of each period.

        Parameters
        ----------
        x : int or array_like of int
            Ages at valuation, inside the table.
        rate : float or array_like
            Effective annual interest rate, > −1.
        term : int, array_like or None
            Years of payments (temporary annuity); None for whole life.
        deferral : int or array_like
            Years before the first payment (deferred annuity, ``v^n ₙp_x ä_{x+n}``).
        m : {1, 2, 3, 4, 6, 12}
            Payments a year.
        escalation : float or array_like
            Yearly growth ``g`` of the payments (the payment at time t is ``(1+g)^t``); valued at
            ``(1+i)/(1+g) − 1`` with the table's own mortality.
        fractional : {"udd", "woolhouse", "woolhouse3"}
            m-thly convention: exact under uniform deaths (``α(m) ä − β(m)``), or Woolhouse with two or
            three terms.
        threads : int
            Threads for large arrays (the result does not depend on it).

        Returns
        -------
        float or numpy.ndarray
            Broadcast over ``x``, ``rate``, ``term``, ``deferral`` and ``escalation``.
        """
        return annuity_due(self, x, rate, term, deferral, m, escalation, fractional, threads)

    def annuity_immediate(
        self,
        x: Any,
        rate: Real,
        term: Any = None,
        deferral: Any = 0,
        m: int = 1,
        escalation: Real = 0.0,
        fractional: str = "udd",
        threads: int = 1,
    ) -> Any:
        """Life annuity-immediate (payments at the end of each ``1/m`` year); arguments as :meth:`annuity_due`."""
        return annuity_immediate(self, x, rate, term, deferral, m, escalation, fractional, threads)

    def whole_life_assurance(self, x: Any, rate: Real) -> Any:
        """``A_x``: 1 paid at the end of the year of death (``= 1 − d ä_x``)."""
        return whole_life_assurance(self, x, rate)

    def term_assurance(self, x: Any, n: Any, rate: Real) -> Any:
        """``A¹_{x:n}``: 1 paid at the end of the year of death within ``n`` years."""
        return term_assurance(self, x, n, rate)

    # ---- adjustments (each returns a new table) ---------------------------------------------------
    def multiply(self, factor: Any, ages: Iterable[int] | None = None, name: str = "") -> LifeTable:
        """``q'_x = min(1, f_x q_x)``: a load (a disabled-life load by grade, a heavier band).

        Parameters
        ----------
        factor : float, array_like or pandas.Series
            One factor (>= 0), one per age of the table, one per age in ``ages``, or a Series indexed
            by age (ages not in it keep factor 1).
        ages : iterable of int, optional
            The ages the factor applies to, e.g. ``range(60, 71)`` for the band 60–70; others keep 1.
        """
        if isinstance(factor, pd.Series) and ages is None:
            ages, factor = list(factor.index), factor.to_numpy()
        f = _floats("factor", factor)
        if ages is None:
            if f.ndim > 1 or (f.ndim == 1 and len(f) not in (1, len(self.ages))):
                raise ValueError(
                    f"factor has shape {f.shape}: give one factor or one per age "
                    f"({len(self.ages)} ages, {self.start_age} to {self.omega})"
                )
            return LifeTable(_core.life.life_multiply(self._t, np.atleast_1d(f).tolist(), name))
        a = _ints("ages", list(ages), "a whole age")
        if a.ndim != 1 or len(a) == 0:
            raise ValueError(f"ages = {show(ages)}: give at least one age")
        for k, age in enumerate(a):
            if not self.start_age <= age <= self.omega:
                raise IndexError(
                    f"multiply: ages[{k}] = {age} is outside the table '{self.name}' [{self.start_age}, {self.omega}]"
                )
        if len(np.unique(a)) != len(a):
            raise ValueError(f"ages = {show(a)}: ages must not repeat")
        fa = np.broadcast_to(f, a.shape) if f.ndim == 0 or f.shape == (1,) else f
        if fa.shape != a.shape:
            raise ValueError(f"factor has {f.size} values for {len(a)} ages: give one factor or one per age")
        full = np.ones(len(self.ages))
        full[a - self.start_age] = fa
        if not name:
            lo, hi = int(a.min()), int(a.max())
            what = f"x{float(fa[0]):g}" if np.all(fa == fa[0]) else "x(by age)"
            name = f"{self.name} {what} [{lo}, {hi}]" if len(a) == hi - lo + 1 else f"{self.name} {what} (ages)"
        return LifeTable(_core.life.life_multiply(self._t, full.tolist(), name))

    def set_forward(self, years: int, name: str = "") -> LifeTable:
        """Age set-forward: ``q'_x = q_{x+years}`` (ages passing ω get q = 1); a negative ``years`` sets
        back, and the table then gains ``|years|`` ages at its end."""
        if not isinstance(years, (int, np.integer)) or _is_bool(years):
            raise InputTypeError(f"years = {show(years)}: must be an integer, not {type(years).__name__}")
        return LifeTable(_core.life.life_set_forward(self._t, int(years), name))

    def blend(self, other: LifeTable, weight: Any, name: str = "") -> LifeTable:
        """``(1 − w) q_x + w q'_x`` with ``other``'s ``q'``: ``weight`` in [0, 1], one or one per age."""
        if not isinstance(other, LifeTable):
            raise InputTypeError(f"other = {show(other)}: must be a LifeTable, not {type(other).__name__}")
        w = _floats("weight", weight)
        return LifeTable(_core.life.life_blend(self._t, other._t, np.atleast_1d(w).ravel().tolist(), name))

    def improve(self, scale: Any, birth_year: int, base_year: int, name: str = "") -> LifeTable:
        """The cohort table of lives born in ``birth_year``: ``q'_x = q_x (1 − AA_x)^{birth_year + x − base_year}``.

        Parameters
        ----------
        scale : float, array_like or pandas.Series
            Annual improvement rates ``AA_x`` in (−1, 1), one, one per age, or a Series by age covering
            every age of the table.
        birth_year, base_year : int
            The cohort and the calendar year of this (period) table.
        """
        if isinstance(scale, pd.Series):
            missing = [a for a in self.ages if a not in scale.index]
            if missing:
                raise ValueError(
                    f"scale: no improvement rate for age {missing[0]} (the Series must cover "
                    f"ages {self.start_age} to {self.omega})"
                )
            scale = scale.reindex(self.ages).to_numpy()
        s = _floats("scale", scale)
        for field, v in (("birth_year", birth_year), ("base_year", base_year)):
            if not isinstance(v, (int, np.integer)) or _is_bool(v):
                raise InputTypeError(f"{field} = {show(v)}: must be an integer, not {type(v).__name__}")
        return LifeTable(
            _core.life.life_improve(self._t, np.atleast_1d(s).ravel().tolist(), int(birth_year), int(base_year), name)
        )

    # ---- Python protocol ------------------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LifeTable):
            return NotImplemented
        return (self.name, self.start_age) == (other.name, other.start_age) and np.array_equal(self._t.qx, other._t.qx)

    __hash__ = None  # type: ignore[assignment]  # mutable-looking value object: equality by content

    def __len__(self) -> int:
        return self.omega - self.start_age + 1

    def __getstate__(self) -> dict[str, Any]:
        return {"version": _PICKLE_VERSION, "name": self.name, "start_age": self.start_age, "qx": self._t.qx.tolist()}

    def __setstate__(self, state: dict[str, Any]) -> None:
        if state.get("version") != _PICKLE_VERSION:
            raise ValueError(
                f"LifeTable pickle version = {show(state.get('version'))}: this wifund reads version {_PICKLE_VERSION}"
            )
        self._t = _core.life.LifeTable(state["name"], state["start_age"], state["qx"])

    def __repr__(self) -> str:
        q = self._t.qx
        return (
            f"LifeTable({self.name!r}, ages {self.start_age}-{self.omega}, q_{self.start_age} = {q[0]:.6g}, "
            f"e_{self.start_age} = {self._t.curtate_expectancy(self.start_age):.2f})"
        )

    def _repr_html_(self) -> str:
        ages = [a for a in range(self.start_age, self.omega + 1) if a % 10 == 0 or a in (self.start_age, self.omega)]
        q, lx = self._t.qx, self._t.lx(100000.0)
        rows = "".join(
            f"<tr><td>{a}</td><td>{q[a - self.start_age]:.6f}</td><td>{lx[a - self.start_age]:,.1f}</td>"
            f"<td>{self._t.curtate_expectancy(a):.2f}</td></tr>"
            for a in ages
        )
        return (
            f"<b>LifeTable {html.escape(self.name)}</b>, ages {self.start_age}–{self.omega}"
            "<table><tr><th>age</th><th>q<sub>x</sub></th><th>l<sub>x</sub></th><th>e<sub>x</sub></th></tr>"
            f"{rows}</table>"
        )


# ------------------------------------------------------------------------------------------------
# Vectorised functions (a table or a list of tables)
# ------------------------------------------------------------------------------------------------
def survival(tables: Any, x: Any, t: Real, fractional: str = "udd") -> Any:
    """``ₜp_x`` over ages ``x`` and durations ``t`` (see :meth:`LifeTable.survival`)."""
    within = _choice("fractional", fractional, _WITHIN)
    return _evaluate(
        tables,
        lambda tabs, idx, x, t: _core.life.life_survival(tabs, idx, x, t, within),
        x=_ints("x", x, "a whole age"),
        t=_floats("t", t),
    )


def life_expectancy(tables: Any, x: Any, complete: bool = False, fractional: str = "udd") -> Any:
    """Curtate or complete life expectancy (see :meth:`LifeTable.life_expectancy`)."""
    if not _is_bool(complete):
        raise InputTypeError(f"complete = {show(complete)}: must be true or false")
    within = _choice("fractional", fractional, _WITHIN)
    return _evaluate(
        tables,
        lambda tabs, idx, x: _core.life.life_expectancy(tabs, idx, x, bool(complete), within),
        x=_ints("x", x, "a whole age"),
    )


def _annuity(
    tables: Any,
    x: Any,
    rate: Any,
    term: Any,
    deferral: Any,
    m: Any,
    escalation: Any,
    fractional: str,
    threads: Any,
    immediate: bool,
) -> Any:
    if not isinstance(m, (int, np.integer)) or _is_bool(m):
        raise InputTypeError(f"m = {show(m)}: must be an integer, one of [1, 2, 3, 4, 6, 12]")
    method = _choice("fractional", fractional, _FRACTIONAL)
    nthreads = _threads(threads)
    if term is None:
        term_arr = np.array(np.inf)
    else:
        term_arr = _floats("term", term)
        finite = np.where(np.isfinite(term_arr), term_arr, 0.0)
        if np.isnan(term_arr).any() or (finite != np.round(finite)).any():
            bad = np.isnan(term_arr) | (finite != np.round(finite))
            idx = np.unravel_index(int(np.argmax(bad)), term_arr.shape) if term_arr.ndim else ()
            where = f"[{', '.join(map(str, idx))}]" if idx else ""
            val = term_arr[idx] if term_arr.ndim else float(term_arr)
            raise ValueError(f"term{where} = {show(val)}: must be a whole number of years (None for whole life)")

    def call(tabs: Any, idx: Any, x: Any, rate: Any, term: Any, deferral: Any, escalation: Any) -> Any:
        return _core.life.life_annuity(
            tabs, idx, x, rate, term, deferral, escalation, int(m), method, immediate, nthreads
        )

    return _evaluate(
        tables,
        call,
        x=_ints("x", x, "a whole age"),
        rate=_floats("rate", rate),
        term=term_arr,
        deferral=_ints("deferral", deferral),
        escalation=_floats("escalation", escalation),
    )


def annuity_due(
    tables: Any,
    x: Any,
    rate: Real,
    term: Any = None,
    deferral: Any = 0,
    m: int = 1,
    escalation: Real = 0.0,
    fractional: str = "udd",
    threads: int = 1,
) -> Any:
    """Annuity-due over a table or a list of tables (a leading axis); see :meth:`LifeTable.annuity_due`."""
    return _annuity(tables, x, rate, term, deferral, m, escalation, fractional, threads, False)


def annuity_immediate(
    tables: Any,
    x: Any,
    rate: Real,
    term: Any = None,
    deferral: Any = 0,
    m: int = 1,
    escalation: Real = 0.0,
    fractional: str = "udd",
    threads: int = 1,
) -> Any:
    """Annuity-immediate over a table or a list of tables; see :meth:`LifeTable.annuity_immediate`."""
    return _annuity(tables, x, rate, term, deferral, m, escalation, fractional, threads, True)


def whole_life_assurance(tables: Any, x: Any, rate: Real) -> Any:
    """``A_x`` over a table or a list of tables."""
    return _evaluate(
        tables,
        lambda tabs, idx, x, rate, n: _core.life.life_assurance(tabs, idx, x, rate, n, True),
        x=_ints("x", x, "a whole age"),
        rate=_floats("rate", rate),
        n=np.array(np.inf),
    )


def term_assurance(tables: Any, x: Any, n: Any, rate: Real) -> Any:
    """``A¹_{x:n}`` over a table or a list of tables."""
    return _evaluate(
        tables,
        lambda tabs, idx, x, rate, n: _core.life.life_assurance(tabs, idx, x, rate, n, False),
        x=_ints("x", x, "a whole age"),
        rate=_floats("rate", rate),
        n=_ints("n", n).astype(float),
    )


def model_points(
    table: LifeTable,
    age: Any,
    term: Any,
    sum_assured: Any,
    rate: float,
    within_year: str = "constant_force",
    threads: int = 1,
) -> pd.DataFrame:
    """Monthly valuation of term-assurance model points (lifelib's BasicTerm_M without lapses).

    For each life: entry age, term in whole years and sum assured; survival month by month from the
    annual ``q`` (constant force or UDD within the year), discounting at ``v^{t/12}``.

    Returns
    -------
    pandas.DataFrame
        ``pv_annuity`` (a premium of 1 a month, due, over the term), ``pv_claims`` (the sum assured at
        the end of the month of death within the term) and ``net_premium`` (monthly,
        ``pv_claims / pv_annuity``; 0 for a term of 0).
    """
    if not isinstance(table, LifeTable):
        raise InputTypeError(f"table = {show(table)}: must be a LifeTable, not {type(table).__name__}")
    within = _choice("within_year", within_year, _WITHIN)
    try:
        a, n, s = np.broadcast_arrays(
            _ints("age", age, "a whole age"), _ints("term", term), _floats("sum_assured", sum_assured)
        )
    except ValueError:
        raise ValueError(
            f"age {np.shape(age)}, term {np.shape(term)} and sum_assured {np.shape(sum_assured)} "
            "do not broadcast together"
        ) from None
    if a.ndim > 1:
        raise ValueError(f"age has shape {a.shape}: model points are one-dimensional")
    r = _floats("rate", rate)
    if r.ndim:
        raise ValueError(f"rate = {show(rate)}: one rate for the portfolio")
    pa, pc = _core.life.life_model_points(
        table.core,
        np.ascontiguousarray(np.atleast_1d(a)),
        np.ascontiguousarray(np.atleast_1d(n)),
        np.ascontiguousarray(np.atleast_1d(s)),
        float(r),
        within,
        _threads(threads),
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        prem = np.where(pa > 0, pc / np.where(pa > 0, pa, 1.0), 0.0)
    return pd.DataFrame(
        {"pv_annuity": pa, "pv_claims": pc, "net_premium": prem}, index=pd.RangeIndex(len(pa), name="point")
    )
