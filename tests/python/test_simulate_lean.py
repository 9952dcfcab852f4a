"""The Monte Carlo's lean kernel (issue #12 performance; include/wifund/stochastic/lean.hpp): the base-year
stock rolled once per generator, the year's awards and the dependants of each death rolled per scenario.
Checked against the full kernel (the engine's year step with the whole cohort book) scenario by scenario on
generators that move every input the lean split depends on (claim counts, economy paths, catastrophes,
severities, the rate review), against the deterministic projection with the randomness off, for thread
independence and on Dask; and the choice of the kernel (method="auto" is lean only where it is exact)."""

from __future__ import annotations

import dataclasses
import functools

import numpy as np
import pytest

import wifund
from wifund import _core
from wifund.simulate import generator, simulate
from wifund.stochastic import Sources

pytestmark = pytest.mark.filterwarnings("ignore::wifund.ReplayWarning")

SR = _core.stochastic
VECTORS = list(SR.simulation_vectors)


@functools.lru_cache(maxsize=1)
def demo() -> wifund.Province:
    return wifund.Province.demo()


def _review_policy() -> wifund.Policy:
    """The default policy with the 以支定收 rate review on from the second projection year, yearly."""
    return wifund.Policy.load(demo().default_policy).override(
        {"rate_review.active": True, "rate_review.first_year": 2026, "rate_review.cycle_years": 1}
    )


GENERATORS = {
    "default": lambda: generator(demo(), years=15),
    "claims-nb": lambda: generator(
        demo(),
        years=12,
        sources=dataclasses.replace(Sources.off(), claims=True, claim_counts="negative_binomial", dispersion=0.3),
    ),
    "economy": lambda: generator(demo(), years=12, sources=Sources.default().only("economy")),
    "catastrophes": lambda: generator(
        demo(),
        years=12,
        sources=dataclasses.replace(Sources.default(), catastrophes=True, catastrophe_rate=3.0),
    ),
    "rate-review": lambda: generator(demo(), _review_policy(), years=15),
}


def _close_by_scenario(full: dict, lean: dict, tol: float) -> None:
    """Each scenario's vector within tol of that vector's scale in the scenario (max |full|, at least 1)."""
    for v in [*VECTORS, "city_expenditure", "city_contributions"]:
        a, b = np.asarray(full[v]), np.asarray(lean[v])
        assert a.shape == b.shape, v
        scale = np.maximum(np.abs(a).max(axis=1), 1.0)
        err = np.abs(a - b).max(axis=1)
        assert np.all(err <= tol * scale), (v, float((err / scale).max()))


@pytest.mark.parametrize("name", list(GENERATORS))
def test_lean_equals_full_scenario_by_scenario(name):
    gen = GENERATORS[name]()
    assert gen.lean_reason == ""
    full = SR.simulate(gen, 11, 0, 5, 2, True, "full")
    lean = SR.simulate(gen, 11, 0, 5, 2, True, "lean")
    assert full["method"] == "full" and lean["method"] == "lean"
    _close_by_scenario(full, lean, 1e-9)
    # the scenarios differ from one another (the comparison is not of five copies of one path)
    assert np.ptp(full["expenditure"][:, -1]) > 0
    if name == "rate-review":  # the review moved the rates (the feedback path is exercised)
        assert np.ptp(full["rate_multiplier"]) > 0.1
    if name == "catastrophes":  # catastrophes struck: deaths above the expected deaths at work
        base = SR.simulate(GENERATORS["default"](), 11, 0, 5, 1, False, "full")
        assert full["deaths"][:, :12].sum() > base["deaths"][:, :12].sum() + 10


def test_randomness_off_lean_equals_deterministic_projection():
    years = 20
    p = wifund.project(demo(), years=years)
    s = simulate(demo(), scenarios=2, years=years, sources=Sources.off(), progress=False, threads=1, method="lean")
    assert s.method == "lean" and s.method_reason == ""
    fund = p.fund
    refs = {
        "closing": fund["closing"],
        "revenue": fund["revenue"],
        "expenditure": fund["expenditure"],
        "months_of_payment": fund["months_of_payment"],
        "reserve": fund["reserve"],
        "contributions": fund["contributions"] + fund["project_premiums"],
    }
    for col, ref in refs.items():
        r = ref.to_numpy()
        got = s.array(col)
        assert np.all(np.abs(got - r) <= 1e-12 * max(np.abs(r).max(), 1.0)), col


def test_lean_same_seed_threads_and_blocks_identical():
    kw = dict(scenarios=8, years=8, seed=3, progress=False, method="lean")
    a = simulate(demo(), threads=1, block=8, **kw)
    b = simulate(demo(), threads=2, block=3, **kw)
    assert a.method == b.method == "lean"
    for v in VECTORS:
        assert np.array_equal(a.raw[v], b.raw[v]), v


def test_method_auto_lean_only_where_exact():
    s = simulate(demo(), scenarios=2, years=3, progress=False, threads=1)
    assert s.method == "lean" and s.method_reason == ""
    f = simulate(demo(), scenarios=2, years=3, progress=False, threads=1, method="full")
    assert f.method == "full"
    for v in VECTORS:
        np.testing.assert_allclose(s.raw[v], f.raw[v], rtol=1e-9, atol=1e-6)
    binom = dataclasses.replace(Sources.default(), mortality=True)
    m = simulate(demo(), scenarios=2, years=3, progress=False, threads=1, sources=binom)
    assert m.method == "full" and "binomial mortality" in m.method_reason
    with pytest.raises(ValueError, match="method = 'lean' is not exact for this generator: binomial mortality"):
        simulate(demo(), scenarios=2, years=3, progress=False, sources=binom, method="lean")
    with pytest.raises(ValueError, match="method = 'lean' is not exact.*binomial"):
        SR.simulate(generator(demo(), years=3, sources=binom), 0, 0, 1, 1, False, "lean")
    by_grade = wifund.Policy.load(demo().default_policy).override({"benefits.indexation.mode": "flat_by_grade"})
    g = generator(demo(), by_grade, years=3)
    assert g.lean_reason.startswith("flat-by-grade indexation in 2025")
    assert SR.simulate(g, 0, 0, 1, 1, False, "auto")["method"] == "full"
    with pytest.raises(ValueError, match="method"):
        simulate(demo(), scenarios=2, years=3, progress=False, method="fast")
    with pytest.raises(ValueError, match="method = 'fast' is unknown"):
        SR.simulate(generator(demo(), years=3), 0, 0, 1, 1, False, "fast")


def test_dask_uses_the_same_kernel():
    distributed = pytest.importorskip("distributed")
    from wifund import distributed as wd

    kw = dict(scenarios=6, years=4, seed=5)
    local = simulate(demo(), threads=2, progress=False, **kw)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as lc:
        with distributed.Client(lc) as client:
            remote = wd.simulate(demo(), client=client, block=2, fan_in=2, **kw)
            full = wd.simulate(demo(), client=client, block=3, method="full", **kw)
    assert local.method == remote.method == "lean" and full.method == "full"
    for v in VECTORS:
        assert np.array_equal(local.raw[v], remote.raw[v]), v
        np.testing.assert_allclose(full.raw[v], local.raw[v], rtol=1e-9, atol=1e-6)
