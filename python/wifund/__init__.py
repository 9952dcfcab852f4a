"""wifund: actuarial and budget forecasting for China's work-injury insurance funds.

Provincial pooling with unified collection and expenditure (省级统筹, 统收统支).

>>> import wifund
>>> proj = wifund.project(wifund.Province.demo())            # doctest: +SKIP
>>> proj.fund                                                 # doctest: +SKIP
"""

from . import (  # actuals from files and SQL, and their audit (issue #10 items 6, 7)
    _core,
    benefits,
    budget,
    budget_audit,
    budget_report,
    budget_year,
    datasets,
    forecast,
    io,
    life,
    ratesetting,
    reserving,
    stochastic,
    valuation,
)
from ._core.core import ConvergenceError
from ._labels import styled
from .assumptions import Assumptions
from .policy import Params, Policy
from .projection import Projection, compare, project
from .province import Province
from .replay import ReplayWarning, replay
from .simulate import Simulation, simulate  # Monte Carlo (issue #12): the function shadows the module name

# One version source: pyproject.toml, compiled into the extension by CMake (CMakeLists.txt).
__version__: str = _core.__version__
__all__ = [
    "Assumptions",
    "ConvergenceError",
    "Params",
    "Policy",
    "Projection",
    "Province",
    "ReplayWarning",
    "benefits",
    "compare",
    "datasets",
    "forecast",
    "project",
    "ratesetting",
    "replay",
    "reserving",
    "styled",
    "Simulation",
    "simulate",
    "stochastic",
    "valuation",
    "__version__",
]
