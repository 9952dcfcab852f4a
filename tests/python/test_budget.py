"""wifund.budget: golden cases worked by hand, identities under hypothesis (issue #10 items 2-5)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wifund
from wifund import budget as B

P = B.PROVINCE


def long_budget(rows):
    return pd.DataFrame(rows, columns=["city", "year", "line", "value"])


def actual_rows(city, year, line, values):
    return [(city, year, m, line, float(v)) for m, v in enumerate(values, start=1)]


def actual_frame(rows):
    return pd.DataFrame(rows, columns=["city", "year", "month", "line", "value"])


# ------------------------------------------------------------------------------------ execution table
def _two_city_case():
    bud = B.Budget.from_frame(
        long_budget(
            [
                ("A", 2025, "contributions", 1200.0),
                ("B", 2025, "contributions", 600.0),
                ("A", 2025, "medical", 900.0),
                ("B", 2025, "medical", 300.0),
            ]
        )
    )
    rows = (
        actual_rows("A", 2025, "contributions", [100] * 5 + [124])
        + actual_rows("B", 2025, "contributions", [40] * 6)
        + actual_rows("A", 2024, "contributions", [90] * 12)
        + actual_rows("B", 2024, "contributions", [50] * 12)
        + actual_rows("A", 2025, "medical", [75] * 6)
        + actual_rows("B", 2025, "medical", [30] * 6)
        + actual_rows("A", 2024, "medical", [60] * 6 + [80] * 6)
        + actual_rows("B", 2024, "medical", [20] * 12)
    )
    return bud, actual_frame(rows)


def test_execution_table_by_hand():
    bud, act = _two_city_case()
    t = B.monitor(bud, act, as_of=6)
    a, b, p = t.loc[("A", "contributions")], t.loc[("B", "contributions")], t.loc[(P, "contributions")]
    # A: 5 x 100 + 124 = 624 against 1,200; phased evenly, 600 to date.
    assert a.cumulative_actual == 624 and a.period_actual == 124
    assert a.progress == pytest.approx(624 / 1200) and a.time_progress == 0.5
    assert a.gap_to_time == pytest.approx(0.52 - 0.5)
    assert a.deviation == pytest.approx((624 - 600) / 600) and a.warning == "green"  # 4 %
    assert a.same_period_last_year == 540 and a.yoy_growth == pytest.approx(624 / 540 - 1)
    assert a.outturn == pytest.approx(624 * 1080 / 540)  # last year: half the year by June
    # B: 240 against 600: progress 40 %, deviation -20 % -> red.
    assert b.progress == pytest.approx(0.4) and b.deviation == pytest.approx(-0.2) and b.warning == "red"
    assert b.yoy_growth == pytest.approx(240 / 300 - 1)
    # Province: 864 / 1,800.
    assert p.cumulative_actual == 864 and p.progress == pytest.approx(864 / 1800)
    assert p.outturn == pytest.approx(1248 + 480)
    # Medical in A: last year 6 x 60 of 840 by June, so the outturn is 450 x 840 / 360.
    assert t.loc[("A", "medical")].outturn == pytest.approx(450 * 840 / 360)
    # Totals: revenue = contributions; expenditure = medical.
    assert t.loc[("A", "revenue")].cumulative_actual == 624
    assert t.loc[(P, "expenditure")].adjusted_budget == 1200
    assert list(t.index.get_level_values(0).unique()) == [P, "A", "B"]
    assert list(t.loc["A"].index) == ["contributions", "revenue", "medical", "expenditure"]


def test_adjustment_appears_beside_its_figure():
    bud, act = _two_city_case()
    adj = bud.adjust("contributions", "A", amount=-120.0, reason="relief for flood-hit firms", author="Li")
    t = B.monitor(adj, act, as_of=6)
    row = t.loc[("A", "contributions")]
    assert row.annual_budget == 1200 and row.adjusted_budget == 1080 and row.adjustment == -120
    assert "relief for flood-hit firms (Li)" in row.adjustment_note
    assert "relief for flood-hit firms" in t.loc[(P, "contributions")].adjustment_note
    assert t.loc[("B", "contributions")].adjustment_note == ""
    assert row.progress == pytest.approx(624 / 1080)
    assert bud.adjusted.loc["A", "contributions"] == 1200  # the original budget is unchanged
    assert len(adj.adjustment_table()) == 1 and "Li" in adj._repr_html_()


def test_zero_budget_rate_is_a_note_not_a_silent_nan():
    bud = B.Budget.from_frame(long_budget([("A", 2025, "contributions", 1200.0), ("A", 2025, "fiscal_subsidy", 0.0)]))
    act = actual_frame(
        actual_rows("A", 2025, "contributions", [100] * 3) + actual_rows("A", 2025, "fiscal_subsidy", [5, 0, 0])
    )
    t = B.monitor(bud, act, as_of=3)
    row = t.loc[("A", "fiscal_subsidy")]
    assert np.isnan(row.progress) and "adjusted budget is 0: progress undefined" in row.note
    assert "no figures for 2024" in row.note and row.warning == "n/a"
    assert row.outturn == pytest.approx(20.0) and row.outturn_method == "even months"
    # every NaN in a rate column has a note
    for c in ("progress", "deviation", "yoy_growth", "outturn_deviation"):
        assert (t["note"][t[c].isna()] != "").all()


def test_payment_ladder_levels():
    rows = []
    for y in (2024, 2025):
        for m in range(1, 13 if y == 2024 else 7):
            rows += [("A", y, m, "contributions", 100.0), ("A", y, m, "medical", 90.0)]
    act = actual_frame(rows)
    lad = B.payment_ladder(act, 2025, 6, opening_balance=1200.0)
    # balance 1,200 + 6 x 10 = 1,260; expenditure over 12 months 1,080 -> 14 months.
    assert lad["months_of_payment"].iloc[0] == pytest.approx(1260 / 90) and lad["level"].iloc[0] == "green"
    assert B.payment_ladder(act, 2025, 6, 900.0)["level"].iloc[0] == "yellow"  # 960/90 = 10.7
    assert B.payment_ladder(act, 2025, 6, 600.0)["level"].iloc[0] == "orange"  # 7.3
    assert B.payment_ladder(act, 2025, 6, 400.0)["level"].iloc[0] == "red"  # 5.1
    strict = B.PaymentLadder(green=20, yellow=16, orange=15, red_projected=1)
    assert B.payment_ladder(act, 2025, 6, 1200.0, strict)["level"].iloc[0] == "red"
    deficit = act.assign(value=np.where(act.line == "medical", 110.0, 100.0))
    lad = B.payment_ladder(deficit, 2025, 6, 3000.0)
    assert lad["deficit_quarters"].iloc[0] >= 2 and lad["level"].iloc[0] == "yellow"
    bud = B.Budget.from_frame(long_budget([("A", 2025, "contributions", 1200.0), ("A", 2025, "medical", 1080.0)]))
    t = B.monitor(bud, act, 6, opening_balance=400.0)
    assert t.attrs["payment_level"] == "red" and "months" in t.attrs["payment_reasons"]


# ------------------------------------------------------------------------------------ decomposition
def _inputs():
    cols = ["city", "insured", "wage", "base_rate", "phased_cut", "float_factor", "relief", "collection_rate"]
    b = pd.DataFrame(
        [("X", 1000, 5000, 0.01, 0.5, 1.0, 0.0, 1.0), ("Y", 2000, 4000, 0.005, 0.0, 1.2, 0.1, 0.95)], columns=cols
    )
    a = pd.DataFrame(
        [("X", 1100, 5000, 0.01, 0.0, 1.0, 0.0, 1.0), ("Y", 2000, 4000, 0.005, 0.0, 1.2, 0.1, 0.90)], columns=cols
    )
    return b, a


def test_decomposition_two_cities_by_hand():
    b, a = _inputs()
    d = B.decompose(b, a)
    x = d.loc["X"]
    # V0 = 1000 x 5000 x 12 x 1 % x 50 % = 300,000; V1 = 1100 x 5000 x 12 x 1 % = 660,000.
    assert x.budget_revenue == pytest.approx(300_000) and x.actual_revenue == pytest.approx(660_000)
    # Shapley, two factors: insured = ((330k - 300k) + (660k - 600k)) / 2, cut = ((600k - 300k) + (660k - 330k)) / 2.
    assert x.insured == pytest.approx(45_000) and x.phased_cut == pytest.approx(315_000)
    assert x.policy == pytest.approx(315_000) and x.non_policy == pytest.approx(45_000)
    assert x.policy_shortfall == pytest.approx(-315_000)
    for f in ("wage", "base_rate", "float_factor", "relief", "collection_rate"):
        assert x[f] == 0
    y = d.loc["Y"]
    # Only the collection rate moves: 2000 x 4000 x 12 x 0.5 % x 1.2 x 0.9 x (0.90 - 0.95) = -25,920.
    assert y.difference == pytest.approx(-25_920) and y.collection_rate == pytest.approx(-25_920)
    assert d.loc[P, "difference"] == pytest.approx(360_000 - 25_920)
    lm = B.decompose(b, a, method="lmdi")
    assert lm.loc["Y", "collection_rate"] == pytest.approx(-25_920)  # one factor: both methods agree
    assert lm.loc["X", ["insured", "phased_cut"]].sum() == pytest.approx(360_000)


def test_decomposition_handles_zero_where_lmdi_cannot():
    b, a = _inputs()
    a.loc[a.city == "Y", "relief"] = 1.0  # a full relief: revenue 0
    d = B.decompose(b, a)
    assert d.loc["Y", "actual_revenue"] == 0
    assert d.loc["Y", B.DEFAULT_FACTORS.keys()].sum() == pytest.approx(d.loc["Y", "difference"])
    with pytest.raises(ValueError, match="relief for city 'Y' = 1.0"):
        B.decompose(b, a, method="lmdi")


_factor = st.floats(0.05, 5.0)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 8).flatmap(
        lambda k: st.tuples(
            st.lists(st.lists(_factor, min_size=k, max_size=k), min_size=1, max_size=4),
            st.lists(st.lists(_factor, min_size=k, max_size=k), min_size=1, max_size=4),
            st.randoms(),
        )
    )
)
def test_decomposition_exact_and_order_independent(data):
    x0, x1, rnd = data
    n = min(len(x0), len(x1))
    k = len(x0[0])
    names = [f"f{i}" for i in range(k)]
    fac = {nm: ("policy" if i % 2 else "non_policy") for i, nm in enumerate(names)}
    b = pd.DataFrame(x0[:n], columns=names).assign(city=[f"c{i}" for i in range(n)])
    a = pd.DataFrame(x1[:n], columns=names).assign(city=[f"c{i}" for i in range(n)])
    for method in ("shapley", "lmdi"):
        d = B.decompose(b, a, factors=fac, method=method).drop(index=P)  # the province row: a sum, checked below
        parts = d[names]
        tot = d["difference"]
        err = (parts.sum(axis=1) - tot).abs()
        # 1e-9 of the difference (or of its parts when they cancel); a difference below the values'
        # own precision (1e-12 of the revenue) cannot be split more finely than that.
        level = 1e-12 * (d["budget_revenue"].abs() + d["actual_revenue"].abs()) / 1e-9
        scale = np.maximum(np.maximum(tot.abs(), parts.abs().sum(axis=1)), level)
        assert (err <= 1e-9 * scale + 1e-300).all()
        assert ((d["policy"] + d["non_policy"] - tot).abs() <= 1e-9 * scale + 1e-300).all()
        perm = names[:]
        rnd.shuffle(perm)
        d2 = B.decompose(b, a, factors={nm: fac[nm] for nm in perm}, method=method).drop(index=P)
        np.testing.assert_allclose(
            d2[names].to_numpy(), parts.to_numpy(), rtol=1e-12, atol=1e-12 * float(tot.abs().max())
        )


# ------------------------------------------------------------------------------------ sharing
def _share_frame(rows):
    return pd.DataFrame(
        rows,
        columns=[
            "city",
            "budget_contributions",
            "actual_contributions",
            "policy_effect",
            "expansion_loss",
            "irregular_spending",
        ],
    )


def test_ningxia_four_cities_by_hand():
    f = _share_frame(
        [
            ("A", 1000, 900, 60, 10, 5),  # 1000 - 900 - 60 = 40, + 15 -> 55
            ("B", 800, 820, 0, 0, 0),  # over-completion -> 0
            ("C", 500, 400, 150, 20, 0),  # policy explains more than the gap -> 0 + 20
            ("D", 1200, 1000, 50, 0, 30),
        ]
    )  # 150 + 30 -> 180
    s = B.share_shortfall(f, rule="ningxia")
    assert s["share"].tolist() == [55, 0, 20, 180]
    assert s["gap"].tolist() == [40, -20, -50, 150]
    assert (s["province_part"] == 0).all() and s["rule"].iloc[0] == "ningxia"
    assert "118号" in B.RULES["ningxia"].source


def _anhui(rows):
    f = _share_frame([(c, bc, ac, 0.0, 0.0, irr) for c, bc, ac, _, _, irr in rows])
    f["budget_expenditure"] = [r[3] for r in rows]
    f["actual_expenditure"] = [r[4] for r in rows]
    return f


def test_anhui_each_band_by_hand():
    # city, budget contributions, actual contributions, budget expenditure, actual expenditure, irregular
    f = _anhui(
        [
            ("within", 1000, 1000, 1000, 1030, 0),  # surplus budget (0 gap): 10 % of 30 = 3
            ("band1", 1000, 1000, 1000, 1080, 0),  # 10 % of 50 + 40 % of 30 = 17
            ("band2", 1000, 1000, 1000, 1150, 7),  # 10 % of 50 + 40 % of 50 + 60 % of 50 = 55; + 7 irregular
            ("deficit", 900, 850, 1000, 1000, 0),  # budgeted gap 100, final 150 <= 100 + 50: 20 % -> 30
            ("deficit2", 900, 770, 1000, 1000, 0),
        ]
    )  # final 230: 20 % of 150 + 40 % of 50 + 60 % of 30 = 68
    s = B.share_shortfall(f, rule="anhui").set_index("city")
    assert s["share"].to_dict() == pytest.approx({"within": 3, "band1": 17, "band2": 62, "deficit": 30, "deficit2": 68})
    assert s["band"].tolist() == [0, 1, 2, 0, 2]
    assert s.loc["band2", "management_local"] == 7
    assert (s["share"] + s["province_part"] - s["gap"].clip(lower=0) - s["management_gap"]).abs().max() < 1e-9
    # the whole excess at the band reached (domain README §4.6 pseudo-code)
    w = B.share_shortfall(f, rule="anhui", band_mode="whole").set_index("city")
    assert w.loc["band1", "share"] == pytest.approx(0.4 * 80) and w.loc["within", "share"] == pytest.approx(3)


def test_user_rules_without_and_with_code():
    f = _share_frame([("A", 1000, 900, 0, 0, 0), ("B", 1000, 1100, 0, 0, 0)])
    s = B.share_shortfall(f, rule="ningxia", local_surplus=0.5, reward=0.2, cap=0.03).set_index("city")
    assert s.loc["A", "share"] == pytest.approx(30)  # 50 % of 100, capped at 3 % of 1000
    assert s.loc["B", "share"] == pytest.approx(-20)  # 20 % of the 100 over-completion returned
    rule = B.SharingRule(name="banded", bands=(0.05,), band_local=(1.0,), local_surplus=0.0)
    assert B.share_shortfall(f, rule=rule).set_index("city").loc["A", "share"] == pytest.approx(50)
    c = B.share_shortfall(f, rule=lambda df: (df.budget_contributions - df.actual_contributions).clip(lower=0) / 2)
    assert c["share"].tolist() == [50, 0] and c["rule"].iloc[0] == "<lambda>"


money = st.floats(0, 1e9, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(1, 1e9), money, st.floats(-1e8, 1e8), money, money, st.floats(1, 1e9), money),
        min_size=1,
        max_size=8,
    ),
    st.sampled_from(["ningxia", "anhui"]),
)
def test_shares_reconcile_with_the_provincial_total(rows, rule):
    f = _share_frame([(f"c{i}",) + r[:5] for i, r in enumerate(rows)])
    f["budget_expenditure"] = [r[5] for r in rows]
    f["actual_expenditure"] = [r[6] for r in rows]
    s = B.share_shortfall(f, rule=rule)
    total = (s["gap"].clip(lower=0) + s["management_gap"]).sum()
    assert s["share"].sum() + s["province_part"].sum() == pytest.approx(total, rel=1e-12, abs=1e-6)
    assert (s["gap_local"] >= -1e-9).all() and (s["gap_local"] <= s["gap"].clip(lower=0) + 1e-6).all()
    if rule == "ningxia":
        expect = (
            (f.budget_contributions - f.actual_contributions - f.policy_effect).clip(lower=0)
            + f.expansion_loss
            + f.irregular_spending
        )
        np.testing.assert_allclose(s["share"], expect, rtol=1e-12, atol=1e-6)


# ------------------------------------------------------------------------------------ identities
@settings(max_examples=30, deadline=None)
@given(st.integers(1, 4), st.integers(1, 12), st.integers(0, 3), st.integers(0, 2**31 - 1))
def test_province_row_is_the_sum_of_its_cities(n_cities, as_of, n_hist, seed):
    rng = np.random.default_rng(seed)
    cities = [f"c{i}" for i in range(n_cities)]
    lines = ["contributions", "interest", "medical", "appraisal", "transfer_out"]
    bud = B.Budget.from_frame(long_budget([(c, 2025, ln, float(rng.uniform(0, 1e6))) for c in cities for ln in lines]))
    rows = []
    for y in range(2025 - n_hist, 2026):
        for c in cities:
            for m in range(1, 13 if y < 2025 else as_of + 1):
                rows += [(c, y, m, ln, float(rng.uniform(0, 1e5))) for ln in lines if rng.random() > 0.1]
    act = actual_frame(rows)
    # every city reports every month (a row of 0 where the draw left one out)
    act = pd.concat(
        [
            act,
            actual_frame(
                [
                    (c, y, m, "other_income", 0.0)
                    for c in cities
                    for y in range(2025 - n_hist, 2026)
                    for m in range(1, 13 if y < 2025 else as_of + 1)
                ]
            ),
        ]
    )
    t = B.monitor(bud, act, as_of)
    amounts = ["annual_budget", "adjusted_budget", "period_actual", "cumulative_actual", "budget_to_date", "outturn"]
    prov = t.loc[P, amounts]
    sums = t.drop(index=P, level=0)[amounts].groupby(level="line", sort=False).sum()
    pd.testing.assert_frame_equal(prov, sums.loc[prov.index], rtol=1e-12, check_names=False)
    if n_hist:
        np.testing.assert_allclose(
            t.loc[P, "same_period_last_year"],
            t.drop(index=P, level=0)["same_period_last_year"].groupby(level="line", sort=False).sum().loc[prov.index],
            rtol=1e-12,
        )
    rev = [ln for ln in B.line_items()[0] if (cities[0], ln) in t.index]
    np.testing.assert_allclose(
        t.loc[(cities[0], "revenue"), "cumulative_actual"],
        t.loc[[(cities[0], ln) for ln in rev], "cumulative_actual"].sum(),
        rtol=1e-12,
    )
    assert (t["outturn_low"] <= t["outturn"] * (1 + 1e-12) + 1e-6).all()
    assert (t["outturn"] <= t["outturn_high"] * (1 + 1e-12) + 1e-6).all()
    if as_of == 12:
        np.testing.assert_allclose(t["outturn"], t["cumulative_actual"], rtol=1e-12, atol=1e-6)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0.001, 1.0), min_size=12, max_size=12), st.floats(0, 1e10))
def test_monthly_phasing_sums_to_the_annual_figure(weights, annual):
    w = np.asarray(weights) / np.sum(weights)
    w[-1] = 1.0 - w[:-1].sum()
    bud = B.Budget.from_frame(
        long_budget([("A", 2025, "contributions", annual), ("A", 2025, "medical", annual / 3)]),
        pattern={"contributions": w.tolist()},
    )
    m = bud.monthly()
    tot = m.groupby("line")["value"].sum()
    assert tot["contributions"] == pytest.approx(annual, rel=1e-12, abs=1e-6)
    assert tot["medical"] == pytest.approx(annual / 3, rel=1e-12, abs=1e-6)
    assert np.allclose(m[m.line == "medical"]["value"], annual / 36)
    back = B.Budget.from_frame(m.drop(columns=[]))
    np.testing.assert_allclose(back.annual.to_numpy(), bud.annual.to_numpy(), rtol=1e-12)


# ------------------------------------------------------------------------------------ assessment
def test_assess_scores_ranks_and_reasons():
    f = pd.DataFrame(
        {
            "city": ["A", "B", "C"],
            "budget_contributions": [100.0, 100.0, 100.0],
            "actual_contributions": [100.0, 95.0, 88.0],
            "contributions_due": [100.0, 100.0, 100.0],
            "contributions_collected": [99.0, 95.0, 90.0],
            "prevention_cap": [3.0, 3.0, 3.0],
            "prevention_spending": [2.0, 3.3, 3.0],
            "benefits_on_time": [1.0, np.nan, 0.97],
        }
    )
    s = B.assess(f)
    # A: deviation 0 -> 100; completion 1.0 -> 100; collection 0.99 -> 90; prevention within cap -> 100; on time 100.
    w = {
        "deviation_rate": 10,
        "revenue_completion": 15,
        "collection_rate": 10,
        "prevention_use": 15,
        "benefits_on_time": 15,
    }
    assert s.loc["A", "collection_rate_score"] == pytest.approx(90)
    assert s.loc["A", "score"] == pytest.approx((10 * 100 + 15 * 100 + 10 * 90 + 15 * 100 + 15 * 100) / 65)
    # B: deviation 5 % -> 50; completion 0.95 -> 50; collection 0.95 -> 50; prevention 1.1 -> 50; no on-time data.
    assert s.loc["B", "score"] == pytest.approx(50.0) and "no data: benefits_on_time" in s.loc["B", "reason"]
    assert s["rank"].tolist() == [1, 2, 3]
    assert s.loc["C", "score"] == pytest.approx((15 * 100 + 15 * 40) / 65)  # only prevention and on-time score
    assert "weakest" in s.loc["C", "reason"]
    s2 = B.assess(f, weights={"collection_rate": 0}, curves={"revenue_completion": (0.8, 1.0)})
    assert "collection_rate" not in s2.columns and s2.loc["C", "revenue_completion_score"] == pytest.approx(40)
    assert set(s.attrs["weights"]) == set(w)


def test_exported_and_line_items_from_one_place():
    assert wifund.budget is B
    rev, exp = B.line_items()
    assert rev[0] == "contributions" and exp[-2:] == ["transfer_out", "other_expenditure"]
    assert "prevention" in exp and "revenue" not in rev + exp
