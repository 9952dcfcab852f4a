"""
Experience rating of employers (ratesetting/)
"""

from collections.abc import Sequence
from typing import SupportsFloat, SupportsIndex, SupportsInt, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray

_Int: TypeAlias = SupportsInt | SupportsIndex  # what a pybind11 int argument accepts
_Float: TypeAlias = SupportsFloat | SupportsIndex  # what a pybind11 float argument accepts

reason_blocked: int

def float_tiers(
    risk_class: ArrayLike,
    contributions: ArrayLike,
    benefits: ArrayLike,
    injuries: ArrayLike,
    insured: ArrayLike,
    years_insured: ArrayLike,
    zero_previous: ArrayLike | None,
    flags: ArrayLike | None,
    current_tier: ArrayLike | None,
    group: ArrayLike | None,
    groups: _Int,
    ladder: Sequence[_Float],
    base_tier: _Int,
    ratio_edges: Sequence[_Float],
    ratio_right_closed: bool,
    incidence_edges: Sequence[_Float],
    incidence_right_closed: bool,
    grid: Sequence[_Int],
    zero_repeat_tier: _Int,
    max_step: _Int,
    class1_up_only: bool,
    floor_class1_base: bool,
    min_years: _Float,
    no_contributions: _Int,
    block_mask: _Int,
    base_rates: Sequence[_Float],
) -> dict[str, NDArray[np.float64]]:
    """
    Tier, multiplier, rate and reason code of every employer under a float schedule, and the revenue
    effect by (group, class) (ratesetting/float_tiers.hpp).
    """
