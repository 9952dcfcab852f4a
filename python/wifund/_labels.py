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
