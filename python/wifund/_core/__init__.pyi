"""wifund C++ core (private; use the wifund package).

Hand-kept stubs, one file per submodule (built in src/bindings/module.cpp, one bind_<area>.cpp
each). A new binding gets its stub in <area>.pyi; `python -m mypy.stubtest wifund._core`
(scripts/test.sh) checks the stubs against the built extension.
"""

from . import axes as axes
from . import budget as budget
from . import core as core
from . import forecast as forecast
from . import fund as fund
from . import life as life
from . import policy as policy
from . import ratesetting as ratesetting
from . import reserving as reserving
from . import stochastic as stochastic
from . import valuation as valuation

__version__: str

# The metaclass of every pybind11 class (pybind11_builtins.pybind11_type at run time). A stub-only
# name: the classes of the submodules declare it, so that stubtest sees the metaclass it finds.
class _pybind11_type(type): ...
