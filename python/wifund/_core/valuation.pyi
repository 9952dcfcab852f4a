"""
Valuation of benefits in payment, financing values (valuation/)
"""

from collections.abc import Sequence
from typing import Any, SupportsFloat, SupportsIndex, SupportsInt, TypeAlias

from wifund._core.fund import ProjectionInput

_Int: TypeAlias = SupportsInt | SupportsIndex  # what a pybind11 int argument accepts
_Float: TypeAlias = SupportsFloat | SupportsIndex  # what a pybind11 float argument accepts

items: list[str]

def value(
    input: ProjectionInput,
    start_index: _Int,
    discount: Sequence[_Float],
    max_years: _Int = 150,
    per_row: bool = True,
    end_index: _Int = -1,
) -> dict[str, Any]:
    """
    Present values (rows or cities x items) at 1 January of year start_index of the input's beneficiaries, the
    yearly cash flows (years x items) and the discount factors (mid-year).
    """

def value_fast(
    input: ProjectionInput,
    start_index: _Int,
    discount: Sequence[_Float],
    max_years: _Int = 150,
    end_index: _Int = -1,
    per_row: bool = True,
) -> dict[str, Any]:
    """
    The fast path (valuation/fast.hpp): the per-row present values of value(per_row=True) (rows x items; 0 rows
    if not per_row), by city x kind paid, the yearly cash flows, the discount factors, and the numbers of
    distinct rows and of dependant bases rolled.
    """

def financing(
    input: ProjectionInput,
    discount: Sequence[_Float],
    max_years: _Int = 150,
    end_index: _Int = -1,
    incidence_multiplier: _Float = 1.0,
    method: str = "pass",
) -> dict[str, Any]:
    """
    Liability at each year end and capital value at 1 January of each year's long-term awards (years x items),
    the stock's liability at 1 January of the first year (1 x items) and, with method 'pass' (one roll of the
    book tagged by vintage, the default), the book's undiscounted payments by year from the first (years x
    items; 'roll', the reference: a roll to extinction at every year end, no rows).
    """
