"""statsmodels' names on wifund's ETS results (issue #14 item 3): llf, resid, fittedvalues, summary(),
get_prediction(...).summary_frame() — checked against statsmodels itself on fixed-parameter models."""

from __future__ import annotations

import statistics

import numpy as np
import pandas as pd
import pytest
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

import wifund.forecast as wf

RNG = np.random.default_rng(7)
Y = pd.Series(100 + np.cumsum(RNG.normal(1, 2, 20)), index=pd.Index(range(2001, 2021), name="year"))


def _pair(error, trend, damped):
    fixed = {"alpha": 0.5}
    sm_fixed = {"smoothing_level": 0.5}
    if trend:
        fixed["beta"], sm_fixed["smoothing_trend"] = 0.1, 0.1
    if damped:
        fixed["phi"], sm_fixed["damping_trend"] = 0.9, 0.9
    ours = wf.ets(Y, error=error, trend=trend, damped=damped, initialization="heuristic", **fixed)
    model = ETSModel(Y, error=error, trend=trend, damped_trend=damped, initialization_method="heuristic")
    with model.fix_params(sm_fixed):
        theirs = model.fit(disp=False)
    return ours, theirs


@pytest.mark.parametrize(("trend", "damped"), [(None, False), ("add", False), ("add", True)])
def test_prediction_frame_equals_statsmodels_exact_forms(trend, damped):
    ours, theirs = _pair("add", trend, damped)
    assert ours.llf == pytest.approx(theirs.llf, rel=1e-10)
    np.testing.assert_allclose(ours.resid.to_numpy(), theirs.resid.to_numpy(), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(ours.fittedvalues.to_numpy(), theirs.fittedvalues.to_numpy(), rtol=1e-12)
    # in-sample from 2005 and four years out of sample, 90% intervals
    a = ours.get_prediction(2005, 2024).summary_frame(alpha=0.1)
    b = theirs.get_prediction(4, 23).summary_frame(alpha=0.1)
    assert list(a.columns) == ["mean", "pi_lower", "pi_upper"]
    assert list(a.index) == list(range(2005, 2025))
    np.testing.assert_allclose(a.to_numpy(), b[["mean", "pi_lower", "pi_upper"]].to_numpy(), rtol=1e-10)


def test_multiplicative_error_in_sample_interval_by_hand():
    ours, _ = _pair("mul", None, False)
    f = ours.get_prediction().summary_frame(alpha=0.2)
    z = statistics.NormalDist().inv_cdf(0.9)
    s = np.sqrt(ours.mse)
    m = ours.fitted.to_numpy()
    np.testing.assert_allclose(f["pi_lower"], m * (1 - z * s), rtol=1e-12)
    np.testing.assert_allclose(f["pi_upper"], m * (1 + z * s), rtol=1e-12)
    pi = ours.get_prediction().conf_int(alpha=0.2)
    np.testing.assert_allclose(pi["lower"], f["pi_lower"])


def test_summary_prints_like_statsmodels():
    ours, _ = _pair("add", "add", False)
    text = str(ours.summary())
    assert "ETS(AAN)" in text and "smoothing_level" in text and "loglik" in text
    assert "<table" in ours.summary().as_html()
    assert isinstance(ours.summary().tables[0], pd.DataFrame)


@pytest.mark.parametrize(("start", "end", "needle"), [(1990, None, "1990"), (2010, 2005, "before"), ("x", None, "'x'")])
def test_get_prediction_bad_range(start, end, needle):
    ours, _ = _pair("add", None, False)
    with pytest.raises(ValueError, match=needle):
        ours.get_prediction(start, end)


@pytest.mark.parametrize("alpha", [0, 1, -0.1, "0.05", True])
def test_pred_int_bad_alpha(alpha):
    ours, _ = _pair("add", None, False)
    with pytest.raises(ValueError, match="alpha"):
        ours.get_prediction().pred_int(alpha)
