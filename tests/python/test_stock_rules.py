"""Golden tests of the stock rules of issue #9 (the three points of the last session), worked by hand:

* 吉人社发〔2022〕24号: the legacy monthly disability subsidy (按月领取伤残补助金, grades 1..10) of old cases
  rises by +240 (grade 1) ... +80 (grade 10) from 2022-01-01; paid for life, no minimum-wage floor (it is not
  the 伤残津贴), disabled mortality (grade 10: the lightest load, grade 4's), booked with the allowance item;
  under percentage indexation it follows the allowance's wage-weighted index (人社部发〔2017〕58号).
* 条例 Art. 39 ¶3 with the deceased's actual wage: a grade 1-4 recipient's dependants are paid on the own wage
  and capped on the wage the stock gives (own_wage / cap_wage), not on allowance / 90 %.
* 劳动和社会保障部令第18号 Arts. 3-4: a deferred widow of a past death in the stock (pay_from) is paid from the
  month given, not before.
"""

from __future__ import annotations

import math
from importlib import resources

import numpy as np
import pandas as pd
import pytest

import wifund
from wifund.province import Province

import badinput
from badinput import Case

_QX = pd.read_csv(str(resources.files("wifund") / "data" / "life_tables" / "cl2010_2013_qx.csv")).set_index("age")
FLAT = {"wage_growth": 0.0, "employment_growth": 0.0, "coverage_growth": 0.0, "cpi": 0.0, "minimum_wage_growth": 0.0}
NO_INJURIES = {"incidence": [0.0] * 9}
SPOUSE_ONLY = {"family_compositions": [[1, 0, 0]], "family_weights": [1.0]}
COLUMNS = ["city", "kind", "grade", "care_level", "sex", "age", "count", "monthly_amount", "pension"]
COLUMNS += ["award_year", "retired", "lone"]


def q(table: str, age: int, load: float = 1.0) -> float:
    return min(float(_QX.loc[age, table]) * load, 1.0)


def row(kind: str, grade: object, sex: str, age: int, count: float, amount: float, **extra: object) -> dict:
    r = dict(city="A", kind=kind, grade=grade, care_level="", sex=sex, age=age, count=count)
    r.update(monthly_amount=amount, pension=0.0, award_year=2010, retired=0, lone=0)
    r.update(extra)
    return r


def tiny(stock: list[dict], base_year: int = 2024) -> Province:
    """One city, 100,000 insured at 8,000 a month (minimum wage 2,000), the stock given."""
    extra = [c for r in stock for c in r if c not in COLUMNS]
    return Province(
        name="tiny",
        base_year=base_year,
        cities=pd.DataFrame(
            {"collection_rate": [1.0], "minimum_wage": [2000.0], "project_value": [0.0]},
            index=pd.Index(["A"], name="city"),
        ),
        insured=pd.DataFrame(
            {
                "city": ["A"],
                "risk_class": ["1"],
                "insured": [100_000.0],
                "avg_monthly_wage": [8000.0],
                "avg_float": [1.0],
            }
        ),
        beneficiaries=pd.DataFrame(stock, columns=COLUMNS + sorted(set(extra))),
        fund={"opening_balance": 1e9, "opening_reserve": 0.0, "base_expenditure": 1e8, "base_contributions": 1e8},
        national_disposable_income=54_188.0,
        default_policy="national",
    )


LEGACY = [row("legacy_subsidy", 1, "M", 60, 10.0, 1500.0), row("legacy_subsidy", 10, "M", 50, 20.0, 600.0)]


def test_jilin_2022_raises_the_legacy_monthly_subsidy_by_grade():
    a = wifund.Assumptions(paths=FLAT, claims=NO_INJURIES)
    proj = wifund.project(tiny(LEGACY, base_year=2021), "jilin", a, years=1)
    items = proj.expenditure_by_item.loc[2022]
    # 24号 from 2022-01-01 (awarded by 2021-12-31): grade 1 1,500 + 240 = 1,740; grade 10 600 + 80 = 680; both
    # below the 2,000 minimum wage and paid as they are. Disabled table CL1 with the grade-1 load 3.0 and, for
    # grade 10, grade 4's load 1.5; 12 months to the average number alive.
    q1, q10 = q("CL1", 60, 3.0), q("CL1", 50, 1.5)
    expected = 10 * (1 - q1 / 2) * 12 * 1740 + 20 * (1 - q10 / 2) * 12 * 680
    assert items["disability_allowance"] == pytest.approx(expected, rel=1e-12)
    assert items["funeral_grant"] == 0.0 and items["dependant_pension"] == 0.0  # no Art. 39 ¶3 for this kind
    b = proj.beneficiaries.query("kind == 'legacy_subsidy' and year == 2022")["in_payment"].sum()
    assert b == pytest.approx(10 * (1 - q1 / 2) + 20 * (1 - q10 / 2), rel=1e-12)


def test_legacy_subsidy_follows_the_allowance_index_under_percentage_indexation():
    paths = {**FLAT, "wage_growth": 0.05, "cpi": 0.02}
    proj = wifund.project(tiny(LEGACY[:1]), "national", wifund.Assumptions(paths=paths, claims=NO_INJURIES), years=1)
    w = wifund.Policy.load("national").at("2025-07-01")["benefits.indexation.allowance_wage_weight"]
    amount = 1500 * (1 + w * 0.05 + (1 - w) * 0.02)  # the allowance's index (58号: wage-weighted)
    expected = 10 * (1 - q("CL1", 60, 3.0) / 2) * 12 * amount
    assert proj.expenditure_by_item.loc[2025, "disability_allowance"] == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("wages", "pension"),
    [
        ({}, 0.4 * 4500 / 0.9),  # today's rule: own wage = allowance / 90 % = 5,000; widow 40 % = 2,000
        ({"own_wage": 6000.0}, 0.4 * 6000),  # the given own wage, the cap on it: 2,400 <= 6,000
        ({"own_wage": 6000.0, "cap_wage": 1500.0}, 1500.0),  # 2,400 capped at the 1,500 earned (Art. 39)
    ],
)
def test_art_39_3_dependants_on_the_deceased_s_actual_wage(wages, pension):
    stock = [row("allowance", 1, "M", 45, 10.0, 4500.0, **wages)]
    claims = {**NO_INJURIES, **SPOUSE_ONLY, "dependant_incapacity_share": 1.0}  # the widow (43) paid at once
    proj = wifund.project(tiny(stock), "national", wifund.Assumptions(paths=FLAT, claims=claims), years=1)
    deaths = 10 * q("CL1", 45, 3.0)
    expected = deaths * (1 - q("CL6", 43) / 4) * 6 * pension  # from mid-year, half a year exposed
    assert proj.expenditure_by_item.loc[2025, "dependant_pension"] == pytest.approx(expected, rel=1e-12)


def test_deferred_widow_in_the_stock_is_paid_from_pay_from(tmp_path):
    # A widow of 50 at the end of 2024 (born 1974), deferred to 55: July 2029 (部令第18号 Art. 3(2)).
    stock = [row("spouse", "", "F", 50, 10.0, 2000.0, pay_from="2029-07")]
    prov = Province.from_dir(tiny(stock).to_dir(tmp_path / "p"))  # the column survives a round trip
    assert prov.beneficiaries.at[0, "pay_from"] == "2029-07"
    proj = wifund.project(prov, "national", wifund.Assumptions(paths=FLAT, claims=NO_INJURIES), years=6)
    dep = proj.expenditure_by_item["dependant_pension"]
    assert (dep.loc[2025:2028] == 0).all()
    s = math.prod(1 - q("CL6", x) for x in range(50, 54))  # 2025..2028 at 50..53
    assert dep.loc[2029] == pytest.approx(10 * s * (1 - q("CL6", 54) / 2) * 6 * 2000, rel=1e-12)
    s30 = s * (1 - q("CL6", 54))
    assert dep.loc[2030] == pytest.approx(10 * s30 * (1 - q("CL6", 55) / 2) * 12 * 2000, rel=1e-12)


def test_demo_stock_has_deferred_spouses_and_a_small_legacy_group(demo):
    ben = demo.beneficiaries
    deferred = ben[ben["pay_from"] != ""]
    assert len(deferred) and set(deferred["kind"]) == {"spouse"}
    # each deferred spouse reaches 55 (women) / 60 (men) in July of the pay_from year (born base_year - age)
    years = deferred["pay_from"].str[:4].astype(int)
    age_then = years - (demo.base_year - deferred["age"])
    assert (age_then == np.where(deferred["sex"] == "F", 55, 60)).all()
    assert (deferred["pay_from"].str[5:] == "07").all()
    legacy = ben.loc[ben["kind"] == "legacy_subsidy", "count"].sum()
    assert 0 < legacy < 0.05 * ben.loc[ben["kind"] != "care", "count"].sum()
    assert set(ben.loc[ben["kind"] == "legacy_subsidy", "grade"]) <= set(range(1, 11))


def _with(column: str, value: object, kind: str = "allowance"):
    base = {"allowance": row("allowance", 1, "M", 45, 10.0, 4500.0), "spouse": row("spouse", "", "F", 50, 1.0, 900.0)}
    return lambda: tiny([{**base[kind], column: value}])


CASES = [
    Case(
        "legacy-grade-11",
        lambda: tiny([row("legacy_subsidy", 11, "M", 60, 1.0, 900.0)]),
        ValueError,
        ("'grade'", "kind=legacy_subsidy", "11", "1..10"),
    ),
    Case("own-wage-negative", _with("own_wage", -5.0), ValueError, ("'own_wage'", "city=A", "-5", "> 0")),
    Case("own-wage-inf", _with("own_wage", math.inf), ValueError, ("'own_wage'", "inf", "not finite")),
    Case("cap-wage-text", _with("cap_wage", "abc"), ValueError, ("'cap_wage'", "'abc'", "not a number")),
    Case(
        "own-wage-on-spouse",
        _with("own_wage", 5000.0, "spouse"),
        ValueError,
        ("'own_wage'", "kind=spouse", "5000", "only for allowance"),
    ),
    Case(
        "pay-from-month-13",
        _with("pay_from", "2030-13", "spouse"),
        ValueError,
        ("'pay_from'", "kind=spouse", "'2030-13'", "YYYY-MM"),
    ),
    Case(
        "pay-from-before-base-year",
        _with("pay_from", "2020-07", "spouse"),
        ValueError,
        ("'pay_from'", "'2020-07'", "2024-01"),
    ),
    Case("pay-from-number", _with("pay_from", 2030, "spouse"), ValueError, ("'pay_from'", "2030", "YYYY-MM")),
    Case(  # checked once per distinct value: the first bad row in the file's order is named
        "pay-from-first-bad-of-many",
        lambda: tiny(
            [
                row("spouse", "", "F", 50, 1.0, 900.0, pay_from=v)
                for v in ("2030-07", "2030-07", "2020-07", "2030-13", "2020-07")
            ]
        ),
        ValueError,
        ("'pay_from'", "(index 2)", "'2020-07'", "2024-01"),
    ),
    Case(
        "pay-from-on-allowance",
        _with("pay_from", "2030-07"),
        ValueError,
        ("'pay_from'", "kind=allowance", "only for spouse / parent"),
    ),
    Case(
        "increment-legacy-subsidy-9-grades",
        lambda: wifund.Policy.load("national").override(
            {},
            increments=[
                {
                    "effective": "2026-01-01",
                    "cutoff": "2025-12-31",
                    "allowance": [0] * 6,
                    "legacy_subsidy": [1] * 9,
                    "source": "test",
                }
            ],
        ),
        ValueError,
        ("increment effective 2026-01-01", "'legacy_subsidy'", "10"),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_bad_input(case):
    badinput.check(case)
