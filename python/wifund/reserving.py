"""Claims reserving: triangles, chain ladder, Mack, Bornhuetter-Ferguson, Benktander, Cape Cod,
the ODP bootstrap and payment patterns.

Short-term work-injury spending (medical care, lump sums, appraisal) for the injuries of one year
is paid over several later years. This module estimates the outstanding amount by injury year and
the payment pattern that turns the injuries of a year into cash by calendar year.

Every convention that changes the numbers is an explicit argument with the published default:
the average of the link ratios (``average``), the diagonals used (``n_periods``), excluded link
ratios (``exclude``), the tail (``tail``), Mack's sigma extrapolation (``sigma_extrapolation``),
the bootstrap's residual adjustment (``hat_adjust``) and process distribution (``process``), and the
payment timing when discounting (``timing``).

All computations run in the C++ core (``include/wifund/reserving``); stacked triangles (many
segments, e.g. city x benefit item) are processed in one C++ call.
"""

from __future__ import annotations

import html
import math
import numbers
import os
from collections.abc import Hashable, Sequence
from importlib import resources
from typing import Any, Literal, cast

import numpy as np
import pandas as pd

from . import _core, _progress

_k = _core.reserving

TriangleError = _k.TriangleError
"""A ValueError in one triangle with its place as data: ``segment`` (the segment's label in a
stack, None for one triangle), ``origin`` and ``age`` (labels, None where the error concerns no
particular one) and ``reason`` (the message without the "segment S: " prefix). Raised by the core
(reserving/triangle.hpp ``triangle_error``) with positions; :func:`_placed` puts the labels in."""

__all__ = [
    "Triangle",
    "TriangleError",
    "ReserveResult",
    "MackResult",
    "ExpectedLossResult",
    "BootstrapResult",
    "PaymentPattern",
    "chain_ladder",
    "mack",
    "bornhuetter_ferguson",
    "benktander",
    "cape_cod",
    "odp_bootstrap",
    "payment_pattern",
    "demo_triangle",
]

Average = Literal["volume", "simple", "regression"]
Tail = None | float | Literal["exponential", "inverse_power"]


# --------------------------------------------------------------------------------------------
# Argument checks shared by the methods (and by wifund.forecast)
# --------------------------------------------------------------------------------------------
#: Largest magnitude of an amount: squares (Mack's variances, the regression average, Pearson
#: residuals) stay below 1e300, so sums of them remain finite (C++: wifund::max_squarable).
MAX_AMOUNT = 1e150


def _count(fn: str, name: str, value: Any, minimum: int = 1, maximum: int | None = None) -> int:
    """An integer argument (a bool or a float such as 2.5 is not a count) in [minimum, maximum]."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{fn}: {name} = {value!r} must be an integer >= {minimum}")
    v = int(value)
    if v < minimum or (maximum is not None and v > maximum):
        bound = f"in [{minimum}, {maximum}]" if maximum is not None else f">= {minimum}"
        raise ValueError(f"{fn}: {name} = {v} must be an integer {bound}")
    return v


def _threads(threads: Any, fn: str = "reserving") -> int:
    """None = all cores; otherwise an integer >= 1 (0 and negative counts are not "all cores")."""
    if threads is None:
        return max(1, os.cpu_count() or 1)
    return _count(fn, "threads", threads, 1, 1024)


def _physical_memory() -> int | None:
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        return None


def _require_memory(fn: str, what: str, nbytes: float, detail: str = "") -> None:
    """Raises MemoryError, before anything is allocated, when a result needs more than the machine's
    physical memory, saying how many GiB it would need."""
    total = _physical_memory()
    if total and nbytes > total:
        raise MemoryError(
            f"{fn}: {what} needs about {nbytes / 2**30:,.1f} GiB{detail}, more than this "
            f"machine's {total / 2**30:,.1f} GiB of memory"
        )


def _values_array(values: Any, fn: str) -> np.ndarray:
    """`values` as a float array, with a message naming the argument for ragged lists and text."""
    try:
        return np.array(values, dtype=float, order="C")
    except (ValueError, TypeError) as e:
        if (
            isinstance(values, (list, tuple))
            and values
            and all(isinstance(r, (list, tuple, np.ndarray)) for r in values)
        ):
            lens = [len(r) for r in values]
            k = next((k for k, n in enumerate(lens) if n != lens[0]), None)
            if k is not None:
                raise ValueError(
                    f"{fn}: values is a ragged list: row {k} has {lens[k]} entries, row 0 has "
                    f"{lens[0]} (use NaN for unobserved cells)"
                ) from None
        raise ValueError(f"{fn}: values cannot be read as an array of numbers: {e}") from None


# --------------------------------------------------------------------------------------------
# Triangle
# --------------------------------------------------------------------------------------------
def _is_chainladder(x: Any) -> bool:
    """A chainladder-python Triangle (checked by module, so chainladder need not be imported)."""
    return type(x).__name__ == "Triangle" and type(x).__module__.split(".")[0] == "chainladder"


def _require_triangle(fn: str, tri: Any) -> None:
    if isinstance(tri, Triangle):
        return
    if _is_chainladder(tri):
        raise TypeError(
            f"{fn}: got a chainladder.Triangle; convert it with wifund.reserving.Triangle.from_chainladder(tri)"
        )
    raise TypeError(f"{fn}: expected a wifund.reserving.Triangle, got {type(tri).__name__}")


def _label(x: Any) -> str:
    return str(x)


def _placed(tri: Triangle, e: Any) -> Any:
    """The core's TriangleError ``e`` (positions) as a TriangleError of ``tri`` (labels).

    The core names a failing segment of a stack by position ("segment #k: ", so that a stack of
    10,000 costs no string conversions) and carries the position as data; the label goes in here.
    """
    seg = None if e.segment is None or tri.segments is None else tri.segments[e.segment]
    if e.segment is None:
        msg = str(e)
    else:
        msg = f"segment {seg}: {e.reason}" if tri.is_stacked else e.reason
    err = TriangleError(msg)
    err.segment = seg
    err.origin = None if e.origin is None else tri.origin[e.origin]
    err.age = None if e.age is None else tri.ages[e.age]
    err.reason = e.reason
    return err


class Triangle:
    """A loss development triangle, or a stack of them (one per segment).

    Rows are origin periods (injury years or quarters), columns development ages; cells not yet
    observed are NaN. Build one with :meth:`from_frame` (long data) or :meth:`from_array`.

    Parameters
    ----------
    values : array_like
        ``(origins, ages)`` for one triangle or ``(segments, origins, ages)`` for a stack.
    origin : sequence
        Origin labels (years as integers for an annual grain, ``pandas.Period`` for quarters).
    ages : sequence of int
        Development age labels, strictly increasing and equally spaced (1, 2, ... or 12, 24, ...).
    segments : sequence or pandas.Index, optional
        Segment labels of a stack.
    cumulative : bool, default True
        Whether ``values`` are cumulative (else incremental) amounts.
    grain : {"Y", "Q"}, default "Y"
        Length of an origin period and of a development period.

    Raises
    ------
    ValueError
        On empty, 1-D or ragged values, development labels that are not integers, not increasing
        or not equally spaced, duplicated origins, a hole (a missing cell followed by an observed
        one), an origin without data, non-finite values or values beyond 1e150 in magnitude (their
        squares would overflow); the message names the segment, origin and age.
    """

    def __init__(
        self,
        values: Any,
        origin: Sequence[Any],
        ages: Sequence[int] | np.ndarray,
        *,
        segments: Sequence[Hashable] | pd.Index | None = None,
        cumulative: bool = True,
        grain: Literal["Y", "Q"] = "Y",
    ) -> None:
        arr = _values_array(values, "Triangle")
        if arr.ndim == 2:
            stacked = segments is not None
            arr = arr[None]
        elif arr.ndim == 3:
            stacked = True
        else:
            raise ValueError(
                f"Triangle: values must be 2-D (origins, ages) or 3-D (segments, origins, ages), got shape {arr.shape}"
            )
        if grain not in ("Y", "Q"):
            raise ValueError(f"Triangle: grain = {grain!r} is not one of 'Y', 'Q'")
        self._values = arr
        self._stacked = stacked
        self.origin = pd.Index(origin, name="origin")
        self.ages = pd.Index(_integer_ages(ages), name="age")
        if segments is None:
            segments = pd.RangeIndex(arr.shape[0], name="segment") if stacked else None
        self.segments = (
            None
            if segments is None
            else (segments if isinstance(segments, pd.Index) else pd.Index(segments, name="segment"))
        )
        self.is_cumulative = bool(cumulative)
        self.grain = grain
        self._check()

    # -- construction -------------------------------------------------------------------------
    def _check(self) -> None:
        n_seg, n_o, n_d = self._values.shape
        if min(n_seg, n_o, n_d) == 0:
            raise ValueError(f"Triangle: the triangle is empty: values have shape {self.shape}")
        if len(self.origin) != n_o or len(self.ages) != n_d:
            raise ValueError(
                f"Triangle: {len(self.origin)} origin and {len(self.ages)} age labels for values of shape {(n_o, n_d)}"
            )
        if self.segments is not None and len(self.segments) != n_seg:
            raise ValueError(f"Triangle: {len(self.segments)} segment labels for {n_seg} segments")
        if not self.origin.is_unique:
            raise ValueError(
                f"Triangle: origin labels must be unique; origin "
                f"{self.origin[self.origin.duplicated()][0]} is duplicated"
            )
        a = self.ages.to_numpy()
        if n_d > 1:
            step = np.diff(a)
            bad = np.flatnonzero(step <= 0)
            if bad.size:
                raise ValueError(
                    f"Triangle: development labels must increase, but age {a[bad[0]]} is "
                    f"followed by age {a[bad[0] + 1]}"
                )
            if not np.all(step == step[0]):
                k = int(np.flatnonzero(step != step[0])[0])
                raise ValueError(
                    f"Triangle: development ages must be equally spaced; age "
                    f"{a[k] + step[0]} is missing between {a[k]} and {a[k + 1]}"
                )
        # The cell checks (finite, at most 1e150 in magnitude, observed on a prefix of ages, a
        # first age observed) are the core's, the same that every method runs
        # (reserving/triangle.hpp observed_lengths); its TriangleError carries the place.
        try:
            _k.validate_stack(self._values, [_label(o) for o in self.origin], [_label(a) for a in self.ages])
        except TriangleError as e:
            raise _placed(self, e) from None

    @classmethod
    def from_array(
        cls, values: Any, origin: Sequence[Any] | None = None, ages: Sequence[int] | None = None, **kwargs: Any
    ) -> Triangle:
        """A triangle from a 2-D (or stacked 3-D) array; NaN marks unobserved cells.

        Parameters
        ----------
        values : array_like
            ``(origins, ages)`` or ``(segments, origins, ages)``.
        origin, ages : sequence, optional
            Labels; default ``0, 1, ...`` for origins and ``1, 2, ...`` for ages.
        **kwargs
            ``segments``, ``cumulative``, ``grain`` as in :class:`Triangle`.
        """
        arr = _values_array(values, "Triangle.from_array")
        if arr.ndim not in (2, 3):
            raise ValueError(
                f"Triangle.from_array: values must be 2-D (origins, ages) or 3-D (segments, "
                f"origins, ages), got shape {arr.shape}"
            )
        n_o, n_d = arr.shape[-2:]
        return cls(arr, range(n_o) if origin is None else origin, range(1, n_d + 1) if ages is None else ages, **kwargs)

    @classmethod
    def from_frame(
        cls,
        df: pd.DataFrame,
        origin: str,
        development: str,
        value: str,
        *,
        cumulative: bool = True,
        development_is: Literal["age", "calendar"] | None = None,
        segments: str | Sequence[str] | None = None,
        grain: Literal["Y", "Q"] | None = None,
    ) -> Triangle:
        """A triangle (or a stack) from long data: one row per origin, development and segment.

        Parameters
        ----------
        df : pandas.DataFrame
        origin : str
            Column of origin periods: years (integers), ``pandas.Period`` or dates.
        development : str
            Column of development, either an age (1, 2, ... or 12, 24, ... months; age 1 or 12 is
            the origin period itself) or a calendar period (a year, period or date not before the
            origin).
        value : str
            Column of amounts.
        cumulative : bool, default True
            Whether the amounts are cumulative (else incremental).
        development_is : {"age", "calendar"}, optional
            How to read ``development``. Detected when omitted: dates and periods are calendar;
            integers are calendar if every one is a year (>= 1000) not before its origin, else ages.
        segments : str or list of str, optional
            Columns identifying segments (e.g. ``["city", "item"]``): a stack of triangles.
        grain : {"Y", "Q"}, optional
            Origin grain for date origins (default: "Y" if every date is in January, else "Q").

        Raises
        ------
        ValueError
            On an empty frame, a development before its origin, non-integer ages or periods,
            duplicated cells, missing (NaN) amounts, irregular ages or holes.
        """
        if len(df) == 0:
            raise ValueError("Triangle.from_frame: df has 0 rows")
        for col in [origin, development, value, *([segments] if isinstance(segments, str) else segments or [])]:
            if col not in df.columns:
                raise ValueError(f"Triangle.from_frame: no column {col!r} in the frame")
        o_raw = df[origin]
        d_raw = df[development]
        # Periods as integer ordinals of the grain (Period ordinals: years or quarters since 1970),
        # so that large stacks are built with integer arithmetic only.
        o_ord, grain = _to_ordinals(o_raw, grain)
        if development_is is None:
            development_is = _detect_development(o_raw, d_raw)
        if development_is == "calendar":
            d_ord, _ = _to_ordinals(d_raw, grain)
            lag = d_ord - o_ord
            if (lag < 0).any():
                k = int(np.flatnonzero(lag < 0)[0])
                raise ValueError(f"Triangle.from_frame: development {d_raw.iloc[k]} is before origin {o_raw.iloc[k]}")
            age = lag + 1
        elif development_is == "age":
            dv = np.asarray(d_raw, dtype=float)
            frac = ~(dv == np.round(dv))
            if frac.any():
                k = int(np.flatnonzero(frac)[0])
                raise ValueError(
                    f"Triangle.from_frame: development age {float(dv[k])!r} at origin {o_raw.iloc[k]} is not an integer"
                )
            age = dv.astype(np.int64)
            if (age <= 0).any():
                k = int(np.flatnonzero(age <= 0)[0])
                raise ValueError(
                    f"Triangle.from_frame: development age {age[k]} at origin {o_raw.iloc[k]} must be positive"
                )
        else:
            raise ValueError(f"development_is = {development_is!r} is not one of 'age', 'calendar'")
        # The age grid: the first age (1, 3 or 12: the origin period itself) and the common step.
        ages_all = np.unique(age)
        first = int(ages_all[0])
        step = int(np.gcd.reduce(ages_all - first)) if len(ages_all) > 1 else 1
        ages = np.arange(first, int(ages_all[-1]) + 1, step)
        missing = ages[~np.isin(ages, ages_all)]
        if missing.size:
            raise ValueError(
                f"Triangle.from_frame: development labels are not equally spaced: no data at age "
                f"{missing[0]} between {ages[0]} and {ages[-1]}"
            )
        j = (age - first) // step
        o_min = int(o_ord.min())
        o_codes = o_ord - o_min
        n_o = int(o_codes.max()) + 1
        present = np.bincount(o_codes, minlength=n_o) > 0
        if not present.all():
            # A complete run of origin periods (a missing year would silently shift the diagonals).
            gap = _ordinal_labels(np.array([o_min + int(np.argmin(present))]), grain)[0]
            raise ValueError(f"Triangle.from_frame: no data for origin {gap}")
        if segments is None:
            s_codes = np.zeros(len(df), dtype=np.int64)
            seg_index = None
        else:
            cols = [segments] if isinstance(segments, str) else list(segments)
            if len(cols) == 1:
                s_codes, seg_uni = pd.factorize(df[cols[0]], sort=True)
                seg_index = pd.Index(seg_uni, name=cols[0])
            else:
                s_codes, seg_index = pd.MultiIndex.from_frame(df[cols]).factorize(sort=True)
                seg_index = pd.MultiIndex.from_tuples(list(seg_index), names=cols)
        n_seg = 1 if seg_index is None else len(seg_index)
        flat = (s_codes * n_o + o_codes) * len(ages) + j
        counts = np.bincount(flat, minlength=n_seg * n_o * len(ages))
        if (counts > 1).any():
            k = int(np.flatnonzero(counts[flat] > 1)[0])
            raise ValueError(
                f"Triangle.from_frame: duplicated cell at origin {o_raw.iloc[k]}, age {ages[j[k]]}"
                + (f", segment {seg_index[s_codes[k]]}" if seg_index is not None else "")
            )
        amounts = np.asarray(df[value], dtype=float)
        missing_amount = np.isnan(amounts)
        if missing_amount.any():
            k = int(np.flatnonzero(missing_amount)[0])
            raise ValueError(
                f"Triangle.from_frame: {value} = nan at origin {o_raw.iloc[k]}, development "
                f"{d_raw.iloc[k]} (leave an unobserved cell out of the frame)"
            )
        vals = np.full((n_seg, n_o, len(ages)), np.nan)
        vals.reshape(-1)[flat] = amounts
        origin_labels = _ordinal_labels(np.arange(o_min, o_min + n_o), grain)
        tri = cls(
            vals if seg_index is not None else vals[0],
            origin_labels,
            ages,
            segments=seg_index,
            cumulative=True,
            grain=grain,
        )
        if not cumulative:
            tri.is_cumulative = False
        return tri

    # -- views ----------------------------------------------------------------------------------
    @property
    def is_stacked(self) -> bool:
        return self._stacked

    @property
    def values(self) -> np.ndarray:
        """The amounts, ``(origins, ages)`` or ``(segments, origins, ages)`` (a copy)."""
        return (self._values if self._stacked else self._values[0]).copy()

    @property
    def shape(self) -> tuple[int, ...]:
        return self._values.shape if self._stacked else self._values.shape[1:]

    def __len__(self) -> int:
        return cast(int, self._values.shape[0] if self._stacked else self._values.shape[1])

    def _like(self, values: np.ndarray, cumulative: bool) -> Triangle:
        return Triangle(
            values if self._stacked else values[0],
            self.origin,
            self.ages,
            segments=self.segments,
            cumulative=cumulative,
            grain=self.grain,
        )

    def to_cumulative(self) -> Triangle:
        """The cumulative triangle (itself if already cumulative)."""
        if self.is_cumulative:
            return self
        return self._like(np.stack([_k.to_cumulative(v) for v in self._values]), True)

    def to_incremental(self) -> Triangle:
        """The incremental triangle (itself if already incremental)."""
        if not self.is_cumulative:
            return self
        return self._like(np.stack([_k.to_incremental(v) for v in self._values]), False)

    def _cum(self) -> np.ndarray:
        return self.to_cumulative()._values

    def __getitem__(self, key: Hashable) -> Triangle:
        """One segment of a stack as a single triangle."""
        if not self._stacked:
            raise TypeError("Triangle: only a stacked triangle can be indexed by segment")
        s = cast(pd.Index, self.segments).get_loc(key)
        if not isinstance(s, (int, np.integer)):
            raise KeyError(f"segment {key!r} does not identify one segment")
        return Triangle(self._values[s], self.origin, self.ages, cumulative=self.is_cumulative, grain=self.grain)

    def _lengths(self) -> np.ndarray:
        return cast("np.ndarray", (~np.isnan(self._values)).sum(axis=-1))

    @property
    def latest_diagonal(self) -> pd.Series | pd.DataFrame:
        """Latest observed cumulative value of each origin (per segment for a stack)."""
        cum = self._cum()
        lat = np.take_along_axis(cum, self._lengths()[..., None] - 1, axis=-1)[..., 0]
        return self._by_origin(lat, "latest")

    @property
    def valuation(self) -> Any:
        """The latest calendar period in the data (the valuation diagonal)."""
        lengths = self._lengths().max(axis=0)
        k = int(np.argmax(np.arange(len(self.origin)) + lengths))
        return _shift(self.origin[k], int(lengths[k]) - 1, self.grain)

    def link_ratios(self) -> pd.DataFrame:
        """Individual age-to-age factors C(i, j+1) / C(i, j), origins x "age-age'" (one triangle)."""
        r = _k.link_ratios(self._single("link_ratios")._cum()[0])
        cols = pd.Index([f"{a}-{b}" for a, b in zip(self.ages[:-1], self.ages[1:])], name="age")
        return pd.DataFrame(r, index=self.origin, columns=cols)

    def _single(self, what: str) -> Triangle:
        if self._stacked:
            raise ValueError(f"{what}: the triangle is a stack of {len(self)} segments; select one with tri[segment]")
        return self

    def _by_origin(self, arr: np.ndarray, name: str) -> pd.Series | pd.DataFrame:
        if self._stacked:
            return pd.DataFrame(arr, index=self.segments, columns=self.origin)
        return pd.Series(arr[0], index=self.origin, name=name)

    def grain_to_annual(self) -> Triangle:
        """Aggregate a quarterly triangle (quarterly origins, development in quarters) to years.

        The annual value of origin year ``y`` at development year ``k`` is the sum over the
        quarters of ``y`` of their cumulative values at the end of calendar year ``y + k - 1``
        (the development age is measured from the start of the origin year, as in chainladder's
        ``grain("OYDY")``). Year-ends after the valuation date are unobserved, so a valuation in
        the middle of a year drops that partial last diagonal.
        """
        if self.grain != "Q":
            raise ValueError("grain_to_annual: the triangle is not quarterly")
        cum = self._cum()
        n_seg, n_q, n_d = cum.shape
        years = np.array([p.year for p in self.origin])
        qabs = np.array([p.year * 4 + p.quarter - 1 for p in self.origin])  # quarter index
        uy = np.unique(years)
        if self.ages[0] not in (1, 3):
            raise ValueError("grain_to_annual: quarterly ages must start at 1 (quarters) or 3 (months)")
        n_y = len(uy)
        max_age_years = int(np.ceil((n_d + 3) / 4))
        out = np.full((n_seg, n_y, max_age_years), np.nan)
        for yi, y in enumerate(uy):
            rows = np.flatnonzero(years == y)
            for k in range(max_age_years):
                end_q = (y + k) * 4 + 3
                a = end_q - qabs[rows]  # age index (0-based quarters) at that year-end
                if (a >= n_d).any():
                    continue
                vals = cum[:, rows, a]
                ok = ~np.isnan(vals).any(axis=1)
                out[ok, yi, k] = vals[ok].sum(axis=1)
        keep = ~np.isnan(out).all(axis=(0, 1))
        out = out[..., keep]
        return Triangle(
            out if self._stacked else out[0],
            list(uy),
            np.arange(1, out.shape[-1] + 1),
            segments=self.segments,
            cumulative=True,
            grain="Y",
        )

    # -- chainladder-python -------------------------------------------------------------------
    @classmethod
    def from_chainladder(cls, tri: Any, column: str | None = None) -> Triangle:
        """Our triangle from a ``chainladder.Triangle`` (chainladder-python).

        One index row gives one triangle; several (e.g. company x line) give a stack whose segments
        are the index labels (a MultiIndex when the index has several keys). A triangle with several
        columns (paid, incurred, ...) needs ``column``. Origin and development grains must be equal
        (annual or quarterly); development ages keep chainladder's labels (months: 12, 24, ...).
        chainladder stores a zero as a missing cell: cells inside its observed triangle
        (``nan_triangle``) that hold NaN come back as 0.

        Raises
        ------
        TypeError
            ``tri`` is not a chainladder Triangle.
        ValueError
            Several columns and no (or an unknown) ``column``; unequal or unsupported grains.
        """
        fn = "Triangle.from_chainladder"
        if not _is_chainladder(tri):
            raise TypeError(f"{fn}: expected a chainladder.Triangle, got {type(tri).__name__}")
        columns = [str(c) for c in tri.columns]
        if column is None:
            if len(columns) != 1:
                raise ValueError(f"{fn}: the triangle has columns {columns}: choose one with column=")
            column = columns[0]
        elif column not in columns:
            raise ValueError(f"{fn}: column = {column!r} is not one of {columns}")
        og, dg = str(tri.origin_grain), str(tri.development_grain)
        if og != dg or og not in ("Y", "Q"):
            raise ValueError(
                f"{fn}: origin grain {og!r} and development grain {dg!r}: wifund triangles have equal "
                f"annual ('Y') or quarterly ('Q') grains; use tri.grain('O{og}D{og}') in chainladder first"
            )
        t = tri[column]
        v = np.asarray(t.values, dtype=float)[:, 0]  # (index, origins, ages)
        observable = ~np.isnan(np.asarray(t.nan_triangle, dtype=float))
        v = np.where(observable[None] & np.isnan(v), 0.0, v)
        origin: list[Any] = [int(p.year) for p in t.origin] if og == "Y" else [pd.Period(p, freq="Q") for p in t.origin]
        ages = [int(a) for a in t.development]
        keys = [str(k) for k in t.key_labels]
        if v.shape[0] == 1:
            return cls(v[0], origin, ages, cumulative=bool(t.is_cumulative), grain=cast(Literal["Y", "Q"], og))
        idx = t.index
        segments = (
            pd.Index(idx.iloc[:, 0].tolist(), name=keys[0])
            if len(keys) == 1
            else pd.MultiIndex.from_frame(idx.astype(str), names=keys)
        )
        return cls(
            v, origin, ages, segments=segments, cumulative=bool(t.is_cumulative), grain=cast(Literal["Y", "Q"], og)
        )

    def to_chainladder(self) -> Any:
        """This triangle as a ``chainladder.Triangle`` (needs chainladder-python installed).

        Ages are read as months when they are multiples of the period length in months (12 for
        annual, 3 for quarterly: 12, 24, ...), else as periods (1, 2, ...). A stack becomes one
        index row per segment (index column ``segment``, or the names of a MultiIndex).
        """
        try:
            import chainladder as cl  # type: ignore[import-untyped,unused-ignore]
        except ImportError:
            raise ImportError("Triangle.to_chainladder needs chainladder-python: pip install chainladder") from None
        period_months = 12 if self.grain == "Y" else 3
        a = self.ages.to_numpy()
        months = a if np.all(a % period_months == 0) else a * period_months
        if self.grain == "Y":
            bad = [o for o in self.origin if not (isinstance(o, numbers.Integral) and 1000 <= int(o) <= 9999)]
            if bad:
                raise ValueError(
                    f"Triangle.to_chainladder: origin {bad[0]!r} is not a calendar year: chainladder needs "
                    f"dated origins (build the triangle with origin=[2015, 2016, ...])"
                )
            starts = pd.to_datetime([f"{int(o)}-01-01" for o in self.origin])
        else:
            starts = pd.PeriodIndex(self.origin, freq="Q").to_timestamp(how="start")
        seg = self.segments if self.segments is not None else pd.Index(["Total"], name="segment")
        seg_names = [str(n) if n is not None else "segment" for n in (seg.names or ["segment"])]
        rows: dict[str, list[Any]] = {n: [] for n in seg_names}
        rows.update(origin=[], valuation=[], value=[])
        for s_i in range(self._values.shape[0]):
            label = seg[s_i] if isinstance(seg, pd.MultiIndex) else (seg[s_i],)
            for o_i, start in enumerate(starts):
                for d_i, m in enumerate(months):
                    x = self._values[s_i, o_i, d_i]
                    if np.isnan(x):
                        continue
                    for n, lab in zip(seg_names, label):
                        rows[n].append(str(lab))
                    rows["origin"].append(start)
                    rows["valuation"].append(start + pd.DateOffset(months=int(m)) - pd.Timedelta(days=1))
                    rows["value"].append(float(x))
        df = pd.DataFrame(rows)
        make: Any = getattr(cl, "Triangle")  # noqa: B009  (chainladder ships no complete type information)
        return make(
            df,
            origin="origin",
            development="valuation",
            columns=["value"],
            index=seg_names,
            cumulative=self.is_cumulative,
        )

    def to_frame(self, long: bool = False) -> pd.DataFrame:
        """The triangle as a DataFrame: origins x ages (one triangle), or long with segment,
        origin, age and value columns (``long=True``, required for a stack)."""
        if not long and not self._stacked:
            return pd.DataFrame(self._values[0], index=self.origin, columns=self.ages)
        seg = self.segments if self.segments is not None else pd.RangeIndex(1, name="segment")
        idx = _segment_product(seg, [self.origin, self.ages])
        s = pd.Series(self._values.reshape(-1), index=idx, name="value").dropna()
        return s.reset_index()

    def __repr__(self) -> str:
        kind = "cumulative" if self.is_cumulative else "incremental"
        head = f"Triangle({kind}, grain {self.grain}, {len(self.origin)} origins x {len(self.ages)} ages" + (
            f", {len(self)} segments)" if self._stacked else ")"
        )
        if self._stacked:
            return head
        return cast(str, head + "\n" + self.to_frame().to_string(float_format=lambda x: f"{x:,.0f}"))

    def _repr_html_(self) -> str:
        kind = "cumulative" if self.is_cumulative else "incremental"
        head = (
            f"<p><b>Triangle</b> ({kind}, grain {self.grain}, {len(self.origin)} origins &times; "
            f"{len(self.ages)} ages"
            + (
                f", {len(self)} segments; first segment {html.escape(str(cast(pd.Index, self.segments)[0]))}"
                if self._stacked
                else ""
            )
            + ")</p>"
        )
        frame = pd.DataFrame(self._values[0], index=self.origin, columns=self.ages)
        return cast(str, head + frame.to_html(float_format=lambda x: f"{x:,.0f}", na_rep=""))


def _segment_product(seg: pd.Index, inner: list[pd.Index]) -> pd.MultiIndex:
    """The product of the segments (possibly a MultiIndex) with inner levels, segment-major."""
    inner_idx = pd.MultiIndex.from_product(inner)
    n = len(inner_idx)
    rep = seg.take(np.repeat(np.arange(len(seg)), n))
    levels = [rep.get_level_values(k) for k in range(seg.nlevels)]
    levels += [np.tile(inner_idx.get_level_values(k), len(seg)) for k in range(len(inner))]
    names = [
        nm if nm is not None else ("segment" if seg.nlevels == 1 else f"segment_{k}") for k, nm in enumerate(seg.names)
    ] + [i.name for i in inner]
    return pd.MultiIndex.from_arrays(levels, names=names)


def _to_ordinals(s: pd.Series, grain: str | None) -> tuple[np.ndarray, Literal["Y", "Q"]]:
    """Origin or calendar labels as integer period ordinals of the grain (as pandas.Period.ordinal:
    years or quarters since 1970) and the grain."""
    if isinstance(s.dtype, pd.PeriodDtype):
        idx = pd.PeriodIndex(s)
        g = cast(Literal["Y", "Q"], grain or ("Q" if idx.freqstr.startswith("Q") else "Y"))
        return idx.asfreq(g).asi8.astype(np.int64), g
    if pd.api.types.is_datetime64_any_dtype(s):
        g = cast(Literal["Y", "Q"], grain or ("Y" if (s.dt.month == 1).all() else "Q"))
        return pd.PeriodIndex(s.dt.to_period(g)).asi8.astype(np.int64), g
    if pd.api.types.is_integer_dtype(s) or pd.api.types.is_float_dtype(s):
        y = np.asarray(s, dtype=float)
        if not np.all(y == np.round(y)):
            k = int(np.flatnonzero(~(y == np.round(y)))[0])
            raise ValueError(f"Triangle.from_frame: column {s.name!r} has a non-integer period {float(y[k])!r}")
        if grain == "Q":
            raise ValueError("Triangle.from_frame: quarterly origins must be periods or dates, not integers")
        return y.astype(np.int64) - 1970, "Y"
    try:
        return _to_ordinals(pd.to_datetime(s), grain)
    except (ValueError, TypeError) as e:
        raise ValueError(f"Triangle.from_frame: cannot read column {s.name!r} as periods") from e


def _integer_ages(ages: Sequence[Any] | np.ndarray) -> np.ndarray:
    """Development age labels as integers; 1.5 is not an age."""
    try:
        a = np.asarray(ages, dtype=float)
    except (ValueError, TypeError):
        raise ValueError(f"Triangle: ages must be integers, got {list(ages)!r}") from None
    frac = ~(a == np.round(a))
    if frac.any():
        raise ValueError(f"Triangle: ages must be integers; age {float(a[int(np.flatnonzero(frac)[0])])!r} is not")
    return a.astype(np.int64)


def _ordinal_labels(ordinals: np.ndarray, grain: str) -> list[Any]:
    """Origin labels: integer years for an annual grain, quarterly pandas.Period otherwise."""
    if grain == "Y":
        return [int(o) + 1970 for o in ordinals]
    return list(pd.PeriodIndex.from_ordinals(ordinals, freq="Q"))


def _detect_development(o: pd.Series, d: pd.Series) -> Literal["age", "calendar"]:
    if isinstance(d.dtype, pd.PeriodDtype) or pd.api.types.is_datetime64_any_dtype(d):
        return "calendar"
    dv = np.asarray(d, dtype=float)
    if pd.api.types.is_integer_dtype(o) or pd.api.types.is_float_dtype(o):
        if (dv >= 1000).all() and (dv >= np.asarray(o, dtype=float)).all():
            return "calendar"
    return "age"


def _shift(origin: Any, k: int, grain: str) -> Any:
    if grain == "Y" and isinstance(origin, (int, np.integer)):
        return int(origin) + k
    return origin + k


# --------------------------------------------------------------------------------------------
# Deterministic methods
# --------------------------------------------------------------------------------------------
def _exclude_matrix(tri: Triangle, exclude: Any) -> np.ndarray | None:
    """Excluded link ratios as an (origins, ages - 1) 0/1 matrix. `exclude` lists (origin, age)
    pairs naming the link ratio from `age` to the next age, or is such a boolean matrix."""
    if exclude is None:
        return None
    n_o, n_d = len(tri.origin), len(tri.ages)
    if isinstance(exclude, (np.ndarray, pd.DataFrame)):
        m = np.asarray(exclude, dtype=float)
        if m.shape != (n_o, n_d - 1):
            raise ValueError(f"exclude must have shape {(n_o, n_d - 1)}, got {m.shape}")
        return m
    m = np.zeros((n_o, n_d - 1))
    for item in exclude:
        o, a = item
        if o not in tri.origin:
            raise ValueError(f"exclude: origin {o!r} is not in the triangle")
        if a not in tri.ages[:-1]:
            raise ValueError(f"exclude: age {a!r} does not start a link ratio of the triangle")
        m[tri.origin.get_loc(o), tri.ages.get_loc(a)] = 1.0
    return m


def _tail_args(tail: Tail) -> tuple[str, float]:
    if tail is None:
        return "none", 1.0
    if isinstance(tail, str):
        if tail not in ("exponential", "inverse_power"):
            raise ValueError(f"tail = {tail!r} is not None, a number, 'exponential' or 'inverse_power'")
        return tail, 1.0
    return "constant", float(tail)


def _run(
    tri: Triangle,
    method: str,
    *,
    average: Average = "volume",
    n_periods: int | None = None,
    exclude: Any = None,
    tail: Tail = None,
    tail_periods: int = 100,
    sigma_extrapolation: str = "log-linear",
    apriori: np.ndarray | None = None,
    n_iter: int = 1,
    exposure: np.ndarray | None = None,
    trend: float = 0.0,
    decay: float = 1.0,
    threads: int | None = None,
) -> dict[str, np.ndarray]:
    _require_triangle(method, tri)
    tail_kind, tail_factor = _tail_args(tail)
    fn = method.replace("benktander", "bornhuetter_ferguson" if n_iter == 1 else "benktander")
    if n_periods is not None:
        n_periods = _count(fn, "n_periods", n_periods, 1)
    tail_periods = _count(fn, "tail_periods", tail_periods, 1, 100_000)
    n_iter = _count(fn, "n_iter", n_iter, 0, 10_000)
    n_threads = _threads(threads, fn)
    try:
        # Segment labels are not sent: the core names a failing segment by position (a
        # TriangleError) and _placed puts the label in, so a stack of 10,000 costs no conversions.
        return _k.reserve(
            tri._cum(),
            method,
            average,
            0 if n_periods is None else int(n_periods),
            _exclude_matrix(tri, exclude),
            tail_kind,
            tail_factor,
            int(tail_periods),
            sigma_extrapolation,
            apriori,
            int(n_iter),
            exposure,
            float(trend),
            float(decay),
            1.0 if tri.grain == "Y" else 0.25,
            [_label(o) for o in tri.origin],
            [_label(a) for a in tri.ages],
            [],
            n_threads,
        )
    except TriangleError as e:
        raise _placed(tri, e) from None


def _per_origin(tri: Triangle, x: Any, name: str) -> np.ndarray:
    """A scalar, per-origin vector/Series, or (segments, origins) array as (segments, origins)."""
    n_seg = tri._values.shape[0]
    if isinstance(x, pd.Series):
        x = x.reindex(tri.origin)
        if x.isna().any():
            raise ValueError(f"{name}: no value for origin {x.index[x.isna()][0]}")
    if isinstance(x, pd.DataFrame):
        x = x.reindex(index=tri.segments, columns=tri.origin)
    a = np.asarray(x, dtype=float)
    try:
        return np.ascontiguousarray(np.broadcast_to(a, (n_seg, len(tri.origin))))
    except ValueError:
        raise ValueError(
            f"{name}: shape {a.shape} does not match {len(tri.origin)} origins"
            + (f" x {n_seg} segments" if tri.is_stacked else "")
        ) from None


class ReserveResult:
    """The estimate of a reserving method.

    Attributes
    ----------
    method : str
    triangle : Triangle
    latest, ultimate, ibnr : pandas.Series or DataFrame
        By origin (segments x origins for a stack). ``ibnr = ultimate - latest`` is the reserve
        for what is still to be paid (or reported) on each origin.
    factors : pandas.DataFrame
        By age: ``age_to_age`` (the last age holds the tail factor) and ``age_to_ultimate``
        factors; for a stack, indexed by (segment, age).
    total_ibnr : float or pandas.Series
    options : dict
        The conventions used.
    """

    method = "chain ladder"

    def __init__(self, tri: Triangle, raw: dict[str, np.ndarray], options: dict[str, Any]) -> None:
        self.triangle = tri
        self._raw = raw
        self.options = options
        self.latest = tri._by_origin(raw["latest"], "latest")
        self.ultimate = tri._by_origin(raw["ultimate"], "ultimate")
        self.ibnr = tri._by_origin(raw["ibnr"], "ibnr")

    @property
    def factors(self) -> pd.DataFrame:
        """Age-to-age (the last age holds the tail) and age-to-ultimate factors by age (by
        segment and age for a stack)."""
        tri, raw = self.triangle, self._raw
        ldf = np.concatenate([raw["ldf"], raw["tail"][:, None]], axis=1)
        if tri.is_stacked:
            idx = _segment_product(tri.segments, [tri.ages])
            return pd.DataFrame({"age_to_age": ldf.reshape(-1), "age_to_ultimate": raw["cdf"].reshape(-1)}, index=idx)
        return pd.DataFrame({"age_to_age": ldf[0], "age_to_ultimate": raw["cdf"][0]}, index=tri.ages)

    @property
    def total_ibnr(self) -> float | pd.Series:
        return self.ibnr.sum(axis=1) if self.triangle.is_stacked else float(self.ibnr.sum())

    @property
    def tail(self) -> float | pd.Series:
        t = self._raw["tail"]
        return pd.Series(t, index=self.triangle.segments, name="tail") if self.triangle.is_stacked else float(t[0])

    def full_triangle(self) -> pd.DataFrame:
        """The completed cumulative triangle of the chain ladder (one triangle), with the
        ultimate (tail included) as the last column."""
        tri = self.triangle._single("full_triangle")
        full = _k.full_triangle(tri._cum()[0], self._raw["ldf"][0], [int(n) for n in tri._lengths()[0]])
        out = pd.DataFrame(full, index=tri.origin, columns=tri.ages)
        out["ultimate"] = full[:, -1] * self._raw["tail"][0]
        return out

    def summary(self) -> pd.DataFrame:
        """Latest, age-to-ultimate factor, ultimate and IBNR by origin (one triangle), with a total row."""
        tri = self.triangle._single("summary")
        cdf = self._raw["cdf"][0][tri._lengths()[0] - 1]
        df = pd.DataFrame({"latest": self.latest, "age_to_ultimate": cdf, "ultimate": self.ultimate, "ibnr": self.ibnr})
        df.loc["total"] = [df["latest"].sum(), np.nan, df["ultimate"].sum(), df["ibnr"].sum()]
        return df

    def _totals(self) -> str:
        if self.triangle.is_stacked:
            return f"{len(self.triangle)} segments, total IBNR {float(cast(pd.Series, self.total_ibnr).sum()):,.2f}"
        return f"total IBNR {self.total_ibnr:,.2f}"

    def __repr__(self) -> str:
        head = f"{type(self).__name__}({self.method}; {self._totals()})"
        if self.triangle.is_stacked:
            return head
        return cast(str, head + "\n" + self.summary().to_string(float_format=lambda x: f"{x:,.2f}"))

    def _repr_html_(self) -> str:
        head = f"<p><b>{html.escape(self.method.capitalize())}</b>: {html.escape(self._totals())}</p>"
        if self.triangle.is_stacked:
            return cast(str, head + self.ibnr.head(10).to_html(float_format=lambda x: f"{x:,.0f}"))
        return cast(str, head + self.summary().to_html(float_format=lambda x: f"{x:,.2f}", na_rep=""))


class MackResult(ReserveResult):
    """Chain ladder with Mack's standard errors.

    Attributes
    ----------
    se, process_se, parameter_se : pandas.Series or DataFrame
        Mack standard errors of the IBNR by origin: total, process and parameter parts.
    total_se, total_process_se, total_parameter_se : float or pandas.Series
        For the sum over origins (parameter errors of origins are correlated).
    sigma, f_se : pandas.Series or DataFrame
        Mack's sigma and the standard error of each age-to-age factor, by starting age.
    """

    method = "Mack chain ladder"

    def __init__(self, tri: Triangle, raw: dict[str, np.ndarray], options: dict[str, Any]) -> None:
        super().__init__(tri, raw, options)
        self.se = tri._by_origin(raw["se"], "se")
        self.process_se = tri._by_origin(raw["process_se"], "process_se")
        self.parameter_se = tri._by_origin(raw["parameter_se"], "parameter_se")
        ages = tri.ages[:-1]
        if tri.is_stacked:
            self.sigma = pd.DataFrame(raw["sigma"], index=tri.segments, columns=ages)
            self.f_se = pd.DataFrame(raw["f_se"], index=tri.segments, columns=ages)
            self.total_se = pd.Series(raw["total_se"], index=tri.segments, name="total_se")
            self.total_process_se = pd.Series(raw["total_process_se"], index=tri.segments)
            self.total_parameter_se = pd.Series(raw["total_parameter_se"], index=tri.segments)
        else:
            self.sigma = pd.Series(raw["sigma"][0], index=ages, name="sigma")
            self.f_se = pd.Series(raw["f_se"][0], index=ages, name="f_se")
            self.total_se = float(raw["total_se"][0])
            self.total_process_se = float(raw["total_process_se"][0])
            self.total_parameter_se = float(raw["total_parameter_se"][0])

    def summary(self) -> pd.DataFrame:
        df = super().summary()
        se = pd.concat([self.se, pd.Series({"total": self.total_se})])
        df["se"] = se.to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            df["cv"] = np.where(df["ibnr"] != 0, df["se"] / df["ibnr"].abs(), np.nan)
        return df

    def _totals(self) -> str:
        if self.triangle.is_stacked:
            return super()._totals()
        return (
            f"total IBNR {self.total_ibnr:,.2f}, Mack s.e. {self.total_se:,.2f} "
            f"(sigma: {self.options['sigma_extrapolation']})"
        )


class ExpectedLossResult(ReserveResult):
    """Bornhuetter-Ferguson, Benktander or Cape Cod: adds ``apriori`` (the a-priori ultimate used)
    and, for Cape Cod, ``elr`` (the estimated expected loss ratio by origin)."""

    def __init__(self, tri: Triangle, raw: dict[str, np.ndarray], options: dict[str, Any], method: str) -> None:
        super().__init__(tri, raw, options)
        self.method = method
        self.apriori = tri._by_origin(raw["apriori"], "apriori")
        self.elr = tri._by_origin(raw["elr"], "elr") if "elr" in raw else None

    def summary(self) -> pd.DataFrame:
        df = super().summary()
        df.insert(1, "apriori", [*self.apriori.to_numpy(), self.apriori.sum()])
        return df


def chain_ladder(
    tri: Triangle,
    average: Average = "volume",
    n_periods: int | None = None,
    exclude: Any = None,
    tail: Tail = None,
    tail_periods: int = 100,
    threads: int | None = None,
) -> ReserveResult:
    """Chain ladder ultimates and IBNR.

    Parameters
    ----------
    tri : Triangle
        One triangle or a stack (estimated segment by segment in one C++ call).
    average : {"volume", "simple", "regression"}, default "volume"
        Volume-weighted (the classical chain ladder), simple mean of the link ratios, or regression
        through the origin, sum C_j C_{j+1} / sum C_j^2.
    n_periods : int, optional
        Use only the latest ``n_periods`` link ratios of each age (default: all).
    exclude : list of (origin, age), or bool array (origins, ages - 1), optional
        Link ratios left out; ``(1982, 1)`` drops 1982's ratio from age 1 to age 2.
    tail : None, float, "exponential" or "inverse_power", default None
        No tail, a constant age-to-ultimate factor beyond the last age, or a curve fitted to
        log(f - 1) of the factors above 1 and extrapolated over ``tail_periods`` ages.
    tail_periods : int, default 100
        Ages extrapolated by a tail curve (chainladder-python's default).
    threads : int, optional
        Threads over the segments of a stack (default: all cores).

    Returns
    -------
    ReserveResult

    Raises
    ------
    ValueError
        Zero denominators of the factors, link ratios all excluded, bad tails; the message names the
        segment, origin and age.
    """
    opts = dict(average=average, n_periods=n_periods, exclude=exclude, tail=tail, tail_periods=tail_periods)
    return ReserveResult(tri, _run(tri, "chain_ladder", threads=threads, **opts), opts)


def mack(
    tri: Triangle,
    sigma_extrapolation: Literal["log-linear", "mack"] = "log-linear",
    average: Average = "volume",
    n_periods: int | None = None,
    exclude: Any = None,
    tail: Tail = None,
    tail_periods: int = 100,
    threads: int | None = None,
) -> MackResult:
    """Mack's chain ladder with standard errors of the reserves.

    Parameters
    ----------
    sigma_extrapolation : {"log-linear", "mack"}, default "log-linear"
        How sigma is filled at ages with a single link ratio (the last of a square triangle):
        ``"log-linear"`` regresses log sigma on the age and extrapolates (R ChainLadder's and
        chainladder-python's default); ``"mack"`` is Mack (1993)'s
        sigma_{n-1}^2 = min(sigma_{n-2}^4 / sigma_{n-3}^2, sigma_{n-3}^2, sigma_{n-2}^2).
        RAA: total s.e. 26,880.74 (log-linear) vs 26,909.01 (mack).
    average, n_periods, exclude, tail, tail_periods, threads
        As in :func:`chain_ladder`. With ``average="simple"`` / ``"regression"`` the variance is
        proportional to C^2 / C^0 (Mack 1999). With a tail, the tail is one more development
        step whose sigma and factor s.e. are extrapolated log-linearly to the tail's position, where
        the exponential curve through the factors reaches the tail factor (R ChainLadder's and
        chainladder-python's convention; the results match chainladder-python).

    Returns
    -------
    MackResult

    Raises
    ------
    ValueError
        Also when a cumulative value that enters the volume-weighted variance is not positive.
    """
    opts = dict(
        sigma_extrapolation=sigma_extrapolation,
        average=average,
        n_periods=n_periods,
        exclude=exclude,
        tail=tail,
        tail_periods=tail_periods,
    )
    return MackResult(tri, _run(tri, "mack", threads=threads, **opts), opts)


def benktander(
    tri: Triangle, apriori: Any, n_iter: int = 2, threads: int | None = None, **development: Any
) -> ExpectedLossResult:
    """Benktander (iterated Bornhuetter-Ferguson) ultimates.

    ``U(0) = apriori``, ``U(k) = latest + (1 - 1/CDF) U(k-1)``; ``n_iter=1`` is Bornhuetter-Ferguson
    and large ``n_iter`` tends to the chain ladder.

    Parameters
    ----------
    apriori : float, array or pandas.Series
        The a-priori expected ultimate of each origin in money (e.g. expected cost per covered
        worker x covered workers, or loss ratio x contributions); a Series is aligned on origin; a
        (segments, origins) array or DataFrame for a stack.
    n_iter : int, default 2
    **development
        ``average``, ``n_periods``, ``exclude``, ``tail``, ``tail_periods`` of the development
        pattern, as in :func:`chain_ladder`.
    """
    a = _per_origin(tri, apriori, "apriori")
    raw = _run(tri, "benktander", apriori=a, n_iter=n_iter, threads=threads, **development)
    name = "Bornhuetter-Ferguson" if n_iter == 1 else f"Benktander ({n_iter} iterations)"
    return ExpectedLossResult(tri, raw, dict(n_iter=n_iter, **development), name)


def bornhuetter_ferguson(
    tri: Triangle, apriori: Any, threads: int | None = None, **development: Any
) -> ExpectedLossResult:
    """Bornhuetter-Ferguson ultimates, ``latest + (1 - 1/CDF) * apriori``.

    Parameters
    ----------
    apriori : float, array or pandas.Series
        The a-priori expected ultimate of each origin in money (see :func:`benktander`).
    **development
        ``average``, ``n_periods``, ``exclude``, ``tail``, ``tail_periods`` as in :func:`chain_ladder`.
    """
    return benktander(tri, apriori, 1, threads=threads, **development)


def cape_cod(
    tri: Triangle, exposure: Any, trend: float = 0.0, decay: float = 1.0, threads: int | None = None, **development: Any
) -> ExpectedLossResult:
    """Cape Cod (Stanard-Buhlmann) ultimates with the loss ratio estimated from the data.

    ``ELR_i = sum_j decay^|i-j| latest_j (1+trend)^(t_i - t_j) / sum_j decay^|i-j| exposure_j / CDF_j``
    (t in years), ``apriori_i = ELR_i exposure_i``, then Bornhuetter-Ferguson.

    Parameters
    ----------
    exposure : float, array or pandas.Series
        Exposure of each origin (covered workers, payroll or contributions), positive.
    trend : float, default 0
        Annual cost trend bringing other origins' losses to the level of origin i.
    decay : float in [0, 1], default 1
        1 pools all origins into one ratio; 0 uses each origin alone (the chain ladder).
    **development
        As in :func:`chain_ladder`.
    """
    e = _per_origin(tri, exposure, "exposure")
    raw = _run(tri, "cape_cod", exposure=e, trend=trend, decay=decay, threads=threads, **development)
    return ExpectedLossResult(tri, raw, dict(trend=trend, decay=decay, **development), "Cape Cod")


# --------------------------------------------------------------------------------------------
# ODP bootstrap
# --------------------------------------------------------------------------------------------
class BootstrapResult(ReserveResult):
    """Simulated reserves of the ODP bootstrap.

    Attributes
    ----------
    scale : float (pandas.Series by segment for a stack)
        The ODP scale parameter phi (Pearson chi-square over degrees of freedom).
    ibnr_sims : pandas.DataFrame
        Simulated IBNR, simulations x origins (rows (segment, simulation) for a stack).
    total_sims : pandas.Series (DataFrame of simulations x segments for a stack)
        Simulated total IBNR over origins.
    ibnr, ultimate : pandas.Series (DataFrames of segments x origins for a stack)
        Means of the simulations (``ultimate = latest + mean IBNR``).
    chain_ladder_ibnr : pandas.Series or DataFrame
        The deterministic chain-ladder IBNR of the same data.
    se, total_se : standard deviations of the simulated IBNR (prediction errors).
    residuals, fitted, hat : pandas.DataFrame (one triangle only)
        Unscaled Pearson residuals, fitted incrementals and leverages of the observed cells.
    """

    method = "ODP bootstrap"

    def __init__(
        self, tri: Triangle, cl: dict[str, np.ndarray], model: Any, sims: np.ndarray, options: dict[str, Any]
    ) -> None:
        super().__init__(tri, cl, options)
        self.chain_ladder_ibnr = self.ibnr
        n_sims = int(options["n_sims"])
        sim_index = pd.RangeIndex(n_sims, name="simulation")
        if tri.is_stacked:
            self.scale = pd.Series(model.scale, index=tri.segments, name="scale")
            n_seg = len(cast(pd.Index, tri.segments))
            self.ibnr_sims = pd.DataFrame(sims, index=_segment_product(tri.segments, [sim_index]), columns=tri.origin)
            cube = sims.reshape(n_seg, n_sims, len(tri.origin))
            self.total_sims = pd.DataFrame(cube.sum(axis=2).T, index=sim_index, columns=tri.segments)
            self.ibnr = pd.DataFrame(cube.mean(axis=1), index=tri.segments, columns=tri.origin)
            self.se = pd.DataFrame(cube.std(axis=1, ddof=1), index=tri.segments, columns=tri.origin)
            self.total_se = self.total_sims.std(ddof=1).rename("total_se")
            self.residuals = self.fitted = self.hat = None
        else:
            self.scale = float(model.scale)
            self.ibnr_sims = pd.DataFrame(sims, index=sim_index, columns=tri.origin)
            self.total_sims = self.ibnr_sims.sum(axis=1).rename("total")
            self.ibnr = self.ibnr_sims.mean().rename("ibnr")
            self.se = self.ibnr_sims.std(ddof=1).rename("se")
            self.total_se = float(self.total_sims.std(ddof=1))

            def frame(m: Any) -> pd.DataFrame:
                return pd.DataFrame(m, index=tri.origin, columns=tri.ages)

            self.residuals, self.fitted, self.hat = frame(model.residuals), frame(model.fitted), frame(model.hat)
        self.ultimate = self.latest + self.ibnr

    def quantile(self, q: float | Sequence[float]) -> pd.DataFrame:
        """Quantiles of the simulated IBNR (rows: q): by origin and in total for one triangle, of
        the total of each segment for a stack."""
        qs = np.atleast_1d(np.asarray(q, dtype=float))
        if self.triangle.is_stacked:
            return self.total_sims.quantile(qs).rename_axis("quantile")
        out = self.ibnr_sims.quantile(qs)
        out["total"] = self.total_sims.quantile(qs).to_numpy()
        return out.rename_axis("quantile")

    def summary(self) -> pd.DataFrame:
        df = super().summary()
        df["se"] = [*self.se.to_numpy(), self.total_se]
        for q in (0.75, 0.95, 0.995):
            df[f"q{q:g}"] = [*self.ibnr_sims.quantile(q).to_numpy(), self.total_sims.quantile(q)]
        return df

    def _totals(self) -> str:
        n = len(self.total_sims)
        if self.triangle.is_stacked:
            return (
                f"{len(self.triangle)} segments x {n:,} simulations, mean total IBNR "
                f"{float(cast(pd.Series, self.total_ibnr).sum()):,.2f}"
            )
        return (
            f"{n:,} simulations, mean total IBNR {self.total_ibnr:,.2f}, "
            f"s.d. {self.total_se:,.2f}, phi {self.scale:,.2f}"
        )


def odp_bootstrap(
    tri: Triangle,
    n_sims: int = 1000,
    seed: int = 0,
    process: Literal["odp", "gamma"] = "odp",
    hat_adjust: bool = True,
    threads: int | None = None,
    progress: bool | None = None,
) -> BootstrapResult:
    """Over-dispersed Poisson bootstrap of the chain ladder (England & Verrall 2002).

    Parameters
    ----------
    tri : Triangle
        One triangle or a stack (each segment bootstrapped on its own, in one C++ call per chunk
        of segments; volume-weighted chain ladder on all link ratios, no tail).
    n_sims : int, default 1000
        Simulations (per segment for a stack).
    seed : int, default 0
        The results for a seed are the same whatever ``threads``: simulation s of segment g draws
        from its own Philox stream of ``wifund/core/random.hpp`` (stream 16, keyed by the seed,
        counted from g * 2**40 + s), so a shorter run is the head of a longer one. Segment 0 of a
        stack reproduces the single-triangle run with the same seed.
    process : {"odp", "gamma"}, default "odp"
        Process distribution of each future incremental with mean m and variance phi |m|:
        phi x Poisson(|m| / phi) or Gamma(shape |m| / phi, scale phi), with the sign of m.
    hat_adjust : bool, default True
        Standardise residuals by the hat matrix, r / sqrt(1 - h) (Shapland); else by the degrees
        of freedom factor sqrt(N / (N - p)) (England & Verrall).
    threads : int, optional
        Default: all cores.
    progress : bool, optional
        Show a tqdm bar; default: only for 20,000 simulations x segments or more
        (``wifund._progress.THRESHOLDS``).

    Returns
    -------
    BootstrapResult

    Raises
    ------
    ValueError
        ``n_sims`` not an integer >= 2 (2.5 and True are not counts), ``seed`` not an integer in
        [0, 2**64), ``threads`` not None or an integer >= 1, an unknown ``process``, and triangles
        the bootstrap cannot fit (zero fitted incrementals, no more cells than parameters).
    MemoryError
        Before anything is allocated, when the simulated IBNR would need more than the machine's
        memory; the message says how many GiB.
    """
    _require_triangle("odp_bootstrap", tri)
    n_sims = _count("odp_bootstrap", "n_sims", n_sims, 2)
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral) or not 0 <= seed < 2**64:
        raise ValueError(f"odp_bootstrap: seed = {seed!r} must be an integer in [0, 2**64)")
    n_threads = _threads(threads, "odp_bootstrap")
    if process not in ("odp", "gamma"):
        raise ValueError(f"odp_bootstrap: process = {process!r} is not one of 'odp', 'gamma'")
    n_seg, n_o = tri._values.shape[0], len(tri.origin)
    # The simulated IBNR (8 bytes a value) exists about three times at the peak: the C++ result,
    # the stacked array and the frames of the result.
    _require_memory(
        "odp_bootstrap",
        f"n_sims = {n_sims}",
        3.0 * 8.0 * n_sims * n_seg * n_o,
        f" ({n_seg} segment{'s' if n_seg > 1 else ''} x {n_o} origins x {n_sims:,} simulations x "
        f"8 bytes, about 3 copies at the peak)",
    )
    origins, ages = [_label(o) for o in tri.origin], [_label(a) for a in tri.ages]
    cl = _run(tri, "chain_ladder", threads=1)
    opts = dict(n_sims=n_sims, seed=seed, process=process, hat_adjust=hat_adjust)
    parts = []
    if tri.is_stacked:
        n_seg = len(tri)
        try:
            model = _k.OdpBootstrapStack(tri._cum(), bool(hat_adjust), origins, ages)
        except TriangleError as e:
            raise _placed(tri, e) from None
        bar = _progress_bar(progress, n_seg * n_sims)
        # About 20 progress updates; one call without a bar (the split does not change the numbers).
        step = n_seg if bar is None else max(1, math.ceil(n_seg / 20))
        for first in range(0, n_seg, step):
            last = min(n_seg, first + step)
            parts.append(model.simulate(process, int(seed), first, last, n_sims, n_threads))
            if bar is not None:
                bar.update((last - first) * n_sims)
    else:
        model = _k.OdpBootstrapModel(np.ascontiguousarray(tri._cum()[0]), bool(hat_adjust), origins, ages)
        block = _k.bootstrap_block
        bar = _progress_bar(progress, n_sims)
        chunk = n_sims if bar is None else block * max(1, math.ceil(n_sims / block / 20))
        for begin in range(0, n_sims, chunk):
            end = min(n_sims, begin + chunk)
            parts.append(model.simulate(process, int(seed), begin, end, n_threads))
            if bar is not None:
                bar.update(end - begin)
    if bar is not None:
        bar.close()
    return BootstrapResult(tri, cl, model, np.vstack(parts), opts)


def _progress_bar(progress: bool | None, total: int) -> Any:
    return _progress.bar(progress, total, "ODP bootstrap", unit="sim")


# --------------------------------------------------------------------------------------------
# Payment patterns
# --------------------------------------------------------------------------------------------
class PaymentPattern:
    """The payment pattern of a development and the cash flows of the outstanding reserve.

    Attributes
    ----------
    proportions : pandas.Series (DataFrame of segments x lags for a stack)
        p[0..L] summing to 1: p[0] is the share of an injury year's ultimate paid in the injury
        year itself, p[l] the share paid l years (periods) later; from the chain-ladder
        age-to-ultimate factors, tail included (a constant tail is paid in the year after the
        last age, a curve tail over its extrapolated years).
    cumulative : pandas.Series or DataFrame
        Cumulative shares paid.
    cash_flows : pandas.Series (DataFrame of segments x periods for a stack)
        Expected payments of the reserve by future calendar period (valuation + 1, + 2, ...).
    cash_flows_by_origin : pandas.DataFrame
        The same by origin (rows; (segment, origin) for a stack) and calendar period (columns).
    """

    def __init__(self, proportions: np.ndarray, cash_flows: np.ndarray, tri: Triangle) -> None:
        """``proportions`` is (segments, lags); ``cash_flows`` (segments, origins * periods)."""
        n_seg, n_o = proportions.shape[0], len(tri.origin)
        horizon = cash_flows.shape[1] // n_o
        lags = pd.RangeIndex(proportions.shape[1], name="lag")
        val = tri.valuation
        periods = pd.Index([_shift(val, h, tri.grain) for h in range(1, horizon + 1)], name="calendar")
        cf = cash_flows.reshape(n_seg * n_o, horizon)
        if tri.is_stacked:
            self.proportions = pd.DataFrame(proportions, index=tri.segments, columns=lags)
            self.cumulative = self.proportions.cumsum(axis=1)
            self.cash_flows_by_origin = pd.DataFrame(
                cf, index=_segment_product(tri.segments, [tri.origin]), columns=periods
            )
            self.cash_flows = pd.DataFrame(
                cf.reshape(n_seg, n_o, horizon).sum(axis=1), index=tri.segments, columns=periods
            )
        else:
            self.proportions = pd.Series(proportions[0], index=lags, name="proportion")
            self.cumulative = self.proportions.cumsum().rename("cumulative")
            self.cash_flows_by_origin = pd.DataFrame(cf, index=tri.origin, columns=periods)
            self.cash_flows = self.cash_flows_by_origin.sum(axis=0).rename("cash_flow")
        self._stacked = tri.is_stacked
        self._periods_per_year = 1 if tri.grain == "Y" else 4

    def discounted(self, rate: float, timing: Literal["mid", "end", "start"] = "mid") -> float | pd.Series:
        """Present value at the valuation date of the reserve's cash flows (by segment for a stack).

        Parameters
        ----------
        rate : float
            Annual effective discount rate (> -1).
        timing : {"mid", "end", "start"}, default "mid"
            When in each period the payments are made: mid-period (payments spread over the
            year), at its end or at its start.
        """
        try:
            r = float(rate)
        except (TypeError, ValueError):
            raise ValueError(f"discounted: rate = {rate!r} must be a number > -1") from None
        if not (math.isfinite(r) and r > -1.0):
            raise ValueError(f"discounted: rate = {r} must be finite and > -1")
        rate = r
        shift = {"mid": 0.5, "end": 0.0, "start": 1.0}
        if timing not in shift:
            raise ValueError(f"discounted: timing = {timing!r} is not one of 'mid', 'end', 'start'")
        h = np.arange(1, self.cash_flows.shape[-1] + 1) - shift[timing]
        v = (1.0 + rate) ** (-h / self._periods_per_year)
        pv = self.cash_flows.to_numpy() @ v
        return pd.Series(pv, index=self.cash_flows.index, name="present_value") if self._stacked else float(pv)

    def _reserve(self) -> float:
        return float(np.sum(self.cash_flows.to_numpy()))

    def __repr__(self) -> str:
        head = (
            f"PaymentPattern({self.proportions.shape[-1]} lags, reserve {self._reserve():,.2f} paid over "
            f"{self.cash_flows.shape[-1]} periods" + (f", {len(self.proportions)} segments)" if self._stacked else ")")
        )
        if self._stacked:
            return head
        return cast(str, head + "\n" + self.proportions.to_string(float_format=lambda x: f"{x:.4f}"))

    def _repr_html_(self) -> str:
        head = (
            f"<p><b>Payment pattern</b>: reserve {self._reserve():,.2f} paid over "
            f"{self.cash_flows.shape[-1]} periods</p>"
        )
        if self._stacked:
            return cast(str, head + self.proportions.head(10).to_html(float_format=lambda x: f"{x:.4f}"))
        df = pd.DataFrame({"proportion": self.proportions, "cumulative": self.cumulative})
        body: str = df.T.to_html(float_format=lambda x: f"{x:.4f}") + self.cash_flows.to_frame().T.to_html(
            float_format=lambda x: f"{x:,.0f}"
        )
        return head + body


def payment_pattern(result: ReserveResult, max_tail_periods: int = 1000) -> PaymentPattern:
    """Payment pattern and reserve cash flows of a reserving result (one triangle or a stack,
    computed over the segments in one C++ call).

    The reserve (``result.ibnr``) of each origin is paid in proportion to the pattern's remaining
    shares; for the chain ladder this reproduces the projected incrementals exactly. Cash flows
    are counted from the valuation diagonal (the latest calendar period of the triangle); amounts
    that the pattern places on or before it fall in the first future period.

    Parameters
    ----------
    result : ReserveResult
        From any method of this module.
    max_tail_periods : int, default 1000
        Keep at most this many tail periods; the rest of the tail is paid in the last one kept.
    """
    if not isinstance(result, ReserveResult):
        raise TypeError(
            f"payment_pattern: result must be a ReserveResult (from chain_ladder, mack, "
            f"bornhuetter_ferguson, ...), got {type(result).__name__}"
        )
    max_tail_periods = _count("payment_pattern", "max_tail_periods", max_tail_periods, 1, 100_000)
    tri, raw = result.triangle, result._raw
    ibnr = np.atleast_2d(result.ibnr.to_numpy(dtype=float))
    p, cf = _k.payment_pattern_batch(
        raw["cdf"], raw["tail_ldfs"], tri._lengths().astype(np.int64), ibnr, int(max_tail_periods)
    )
    return PaymentPattern(p, cf, tri)


# --------------------------------------------------------------------------------------------
# Demo data
# --------------------------------------------------------------------------------------------
def demo_triangle() -> Triangle:
    """The illustrative triangle of cumulative work-injury medical payments (yuan) of the demo
    province, injury years 2015-2024 at 2024-12-31. Synthetic: see
    ``wifund/data/demo/medical_payments_triangle.md``."""
    path = resources.files("wifund") / "data" / "demo" / "medical_payments_triangle.csv"
    with path.open() as f:
        df = pd.read_csv(f, comment="#")
    return Triangle.from_frame(
        df, origin="injury_year", development="payment_year", value="cumulative_paid", development_is="calendar"
    )
