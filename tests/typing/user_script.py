"""An analyst's script against wifund's public API, type-checked by tests/python/test_typing_user.py
with ``mypy --strict`` (it must pass; the same script with a misspelt keyword must not)."""

from __future__ import annotations

import numpy as np
import pandas as pd

import wifund
import wifund.reserving as wr


def months_after_a_cut(cut: float) -> float:
    province = wifund.Province.demo()
    policy = wifund.Policy.load("jilin").override({"reserve.ratio": 0.12})
    base = wifund.project(province, policy, years=10)
    lower = base.rerun(rate_multiplier=np.full(9, 1.0 - cut))
    table: pd.DataFrame = wifund.compare({"base": base, "cut": lower}, column="months_of_payment")
    first: int = base.start
    exhausted: int | None = lower.exhausted_year
    print(first, exhausted, table.shape)
    return float(lower.fund["months_of_payment"].iloc[-1])


def reserve_of_the_demo() -> float:
    tri = wr.demo_triangle()
    result = wr.mack(tri)
    boot = wr.odp_bootstrap(tri, n_sims=100, seed=7, progress=False)
    print(boot.quantile([0.5, 0.995]).shape)
    return float(np.sum(result.ibnr))


def fitted() -> float:
    model = wifund.forecast.ets(pd.Series(np.arange(1.0, 21.0)), trend="add")
    return float(model.llf)


if __name__ == "__main__":
    print(months_after_a_cut(0.2), reserve_of_the_demo(), fitted())
