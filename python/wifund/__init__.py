"""wifund: actuarial and budget forecasting for China's work-injury insurance funds.

Provincial pooling with unified collection and expenditure (省级统筹, 统收统支).
"""
from . import _core
from ._core import ConvergenceError
from . import datasets, forecast

__version__ = "0.1.0"
__all__ = ["ConvergenceError", "__version__"]
