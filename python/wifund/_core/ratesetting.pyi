"""
Experience rating of employers (ratesetting/)
"""

from collections.abc import Sequence
from typing import Any, SupportsFloat, SupportsIndex, SupportsInt, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import fund, stochastic

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

def solve(
    context: fund.Context,
    scenario: fund.Scenario,
    lever_kind: _Int,
    lever_first: _Int,
    lever_last: _Int,
    relativities: Sequence[_Float],
    target_kind: _Int,
    months: _Float,
    band_high: _Float,
    first_index: _Int,
    at_index: _Int,
    lo: _Float,
    hi: _Float,
    x_tol: _Float = 1e-12,
    max_evaluations: _Int = 100,
    grid: _Int = 8,
    method: _Int = 0,
    check_tolerance: _Float = 1e-12,
) -> dict[str, Any]:
    """
    The lever value at which a deterministic target on the fund is met: a bracket on a grid of the
    bounds, then TOMS 748; the first evaluation an engine run, the others the rate-dependent part
    only (method 0: checked against the engine to check_tolerance, else the engine; 1: split
    unchecked; 2: the engine every time) (ratesetting/solve.hpp, split.hpp).
    """

def evaluate(
    context: fund.Context,
    scenario: fund.Scenario,
    lever_kind: _Int,
    lever_first: _Int,
    lever_last: _Int,
    relativities: Sequence[_Float],
    value: _Float,
    reference: _Float = ...,
) -> dict[str, Any]:
    """
    The solver's provincial vectors with the lever at one value: an engine run (reference NaN) or
    the split evaluation on the benefit side of an engine run at the lever value `reference`
    (ratesetting/solve.hpp apply_lever, split.hpp).
    """

def solve_probability(
    generator: stochastic.Generator,
    lever_kind: _Int,
    lever_first: _Int,
    lever_last: _Int,
    relativities: Sequence[_Float],
    months: _Float,
    within: _Int,
    at_most: _Float,
    seed: _Int,
    scenarios: _Int,
    threads: _Int,
    lo: _Float,
    hi: _Float,
    x_tol: _Float = 1e-06,
    max_evaluations: _Int = 60,
    grid: _Int = 4,
    method: _Int = 0,
    check_tolerance: _Float = 1e-12,
    split_memory_limit: _Float = 4000000000.0,
) -> dict[str, Any]:
    """
    The lever value at which P(months of payment < months within N years) <= at_most: TOMS 748 on
    the order statistic of the scenarios' lowest months with common random numbers, the scenarios
    split after one engine run of each (method as for solve; automatic: the engine when the split
    would keep more than split_memory_limit bytes) (ratesetting/solve.hpp).
    """
