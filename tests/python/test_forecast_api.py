"""The pandas-facing forecasting API: bad inputs, labels, batch fitting, back-testing, the paths
handed to the projection, and the bundled national data."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wifund
from wifund import datasets
from wifund import forecast as fc


def growth_series(n=20, g=0.06, noise=0.01, seed=0, start=2000):
    rng = np.random.default_rng(seed)
    y = 1000 * np.exp(np.cumsum(np.full(n, g) + rng.normal(0, noise, n)))
    return pd.Series(y, index=pd.Index(np.arange(start, start + n), name="year"))


# ------------------------------------------------------------------ bad input
def test_too_short_series_is_a_clear_error():
    with pytest.raises(ValueError, match=r"has 5 observations; .* need at least 8"):
        fc.ets([1.0, 2, 3, 4, 5], trend="add", damped=True)


def test_nan_inside_series_is_a_clear_error():
    y = growth_series().to_numpy().copy()
    y[7] = np.nan
    with pytest.raises(ValueError, match=r"\[7\] = nan is not finite"):
        fc.ets(y, trend="add")
    with pytest.raises(ValueError, match="not finite"):
        fc.auto(y)
    with pytest.raises(ValueError, match="not finite"):
        fc.loglinear(y)


@pytest.mark.parametrize("kw", [dict(error="mul"), dict(trend="mul"), dict(error="mul", trend="add", damped=True)])
def test_non_positive_values_rejected_for_multiplicative_forms(kw):
    y = growth_series().to_numpy().copy() - 1500.0
    with pytest.raises(ValueError, match="must be > 0 for a multiplicative"):
        fc.ets(y, **kw)


def test_bad_options():
    y = growth_series()
    with pytest.raises(ValueError, match="error = 'x'"):
        fc.ets(y, error="x")
    with pytest.raises(ValueError, match="damped = true needs a trend"):
        fc.ets(y, damped=True)
    with pytest.raises(ValueError, match="initialization"):
        fc.ets(y, initialization="known")
    with pytest.raises(ValueError, match="initialisation need at least 10"):
        fc.ets(y.iloc[:8], initialization="heuristic")
    with pytest.raises(ValueError, match="alpha"):
        fc.ets(y, alpha=1.5)
    with pytest.raises(ValueError, match="level"):
        fc.ets(y).interval(3, level=1.2)


def test_auto_uses_only_additive_models_for_non_positive_data():
    y = growth_series() - 2000.0
    assert fc.auto(y).short_name in {"ANN", "AAN", "AAdN"}


# ------------------------------------------------------------------ fitted models
def test_results_are_labelled_with_the_series_index():
    y = growth_series()
    m = fc.ets(y, trend="add", damped=True)
    assert list(m.params.index) == [
        "smoothing_level",
        "smoothing_trend",
        "damping_trend",
        "initial_level",
        "initial_trend",
    ]
    assert m.fitted.index.equals(y.index)
    f = m.interval(4)
    assert list(f.index) == [2020, 2021, 2022, 2023]
    assert (f["lower"] < f["mean"]).all() and (f["mean"] < f["upper"]).all()
    assert m.forecast(4).to_numpy() == pytest.approx(f["mean"].to_numpy())
    assert "AAdN" in repr(m) and "<table" in m._repr_html_()


def test_accepts_sliced_and_2d_inputs():
    y = growth_series(40).to_numpy()
    a = fc.ets(y[::2], trend="add")
    b = fc.ets(np.ascontiguousarray(y[::2]), trend="add")
    assert a.loglik == b.loglik
    c = fc.ets(y[::2].reshape(1, -1), trend="add")
    assert c.loglik == a.loglik


def test_damped_trend_forecasts_flatten():
    m = fc.ets(growth_series(30), trend="add", damped=True, phi=0.8)
    f = m.forecast(40).to_numpy()
    steps = np.diff(f)
    assert abs(steps[-1]) < abs(steps[0])


def test_auto_selects_smallest_aicc():
    y = growth_series(25, seed=3)
    best = fc.auto(y)
    for e, t, d in [("add", None, False), ("add", "add", True), ("mul", "mul", False)]:
        assert best.aicc <= fc.ets(y, e, t, d).aicc + 1e-9


def test_simulated_intervals_are_reproducible_by_seed():
    m = fc.ets(growth_series(), error="mul", trend="add")
    a, b = m.interval(5, seed=1), m.interval(5, seed=1)
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["upper"], m.interval(5, seed=2)["upper"])


@settings(max_examples=30, deadline=None)
@given(alpha=st.floats(0.05, 0.95), level=st.floats(0.5, 0.99))
def test_interval_widths_grow_with_level_and_horizon(alpha, level):
    m = fc.ets(growth_series(), alpha=alpha)
    narrow, wide = m.interval(6, level=level * 0.9), m.interval(6, level=level)
    w_n, w_w = (narrow["upper"] - narrow["lower"]).to_numpy(), (wide["upper"] - wide["lower"]).to_numpy()
    assert (w_w > w_n).all()
    assert (np.diff(w_w) > 0).all()


def test_results_pickle_and_fits_are_thread_safe():
    import pickle
    from concurrent.futures import ThreadPoolExecutor

    ys = [growth_series(25, seed=i) for i in range(8)]
    m = fc.ets(ys[0], error="mul", trend="add", damped=True)
    m2 = pickle.loads(pickle.dumps(m))
    assert m2.loglik == m.loglik and m2.short_name == "MAdN"
    pd.testing.assert_frame_equal(m2.interval(4), m.interval(4))
    serial = [fc.ets(y, trend="add", damped=True).loglik for y in ys]
    with ThreadPoolExecutor(4) as ex:  # the GIL is released inside the fits
        threaded = list(ex.map(lambda y: fc.ets(y, trend="add", damped=True).loglik, ys))
    assert threaded == serial


# ------------------------------------------------------------------ trend models
def test_loglinear_recovers_exact_growth():
    y = pd.Series(100 * 1.07 ** np.arange(12), index=np.arange(2010, 2022))
    y *= 1 + 1e-9 * np.sin(np.arange(12))  # tiny noise so sigma > 0
    m = fc.loglinear(y)
    assert m.growth == pytest.approx(0.07, abs=1e-8)
    assert m.forecast(2).to_numpy() == pytest.approx(100 * 1.07 ** np.array([12, 13]), rel=1e-7)


def test_growth_rw_interval_widens_with_horizon_and_matches_formula():
    y = growth_series(15, g=0.05, noise=0.02)
    m = fc.growth_rw(y)
    g = np.diff(np.log(y.to_numpy()))
    assert m.params["drift"] == pytest.approx(g.mean())
    assert m.params["sigma"] == pytest.approx(g.std(ddof=1))
    f = m.interval(3, level=0.95)
    h = np.arange(1, 4)
    sd = g.std(ddof=1) * np.sqrt(h * (1 + h / len(g)))
    expect_upper = y.iloc[-1] * np.exp(h * g.mean() + 1.959963984540054 * sd)
    np.testing.assert_allclose(f["upper"], expect_upper, rtol=1e-10)


# ------------------------------------------------------------------ batch
def test_fit_many_wide_and_long_agree_and_ignore_thread_count():
    frame = pd.DataFrame({f"city{i}": growth_series(30, seed=i).to_numpy() for i in range(12)})
    one = fc.fit_many(frame, trend="add", damped=True, threads=1, progress=False)
    two = fc.fit_many(frame, trend="add", damped=True, threads=2, progress=False)
    pd.testing.assert_frame_equal(one.table, two.table)
    for k in ["city0", "city7"]:
        assert one.models[k].loglik == fc.ets(frame[k], trend="add", damped=True).loglik
    long = frame.stack().rename("v").reset_index().rename(columns={"level_0": "t", "level_1": "city"})
    three = fc.fit_many(long, trend="add", damped=True, by="city", time="t", value="v", progress=False)
    np.testing.assert_allclose(three.table.loc[one.table.index, "loglik"], one.table["loglik"], rtol=1e-12)
    assert one.forecast(3).shape == (3, 12)
    assert "12 fitted" in repr(one)


def test_fit_many_automatic_and_errors():
    frame = pd.DataFrame({"a": growth_series(20).to_numpy(), "b": growth_series(20, seed=4).to_numpy()})
    frame.loc[5, "b"] = np.nan
    with pytest.raises(ValueError, match="series 'b'"):
        fc.fit_many(frame, automatic=True, progress=False)
    res = fc.fit_many(frame, automatic=True, errors="skip", progress=False)
    assert list(res.models) == ["a"] and "not finite" in res.errors["b"]
    # ragged columns: leading/trailing NaNs are trimmed, not errors
    frame.loc[5, "b"] = 1.0
    frame.loc[:3, "b"] = np.nan
    assert fc.fit_many(frame, progress=False).models["b"].nobs == 16


# ------------------------------------------------------------------ back-testing
def test_backtest_table_and_baselines():
    y = growth_series(20, noise=0.005)
    bt = fc.backtest(y.rename("wage"), models=["AAN", "loglinear"], horizon=3, min_train=10)
    t = bt.table
    assert list(t.index.get_level_values("model")) == ["AAN", "loglinear", "naive", "drift"]
    assert set(t.columns) == {"MAPE", "MASE", "bias", "coverage", "n"}
    assert (t["n"] == 3 * 8 + 2 + 1).all()  # origins 10..19, up to 3 steps each
    assert ((t["coverage"] >= 0) & (t["coverage"] <= 1)).all()
    # the naive forecast of a growing series under-forecasts: negative bias, the drift one does better
    assert t.loc[("wage", "naive"), "bias"] < 0
    assert t.loc[("wage", "drift"), "MAPE"] < t.loc[("wage", "naive"), "MAPE"]
    assert bt.by_horizon.index.nlevels == 3
    f = bt.forecasts
    assert set(f["period"]) <= set(y.index) and f["origin"].min() == 2010
    ax = bt.plot()
    assert ax.get_title().startswith("wage")


def test_backtest_naive_metrics_by_hand():
    y = pd.Series([10.0, 12, 11, 13, 14, 13, 15])
    bt = fc.backtest(y, models=["naive"], horizon=1, min_train=4)
    f = bt.forecasts[bt.forecasts["model"] == "naive"]
    np.testing.assert_allclose(f["forecast"], [13, 14, 13])
    np.testing.assert_allclose(f["actual"], [14, 13, 15])
    scale = [np.mean(np.abs(np.diff(y.to_numpy()[:o]))) for o in (4, 5, 6)]
    np.testing.assert_allclose(f["mase_scale"], scale)
    row = bt.table.loc[("y", "naive")]
    assert row["MAPE"] == pytest.approx(np.mean(np.abs(np.array([-1, 1, -2]) / [14, 13, 15])) * 100)
    assert row["MASE"] == pytest.approx(np.mean(np.array([1, 1, 2]) / scale))


def test_backtest_too_short_for_model_is_a_clear_error():
    with pytest.raises(ValueError, match="model AAdN, origin 5"):
        fc.backtest(growth_series(12), models=["AAdN"], horizon=2, min_train=5)
    with pytest.raises(ValueError, match="leaves nothing to forecast"):
        fc.backtest(growth_series(12), models=["ANN"], horizon=2, min_train=12)
    with pytest.raises(ValueError, match="is not one of"):
        fc.backtest(growth_series(12), models=["ARIMA"], horizon=2, min_train=8)


# ------------------------------------------------------------------ into the projection
def test_paths_from_forecasts():
    wage = growth_series(12, g=0.08, start=2012)
    emp = growth_series(12, g=0.01, seed=1, start=2012)
    p = fc.paths_from_forecasts(2025, 5, wage=fc.loglinear(wage), employment=emp, level=0.9)
    assert list(p.paths.columns) == ["wage_growth", "employment_growth"]
    assert list(p.paths.index) == [2025, 2026, 2027, 2028, 2029] and p.paths.index.name == "year"
    assert p.paths["wage_growth"].to_numpy() == pytest.approx(fc.loglinear(wage).growth, rel=1e-10)
    lo, hi = p.intervals[("wage_growth", "lower")], p.intervals[("wage_growth", "upper")]
    assert (lo < p.paths["wage_growth"]).all() and (p.paths["wage_growth"] < hi).all()
    # bands are annualised from the last observation, so they narrow with the horizon
    assert (np.diff(hi - lo) < 0).all()
    assert "<table" in p._repr_html_()
    with pytest.raises(ValueError, match="must follow the last observed year"):
        fc.paths_from_forecasts(2020, 3, wage=wage)
    with pytest.raises(ValueError, match="at least one"):
        fc.paths_from_forecasts(2025, 3)


def test_assumptions_from_forecasts_feed_a_projection():
    wage = growth_series(12, g=0.07, start=2012)
    a = wifund.Assumptions.from_forecasts(
        2025,
        5,
        wage=fc.ets(wage, error="mul", trend="add", damped=True),
        coverage=growth_series(12, g=0.02, seed=2, start=2012),
        cpi=0.01,
    )
    assert a.paths["cpi"] == 0.01
    assert a.intervals is not None and ("wage_growth", "upper") in a.intervals.columns
    proj = wifund.project(wifund.Province.demo(), assumptions=a, start=2025, years=5)
    base = wifund.project(wifund.Province.demo(), start=2025, years=5)
    assert repr(proj) != repr(base)


# ------------------------------------------------------------------ data
def test_national_dataset_ships_with_caveats():
    df = datasets.national()
    assert {"region", "year", "metric", "value", "derived"} <= set(df.columns)
    assert df["derived"].any()
    wage = datasets.national_series("avg_wage_urban_nonprivate")
    assert wage.index.min() == 2012 and wage.loc[2023] == 120698
    assert "2014" not in [
        str(y) for y in datasets.national_series("avg_wage_urban_nonprivate", drop_derived=True).index
    ]
    # two rows for 2005 participants (8478 derived, 8390 read): the read one wins
    assert datasets.national_series("participants_insured").loc[2005] == 8390
    text = datasets.caveats()
    assert "Two wage concepts" in text and "survey method changed in 2013" in text
    with pytest.raises(ValueError, match="no rows"):
        datasets.national_series("nope")
