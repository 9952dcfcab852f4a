"""Progress bars (tqdm) for long calls, only above a size threshold (issue #14 item 3).

``progress=None`` (the default of every call that can show one) shows a bar only when the work is at
least the call's threshold — about two seconds on one core — so quick calls in a notebook print
nothing; ``True`` always shows one (tqdm must be installed), ``False`` never.
"""

from __future__ import annotations

from typing import Any

#: Work units (series, simulations x segments, scenarios) from which ``progress=None`` shows a bar.
THRESHOLDS: dict[str, int] = {
    "fit_many": 2_000,  # ETS fits, ~1 ms each
    "ODP bootstrap": 20_000,  # bootstrap simulations x segments, ~0.1 ms each
}


def bar(progress: bool | None, total: int, desc: str, unit: str = "it", threshold: int | None = None) -> Any:
    """A tqdm bar, or None: see the module docstring. ``threshold`` defaults to ``THRESHOLDS[desc]``."""
    if progress is not None and not isinstance(progress, bool):
        raise TypeError(f"{desc}: progress = {progress!r} must be True, False or None (automatic)")
    if progress is False:
        return None
    if progress is None and total < (THRESHOLDS.get(desc, 0) if threshold is None else threshold):
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        if progress:
            raise ImportError(f"{desc}: progress=True needs tqdm (pip install tqdm)") from None
        return None
    return tqdm(total=total, desc=desc, unit=unit, leave=False)
