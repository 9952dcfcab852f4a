"""wifund.life: published SOA values, term-by-term checks on the CL tables (independent Python loops),
closed forms of the m-thly conventions, escalation, identities, vectorisation and properties."""

from __future__ import annotations

import math
import pickle
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wifund
from wifund import _core
from wifund.life import LifeTable

DATA = Path(__file__).resolve().parents[1] / "data"
REL = 1e-6


@pytest.fixture(scope="module")
def soa() -> LifeTable:
    return LifeTable.from_lx(pd.read_csv(DATA / "soa_illustrative_lx.csv")["lx"], name="SOA")


def cl_qx(name: str) -> np.ndarray:
    path = resources.files("wifund") / "data" / "life_tables" / "cl2010_2013_qx.csv"
    return pd.read_csv(str(path))[name].to_numpy(dtype=float)


# ---- independent reference loops (plain Python over the CSV's q) ---------------------------------
def ref_annual(qx, x, i, start=0, stop=None, immediate=False):
    """sum_{k=start}^{stop-1} v^{k(+1)} k(+1)_p_x, payments at the start (or end) of each year."""
    total, p, k = 0.0, 1.0, 0
    v = 1.0 / (1.0 + i)
    while x + k < len(qx) and (stop is None or k < stop):
        if immediate:
            p_next = p * (1.0 - qx[x + k])
            if k >= start:
                total += v ** (k + 1) * p_next
            p = p_next
        else:
            if k >= start:
                total += v**k * p
            p *= 1.0 - qx[x + k]
        k += 1
    return total


def ref_udd_mthly(qx, x, i, m, term=None):
    """The m-thly annuity-due summed payment by payment with UDD survival within each year."""
    total, p_year, k = 0.0, 1.0, 0
    while x + k < len(qx) and (term is None or k < term):
        q = qx[x + k]
        for j in range(m):
            total += (1.0 / m) * (1.0 + i) ** (-(k + j / m)) * p_year * (1.0 - (j / m) * q)
        p_year *= 1.0 - q
        k += 1
    return total


def alpha_beta(i, m):
    d = i / (1 + i)
    im = m * ((1 + i) ** (1 / m) - 1)
    dm = m * (1 - (1 + i) ** (-1 / m))
    return i * d / (im * dm), (i - im) / (im * dm)


# ---- published values -------------------------------------------------------------------------------
def test_soa_annuity_due_65(soa):
    assert soa.annuity_due(65, 0.06) == pytest.approx(9.89693, rel=REL)


def test_soa_whole_life_30(soa):
    assert 1000 * soa.whole_life_assurance(30, 0.06) == pytest.approx(102.4835, rel=REL)


def test_soa_from_lx_matches_from_qx(soa):
    lx = pd.read_csv(DATA / "soa_illustrative_lx.csv")["lx"].to_numpy()
    qx = np.append(1 - lx[1:] / lx[:-1], 1.0)
    assert LifeTable.from_qx(qx).annuity_due(65, 0.06) == pytest.approx(soa.annuity_due(65, 0.06), rel=1e-14)


# ---- CL tables, term by term ----------------------------------------------------------------------
@pytest.mark.parametrize("name", ["CL1", "CL2", "CL3", "CL4", "CL5", "CL6"])
@pytest.mark.parametrize("x,i", [(0, 0.03), (40, 0.025), (60, 0.035), (85, 0.05), (105, 0.03)])
def test_cl_whole_life_due_and_immediate(name, x, i):
    t, qx = LifeTable.china_2010_2013(name), cl_qx(name)
    assert t.annuity_due(x, i) == pytest.approx(ref_annual(qx, x, i), rel=1e-12)
    assert t.annuity_immediate(x, i) == pytest.approx(ref_annual(qx, x, i, immediate=True), rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("name", ["CL1", "CL6"])
@pytest.mark.parametrize("x,n,u", [(30, 30, 0), (45, 10, 15), (50, 0, 5), (100, 20, 2), (60, 25, 50)])
def test_cl_temporary_deferred_term_by_term(name, x, n, u):
    t, qx, i = LifeTable.china_2010_2013(name), cl_qx(name), 0.03
    assert t.annuity_due(x, i, term=n, deferral=u) == pytest.approx(
        ref_annual(qx, x, i, start=u, stop=u + n), rel=1e-12, abs=1e-15
    )
    assert t.annuity_immediate(x, i, term=n, deferral=u) == pytest.approx(
        ref_annual(qx, x, i, start=u, stop=u + n, immediate=True), rel=1e-12, abs=1e-15
    )


@pytest.mark.parametrize("name", ["CL1", "CL5"])
@pytest.mark.parametrize("x,n", [(25, 30), (60, 10), (90, 50)])
def test_cl_term_assurance_term_by_term(name, x, n):
    t, qx, i = LifeTable.china_2010_2013(name), cl_qx(name), 0.04
    p, total = 1.0, 0.0
    for k in range(min(n, len(qx) - x)):
        total += (1 + i) ** -(k + 1) * p * qx[x + k]
        p *= 1 - qx[x + k]
    assert t.term_assurance(x, n, i) == pytest.approx(total, rel=1e-12)


@pytest.mark.parametrize("m", [2, 4, 12])
@pytest.mark.parametrize("term", [None, 15])
def test_cl_monthly_udd_payment_by_payment(m, term):
    """UDD m-thly is exact: the closed form equals the sum of every 1/m payment under UDD."""
    t, qx = LifeTable.china_2010_2013("CL5"), cl_qx("CL5")
    assert t.annuity_due(55, 0.03, term=term, m=m) == pytest.approx(ref_udd_mthly(qx, 55, 0.03, m, term), rel=1e-10)


# ---- m-thly conventions --------------------------------------------------------------------------
@pytest.mark.parametrize("m", [2, 3, 4, 6, 12])
@pytest.mark.parametrize("i", [0.01, 0.06, 0.12])
def test_udd_closed_form(soa, m, i):
    a, b = alpha_beta(i, m)
    assert soa.annuity_due(65, i, m=m) == pytest.approx(a * soa.annuity_due(65, i) - b, rel=REL)
    # temporary form: α ä_{x:n} − β (1 − n_E_x)
    n = 20
    ne = soa.survival(65, n) * (1 + i) ** -n
    assert soa.annuity_due(65, i, term=n, m=m) == pytest.approx(
        a * soa.annuity_due(65, i, term=n) - b * (1 - ne), rel=REL
    )


def test_soa_monthly_udd_alpha_beta_table_values(soa):
    # Bowers Table 5.4.2 at 6%: α(12) = 1.00028, β(12) = 0.46812.
    a, b = alpha_beta(0.06, 12)
    assert (round(a, 5), round(b, 5)) == (1.00028, 0.46812)


def test_woolhouse_two_term_closed_form_and_close_to_udd(soa):
    for m in (2, 4, 12):
        w2 = soa.annuity_due(65, 0.06, m=m, fractional="woolhouse")
        assert w2 == pytest.approx(soa.annuity_due(65, 0.06) - (m - 1) / (2 * m), rel=REL)
        udd = soa.annuity_due(65, 0.06, m=m)
        w3 = soa.annuity_due(65, 0.06, m=m, fractional="woolhouse3")
        assert abs(w2 - udd) < 1e-3 * udd
        assert abs(w3 - udd) < abs(w2 - udd)  # the third term brings Woolhouse closer to UDD


def test_woolhouse_three_term_closed_form(soa):
    x, i, m = 65, 0.06, 12
    q = soa.qx.to_numpy()
    mu = -0.5 * (math.log(1 - q[x - 1]) + math.log(1 - q[x]))
    expect = soa.annuity_due(x, i) - (m - 1) / (2 * m) - (m * m - 1) / (12 * m * m) * (mu + math.log1p(i))
    assert soa.annuity_due(x, i, m=m, fractional="woolhouse3") == pytest.approx(expect, rel=1e-12)


def test_immediate_is_due_minus_first_payment(soa):
    for m in (1, 12):
        assert soa.annuity_immediate(40, 0.05, m=m) == pytest.approx(soa.annuity_due(40, 0.05, m=m) - 1 / m, rel=1e-12)


# ---- escalation keeps mortality --------------------------------------------------------------------
@pytest.mark.parametrize("m,fractional", [(1, "udd"), (12, "udd"), (12, "woolhouse"), (12, "woolhouse3")])
def test_escalation_is_level_at_adjusted_rate_with_same_mortality(m, fractional):
    t, i, g = LifeTable.china_2010_2013("CL5"), 0.045, 0.025
    esc = t.annuity_due(60, i, m=m, escalation=g, fractional=fractional, term=30)
    level = t.annuity_due(60, (1 + i) / (1 + g) - 1, m=m, fractional=fractional, term=30)
    assert esc == pytest.approx(level, rel=1e-12)


def test_escalation_not_folded_into_mortality():
    """Folding (1+g) into p_x (the pitfall) leaves i in α(m), β(m) and gives another number."""
    t, qx, i, g, m = LifeTable.china_2010_2013("CL5"), cl_qx("CL5"), 0.045, 0.025, 12
    folded = [1 - (1 - q) * (1 + g) for q in qx]  # "p' = p (1+g)" (not even a valid q at young ages)
    a, b = alpha_beta(i, m)
    pitfall = a * ref_annual(folded, 60, i) - b
    esc = t.annuity_due(60, i, m=m, escalation=g)
    assert ref_annual(folded, 60, i) == pytest.approx(t.annuity_due(60, (1 + i) / (1 + g) - 1), rel=1e-12)
    assert abs(esc - pitfall) > 1e-3
    # and the right value is the payment-by-payment sum with (1+g)^t payments and the table's own q
    direct = sum(
        (1 / m) * ((1 + g) / (1 + i)) ** (k + j / m) * t.survival(60, k + j / m) for k in range(46) for j in range(m)
    )
    assert esc == pytest.approx(direct, rel=1e-10)


# ---- identities ------------------------------------------------------------------------------------
@pytest.mark.parametrize("m", [1, 4, 12])
@pytest.mark.parametrize("fractional", ["udd", "woolhouse", "woolhouse3"])
def test_deferred_and_temporary_plus_deferred(m, fractional):
    t, x, n, i = LifeTable.china_2010_2013("CL2"), 45, 20, 0.03
    deferred = t.annuity_due(x, i, deferral=n, m=m, fractional=fractional)
    assert deferred == pytest.approx(
        (1 + i) ** -n * t.survival(x, n) * t.annuity_due(x + n, i, m=m, fractional=fractional), rel=1e-12
    )
    temp = t.annuity_due(x, i, term=n, m=m, fractional=fractional)
    assert temp + deferred == pytest.approx(t.annuity_due(x, i, m=m, fractional=fractional), rel=1e-12)


def test_assurance_identity_and_term():
    t, i = LifeTable.china_2010_2013("CL3"), 0.035
    d = i / (1 + i)
    ages = np.arange(0, 106)
    np.testing.assert_allclose(t.whole_life_assurance(ages, i), 1 - d * t.annuity_due(ages, i), rtol=1e-12, atol=1e-14)
    assert t.term_assurance(30, 200, i) == pytest.approx(t.whole_life_assurance(30, i), rel=1e-14)
    # A¹_{x:n} + n_E_x = 1 − d ä_{x:n} (endowment identity, Bowers 5.2.x)
    ne = (1 + i) ** -20 * t.survival(30, 20)
    assert t.term_assurance(30, 20, i) + ne == pytest.approx(1 - d * t.annuity_due(30, i, term=20), rel=1e-12)


def test_zero_rate_limits():
    t = LifeTable.china_2010_2013("CL1")
    assert t.annuity_due(40, 0.0) == pytest.approx(1 + t.life_expectancy(40), rel=1e-12)
    assert t.annuity_due(40, 0.0, m=12) == pytest.approx(t.annuity_due(40, 1e-10, m=12), rel=1e-8)


# ---- survival and expectancy -----------------------------------------------------------------------
def test_survival_fractional_and_expectancy():
    t, qx = LifeTable.china_2010_2013("CL1"), cl_qx("CL1")
    p10 = np.prod(1 - qx[60:70])
    assert t.survival(60, 10) == pytest.approx(p10, rel=1e-13)
    assert t.survival(60, 10.25) == pytest.approx(p10 * (1 - 0.25 * qx[70]), rel=1e-13)
    assert t.survival(60, 10.25, "constant_force") == pytest.approx(p10 * (1 - qx[70]) ** 0.25, rel=1e-13)
    assert t.survival(100, 50) == 0.0
    e = sum(np.prod(1 - qx[60 : 60 + k]) for k in range(1, 47))
    assert t.life_expectancy(60) == pytest.approx(e, rel=1e-12)
    assert t.life_expectancy(60, complete=True) == pytest.approx(e + 0.5, rel=1e-12)
    cf = t.life_expectancy(60, complete=True, fractional="constant_force")
    assert abs(cf - (e + 0.5)) < 0.01


# ---- vectorisation -------------------------------------------------------------------------------------
def test_broadcasting_shapes_and_scalars():
    t = LifeTable.china_2010_2013("CL5")
    assert isinstance(t.annuity_due(60, 0.03), float)
    out = t.annuity_due([50, 60, 70], [[0.02], [0.03]])
    assert out.shape == (2, 3)
    assert out[1, 2] == t.annuity_due(70, 0.03)
    tabs = [LifeTable.china_2010_2013(n) for n in ("CL5", "CL6")]
    stacked = wifund.life.annuity_due(tabs, [50, 60, 70], [[0.02], [0.03]], m=12)
    assert stacked.shape == (2, 2, 3)
    assert stacked[1, 0, 1] == tabs[1].annuity_due(60, 0.02, m=12)
    terms = t.annuity_due(60, 0.03, term=np.array([5, 10, 20]), deferral=np.array([[0], [5]]))
    assert terms.shape == (2, 3)
    assert terms[1, 0] == t.annuity_due(60, 0.03, term=5, deferral=5)


def test_sliced_transposed_and_row_inputs():
    t = LifeTable.china_2010_2013("CL1")
    ages = np.arange(100).reshape(10, 10)
    rates = np.linspace(0.0, 0.09, 100).reshape(10, 10)
    base = t.annuity_due(ages, rates)
    np.testing.assert_array_equal(t.annuity_due(ages.T, rates.T), base.T)
    np.testing.assert_array_equal(t.annuity_due(ages[::2, 1::3], rates[::2, 1::3]), base[::2, 1::3])
    np.testing.assert_array_equal(t.annuity_due(ages[:1], rates[:1]), base[:1])
    assert t.annuity_due(ages.astype(float), rates).tolist() == base.tolist()  # whole floats accepted


def test_threads_do_not_change_results():
    t = LifeTable.china_2010_2013("CL2")
    ages = np.tile(np.arange(0, 106), 100)
    a1 = t.annuity_due(ages, 0.03, m=12, threads=1)
    a2 = t.annuity_due(ages, 0.03, m=12, threads=2)
    np.testing.assert_array_equal(a1, a2)


# ---- adjustments ---------------------------------------------------------------------------------
def test_adjustments_return_new_tables():
    t = LifeTable.china_2010_2013("CL1")
    q0 = t.qx.copy()
    loaded = t.multiply(2.0)
    band = t.multiply(1.5, ages=range(60, 71))
    fwd, back = t.set_forward(5), t.set_forward(-2)
    pd.testing.assert_series_equal(t.qx, q0)
    assert loaded.qx[50] == pytest.approx(2 * q0[50]) and loaded.qx[105] == 1.0
    assert band.qx[59] == q0[59] and band.qx[60] == pytest.approx(1.5 * q0[60]) and band.qx[71] == q0[71]
    assert fwd.qx[40] == q0[45] and fwd.qx[101] == 1.0
    assert back.omega == 107 and back.qx[50] == q0[48]
    # a set-forward of k years values a life aged x as one aged x + k
    assert fwd.annuity_due(50, 0.03) == pytest.approx(t.annuity_due(55, 0.03), rel=1e-12)
    by_series = t.multiply(pd.Series([2.0, 3.0], index=[70, 71]))
    assert by_series.qx[70] == pytest.approx(2 * q0[70]) and by_series.qx[71] == pytest.approx(3 * q0[71])
    assert by_series.qx[72] == q0[72]


def test_improve_cohort_table():
    t = LifeTable.china_2010_2013("CL2")
    c = t.improve(0.015, birth_year=1970, base_year=2012)
    for x in (0, 42, 60, 90):
        assert c.qx[x] == pytest.approx(t.qx[x] * 0.985 ** (1970 + x - 2012), rel=1e-13)
    assert c.qx[105] == 1.0
    scale = pd.Series(np.linspace(0.02, 0.0, 106), index=range(106))
    c2 = t.improve(scale, 1990, 2012)
    assert c2.qx[70] == pytest.approx(t.qx[70] * (1 - scale[70]) ** 48, rel=1e-13)
    assert c.annuity_due(60, 0.03) > t.annuity_due(60, 0.03)  # lighter mortality after 2012


def test_blend_endpoints():
    a, b = LifeTable.china_2010_2013("CL1"), LifeTable.china_2010_2013("CL2")
    np.testing.assert_array_equal(a.blend(b, 0.0).qx.to_numpy(), a.qx.to_numpy())
    np.testing.assert_array_equal(a.blend(b, 1.0).qx.to_numpy(), b.qx.to_numpy())


# ---- properties ------------------------------------------------------------------------------------
@settings(max_examples=60, deadline=None)
@given(
    x=st.integers(0, 105),
    i1=st.floats(-0.05, 0.2),
    di=st.floats(1e-4, 0.1),
    m=st.sampled_from([1, 2, 4, 12]),
    fractional=st.sampled_from(["udd", "woolhouse", "woolhouse3"]),
)
def test_annuity_decreases_with_rate(x, i1, di, m, fractional):
    t = LifeTable.china_2010_2013("CL5")
    if fractional != "udd" and x == 105:
        return  # Woolhouse at the terminal age is an approximation without monotone guarantee
    assert (
        t.annuity_due(x, i1 + di, m=m, fractional=fractional)
        <= t.annuity_due(x, i1, m=m, fractional=fractional) + 1e-12
    )


@settings(max_examples=60, deadline=None)
@given(load=st.floats(1.0, 8.0), x=st.integers(12, 104), i=st.floats(0.0, 0.1))
def test_annuity_decreases_with_age_on_loaded_table(load, x, i):
    t = LifeTable.china_2010_2013("CL1").multiply(load)
    assert t.annuity_due(x + 1, i) <= t.annuity_due(x, i) + 1e-12
    assert t.annuity_due(x, i) <= LifeTable.china_2010_2013("CL1").annuity_due(x, i) + 1e-12  # heavier: less


@settings(max_examples=40, deadline=None)
@given(name=st.sampled_from(list(wifund.life.CHINA_2010_2013)))
def test_multiply_by_one_is_identity(name):
    t = LifeTable.china_2010_2013(name)
    np.testing.assert_array_equal(t.multiply(1.0).qx.to_numpy(), t.qx.to_numpy())
    np.testing.assert_array_equal(t.multiply(np.ones(len(t))).qx.to_numpy(), t.qx.to_numpy())


@settings(max_examples=60, deadline=None)
@given(w=st.floats(0.0, 1.0), x=st.integers(0, 104))
def test_blend_weights(w, x):
    a, b = LifeTable.china_2010_2013("CL1"), LifeTable.china_2010_2013("CL5")
    q = a.blend(b, w).qx[x]
    assert q == pytest.approx((1 - w) * a.qx[x] + w * b.qx[x], rel=1e-14, abs=1e-18)
    assert min(a.qx[x], b.qx[x]) - 1e-18 <= q <= max(a.qx[x], b.qx[x]) + 1e-18


# ---- model points ---------------------------------------------------------------------------------
def numpy_model_points(qx, age, term, s, i, within):
    months = 12 * int(term.max())
    t = np.arange(months)
    a = np.minimum(age[:, None] + t // 12, len(qx) - 1)
    q = qx[a]
    if within == "constant_force":
        qm = 1 - (1 - q) ** (1 / 12)
    else:
        j = t % 12
        qm = (q / 12) / (1 - j * q / 12)
    alive = t[None, :] < 12 * term[:, None]
    p = np.concatenate([np.ones((len(age), 1)), np.cumprod(1 - qm, axis=1)[:, :-1]], axis=1)
    v = (1 + i) ** (-t / 12)
    return (v * p * alive).sum(1), s * ((1 + i) ** (-(t + 1) / 12) * p * qm * alive).sum(1)


@pytest.mark.parametrize("within", ["constant_force", "udd"])
def test_model_points_match_numpy(within):
    rng = np.random.default_rng(7)
    age = rng.integers(18, 90, 300)
    term = rng.integers(0, 21, 300)
    s = rng.uniform(1e4, 1e6, 300)
    t = LifeTable.china_2010_2013("CL1")
    got = wifund.life.model_points(t, age, term, s, 0.03, within_year=within)
    ra, rc = numpy_model_points(t.qx.to_numpy(), age, term, s, 0.03, within)
    np.testing.assert_allclose(got["pv_annuity"], ra, rtol=1e-9)
    np.testing.assert_allclose(got["pv_claims"], rc, rtol=1e-9)
    pa, pc = _core.life.life_model_points(t.core, age, term, s, 0.03, within, 2, False)  # month by month
    np.testing.assert_allclose(pa, ra, rtol=1e-9)
    np.testing.assert_allclose(pc, rc, rtol=1e-9)
    assert (got.loc[term == 0, "net_premium"] == 0).all()


# ---- Python protocol and the engine's constructor -------------------------------------------------
def test_pickle_repr_html_and_engine_table():
    t = LifeTable.china_2010_2013("CL5").multiply(1.2, ages=range(50, 60))
    u = pickle.loads(pickle.dumps(t))
    assert u == t and u.name == t.name and u.annuity_due(55, 0.03) == t.annuity_due(55, 0.03)
    assert "CL5" in repr(t) and "ages 0-105" in repr(t)
    assert "<table>" in t._repr_html_()
    core = _core.life.LifeTable("CL5", 0, cl_qx("CL5").tolist())  # the engine's constructor, unchanged
    assert core.annuity_due(60, 0.035) == pytest.approx(LifeTable(core).annuity_due(60, 0.035), rel=1e-14)
    assert pickle.loads(pickle.dumps(core)).qx.tolist() == core.qx.tolist()
    frame = LifeTable.china_2010_2013("CL1").to_frame()
    assert list(frame.columns) == ["qx", "lx", "ex", "ex_complete"] and frame.index.name == "age"


def test_from_qx_series_sets_start_age():
    s = pd.Series([0.1, 0.2, 1.0], index=[60, 61, 62])
    t = LifeTable.from_qx(s, name="small")
    assert (t.start_age, t.omega) == (60, 62)
    assert t.annuity_due(60, 0.0) == pytest.approx(1 + 0.9 + 0.9 * 0.8)
