"""Sensitivity (wifund.ratesetting.sensitivity, issue #13 item 3): the tornado values equal separate projections
with the assumption moved by hand (wifund.project, a fresh context each), the elasticity formula, the chart."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure

import wifund
from wifund import ratesetting as R
from wifund.assumptions import Assumptions


@pytest.fixture(scope="module")
def demo() -> wifund.Province:
    return wifund.Province.demo()


@pytest.fixture(scope="module")
def sens(demo: wifund.Province) -> R.Sensitivity:
    return R.sensitivity(
        demo, outputs=["months_of_payment", "closing"], shocks={"wage_growth": 0.01, "incidence": 0.1}, years=6
    )


def test_values_equal_separate_projections(demo: wifund.Province, sens: R.Sensitivity) -> None:
    a = Assumptions.default()
    at = sens.at
    base = wifund.project(demo, None, a, years=6)
    assert at == base.years[-1]
    # wage growth moved by hand: default 5 % → 4 % and 6 % in every year
    yrs = list(range(int(base.raw["start_year"]), int(base.raw["start_year"]) + int(base.raw["years"])))
    lo = wifund.project(demo, None, a.replace(wage_growth={y: 0.05 - 0.01 for y in yrs}), years=6)
    hi = wifund.project(demo, None, a.replace(wage_growth={y: 0.05 + 0.01 for y in yrs}), years=6)
    t = sens.table.set_index(["output", "shock"])
    for col in ("months_of_payment", "closing"):
        row = t.loc[(col, "wage_growth")]
        b, low, high = (float(p.fund.loc[at, col]) for p in (base, lo, hi))
        assert row["base"] == pytest.approx(b, rel=1e-12)
        assert row["low"] == pytest.approx(low, rel=1e-12)
        assert row["high"] == pytest.approx(high, rel=1e-12)
        assert row["elasticity"] == pytest.approx(((high - low) / b) / (2 * 0.01 / 0.05), rel=1e-12)
    # incidence ±10 %: more injuries, fewer months of payment
    inc = t.loc[("months_of_payment", "incidence")]
    assert inc["high"] < inc["base"] < inc["low"]
    # tornado order: the largest |swing| first within an output
    m = sens.table[sens.table["output"] == "months_of_payment"]
    assert list(m["swing"].abs()) == sorted(m["swing"].abs(), reverse=True)


def test_plot_returns_the_axes_and_keeps_the_backend(sens: R.Sensitivity) -> None:
    backend = matplotlib.get_backend()
    ax = Figure().subplots()
    assert sens.plot("months_of_payment", ax=ax) is ax
    assert len(ax.patches) == 4  # two shocks × low / high
    assert matplotlib.get_backend() == backend


@pytest.mark.parametrize(
    ("kw", "needles"),
    [
        ({"shocks": {"wage_grwth": 0.01}}, ("wage_grwth", "wage_growth")),
        ({"shocks": {"wage_growth": -0.01}}, ("wage_growth", "-0.01")),
        ({"shocks": {"incidence": 1.5}}, ("incidence", "1.5")),
        ({"outputs": ["months"]}, ("outputs", "'months'")),
        ({"at": 1990}, ("at", "1990")),
        ({"shocks": {"collection_rate": 0.01}}, ("collection_rate", "NaN")),
    ],
)
def test_bad_input(demo: wifund.Province, kw: dict[str, object], needles: tuple[str, ...]) -> None:
    with pytest.raises(ValueError) as e:
        R.sensitivity(demo, years=3, **kw)  # type: ignore[arg-type]
    for n in needles:
        assert n in str(e.value)


def test_elasticity_is_nan_when_never_exhausted(demo: wifund.Province) -> None:
    s = R.sensitivity(demo, outputs=["exhausted_year"], shocks={"interest_rate": 0.01}, years=3)
    assert np.isnan(s.table["elasticity"]).all() or s.table["base"].notna().all()
