"""The C++ engine against a second implementation in plain Python (projection_ref.py), item by item."""

import numpy as np

import wifund
from wifund.province import Province

from projection_ref import reference_projection


def compare(province, policy, assumptions, years, rate_review=None):
    policy = wifund.Policy.load(policy) if isinstance(policy, str) else policy
    engine = wifund.project(province, policy, assumptions, years=years, rate_review=rate_review)
    ref = reference_projection(province, policy, assumptions, years, rate_review=rate_review)
    for col in ref["fund"].columns:
        np.testing.assert_allclose(
            engine.fund[col].to_numpy(), ref["fund"][col].to_numpy(), rtol=1e-9, atol=1e-6, err_msg=col
        )
    for item in ref["items"].columns:
        np.testing.assert_allclose(
            engine.expenditure_by_item[item].to_numpy(),
            ref["items"][item].to_numpy(),
            rtol=1e-9,
            atol=1e-6,
            err_msg=item,
        )


def test_demo_matches_reference(demo):
    compare(demo, "jilin", wifund.Assumptions.default(), 6)


def test_payment_pattern_and_paths_match_reference(demo):
    a = wifund.Assumptions(
        paths={"wage_growth": {2025: 0.06, 2027: 0.02}, "interest_rate": 0.03},
        city_paths={"collection_rate": {"Xihe": 0.8}},
        claims={"payment_pattern": [0.5, 0.3, 0.2], "death_share": 0.03},
    )
    compare(demo, "ningxia", a, 5)


def test_phased_cut_years_match_reference(demo):
    p = Province(
        **{
            **demo.__dict__,
            "base_year": 2019,
            "fund": {**demo.fund, "opening_balance": 30 * demo.fund["base_expenditure"] / 12},
            "beneficiaries": demo.beneficiaries.assign(award_year=demo.beneficiaries.award_year.clip(upper=2019)),
        }
    )
    compare(p, "national", wifund.Assumptions.default(), 7)


def test_flat_by_grade_rounds_and_food_cap_match_reference(demo):
    """人社部发〔2017〕58号 flat by grade (retired left out), a flat round with a floor top-up in a
    projected year (as in 吉人社发〔2023〕5号) and the food subsidy indexed up to a cap."""
    policy = wifund.Policy.load("jilin").override(
        {
            "benefits.indexation.mode": "flat_by_grade",
            "benefits.indexation.grade_average_rate": {"allowance": 0.04, "care": 0.035, "dependants": 0.03},
            "benefits.indexation.exclude_retired": True,
            "benefits.hospital_food.growth": 0.03,
            "benefits.hospital_food.cap_per_day": 28.5,
        },
        increments=[
            {
                "effective": "2026-01-01",
                "cutoff": "2025-12-31",
                "allowance": [182, 174, 166, 158, 150, 134],
                "care": [136, 109, 82],
                "spouse": 99,
                "other": 90,
                "lone_extra": 9,
                "floor": 4500,
                "floor_topup": 30,
                "legacy_subsidy": [240, 222, 204, 187, 169, 151, 133, 116, 98, 80],
                "source": "test round on the pattern of 吉人社发〔2023〕5号 (legacy subsidy: 〔2022〕24号)",
            },
            {
                "effective": "2028-01-01",
                "cutoff": "2027-06-30",
                "allowance": [100, 90, 80, 70, 0, 0],
                "spouse": 50,
                "other": 40,
                "exclude_retired": True,
                "source": "test round excluding pensioners (cut-off before 1 July)",
            },
        ],
    )
    compare(demo, policy, wifund.Assumptions.default(), 6)


def test_percentage_excluding_retired_matches_reference(demo):
    policy = wifund.Policy.load("national").override({"benefits.indexation.exclude_retired": True})
    compare(demo, policy, wifund.Assumptions.default(), 5)


def test_rate_review_matches_reference(demo):
    # The 以支定收 review every year from 2025, lag 1: the demo leaves the [9, 12] band.
    review = {"band_months": [9, 12], "first_year": 2025, "cycle_years": 1, "step": 0.1, "bounds": [0.5, 1.5]}
    review["lag_years"] = 1
    compare(demo, "jilin", wifund.Assumptions.default(), 12, rate_review=review)


def test_exhausted_fund_matches_reference(demo):
    # A major accident exhausts the fund in 2026: reserve use, fiscal advance, no interest on the
    # negative balance, repayment from later surpluses; with a published average wage series.
    a = wifund.Assumptions(
        paths={
            "major_accident_cost": {2025: 0.0, 2026: 3e10, 2027: 0.0},
            "published_avg_wage": {2024: 12 * 7300.0, 2025: 12 * 7600.0},
        }
    )
    compare(demo, "jilin", a, 10)
    compare(
        demo, wifund.Policy.load("ningxia").override({"reserve.advance_repaid": False, "reserve.base": "balance"}), a, 6
    )


def test_part_year_cut_with_take_up_matches_reference(demo):
    p = Province(
        **{
            **demo.__dict__,
            "base_year": 2017,
            "fund": {**demo.fund, "opening_balance": 30 * demo.fund["base_expenditure"] / 12},
            "beneficiaries": demo.beneficiaries.assign(award_year=demo.beneficiaries.award_year.clip(upper=2017)),
        }
    )
    policy = wifund.Policy.load("national").override(
        {"contribution.phased_cut.take_up": 0.5, "contribution.phased_cut.stop_months": 20}
    )
    compare(p, policy, wifund.Assumptions.default(), 9)


def test_stock_wages_and_deferred_spouses_match_reference(demo):
    """Issue #9: the deceased's actual wage on allowance rows (own_wage on every other row, cap_wage on
    every third: Art. 39 ¶3 dependants of recipients who die) and the demo's deferred spouses and legacy
    monthly disability subsidy (in the demo stock), percentage indexation."""
    ben = demo.beneficiaries.copy()
    allow = ben.index[ben["kind"] == "allowance"]
    rate = {1: 0.9, 2: 0.85, 3: 0.8, 4: 0.75}  # 条例 Art. 35
    own = ben.loc[allow, "monthly_amount"] / ben.loc[allow, "grade"].map(rate)
    ben["own_wage"] = np.nan
    ben["cap_wage"] = np.nan
    ben.loc[allow[::2], "own_wage"] = (1.1 * own.loc[allow[::2]]).round(2)
    ben.loc[allow[::3], "cap_wage"] = (0.9 * own.loc[allow[::3]]).round(2)
    assert (ben["pay_from"] != "").any() and (ben["kind"] == "legacy_subsidy").any()
    compare(Province(**{**demo.__dict__, "beneficiaries": ben}), "national", wifund.Assumptions.default(), 5)
