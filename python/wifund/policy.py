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
"""
from __future__ import annotations

import bisect
import copy
import datetime as _dt
import difflib
import html
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["Policy", "Params"]

DateLike = _dt.date | str | int

#: ``from`` of a plain override value: in force on every date.
ALWAYS = _dt.date.min

_ENTRY_FIELDS = {"from", "to", "value", "source", "assumed", "note"}
_KEY_FIELDS = {"description", "unit", "values", "note"}
_POLICY_FIELDS = {"name", "inherits", "title", "description"}
_INCREMENT_FIELDS = {
    "effective", "cutoff", "allowance", "care", "spouse", "other", "lone_extra",
    "exclude_retired", "source", "assumed", "note",
}
# Shape of an increment event: grades 1..6 allowance, care levels full/major/partial.
_INCREMENT_LISTS = {"allowance": 6, "care": 3}
_INCREMENT_SCALARS = ("spouse", "other", "lone_extra")


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
    if isinstance(value, int):
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


def _check_entries(entries: list[_Entry], origin: str, key: str) -> None:
    """Entries of one key in one layer: ascending ``from``, no overlap, ``to >= from``."""
    for e in entries:
        if e.end is not None and e.end < e.start:
            raise ValueError(
                f"{origin}: key {key!r}: entry from {e.start} has 'to' {e.end} before its 'from'"
            )
    for a, b in zip(entries, entries[1:]):
        if b.start <= a.start:
            raise ValueError(
                f"{origin}: key {key!r}: entries not in ascending 'from' order "
                f"({a.start} is followed by {b.start})"
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
            f"{origin}: key {key!r}: unknown entry field(s) {sorted(unknown)}; "
            f"allowed: {sorted(_ENTRY_FIELDS)}"
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


def _make_key(entries: list[_Entry], origin: str, key: str, description: str = "",
              unit: str = "") -> _Key:
    _check_entries(entries, origin, key)
    return _Key(description, unit, entries, [e.start for e in entries])


def _parse_key(raw: Any, origin: str, key: str) -> _Key:
    if not isinstance(raw, Mapping):
        raise ValueError(f"{origin}: key {key!r}: expected a table with 'values', got {raw!r}")
    unknown = set(raw) - _KEY_FIELDS
    if unknown:
        raise ValueError(
            f"{origin}: key {key!r}: unknown field(s) {sorted(unknown)}; "
            f"allowed: {sorted(_KEY_FIELDS)}"
        )
    values = raw.get("values")
    if not isinstance(values, list) or not values:
        raise ValueError(f"{origin}: key {key!r}: 'values' must be a non-empty array of entries")
    entries = [_parse_entry(v, origin, key) for v in values]
    description, unit = str(raw.get("description", "")), str(raw.get("unit", ""))
    return _make_key(entries, origin, key, description, unit)


def _parse_increment(raw: Any, origin: str, index: int) -> dict[str, Any]:
    where = f"{origin}: increments[{index}]"
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where}: expected a table, got {raw!r}")
    unknown = set(raw) - _INCREMENT_FIELDS
    if unknown:
        raise ValueError(
            f"{where}: unknown field(s) {sorted(unknown)}; allowed: {sorted(_INCREMENT_FIELDS)}"
        )
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
        if (not isinstance(vals, list) or len(vals) != n
                or not all(_is_amount(v) for v in vals)):
            raise ValueError(
                f"{where}: {name!r} must be a list of {n} non-negative numbers, got {vals!r}"
            )
        ev[name] = [float(v) for v in vals]
    for name in _INCREMENT_SCALARS:
        v = raw.get(name, 0)
        if not _is_amount(v):
            raise ValueError(f"{where}: {name!r} must be a non-negative number, got {v!r}")
        ev[name] = float(v)
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
    return isinstance(v, int | float) and not isinstance(v, bool) and v >= 0


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
        with open(path, "rb") as fh:
            doc = tomllib.load(fh)
    except FileNotFoundError:
        raise ValueError(f"policy file not found: {origin}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{origin}: invalid TOML: {exc}") from None
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
    layer = _Layer(name.strip(), origin, str(meta.get("title", "")),
                   str(meta.get("description", "")), keys, events)
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
class Params(Mapping):
    """Parameters of a policy in force on one date.

    Mapping from parameter key to value (``params["benefits.care.rate"]``, ``in``, ``get``,
    ``keys``). Values are deep copies: changing them cannot change the policy. Provenance is kept
    per key: :meth:`source`, :meth:`effective_from`, :meth:`layer`, :meth:`is_assumed`.
    """

    def __init__(self, policy_name: str, date: _dt.date,
                 resolved: dict[str, tuple[_Entry, str, _Key]], units: dict[str, str]):
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
                f"parameter {key!r} is not in force on {self._date} in policy "
                f"{self._policy_name!r}{extra}"
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
        return (f"<Params {self._policy_name!r} on {self._date}: {len(self)} keys, "
                f"{len(self.assumed)} assumed>")

    def _repr_html_(self) -> str:
        head = (f"<p><b>Policy {html.escape(self._policy_name)}</b> on {self._date}: "
                f"{len(self)} parameters, {len(self.assumed)} assumed</p>")
        return head + self.to_frame().to_html(index=False, escape=True)


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

    def override(self, mapping: Mapping[str, Any] | None = None, name: str | None = None, *,
                 increments: Iterable[Mapping[str, Any]] = (), allow_new: bool = False,
                 source: str = "override") -> Policy:
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
        layer_name = name or "override"
        origin = f"<override {layer_name!r}>"
        known = {k for layer in self._layers for k in layer.keys}
        keys: dict[str, _Key] = {}
        for key, spec in (mapping or {}).items():
            if not isinstance(key, str):
                raise ValueError(f"{origin}: parameter keys must be strings, got {key!r}")
            if key not in known and not allow_new:
                hint = difflib.get_close_matches(key, sorted(known), n=1)
                extra = f"; did you mean {hint[0]!r}?" if hint else ""
                raise ValueError(
                    f"{origin}: unknown parameter {key!r} (pass allow_new=True to add it){extra}"
                )
            if _is_entry_list(spec):
                entries = [_parse_entry(e, origin, key) for e in spec]
            else:
                entries = [_Entry(ALWAYS, None, copy.deepcopy(spec), source, False,
                                  "plain override, in force on every date")]
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
        return pd.Series([self.at(d)[key] for d in ds], index=pd.Index(ds, name="date"),
                         name=key, dtype=object)

    def keys(self) -> list[str]:
        """Every key defined by any layer (whether or not in force on a given date)."""
        return sorted({k for layer in self._layers for k in layer.keys})

    def increments(self, start: DateLike | None = None, end: DateLike | None = None
                   ) -> list[dict[str, Any]]:
        """Flat increment events of all layers, ordered by effective date (then cut-off).

        Each event is a dict with ``effective``, ``cutoff`` (dates), ``allowance`` (grades 1..6),
        ``care`` (full/major/partial), ``spouse``, ``other``, ``lone_extra`` (CNY/month),
        ``exclude_retired``, ``assumed``, ``source``, ``note`` and ``layer``. Optionally filtered to
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
                    rows.append({
                        "key": k, "from": e.start, "to": e.end, "value": copy.deepcopy(e.value),
                        "unit": self._units.get(k, ""), "source": e.source, "assumed": e.assumed,
                        "layer": layer.name, "note": e.note,
                    })
        cols = ["key", "from", "to", "value", "unit", "source", "assumed", "layer", "note"]
        return pd.DataFrame(rows, columns=cols)

    def description(self, key: str) -> str:
        """Description of a key (from the first layer, child first, that describes it)."""
        if key not in self._descriptions and key not in self.keys():
            raise KeyError(f"parameter {key!r} is not defined in policy {self._name!r}")
        return self._descriptions.get(key, "")

    def _repr_html_(self) -> str:
        head = (f"<p><b>Policy {html.escape(self._name)}</b> "
                f"({html.escape(' → '.join(self.chain))})</p>")
        return head + self.parameters().to_html(index=False, escape=True)


def _is_entry_list(spec: Any) -> bool:
    """A list of dicts that all have a 'from' key is a list of dated entries; else a value."""
    return (isinstance(spec, list) and len(spec) > 0
            and all(isinstance(e, Mapping) and "from" in e for e in spec))
