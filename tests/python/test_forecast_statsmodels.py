"""wifund.forecast against statsmodels' ETSModel (the reference our users know).

* fixed parameters: the recursion, fitted values, log-likelihood and criteria equal to 1e-8;
* estimated parameters: our log-likelihood >= statsmodels' - 1e-6 on >= 99% of 500 random series of
  length 15-60 for every model form;
* analytic intervals equal statsmodels' exact ones; simulated ones agree within Monte Carlo error.
"""

import warnings

import numpy as np
import pandas as pd
import pytest

# A hard import, not importorskip: statsmodels is a test dependency (requirements-dev.txt) and a
# missing one must fail the suite rather than skip the cross-checks.
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

from wifund import forecast as fc

FORMS = [
    ("add", None, False),
    ("add", "add", False),
    ("add", "add", True),
    ("add", "mul", False),
    ("add", "mul", True),
    ("mul", None, False),
    ("mul", "add", False),
    ("mul", "add", True),
    ("mul", "mul", False),
    ("mul", "mul", True),
]
IDS = ["ANN", "AAN", "AAdN", "AMN", "AMdN", "MNN", "MAN", "MAdN", "MMN", "MMdN"]


def random_series(rng: np.random.Generator) -> np.ndarray:
    """Positive series of length 15-60 with random growth, volatility and noise (like wages,
    employment, coverage of many cities)."""
    n = int(rng.integers(15, 61))
    mu = rng.normal(0.03, 0.03)
    sd = abs(rng.normal(0.05, 0.03)) + 0.005
    level = 100 * np.exp(np.cumsum(rng.normal(mu, sd, n)))
    return level * (1 + rng.normal(0, abs(rng.normal(0.02, 0.01)), n))


def sm_model(y, form, **kw):
    e, t, d = form
    return ETSModel(y, error=e, trend=t, damped_trend=d, **kw)


def sm_fit(model, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(disp=False, **kw)


@pytest.mark.parametrize("form", FORMS, ids=IDS)
def test_fixed_parameter_recursion_matches(form):
    rng = np.random.default_rng(7)
    for _ in range(20):
        y = random_series(rng)
        e, t, d = form
        alpha = rng.uniform(0.05, 0.95)
        beta = alpha * rng.uniform(0.01, 0.9) if t else 0.0
        phi = rng.uniform(0.8, 0.98) if d else 1.0
        l0 = y[0] * rng.uniform(0.9, 1.1)
        b0 = (rng.normal(2, 1) if t == "add" else rng.uniform(0.98, 1.06)) if t else 0.0
        params = [alpha] + ([beta] if t else []) + ([phi] if d else []) + [l0] + ([b0] if t else [])
        ref = sm_model(y, form).smooth(params)
        ours = fc._core.forecast.ets_smooth(y, e, t, d, alpha, beta, phi, l0, b0)
        np.testing.assert_allclose(ours.fitted, ref.fittedvalues, rtol=1e-10, atol=1e-8)
        np.testing.assert_allclose(ours.residuals, ref.resid, rtol=1e-10, atol=1e-8)
        np.testing.assert_allclose(ours.level, ref.level, rtol=1e-10, atol=1e-8)
        assert ours.loglik == pytest.approx(ref.llf, abs=1e-8)
        assert ours.mse == pytest.approx(ref.mse, rel=1e-10)


@pytest.mark.parametrize("init", ["heuristic", "legacy-heuristic"])
@pytest.mark.parametrize("form", FORMS, ids=IDS)
def test_fixed_initialisation_matches(form, init):
    rng = np.random.default_rng(11)
    y = random_series(rng)
    e, t, d = form
    if init == "heuristic":
        model = sm_model(y, form, initialization_method="heuristic")
    else:  # statsmodels 0.11 values: y0 and y1 - y0 (y1 / y0); ETSModel takes them as "known"
        b0 = (y[1] - y[0] if t == "add" else y[1] / y[0]) if t else None
        model = sm_model(y, form, initialization_method="known", initial_level=y[0], initial_trend=b0)
    alpha, beta, phi = 0.4, 0.1, 0.9
    params = [alpha] + ([beta] if t else []) + ([phi] if d else [])
    ref = model.smooth(params)
    ours = fc._core.forecast.ets_smooth(y, e, t, d, alpha, beta, phi, 0.0, 0.0, init)
    np.testing.assert_allclose(ours.fitted, ref.fittedvalues, rtol=1e-10, atol=1e-8)
    assert ours.loglik == pytest.approx(ref.llf, abs=1e-8)
    # Estimated smoothing parameters with fixed states: at least as good as statsmodels.
    res = sm_fit(model)
    fit = fc.ets(y, e, t, d, initialization=init)
    assert fit.loglik >= res.llf - 1e-6
    assert fit.df_model == res.df_model
    assert fit.aicc <= res.aicc + 2e-6  # same degrees of freedom, so AICc follows the likelihood


@pytest.mark.slow
@pytest.mark.parametrize("form", FORMS, ids=IDS)
def test_mle_at_least_as_good_as_statsmodels(form):
    rng = np.random.default_rng(2024)
    e, t, d = form
    worse = []
    for i in range(500):
        y = random_series(rng)
        ref = sm_fit(sm_model(y, form))
        ours = fc.ets(y, e, t, d)
        if ours.loglik < ref.llf - 1e-6:
            worse.append((i, len(y), ours.loglik - ref.llf))
    share = 1 - len(worse) / 500
    print(
        f"{fc.ets(random_series(np.random.default_rng(0)), e, t, d).short_name}: "
        f"{share:.1%} at least as good; worse: {worse}"
    )
    assert share >= 0.99, worse


def test_criteria_match_statsmodels_definitions():
    y = random_series(np.random.default_rng(3))
    ours = fc.ets(y, "add", "add", True)
    p = ours.params.to_numpy()
    ref = sm_model(y, ("add", "add", True)).smooth(p)
    assert ours.loglik == pytest.approx(ref.llf, abs=1e-8)
    assert ours.aic == pytest.approx(ref.aic, abs=1e-8)
    assert ours.aicc == pytest.approx(ref.aicc, abs=1e-8)
    assert ours.bic == pytest.approx(ref.bic, abs=1e-8)


def test_fixed_parameters_are_respected_and_optimal():
    y = random_series(np.random.default_rng(5))
    fit = fc.ets(y, "add", "add", True, alpha=0.6, phi=0.9)
    assert fit.params["smoothing_level"] == 0.6 and fit.params["damping_trend"] == 0.9
    model = sm_model(y, ("add", "add", True))
    with model.fix_params({"smoothing_level": 0.6, "damping_trend": 0.9}):
        ref = sm_fit(model)
    assert fit.loglik >= ref.llf - 1e-6
    assert fit.df_model == ref.df_model


@pytest.mark.parametrize(
    "form", [("add", None, False), ("add", "add", False), ("add", "add", True)], ids=["ANN", "AAN", "AAdN"]
)
def test_analytic_intervals_match(form):
    y = random_series(np.random.default_rng(9))
    fit = fc.ets(y, *form)
    # statsmodels' get_prediction needs pandas input
    ref = sm_model(pd.Series(y), form).smooth(fit.params.to_numpy())
    pred = ref.get_prediction(start=len(y), end=len(y) + 9).summary_frame(alpha=0.1)
    ours = fit.interval(10, level=0.9)
    assert not ours.attrs["simulated"]
    np.testing.assert_allclose(ours["mean"], pred["mean"], rtol=1e-10)
    np.testing.assert_allclose(ours["lower"], pred["pi_lower"], rtol=1e-9)
    np.testing.assert_allclose(ours["upper"], pred["pi_upper"], rtol=1e-9)


@pytest.mark.parametrize(
    "form", [("mul", "add", True), ("mul", "mul", False), ("add", "mul", False)], ids=["MAdN", "MMN", "AMN"]
)
def test_simulated_intervals_agree_within_monte_carlo_error(form):
    y = random_series(np.random.default_rng(13))
    fit = fc.ets(y, *form)
    ref = sm_model(pd.Series(y), form).smooth(fit.params.to_numpy())
    pred = ref.get_prediction(
        start=len(y), end=len(y) + 5, simulate_repetitions=20000, rng=np.random.default_rng(1)
    ).summary_frame(alpha=0.05)
    ours = fit.interval(6, level=0.95, reps=20000)
    assert ours.attrs["simulated"]
    np.testing.assert_allclose(ours["mean"], pred["mean"], rtol=1e-10)
    width_ours = ours["upper"] - ours["lower"]
    width_ref = pred["pi_upper"] - pred["pi_lower"]
    np.testing.assert_allclose(width_ours, width_ref, rtol=0.05)
