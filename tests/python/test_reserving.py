"""wifund.reserving: published values, conventions, bad input and identities (hypothesis)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import wifund
import wifund.reserving as wr

DATA = Path(__file__).resolve().parents[1] / "data" / "triangles"


def load(name: str) -> wr.Triangle:
    df = pd.read_csv(DATA / f"{name}.csv")
    return wr.Triangle.from_frame(df, origin="origin", development="development", value="values")


@pytest.fixture(scope="module")
def raa():
    return load("raa")


@pytest.fixture(scope="module")
def genins():
    return load("genins")


# ---- published values -----------------------------------------------------------------------
def test_raa_published(raa):
    assert wr.chain_ladder(raa).total_ibnr == pytest.approx(52135.23, abs=0.005)
    mk = wr.mack(raa, sigma_extrapolation="mack")
    assert mk.total_se == pytest.approx(26909.01, abs=0.005)
    assert wr.mack(raa, sigma_extrapolation="log-linear").total_se == pytest.approx(26880.74, abs=0.005)
    published = [206, 623, 747, 1469, 2002, 2209, 5358, 6333, 24566]
    np.testing.assert_allclose(mk.se.loc[1982:].to_numpy(), published, atol=0.5)
    assert wr.odp_bootstrap(raa, n_sims=64, seed=1, progress=False).scale == pytest.approx(983.64, abs=0.005)


def test_genins_published(genins):
    assert wr.chain_ladder(genins).total_ibnr == pytest.approx(18680855.61, abs=0.005)
    assert wr.mack(genins, sigma_extrapolation="mack").total_se == pytest.approx(2447095, abs=0.5)
    assert wr.mack(genins).total_se == pytest.approx(2441364, abs=0.5)


def test_default_sigma_convention_is_explicit(raa):
    m = wr.mack(raa)
    assert m.options["sigma_extrapolation"] == "log-linear"
    assert "log-linear" in repr(m)


# ---- triangle construction --------------------------------------------------------------------
def test_from_frame_development_detection(raa):
    df = pd.read_csv(DATA / "raa.csv")
    by_age = df.assign(age=df["development"] - df["origin"] + 1)
    t_age = wr.Triangle.from_frame(by_age, "origin", "age", "values")
    np.testing.assert_array_equal(np.isnan(t_age.values), np.isnan(raa.values))
    np.testing.assert_allclose(np.nan_to_num(t_age.values), np.nan_to_num(raa.values))
    months = df.assign(age=(df["development"] - df["origin"] + 1) * 12)
    t_m = wr.Triangle.from_frame(months, "origin", "age", "values")
    assert list(t_m.ages[:3]) == [12, 24, 36]
    assert wr.chain_ladder(t_m).total_ibnr == pytest.approx(52135.23, abs=0.005)
    # Stated explicitly: the same integers read as ages give a different (wide) triangle.
    with pytest.raises(ValueError, match="hole at origin 1982, age 1981"):
        wr.Triangle.from_frame(df, "origin", "development", "values", development_is="age")


def test_clrd_months_file():
    df = pd.read_csv(DATA / "clrd_wkcomp_cumpaid.csv")
    t = wr.Triangle.from_frame(df, "origin", "development_months", "CumPaidLoss")
    assert list(t.ages) == list(range(12, 121, 12))
    assert t.latest_diagonal.index[0] == 1988
    assert wr.chain_ladder(t).total_ibnr > 0


def test_dates_and_quarterly_grain():
    # Quarterly origins and calendar quarters as dates; aggregated to years.
    rng = np.random.default_rng(3)
    rows = []
    quarters = pd.period_range("2020Q1", "2023Q4", freq="Q")
    for k, q in enumerate(quarters):
        cum = 0.0
        for lag in range(len(quarters) - k):
            cum += 100.0 * 0.7**lag * rng.uniform(0.8, 1.2)
            rows.append((q.start_time, (q + lag).end_time.normalize(), cum))
    df = pd.DataFrame(rows, columns=["origin", "paid_date", "paid"])
    tq = wr.Triangle.from_frame(df, "origin", "paid_date", "paid")
    assert tq.grain == "Q" and tq.shape == (16, 16)
    assert tq.valuation == pd.Period("2023Q4", freq="Q")
    ty = tq.grain_to_annual()
    assert ty.shape == (4, 4) and list(ty.origin) == [2020, 2021, 2022, 2023]
    # Origin year 2020 at the end of 2020: its four quarters at ages 4, 3, 2, 1.
    q = tq.values
    assert ty.values[0, 0] == pytest.approx(q[0, 3] + q[1, 2] + q[2, 1] + q[3, 0])
    # ... and at the end of 2023: quarter i of 2020 is then at age index 15 - i.
    assert ty.values[0, 3] == pytest.approx(sum(q[i, 15 - i] for i in range(4)))
    # Total paid to date is preserved by the aggregation.
    assert ty.latest_diagonal.sum() == pytest.approx(tq.latest_diagonal.sum())
    assert np.isfinite(wr.chain_ladder(tq).total_ibnr)


def test_incremental_input_and_round_trip(raa):
    inc = raa.to_incremental()
    assert not inc.is_cumulative
    df = inc.to_frame(long=True)
    t = wr.Triangle.from_frame(df, "origin", "age", "value", cumulative=False)
    np.testing.assert_allclose(np.nan_to_num(t.to_cumulative().values), np.nan_to_num(raa.values))
    # Methods accept incremental triangles (they cumulate first).
    assert wr.chain_ladder(t).total_ibnr == pytest.approx(52135.23, abs=0.005)


def test_views(raa):
    assert raa.latest_diagonal.loc[1990] == 2063
    lr = raa.link_ratios()
    assert lr.loc[1981, "1-2"] == pytest.approx(8269 / 5012)
    assert raa.to_frame().shape == (10, 10)
    assert "<table" in raa._repr_html_() and "1,990" not in repr(raa)
    assert raa.valuation == 1990


# ---- bad input ----------------------------------------------------------------------------------
def test_bad_input_messages(raa):
    v = raa.values
    with pytest.raises(ValueError, match="must increase, but age 3 is followed by age 2"):
        wr.Triangle.from_array(v, ages=[1, 3, 2, 4, 5, 6, 7, 8, 9, 10])
    hole = v.copy()
    hole[2, 3] = np.nan
    with pytest.raises(ValueError, match="hole at origin 1983, age 4"):
        wr.Triangle.from_array(hole, origin=range(1981, 1991))
    df = pd.read_csv(DATA / "raa.csv")
    with pytest.raises(ValueError, match="hole at origin 1983, age 4"):
        wr.Triangle.from_frame(df[~((df.origin == 1983) & (df.development == 1986))], "origin", "development", "values")
    with pytest.raises(ValueError, match="duplicated cell at origin 1981, age 1"):
        wr.Triangle.from_frame(pd.concat([df, df.head(1)]), "origin", "development", "values")
    with pytest.raises(ValueError, match="before origin"):
        wr.Triangle.from_frame(
            df.assign(development=df.development - 1), "origin", "development", "values", development_is="calendar"
        )
    with pytest.raises(ValueError, match="no data for origin 1985"):
        wr.Triangle.from_frame(df[df.origin != 1985], "origin", "development", "values")
    zero = v.copy()
    zero[0, 8] = 0.0
    with pytest.raises(ValueError, match="zero denominator at age 9"):
        wr.chain_ladder(wr.Triangle.from_array(zero, origin=range(1981, 1991)))
    neg = v.copy()
    neg[3, 2] = -50.0
    t = wr.Triangle.from_array(neg, origin=range(1981, 1991))
    assert np.isfinite(wr.chain_ladder(t).total_ibnr)  # the chain ladder allows it
    with pytest.raises(ValueError, match="origin 1984, age 3.*must be > 0"):
        wr.mack(t)
    with pytest.raises(ValueError, match="average = 'mean' is not one of"):
        wr.chain_ladder(raa, average="mean")
    with pytest.raises(ValueError, match="sigma_extrapolation"):
        wr.mack(raa, sigma_extrapolation="linear")


def test_negative_incrementals_allowed(raa):
    v = raa.values
    v[0, 9] = v[0, 8] - 500  # a recovery in the last year of 1981
    r = wr.mack(wr.Triangle.from_array(v))
    assert r.factors["age_to_age"].iloc[8] < 1
    assert np.isfinite(r.total_se)


# ---- conventions ------------------------------------------------------------------------------
def test_average_and_exclusions(raa):
    v = raa.values
    simple = wr.chain_ladder(raa, average="simple").factors["age_to_age"].iloc[0]
    assert simple == pytest.approx(np.nanmean(v[:9, 1] / v[:9, 0]))
    ex = wr.chain_ladder(raa, exclude=[(1982, 1)]).factors["age_to_age"].iloc[0]
    keep = [i for i in range(9) if i != 1]
    assert ex == pytest.approx(v[keep, 1].sum() / v[keep, 0].sum())
    last3 = wr.chain_ladder(raa, n_periods=3).factors["age_to_age"].iloc[0]
    assert last3 == pytest.approx(v[6:9, 1].sum() / v[6:9, 0].sum())
    with pytest.raises(ValueError, match="origin 1979 is not in the triangle"):
        wr.chain_ladder(raa, exclude=[(1979, 1)])


def test_tails(genins):
    base = wr.chain_ladder(genins)
    const = wr.chain_ladder(genins, tail=1.05)
    assert const.tail == 1.05
    np.testing.assert_allclose(const.ultimate, base.ultimate * 1.05)
    expo = wr.chain_ladder(genins, tail="exponential")
    assert 1.0 < expo.tail < 1.05
    mk = wr.mack(genins, tail=1.05)
    assert mk.total_se > wr.mack(genins).total_se


def test_expected_loss_methods(genins):
    cl = wr.chain_ladder(genins)
    apriori = pd.Series(5e6, index=genins.origin)
    bf = wr.bornhuetter_ferguson(genins, apriori)
    q = 1 - 1 / bf.summary()["age_to_ultimate"].iloc[:-1]
    np.testing.assert_allclose(bf.ultimate, cl.latest + q * 5e6)
    assert wr.benktander(genins, 5e6, n_iter=300).ultimate.to_numpy() == pytest.approx(cl.ultimate.to_numpy())
    cc = wr.cape_cod(genins, exposure=1e7, decay=0.0)
    np.testing.assert_allclose(cc.ultimate, cl.ultimate)
    assert "apriori" in cc.summary().columns
    with pytest.raises(ValueError, match="apriori"):
        wr.bornhuetter_ferguson(genins, [1.0, 2.0])


# ---- bootstrap ----------------------------------------------------------------------------------
def test_bootstrap_reproducible_whatever_threads(genins):
    a = wr.odp_bootstrap(genins, n_sims=500, seed=11, threads=1, progress=False)
    b = wr.odp_bootstrap(genins, n_sims=500, seed=11, threads=2, progress=False)
    pd.testing.assert_frame_equal(a.ibnr_sims, b.ibnr_sims)
    c = wr.odp_bootstrap(genins, n_sims=500, seed=12, threads=2, progress=False)
    assert not a.ibnr_sims.equals(c.ibnr_sims)
    g = wr.odp_bootstrap(genins, n_sims=500, seed=11, process="gamma", hat_adjust=False, progress=False)
    assert g.total_ibnr == pytest.approx(a.chain_ladder_ibnr.sum(), rel=0.05)
    qs = a.quantile([0.5, 0.995])
    assert qs.loc[0.995, "total"] > qs.loc[0.5, "total"]
    assert "phi" in repr(a)


def test_bootstrap_draws_from_one_philox_stream_per_simulation(genins):
    # core/random.hpp, stream 16: simulation s is a function of (seed, segment, s) only, so a shorter run
    # is the head of a longer one and threads do not matter; the moments still check out on genins
    # (England & Verrall 1999: the ODP prediction error of the total is some 20% above Mack's).
    long = wr.odp_bootstrap(genins, n_sims=4000, seed=7, threads=2, progress=False)
    short = wr.odp_bootstrap(genins, n_sims=100, seed=7, threads=1, progress=False)
    pd.testing.assert_frame_equal(short.ibnr_sims, long.ibnr_sims.iloc[:100])
    cl, mack = wr.chain_ladder(genins).total_ibnr, wr.mack(genins).total_se
    tot = long.total_sims.to_numpy()
    assert abs(tot.mean() / cl - 1) < 0.03
    assert 1.05 < tot.std(ddof=1) / mack < 1.35


def test_bootstrap_progress_bar(raa, capsys):
    pytest.importorskip("tqdm")
    wr.odp_bootstrap(raa, n_sims=128, seed=0, progress=True)
    assert "ODP bootstrap" in capsys.readouterr().err


# ---- payment pattern ----------------------------------------------------------------------------
def test_payment_pattern(genins):
    cl = wr.chain_ladder(genins, tail="exponential", tail_periods=20)
    p = wr.payment_pattern(cl)
    assert p.proportions.sum() == pytest.approx(1.0, abs=1e-14)
    assert len(p.proportions) == 30
    assert p.proportions.iloc[0] == pytest.approx(1 / cl.factors["age_to_ultimate"].iloc[0])
    assert p.cash_flows.sum() == pytest.approx(cl.total_ibnr)
    assert p.cash_flows.index[0] == 2011
    assert p.discounted(0.0) == pytest.approx(cl.total_ibnr)
    v_end, v_mid = p.discounted(0.03, timing="end"), p.discounted(0.03)
    assert v_end < v_mid < cl.total_ibnr
    one = wr.payment_pattern(wr.chain_ladder(genins))
    assert one.discounted(0.05, "end") == pytest.approx(
        sum(cf / 1.05**h for h, cf in enumerate(one.cash_flows, start=1))
    )


# ---- stacks ------------------------------------------------------------------------------------
def test_stack_from_frame_and_batch(raa, genins):
    frames = []
    for city, tri, scale in [("Changchun", raa, 1.0), ("Jilin", raa, 2.5), ("Yanbian", genins, 0.01)]:
        df = tri.to_frame(long=True).drop(columns="segment")
        df["origin"] = df["origin"] - df["origin"].min() + 1981  # the same injury years in every city
        frames.append(df.assign(city=city, item="medical", value=df.value * scale))
    stack = wr.Triangle.from_frame(pd.concat(frames), "origin", "age", "value", segments=["city", "item"])
    assert stack.is_stacked and stack.shape[0] == 3
    m = wr.mack(stack, sigma_extrapolation="mack")
    assert m.total_se.loc[("Changchun", "medical")] == pytest.approx(26909.01, abs=0.005)
    assert m.total_se.loc[("Jilin", "medical")] == pytest.approx(26909.01 * 2.5, abs=0.02)
    single = wr.mack(stack[("Jilin", "medical")], sigma_extrapolation="mack")
    np.testing.assert_allclose(m.ultimate.loc[("Jilin", "medical")].to_numpy(), single.ultimate.to_numpy())
    assert "3 segments" in repr(m) and "<table" in m._repr_html_()


@st.composite
def triangles(draw, n_min=3, n_max=8):
    n = draw(st.integers(n_min, n_max))
    first = draw(arrays(np.float64, n, elements=st.floats(100, 1e6)))
    growth = draw(arrays(np.float64, (n, n), elements=st.floats(-0.2, 1.5)))
    cum = np.empty((n, n))
    cum[:, 0] = first
    for j in range(1, n):
        cum[:, j] = cum[:, j - 1] * (1 + growth[:, j])
    cum[np.add.outer(np.arange(n), np.arange(n)) >= n] = np.nan
    return cum


@settings(max_examples=40, deadline=None)
@given(triangles())
def test_identities(cum):
    t = wr.Triangle.from_array(cum)
    r = wr.chain_ladder(t)
    np.testing.assert_allclose(r.ultimate, r.latest + r.ibnr, rtol=1e-12)
    back = t.to_incremental().to_cumulative().values
    np.testing.assert_allclose(np.nan_to_num(back), np.nan_to_num(cum), rtol=1e-12)
    p = wr.payment_pattern(r)
    assert p.proportions.sum() == pytest.approx(1.0, abs=1e-9)
    assert p.cash_flows.sum() == pytest.approx(r.total_ibnr, rel=1e-9, abs=1e-6)


@settings(max_examples=15, deadline=None)
@given(st.lists(triangles(5, 5), min_size=1, max_size=6))
def test_batch_equals_loop(cums):
    stack = wr.Triangle.from_array(np.stack(cums))
    singles = []
    for cum in cums:
        try:
            singles.append(wr.mack(wr.Triangle.from_array(cum)))
        except ValueError as e:  # e.g. fewer than two positive sigmas to extrapolate
            with pytest.raises(ValueError, match=str(e).split(": ", 1)[0]):
                wr.mack(stack, threads=2)
            return
    m = wr.mack(stack, threads=2)
    for s, one in enumerate(singles):
        np.testing.assert_array_equal(m.ultimate.iloc[s].to_numpy(), one.ultimate.to_numpy())
        assert m.total_se.iloc[s] == one.total_se


def test_demo_triangle():
    t = wr.demo_triangle()
    assert t.shape == (10, 10) and list(t.origin) == list(range(2015, 2025))
    assert wifund.reserving is wr
    r = wr.mack(t)
    assert 0 < r.total_ibnr < t.latest_diagonal.sum()


def test_stack_error_names_the_segment(raa):
    v = np.stack([raa.values, raa.values])
    v[1, 0, 8] = 0.0
    stack = wr.Triangle.from_array(v, origin=range(1981, 1991), segments=pd.Index(["Baicheng", "Siping"], name="city"))
    with pytest.raises(ValueError, match="^segment Siping: chain_ladder: zero denominator at age 9"):
        wr.chain_ladder(stack)


def test_concurrent_python_threads(genins):
    # The core releases the GIL; concurrent calls give the same numbers as serial ones.
    from concurrent.futures import ThreadPoolExecutor

    serial = [wr.odp_bootstrap(genins, n_sims=256, seed=s, threads=1, progress=False).total_sims for s in range(4)]
    with ThreadPoolExecutor(4) as ex:
        par = list(
            ex.map(
                lambda s: wr.odp_bootstrap(genins, n_sims=256, seed=s, threads=1, progress=False).total_sims, range(4)
            )
        )
    for a, b in zip(serial, par, strict=True):
        pd.testing.assert_series_equal(a, b)


def test_array_layouts(raa):
    # Sliced, transposed (Fortran-ordered) and (1, N) inputs are read by value, not by memory layout.
    v = raa.values
    ref = wr.chain_ladder(raa).ultimate.to_numpy()
    wide = np.full((10, 20), np.nan)
    wide[:, ::2] = v
    np.testing.assert_array_equal(wr.chain_ladder(wr.Triangle.from_array(wide[:, ::2])).ultimate.to_numpy(), ref)
    np.testing.assert_array_equal(
        wr.chain_ladder(wr.Triangle.from_array(np.asfortranarray(v))).ultimate.to_numpy(), ref
    )
    one = wr.chain_ladder(wr.Triangle.from_array(np.array([[100.0, 150.0, 160.0]])))
    assert one.total_ibnr == 0.0
    col = wr.chain_ladder(wr.Triangle.from_array(np.array([[100.0], [120.0]])))
    np.testing.assert_array_equal(col.ultimate.to_numpy(), [100.0, 120.0])


def test_payment_pattern_of_a_stack_equals_singles(raa, genins):
    v = np.stack([raa.values, genins.values * 0.01])
    stack = wr.Triangle.from_array(v, origin=range(1981, 1991), segments=pd.Index(["a", "b"], name="city"))
    res = wr.chain_ladder(stack, tail=1.02)
    pp = wr.payment_pattern(res)
    assert pp.proportions.shape == (2, 11)
    for seg in ["a", "b"]:
        one = wr.payment_pattern(wr.chain_ladder(stack[seg], tail=1.02))
        np.testing.assert_allclose(pp.proportions.loc[seg].to_numpy(), one.proportions.to_numpy(), rtol=1e-14)
        np.testing.assert_allclose(pp.cash_flows.loc[seg].to_numpy(), one.cash_flows.to_numpy(), rtol=1e-12)
        assert pp.discounted(0.03).loc[seg] == pytest.approx(one.discounted(0.03))
    assert pp.cash_flows_by_origin.loc[("b", 1990)].sum() == pytest.approx(res.ibnr.loc["b", 1990])


def test_results_pickle(raa):
    import pickle

    for r in (wr.mack(raa), wr.odp_bootstrap(raa, n_sims=64, progress=False), wr.payment_pattern(wr.chain_ladder(raa))):
        back = pickle.loads(pickle.dumps(r))
        assert repr(back) == repr(r)
    t = pickle.loads(pickle.dumps(raa))
    np.testing.assert_array_equal(np.isnan(t.values), np.isnan(raa.values))


def test_bootstrap_of_a_stack(raa, genins):
    v = np.stack([genins.values, raa.values, genins.values * 0.5])
    stack = wr.Triangle.from_array(v, segments=pd.Index(["a", "b", "c"], name="city"))
    res = wr.odp_bootstrap(stack, n_sims=300, seed=5, threads=2, progress=False)
    assert res.scale.loc["b"] == pytest.approx(983.64, abs=0.005)
    assert res.total_sims.shape == (300, 3)
    # Segment 0 of a stack reproduces the single run with the same seed; every segment equals
    # its own bootstrap with the same (seed, segment) streams whatever the threads.
    single = wr.odp_bootstrap(wr.Triangle.from_array(v[0]), n_sims=300, seed=5, threads=1, progress=False)
    np.testing.assert_array_equal(res.ibnr_sims.loc["a"].to_numpy(), single.ibnr_sims.to_numpy())
    again = wr.odp_bootstrap(stack, n_sims=300, seed=5, threads=1, progress=False)
    pd.testing.assert_frame_equal(res.total_sims, again.total_sims)
    assert not np.array_equal(res.total_sims["a"].to_numpy(), res.total_sims["c"].to_numpy() * 2)
    assert res.quantile([0.5, 0.9]).shape == (2, 3)
    bad = v.copy()
    bad[2, :, 1:] = np.where(np.isnan(bad[2, :, 1:]), np.nan, bad[2, :, :1])  # flat: zero fitted incrementals
    with pytest.raises(ValueError, match="^segment c: odp_bootstrap"):
        wr.odp_bootstrap(wr.Triangle.from_array(bad, segments=pd.Index(["a", "b", "c"])), n_sims=64, progress=False)


def test_period_and_date_columns(raa):
    df = pd.read_csv(DATA / "raa.csv")
    as_periods = df.assign(
        origin=pd.PeriodIndex(df.origin.astype(str), freq="Y"),
        development=pd.PeriodIndex(df.development.astype(str), freq="Y"),
    )
    as_dates = df.assign(
        origin=pd.to_datetime(df.origin.astype(str) + "-01-01"),
        development=pd.to_datetime(df.development.astype(str) + "-12-31"),
    )
    for frame in (as_periods, as_dates):
        t = wr.Triangle.from_frame(frame, "origin", "development", "values")
        assert t.grain == "Y" and list(t.origin) == list(range(1981, 1991))
        np.testing.assert_array_equal(np.nan_to_num(t.values), np.nan_to_num(raa.values))


def test_degenerate_shapes():
    # One age: nothing to develop, no standard error; an empty triangle is an error.
    m = wr.mack(wr.Triangle.from_array([[5.0], [6.0]]))
    assert m.total_ibnr == 0.0 and m.total_se == 0.0 and len(m.sigma) == 0
    with pytest.raises(ValueError, match="empty"):
        wr.Triangle.from_array(np.zeros((0, 0)))
    with pytest.raises(ValueError, match="observed cells do not exceed the 3 parameters"):
        wr.odp_bootstrap(wr.Triangle.from_array([[1.0, 2.0], [3.0, np.nan]]), 10, progress=False)
