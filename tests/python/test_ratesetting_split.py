"""The split evaluation of the rate-setting solvers (include/wifund/ratesetting/split.hpp, issue #13).

One engine run records what of each year does not depend on the rates; each later evaluation redoes only the
contributions, the phased cut, the rate review, the prevention fee and the fund roll. Here every split evaluation is
compared with a full engine run at the same lever value (``_core.ratesetting.evaluate`` without ``reference``: the
engine's year step, fund/step.hpp) to 1e-12 relative, vector by vector, on the demo and on hypothesis-random
provinces and policies — every lever kind, with the phased cut and the rate review in force (the policy's review and
the scenario's override) — and the solver's answers with the split equal those with an engine run per evaluation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_projection import provinces

import wifund
from wifund import _core
from wifund import ratesetting as R
from wifund._bridge import build_context, build_scenario, rate_review_override
from wifund.assumptions import Assumptions

VECTORS = (
    "revenue",
    "expenditure",
    "fiscal_advance",
    "advance_repayment",
    "closing",
    "months_of_payment",
    "phased_cut",
    "rate_multiplier",
)
NAN9 = [math.nan] * 9


def _policy(review: bool, cut: bool, lag: int = 1, step: float = 0.1, band: tuple[float, float] = (9.0, 12.0)):
    """jilin with the 以支定收 review (rate_review.*) and a phased cut from 2025 (thresholds 12 / 18 months, the 2018
    reductions) switched on as asked."""
    over: dict[str, object] = {}
    if review:
        over.update(
            {
                "rate_review.active": True,
                "rate_review.first_year": 2025,
                "rate_review.cycle_years": 1,
                "rate_review.lag_years": lag,
                "rate_review.step": step,
                "rate_review.band_months": list(band),
            }
        )
    if cut:
        over.update(
            {
                "contribution.phased_cut.active": True,
                "contribution.phased_cut.thresholds_months": [12.0, 18.0],
                "contribution.phased_cut.stop_months": 12.0,
            }
        )
    pol = wifund.Policy.load("jilin")
    return pol.override(over) if over else pol


def _relative_gap(a: dict, b: dict) -> float:
    """The largest difference over the solver's vectors, relative to each vector's largest absolute value."""
    worst = 0.0
    for k in VECTORS:
        x, y = np.asarray(a[k], dtype=float), np.asarray(b[k], dtype=float)
        assert x.shape == y.shape
        scale = max(float(np.max(np.abs(x), initial=0.0)), float(np.max(np.abs(y), initial=0.0)), 1e-300)
        worst = max(worst, float(np.max(np.abs(x - y), initial=0.0)) / scale)
    return worst


def _check_split(ctx, scenario, kind: int, first: int, last: int, rel: list[float], reference: float, values) -> None:
    for v in values:
        try:
            engine = _core.ratesetting.evaluate(ctx, scenario, kind, first, last, rel, v)
        except ValueError as e:  # a value the engine rejects (e.g. no expenditure in a year): the split says the same
            with pytest.raises(ValueError) as split_error:
                _core.ratesetting.evaluate(ctx, scenario, kind, first, last, rel, v, reference)
            assert str(split_error.value) == str(e)
            continue
        split = _core.ratesetting.evaluate(ctx, scenario, kind, first, last, rel, v, reference)
        assert _relative_gap(split, engine) <= 1e-12, (kind, v)


@pytest.fixture(scope="module")
def demo() -> wifund.Province:
    return wifund.Province.demo()


@pytest.mark.parametrize(("review", "cut"), [(False, False), (True, True), (True, False), (False, True)])
def test_split_equals_the_engine_on_the_demo_for_every_lever(demo: wifund.Province, review: bool, cut: bool) -> None:
    a = Assumptions.default()
    ctx, scenario, _ = build_context(demo, _policy(review, cut), a, 20)
    # the cut and the review really act in these runs (else the test would not reach that code)
    base = _core.ratesetting.evaluate(ctx, scenario, 0, 0, -1, NAN9, 1.0)
    low = _core.ratesetting.evaluate(ctx, scenario, 0, 0, -1, NAN9, 0.4)
    if review:
        assert len(set(np.round(np.asarray(low["rate_multiplier"]), 12))) > 1
    if cut:
        assert max(np.asarray(base["phased_cut"])) > 0
    rel = [1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, math.nan]
    _check_split(ctx, scenario, 0, 0, -1, NAN9, 0.1, [0.1, 0.4, 0.8, 1.0, 1.7, 3.0])
    _check_split(ctx, scenario, 0, 3, 12, NAN9, 0.5, [0.6, 1.3])
    _check_split(ctx, scenario, 1, 0, -1, rel, 0.001, [0.001, 0.004, 0.02])
    _check_split(ctx, scenario, 2, 1, 6, NAN9, 0.0, [0.0, 0.3, 0.9])


def test_split_equals_the_engine_with_the_scenarios_rate_review(demo: wifund.Province) -> None:
    a = Assumptions.default()
    pol = wifund.Policy.load("jilin")
    ctx, _, _ = build_context(demo, pol, a, 15)
    years = list(range(2025, 2040))
    spec = {"first_year": 2026, "cycle_years": 2, "lag_years": 0, "step": 0.2, "band_months": [10, 14]}
    scenario = build_scenario(demo, a, years, rate_review=rate_review_override(pol, 2025, spec))
    _check_split(ctx, scenario, 0, 0, -1, NAN9, 0.2, [0.2, 0.7, 1.0, 2.5])


def test_solver_answers_equal_with_the_split_and_the_engine(demo: wifund.Province) -> None:
    a = Assumptions.default()
    pol = _policy(True, True)
    cases = [
        (R.Balance(years=20), "multiplier"),
        (R.MonthsOfPayment(12, at=10), "multiplier"),
        (R.MonthsOfPayment(band=(6, 40), every_year=True, at=8), R.Lever("class_rates")),
        (R.SteadyState(years=(8, 16)), R.Lever("multiplier", years=(2027, 2040))),
        (R.MonthsOfPayment(14, at=6), R.Lever("cut_depth", years=(2025, 2027))),
    ]
    for target, lever in cases:
        try:
            fast = R.solve(demo, pol, a, target=target, lever=lever)
        except R.TargetUnreachable as e:
            with pytest.raises(R.TargetUnreachable) as e2:
                R.solve(demo, pol, a, target=target, lever=lever, evaluation="engine")
            assert e2.value.closest_lever == e.closest_lever
            continue
        slow = R.solve(demo, pol, a, target=target, lever=lever, evaluation="engine")
        assert fast.method == "split" and slow.method == "engine"
        assert fast.evaluations == slow.evaluations
        assert fast.lever_value == pytest.approx(slow.lever_value, rel=1e-12, abs=1e-15)
        assert fast.achieved == pytest.approx(slow.achieved, rel=1e-12)
        # and the answer is the engine's: the solved policy projected by wifund.project
        proj = wifund.project(demo, fast.policy, a, years=fast.years)
        assert fast.indicator(proj) == pytest.approx(fast.achieved, rel=1e-9)


def test_fallback_to_the_engine_when_the_check_fails(demo: wifund.Province) -> None:
    a = Assumptions.default()
    ctx, scenario, _ = build_context(demo, wifund.Policy.load("jilin"), a, 10)
    args = (ctx, scenario, 0, 0, -1, NAN9, 0, 0.0, math.inf, 0, 9, 0.1, 5.0, 1e-12, 100, 8)
    auto = _core.ratesetting.solve(*args, 0)
    engine = _core.ratesetting.solve(*args, 2)
    assert auto["method"] == "split" and engine["method"] == "engine"
    # a check that no split can pass (tolerance < 0): every evaluation is an engine run, and it says why
    forced = _core.ratesetting.solve(*args, 0, -1.0)
    assert forced["method"].startswith("engine (the split evaluation differed")
    for k in ("lever_value", "achieved", "evaluations"):
        assert forced[k] == engine[k]
    assert auto["lever_value"] == pytest.approx(engine["lever_value"], rel=1e-12)
    with pytest.raises(ValueError, match=r"method = 3"):
        _core.ratesetting.solve(*args, 3)
    with pytest.raises(ValueError, match=r"evaluation"):
        R.solve(demo, target=R.Balance(years=5), evaluation="fast")


@st.composite
def policies(draw):
    review, cut = draw(st.booleans()), draw(st.booleans())
    lag = draw(st.integers(0, 3))
    step = draw(st.floats(0.01, 0.5))
    lo = draw(st.floats(0.0, 20.0))
    hi = lo + draw(st.floats(0.5, 20.0))
    return _policy(review, cut, lag=lag, step=step, band=(lo, hi))


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(
    province=provinces(),
    policy=policies(),
    years=st.integers(2, 12),
    kind=st.integers(0, 2),
    values=st.lists(st.floats(0.0, 1.0), min_size=1, max_size=3),
    data=st.data(),
)
def test_split_equals_the_engine_on_random_provinces(province, policy, years, kind, values, data) -> None:
    a = Assumptions.default()
    first = data.draw(st.integers(0, years - 1))
    last = data.draw(st.sampled_from([-1, first, years - 1]))
    if kind == 0:
        rel, vals, ref = NAN9, [0.1 + 2.9 * v for v in values], 0.1
    elif kind == 1:
        rel, vals, ref = [1.0, 1.2, 1.4, 1.6, 1.8, 2.0, 2.2, 2.4, 1.0], [0.001 + 0.05 * v for v in values], 0.001
    else:
        rel, vals, ref = NAN9, list(values), 0.0
    try:
        ctx, scenario, _ = build_context(province, policy, a, years)
        _core.ratesetting.evaluate(ctx, scenario, kind, first, last, rel, ref)
    except ValueError:
        return  # a random province the engine rejects at the reference value (e.g. no expenditure): nothing to split
    _check_split(ctx, scenario, kind, first, last, rel, ref, vals)


def _p_below(demo: wifund.Province, v: float, t: R.Probability) -> float:
    """P by the public Monte Carlo with the scenario's rate multiplier (not the solver's lever or split)."""
    sim = wifund.simulate(
        demo, None, scenarios=t.scenarios, years=t.within, seed=t.seed, progress=False, rate_multiplier=v
    )
    return float(sim.prob_months_below(t.months, within=t.within))


def test_probability_solve_agrees_with_a_fine_grid(demo: wifund.Province) -> None:
    t = R.Probability(months=17.0, within=4, at_most=0.25, scenarios=12, seed=3, tol=1e-6)
    res = R.solve(demo, target=t, bounds=(0.5, 3.0))
    assert res.converged and res.method == "split"
    assert res.achieved <= 0.25
    # TOMS 748 on the continuous order statistic: far fewer evaluations than bisection to 1e-6 (2 bounds + 22)
    assert res.evaluations <= 14
    # the engine at every evaluation gives the same answer in the same evaluations
    slow = R.solve(demo, target=t, bounds=(0.5, 3.0), evaluation="engine")
    assert slow.method == "engine" and slow.evaluations == res.evaluations
    assert slow.lever_value == pytest.approx(res.lever_value, rel=1e-12)
    assert slow.achieved == res.achieved
    # independent: P on a fine grid of the scenario's rate multiplier; the solution is the smallest feasible value
    grid = np.linspace(0.5, 3.0, 26)
    p = np.array([_p_below(demo, float(v), t) for v in grid])
    first_ok = int(np.argmax(p <= 0.25))
    assert p[first_ok] <= 0.25 and first_ok > 0
    assert grid[first_ok - 1] < res.lever_value <= grid[first_ok]
    assert _p_below(demo, res.lever_value, t) == res.achieved
    below = res.lever_value * (1 - 4e-6)
    assert _p_below(demo, below, t) > 0.25  # just below the solution the constraint fails


def test_probability_fallback_and_unreachable(demo: wifund.Province) -> None:
    t = R.Probability(months=17.0, within=3, at_most=0.25, scenarios=6, seed=5)
    gen_args = (t.months, t.within, t.at_most, t.seed, t.scenarios, 1, 0.5, 3.0, 1e-4, 60, 4)
    from wifund.simulate import generator

    gen = generator(demo, wifund.Policy.load("jilin"), Assumptions.default(), t.within, None, who="test")
    auto = _core.ratesetting.solve_probability(gen, 0, 0, -1, NAN9, *gen_args, 0)
    forced = _core.ratesetting.solve_probability(gen, 0, 0, -1, NAN9, *gen_args, 0, -1.0)
    engine = _core.ratesetting.solve_probability(gen, 0, 0, -1, NAN9, *gen_args, 2)
    assert auto["method"] == "split" and engine["method"] == "engine"
    assert forced["method"].startswith("engine (the split evaluation differed")
    for k in ("lever_value", "achieved", "evaluations"):
        assert forced[k] == engine[k]
    assert auto["lever_value"] == pytest.approx(engine["lever_value"], rel=1e-12)
    # the split's memory over the limit (bytes): the engine at every evaluation, and it says why
    small = _core.ratesetting.solve_probability(gen, 0, 0, -1, NAN9, *gen_args, 0, 1e-12, 1.0)
    assert small["method"].startswith("engine (the split would keep")
    assert (small["lever_value"], small["evaluations"]) == (engine["lever_value"], engine["evaluations"])
    # threads do not change the answer
    two = _core.ratesetting.solve_probability(gen, 0, 0, -1, NAN9, *gen_args[:5], 2, *gen_args[6:], 0)
    assert two["lever_value"] == auto["lever_value"] and two["achieved"] == auto["achieved"]
    # a probability no rate in the bounds reaches: named, with the closest value
    with pytest.raises(R.TargetUnreachable, match=r"cannot be reached .* closest achievable"):
        R.solve(demo, target=R.Probability(months=500.0, within=3, at_most=0.0, scenarios=4, seed=1), bounds=(0.5, 0.6))


@pytest.mark.parametrize(
    ("lever", "months", "within"),
    [("multiplier", 14.0, 4), (R.Lever("cut_depth", years=(2025, 2026)), 11.0, 2), (R.Lever("class_rates"), 14.0, 4)],
)
def test_probability_split_equals_the_engine_with_the_cut_and_the_review(
    demo: wifund.Province, lever, months: float, within: int
) -> None:
    # a deeper cut lowers months of payment: its solution is the deepest cut that keeps P <= at_most
    pol = _policy(True, True)
    t = R.Probability(months=months, within=within, at_most=0.2, scenarios=10, seed=11, tol=1e-6)
    fast = R.solve(demo, pol, target=t, lever=lever)
    slow = R.solve(demo, pol, target=t, lever=lever, evaluation="engine")
    assert fast.method == "split" and slow.method == "engine"
    assert (fast.lever_value, fast.achieved, fast.evaluations) == (slow.lever_value, slow.achieved, slow.evaluations)
    assert fast.achieved <= 0.2
