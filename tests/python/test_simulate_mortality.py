"""Binomial mortality of beneficiaries in the Monte Carlo (issue #12; include/wifund/stochastic/mortality.hpp):
the binomial and cohort-death draws against their theoretical moments, the year-1 deaths of the simulated book
against the expected-mortality projection (mean n p, variance (floor n + f^2) p (1 - p) summed over the
cohorts), thread invariance, and the expected path unchanged. Bands: four standard errors of the sampling
distribution with fixed seeds, so a wrong law fails."""

from __future__ import annotations

import functools
import pickle

import numpy as np
import pytest
from test_simulate import _band, _var_band

import wifund
from wifund import _core
from wifund.simulate import generator, simulate
from wifund.stochastic import SOURCES, Sources

pytestmark = pytest.mark.filterwarnings("ignore::wifund.ReplayWarning")

SR = _core.stochastic
MORTALITY_STREAM = 6


@functools.lru_cache(maxsize=1)
def demo() -> wifund.Province:
    return wifund.Province.demo()


# (n, p): inversion (n p <= 16), the median split (n p > 16), the symmetry (p > 1/2), a large n with a small p
@pytest.mark.parametrize("n,p", [(5, 0.1), (40, 0.3), (1000, 0.3), (200, 0.9), (100_000, 0.002)])
def test_binomial_mean_and_variance(n, p):
    x = SR.draw_stream(11, 0, MORTALITY_STREAM, "binomial", n, p, 40_000)
    assert np.all(x == np.round(x)) and x.min() >= 0 and x.max() <= n
    q = 1 - p
    var = n * p * q
    _band(x, n * p, var)
    _var_band(x, var, var * (1 + 3 * (n - 2) * p * q))  # binomial fourth central moment: npq(1 + 3(n-2)pq)


def test_binomial_small_case_exact_frequencies():
    # Binomial(3, 0.4): P(k) = C(3,k) 0.4^k 0.6^(3-k), each frequency within 4 binomial standard errors
    x = SR.draw_stream(12, 0, MORTALITY_STREAM, "binomial", 3, 0.4, 50_000)
    for k, pk in enumerate([0.216, 0.432, 0.288, 0.064]):
        freq = float(np.mean(x == k))
        assert abs(freq - pk) < 4 * np.sqrt(pk * (1 - pk) / x.size), (k, freq, pk)


@pytest.mark.parametrize("n,p", [(3.4, 0.2), (0.3, 0.5), (57.75, 0.05)])
def test_cohort_deaths_fractional_count(n, p):
    x = SR.draw_stream(13, 0, MORTALITY_STREAM, "cohort_deaths", n, p, 40_000)
    whole, f = np.floor(n), n - np.floor(n)
    assert x.max() <= n + 1e-12 and x.min() >= 0  # never more deaths than members
    var = (whole + f * f) * p * (1 - p)  # the whole members independent, the remainder dies whole
    _band(x, n * p, var)
    assert abs(x.var(ddof=1) / var - 1) < 0.1


def test_year_one_book_deaths_against_expected_projection():
    g = generator(demo(), None, None, 1, Sources.off().only("mortality"))
    e = g.deaths(0, 0, False)  # expected: deaths n p and the variance (floor n + f^2) p (1 - p) summed
    assert e[0, 0] > 100 and 0 < e[2, 0] < e[0, 0]
    d = np.array([g.deaths(5, i, True)[0, 0] for i in range(600)])
    _band(d, e[0, 0], e[2, 0])
    # the sum of ~20,000 independent cohort draws is close to normal: Var(s^2) ~ 2 var^2 / (n - 1)
    assert abs(d.var(ddof=1) - e[2, 0]) < 4 * np.sqrt(2 / (d.size - 1)) * e[2, 0], (d.var(ddof=1), e[2, 0])
    # a Poisson law (variance n p) or expected deaths (variance 0) would fail the band
    assert e[2, 0] < 0.8 * e[0, 0]


def test_simulate_binomial_threads_invariant_and_unlike_expected():
    src = Sources.off().only("mortality")
    kw = dict(scenarios=6, years=3, seed=4, progress=False, sources=src)
    a = simulate(demo(), threads=1, block=6, **kw)
    b = simulate(demo(), threads=2, block=4, **kw)
    for v in a.raw:
        if isinstance(a.raw[v], np.ndarray):
            assert np.array_equal(a.raw[v], b.raw[v]), v
    deaths = a.array("beneficiary_deaths")
    assert len(np.unique(deaths[:, 0])) == 6  # scenarios differ
    ref = simulate(demo(), scenarios=2, years=3, progress=False, sources=Sources.off(), threads=1)
    assert not np.array_equal(a.array("expenditure")[0], ref.array("expenditure")[0])
    # the expected path of the kernel: beneficiary deaths = the expected book's deaths, every scenario
    e = generator(demo(), None, None, 3, Sources.off()).deaths(0, 0, False)
    np.testing.assert_allclose(ref.array("beneficiary_deaths"), np.broadcast_to(e[0] + e[1], (2, 3)), rtol=1e-12)
    assert "mortality" in repr(a) and "mortality" in SOURCES


def test_sources_mortality_field_and_pickle():
    s = Sources.default(calibrated=False)
    assert s.mortality is False  # opt-in
    on = s.only("mortality")
    assert on.mortality and not on.economy and on.any
    assert not Sources.off().mortality
    c = on.to_core()
    assert c.mortality
    back = pickle.loads(pickle.dumps(c))
    assert back.mortality
    state = c.__getstate__()
    assert len(state) == 14
    old = SR.Sources.__new__(SR.Sources)
    old.__setstate__(state[:13])  # a state pickled before binomial mortality: mortality off
    assert not old.mortality
    with pytest.raises(TypeError, match="mortality"):
        Sources.off().__class__(**{**Sources.off().__dict__, "mortality": "yes"})


def test_generator_pickle_keeps_binomial_mortality():  # Dask: test_simulate.py::test_dask_bit_identical
    g = generator(demo(), None, None, 2, Sources.off().only("mortality"))
    g2 = pickle.loads(pickle.dumps(g))  # what wifund.distributed scatters
    assert g2.sources.mortality
    assert np.array_equal(g.deaths(9, 3, True), g2.deaths(9, 3, True))
