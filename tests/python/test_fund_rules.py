"""Fund rules of issue #9 items 5, 6 and the published average wage of item 8, worked by hand from the
regulations: the reserve on the expenditure base (人社部发〔2015〕72号 §6), the fiscal advance when the
balance would go negative (条例 Art. 13), the phased cut's take-up, part-year windows and stop
(人社部发〔2018〕25号 … 人社部发〔2023〕19号), the 以支定收 rate review (条例 Art. 8) and the published
provincial average wage as the benefit basis."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import wifund
from wifund import _bridge, _core
from wifund.policy import Policy

import badinput
from badinput import Case

REVIEW_ON = {"band_months": [9, 12], "first_year": 2026, "cycle_years": 2, "step": 0.1, "lag_years": 1}


def test_national_cut_ends_2024_by_19hao() -> None:
    p = Policy.load("national")
    assert p.at("2024-12-31")["contribution.phased_cut.active"] is True
    assert p.at("2025-01-01")["contribution.phased_cut.active"] is False
    assert p.at("2025-01-01").source("contribution.phased_cut.active") == "人社部发〔2023〕19号"
    assert p.at("2021-05-01").source("contribution.phased_cut.active") == "人社厅发〔2021〕2号"
    nx = Policy.load("ningxia")
    assert nx.at("2025-01-01")["contribution.phased_cut.active"] is False
    assert nx.at("2025-01-01")["contribution.float_downward_suspended"] is True
    assert "社会保险事业管理局 2025-05-21" in nx.at("2025-01-01").source("contribution.phased_cut.active")


def test_cut_window_by_month_with_take_up() -> None:
    # 2018-05-01 -> 2019-04-30: May..Dec of 2018 are inside (8/12). take-up 0.5, M = 30 -> tier -50%:
    # cut = 0.5 x 0.5 x 8/12 = 1/6 of the year's base-rate contributions; 2019 is inside all year.
    p = Policy.load("national").override({"contribution.phased_cut.take_up": 0.5})
    rule18, _ = _bridge.phased_cut_rule(p, 2018)
    assert rule18.active and rule18.year_share == pytest.approx(8 / 12, rel=1e-15)
    assert _core.policy.phased_cut(30.0, rule18) == pytest.approx(1 / 6, rel=1e-15)
    assert _core.policy.phased_cut(20.0, rule18) == pytest.approx(0.2 * 0.5 * 8 / 12, rel=1e-15)
    rule19, _ = _bridge.phased_cut_rule(p, 2019)
    assert rule19.year_share == 1.0
    assert _core.policy.phased_cut(30.0, rule19) == pytest.approx(0.25, rel=1e-15)
    rule25, _ = _bridge.phased_cut_rule(p, 2025)
    assert not rule25.active and _core.policy.phased_cut(30.0, rule25) == 0.0
    # A window ending 2026-06-30 (a city rule like Xi'an's to 2022-06-30): 6/12 of 2026.
    w = Policy.load("national").override(
        {"contribution.phased_cut.active": [{"from": "2026-01-01", "to": "2026-06-30", "value": True, "source": "t"}]}
    )
    rule26, _ = _bridge.phased_cut_rule(w, 2026)
    assert rule26.year_share == 0.5
    assert _core.policy.phased_cut(19.0, rule26) == pytest.approx(0.1, rel=1e-15)


def test_stop_months() -> None:
    # 停止下调 at 20 months: at 19 months the -20% tier is not applied; at 21 it is.
    p = Policy.load("national").override({"contribution.phased_cut.stop_months": 20})
    rule, _ = _bridge.phased_cut_rule(p, 2020)
    assert _core.policy.phased_cut(19.0, rule) == 0.0
    assert _core.policy.phased_cut(21.0, rule) == pytest.approx(0.2)


def _phased_province(demo: wifund.Province) -> wifund.Province:
    return wifund.Province(
        **{
            **demo.__dict__,
            "base_year": 2017,
            "fund": {**demo.fund, "opening_balance": 30 * demo.fund["base_expenditure"] / 12},
            "beneficiaries": demo.beneficiaries.assign(award_year=demo.beneficiaries.award_year.clip(upper=2017)),
        }
    )


def test_phased_cut_part_year_in_the_engine(demo: wifund.Province) -> None:
    # Base year 2017 with 30 months: 2018 carries 8/12 of the -50% cut, x take-up 0.5.
    p = Policy.load("national").override({"contribution.phased_cut.take_up": 0.5})
    proj = wifund.project(_phased_province(demo), p, years=3)
    assert proj.fund.loc[2018, "phased_cut"] == pytest.approx(0.5 * 0.5 * 8 / 12, rel=1e-15)
    full = wifund.project(
        _phased_province(demo), Policy.load("national").override({"contribution.phased_cut.active": False}), years=1
    )
    # Contributions are cut by exactly that share of the uncut contributions (rates x (1 - cut)).
    assert proj.fund.loc[2018, "contributions"] == pytest.approx(
        full.fund.loc[2018, "contributions"] * (1 - 1 / 6), rel=1e-12
    )


def test_rate_review_moves_outside_the_band_with_the_lag(demo: wifund.Province) -> None:
    off = wifund.project(demo, "jilin", years=10)
    on = wifund.project(demo, "jilin", years=10, rate_review=REVIEW_ON)
    m, months = on.fund["rate_multiplier"], on.fund["months_of_payment"]
    expected = 1.0
    for y in range(2025, 2035):
        if y >= 2027 and (y - 1 - 2026) % 2 == 0:  # the review of y - 1 is in force in y (lag 1)
            mp = months.loc[y - 2]  # the review of y - 1 looked at the year end y - 2
            expected += 0.1 if mp < 9 else -0.1 if mp > 12 else 0.0
            expected = min(max(expected, 0.5), 1.5)
        assert m.loc[y] == pytest.approx(expected, abs=1e-12), y
    assert (off.fund["rate_multiplier"] == 1.0).all()
    # Contributions scale with the multiplier in force (the cut is over after 2024).
    first = int(np.argmax(m.to_numpy() != 1.0))
    assert first > 0, "the demo leaves the band: the review moves the rate"
    # The summary sink carries the multiplier and the advance.
    s = _core.fund.project(on.context, on.scenario, "summary")
    np.testing.assert_array_equal(s["rate_multiplier"], on.raw["rate_multiplier"])
    np.testing.assert_array_equal(s["fiscal_advance"], on.raw["fiscal_advance"])


def test_reserve_on_expenditure_by_72hao(demo: wifund.Province) -> None:
    # Two years by hand from the engine's own expenditure: reserve_t = min(reserve_{t-1} + 10% x E_t,
    # 20% x E_t), never above the balance.
    proj = wifund.project(demo, "jilin", years=2)
    f = proj.fund
    r = demo.fund["opening_reserve"]
    for y in (2025, 2026):
        e = f.loc[y, "expenditure"] - f.loc[y, "advance_repayment"]
        r = min(min(r + 0.10 * e, 0.20 * e), max(f.loc[y, "closing"], 0.0))
        assert f.loc[y, "reserve"] == pytest.approx(r, rel=1e-12), y


def test_fiscal_advance_and_repayment(demo: wifund.Province) -> None:
    # A 300亿 major accident in 2026 exhausts the demo fund: the reserve pays first, the government
    # advances the shortfall, the balance closes at 0 with no interest on the negative balance, and
    # later surpluses repay the advance.
    a = wifund.Assumptions(paths={"major_accident_cost": {2025: 0.0, 2026: 3e10, 2027: 0.0}})
    proj = wifund.project(demo, "jilin", a, years=8)
    f = proj.fund
    assert proj.exhausted_year == 2026
    assert f.loc[2026, "closing"] == 0.0
    assert f.loc[2026, "reserve_use"] == pytest.approx(f.loc[2025, "reserve"], rel=1e-15)
    net = f.loc[2026, "contributions"] + f.loc[2026, "project_premiums"] - f.loc[2026, "expenditure"]
    assert f.loc[2026, "opening"] + 0.5 * net < 0
    assert f.loc[2026, "interest"] == 0.0
    assert f.loc[2026, "fiscal_advance"] == pytest.approx(-(f.loc[2026, "opening"] + net), rel=1e-12)
    owed = f.loc[2026, "fiscal_advance"]
    for y in range(2027, 2033):
        owed -= f.loc[y, "advance_repayment"]
        assert f.loc[y, "advance_outstanding"] == pytest.approx(owed, rel=1e-12, abs=1e-3)
    by_item = proj.revenue_by_item
    assert by_item.loc[2026, "fiscal_advance"] == pytest.approx(f.loc[2026, "fiscal_advance"], rel=1e-12)
    # As a subsidy (not repaid): nothing outstanding, no repayment.
    sub = wifund.project(demo, Policy.load("jilin").override({"reserve.advance_repaid": False}), a, years=8)
    assert (sub.fund["advance_outstanding"] == 0).all() and (sub.fund["advance_repayment"] == 0).all()
    assert sub.exhausted_year == 2026


def test_published_average_wage_is_the_benefit_basis(demo: wifund.Province) -> None:
    # The published 2024 annual wage W gives AW_2024 = W / 12 for 2025's benefits; 2026 onward
    # (not published) moves it with the insured average wage.
    base = wifund.project(demo, "jilin", years=3)
    w = 12 * 1.1 * base.fund.loc[2025, "benefit_avg_wage"]  # 10% above the insured average
    pub = wifund.project(demo, "jilin", wifund.Assumptions(paths={"published_avg_wage": {2024: w}}), years=3)
    assert pub.fund.loc[2025, "benefit_avg_wage"] == pytest.approx(w / 12, rel=1e-15)
    for y in (2026, 2027):
        assert pub.fund.loc[y, "benefit_avg_wage"] == pytest.approx(
            1.1 * base.fund.loc[y, "benefit_avg_wage"], rel=1e-12
        )
    # Funeral grants are 6 x AW_{t-1}: 10% more.
    e0, e1 = base.expenditure_by_item, pub.expenditure_by_item
    assert e1.loc[2025, "funeral_grant"] == pytest.approx(1.1 * e0.loc[2025, "funeral_grant"], rel=1e-12)
    assert (base.fund["avg_monthly_wage"] == pub.fund["avg_monthly_wage"]).all()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    accident=st.floats(0, 5e10),
    year=st.integers(2025, 2030),
    repaid=st.booleans(),
    review=st.booleans(),
    lag=st.integers(0, 3),
)
def test_identities_with_the_new_items(
    demo: wifund.Province, accident: float, year: int, repaid: bool, review: bool, lag: int
) -> None:
    a = wifund.Assumptions(paths={"major_accident_cost": {2025: 0.0, year: accident, year + 1: 0.0}})
    p = Policy.load("jilin").override({"reserve.advance_repaid": repaid})
    rr: Any = {**REVIEW_ON, "lag_years": lag, "first_year": 2025, "cycle_years": 1} if review else None
    proj = wifund.project(demo, p, a, years=8, rate_review=rr)
    f = proj.fund
    np.testing.assert_allclose(f["opening"] + f["revenue"] - f["expenditure"], f["closing"], rtol=1e-9, atol=1e-3)
    np.testing.assert_allclose(proj.revenue_by_item.sum(axis=1), f["revenue"], rtol=1e-9)
    np.testing.assert_allclose(proj.expenditure_by_item.sum(axis=1), f["expenditure"], rtol=1e-9)
    assert (f["closing"] >= 0).all() and (f["reserve"] <= f["closing"] + 1e-6).all()
    assert (f["reserve_use"] <= f["major_accident"] + 1e-6).all()
    np.testing.assert_array_equal(f["opening"].iloc[1:].to_numpy(), f["closing"].iloc[:-1].to_numpy())


def _project_with(**kw: Any) -> Any:
    def fn() -> Any:
        return wifund.project(wifund.Province.demo(), "jilin", years=3, **kw)

    return fn


def _override(mapping: dict[str, Any]) -> Any:
    def fn() -> Any:
        return Policy.load("national").override(mapping)

    return fn


def _assume(**paths: Any) -> Any:
    def fn() -> Any:
        a = wifund.Assumptions(paths=paths)
        return wifund.project(wifund.Province.demo(), "jilin", a, years=3)

    return fn


CASES = [
    Case("take-up-negative", _override({"contribution.phased_cut.take_up": -0.5}), ValueError, ("take_up", "-0.5")),
    Case("take-up-above-1", _override({"contribution.phased_cut.take_up": 1.5}), ValueError, ("take_up", "1.5")),
    Case(
        "stop-months-negative",
        _override({"contribution.phased_cut.stop_months": -1}),
        ValueError,
        ("stop_months", "-1"),
    ),
    Case(
        "cut-window-end-before-start",
        _override(
            {
                "contribution.phased_cut.active": [
                    {"from": "2026-05-01", "to": "2026-04-30", "value": True, "source": "t"}
                ]
            }
        ),
        ValueError,
        ("contribution.phased_cut.active", "2026-04-30", "before"),
    ),
    Case(
        "review-band-reversed",
        _override({"rate_review.band_months": [12, 9]}),
        ValueError,
        ("rate_review.band_months", "12"),
    ),
    Case("review-cycle-zero", _override({"rate_review.cycle_years": 0}), ValueError, ("rate_review.cycle_years", "0")),
    Case("review-step-zero", _override({"rate_review.step": 0}), ValueError, ("rate_review.step", "0")),
    Case("review-lag-too-long", _override({"rate_review.lag_years": 6}), ValueError, ("rate_review.lag_years", "6")),
    Case(
        "review-lag-fractional", _override({"rate_review.lag_years": 1.5}), ValueError, ("rate_review.lag_years", "1.5")
    ),
    Case(
        "review-first-year-typo",
        _override({"rate_review.first_year": 20260}),
        ValueError,
        ("rate_review.first_year", "20260"),
    ),
    Case(
        "review-floor-above-1",
        _project_with(rate_review={**REVIEW_ON, "bounds": [1.1, 1.5]}),
        ValueError,
        ("rate_review.bounds", "1.1", "floor <= 1"),
    ),
    Case(
        "review-override-unknown-field",
        _project_with(rate_review={"band": [9, 12]}),
        ValueError,
        ("rate_review", "'band'"),
    ),
    Case("review-override-not-a-mapping", _project_with(rate_review=[9, 12]), TypeError, ("rate_review", "[9, 12]")),
    Case(
        "review-override-cycle-zero",
        _project_with(rate_review={"cycle_years": 0}),
        ValueError,
        ("rate_review.cycle_years", "0"),
    ),
    Case("reserve-base-unknown", _override({"reserve.base": "assets"}), ValueError, ("reserve.base", "'assets'")),
    Case("reserve-ratio-negative", _override({"reserve.ratio": -0.1}), ValueError, ("reserve.ratio", "-0.1")),
    Case(
        "advance-repaid-not-bool",
        _override({"reserve.advance_repaid": "yes"}),
        ValueError,
        ("reserve.advance_repaid", "'yes'"),
    ),
    Case("accident-cost-negative", _assume(major_accident_cost=-1.0), ValueError, ("major_accident_cost", "-1.0")),
    Case("published-wage-scalar", _assume(published_avg_wage=90000.0), TypeError, ("published_avg_wage", "90000")),
    Case(
        "published-wage-negative",
        _assume(published_avg_wage={2024: -5.0}),
        ValueError,
        ("published_avg_wage", "2024", "-5.0"),
    ),
    Case(
        "published-wage-year-typo",
        _assume(published_avg_wage={20240: 90000.0}),
        TypeError,
        ("published_avg_wage", "20240"),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_bad_input(case: Case) -> None:
    badinput.check(case)
