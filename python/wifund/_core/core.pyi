"""
Exception types of the core (core/errors.hpp)
"""

class ConvergenceError(RuntimeError):
    pass
