"""The C++ engine against a second implementation in plain Python (projection_ref.py), item by item."""

import numpy as np

import wifund
from wifund.province import Province

from projection_ref import reference_projection


def compare(province, policy, assumptions, years):
    policy = wifund.Policy.load(policy) if isinstance(policy, str) else policy
    engine = wifund.project(province, policy, assumptions, years=years)
    ref = reference_projection(province, policy, assumptions, years)
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
