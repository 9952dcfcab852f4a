"""Rate-setting solvers and the cut / review calendar (wifund.ratesetting.solve / calendar, issue #13 items 1-3).

Every solution is checked by projecting the solved policy with wifund.project (an independent path: the policy
layer goes through the Python bridge, not the solver's C++ lever), and the balancing multiplier against a
bisection on a fine grid written here on Projection.rerun(rate_multiplier=...) (the scenario's multiplier, not the
solver's context copy)."""

from __future__ import annotations

import datetime as dt
import math

import matplotlib
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure
from test_projection import provinces

import wifund
from wifund import ratesetting as R
from wifund.assumptions import Assumptions

REL = 1e-6


@pytest.fixture(scope="module")
def demo() -> wifund.Province:
    return wifund.Province.demo()


def _own_ratio(fund) -> float:
    """以支定收 by hand: revenue without fiscal advances over expenditure without advance repayments."""
    return float(
        (fund["revenue"] - fund["fiscal_advance"]).sum() / (fund["expenditure"] - fund["advance_repayment"]).sum()
    )


def _bisect_multiplier(base: wifund.Projection, f, lo: float, hi: float) -> float:
    """An independent root of f(projection) = 0 in the multiplier: a grid of 41 points, then bisection."""
    grid = np.linspace(lo, hi, 41)
    vals = [f(base.rerun(rate_multiplier=[m] * 9)) for m in grid]
    i = next(i for i in range(40) if (vals[i] < 0) != (vals[i + 1] < 0))
    a, b, fa = float(grid[i]), float(grid[i + 1]), vals[i]
    while b - a > 1e-11 * b:
        m = 0.5 * (a + b)
        fm = f(base.rerun(rate_multiplier=[m] * 9))
        if (fm < 0) == (fa < 0):
            a, fa = m, fm
        else:
            b = m
    return 0.5 * (a + b)


def test_balance_on_the_demo_agrees_with_a_fine_bisection(demo: wifund.Province) -> None:
    a = Assumptions.default()
    res = R.solve(demo, None, a, target=R.Balance(years=10))
    assert res.converged and res.goal == 1.0
    assert res.achieved == pytest.approx(1.0, rel=REL)
    assert 1 < res.evaluations < 60
    # projecting the solved policy reproduces the solver's indicator
    proj = wifund.project(demo, res.policy, a, years=res.years)
    fund = proj.fund
    assert _own_ratio(fund) == pytest.approx(res.achieved, rel=1e-12)
    assert res.indicator(proj) == pytest.approx(1.0, rel=REL)
    # the solved policy's base rates are the policy's × the multiplier (a dated layer "solve")
    rates = res.policy.at(dt.date(2026, 1, 1))["contribution.base_rate"]
    orig = wifund.Policy.load("jilin").at(dt.date(2026, 1, 1))["contribution.base_rate"]
    assert rates == pytest.approx([r * res.lever_value for r in orig], rel=1e-15)
    # an independent bisection on the scenario's rate multiplier
    base = wifund.project(demo, None, a, years=10)

    def f(p: wifund.Projection) -> float:
        return _own_ratio(p.fund) - 1.0

    assert res.lever_value == pytest.approx(_bisect_multiplier(base, f, 0.1, 5.0), rel=1e-9)


def test_months_at_a_horizon_and_in_a_band_every_year(demo: wifund.Province) -> None:
    a = Assumptions.default()
    res = R.solve(demo, None, a, target=R.MonthsOfPayment(12, at=10))
    assert res.achieved == pytest.approx(12.0, rel=REL)
    proj = wifund.project(demo, res.policy, a, years=res.years)
    assert float(proj.fund.loc[2034, "months_of_payment"]) == pytest.approx(12.0, rel=REL)
    base = wifund.project(demo, None, a, years=10)
    ref = _bisect_multiplier(base, lambda p: float(p.fund.loc[2034, "months_of_payment"]) - 12.0, 0.1, 5.0)
    assert res.lever_value == pytest.approx(ref, rel=1e-9)
    # the calendar year gives the same target
    assert R.solve(demo, None, a, target=R.MonthsOfPayment(12, at=2034)).lever_value == res.lever_value
    # every year in 12..30 months over 8 years: the lowest rate with months >= 12 in every year
    band = R.solve(demo, None, a, target=R.MonthsOfPayment(band=(12, 30), every_year=True, at=8))
    m = wifund.project(demo, band.policy, a, years=band.years).fund["months_of_payment"]
    assert float(m.min()) == pytest.approx(12.0, rel=REL)
    assert float(m.max()) <= 30 and band.highest == pytest.approx(float(m.max()), rel=1e-12)
    # a band too narrow to hold every year is reported, with the highest months
    with pytest.raises(R.TargetUnreachable, match=r"cannot be reached .* the highest are .* above 12.5"):
        R.solve(demo, None, a, target=R.MonthsOfPayment(band=(12, 12.5), every_year=True, at=20))


def test_steady_state_after_a_review_period_and_class_rates(demo: wifund.Province) -> None:
    a = Assumptions.default()
    res = R.solve(demo, None, a, target=R.SteadyState(years=(10, 20)), lever=R.Lever("multiplier", years=(2027, 2044)))
    m = wifund.project(demo, res.policy, a, years=res.years).fund["months_of_payment"]
    assert float(m.loc[2044] / m.loc[2034]) == pytest.approx(1.0, rel=REL)
    # before the lever years the policy's own rates are in force
    assert (
        res.policy.at(dt.date(2026, 6, 1))["contribution.base_rate"]
        == wifund.Policy.load("jilin").at(dt.date(2026, 6, 1))["contribution.base_rate"]
    )
    # class rates at fixed relativities 1, 2, ..., 8: the class-1 rate that balances 10 years
    rel = [1.0, 2, 3, 4, 5, 6, 7, 8]
    cr = R.solve(demo, None, a, target=R.Balance(years=10), lever=R.Lever("class_rates", relativities=rel))
    rates = cr.policy.at(dt.date(2030, 1, 1))["contribution.base_rate"]
    assert rates == pytest.approx([cr.lever_value * r for r in rel], rel=1e-15)
    assert cr.indicator(wifund.project(demo, cr.policy, a, years=cr.years)) == pytest.approx(1.0, rel=REL)


def test_cut_depth_lever(demo: wifund.Province) -> None:
    a = Assumptions.default()
    base = wifund.project(demo, None, a, years=6)
    target = float(base.fund.loc[2030, "months_of_payment"]) - 1.0
    res = R.solve(demo, None, a, target=R.MonthsOfPayment(target, at=6), lever=R.Lever("cut_depth", years=(2025, 2027)))
    assert 0 < res.lever_value < 1
    proj = wifund.project(demo, res.policy, a, years=res.years)
    assert float(proj.fund.loc[2030, "months_of_payment"]) == pytest.approx(target, rel=REL)
    # hand check: the cut applies in 2025-2027 only, at the solved depth
    assert proj.fund.loc[2025:2027, "phased_cut"].tolist() == pytest.approx([res.lever_value] * 3, rel=1e-15)
    assert proj.fund.loc[2028:2030, "phased_cut"].tolist() == [0.0, 0.0, 0.0]


def test_unreachable_target_names_the_target_range_and_closest(demo: wifund.Province) -> None:
    with pytest.raises(R.TargetUnreachable) as e:
        R.solve(demo, target=R.Balance(years=5), bounds=(0.1, 0.2))
    msg = str(e.value)
    assert "Balance(years=5)" in msg and "[0.1, 0.2]" in msg and "closest achievable" in msg
    assert e.value.closest_lever == 0.2  # more revenue at the higher rate: closer to balance
    assert e.value.closest_achieved < 1


def test_probability_target_with_common_random_numbers(demo: wifund.Province) -> None:
    # few scenarios (8) and 4 years to stay fast; the probability is a step function of the lever
    t = R.Probability(months=17.0, within=4, at_most=0.25, scenarios=8, seed=3)
    res = R.solve(demo, target=t, bounds=(0.5, 3.0))
    assert res.converged and res.achieved <= 0.25
    sim = wifund.simulate(demo, res.policy, scenarios=8, years=4, seed=3, progress=False)
    assert res.indicator(sim) == res.achieved
    # just below the solution (the infeasible end of the bracket) the constraint fails: an independent run with
    # the scenario's rate multiplier
    bad = res.bracket[0] if res.bracket[1] == res.lever_value else res.bracket[1]
    sim_bad = wifund.simulate(demo, None, scenarios=8, years=4, seed=3, progress=False, rate_multiplier=bad)
    assert sim_bad.prob_months_below(17.0, within=4) > 0.25
    assert abs(res.bracket[1] - res.bracket[0]) <= 1e-4 * res.lever_value


@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(province=provinces(), n=st.integers(2, 8))
def test_balance_on_random_provinces(province: wifund.Province, n: int) -> None:
    try:
        res = R.solve(province, target=R.Balance(years=n))
    except R.TargetUnreachable as e:  # e.g. no contributions at all: stated with the closest value
        assert "cannot be reached" in str(e) and math.isfinite(e.closest_lever)
        return
    assert res.achieved == pytest.approx(1.0, rel=REL)
    proj = wifund.project(province, res.policy, years=res.years)
    assert res.indicator(proj) == pytest.approx(1.0, rel=REL)


def test_calendar_with_the_review_and_a_cut(demo: wifund.Province) -> None:
    a = Assumptions.default()
    cal = R.calendar(demo, None, a, years=20, rate_review=True)
    t = cal.table.set_index("year")
    # hand reading of the rule: the multiplier changes where it differs from the year before (1 before 2025)
    m = t["rate_multiplier"].to_numpy()
    assert t["review_change"].tolist() == list(m != np.concatenate([[1.0], m[:-1]]))
    assert t["review_change"].any()
    # 2025: the national cut of the base year (20 %) ended on 2024-12-31 (人社部发〔2023〕19号)
    assert bool(t.loc[2025, "cut_change"]) and t.loc[2025, "phased_cut"] == 0.0
    # without the rules: a projection with the cut switched off in the policy and no review, done separately
    pol = wifund.Policy.load("jilin").override({"contribution.phased_cut.active": False})
    off = wifund.project(demo, pol, a, years=20, rate_review=False)
    assert t["months_without"].tolist() == pytest.approx(off.fund["months_of_payment"].tolist(), rel=1e-12)
    on = wifund.project(demo, None, a, years=20, rate_review=True)
    assert t["months_of_payment"].tolist() == on.fund["months_of_payment"].tolist()
    assert set(cal.changes.index) <= set(cal.table.index)
    backend = matplotlib.get_backend()
    ax = Figure().subplots()
    assert cal.plot(ax=ax) is ax and matplotlib.get_backend() == backend


def test_sensitivity_reports_the_balancing_rate(demo: wifund.Province) -> None:
    s = R.sensitivity(demo, outputs=["balancing_rate"], shocks={"incidence": 0.1}, years=6)
    row = s.table.iloc[0]
    ref = R.solve(demo, target=R.Balance(years=6))
    assert row["base"] == pytest.approx(ref.lever_value, rel=1e-9)
    assert row["low"] < row["base"] < row["high"]  # more injuries need higher rates
