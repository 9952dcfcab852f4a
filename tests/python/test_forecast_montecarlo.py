"""The forecasting module on the one random-number core and in the Monte Carlo (issue #12 items 1-2):
ETS simulations drawn from the Philox streams of ``core/random.hpp`` (the same paths whatever the thread
count; simulated intervals within sampling bands of the analytic ones), and forecasts turned into the Monte
Carlo's centre paths and VAR(1) rows (:func:`wifund.forecast.scenario_source`): exact for a random walk with
drift (the simulated quantiles of the generator's wage level reproduce the forecast's interval), a warning
for trend-stationary models whose interval a VAR(1) of growth rates cannot carry."""

from __future__ import annotations

import functools
import warnings
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest

import wifund
from wifund import forecast as fc
from wifund.simulate import generator
from wifund.stochastic import ECONOMY_VARIABLES, Sources

pytestmark = pytest.mark.filterwarnings("ignore::wifund.ReplayWarning")


def growth_series(n: int = 20, g: float = 0.06, noise: float = 0.01, seed: int = 0, start: int = 2000) -> pd.Series:
    rng = np.random.default_rng(seed)
    y = 1000 * np.exp(np.cumsum(np.full(n, g) + rng.normal(0, noise, n)))
    return pd.Series(y, index=pd.Index(np.arange(start, start + n), name="year"))


@functools.lru_cache(maxsize=1)
def demo() -> wifund.Province:
    return wifund.Province.demo()


def _quantile_band(n: int, p: float, sd: float) -> float:
    """Four standard errors of the sample p-quantile of n normal draws with standard deviation sd."""
    nd = NormalDist()
    return 4 * np.sqrt(p * (1 - p) / n) / (nd.pdf(nd.inv_cdf(p)) / sd)


# ---- ETS simulations on the Philox streams --------------------------------------------------------------
def test_ets_simulation_is_the_same_whatever_the_threads():
    m = fc.ets(growth_series(25, seed=3), error="mul", trend="add")
    one = m.simulate(6, 3000, seed=9, threads=1)
    two = m.simulate(6, 3000, seed=9, threads=2)
    assert np.array_equal(one, two)
    # path r is a function of (seed, r): a shorter run is the head of a longer one
    assert np.array_equal(m.simulate(6, 700, seed=9, threads=2), one[:, :700])
    assert not np.array_equal(m.simulate(6, 3000, seed=10), one)
    with pytest.raises(ValueError, match="threads = 0"):
        m.simulate(6, 10, threads=0)


def test_ets_simulated_quantiles_agree_with_the_analytic_interval():
    # AAN has an analytic forecast variance; quantiles of 20,000 simulated paths must fall within four
    # standard errors of the sample quantile of the analytic normal law.
    m = fc.ets(growth_series(30, seed=5, noise=0.02), error="add", trend="add")
    h, n, level = 5, 20_000, 0.9
    exact = m.interval(h, level)
    assert not exact.attrs["simulated"]
    paths = m.simulate(h, n, seed=4, threads=2)
    sd = (exact["upper"] - exact["mean"]).to_numpy() / NormalDist().inv_cdf(0.95)
    for k in range(h):
        for p, col in ((0.05, "lower"), (0.95, "upper")):
            assert abs(np.quantile(paths[k], p) - exact[col].iloc[k]) < _quantile_band(n, p, sd[k]), (k, col)
        assert abs(paths[k].mean() - exact["mean"].iloc[k]) < 4 * sd[k] / np.sqrt(n)


# ---- forecasts into the Monte Carlo ------------------------------------------------------------------
def test_random_walk_with_drift_maps_exactly_onto_a_var1_row():
    hist = growth_series(19, g=0.06, noise=0.03, seed=11, start=2006)  # ends 2024: the demo starts in 2025
    model = fc.growth_rw(hist)
    years, level = 8, 0.9
    fp = fc.paths_from_forecasts(2025, years, wage=model, level=level)
    with warnings.catch_warnings():
        warnings.simplefilter("error", fc.ScenarioMisfitWarning)
        s = fp.scenario_source(Sources.default(calibrated=False).only("economy"))
    row = s.fit.loc["wage_growth"]
    assert bool(row["exact"]) and row["ar"] == 0.0 and row["misfit"] < 1e-12
    p = model.params
    iw = ECONOMY_VARIABLES.index("wage_growth")
    assert s.sources.economy and s.sources.ar[iw].tolist() == [0.0] * len(ECONOMY_VARIABLES)
    # level shift = the drift's standard error sigma / sqrt(m), m = 18 growth rates (scaled by 1 + r)
    assert s.sources.level_sd[iw] / s.sources.sd[iw] == pytest.approx(1 / np.sqrt(18), rel=1e-12)
    assert s.sources.sd[iw] / (1 + s.assumptions.paths["wage_growth"].mean()) == pytest.approx(p["sigma"], rel=1e-12)
    # Simulate the generator's wage paths and compare the level's quantiles with the forecast interval.
    g = generator(demo(), assumptions=s.assumptions, years=years, sources=s.sources)
    base = np.asarray(g.scenario.economy.wage_growth)[0]
    np.testing.assert_allclose(base, s.assumptions.paths["wage_growth"].to_numpy(), rtol=0, atol=1e-15)
    n = 4000
    growth = np.array([np.asarray(g.draw(3, i).economy.wage_growth)[0] for i in range(n)])
    level_paths = float(hist.iloc[-1]) * np.cumprod(1 + growth, axis=1)
    interval = model.interval(years, level)
    z = NormalDist().inv_cdf(0.95)
    for h in range(years):
        log_sd = np.log(interval["upper"].iloc[h] / interval["lower"].iloc[h]) / (2 * z)
        # the log scale's sd by hand: sigma^2 h (1 + h / m)
        assert log_sd == pytest.approx(p["sigma"] * np.sqrt((h + 1) * (1 + (h + 1) / 18)), rel=1e-12)
        logs = np.log(level_paths[:, h])
        for q, col in ((0.05, "lower"), (0.5, "mean"), (0.95, "upper")):
            got = np.quantile(logs, q)
            want = np.log(interval[col].iloc[h])
            assert abs(got - want) < _quantile_band(n, q, log_sd), (h, col, got, want)
        assert np.std(logs, ddof=1) == pytest.approx(log_sd, rel=4 * np.sqrt(0.5 / n))


def test_trend_stationary_forecast_warns_about_the_misfit():
    hist = growth_series(19, g=0.05, noise=0.02, seed=2, start=2006)
    fp = fc.paths_from_forecasts(2025, 20, wage=fc.loglinear(hist))
    with pytest.warns(fc.ScenarioMisfitWarning, match=r"wage_growth: .* misses the loglinear forecast's 95% interval"):
        s = fc.scenario_source(fp, Sources.default(calibrated=False))
    assert s.fit.loc["wage_growth", "misfit"] > 0.10
    # A VAR(1) fitted by hand to the same target can do no better than the reported misfit on phi = 0.
    f = fc.loglinear(hist).interval(20)
    target = (np.log(f["upper"] / f["lower"]) / (2 * NormalDist().inv_cdf(0.975))).to_numpy() ** 2
    h = np.arange(1, 21)
    x, *_ = np.linalg.lstsq(np.column_stack([h, h * h]) / target[:, None], np.ones(20), rcond=None)
    if (x >= 0).all():
        hand = np.max(np.abs(np.sqrt((x[0] * h + x[1] * h * h) / target) - 1))
        assert s.fit.loc["wage_growth", "misfit"] <= hand + 1e-12
    # With a loose tolerance there is no warning; the centre path and the other rows are kept.
    with warnings.catch_warnings():
        warnings.simplefilter("error", fc.ScenarioMisfitWarning)
        loose = fc.scenario_source(fp, Sources.default(calibrated=False), tolerance=5.0)
    ie = ECONOMY_VARIABLES.index("interest_rate")
    assert loose.sources.sd[ie] == Sources.default(calibrated=False).sd[ie]


def test_scenario_source_bad_input():
    fp = fc.paths_from_forecasts(2025, 3, wage=fc.growth_rw(growth_series(10, start=2015)))
    with pytest.raises(ValueError, match=r"tolerance = -1"):
        fc.scenario_source(fp, tolerance=-1)
    with pytest.raises(TypeError, match="paths must be a ForecastPaths"):
        fc.scenario_source("wage")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="sources must be a wifund.stochastic.Sources"):
        fc.scenario_source(fp, sources=1)  # type: ignore[arg-type]
