"""Checks of values a user sets, shared by every entry point (issue #7).

Every value that enters wifund — from a file, a DataFrame, a dict, a keyword argument or a command-line
flag — passes one of these checks where it enters. Each check returns the value (converted where the
conversion is exact, e.g. ``numpy.int64`` → ``int``) or raises with a message that names

* the field (``project: years``, ``assumptions: wage_growth``, ``policy 'jilin': benefits.care.rate``),
* where it is (``for city 'Xihe' in 2027``, ``from 2011-01-01``), when given, and
* the value as the user wrote it (``True``, ``2025.7``, ``nan``, ``'abc'``),

followed by the rule it breaks (design §4). Wrong types raise :class:`InputTypeError`, a subclass of
both ``TypeError`` and ``ValueError`` (like ``numpy.exceptions.AxisError``), so callers that catch
``ValueError`` for bad input — the command line, earlier versions of wifund — keep working.

Checks are cheap on the good path: no message is formatted unless a check fails, and array checks
are vectorised (one mask per rule, the first offending element named).
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, cast

import numpy as np

__all__ = [
    "InputTypeError",
    "show",
    "suggest",
    "check_type",
    "check_not_none",
    "check_int",
    "check_number",
    "check_finite",
    "check_fraction",
    "check_choice",
    "check_bool",
    "check_pair_ordered",
    "check_length",
    "check_keys",
    "check_array",
    "check_shares",
]


class InputTypeError(TypeError, ValueError):
    """A value of the wrong type (``years=True``, ``start=2025.7``, ``province=None``).

    Subclasses both ``TypeError`` (what it is) and ``ValueError`` (what bad input raised before, and
    what the command line catches)."""


# ------------------------------------------------------------------------------------------------
# Formatting (only called on the failure path)
# ------------------------------------------------------------------------------------------------
def _plain(value: Any) -> Any:
    """NumPy scalars as Python scalars, so a message shows ``1.5``, not ``np.float64(1.5)``."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    return value


def show(value: Any, limit: int = 120) -> str:
    """A value as printed in messages: ``True``, ``2025.7``, ``nan``, ``'abc'``, ``[3.0, 0.6]``."""
    value = _plain(value)
    if isinstance(value, (list, tuple)):
        value = [_plain(v) for v in value]
    elif isinstance(value, Mapping):
        value = {k: _plain(v) for k, v in value.items()}
    if value is None:
        return "None"
    text = repr(value)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return text


def _type_name(value: Any) -> str:
    return type(value).__name__


def suggest(name: Any, known: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest known name, or ``""``."""
    hint = difflib.get_close_matches(str(name), [str(k) for k in known], n=1, cutoff=0.6)
    return f"; did you mean {hint[0]!r}?" if hint else ""


def _fail(name: str, value: Any, rule: str, where: str = "", exc: type[Exception] = ValueError) -> Exception:
    loc = f" {where}" if where else ""
    return exc(f"{name}{loc} = {show(value)}: {rule}")


def _is_bool(value: Any) -> bool:
    return isinstance(value, (bool, np.bool_))


def _is_real(value: Any) -> bool:
    """An int or float that is not a bool (bool is an int subclass: True is not money)."""
    return isinstance(value, (int, float, np.integer, np.floating)) and not _is_bool(value)


def _range_text(lo: float | None, hi: float | None, lo_open: bool = False, hi_open: bool = False) -> str:
    if lo is not None and hi is not None:
        return f"must lie in {'(' if lo_open else '['}{lo:g}, {hi:g}{')' if hi_open else ']'}"
    if lo is not None:
        return f"must be {'>' if lo_open else '>='} {lo:g}"
    return f"must be {'<' if hi_open else '<='} {hi:g}"


# ------------------------------------------------------------------------------------------------
# Scalars
# ------------------------------------------------------------------------------------------------
def check_type(name: str, value: Any, types: type | tuple[type, ...], what: str, where: str = "") -> Any:
    """``value`` is an instance of ``types`` (``what`` says it in words: "a Province")."""
    if not isinstance(value, types) or (
        _is_bool(value) and bool not in (types if isinstance(types, tuple) else (types,))
    ):
        raise _fail(name, value, f"must be {what}, not {_type_name(value)}", where, InputTypeError)
    return value


def check_not_none(name: str, value: Any, what: str, where: str = "") -> Any:
    """``value`` is not ``None`` where an object is required."""
    if value is None:
        raise _fail(name, value, f"must be {what}; None is not allowed here", where, InputTypeError)
    return value


def check_int(name: str, value: Any, lo: int | None = None, hi: int | None = None, where: str = "") -> int:
    """An integer (``int`` or NumPy integer; not bool, not float, not str) in ``[lo, hi]``."""
    if not isinstance(value, (int, np.integer)) or _is_bool(value):
        raise _fail(name, value, f"must be an integer, not {_type_name(value)}", where, InputTypeError)
    v = int(value)
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        raise _fail(
            name,
            value,
            "must be an integer "
            + (f"from {lo} to {hi}" if lo is not None and hi is not None else _range_text(lo, hi)[len("must be ") :]),
            where,
        )
    return v


def check_number(
    name: str,
    value: Any,
    lo: float | None = None,
    hi: float | None = None,
    where: str = "",
    *,
    lo_open: bool = False,
    hi_open: bool = False,
) -> float:
    """A finite real number (not bool, not str) in the range; returns it as ``float``."""
    if not _is_real(value):
        raise _fail(name, value, f"must be a number, not {_type_name(value)}", where, InputTypeError)
    v = float(value)
    if not math.isfinite(v):
        raise _fail(name, value, "must be a finite number", where)
    if (lo is not None and (v <= lo if lo_open else v < lo)) or (hi is not None and (v >= hi if hi_open else v > hi)):
        raise _fail(name, value, _range_text(lo, hi, lo_open, hi_open), where)
    return v


def check_finite(name: str, value: Any, where: str = "") -> float:
    """A finite real number (NaN and ±inf are errors)."""
    return check_number(name, value, where=where)


def check_fraction(name: str, value: Any, where: str = "") -> float:
    """A fraction in [0, 1]."""
    return check_number(name, value, 0.0, 1.0, where)


def check_bool(name: str, value: Any, where: str = "") -> bool:
    """``True`` or ``False`` (not 1, not "yes")."""
    if not _is_bool(value):
        raise _fail(name, value, f"must be true or false, not {_type_name(value)}", where, InputTypeError)
    return bool(value)


def check_choice(name: str, value: Any, choices: Sequence[Any], where: str = "") -> Any:
    """One of ``choices``; the message lists them and suggests the closest."""
    try:
        ok = value in choices
    except TypeError:  # unhashable in a set-like choices
        ok = False
    if not ok:
        raise _fail(name, value, f"must be one of {list(choices)}{suggest(value, map(str, choices))}", where)
    return value


def check_pair_ordered(
    name: str, value: Any, lo: float | None = None, hi: float | None = None, where: str = ""
) -> tuple[float, float]:
    """A pair ``[low, high]`` of finite numbers with ``low <= high`` (each in ``[lo, hi]``)."""
    check_length(name, value, 2, where)
    for v in value:
        if not _is_real(v) or not math.isfinite(float(v)):
            raise _fail(
                name,
                value,
                "must be a pair of finite numbers",
                where,
                InputTypeError if not _is_real(v) else ValueError,
            )
        if (lo is not None and v < lo) or (hi is not None and v > hi):
            raise _fail(name, value, f"both values {_range_text(lo, hi)}", where)
    a, b = float(value[0]), float(value[1])
    if a > b:
        raise _fail(name, value, "must be an ordered pair (low <= high)", where)
    return a, b


def check_length(name: str, value: Any, n: int, where: str = "") -> Any:
    """A list / tuple / 1-d array of exactly ``n`` items."""
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, (Sequence, np.ndarray)):
        raise _fail(name, value, f"must be a list of {n} values, not {_type_name(value)}", where, InputTypeError)
    if len(value) != n:
        raise _fail(name, value, f"must be a list of {n} values, got {len(value)}", where)
    return value


def check_keys(name: str, keys: Iterable[Any], known: Iterable[str], what: str = "key", where: str = "") -> None:
    """No key outside ``known``: the first unknown one is named with a did-you-mean hint."""
    known = list(known)
    for k in keys:
        if k not in known:
            loc = f" {where}" if where else ""
            raise ValueError(f"{name}{loc}: unknown {what} {k!r}{suggest(k, known)} (known: {sorted(known)})")


# ------------------------------------------------------------------------------------------------
# Arrays (vectorised)
# ------------------------------------------------------------------------------------------------
def check_array(
    name: str,
    values: Any,
    lo: float | None = None,
    hi: float | None = None,
    *,
    label: Callable[[tuple[int, ...]], str] | None = None,
    allow_nan: bool = False,
    lo_open: bool = False,
    hi_open: bool = False,
) -> np.ndarray:
    """A float array, finite (NaN allowed when ``allow_nan``) and in range; the first bad element is
    named by ``label(index)`` (e.g. ``"for city 'Xihe' in 2027"``)."""
    raw = values
    if _is_bool(raw) or (isinstance(raw, np.ndarray) and raw.dtype == bool):
        raise _fail(name, raw, "must be numbers, not booleans", "", InputTypeError)
    if isinstance(raw, (list, tuple)) and any(_is_bool(v) for v in raw):
        raise _fail(name, raw, "must be numbers, not booleans", "", InputTypeError)
    try:
        arr = np.asarray(raw, dtype=float)
    except (TypeError, ValueError):
        raise _fail(name, raw, "must be numbers", "", InputTypeError) from None
    rules: list[tuple[np.ndarray, str]] = []
    nan = np.isnan(arr)
    if not allow_nan:
        rules.append((nan, "must be a number (NaN is not allowed)"))
    rules.append((np.isinf(arr), "must be finite"))
    with np.errstate(invalid="ignore"):
        if lo is not None:
            rules.append(((arr <= lo) if lo_open else (arr < lo), _range_text(lo, hi, lo_open, hi_open)))
        if hi is not None:
            rules.append(((arr >= hi) if hi_open else (arr > hi), _range_text(lo, hi, lo_open, hi_open)))
    for mask, rule in rules:
        if mask.any():
            idx = np.unravel_index(int(np.argmax(mask)), arr.shape) if arr.ndim else ()
            where = (
                label(cast(tuple[int, ...], idx))
                if label is not None
                else (f"[{', '.join(map(str, idx))}]" if idx else "")
            )
            raise _fail(name, arr[idx] if arr.ndim else float(arr), rule, where)
    return arr


def check_shares(
    name: str, values: Any, n: int | None = None, total: float | None = 1.0, where: str = "", tol: float = 1e-6
) -> list[float]:
    """Shares: each in [0, 1], ``n`` of them, summing to ``total`` (within ``tol``) when given."""
    if n is not None:
        check_length(name, values, n, where)
    arr = check_array(
        name, values, 0.0, 1.0, label=lambda i: f"{where + ' ' if where else ''}item {i[0] + 1}" if i else where
    )
    if total is not None and abs(float(arr.sum()) - total) > tol:
        raise _fail(name, values, f"shares must sum to {total:g} (they sum to {float(arr.sum()):.6g})", where)
    return [float(v) for v in arr]
