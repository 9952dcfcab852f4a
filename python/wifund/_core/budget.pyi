"""
Budget execution, variance decomposition and responsibility sharing (budget/)
"""

from collections.abc import Sequence
from typing import Any, SupportsFloat, SupportsIndex, SupportsInt, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray

from wifund._core import _pybind11_type

_Int: TypeAlias = SupportsInt | SupportsIndex  # what a pybind11 int argument accepts
_Float: TypeAlias = SupportsFloat | SupportsIndex  # what a pybind11 float argument accepts

class SharingRule(metaclass=_pybind11_type):
    marginal: bool
    def __init__(self) -> None: ...
    @property
    def band_local(self) -> list[float]: ...
    @band_local.setter
    def band_local(self, arg0: Sequence[_Float]) -> None: ...
    @property
    def bands(self) -> list[float]: ...
    @bands.setter
    def bands(self, arg0: Sequence[_Float]) -> None: ...
    @property
    def cap(self) -> float: ...
    @cap.setter
    def cap(self, arg0: _Float) -> None: ...
    @property
    def floor(self) -> float: ...
    @floor.setter
    def floor(self, arg0: _Float) -> None: ...
    @property
    def local_deficit(self) -> float: ...
    @local_deficit.setter
    def local_deficit(self, arg0: _Float) -> None: ...
    @property
    def local_surplus(self) -> float: ...
    @local_surplus.setter
    def local_surplus(self, arg0: _Float) -> None: ...
    @property
    def management_local(self) -> float: ...
    @management_local.setter
    def management_local(self, arg0: _Float) -> None: ...
    @property
    def reward(self) -> float: ...
    @reward.setter
    def reward(self, arg0: _Float) -> None: ...

def decompose(x0: ArrayLike, x1: ArrayLike, method: str = "shapley") -> NDArray[np.float64]:
    """
    Exact decomposition of prod(x1) - prod(x0) per row into one part per factor (Shapley or LMDI-I).
    """

def execution_table(
    actual: ArrayLike,
    complete: ArrayLike,
    has_last: ArrayLike,
    annual: ArrayLike,
    adjusted: ArrayLike,
    monthly: ArrayLike,
    kind: ArrayLike,
    as_of: _Int,
) -> dict[str, Any]:
    """
    Execution sums and projected outturn; rows (C + 1) x (L + 2), province first, totals last per block.
    """

def share_shortfall(
    gap: ArrayLike,
    budget_gap: ArrayLike,
    reference: ArrayLike,
    surplus: ArrayLike,
    management: ArrayLike,
    rule: SharingRule,
) -> dict[str, Any]:
    """
    Local and provincial parts of each city's gap under a banded rule.
    """

max_shapley_factors: int
