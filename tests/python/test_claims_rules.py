"""Golden tests of the long-term benefit rules of issue #9 items 2-4 and 8, worked by hand from the texts:

* 国发〔2024〕18号 in the cohorts: a male grade-1 recipient born 1965-01 retires at 60 years 1 month
  (February 2025): January is paid as allowance, February-December as the Art. 35 top-up (pro rata months),
  for the share with the minimum contribution years; the others keep the allowance.
* 条例 Art. 39 ¶3: a grade 1-4 recipient's death brings the funeral grant (6 months of last year's average
  wage) and the dependants' pensions (on his own wage = allowance / 90%), not the death grant.
* 劳动和社会保障部令第18号 Art. 3: a widow of 38 is paid from 55 (July 2041 for a death in 2025), not before.
* 条例 Art. 64: the own wage is the average of the 12 months before the injury (here W_t / sqrt(1 + g)).
* 条例 Art. 39: a family's pensions together at most the deceased's wage before death (unclamped).
"""

from __future__ import annotations

import math
from importlib import resources

import pandas as pd
import pytest

import wifund
from wifund.province import Province

_QX = pd.read_csv(str(resources.files("wifund") / "data" / "life_tables" / "cl2010_2013_qx.csv")).set_index("age")


def q(table: str, age: int, load: float = 1.0) -> float:
    return min(float(_QX.loc[age, table]) * load, 1.0)


def tiny(beneficiaries: list[dict], wages: tuple[float, ...] = (8000.0,)) -> Province:
    """One city; classes 1.. with 100,000 insured each at the given wages; the stock given."""
    cols = ["city", "kind", "grade", "care_level", "sex", "age", "count", "monthly_amount", "pension"]
    cols += ["award_year", "retired", "lone", "birth_year", "birth_month"]
    return Province(
        name="tiny",
        base_year=2024,
        cities=pd.DataFrame(
            {"collection_rate": [1.0], "minimum_wage": [2000.0], "project_value": [0.0]},
            index=pd.Index(["A"], name="city"),
        ),
        insured=pd.DataFrame(
            {
                "city": ["A"] * len(wages),
                "risk_class": [str(k + 1) for k in range(len(wages))],
                "insured": [100_000.0] * len(wages),
                "avg_monthly_wage": list(wages),
                "avg_float": [1.0] * len(wages),
            }
        ),
        beneficiaries=pd.DataFrame(beneficiaries, columns=cols),
        fund={
            "opening_balance": 1e9,
            "opening_reserve": 0.0,
            "base_expenditure": 1e8,
            "base_contributions": 1e8,
        },
        national_disposable_income=54_188.0,
        default_policy="national",
    )


FLAT = {"wage_growth": 0.0, "employment_growth": 0.0, "coverage_growth": 0.0, "cpi": 0.0, "minimum_wage_growth": 0.0}
NO_INJURIES = {"incidence": [0.0] * 9}
SPOUSE_ONLY = {"family_compositions": [[1, 0, 0]], "family_weights": [1.0]}


def test_male_born_1965_01_switches_to_the_topup_at_60_years_1_month_and_his_death_brings_art_39_3():
    stock = [
        {
            "city": "A",
            "kind": "allowance",
            "grade": 1,
            "care_level": "",
            "sex": "M",
            "age": 59,
            "count": 10.0,
            "monthly_amount": 4500.0,
            "pension": 0.0,
            "award_year": 2020,
            "retired": 0,
            "lone": 0,
            "birth_year": 1965,
            "birth_month": 1,
        }
    ]
    a = wifund.Assumptions(paths=FLAT, claims={**NO_INJURIES, **SPOUSE_ONLY})
    proj = wifund.project(tiny(stock), "national", a, years=1)
    items = proj.expenditure_by_item.loc[2025]
    qm = q("CL1", 59, 3.0)  # grade-1 load 3.0 on CL1
    alive = 10 * (1 - qm / 2)
    share = 0.95  # pension_qualify_share at the 15-year minimum of 2025
    pension = 0.81 * 4500  # retirement_pension_ratio
    # January: allowance; February-December: top-up for 95%, the allowance for the 5% without a pension.
    assert items["disability_allowance"] == pytest.approx(alive * 4500 * (1 + (1 - share) * 11), rel=1e-12)
    assert items["allowance_topup"] == pytest.approx(alive * share * 11 * (4500 - pension), rel=1e-12)
    # Art. 39 ¶3: 10 q deaths -> funeral grant 6 x 8,000 each; the widows (57, >= 55) are paid 40% of the
    # own wage 4,500 / 90% = 5,000 from mid-year; no death grant.
    deaths = 10 * qm
    assert items["funeral_grant"] == pytest.approx(deaths * 6 * 8000, rel=1e-12)
    assert items["death_grant"] == 0.0
    qs = q("CL6", 57)
    assert items["dependant_pension"] == pytest.approx(deaths * (1 - qs / 4) * 6 * 0.4 * 5000, rel=1e-12)


def death_claims(**extra: object) -> dict:
    """Deaths only, in class 1: 100,000 x 0.001 x 0.5 = 50 deaths a year of men aged 40."""
    c = {
        "incidence": [0.001] + [0.0] * 8,
        "grade_share": [0.0] * 10,
        "death_share": 0.5,
        "entry_ages": [40],
        "entry_age_weights": [1.0],
        "male_share": 1.0,
        "lone_share": 0.0,
        "dependant_incapacity_share": 0.0,
        **SPOUSE_ONLY,
    }
    c.update(extra)
    return c


def test_widow_of_38_is_deferred_to_55():
    a = wifund.Assumptions(paths=FLAT, claims=death_claims())
    proj = wifund.project(tiny([]), "national", a, years=18)
    dep = proj.expenditure_by_item["dependant_pension"]
    assert (dep.loc[2025:2040] == 0).all()  # nothing before 55
    # The 2025 widows (38, born mid-1986) turn 55 in July 2041: six months at 40% x 8,000, to the
    # survivors of CL6 from mid-2025 (half a year at 38, full years 39..53), on average over 2041 at 54.
    d = 50.0
    s = (1 - q("CL6", 38) / 2) * math.prod(1 - q("CL6", x) for x in range(39, 54))
    assert dep.loc[2041] == pytest.approx(d * s * (1 - q("CL6", 54) / 2) * 6 * 3200, rel=1e-12)
    s26 = (1 - q("CL6", 38) / 2) * math.prod(1 - q("CL6", x) for x in range(39, 54))  # 2026 cohort: same ages
    s25 = s * (1 - q("CL6", 54))
    expected_2042 = d * s25 * (1 - q("CL6", 55) / 2) * 12 * 3200 + d * s26 * (1 - q("CL6", 54) / 2) * 6 * 3200
    assert dep.loc[2042] == pytest.approx(expected_2042, rel=1e-12)
    spouses = proj.beneficiaries.query("kind == 'spouse'").groupby("year")["in_payment"].sum()
    assert spouses.loc[2040] == 0.0
    # Wholly unable to work (部令第18号 Art. 3(1)): all paid from the death.
    b = wifund.Assumptions(paths=FLAT, claims=death_claims(dependant_incapacity_share=1.0))
    first = wifund.project(tiny([]), "national", b, years=1).expenditure_by_item.loc[2025, "dependant_pension"]
    assert first == pytest.approx(d * (1 - q("CL6", 38) / 4) * 6 * 3200, rel=1e-12)


def test_own_wage_is_the_12_months_before_the_injury():
    # Grade 10 only: lump sum 7 months of the own wage; wages +6%: W_2025 = 8,480, the 12 months before a
    # mid-year injury average W_2024 x sqrt(1.06) = 8,000 x 1.0296 (within the 60-300% clamp of 8,000).
    claims = {
        **NO_INJURIES,
        "incidence": [0.001] + [0.0] * 8,
        "grade_share": [0.0] * 9 + [0.1],
        "death_share": 0.0,
    }
    a = wifund.Assumptions(paths={**FLAT, "wage_growth": 0.06}, claims=claims)
    proj = wifund.project(tiny([]), "national", a, years=1)
    injuries = 100_000 * 1.0 * 0.001  # employment flat
    expected = injuries * 0.1 * 7 * 8000 * math.sqrt(1.06)
    assert proj.expenditure_by_item.loc[2025, "disability_lump_sum"] == pytest.approx(expected, rel=1e-12)


def test_family_cap_on_the_unclamped_wage_before_death():
    # Class 1 earns 3,000 (class 2: 13,000, no injuries; average 8,000): the own wage is clamped up to
    # 60% x 8,000 = 4,800, the pensions 40% + 2 x 30% = 100% of it = 4,800 a family, above the 3,000 the
    # worker earned: every pension x 3,000 / 4,800 (Art. 39 cap, 生前的工资).
    claims = death_claims(
        family_compositions=[[1, 2, 0]],
        family_weights=[1.0],
        dependant_incapacity_share=1.0,
        incidence=[0.001] + [0.0] * 8,
    )
    a = wifund.Assumptions(paths=FLAT, claims=claims)
    proj = wifund.project(tiny([], wages=(3000.0, 13000.0)), "national", a, years=1)
    d, scale = 50.0, 3000 / 4800
    per_month = (
        0.4 * (1 - q("CL6", 38) / 4)  # the widow
        + 0.3 * (1 - q("CL5", 8) / 4)  # one child of each sex on average (2 x 1/2)
        + 0.3 * (1 - q("CL6", 8) / 4)
    )
    expected = d * scale * 4800 * 6 * per_month
    assert proj.expenditure_by_item.loc[2025, "dependant_pension"] == pytest.approx(expected, rel=1e-12)
    params = wifund.Policy.load("national").at("2025-07-01")
    assert wifund.benefits.family_cap_scale(1, 2, 4800.0, 3000.0, params) == pytest.approx(scale, rel=1e-15)
    assert wifund.benefits.family_cap_scale(1, 4, 5000.0, 5000.0, params) == pytest.approx(1 / 1.6, rel=1e-15)
    assert wifund.benefits.family_cap_scale(1, 4, 5000.0, 5000.0, params, lone=True) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="spouses"):
        wifund.benefits.family_cap_scale(2, 0, 5000.0, 5000.0, params)
    with pytest.raises(ValueError, match="cap_wage"):
        wifund.benefits.family_cap_scale(1, 0, 5000.0, -1.0, params)


def test_optional_birth_columns_default_to_base_year_minus_age(demo):
    # The stock without birth columns is read as born in base_year - age, in July; the same stock with the
    # columns filled that way projects identically.
    ben = demo.beneficiaries.assign(birth_year=demo.base_year - demo.beneficiaries["age"], birth_month=7)
    with_cols = Province(**{**demo.__dict__, "beneficiaries": ben})
    a = wifund.Assumptions.default()
    x = wifund.project(demo, assumptions=a, years=3).fund
    y = wifund.project(with_cols, assumptions=a, years=3).fund
    pd.testing.assert_frame_equal(x, y)


def test_costs_are_at_base_year_prices_indexed_from_the_first_projected_year():
    """Issue #9 item 8: "at base-year prices" means what the docs say — the first projected year pays
    medical_cost x (1 + medical_inflation), the second x (1 + medical_inflation)^2 (all in the injury year
    under the default payment pattern)."""
    import wifund

    p = wifund.project(wifund.Province.demo(), years=2)
    injuries = p.by_class.groupby("year")["injuries"].sum()
    per_injury = p.expenditure_by_item["medical"] / injuries
    cost = wifund.Assumptions().claim("medical_cost")
    infl = wifund.Assumptions().path("medical_inflation", [2025, 2026])
    assert per_injury[2025] == pytest.approx(cost * (1 + infl[0]), rel=1e-12)
    assert per_injury[2026] == pytest.approx(cost * (1 + infl[0]) * (1 + infl[1]), rel=1e-12)
