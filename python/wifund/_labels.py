"""Chinese names and units of wifund's keys (``data/labels.toml``), for the workbook and the report.

The keys themselves (the axes: revenue and expenditure items, benefit kinds, …) come from ``_core``;
this module only translates them. A test checks that every key of every axis and every column of the
main job's tables has a name here.
"""

from __future__ import annotations

import functools
import tomllib
from importlib import resources
from typing import Any

#: How each unit is shown in the workbook: (header text, Excel number format, divisor applied to values).
WORKBOOK_UNITS: dict[str, tuple[str, str, float]] = {
    "yuan": ("万元", "#,##0.00", 1e4),
    "yuan_per_month": ("元/月", "#,##0", 1.0),
    "yuan_per_person": ("元/人", "#,##0.00", 1.0),
    "persons": ("人", "#,##0", 1.0),
    "months": ("月", "0.0", 1.0),
    "rate": ("%", "0.00%", 1.0),
    "ratio": ("", "0.0000", 1.0),
    "year": ("", "0", 1.0),
    "class": ("", "0", 1.0),
    "text": ("", "@", 1.0),
    "flag": ("", "General", 1.0),
}
#: The money unit of the workbook and of the report (one per document, stated on every header / axis).
WORKBOOK_MONEY = "万元"
REPORT_MONEY = "亿元"


@functools.cache
def _table() -> dict[str, dict[str, str]]:
    with (resources.files("wifund") / "data" / "labels.toml").open("rb") as f:
        data: dict[str, Any] = tomllib.load(f)
    return {k: dict(v) for k, v in data.items()}


def zh(key: str) -> str | None:
    """The Chinese name of a key (a column, an item, an indicator), or None."""
    return _table()["names"].get(key)


def zh_value(value: str) -> str | None:
    """The Chinese name of a value of a text column (a benefit kind, a flow), or None."""
    t = _table()
    return t["values"].get(value) or t["names"].get(value)


def unit(key: str, numeric: bool) -> str:
    """The unit of a column: declared in labels.toml, else yuan for numbers and text otherwise."""
    u = _table()["units"].get(key)
    if u is not None:
        return u
    return "yuan" if numeric else "text"


def both(key: str) -> str:
    """ "中文名 key" when the key has a Chinese name, else the key."""
    name = zh(key)
    return f"{name} {key}" if name else key


def units_of(frame: Any, value: str | None = None) -> dict[str, str]:
    """Unit of every column of a frame (labels.toml, else yuan for numbers): what wifund puts in
    ``DataFrame.attrs["units"]``. ``value`` names the unit of a long frame's ``value`` column."""
    out = {str(c): unit(str(c), frame[c].dtype.kind in "fiu") for c in frame.columns}
    if value is not None and "value" in out:
        out["value"] = value
    return out


def percent(x: Any, digits: int = 2) -> str:
    """A fraction as a percentage for display (0.0052 -> "0.52 %"); lists and dicts element-wise,
    anything else unchanged (as str)."""
    if isinstance(x, bool) or x is None:
        return str(x)
    if isinstance(x, (int, float)):
        return "" if x != x else f"{x * 100:.{digits}f} %"
    if isinstance(x, (list, tuple)):
        return "[" + ", ".join(percent(v, digits) for v in x) + "]"
    if isinstance(x, dict):
        return "{" + ", ".join(f"{k}: {percent(v, digits)}" for k, v in x.items()) + "}"
    return str(x)


def html_table(frame: Any, float_format: str = "{:,.4f}", **to_html: Any) -> str:
    """``frame.to_html`` with every column whose unit (labels.toml) is a rate shown as a percentage,
    months with one decimal and persons as whole numbers: the Jupyter reprs' formatting."""
    fmt: dict[str, Any] = {}
    for c in frame.columns:
        if frame[c].dtype.kind not in "fiu":
            continue
        u = unit(str(c), True)
        if u == "rate":
            fmt[c] = percent
        elif u == "months":
            fmt[c] = "{:.1f}".format
        elif u == "persons":
            fmt[c] = "{:,.0f}".format
    html: str = frame.to_html(formatters=fmt, float_format=float_format.format, **to_html)
    return html


_MONEY_DIVISORS = {"元": 1.0, "万元": 1e4, "亿元": 1e8}


def styled(frame: Any, money: str = "亿元", digits: int = 2) -> Any:
    """A pandas ``Styler`` of a wifund table for notebooks: rates (``attrs["units"]`` or labels.toml)
    as percentages, money in ``money`` ("元", "万元" or "亿元", stated in the caption), persons as whole
    numbers, months with one decimal. The frame itself is not changed. Needs jinja2 (``wifund[notebook]``).
    """
    if money not in _MONEY_DIVISORS:
        raise ValueError(f"styled: money = {money!r} is not one of {sorted(_MONEY_DIVISORS)}")
    units: dict[str, str] = dict(getattr(frame, "attrs", {}).get("units", {}))
    div = _MONEY_DIVISORS[money]
    fmt: dict[Any, Any] = {}
    for c in frame.columns:
        if frame[c].dtype.kind not in "fiu":
            continue
        u = units.get(str(c)) or unit(str(c), True)
        if u == "rate":
            fmt[c] = lambda v, d=digits: percent(v, d)
        elif u == "months":
            fmt[c] = "{:.1f}"
        elif u == "persons":
            fmt[c] = "{:,.0f}"
        elif u == "yuan":
            fmt[c] = lambda v, d=div: f"{v / d:,.{digits}f}"
        else:
            fmt[c] = f"{{:,.{4 if u == 'ratio' else digits}f}}"
    return frame.style.format(fmt, na_rep="").set_caption(f"money in {money}; rates in %")
