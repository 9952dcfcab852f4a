"""Bad input to wifund.reserving and wifund.forecast (issue #7, item 4): every case runs in a forked
child (tests/python/badinput.py), so a crash, a hang, a silent acceptance and a vague message are told
apart; each asserts the exception type and that the message names the field and the bad value.

Degenerate cases with a documented result instead of an error are tested at the end (README,
"Claims reserving" and "Forecasting").
"""

from __future__ import annotations

import functools
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import wifund.forecast as fc
import wifund.reserving as wr

from badinput import Case, check

DATA = Path(__file__).resolve().parents[1] / "data" / "triangles"
NAN = float("nan")


@functools.cache
def raa_frame() -> pd.DataFrame:
    return pd.read_csv(DATA / "raa.csv")


@functools.cache
def raa() -> wr.Triangle:
    return wr.Triangle.from_frame(raa_frame(), origin="origin", development="development", value="values")


def small(**kw) -> wr.Triangle:
    return wr.Triangle.from_array([[100.0, 150.0, 160.0], [110.0, 170.0, NAN], [120.0, NAN, NAN]], **kw)


def tri_2x2() -> wr.Triangle:
    return wr.Triangle.from_array([[100.0, 150.0], [110.0, NAN]], origin=[2023, 2024])


def age_frame(ages) -> pd.DataFrame:
    """A long frame with origins 2020-2022 and the given development ages of each origin."""
    rows = [(o, a, 100.0 + 10 * k) for o in (2020, 2021, 2022) for k, a in enumerate(ages)]
    return pd.DataFrame(rows, columns=["origin", "age", "paid"])


def wage(n: int = 20, start: int = 2000) -> pd.Series:
    rng = np.random.default_rng(1)
    y = 50_000 * np.exp(np.cumsum(0.06 + 0.01 * rng.standard_normal(n)))
    return pd.Series(y, index=pd.Index(range(start, start + n), name="year"), name="wage")


def with_index(index) -> pd.Series:
    s = wage(len(index))
    return pd.Series(s.to_numpy(), index=index, name="wage")


def with_value(pos: int, value: float) -> pd.Series:
    s = wage()
    s.iloc[pos] = value
    return s


@functools.cache
def ann() -> fc.EtsResult:
    return fc.ets(wage(), error="add", trend=None)


def _huge(value: float) -> list[list[float]]:
    return [[value, 2.0, 3.0], [1.0, 2.0, NAN], [1.0, NAN, NAN]]


CASES = [
    # ---- Triangle.from_array / Triangle ---------------------------------------------------------
    Case("tri-empty-list", lambda: wr.Triangle.from_array([]), ValueError, ("values", "(0,)")),
    Case("tri-empty-2d", lambda: wr.Triangle.from_array(np.empty((0, 3))), ValueError, ("values", "(0, 3)")),
    Case("tri-1d", lambda: wr.Triangle.from_array([1.0, 2.0, 3.0]), ValueError, ("values", "(3,)")),
    Case("tri-4d", lambda: wr.Triangle.from_array(np.ones((1, 1, 2, 2))), ValueError, ("values", "(1, 1, 2, 2)")),
    Case(
        "tri-ragged",
        lambda: wr.Triangle.from_array([[1.0, 2.0, 3.0], [4.0, 5.0]]),
        ValueError,
        ("values", "ragged", "row 1", "2 entries"),
    ),
    Case("tri-strings", lambda: wr.Triangle.from_array([["a", "b"], ["c", NAN]]), ValueError, ("values", "'a'")),
    Case(
        "tri-origin-all-nan",
        lambda: wr.Triangle.from_array([[1.0, 2.0], [NAN, NAN]]),
        ValueError,
        ("origin 1", "no observed value"),
    ),
    Case(
        "tri-first-age-nan",
        lambda: wr.Triangle.from_array([[NAN, 1.0], [2.0, NAN]]),
        ValueError,
        ("hole", "origin 0", "age 1"),
    ),
    Case(
        "tri-hole",
        lambda: wr.Triangle.from_array([[1.0, NAN, 3.0], [1.0, 2.0, NAN], [1.0, NAN, NAN]]),
        ValueError,
        ("hole", "origin 0", "age 2"),
    ),
    Case(
        "tri-inf", lambda: wr.Triangle.from_array([[1.0, 2.0], [np.inf, NAN]]), ValueError, ("origin 1", "age 1", "inf")
    ),
    Case(
        "tri-square-overflow",
        lambda: wr.Triangle.from_array(_huge(1e200)),
        ValueError,
        ("origin 0", "age 1", "1e+200", "1e+150"),
    ),
    Case(
        "tri-square-overflow-negative",
        lambda: wr.Triangle.from_array(_huge(-3e160)),
        ValueError,
        ("origin 0", "age 1", "-3e+160"),
    ),
    Case(
        "tri-ages-decrease",
        lambda: wr.Triangle.from_array(np.ones((3, 3)), ages=[1, 3, 2]),
        ValueError,
        ("age 3", "age 2"),
    ),
    Case(
        "tri-ages-uneven",
        lambda: wr.Triangle.from_array(np.ones((3, 3)), ages=[1, 2, 4]),
        ValueError,
        ("equally spaced", "age 3"),
    ),
    Case(
        "tri-ages-fractional",
        lambda: wr.Triangle.from_array(np.ones((3, 3)), ages=[1, 1.5, 2]),
        ValueError,
        ("ages", "1.5"),
    ),
    Case(
        "tri-origin-duplicated",
        lambda: wr.Triangle.from_array(np.ones((3, 3)), origin=[2000, 2000, 2001]),
        ValueError,
        ("origin", "2000"),
    ),
    Case(
        "tri-label-count",
        lambda: wr.Triangle.from_array(np.ones((3, 3)), origin=[1, 2]),
        ValueError,
        ("2 origin", "(3, 3)"),
    ),
    Case("tri-grain", lambda: wr.Triangle.from_array(np.ones((3, 3)), grain="M"), ValueError, ("grain", "'M'")),
    # ---- Triangle.from_frame --------------------------------------------------------------------
    Case(
        "frame-empty",
        lambda: wr.Triangle.from_frame(raa_frame().iloc[:0], "origin", "development", "values"),
        ValueError,
        ("df", "0 rows"),
    ),
    Case(
        "frame-missing-column",
        lambda: wr.Triangle.from_frame(raa_frame(), "origin", "development", "amount"),
        ValueError,
        ("no column", "'amount'"),
    ),
    Case(
        "frame-fractional-age",
        lambda: wr.Triangle.from_frame(age_frame([1, 1.5, 2]), "origin", "age", "paid", development_is="age"),
        ValueError,
        ("age", "1.5"),
    ),
    Case(
        "frame-age-zero",
        lambda: wr.Triangle.from_frame(age_frame([0, 1, 2]), "origin", "age", "paid", development_is="age"),
        ValueError,
        ("development age 0", "2020"),
    ),
    Case(
        "frame-fractional-origin",
        lambda: wr.Triangle.from_frame(
            raa_frame().assign(origin=raa_frame()["origin"] + 0.5),
            "origin",
            "development",
            "values",
            development_is="age",
        ),
        ValueError,
        ("origin", "1981.5"),
    ),
    Case(
        "frame-duplicated-cell",
        lambda: wr.Triangle.from_frame(
            pd.concat([raa_frame(), raa_frame().iloc[:1]]), "origin", "development", "values"
        ),
        ValueError,
        ("duplicated cell", "origin 1981", "age 1"),
    ),
    Case(
        "frame-nan-value",
        lambda: wr.Triangle.from_frame(
            raa_frame().assign(values=raa_frame()["values"].where(raa_frame().index != 3)),
            "origin",
            "development",
            "values",
        ),
        ValueError,
        ("values", "nan", "origin 1984"),
    ),
    Case(
        "frame-before-origin",
        lambda: wr.Triangle.from_frame(
            pd.DataFrame({"o": [2001, 2001], "d": [2001, 2000], "v": [1.0, 2.0]}),
            "o",
            "d",
            "v",
            development_is="calendar",
        ),
        ValueError,
        ("development 2000", "origin 2001"),
    ),
    Case(
        "frame-development-is",
        lambda: wr.Triangle.from_frame(raa_frame(), "origin", "development", "values", development_is="lag"),
        ValueError,
        ("development_is", "'lag'"),
    ),
    # ---- chain ladder ---------------------------------------------------------------------------
    Case("cl-not-a-triangle", lambda: wr.chain_ladder(np.ones((3, 3))), TypeError, ("Triangle", "ndarray")),
    Case("cl-average", lambda: wr.chain_ladder(raa(), average="mean"), ValueError, ("average", "'mean'")),
    Case("cl-n-periods-zero", lambda: wr.chain_ladder(raa(), n_periods=0), ValueError, ("n_periods", "0")),
    Case("cl-n-periods-fractional", lambda: wr.chain_ladder(raa(), n_periods=2.5), ValueError, ("n_periods", "2.5")),
    Case(
        "cl-exclude-shape", lambda: wr.chain_ladder(raa(), exclude=np.zeros((2, 2))), ValueError, ("exclude", "(2, 2)")
    ),
    Case("cl-exclude-origin", lambda: wr.chain_ladder(raa(), exclude=[(1970, 1)]), ValueError, ("exclude", "1970")),
    Case("cl-exclude-all", lambda: wr.chain_ladder(raa(), exclude=[(1981, 9)]), ValueError, ("age 9", "all excluded")),
    Case("cl-tail-negative", lambda: wr.chain_ladder(raa(), tail=-1.0), ValueError, ("tail", "-1")),
    Case("cl-tail-nan", lambda: wr.chain_ladder(raa(), tail=NAN), ValueError, ("tail", "nan")),
    Case("cl-tail-unknown", lambda: wr.chain_ladder(raa(), tail="power"), ValueError, ("tail", "'power'")),
    Case(
        "cl-tail-periods-zero",
        lambda: wr.chain_ladder(raa(), tail="exponential", tail_periods=0),
        ValueError,
        ("tail_periods", "0"),
    ),
    Case("cl-threads-zero", lambda: wr.chain_ladder(raa(), threads=0), ValueError, ("threads", "0")),
    Case(
        "cl-zero-denominator",
        lambda: wr.chain_ladder(wr.Triangle.from_array([[0.0, 1.0], [0.0, NAN]])),
        ValueError,
        ("zero denominator", "age 1"),
    ),
    # ---- Mack -----------------------------------------------------------------------------------
    Case("mack-2x2-sigma", lambda: wr.mack(tri_2x2()), ValueError, ("sigma", "age 1", "two link ratios")),
    Case(
        "mack-2x2-sigma-mack",
        lambda: wr.mack(tri_2x2(), sigma_extrapolation="mack"),
        ValueError,
        ("sigma", "two link ratios"),
    ),
    Case("mack-n-periods-1", lambda: wr.mack(raa(), n_periods=1), ValueError, ("sigma", "n_periods = 1")),
    Case(
        "mack-sigma-unknown",
        lambda: wr.mack(raa(), sigma_extrapolation="loglinear"),
        ValueError,
        ("sigma_extrapolation", "'loglinear'"),
    ),
    Case(
        "mack-nonpositive",
        lambda: wr.mack(wr.Triangle.from_array([[2.0, 3.0, 4.0], [-1.0, 2.0, NAN], [1.0, NAN, NAN]])),
        ValueError,
        ("origin 1", "age 1", "-1"),
    ),
    # ---- Bornhuetter-Ferguson, Benktander, Cape Cod ---------------------------------------------
    Case(
        "bf-apriori-negative",
        lambda: wr.bornhuetter_ferguson(raa(), -1000.0),
        ValueError,
        ("apriori", "origin 1981", "-1000"),
    ),
    Case("bf-apriori-nan", lambda: wr.bornhuetter_ferguson(raa(), NAN), ValueError, ("apriori", "nan")),
    Case(
        "bf-apriori-length",
        lambda: wr.bornhuetter_ferguson(raa(), np.ones(3)),
        ValueError,
        ("apriori", "(3,)", "10 origins"),
    ),
    Case(
        "bf-apriori-series-gap",
        lambda: wr.bornhuetter_ferguson(raa(), pd.Series(1.0, index=range(1981, 1990))),
        ValueError,
        ("apriori", "origin 1990"),
    ),
    Case("bk-n-iter-fractional", lambda: wr.benktander(raa(), 20_000.0, n_iter=1.5), ValueError, ("n_iter", "1.5")),
    Case("bk-n-iter-negative", lambda: wr.benktander(raa(), 20_000.0, n_iter=-1), ValueError, ("n_iter", "-1")),
    Case("cc-exposure-zero", lambda: wr.cape_cod(raa(), 0.0), ValueError, ("exposure", "origin 1981", "0")),
    Case("cc-exposure-nan", lambda: wr.cape_cod(raa(), NAN), ValueError, ("exposure", "nan")),
    Case("cc-decay", lambda: wr.cape_cod(raa(), 1.0, decay=1.5), ValueError, ("decay", "1.5")),
    Case("cc-trend-nan", lambda: wr.cape_cod(raa(), 1.0, trend=NAN), ValueError, ("trend", "nan")),
    Case("cc-trend-minus-one", lambda: wr.cape_cod(raa(), 1.0, trend=-1.0), ValueError, ("trend", "-1")),
    # ---- ODP bootstrap --------------------------------------------------------------------------
    Case(
        "boot-n-sims-fractional",
        lambda: wr.odp_bootstrap(raa(), n_sims=2.5, progress=False),
        ValueError,
        ("n_sims", "2.5"),
    ),
    Case("boot-n-sims-zero", lambda: wr.odp_bootstrap(raa(), n_sims=0, progress=False), ValueError, ("n_sims", "0")),
    Case(
        "boot-n-sims-bool", lambda: wr.odp_bootstrap(raa(), n_sims=True, progress=False), ValueError, ("n_sims", "True")
    ),
    Case(
        "boot-seed-negative", lambda: wr.odp_bootstrap(raa(), 64, seed=-1, progress=False), ValueError, ("seed", "-1")
    ),
    Case(
        "boot-seed-fractional",
        lambda: wr.odp_bootstrap(raa(), 64, seed=1.5, progress=False),
        ValueError,
        ("seed", "1.5"),
    ),
    Case(
        "boot-threads-zero",
        lambda: wr.odp_bootstrap(raa(), 64, threads=0, progress=False),
        ValueError,
        ("threads", "0"),
    ),
    Case(
        "boot-threads-fractional",
        lambda: wr.odp_bootstrap(raa(), 64, threads=1.5, progress=False),
        ValueError,
        ("threads", "1.5"),
    ),
    Case(
        "boot-process",
        lambda: wr.odp_bootstrap(raa(), 64, process="normal", progress=False),
        ValueError,
        ("process", "'normal'"),
    ),
    Case(
        "boot-memory",
        lambda: wr.odp_bootstrap(raa(), n_sims=10**9, progress=False),
        MemoryError,
        ("n_sims", "1000000000", "GiB"),
    ),
    Case(
        "boot-too-few-cells",
        lambda: wr.odp_bootstrap(tri_2x2(), 64, progress=False),
        ValueError,
        ("3 observed cells", "3 parameters"),
    ),
    # ---- payment patterns and discounting -------------------------------------------------------
    Case("pp-not-a-result", lambda: wr.payment_pattern(raa()), TypeError, ("result", "Triangle")),
    Case(
        "pp-max-tail-zero",
        lambda: wr.payment_pattern(wr.chain_ladder(raa()), max_tail_periods=0),
        ValueError,
        ("max_tail_periods", "0"),
    ),
    Case(
        "pp-max-tail-fractional",
        lambda: wr.payment_pattern(wr.chain_ladder(raa()), max_tail_periods=2.5),
        ValueError,
        ("max_tail_periods", "2.5"),
    ),
    Case(
        "disc-rate-nan", lambda: wr.payment_pattern(wr.chain_ladder(raa())).discounted(NAN), ValueError, ("rate", "nan")
    ),
    Case(
        "disc-rate-minus-one",
        lambda: wr.payment_pattern(wr.chain_ladder(raa())).discounted(-1.0),
        ValueError,
        ("rate", "-1"),
    ),
    Case(
        "disc-rate-inf",
        lambda: wr.payment_pattern(wr.chain_ladder(raa())).discounted(math.inf),
        ValueError,
        ("rate", "inf"),
    ),
    Case(
        "disc-timing",
        lambda: wr.payment_pattern(wr.chain_ladder(raa())).discounted(0.03, timing="begin"),
        ValueError,
        ("timing", "'begin'"),
    ),
    # ---- ETS ------------------------------------------------------------------------------------
    Case("ets-empty", lambda: fc.ets([]), ValueError, ("y", "0 observations")),
    Case("ets-too-short", lambda: fc.ets([1.0, 2.0, 3.0], trend="add"), ValueError, ("3 observations", "at least")),
    Case("ets-2d", lambda: fc.ets(np.ones((3, 3))), ValueError, ("y", "(3, 3)")),
    Case("ets-ragged", lambda: fc.ets([[1.0, 2.0], [3.0]]), ValueError, ("y", "ragged")),
    Case("ets-nan-inside", lambda: fc.ets(with_value(5, NAN)), ValueError, ("y", "nan", "2005")),
    Case("ets-inf-inside", lambda: fc.ets(with_value(7, math.inf)), ValueError, ("y", "inf", "2007")),
    Case(
        "ets-duplicated-index",
        lambda: fc.ets(with_index([2000, 2001, 2002, 2002, 2003, 2004])),
        ValueError,
        ("y", "duplicated", "2002"),
    ),
    Case(
        "ets-nonmonotone-index",
        lambda: fc.ets(with_index([2000, 2001, 2003, 2002, 2004, 2005])),
        ValueError,
        ("y", "2003", "2002"),
    ),
    Case("ets-alpha-high", lambda: fc.ets(wage(), alpha=1.5), ValueError, ("alpha", "1.5")),
    Case("ets-alpha-zero", lambda: fc.ets(wage(), alpha=0.0), ValueError, ("alpha", "0")),
    Case("ets-alpha-nan", lambda: fc.ets(wage(), alpha=NAN), ValueError, ("alpha", "nan")),
    Case("ets-beta-nan", lambda: fc.ets(wage(), trend="add", beta=NAN), ValueError, ("beta", "nan")),
    Case("ets-phi-nan", lambda: fc.ets(wage(), trend="add", damped=True, phi=NAN), ValueError, ("phi", "nan")),
    Case("ets-error-unknown", lambda: fc.ets(wage(), error="additive2"), ValueError, ("error", "'additive2'")),
    Case("ets-trend-unknown", lambda: fc.ets(wage(), trend="exp"), ValueError, ("trend", "'exp'")),
    Case("ets-init-unknown", lambda: fc.ets(wage(), initialization="ols"), ValueError, ("initialization", "'ols'")),
    Case("ets-mul-nonpositive", lambda: fc.ets(with_value(3, 0.0), error="mul"), ValueError, ("y", "2003", "0", "> 0")),
    Case("ets-damped-no-trend", lambda: fc.ets(wage(), damped=True), ValueError, ("damped", "trend")),
    Case("auto-nan-inside", lambda: fc.auto(with_value(2, NAN)), ValueError, ("y", "nan", "2002")),
    Case("auto-criterion", lambda: fc.auto(wage(), criterion="hqic"), ValueError, ("criterion", "'hqic'")),
    Case("fc-h-zero", lambda: ann().forecast(0), ValueError, ("h", "0")),
    Case("fc-h-negative", lambda: ann().forecast(-1), ValueError, ("h", "-1")),
    Case("fc-h-fractional", lambda: ann().forecast(2.5), ValueError, ("h", "2.5")),
    Case("fc-level-high", lambda: ann().interval(3, level=1.5), ValueError, ("level", "1.5")),
    Case("fc-level-zero", lambda: ann().interval(3, level=0.0), ValueError, ("level", "0")),
    Case("fc-level-nan", lambda: ann().interval(3, level=NAN), ValueError, ("level", "nan")),
    Case("fc-reps-zero", lambda: fc.ets(wage(), error="mul").interval(3, reps=0), ValueError, ("reps", "0")),
    Case("fc-simulate-memory", lambda: ann().simulate(100_000, 10_000_000), MemoryError, ("reps", "GiB")),
    # ---- fit_many -------------------------------------------------------------------------------
    Case("many-empty-mapping", lambda: fc.fit_many({}, progress=False), ValueError, ("frame", "no series")),
    Case("many-empty-frame", lambda: fc.fit_many(pd.DataFrame(), progress=False), ValueError, ("frame", "no series")),
    Case(
        "many-empty-series",
        lambda: fc.fit_many({"a": wage(), "b": []}, progress=False),
        ValueError,
        ("'b'", "0 observations"),
    ),
    Case("many-ragged", lambda: fc.fit_many({"a": [[1.0, 2.0], [3.0]]}, progress=False), ValueError, ("a", "ragged")),
    Case(
        "many-nan-inside",
        lambda: fc.fit_many({"city": with_value(4, NAN)}, progress=False),
        ValueError,
        ("city", "nan", "2004"),
    ),
    Case("many-chunk-zero", lambda: fc.fit_many({"a": wage()}, chunk=0, progress=False), ValueError, ("chunk", "0")),
    Case(
        "many-threads-negative",
        lambda: fc.fit_many({"a": wage()}, threads=-1, progress=False),
        ValueError,
        ("threads", "-1"),
    ),
    Case(
        "many-errors-option",
        lambda: fc.fit_many({"a": wage()}, errors="ignore", progress=False),
        ValueError,
        ("errors", "'ignore'"),
    ),
    # ---- trend models ---------------------------------------------------------------------------
    Case("loglinear-nonpositive", lambda: fc.loglinear(with_value(2, -1.0)), ValueError, ("y", "2002", "-1")),
    Case("loglinear-short", lambda: fc.loglinear([1.0, 2.0]), ValueError, ("2 observations", "at least 3")),
    Case("growth-rw-zero", lambda: fc.growth_rw(with_value(6, 0.0)), ValueError, ("y", "2006", "0")),
    Case("loglinear-h-zero", lambda: fc.loglinear(wage()).forecast(0), ValueError, ("h", "0")),
    # ---- back-tests -----------------------------------------------------------------------------
    Case(
        "bt-constant",
        lambda: fc.backtest(pd.Series(5.0, index=range(2000, 2015), name="rate"), models=["naive"]),
        ValueError,
        ("rate", "constant", "5.0", "MASE"),
    ),
    Case(
        "bt-all-zero",
        lambda: fc.backtest(pd.Series(0.0, index=range(2000, 2015), name="deaths"), models=["naive"]),
        ValueError,
        ("deaths", "constant", "0.0", "MASE"),
    ),
    Case(
        "bt-zero-actual",
        lambda: fc.backtest(with_value(15, 0.0), models=["naive"]),
        ValueError,
        ("wage", "2015", "MAPE"),
    ),
    Case("bt-horizon-zero", lambda: fc.backtest(wage(), models=["naive"], horizon=0), ValueError, ("horizon", "0")),
    Case(
        "bt-horizon-fractional",
        lambda: fc.backtest(wage(), models=["naive"], horizon=1.5),
        ValueError,
        ("horizon", "1.5"),
    ),
    Case(
        "bt-min-train-large",
        lambda: fc.backtest(wage(), models=["naive"], min_train=30),
        ValueError,
        ("min_train", "30", "wage", "20 observations"),
    ),
    Case("bt-threads-zero", lambda: fc.backtest(wage(), models=["naive"], threads=0), ValueError, ("threads", "0")),
    Case("bt-model-unknown", lambda: fc.backtest(wage(), models=["ARIMA"]), ValueError, ("model", "'ARIMA'")),
    Case("bt-level", lambda: fc.backtest(wage(), models=["naive"], level=2.0), ValueError, ("level", "2")),
    Case(
        "bt-duplicated-index",
        lambda: fc.backtest(with_index([2000 + min(k, 18) for k in range(20)]), models=["naive"]),
        ValueError,
        ("wage", "duplicated", "2018"),
    ),
    Case("paths-years-zero", lambda: fc.paths_from_forecasts(2020, 0, wage=ann()), ValueError, ("years", "0")),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_bad_input(case: Case) -> None:
    check(case)


def test_case_ids_are_unique() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids)) and len(ids) >= 45


# ---- documented results of degenerate inputs (README) ---------------------------------------------
def test_mack_identical_link_ratios_has_zero_se() -> None:
    """Every link ratio of each age equal: sigma is 0 where estimable, the fill is 0 and so is every
    standard error -- a documented result, not an error (the chain ladder fits exactly)."""
    tri = wr.Triangle.from_array([[100.0, 200.0, 300.0], [50.0, 100.0, NAN], [80.0, NAN, NAN]])
    m = wr.mack(tri)
    assert m.total_se == 0.0 and np.all(m.se.to_numpy() == 0.0)
    assert np.isfinite(m.sigma.to_numpy()).all()


def test_values_up_to_the_limit_give_finite_mack() -> None:
    tri = wr.Triangle.from_array(
        np.array([[1.0, 2.0, 3.1, 3.2], [1.1, 2.3, 3.3, NAN], [1.2, 2.2, NAN, NAN], [1.3, NAN, NAN, NAN]]) * 1e149
    )
    m = wr.mack(tri)
    assert np.isfinite(m.se.to_numpy()).all() and np.isfinite(m.total_se)
