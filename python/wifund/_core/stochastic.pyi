"""
Monte Carlo generator and kernel (stochastic/)
"""

from typing import Any, ClassVar, SupportsFloat, SupportsIndex, SupportsInt, TypeAlias, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

from wifund._core import _pybind11_type

from . import fund

_Int: TypeAlias = SupportsInt | SupportsIndex
_Float: TypeAlias = SupportsFloat | SupportsIndex

economy_variables: list[str]
simulation_vectors: list[str]

class ClaimCounts(metaclass=_pybind11_type):
    """
    Members:

      poisson

      negative_binomial
    """

    __members__: ClassVar[dict[str, ClaimCounts]]
    poisson: ClassVar[ClaimCounts]
    negative_binomial: ClassVar[ClaimCounts]
    @overload
    def __eq__(self, other: ClaimCounts) -> bool: ...
    @overload
    def __eq__(self, other: Any) -> bool: ...
    def __getstate__(self) -> int: ...
    def __hash__(self) -> int: ...
    def __index__(self) -> int: ...
    def __init__(self, value: _Int) -> None: ...
    def __int__(self) -> int: ...
    @overload
    def __ne__(self, other: ClaimCounts) -> bool: ...
    @overload
    def __ne__(self, other: Any) -> bool: ...
    def __repr__(self) -> str: ...
    def __setstate__(self, state: _Int) -> None: ...
    def __str__(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def value(self) -> int: ...

class Severity(metaclass=_pybind11_type):
    """
    Members:

      lognormal

      gamma
    """

    __members__: ClassVar[dict[str, Severity]]
    lognormal: ClassVar[Severity]
    gamma: ClassVar[Severity]
    @overload
    def __eq__(self, other: Severity) -> bool: ...
    @overload
    def __eq__(self, other: Any) -> bool: ...
    def __getstate__(self) -> int: ...
    def __hash__(self) -> int: ...
    def __index__(self) -> int: ...
    def __init__(self, value: _Int) -> None: ...
    def __int__(self) -> int: ...
    @overload
    def __ne__(self, other: Severity) -> bool: ...
    @overload
    def __ne__(self, other: Any) -> bool: ...
    def __repr__(self) -> str: ...
    def __setstate__(self, state: _Int) -> None: ...
    def __str__(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def value(self) -> int: ...

class Sources(metaclass=_pybind11_type):
    """
    Sources of randomness (stochastic/generator.hpp); every value set by wifund.stochastic.Sources.
    """

    def __getstate__(self) -> tuple[Any, ...]: ...
    def __init__(self) -> None: ...
    def __setstate__(self, arg0: tuple[Any, ...]) -> None: ...
    def validate(self) -> None:
        """
        Raises ValueError naming the bad field and value.
        """
    economy: bool
    claims: bool
    severity: bool
    catastrophes: bool
    mortality: bool
    @property
    def sd(self) -> NDArray[np.float64]: ...
    @sd.setter
    def sd(self, arg0: ArrayLike) -> None: ...
    @property
    def corr(self) -> NDArray[np.float64]: ...
    @corr.setter
    def corr(self, arg0: ArrayLike) -> None: ...
    @property
    def ar(self) -> NDArray[np.float64]: ...
    @ar.setter
    def ar(self, arg0: ArrayLike) -> None: ...
    @property
    def level_sd(self) -> NDArray[np.float64]: ...
    @level_sd.setter
    def level_sd(self, arg0: ArrayLike) -> None: ...
    @property
    def claim_counts(self) -> ClaimCounts: ...
    @claim_counts.setter
    def claim_counts(self, arg0: ClaimCounts) -> None: ...
    @property
    def dispersion(self) -> float: ...
    @dispersion.setter
    def dispersion(self, arg0: _Float) -> None: ...
    @property
    def severity_law(self) -> Severity: ...
    @severity_law.setter
    def severity_law(self, arg0: Severity) -> None: ...
    @property
    def severity_cv(self) -> float: ...
    @severity_cv.setter
    def severity_cv(self, arg0: _Float) -> None: ...
    @property
    def catastrophe_rate(self) -> float: ...
    @catastrophe_rate.setter
    def catastrophe_rate(self, arg0: _Float) -> None: ...
    @property
    def catastrophe_min_deaths(self) -> float: ...
    @catastrophe_min_deaths.setter
    def catastrophe_min_deaths(self, arg0: _Float) -> None: ...
    @property
    def catastrophe_alpha(self) -> float: ...
    @catastrophe_alpha.setter
    def catastrophe_alpha(self, arg0: _Float) -> None: ...
    @property
    def catastrophe_max_deaths(self) -> float: ...
    @catastrophe_max_deaths.setter
    def catastrophe_max_deaths(self, arg0: _Float) -> None: ...

class Generator(metaclass=_pybind11_type):
    """
    A validated scenario generator for one Context and deterministic Scenario (the expected injuries and
    deaths computed once); picklable as (context, scenario, sources).
    """

    def __getstate__(self) -> tuple[Any, ...]: ...
    def __init__(self, context: fund.Context, scenario: fund.Scenario, sources: Sources) -> None: ...
    def __setstate__(self, arg0: tuple[Any, ...]) -> None: ...
    def deaths(self, seed: _Int, index: _Int, binomial: bool) -> NDArray[np.float64]:
        """
        3 x T deaths of beneficiaries of scenario `index` of `seed` (stochastic/mortality.hpp scenario_deaths):
        among the cohorts in the book at each roll, of the dependants the roll awarded, and the variance of the
        first's binomial draws given the year's counts; binomial=False: expected deaths.
        """
    def draw(self, seed: _Int, index: _Int) -> fund.Scenario:
        """
        Scenario `index` of `seed` (the kernel's draw).
        """
    @property
    def context(self) -> fund.Context: ...
    @property
    def scenario(self) -> fund.Scenario: ...
    @property
    def sources(self) -> Sources: ...
    @property
    def expected_injuries(self) -> NDArray[np.float64]: ...
    @property
    def lean_reason(self) -> str:
        """
        Why the lean kernel (stochastic/lean.hpp) is not exact for this generator; empty when it is
        (simulate's method='auto' then uses it).
        """

def simulate(
    generator: Generator,
    seed: _Int,
    first: _Int,
    count: _Int,
    threads: _Int = 1,
    keep_city: bool = False,
    method: str = "auto",
) -> dict[str, Any]:
    """
    Scenarios first..first+count-1 of seed: S x T arrays of simulation_vectors (and S x (C x T)
    city_expenditure and city_contributions with keep_city); independent of threads and of the blocking.
    method: 'auto' (the lean kernel where exact, Generator.lean_reason), 'lean' or 'full'; the kernel used
    is under 'method'.
    """

def city_detail_bytes(scenarios: _Float, cities: _Int, years: _Int) -> float:
    """
    Bytes of keep='city' detail (two S x C x T float64 arrays).
    """

def draw_stream(
    seed: _Int, scenario: _Int, stream: _Int, law: str, a: _Float = 0.0, b: _Float = 1.0, n: _Int = 1
) -> NDArray[np.float64]:
    """
    n draws of one stream of core/random.hpp (for tests): uniform, normal(a, b), poisson(a), gamma(shape a,
    scale b), negative_binomial(mean a, phi b), lognormal(mu a, sigma b), pareto(x_m a, alpha b), binomial(n a,
    p b), cohort_deaths(count a, p b).
    """
