"""Experience rating (wifund.ratesetting.float_tiers, issue #13 item 4): golden tests of every bundled schedule at
and around each threshold, with the expected tier written out from the schedule's text (review-2026-12.md §9,
domain README §2.3), and the rules around the grid (new employers, class 1, the class-1 floor, blocking flags,
step limits, benefits with no contributions, the revenue effect)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wifund import ratesetting as R

C = 1000.0  # contributions over the window of every hand-made employer (yuan)


def _frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    base = {
        "risk_class": 3,
        "city": "A",
        "contributions": C,
        "benefits": 0.0,
        "injuries": 0.0,
        "insured": 1000.0,
        "years_insured": 5.0,
    }
    f = pd.DataFrame([{"employer": f"e{i}", **base, **r} for i, r in enumerate(rows)])
    for col in ("zero_previous_cycle", "arrears", "mass_accident"):  # flags a row leaves out are not set
        if col in f:
            f[col] = f[col].astype(object).where(f[col].notna(), False).astype(bool)
    if "current_multiplier" in f:
        f["current_multiplier"] = f["current_multiplier"].fillna(1.0)
    return f


def _tiers(schedule: str, cases: list[tuple[float, float, float]]) -> None:
    """cases: (benefits, injuries per 1000 insured, expected multiplier)."""
    rows = [{"benefits": b, "injuries": inj} for b, inj, _ in cases]
    got = R.float_tiers(_frame(rows), schedule).employers
    expected = [m for _, _, m in cases]
    assert got["multiplier"].tolist() == pytest.approx(expected, rel=0, abs=1e-12), list(zip(cases, got["multiplier"]))
    assert got["rate"].to_numpy() == pytest.approx(0.007 * np.array(expected), rel=1e-12)  # class 3 base 0.7 %


def test_bundled_schedules_are_listed_and_load() -> None:
    assert {"national_71", "jiangsu", "huainan", "shenzhen", "henan"} <= set(R.schedules())
    for name in R.schedules():
        s = R.load_schedule(name)
        assert s.ladder[s.base_tier] == 1.0 and s.source


def test_national_frame_example_a_thresholds() -> None:
    # ≤10 % → 50 %; (10, 50] → 80 %; (50, 100] → 100 %; (100, 120] → 120 %; > 120 % → 150 %
    _tiers(
        "national_71",
        [
            (0.0, 0, 0.5),
            (99.99, 0, 0.5),
            (100.0, 0, 0.5),
            (100.01, 0, 0.8),
            (500.0, 0, 0.8),
            (500.01, 0, 1.0),
            (1000.0, 0, 1.0),
            (1000.01, 0, 1.2),
            (1200.0, 0, 1.2),
            (1200.01, 0, 1.5),
            (5000.0, 99, 1.5),
        ],
    )


def test_huainan_thresholds_closed_on_the_left() -> None:
    # < 20 % → 50 %; 20-60 % → 80 %; 60-80 % → 100 %; 80-120 % → 120 %; ≥ 120 % → 150 %
    _tiers(
        "huainan",
        [
            (199.99, 0, 0.5),
            (200.0, 0, 0.8),
            (599.99, 0, 0.8),
            (600.0, 0, 1.0),
            (799.99, 0, 1.0),
            (800.0, 0, 1.2),
            (1199.99, 0, 1.2),
            (1200.0, 0, 1.5),
        ],
    )


def test_jiangsu_ratio_or_incidence() -> None:
    # both 0 → 80 %; ratio in (50 %, 100 %] or incidence in (1 %, 3 %] → 120 %; ratio > 100 % or incidence > 3 %
    # → 150 %; otherwise 100 % (incidence = injuries / 1000 insured)
    _tiers(
        "jiangsu",
        [
            (0.0, 0, 0.8),
            (0.01, 0, 1.0),
            (0.0, 1, 1.0),
            (500.0, 0, 1.0),
            (500.01, 0, 1.2),
            (1000.0, 0, 1.2),
            (1000.01, 0, 1.5),
            (0.0, 10, 1.0),
            (0.0, 11, 1.2),
            (0.0, 30, 1.2),
            (0.0, 31, 1.5),
            (500.0, 10, 1.0),
            (600.0, 31, 1.5),
            (1500.0, 11, 1.5),
        ],
    )


def test_shenzhen_two_dimensional() -> None:
    # ≤ 10 % → 50 %; 10-30 % → 80 %; 30-100 % → 100 % (120 % above 2.0 ‰); 100-150 % → 120 %; > 150 % → 150 %
    # (the last band is the stated assumption of shenzhen.toml). 2 injuries per 1000 = 2.0 ‰ exactly.
    _tiers(
        "shenzhen",
        [
            (100.0, 0, 0.5),
            (100.0, 3, 0.5),
            (100.01, 0, 0.8),
            (300.0, 3, 0.8),
            (300.01, 0, 1.0),
            (300.01, 2, 1.0),
            (300.01, 3, 1.2),
            (1000.0, 2, 1.0),
            (1000.0, 3, 1.2),
            (1000.01, 0, 1.2),
            (1500.0, 0, 1.2),
            (1500.01, 0, 1.5),
        ],
    )


def test_henan_uses_the_national_cut_points_over_two_years() -> None:
    _tiers("henan", [(100.0, 0, 0.5), (100.01, 0, 0.8), (1200.01, 0, 1.5)])
    assert R.load_schedule("henan").window_years == 2


def test_jiangsu_zero_in_two_cycles_is_50_percent_and_new_employers_do_not_float() -> None:
    f = _frame(
        [
            {"zero_previous_cycle": True},
            {"zero_previous_cycle": False},
            {"zero_previous_cycle": True, "benefits": 1.0},  # not zero now: grid cell (0, 50 %] → 100 %
            {"years_insured": 1.99, "benefits": 5000.0},  # insured < 2 years: no float
            {"years_insured": 2.0, "benefits": 5000.0},
        ]
    )
    e = R.float_tiers(f, "jiangsu").employers
    assert e["multiplier"].tolist() == [0.5, 0.8, 1.0, 1.0, 1.5]
    assert e["reason"].tolist() == ["experience", "experience", "experience", "new_employer", "experience"]


def test_class_1_floats_up_only() -> None:
    f = _frame([{"risk_class": 1}, {"risk_class": 1, "benefits": 5000.0}, {"risk_class": 2}])
    for name in R.schedules():
        e = R.float_tiers(f, name).employers
        assert e["multiplier"].tolist() == [1.0, 1.5, 0.5 if name != "jiangsu" else 0.8], name
        assert e["reason"][0] == "class1_up_only"
        assert e["rate"][0] == pytest.approx(0.002, rel=1e-15)


def test_never_below_the_class_1_base() -> None:
    # with Chongqing-like base rates 0.3 / 0.5 / ... a class-2 employer at 50 % would pay 0.25 % < 0.3 %:
    # the rate is raised to the class-1 base and the multiplier is 0.3 / 0.5 = 0.6
    rates = [0.003, 0.005, 0.009, 0.011, 0.013, 0.016, 0.019, 0.022]
    e = R.float_tiers(_frame([{"risk_class": 2}, {"risk_class": 3}]), "national_71", base_rates=rates).employers
    assert e["rate"].tolist() == pytest.approx([0.003, 0.0045], rel=1e-15)
    assert e["multiplier"].tolist() == pytest.approx([0.6, 0.5], rel=1e-15)
    assert e["reason"].tolist() == ["class1_floor", "experience"]


def test_henan_blocking_flags_forbid_downward_floats_only() -> None:
    f = _frame(
        [
            {"mass_accident": True},
            {"arrears": 1},
            {"arrears": 1, "mass_accident": True},
            {"arrears": 1, "benefits": 5000.0},  # upward floats are not blocked
            {},
        ]
    )
    e = R.float_tiers(f, "henan").employers
    assert e["multiplier"].tolist() == [1.0, 1.0, 1.0, 1.5, 0.5]
    assert e["reason"].tolist() == [
        "blocked:mass_accident",
        "blocked:arrears",
        "blocked:mass_accident",
        "experience",
        "experience",
    ]


def test_national_frame_moves_one_or_two_tiers_per_review() -> None:
    f = _frame(
        [
            {"current_multiplier": 1.5},  # ratio 0 → 50 %, four tiers down: limited to two → 100 %
            {"current_multiplier": 1.2},  # three down → 80 %
            {"current_multiplier": 0.8},  # one down → 50 %
            {"current_multiplier": 0.5, "benefits": 5000.0},  # four up → 100 %
        ]
    )
    e = R.float_tiers(f, "national_71").employers
    assert e["multiplier"].tolist() == [1.0, 0.8, 0.5, 1.0]
    assert e["reason"].tolist() == ["step_limit", "step_limit", "experience", "step_limit"]


def test_benefits_without_contributions_follow_the_schedule_rule() -> None:
    f = _frame([{"contributions": 0.0, "benefits": 10.0}, {"contributions": 0.0, "benefits": 0.0}])
    e = R.float_tiers(f, "national_71").employers  # "top": an infinite ratio
    assert e["multiplier"].tolist() == [1.5, 0.5]
    assert e["reason"].tolist() == ["no_contributions", "experience"]
    assert np.isinf(e["claims_ratio"][0]) and e["claims_ratio"][1] == 0.0
    d = R._as_dict(R.load_schedule("national_71"))
    e = R.float_tiers(f, {**d, "no_contributions": "base"}).employers
    assert e["multiplier"].tolist() == [1.0, 0.5]
    with pytest.raises(ValueError, match="e0.*支缴率 is undefined"):
        R.float_tiers(f, {**d, "no_contributions": "error"})


def test_revenue_effect_by_city_and_class_by_hand() -> None:
    f = _frame(
        [
            {"city": "A", "risk_class": 3, "contributions": 1000.0, "benefits": 0.0},  # 50 %: 1000 → 500
            {"city": "A", "risk_class": 3, "contributions": 2000.0, "benefits": 3000.0},  # 150 %: 2000 → 3000
            {"city": "B", "risk_class": 5, "contributions": 400.0, "benefits": 400.0, "current_multiplier": 0.8},
        ]
    )
    res = R.float_tiers(f, "national_71")
    rev = res.revenue.set_index(["city", "risk_class"])
    assert rev.loc[("A", 3), "employers"] == 2
    assert rev.loc[("A", 3), "contributions"] == pytest.approx(3000.0)
    assert rev.loc[("A", 3), "new_contributions"] == pytest.approx(3500.0)
    # B: ratio 100 % → 100 %, paid at 80 % before: 400 / 0.8 × 1.0 = 500
    assert rev.loc[("B", 5), "new_contributions"] == pytest.approx(500.0)
    assert rev["revenue_effect"].sum() == pytest.approx(600.0)
    assert len(rev) == 2
    # the identity: sums by city and class equal the employer totals (1e-9 relative)
    e = res.employers
    assert rev["contributions"].sum() == pytest.approx(e["contributions"].sum(), rel=1e-9)


def test_parquet_input_and_categorical_city_give_the_same_result(tmp_path) -> None:
    rng = np.random.default_rng(5)
    n = 200
    f = pd.DataFrame(
        {
            "employer": np.arange(n),
            "risk_class": rng.integers(1, 9, n),
            "city": rng.choice(["X", "Y", "Z"], n),
            "contributions": rng.uniform(0, 1e5, n),
            "benefits": rng.uniform(0, 1.5e5, n) * (rng.random(n) < 0.5),
            "injuries": rng.integers(0, 5, n).astype(float),
            "insured": rng.integers(1, 500, n).astype(float),
            "years_insured": rng.uniform(0, 6, n),
        }
    )
    a = R.float_tiers(f, "shenzhen")
    p = tmp_path / "e.parquet"
    f.to_parquet(p)
    b = R.float_tiers(p, "shenzhen")
    g = f.assign(city=f["city"].astype("category"))
    c = R.float_tiers(g, "shenzhen")
    pd.testing.assert_series_equal(a.employers["rate"], b.employers["rate"])
    pd.testing.assert_series_equal(a.employers["rate"], c.employers["rate"])
    key = ["city", "risk_class"]
    ra = a.revenue.sort_values(key).reset_index(drop=True)
    rc = c.revenue.sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(ra, rc)


def test_user_schedule_as_data() -> None:
    mine = {
        "name": "mine",
        "ladder": [0.8, 1.0, 1.3],
        "base_rates": [0.01, 0.02],
        "grid": [0.8, 1.0, 1.3],
        "ratio": {"edges": [0.3, 0.9], "closed": "left"},
        "no_contributions": "base",
    }
    e = R.float_tiers(_frame([{"risk_class": 2, "benefits": b} for b in (299.0, 300.0, 900.0)]), mine).employers
    assert e["rate"].tolist() == pytest.approx([0.016, 0.02, 0.026], rel=1e-15)


def _jiangsu_by_text(cls: int, c: float, b: float, inj: float, ins: float, years: float, zero_prev: bool) -> float:
    """Jiangsu 苏人社规〔2023〕2号 as written (review-2026-12.md §9), one employer at a time."""
    if years < 2:
        return 1.0
    ratio = b / c if c > 0 else (math.inf if b > 0 else 0.0)
    inc = inj / ins if ins > 0 else 0.0
    if ratio == 0 and inc == 0:
        m = 0.5 if zero_prev else 0.8
    elif ratio > 1.0 or inc > 0.03:
        m = 1.5
    elif ratio > 0.5 or inc > 0.01:
        m = 1.2
    else:
        m = 1.0
    return max(m, 1.0) if cls == 1 else m


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(1, 8),
            st.sampled_from([0.0, 1.0, 1000.0, 12345.6]),
            st.sampled_from([0.0, 0.5, 500.0, 1000.0, 1000.01, 20000.0]),
            st.integers(0, 40),
            st.sampled_from([1.0, 1000.0]),
            st.sampled_from([0.5, 1.99, 2.0, 7.0]),
            st.booleans(),
            st.sampled_from(["X", "Y"]),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_jiangsu_agrees_with_the_text_and_revenue_adds_up(rows: list[tuple]) -> None:
    rows = [r for r in rows if not (r[3] > 0 and r[4] == 0)]
    if not rows:
        return
    f = pd.DataFrame(
        rows,
        columns=[
            "risk_class",
            "contributions",
            "benefits",
            "injuries",
            "insured",
            "years_insured",
            "zero_previous_cycle",
            "city",
        ],
    ).assign(employer=lambda d: np.arange(len(d)))
    res = R.float_tiers(f, "jiangsu")
    expected = [_jiangsu_by_text(r[0], r[1], r[2], r[3], r[4], r[5], r[6]) for r in rows]
    assert res.employers["multiplier"].tolist() == pytest.approx(expected, abs=1e-12)
    rev = res.revenue
    total = f["contributions"].sum()
    new = float((f["contributions"] * res.employers["multiplier"]).sum())
    assert rev["contributions"].sum() == pytest.approx(total, rel=1e-9, abs=1e-9)
    assert rev["new_contributions"].sum() == pytest.approx(new, rel=1e-9, abs=1e-9)
    assert rev["revenue_effect"].sum() == pytest.approx(new - total, rel=1e-9, abs=1e-6)
    assert rev["employers"].sum() == len(f)
