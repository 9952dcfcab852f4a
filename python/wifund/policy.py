"""Policy as code: dated, sourced parameters of the work-injury insurance fund.

A *policy* is a chain of layers (child first), for example ``jilin → national``. Each layer is a
TOML file (``python/wifund/data/policy/<name>.toml`` for the packaged ones) holding, per parameter
key, a list of dated entries::

    [params."contribution.base_rate"]
    description = "..."
    unit = "fraction of payroll"
    values = [
      { from = 2015-10-01, value = [0.002, ...], source = "人社部发〔2015〕71号" },
    ]

and optional ``[[increments]]`` events (flat benefit increases for people in payment).

``Policy.at(date)`` resolves every key in force on a date into a :class:`Params` mapping: layers are
searched child → parent and the first layer with an entry in force wins. Reforms and scenarios are
overrides (``policy.override({...})``) that add a new top layer; the original policy never changes
(the OpenFisca model of reforms as parameter overrides).

This module depends only on the standard library and pandas; it does not import ``wifund._core``.

Every value is checked where it enters — on load and on :meth:`Policy.override` — against the unit
and rules its key declares in the root-most layer (``unit``, ``range``, ``length``, ``fields``,
``order``, ``choices``, ``integer``; :data:`UNITS`); the message names the file or override, the key,
the date, the value and the rule.
"""

from __future__ import annotations

import bisect
import copy
import datetime as _dt
import difflib
import html
import math
import numbers
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pandas as pd

from ._csv import read_toml

__all__ = ["Policy", "Params"]

DateLike = _dt.date | str | int

#: ``from`` of a plain override value: in force on every date.
ALWAYS = _dt.date.min

_ENTRY_FIELDS = {"from", "to", "value", "source", "assumed", "note"}
#: Fields of a key table: ``unit`` (its first word is the checked unit, see :data:`UNITS`) and the
#: optional rules ``range``, ``length``, ``fields``, ``order``, ``choices``, ``integer`` (docs/policy.md).
_DECL_FIELDS = ("range", "length", "fields", "order", "choices", "integer")
_KEY_FIELDS = {"description", "unit", "values", "note", *_DECL_FIELDS}
_POLICY_FIELDS = {"name", "inherits", "title", "description"}
_INCREMENT_FIELDS = {
    "effective",
    "cutoff",
    "allowance",
    "care",
    "spouse",
    "other",
    "lone_extra",
    "exclude_retired",
    "floor",
    "floor_topup",
    "legacy_subsidy",
    "source",
    "assumed",
    "note",
}
# Shape of an increment event: grades 1..6 allowance, care levels full/major/partial, the legacy monthly
# disability subsidy (按月领取伤残补助金, 吉人社发〔2022〕24号) grades 1..10.
_INCREMENT_LISTS = {"allowance": 6, "care": 3, "legacy_subsidy": 10}
# floor / floor_topup: "+floor_topup more if the allowance after the increment is below floor"
# (吉人社发〔2022〕24号, 吉人社发〔2023〕5号), yuan/month; both 0 when the round has no floor rule.
_INCREMENT_SCALARS = ("spouse", "other", "lone_extra", "floor", "floor_topup")


# ------------------------------------------------------------------------------------------------
# Dates
# ------------------------------------------------------------------------------------------------
def _to_date(value: Any, what: str = "date") -> _dt.date:
    """Convert a date, ``"YYYY-MM-DD"`` string or ``int`` year (Jan 1) to ``datetime.date``."""
    if isinstance(value, _dt.datetime):  # also pandas.Timestamp; checked before date (subclass)
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, bool):  # bool is an int subclass: True is not a year
        raise ValueError(f"{what}: expected a date, 'YYYY-MM-DD' string or int year, got {value!r}")
    if isinstance(value, numbers.Integral):  # int, numpy.int64
        value = int(value)
        if not 1 <= value <= 9999:
            raise ValueError(f"{what}: year {value} is out of range 1..9999")
        return _dt.date(value, 1, 1)
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{what}: {value!r} is not a 'YYYY-MM-DD' date") from None
    raise ValueError(f"{what}: expected a date, 'YYYY-MM-DD' string or int year, got {value!r}")


# ------------------------------------------------------------------------------------------------
# Internal data model
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Entry:
    start: _dt.date
    end: _dt.date | None  # inclusive; None = until superseded
    value: Any
    source: str
    assumed: bool
    note: str


@dataclass
class _Key:
    description: str = ""
    unit: str = ""
    entries: list[_Entry] = field(default_factory=list)
    starts: list[_dt.date] = field(default_factory=list)  # entry starts, for bisect
    decl: _Decl | None = None  # unit and rules declared in this layer (None: inherited / undeclared)

    def in_force(self, d: _dt.date) -> _Entry | None:
        """The last entry with ``start <= d``, if its ``end`` (inclusive) does not fall before d."""
        i = bisect.bisect_right(self.starts, d) - 1
        if i < 0:
            return None
        e = self.entries[i]
        return e if e.end is None or d <= e.end else None


@dataclass
class _Layer:
    name: str
    origin: str  # file path, or "<override>"
    title: str
    description: str
    keys: dict[str, _Key]
    increments: list[dict[str, Any]]
    checked: bool = False  # values checked against the declarations of its chain (done once)


def _check_entries(entries: list[_Entry], origin: str, key: str) -> None:
    """Entries of one key in one layer: ascending ``from``, no overlap, ``to >= from``."""
    for e in entries:
        if e.end is not None and e.end < e.start:
            raise ValueError(f"{origin}: key {key!r}: entry from {e.start} has 'to' {e.end} before its 'from'")
    for a, b in zip(entries, entries[1:]):
        if b.start <= a.start:
            raise ValueError(
                f"{origin}: key {key!r}: entries not in ascending 'from' order ({a.start} is followed by {b.start})"
            )
        if a.end is not None and a.end >= b.start:
            raise ValueError(
                f"{origin}: key {key!r}: entries overlap (entry from {a.start} runs to {a.end}, "
                f"the next starts {b.start})"
            )


def _parse_entry(raw: Any, origin: str, key: str) -> _Entry:
    if not isinstance(raw, Mapping):
        raise ValueError(f"{origin}: key {key!r}: each entry must be a table, got {raw!r}")
    unknown = set(raw) - _ENTRY_FIELDS
    if unknown:
        raise ValueError(
            f"{origin}: key {key!r}: unknown entry field(s) {sorted(unknown)}; allowed: {sorted(_ENTRY_FIELDS)}"
        )
    if "from" not in raw:
        raise ValueError(f"{origin}: key {key!r}: entry without 'from' date: {dict(raw)!r}")
    start = _to_date(raw["from"], f"{origin}: key {key!r}: 'from'")
    where = f"{origin}: key {key!r}: entry from {start}"
    end = _to_date(raw["to"], f"{where}: 'to'") if raw.get("to") is not None else None
    if "value" not in raw:
        raise ValueError(f"{where}: missing 'value'")
    source = raw.get("source")
    if not isinstance(source, str) or not source.strip():
        raise ValueError(f"{where}: missing 'source' (the document number, 文号)")
    assumed = raw.get("assumed", False)
    if not isinstance(assumed, bool):
        raise ValueError(f"{where}: 'assumed' must be true or false, got {assumed!r}")
    note = raw.get("note", "")
    if not isinstance(note, str):
        raise ValueError(f"{where}: 'note' must be a string, got {note!r}")
    return _Entry(start, end, copy.deepcopy(raw["value"]), source.strip(), assumed, note)


def _make_key(entries: list[_Entry], origin: str, key: str, description: str = "", unit: str = "") -> _Key:
    _check_entries(entries, origin, key)
    return _Key(description, unit, entries, [e.start for e in entries])


def _parse_key(raw: Any, origin: str, key: str) -> _Key:
    if not isinstance(raw, Mapping):
        raise ValueError(f"{origin}: key {key!r}: expected a table with 'values', got {raw!r}")
    unknown = set(raw) - _KEY_FIELDS
    if unknown:
        raise ValueError(f"{origin}: key {key!r}: unknown field(s) {sorted(unknown)}; allowed: {sorted(_KEY_FIELDS)}")
    values = raw.get("values")
    if not isinstance(values, list) or not values:
        raise ValueError(f"{origin}: key {key!r}: 'values' must be a non-empty array of entries")
    entries = [_parse_entry(v, origin, key) for v in values]
    description, unit = str(raw.get("description", "")), raw.get("unit", "")
    if not isinstance(unit, str):
        raise ValueError(f"{origin}: key {key!r}: 'unit' must be a string, got {unit!r}")
    k = _make_key(entries, origin, key, description, unit)
    if unit or any(f in raw for f in _DECL_FIELDS):
        k.decl = _parse_decl(raw, origin, key)
    return k


def _parse_increment(raw: Any, origin: str, index: int) -> dict[str, Any]:
    where = f"{origin}: increments[{index}]"
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where}: expected a table, got {raw!r}")
    unknown = set(raw) - _INCREMENT_FIELDS
    if unknown:
        raise ValueError(f"{where}: unknown field(s) {sorted(unknown)}; allowed: {sorted(_INCREMENT_FIELDS)}")
    for req in ("effective", "cutoff", "allowance"):
        if req not in raw:
            raise ValueError(f"{where}: missing {req!r}")
    ev: dict[str, Any] = {
        "effective": _to_date(raw["effective"], f"{where}: 'effective'"),
        "cutoff": _to_date(raw["cutoff"], f"{where}: 'cutoff'"),
    }
    where = f"{origin}: increment effective {ev['effective']}"
    if ev["cutoff"] > ev["effective"]:
        # Increments apply to people already in payment: the cohort cut-off is never in the future.
        raise ValueError(f"{where}: cutoff {ev['cutoff']} is after the effective date")
    for name, n in _INCREMENT_LISTS.items():
        vals = raw.get(name, [0] * n)
        if not isinstance(vals, list) or len(vals) != n or not all(_is_amount(v) for v in vals):
            raise ValueError(f"{where}: {name!r} must be a list of {n} non-negative numbers, got {vals!r}")
        ev[name] = [float(v) for v in vals]
    for name in _INCREMENT_SCALARS:
        v = raw.get(name, 0)
        if not _is_amount(v):
            raise ValueError(f"{where}: {name!r} must be a non-negative number, got {v!r}")
        ev[name] = float(v)
    if (ev["floor"] > 0) != (ev["floor_topup"] > 0):
        raise ValueError(
            f"{where}: floor = {ev['floor']:g} and floor_topup = {ev['floor_topup']:g}: a floor top-up needs both "
            "(the allowance below 'floor' after the increment gets 'floor_topup' more), or neither"
        )
    for name in ("exclude_retired", "assumed"):
        v = raw.get(name, False)
        if not isinstance(v, bool):
            raise ValueError(f"{where}: {name!r} must be true or false, got {v!r}")
        ev[name] = v
    source = raw.get("source")
    if not isinstance(source, str) or not source.strip():
        raise ValueError(f"{where}: missing 'source' (the document number, 文号)")
    ev["source"] = source.strip()
    ev["note"] = str(raw.get("note", ""))
    return ev


def _is_amount(v: Any) -> bool:
    """A finite number >= 0 (not bool: True is not 1 yuan; not NaN or inf)."""
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) and v >= 0


# ------------------------------------------------------------------------------------------------
# Units and ranges: every value is checked where it enters (file load and override), issue #7
# ------------------------------------------------------------------------------------------------
_INF = math.inf

#: Checked units: the first word of a key's ``unit`` (``"fraction of payroll"`` → fraction). Each has
#: a value kind and a default range; ``range = [lo, hi]`` in the key table narrows it.
UNITS: dict[str, tuple[str, float, float]] = {
    "fraction": ("number", 0.0, 1.0),
    "multiple": ("number", 0.0, _INF),
    "ratio": ("number", 0.0, _INF),
    "months": ("number", 0.0, _INF),
    "years": ("number", 0.0, _INF),
    "days": ("number", 0.0, _INF),
    "age": ("number", 0.0, 120.0),
    "yuan": ("number", 0.0, _INF),
    "yuan/month": ("number", 0.0, _INF),
    "yuan/day": ("number", 0.0, _INF),
    "yuan/year": ("number", 0.0, _INF),
    "count": ("number", 0.0, _INF),
    "bool": ("bool", 0.0, 0.0),
    "enum": ("choice", 0.0, 0.0),
    "date": ("date", 0.0, 0.0),
    "text": ("text", 0.0, 0.0),
}
_UNIT_ALIASES = {
    "cny": "yuan",
    "cny/month": "yuan/month",
    "cny/day": "yuan/day",
    "cny/year": "yuan/year",
    "fractions": "fraction",
    "multiples": "multiple",
    "month": "months",
    "year": "years",
}
_ORDERS = ("ascending", "descending")


@dataclass(frozen=True)
class _Decl:
    """The unit and rules of one key, as declared in the first (root-most) layer that declares it."""

    unit: str  # the full unit text, e.g. "fraction of payroll"
    kind: str  # number | bool | choice | date | text
    base: str  # the checked unit, e.g. "fraction"
    lo: float
    hi: float
    length: int | None
    fields: tuple[str, ...] | None
    order: str | None
    choices: tuple[str, ...] | None
    integer: bool
    origin: str
    explicit: bool = False  # any of range/length/fields/order/choices/integer given

    def rules(self) -> tuple[Any, ...]:
        return (self.base, self.lo, self.hi, self.length, self.fields, self.order, self.choices, self.integer)

    def describe(self) -> str:
        parts = [f"unit {self.unit!r}"]
        if self.kind == "number":
            parts.append(f"range [{self.lo:g}, {self.hi:g}]")
        if self.length is not None:
            parts.append(f"list of {self.length}")
        if self.fields is not None:
            parts.append(f"table {{{', '.join(self.fields)}}}")
        if self.order:
            parts.append(self.order)
        if self.choices:
            parts.append(f"one of {list(self.choices)}")
        return ", ".join(parts)


def _unit_base(unit: str) -> str:
    word = unit.strip().split(None, 1)[0].rstrip(":,;").lower() if unit.strip() else ""
    return _UNIT_ALIASES.get(word, word)


def _parse_decl(raw: Mapping[str, Any], origin: str, key: str) -> _Decl:
    where = f"{origin}: key {key!r}"
    unit = raw.get("unit", "")
    if not unit:
        raise ValueError(f"{where}: {sorted(f for f in _DECL_FIELDS if f in raw)} given without a 'unit'")
    base = _unit_base(unit)
    if base not in UNITS:
        hint = difflib.get_close_matches(base, list(UNITS), n=1)
        extra = f"; did you mean {hint[0]!r}?" if hint else ""
        raise ValueError(
            f"{where}: unknown unit {unit!r} (its first word {base!r} is not a known unit{extra}); "
            f"known units: {sorted(UNITS)}"
        )
    kind, lo, hi = UNITS[base]
    if "range" in raw:
        r = raw["range"]
        if (
            not isinstance(r, list)
            or len(r) != 2
            or not all(_is_number(v) for v in r)
            or not float(r[0]) <= float(r[1])
        ):
            raise ValueError(f"{where}: 'range' = {r!r} must be [low, high] with low <= high")
        if kind != "number":
            raise ValueError(f"{where}: 'range' = {r!r} is given for a {base} unit, which has no range")
        lo, hi = float(r[0]), float(r[1])
    length = raw.get("length")
    if length is not None and (not isinstance(length, int) or isinstance(length, bool) or length < 1):
        raise ValueError(f"{where}: 'length' = {length!r} must be a positive integer")
    fields = raw.get("fields")
    if fields is not None:
        if not isinstance(fields, list) or not fields or not all(isinstance(f, str) for f in fields):
            raise ValueError(f"{where}: 'fields' = {fields!r} must be a list of field names")
        fields = tuple(fields)
    order = raw.get("order")
    if order is not None and order not in _ORDERS:
        raise ValueError(f"{where}: 'order' = {order!r} must be one of {list(_ORDERS)}")
    choices = raw.get("choices")
    if choices is not None:
        if not isinstance(choices, list) or not choices or not all(isinstance(c, str) for c in choices):
            raise ValueError(f"{where}: 'choices' = {choices!r} must be a list of strings")
        choices = tuple(choices)
    integer = raw.get("integer", False)
    if not isinstance(integer, bool):
        raise ValueError(f"{where}: 'integer' = {integer!r} must be true or false")
    return _Decl(
        unit,
        kind,
        base,
        lo,
        hi,
        length,
        fields,
        order,
        choices,
        integer,
        origin,
        explicit=any(f in raw for f in _DECL_FIELDS),
    )


def _is_number(v: Any) -> bool:
    return isinstance(v, numbers.Real) and not isinstance(v, bool)


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 160 else text[:157] + "..."


def _leaf_rule(decl: _Decl, v: Any) -> str | None:
    """Why the single value ``v`` breaks ``decl`` (None when it is fine)."""
    if decl.kind == "number":
        if isinstance(v, bool):
            return f"{v!r} is a boolean, not a number in {decl.base} (booleans are not amounts)"
        if not _is_number(v):
            return f"{_show(v)} is not a number ({decl.base})"
        f = float(v)
        if not math.isfinite(f):
            return f"{v!r} is not a finite number"
        if not decl.lo <= f <= decl.hi:
            return f"{v!r} is out of range [{decl.lo:g}, {decl.hi:g}] ({decl.base})"
        if decl.integer and not f.is_integer():
            return f"{v!r} must be a whole number"
        return None
    if decl.kind == "bool":
        return None if isinstance(v, bool) else f"{_show(v)} must be true or false"
    if decl.kind == "choice":
        if not isinstance(v, str):
            return f"{_show(v)} must be a string"
        if decl.choices and v not in decl.choices:
            hint = difflib.get_close_matches(v, list(decl.choices), n=1)
            return f"{v!r} must be one of {list(decl.choices)}" + (f"; did you mean {hint[0]!r}?" if hint else "")
        return None
    if decl.kind == "date":
        if isinstance(v, _dt.date):
            return None
        try:
            _dt.date.fromisoformat(str(v))
        except ValueError:
            return f"{_show(v)} is not a date"
        return None
    return None if isinstance(v, str) else f"{_show(v)} must be a string"


def _list_rule(decl: _Decl, value: Any, n: int | None) -> str | None:
    if not isinstance(value, (list, tuple)):
        return f"must be a list{f' of {n} values' if n else ''}, not {type(value).__name__}"
    if n is not None and len(value) != n:
        return f"must be a list of {n} values, got {len(value)}"
    if not value:
        return "must be a non-empty list"
    for i, v in enumerate(value):
        why = _leaf_rule(decl, v)
        if why:
            return f"item {i + 1}: {why}"
    if decl.order and all(_is_number(v) for v in value):
        for i in range(1, len(value)):
            a, b = value[i - 1], value[i]
            if (decl.order == "ascending" and b < a) or (decl.order == "descending" and b > a):
                if len(value) == 2 and decl.order == "ascending":
                    return "must be an ordered pair (low <= high)"
                return (
                    f"must be in {decl.order} order: item {i + 1} ({b!r}) "
                    f"{'<' if decl.order == 'ascending' else '>'} item {i} ({a!r})"
                )
    return None


def _value_rule(decl: _Decl, value: Any) -> str | None:
    """Why ``value`` breaks ``decl`` (None when it is fine)."""
    if decl.fields is not None:
        if not isinstance(value, Mapping):
            return f"must be a table with fields {list(decl.fields)}, not {type(value).__name__}"
        missing = [f for f in decl.fields if f not in value]
        unknown = [f for f in value if f not in decl.fields]
        if unknown:
            hint = difflib.get_close_matches(str(unknown[0]), list(decl.fields), n=1)
            return (
                f"unknown field {unknown[0]!r}"
                + (f" (did you mean {hint[0]!r}?)" if hint else "")
                + f"; fields: {list(decl.fields)}"
            )
        if missing:
            return f"missing field(s) {missing}; fields: {list(decl.fields)}"
        for f in decl.fields:
            v = value[f]
            why = (
                _list_rule(decl, v, decl.length) if isinstance(v, (list, tuple)) or decl.length else _leaf_rule(decl, v)
            )
            if why:
                return f"field {f!r}: {why}"
        return None
    if decl.length is not None or (decl.order and isinstance(value, (list, tuple))):
        return _list_rule(decl, value, decl.length)
    if isinstance(value, (list, tuple, Mapping)):
        return f"must be a single value ({decl.base}), not a {type(value).__name__}"
    return _leaf_rule(decl, value)


def _nonfinite(value: Any) -> bool:
    """A NaN or inf anywhere in an undeclared value (no unit to check against, but never a number)."""
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, (list, tuple)):
        return any(_nonfinite(v) for v in value)
    if isinstance(value, Mapping):
        return any(_nonfinite(v) for v in value.values())
    return False


def _when(e: _Entry) -> str:
    if e.start == ALWAYS:
        return "on every date"
    return f"from {e.start}" + (f" to {e.end}" if e.end is not None else "")


def _declarations(layers: tuple[_Layer, ...]) -> dict[str, _Decl]:
    """Key → declaration, root-most layer first: a province layer's value for a national key is
    checked against the national declaration; a child may not redeclare it differently."""
    decls: dict[str, _Decl] = {}
    for layer in reversed(layers):
        for key, meta in layer.keys.items():
            d = meta.decl
            if d is None:
                continue
            parent = decls.get(key)
            if parent is None:
                decls[key] = d
            elif d.base != parent.base or (d.explicit and d.rules() != parent.rules()):
                raise ValueError(
                    f"{layer.origin}: key {key!r}: declares {d.describe()}, but {parent.origin} declares "
                    f"{parent.describe()}; a layer's values are checked against its parent's declaration, "
                    f"so leave out the rules in the child (or make them equal)"
                )
    return decls


def _check_layer(layer: _Layer, decls: dict[str, _Decl]) -> None:
    """Every entry of one layer against the declarations; the message names the file or override,
    the key, the date, the value and the rule (with the declared unit and range)."""
    for key, meta in layer.keys.items():
        decl = decls.get(key)
        for e in meta.entries:
            if decl is None:
                if _nonfinite(e.value):
                    raise ValueError(
                        f"{layer.origin}: {key} {_when(e)} = {_show(e.value)}: NaN and inf are not parameter values"
                    )
                continue
            why = _value_rule(decl, e.value)
            if why:
                raise ValueError(f"{layer.origin}: {key} {_when(e)} = {_show(e.value)}: {why} [{decl.describe()}]")


def _validate(layers: tuple[_Layer, ...]) -> dict[str, _Decl]:
    decls = _declarations(layers)
    for layer in layers:
        if not layer.checked:
            _check_layer(layer, decls)
            layer.checked = True
    return decls


# ------------------------------------------------------------------------------------------------
# Files
# ------------------------------------------------------------------------------------------------
def _packaged_dir() -> Path:
    """Directory of the packaged policy files (``wifund/data/policy``)."""
    try:
        from importlib import resources

        d = resources.files("wifund") / "data" / "policy"
        p = Path(str(d))
        if p.is_dir():
            return p
    except Exception:  # pragma: no cover - wifund not importable (e.g. _core not built)
        pass
    return Path(__file__).resolve().parent / "data" / "policy"


def _is_path_like(s: str | Path) -> bool:
    if isinstance(s, Path):
        return True
    return s.endswith(".toml") or "/" in s or "\\" in s


def _packaged_path(name: str) -> Path:
    path = _packaged_dir() / f"{name}.toml"
    if not path.is_file():
        raise ValueError(
            f"unknown policy {name!r}: not a packaged policy (available: {Policy.available()}) "
            "and not a path to a .toml file"
        )
    return path


def _read_layer(path: Path) -> tuple[_Layer, str]:
    """Parse one TOML file; return the layer and its raw ``inherits`` value."""
    origin = str(path)
    try:
        # Decoded like the province files (UTF-8, BOM, GB18030 from Notepad on Chinese Windows);
        # a syntax error names the file, the line and the column.
        doc = read_toml(path)
    except FileNotFoundError:
        raise ValueError(f"policy file not found: {origin}") from None
    unknown = set(doc) - {"policy", "params", "increments"}
    if unknown:
        raise ValueError(f"{origin}: unknown top-level table(s) {sorted(unknown)}")
    meta = doc.get("policy")
    if not isinstance(meta, Mapping):
        raise ValueError(f"{origin}: missing [policy] table")
    unknown = set(meta) - _POLICY_FIELDS
    if unknown:
        raise ValueError(f"{origin}: [policy]: unknown field(s) {sorted(unknown)}")
    name = meta.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"{origin}: [policy] needs a non-empty 'name'")
    inherits = meta.get("inherits", "")
    if not isinstance(inherits, str):
        raise ValueError(f"{origin}: [policy] 'inherits' must be a string, got {inherits!r}")
    params = doc.get("params", {})
    if not isinstance(params, Mapping):
        raise ValueError(f"{origin}: [params] must be a table")
    keys = {k: _parse_key(v, origin, k) for k, v in params.items()}
    incs = doc.get("increments", [])
    if not isinstance(incs, list):
        raise ValueError(f"{origin}: 'increments' must be an array of tables ([[increments]])")
    events = [_parse_increment(r, origin, i) for i, r in enumerate(incs)]
    layer = _Layer(name.strip(), origin, str(meta.get("title", "")), str(meta.get("description", "")), keys, events)
    return layer, inherits.strip()


def _load_chain(path: Path) -> list[_Layer]:
    layers: list[_Layer] = []
    seen: list[Path] = []
    current: Path | None = path.resolve()
    while current is not None:
        if current in seen:
            cycle = " -> ".join(str(p) for p in [*seen, current])
            raise ValueError(f"policy inheritance cycle: {cycle}")
        seen.append(current)
        layer, inherits = _read_layer(current)
        layers.append(layer)
        if not inherits:
            current = None
        elif _is_path_like(inherits):
            current = (current.parent / inherits).resolve()
        else:
            try:
                current = _packaged_path(inherits).resolve()
            except ValueError as exc:
                raise ValueError(f"{layer.origin}: inherits: {exc}") from None
    return layers


# ------------------------------------------------------------------------------------------------
# Params
# ------------------------------------------------------------------------------------------------
class Params(Mapping[str, Any]):
    """Parameters of a policy in force on one date.

    Mapping from parameter key to value (``params["benefits.care.rate"]``, ``in``, ``get``,
    ``keys``). Values are deep copies: changing them cannot change the policy. Provenance is kept
    per key: :meth:`source`, :meth:`effective_from`, :meth:`layer`, :meth:`is_assumed`.
    """

    def __init__(
        self, policy_name: str, date: _dt.date, resolved: dict[str, tuple[_Entry, str, _Key]], units: dict[str, str]
    ):
        self._policy_name = policy_name
        self._date = date
        self._resolved = resolved  # key -> (entry, layer name, key metadata)
        self._units = units

    # -- mapping protocol --------------------------------------------------------------------
    def __getitem__(self, key: str) -> Any:
        return copy.deepcopy(self._item(key)[0].value)

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._resolved))

    def __len__(self) -> int:
        return len(self._resolved)

    def __contains__(self, key: object) -> bool:
        return key in self._resolved

    def get(self, key: str, default: Any = None) -> Any:
        """The value in force, or ``default`` when the key is not in force (no error path)."""
        item = self._resolved.get(key)
        return default if item is None else copy.deepcopy(item[0].value)

    def _item(self, key: str) -> tuple[_Entry, str, _Key]:
        try:
            return self._resolved[key]
        except KeyError:
            hint = difflib.get_close_matches(str(key), list(self._resolved), n=1)
            extra = f"; did you mean {hint[0]!r}?" if hint else ""
            raise KeyError(
                f"parameter {key!r} is not in force on {self._date} in policy {self._policy_name!r}{extra}"
            ) from None

    # -- provenance --------------------------------------------------------------------------
    @property
    def date(self) -> _dt.date:
        """The date the parameters were resolved for."""
        return self._date

    @property
    def policy_name(self) -> str:
        return self._policy_name

    def source(self, key: str) -> str:
        """Document number (文号) the value comes from."""
        return self._item(key)[0].source

    def effective_from(self, key: str) -> _dt.date:
        """Start date of the entry in force (``ALWAYS`` = date.min for plain overrides)."""
        return self._item(key)[0].start

    def effective_to(self, key: str) -> _dt.date | None:
        """Inclusive end date of the entry in force, or None if open-ended."""
        return self._item(key)[0].end

    def layer(self, key: str) -> str:
        """Name of the layer (policy file or override) that supplied the value."""
        return self._item(key)[1]

    def is_assumed(self, key: str) -> bool:
        """True if the value is a labelled assumption, not a verified rule."""
        return self._item(key)[0].assumed

    def note(self, key: str) -> str:
        return self._item(key)[0].note

    def unit(self, key: str) -> str:
        self._item(key)
        return self._units.get(key, "")

    @property
    def assumed(self) -> list[str]:
        """Sorted keys whose value in force is an assumption."""
        return sorted(k for k, (e, _, _) in self._resolved.items() if e.assumed)

    # -- display -----------------------------------------------------------------------------
    def to_frame(self) -> pd.DataFrame:
        """One row per key: key, value, unit, effective_from, source, assumed, layer, note."""
        rows = [
            {
                "key": k,
                "value": copy.deepcopy(e.value),
                "unit": self._units.get(k, ""),
                "effective_from": e.start,
                "source": e.source,
                "assumed": e.assumed,
                "layer": layer,
                "note": e.note,
            }
            for k, (e, layer, _) in sorted(self._resolved.items())
        ]
        cols = ["key", "value", "unit", "effective_from", "source", "assumed", "layer", "note"]
        return pd.DataFrame(rows, columns=cols)

    def __repr__(self) -> str:
        return f"<Params {self._policy_name!r} on {self._date}: {len(self)} keys, {len(self.assumed)} assumed>"

    def _repr_html_(self) -> str:
        head = (
            f"<p><b>Policy {html.escape(self._policy_name)}</b> on {self._date}: "
            f"{len(self)} parameters, {len(self.assumed)} assumed</p>"
        )
        return cast(str, head + _percent_values(self.to_frame()).to_html(index=False, escape=True))


# ------------------------------------------------------------------------------------------------
# Policy
# ------------------------------------------------------------------------------------------------
class Policy:
    """A chain of dated-parameter layers, child first (e.g. ``override → jilin → national``).

    Create with :meth:`Policy.load`; derive scenarios with :meth:`override`. Immutable.
    """

    def __init__(self, layers: Iterable[_Layer], name: str | None = None):
        self._layers: tuple[_Layer, ...] = tuple(layers)
        if not self._layers:
            raise ValueError("a Policy needs at least one layer")
        self._name = name or self._layers[0].name
        # Units and ranges are checked once per layer, on load and on override (issue #7).
        self._decls = _validate(self._layers)
        # key -> unit / description from the first layer (child first) that gives one.
        self._units: dict[str, str] = {}
        self._descriptions: dict[str, str] = {}
        for layer in reversed(self._layers):
            for k, meta in layer.keys.items():
                if meta.unit:
                    self._units[k] = meta.unit
                if meta.description:
                    self._descriptions[k] = meta.description
        self._cache: dict[_dt.date, dict[str, tuple[_Entry, str, _Key]]] = {}

    # -- construction ------------------------------------------------------------------------
    @classmethod
    def load(cls, name_or_path: str | Path) -> Policy:
        """Load a packaged policy ("national", "jilin", "ningxia") or a TOML file path.

        ``inherits`` in a file is followed: a bare name is a packaged policy; a value ending in
        ``.toml`` or containing a path separator is a path relative to that file.
        """
        if isinstance(name_or_path, Path) or _is_path_like(name_or_path):
            path = Path(name_or_path)
        elif Path(name_or_path).is_file():
            path = Path(name_or_path)
        else:
            path = _packaged_path(name_or_path)
        return cls(_load_chain(path))

    @staticmethod
    def available() -> list[str]:
        """Names of the packaged policies."""
        return sorted(p.stem for p in _packaged_dir().glob("*.toml"))

    def override(
        self,
        mapping: Mapping[str, Any] | None = None,
        name: str | None = None,
        *,
        increments: Iterable[Mapping[str, Any]] = (),
        allow_new: bool = False,
        source: str = "override",
    ) -> Policy:
        """Return a NEW policy with an extra top layer (the original is unchanged).

        Parameters
        ----------
        mapping
            key → plain value (in force on every date, source ``source``) or a list of entry dicts
            ``{"from", "to", "value", "source", "assumed", "note"}`` (dates as date or string),
            validated like file entries.
        name
            Layer name (default ``"override"``); the policy is named ``"<base>+<name>"``.
        increments
            Extra increment events, same fields as ``[[increments]]`` in the TOML files.
        allow_new
            Allow keys that no layer defines (default False, so typos fail loudly).
        """
        if name is not None and (not isinstance(name, str) or not name.strip()):
            raise ValueError(f"policy {self._name!r}: override name = {name!r} must be a non-empty string")
        layer_name = name or "override"
        origin = f"policy {self._name!r}: override {layer_name!r}"
        if mapping is not None and not isinstance(mapping, Mapping):
            raise ValueError(
                f"{origin}: overrides = {_show(mapping)} must be a mapping of parameter key to "
                f"value, not {type(mapping).__name__}"
            )
        if not isinstance(source, str) or not source.strip():
            raise ValueError(f"{origin}: source = {source!r} must be a non-empty string (the document or scenario)")
        if not isinstance(allow_new, bool):
            raise ValueError(f"{origin}: allow_new = {allow_new!r} must be true or false")
        if isinstance(increments, (str, bytes, Mapping)):
            raise ValueError(f"{origin}: increments = {_show(increments)} must be a list of increment tables")
        known = {k for layer in self._layers for k in layer.keys}
        keys: dict[str, _Key] = {}
        for key, spec in (mapping or {}).items():
            if not isinstance(key, str):
                raise ValueError(f"{origin}: parameter keys must be strings, got {key!r}")
            if key not in known and not allow_new:
                hint = difflib.get_close_matches(key, sorted(known), n=1)
                extra = f"; did you mean {hint[0]!r}?" if hint else ""
                raise ValueError(
                    f"{origin}: unknown parameter {key!r} = {_show(spec)} (pass allow_new=True to add it){extra}"
                )
            if _is_entry_list(spec):
                entries = [_parse_entry(e, origin, key) for e in spec]
            else:
                entries = [
                    _Entry(ALWAYS, None, copy.deepcopy(spec), source, False, "plain override, in force on every date")
                ]
            keys[key] = _make_key(entries, origin, key)
        events = [_parse_increment(r, origin, i) for i, r in enumerate(increments)]
        layer = _Layer(layer_name, origin, f"override {layer_name}", "", keys, events)
        return Policy((layer, *self._layers), name=f"{self._name}+{layer_name}")

    # -- identity ----------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self._name

    @property
    def chain(self) -> list[str]:
        """Layer names, child first."""
        return [layer.name for layer in self._layers]

    @property
    def title(self) -> str:
        return self._layers[0].title

    def __eq__(self, other: object) -> bool:
        """Same name and the same layers (every key's dated entries, values, sources and increments)."""
        if not isinstance(other, Policy):
            return NotImplemented
        return self is other or (self._name == other._name and self._layers == other._layers)

    def __hash__(self) -> int:
        return hash((self._name, tuple(layer.origin for layer in self._layers)))

    def __repr__(self) -> str:
        nkeys = len({k for layer in self._layers for k in layer.keys})
        return f"<Policy {self._name!r}: {' -> '.join(self.chain)}, {nkeys} keys>"

    # -- resolution --------------------------------------------------------------------------
    def _resolve(self, d: _dt.date) -> dict[str, tuple[_Entry, str, _Key]]:
        hit = self._cache.get(d)
        if hit is None:
            hit = {}
            for layer in self._layers:  # child first: the first layer in force wins
                for k, meta in layer.keys.items():
                    if k in hit:
                        continue
                    e = meta.in_force(d)
                    if e is not None:
                        hit[k] = (e, layer.name, meta)
            if len(self._cache) < 4096:
                self._cache[d] = hit
        return hit

    def at(self, date: DateLike) -> Params:
        """Parameters in force on ``date`` (a date, ``"YYYY-MM-DD"`` or an int year = Jan 1)."""
        d = _to_date(date, f"policy {self._name!r}: date")
        return Params(self._name, d, dict(self._resolve(d)), self._units)

    def series(self, key: str, dates: Iterable[DateLike]) -> pd.Series:
        """Values of one key on several dates (missing dates raise KeyError)."""
        ds = [_to_date(x, f"policy {self._name!r}: date") for x in dates]
        return pd.Series([self.at(d)[key] for d in ds], index=pd.Index(ds, name="date"), name=key, dtype=object)

    def keys(self) -> list[str]:
        """Every key defined by any layer (whether or not in force on a given date)."""
        return sorted({k for layer in self._layers for k in layer.keys})

    def increments(self, start: DateLike | None = None, end: DateLike | None = None) -> list[dict[str, Any]]:
        """Flat increment events of all layers, ordered by effective date (then cut-off).

        Each event is a dict with ``effective``, ``cutoff`` (dates), ``allowance`` (grades 1..6),
        ``care`` (full/major/partial), ``spouse``, ``other``, ``lone_extra`` (CNY/month),
        ``floor`` and ``floor_topup`` (CNY/month: the allowance below ``floor`` after the increment
        gets ``floor_topup`` more; 0 without a floor rule), ``legacy_subsidy`` (grades 1..10, the
        legacy monthly disability subsidy), ``exclude_retired``, ``assumed``,
        ``source``, ``note`` and ``layer``. Optionally filtered to
        ``start <= effective <= end``.
        """
        lo = _to_date(start, "increments: start") if start is not None else None
        hi = _to_date(end, "increments: end") if end is not None else None
        out = []
        for layer in reversed(self._layers):  # parent first, so ties keep parent-before-child
            for ev in layer.increments:
                if (lo is None or ev["effective"] >= lo) and (hi is None or ev["effective"] <= hi):
                    out.append({**copy.deepcopy(ev), "layer": layer.name})
        out.sort(key=lambda ev: (ev["effective"], ev["cutoff"]))
        return out

    def parameters(self) -> pd.DataFrame:
        """Every entry of every layer: key, from, to, value, unit, source, assumed, layer, note."""
        rows = []
        for layer in self._layers:
            for k, meta in sorted(layer.keys.items()):
                for e in meta.entries:
                    rows.append(
                        {
                            "key": k,
                            "from": e.start,
                            "to": e.end,
                            "value": copy.deepcopy(e.value),
                            "unit": self._units.get(k, ""),
                            "source": e.source,
                            "assumed": e.assumed,
                            "layer": layer.name,
                            "note": e.note,
                        }
                    )
        cols = ["key", "from", "to", "value", "unit", "source", "assumed", "layer", "note"]
        return pd.DataFrame(rows, columns=cols)

    def description(self, key: str) -> str:
        """Description of a key (from the first layer, child first, that describes it)."""
        if key not in self._descriptions and key not in self.keys():
            raise KeyError(f"parameter {key!r} is not defined in policy {self._name!r}")
        return self._descriptions.get(key, "")

    def _repr_html_(self) -> str:
        head = f"<p><b>Policy {html.escape(self._name)}</b> ({html.escape(' → '.join(self.chain))})</p>"
        return cast(str, head + _percent_values(self.parameters()).to_html(index=False, escape=True))


def _percent_values(frame: pd.DataFrame) -> pd.DataFrame:
    """For display: values of keys whose unit is a fraction (rates, shares) as percentages."""
    from ._labels import percent

    out = frame.copy()
    frac = out["unit"].astype(str).str.startswith("fraction")
    out["value"] = [percent(v) if f else v for v, f in zip(out["value"], frac)]
    return out


def _is_entry_list(spec: Any) -> bool:
    """A list of dicts that all have a 'from' key is a list of dated entries; else a value."""
    return isinstance(spec, list) and len(spec) > 0 and all(isinstance(e, Mapping) and "from" in e for e in spec)
