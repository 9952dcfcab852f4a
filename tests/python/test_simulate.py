"""Monte Carlo of the fund (issue #12): determinism (threads, blocks, Dask), randomness off equals the
deterministic projection, statistical tests of the generator against the theory (fixed seeds, bands of
four standard errors of the sampling distribution, so a wrong law fails), bad input."""

from __future__ import annotations

import dataclasses
import functools

import numpy as np
import pytest

import wifund
from wifund import _core
from wifund.simulate import Simulation, generator, simulate
from wifund.stochastic import ECONOMY_VARIABLES, Sources

import badinput
from badinput import Case

pytestmark = pytest.mark.filterwarnings("ignore::wifund.ReplayWarning")

SR = _core.stochastic


@functools.lru_cache(maxsize=1)
def demo() -> wifund.Province:
    return wifund.Province.demo()


def test_same_seed_same_arrays_threads_and_blocks():
    kw = dict(scenarios=12, years=5, seed=7, progress=False)
    a = simulate(demo(), threads=1, block=12, **kw)
    b = simulate(demo(), threads=2, block=5, **kw)
    for v in a.raw:  # every array, bit for bit
        if isinstance(a.raw[v], np.ndarray):
            assert np.array_equal(a.raw[v], b.raw[v]), v
    c = simulate(demo(), threads=2, block=12, **{**kw, "seed": 8})
    assert not np.array_equal(a.raw["closing"], c.raw["closing"])


def test_randomness_off_equals_deterministic_projection():
    p = wifund.project(demo(), years=12)
    s = simulate(demo(), scenarios=3, years=12, sources=Sources.off(), progress=False, threads=2)
    for col in ("closing", "revenue", "expenditure", "months_of_payment", "phased_cut", "reserve"):
        ref = p.fund[col].to_numpy()
        got = s.array(col)
        assert np.all(np.abs(got - ref) <= 1e-12 * np.maximum(np.abs(ref), 1.0)), col
    contrib = (p.fund["contributions"] + p.fund["project_premiums"]).to_numpy()
    np.testing.assert_allclose(s.array("contributions"), np.broadcast_to(contrib, (3, 12)), rtol=1e-12, atol=0)


def _band(sample: np.ndarray, mean: float, var: float) -> None:
    """The sample mean within 4 standard errors of the theoretical mean."""
    se = np.sqrt(var / sample.size)
    assert abs(sample.mean() - mean) < 4 * se, (sample.mean(), mean, se)


def _var_band(sample: np.ndarray, var: float, mu4: float) -> None:
    """The sample variance within 4 standard errors (Var(s^2) ~ (mu4 - var^2) / n)."""
    se = np.sqrt((mu4 - var**2) / sample.size)
    assert abs(sample.var(ddof=1) - var) < 4 * se, (sample.var(ddof=1), var, se)


@pytest.mark.parametrize("lam", [0.5, 3.0, 50.0])
def test_poisson_mean_and_variance(lam):
    x = SR.draw_stream(1, 0, 2, "poisson", lam, 0.0, 40_000)
    _band(x, lam, lam)
    _var_band(x, lam, lam * (1 + 3 * lam))  # fourth central moment of the Poisson: lam + 3 lam^2


def test_negative_binomial_gamma_lognormal_pareto_means():
    lam, phi = 20.0, 0.1
    x = SR.draw_stream(2, 0, 2, "negative_binomial", lam, phi, 40_000)
    var = lam + phi * lam**2
    _band(x, lam, var)
    assert abs(x.var(ddof=1) / var - 1) < 0.06  # 4 se of s^2 for this NB: about 5 %
    g = SR.draw_stream(3, 0, 3, "gamma", 0.5, 2.0, 40_000)
    _band(g, 1.0, 0.5 * 4.0)
    sigma = 0.3
    ln = SR.draw_stream(4, 0, 3, "lognormal", -0.5 * sigma**2, sigma, 40_000)
    _band(ln, 1.0, np.expm1(sigma**2))
    u = SR.draw_stream(5, 0, 4, "uniform", 0, 0, 40_000)
    assert 0 < u.min() and u.max() < 1
    _band(u, 0.5, 1 / 12)
    pa = SR.draw_stream(6, 0, 4, "pareto", 10.0, 3.0, 40_000)  # mean a xm / (a - 1), var finite for a > 2
    _band(pa, 15.0, 3 * 100 / (4 * 1))
    # a stream is a pure function of (seed, scenario, stream): the same draws again, others for another key
    assert np.array_equal(x, SR.draw_stream(2, 0, 2, "negative_binomial", lam, phi, 40_000))
    assert not np.array_equal(x[:100], SR.draw_stream(2, 1, 2, "negative_binomial", lam, phi, 100))


def _gen(sources: Sources, years: int = 6) -> object:
    return generator(demo(), years=years, sources=sources)


def test_claim_counts_mean_and_variance():
    phi = 0.05
    src = dataclasses.replace(Sources.default(calibrated=False), claim_counts="negative_binomial", dispersion=phi)
    g = _gen(src.only("claims"), years=2)
    lam = np.asarray(g.expected_injuries)[:, 0]
    rows = np.flatnonzero(lam > 0)
    n = np.array([np.asarray(g.draw(11, i).claim_multiplier)[rows, 0] * lam[rows] for i in range(400)])
    # standardised counts (N - lam) / sd are mean 0, variance 1 under the negative binomial
    z = (n - lam[rows]) / np.sqrt(lam[rows] + phi * lam[rows] ** 2)
    _band(z.ravel(), 0.0, 1.0)
    assert abs(z.var(ddof=1) - 1) < 4 * np.sqrt(2 / z.size) * 1.5  # kurtosis of the NB is close to normal here


def test_severity_mean_one():
    for law in ("lognormal", "gamma"):
        src = dataclasses.replace(Sources.default(calibrated=False), severity_law=law, severity_cv=0.2)
        g = _gen(src.only("severity"))
        m = np.concatenate([np.asarray(g.draw(3, i).severity_multiplier) for i in range(2000)])
        _band(m, 1.0, 0.2**2)


def test_catastrophe_frequency_and_deaths_reach_the_engine():
    rate = 0.5
    src = dataclasses.replace(
        Sources.default(calibrated=False), catastrophe_rate=rate, catastrophe_min_deaths=10, catastrophe_max_deaths=10
    )
    g = _gen(src.only("catastrophes"), years=5)
    events = np.array([np.asarray(g.draw(5, i).catastrophe_deaths).sum(axis=0) / 10 for i in range(400)]).ravel()
    assert np.array_equal(events, np.round(events))
    _band(events, rate, rate)
    _var_band(events, rate, rate * (1 + 3 * rate))
    # the kernel's deaths are the expected deaths plus the drawn catastrophe deaths of the same scenario
    out = SR.simulate(g, 5, 0, 6, 1, False)
    base = SR.simulate(_gen(Sources.off(), years=5), 5, 0, 1, 1, False)["deaths"][0]
    extra = np.array([np.asarray(g.draw(5, i).catastrophe_deaths).sum(axis=0) for i in range(6)])
    np.testing.assert_allclose(out["deaths"], base + extra, rtol=1e-12)


def test_var1_moments():
    phi, sd = 0.6, 0.004
    iv = ECONOMY_VARIABLES.index("interest_rate")
    sds = np.zeros(len(ECONOMY_VARIABLES))
    sds[iv] = sd
    src = dataclasses.replace(
        Sources.default(calibrated=False),
        sd=sds,
        level_sd=np.zeros(len(ECONOMY_VARIABLES)),
        ar=np.diag(np.full(len(ECONOMY_VARIABLES), phi)),
    )
    g = _gen(src.only("economy"), years=6)
    base = np.asarray(g.scenario.economy.interest_rate)
    z = np.array([np.asarray(g.draw(9, i).economy.interest_rate) - base for i in range(3000)])
    for j in range(6):
        var_j = sd**2 * (1 - phi ** (2 * (j + 1))) / (1 - phi**2)
        _band(z[:, j], 0.0, var_j)
        _var_band(z[:, j], var_j, 3 * var_j**2)
    # lag-1 autocovariance phi * var_{j-1}: the mean of z_j z_{j-1} has variance ~ var_j var_{j-1} (1 + rho^2)
    j = 5
    v4, v5 = (sd**2 * (1 - phi ** (2 * (k + 1))) / (1 - phi**2) for k in (4, 5))
    prod = z[:, j] * z[:, j - 1]
    _band(prod, phi * v4, v4 * v5 + (phi * v4) ** 2)


def test_risk_measures_by_hand():
    sim = Simulation(
        raw={
            "start_year": 2025,
            "years": 2,
            "cities": 1,
            "first": 0,
            **{v: np.zeros((4, 2)) for v in SR.simulation_vectors},
        },
        seed=0,
        sources=Sources.off(),
        cities=["A"],
    )
    sim.raw["expenditure"] = np.array([[1.0, 1], [2, 2], [3, 3], [4, 8]])
    sim.raw["revenue"] = np.array([[1.0, 1], [1, 1], [1, 1], [1, 1]])
    sim.raw["fiscal_advance"] = np.array([[0.0, 0], [0, 0], [0, 0], [0, 5]])
    sim.raw["months_of_payment"] = np.array([[12.0, 12], [12, 5], [12, 12], [3, 12]])
    # deficit = expenditure - (revenue - advance): year 2: 0, 1, 2, 12
    assert sim.var(0.5).tolist() == [1.5, 1.5]
    assert sim.tvar(0.5).tolist() == [2.5, 7.0]
    assert sim.var(0.5, cumulative=True).iloc[1] == pytest.approx(np.quantile([0, 2, 4, 15], 0.5))
    assert sim.prob_exhausted() == 0.25 and sim.prob_exhausted(within=1) == 0.0
    assert sim.prob_months_below(6) == 0.5 and sim.prob_months_below(6, within=1) == 0.25
    assert sim.exhaustion_year().tolist()[3] == 2026
    assert sim.exhaustion_distribution()["cumulative"].iloc[-1] == 0.25


def test_fan_chart_and_variance_shares():
    import matplotlib

    backend = matplotlib.get_backend()
    from matplotlib.figure import Figure

    sim = simulate(demo(), scenarios=16, years=4, seed=3, threads=2, progress=False)
    ax = Figure().subplots()
    assert sim.fan_chart("closing", ax=ax) is ax
    assert matplotlib.get_backend() == backend
    shares = sim.variance_shares("closing")
    assert set(shares.index) == {"economy", "claims", "severity", "catastrophes", "all"}
    assert shares["variance_share"].drop("all").sum() == pytest.approx(1.0)
    assert (shares["variance"] >= 0).all()


@pytest.mark.parametrize("mortality", [False, True])
def test_dask_bit_identical(mortality):
    distributed = pytest.importorskip("distributed")
    from wifund import distributed as wd

    # the default sources, and with binomial mortality of beneficiaries (drawn in the kernel's cohort roll)
    src = dataclasses.replace(Sources.default(), mortality=mortality)
    kw = dict(scenarios=10 if not mortality else 6, years=4 if not mortality else 2, seed=2, sources=src)
    local = simulate(demo(), threads=2, progress=False, **kw)
    # processes=False: two in-process workers (a process start costs seconds on this machine)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as lc:
        with distributed.Client(lc) as client:
            remote = wd.simulate(demo(), client=client, block=3, fan_in=2, **kw)
    for v in local.raw:
        if isinstance(local.raw[v], np.ndarray):
            assert np.array_equal(local.raw[v], remote.raw[v]), v


def _bad_corr() -> None:
    c = np.eye(len(ECONOMY_VARIABLES))
    c[0, 1] = c[1, 0] = 0.9
    c[0, 2] = c[2, 0] = 0.9
    c[1, 2] = c[2, 1] = -0.9
    dataclasses.replace(Sources.default(calibrated=False), corr=c)


CASES = [
    Case("corr-not-pd", _bad_corr, ValueError, ("corr", "not positive definite")),
    Case(
        "negative-dispersion",
        lambda: dataclasses.replace(Sources.default(calibrated=False), dispersion=-0.1),
        ValueError,
        ("dispersion", "-0.1"),
    ),
    Case(
        "negative-catastrophe-rate",
        lambda: dataclasses.replace(Sources.default(calibrated=False), catastrophe_rate=-1),
        ValueError,
        ("catastrophe_rate", "-1"),
    ),
    Case(
        "nonstationary-ar",
        lambda: dataclasses.replace(Sources.default(calibrated=False), ar=np.eye(len(ECONOMY_VARIABLES))),
        ValueError,
        ("ar", "spectral radius"),
    ),
    Case(
        "negative-sd",
        lambda: dataclasses.replace(Sources.default(calibrated=False), sd={"cpi": -0.01}),
        ValueError,
        ("sd", "cpi", "-0.01"),
    ),
    Case("zero-scenarios", lambda: simulate(demo(), scenarios=0, progress=False), ValueError, ("scenarios", "0")),
    Case(
        "keep-city-over-budget",
        lambda: simulate(demo(), scenarios=10_000, years=30, keep="city", progress=False, memory_budget=2**20),
        ValueError,
        ("keep = 'city'", "10000", "41 MiB", "memory_budget"),
    ),
    Case(
        "negative-rate-multiplier",
        lambda: simulate(demo(), scenarios=2, years=2, rate_multiplier=-0.5, progress=False),
        ValueError,
        ("rate_multiplier", "-0.5"),
    ),
    Case("negative-seed", lambda: simulate(demo(), scenarios=2, seed=-1, progress=False), ValueError, ("seed", "-1")),
    Case(
        "zero-threads", lambda: simulate(demo(), scenarios=2, threads=0, progress=False), ValueError, ("threads", "0")
    ),
    Case("bad-keep", lambda: simulate(demo(), scenarios=2, keep="cities", progress=False), ValueError, ("keep",)),
    Case(
        "core-negative-dispersion",
        lambda: (lambda c: (setattr(c, "claims", True), setattr(c, "dispersion", -1.0), c.validate()))(SR.Sources()),
        ValueError,
        ("dispersion", "-1"),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_simulate(case):
    badinput.check(case)
