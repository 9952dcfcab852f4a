"""
Claims reserving kernels (private; use wifund.reserving)
"""

from collections.abc import Sequence
from typing import Any, SupportsFloat, SupportsIndex, SupportsInt, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray

from wifund._core import _pybind11_type

_Int: TypeAlias = SupportsInt | SupportsIndex  # what a pybind11 int argument accepts
_Float: TypeAlias = SupportsFloat | SupportsIndex  # what a pybind11 float argument accepts

class TriangleError(ValueError):
    """An error in one triangle (reserving/triangle.hpp triangle_error), with its place as data.

    Raised by the core with 0-based positions (None where the error concerns no particular one);
    wifund.reserving re-raises it with the labels of the triangle in their place.
    """

    segment: Any  # the segment's position in a stack (its label after wifund.reserving)
    origin: Any  # the origin's position (its label after wifund.reserving)
    age: Any  # the age's position (its label after wifund.reserving)
    reason: str  # the message without the "segment S: " prefix

class OdpBootstrapModel(metaclass=_pybind11_type):
    def __init__(self, values: ArrayLike, hat_adjust: bool, origins: Sequence[str], ages: Sequence[str]) -> None: ...
    def simulate(self, process: str, seed: _Int, begin: _Int, end: _Int, threads: _Int) -> NDArray[np.float64]:
        """
        Simulated IBNR by origin for simulations [begin, end).
        """
    @property
    def fitted(self) -> NDArray[np.float64]: ...
    @property
    def hat(self) -> NDArray[np.float64]: ...
    @property
    def ldf(self) -> NDArray[np.float64]: ...
    @property
    def n_obs(self) -> int: ...
    @property
    def n_params(self) -> int: ...
    @property
    def pool(self) -> list[float]: ...
    @property
    def residuals(self) -> NDArray[np.float64]: ...
    @property
    def scale(self) -> float: ...

class OdpBootstrapStack(metaclass=_pybind11_type):
    def __init__(self, values: ArrayLike, hat_adjust: bool, origins: Sequence[str], ages: Sequence[str]) -> None: ...
    def simulate(
        self, process: str, seed: _Int, first: _Int, last: _Int, n_sims: _Int, threads: _Int
    ) -> NDArray[np.float64]:
        """
        Simulated IBNR by origin of segments [first, last): rows segment-major, n_sims each.
        """
    @property
    def scale(self) -> list[float]: ...

def full_triangle(cum: ArrayLike, ldf: ArrayLike, lengths: Sequence[_Int]) -> NDArray[np.float64]:
    """
    The completed cumulative triangle: observed cells kept, each future cell = previous x f_j.
    """

def link_ratios(values: ArrayLike) -> NDArray[np.float64]:
    """
    Individual link ratios C(i, j+1) / C(i, j); NaN where a cell is unobserved or C(i, j) = 0.
    """

def payment_pattern_batch(
    cdf: ArrayLike, tail_ldfs: ArrayLike, lengths: ArrayLike, ibnr: ArrayLike, max_tail_periods: _Int
) -> tuple[Any, ...]: ...
def reserve(
    values: ArrayLike,
    method: str,
    average: str,
    n_periods: _Int,
    exclude: ArrayLike | None,
    tail: str,
    tail_factor: _Float,
    extrap_periods: _Int,
    sigma: str,
    apriori: ArrayLike | None,
    n_iter: _Int,
    exposure: ArrayLike | None,
    trend: _Float,
    decay: _Float,
    origin_step_years: _Float,
    origins: Sequence[str],
    ages: Sequence[str],
    segments: Sequence[str],
    threads: _Int,
) -> dict[str, Any]:
    """
    Runs a reserving method over a (segments, origins, ages) stack of cumulative triangles.
    """

def to_cumulative(values: ArrayLike) -> NDArray[np.float64]:
    """
    Cumulative amounts from incremental ones (NaN cells stay NaN).
    """

def to_incremental(values: ArrayLike) -> NDArray[np.float64]:
    """
    Incremental amounts from cumulative ones (NaN cells stay NaN).
    """

def validate(values: ArrayLike, origins: Sequence[str], ages: Sequence[str], segment: str = "") -> list[int]:
    """
    Observed ages per origin; raises ValueError on holes and non-finite values.
    """

bootstrap_block: int

def validate_stack(values: ArrayLike, origins: Sequence[str], ages: Sequence[str]) -> None:
    """Checks every cell of a (segments, origins, ages) stack: finite, squarable, observed on a prefix of ages, at
    least one value per origin. Raises TriangleError naming the place."""
