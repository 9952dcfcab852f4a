"""Indexation and increments (issue #9 item 7; domain review 2026-12 §7): the sourced Jilin and
Ningxia rounds, the floor top-up, the flat-by-grade mode of 人社部发〔2017〕58号, percentage
indexation excluding retired recipients and the hospital food subsidy's indexation cap.

The golden tests run the engine from Python on a stock of two cohorts of the same grade, age and sex
placed in two cities (so mortality is the same and the payments per person are in the ratio of the
monthly amounts), and check the amounts worked by hand from the notices."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import wifund
from wifund import _bridge
from wifund.province import Province

ALLOWANCE = "disability_allowance"


def stock(rows: list[dict]) -> pd.DataFrame:
    base = dict(kind="allowance", grade=2, care_level=None, sex="M", age=50, pension=0.0, award_year=2020, retired=0)
    return pd.DataFrame([{**base, "lone": 0, **r} for r in rows])


def province(demo: Province, base_year: int, rows: list[dict]) -> Province:
    return Province(**{**demo.__dict__, "base_year": base_year, "beneficiaries": stock(rows)})


def first_year_item(proj: wifund.Projection, item: str) -> pd.Series:
    """The item of each city in the first projected year."""
    df = proj.by_city
    y = proj.years[0]
    return df[(df.year == y) & (df.item == item)].set_index("city")["value"]


def stock_payments(demo: Province, base_year: int, rows: list[dict], policy, item: str, a=None) -> pd.Series:
    """Year-1 payments of the stock alone: with the stock minus with a negligible stock (new awards cancel)."""
    a = a or wifund.Assumptions.default()
    full = first_year_item(wifund.project(province(demo, base_year, rows), policy, a, years=1), item)
    tiny = [{**r, "count": r["count"] * 1e-6} for r in rows]
    small = first_year_item(wifund.project(province(demo, base_year, tiny), policy, a, years=1), item)
    return (full - small) / (1 - 1e-6)


# ------------------------------------------------------------------------------------------------
# The policy files
# ------------------------------------------------------------------------------------------------
def test_jilin_rounds_and_sources():
    jl = wifund.Policy.load("jilin")
    evs = {ev["effective"].year: ev for ev in jl.increments() if ev["layer"] == "jilin" and any(ev["allowance"])}
    assert sorted(evs) == [2017, 2018, 2019, 2020, 2022, 2023]
    assert evs[2017]["source"] == "吉人社办字〔2017〕62号"
    assert evs[2022]["source"] == "吉人社发〔2022〕24号"
    assert (evs[2022]["floor"], evs[2022]["floor_topup"]) == (2907, 30)
    assert evs[2023]["source"] == "吉人社发〔2023〕5号"
    assert evs[2023]["allowance"] == [182, 174, 166, 158, 150, 134]
    assert (evs[2023]["floor"], evs[2023]["floor_topup"]) == (3004, 30)
    assert evs[2023]["care"] == [136, 109, 82] and (evs[2023]["spouse"], evs[2023]["other"]) == (99, 90)
    assert evs[2018]["allowance"][:4] == [236, 225, 214, 203]
    # Sourced rounds are not assumed; the two rounds of unconfirmed year are, and say so.
    assert not any(evs[y]["assumed"] for y in (2017, 2018, 2022, 2023))
    for y, floor in ((2019, 2375), (2020, 2586)):
        assert evs[y]["assumed"] and "[U]" in evs[y]["note"] and evs[y]["floor"] == floor
    # 24号's legacy monthly disability subsidy (按月领取伤残补助金): its own 2022 event, the only assumed part
    (legacy,) = [ev for ev in jl.increments() if ev["layer"] == "jilin" and any(ev["legacy_subsidy"])]
    assert legacy["effective"] == dt.date(2022, 1, 1) and legacy["source"] == "吉人社发〔2022〕24号"
    assert legacy["legacy_subsidy"][0] == 240 and legacy["legacy_subsidy"][-1] == 80 and legacy["assumed"]
    assert "按月领取伤残补助金" in evs[2022]["note"]
    p, _ = _bridge.resolve_policy_year(jl, 2023)
    (e,) = p.increments
    assert (e.cutoff_year, e.floor, e.floor_topup) == (2022, 3004.0, 30.0)


def test_ningxia_rounds_and_sources():
    nx = wifund.Policy.load("ningxia")
    evs = {ev["effective"]: ev for ev in nx.increments() if ev["layer"] == "ningxia"}
    r22 = evs[dt.date(2022, 1, 1)]
    assert r22["cutoff"] == dt.date(2021, 12, 31) and r22["exclude_retired"] and not r22["assumed"]
    assert "2023-06-20" in r22["source"] and r22["allowance"][:4] == [360, 330, 300, 270] and r22["spouse"] == 110
    r07 = evs[dt.date(2007, 7, 1)]
    assert r07["allowance"][:4] == [240, 230, 220, 210] and r07["other"] == 100 and not r07["exclude_retired"]
    p, _ = _bridge.resolve_policy_year(nx, 2022)
    assert [e.exclude_retired for e in p.increments] == [True]


def test_new_keys_resolve():
    p, assumed = _bridge.resolve_policy_year(wifund.Policy.load("national"), 2026)
    assert not p.indexation.flat_by_grade and not p.indexation.exclude_retired
    assert p.indexation.by_grade_allowance_rate == 0.04
    assert "benefits.indexation.grade_average_rate" not in assumed  # not read in mode 'percentage'
    assert "benefits.hospital_food.cap_per_day" not in assumed  # not read without food indexation
    by_grade = wifund.Policy.load("national").override(
        {
            "benefits.indexation.mode": "flat_by_grade",
            "benefits.indexation.grade_average_rate": {"allowance": 0.05, "care": 0.03, "dependants": 0.02},
        }
    )
    p, assumed = _bridge.resolve_policy_year(by_grade, 2026)
    ix = p.indexation
    assert "benefits.indexation.grade_average_rate" not in assumed  # the override is the user's own value
    assert ix.flat_by_grade and not ix.percentage
    assert (ix.by_grade_allowance_rate, ix.by_grade_care_rate, ix.by_grade_dependant_rate) == (0.05, 0.03, 0.02)


def test_food_subsidy_indexed_and_capped():
    """Jilin 26 yuan/day from 2022 (吉人社发〔2022〕24号) grown 5% a year, capped at 28 by the policy."""
    jl = wifund.Policy.load("jilin")

    def food(policy, year):
        return _bridge.resolve_policy_year(policy, year)[0].benefits.hospital_food_per_day

    assert [food(jl, y) for y in (2021, 2022, 2030)] == [20, 26, 26]  # growth 0: the standard as set
    grown = jl.override({"benefits.hospital_food.growth": 0.05, "benefits.hospital_food.cap_per_day": 28})
    assert food(grown, 2022) == 26
    assert food(grown, 2023) == pytest.approx(26 * 1.05, rel=1e-15)  # 27.3 < 28
    assert food(grown, 2024) == 28  # 26 x 1.05^2 = 28.665, capped
    # A standard set by notice above the cap is paid as set; indexation only stops at the cap.
    notice = grown.override({"benefits.hospital_food_per_day": [{"from": "2025-01-01", "value": 30, "source": "t"}]})
    assert food(notice, 2026) == 30
    # Under Jilin's own cap (26 from 2022) a growth rate alone cannot raise the standard.
    assert food(jl.override({"benefits.hospital_food.growth": 0.05}), 2025) == 26


# ------------------------------------------------------------------------------------------------
# Golden tests through the engine
# ------------------------------------------------------------------------------------------------
def test_jilin_2023_floor_topup(demo):
    """吉人社发〔2023〕5号, grade 2: + 174, and + 30 more if the result is below 3,004.

    City A: 2,800 + 174 = 2,974 < 3,004 -> 3,004. City B: 2,850 + 174 = 3,024: no top-up. Equal
    counts, ages and grades: the stock's year-1 payments are in the ratio 3,004 : 3,024."""
    jl = wifund.Policy.load("jilin").override({"benefits.indexation.mode": "flat"})
    a_city, b_city = demo.city_names[:2]
    rows = [dict(city=a_city, count=5.0, monthly_amount=2800.0), dict(city=b_city, count=5.0, monthly_amount=2850.0)]
    paid = stock_payments(demo, 2022, rows, jl, ALLOWANCE)
    assert paid[a_city] / paid[b_city] == pytest.approx(3004 / 3024, rel=1e-9)
    # Without the round (a policy whose last round is 2022, i.e. base year 2023 projecting 2024) the
    # ratio is the plain amounts'.
    plain = stock_payments(demo, 2023, rows, jl, ALLOWANCE)
    assert plain[a_city] / plain[b_city] == pytest.approx(2800 / 2850, rel=1e-9)


def test_flat_by_grade_same_yuan(demo):
    """58号 flat by grade: two grade-2 cohorts, 10 at 3,000 (city A) and 30 at 4,000 (city B);
    provincial average (30,000 + 120,000) / 40 = 3,750; at 4% both get + 150 yuan a month:
    3,150 and 4,150 — the same yuan, not the same percentage."""
    nat = wifund.Policy.load("national")
    flat = nat.override({"benefits.indexation.mode": "flat"})
    by_grade = nat.override(
        {
            "benefits.indexation.mode": "flat_by_grade",
            "benefits.indexation.grade_average_rate": {"allowance": 0.04, "care": 0.04, "dependants": 0.04},
        }
    )
    a_city, b_city = demo.city_names[:2]
    rows = [dict(city=a_city, count=10.0, monthly_amount=3000.0), dict(city=b_city, count=30.0, monthly_amount=4000.0)]
    before = stock_payments(demo, 2025, rows, flat, ALLOWANCE)
    after = stock_payments(demo, 2025, rows, by_grade, ALLOWANCE)
    np.testing.assert_allclose((after / before)[[a_city, b_city]], [3150 / 3000, 4150 / 4000], rtol=1e-9)


def test_percentage_indexation_excluding_retired(demo):
    """Wage growth 6%, CPI 1%: g = 0.6 x 6% + 0.4 x 1% = 4%. A retired recipient (allowance 3,000,
    pension 2,500) gets the top-up 3,000 x 1.04 - 2,500 x 1.04 = 520 when included, and
    3,000 - 2,500 x 1.04 = 400 when retired recipients are left out; a working one gets 3,120 either way."""
    a = wifund.Assumptions(paths={"wage_growth": 0.06, "employment_growth": 0.0, "coverage_growth": 0.0, "cpi": 0.01})
    nat = wifund.Policy.load("national")
    excl = nat.override({"benefits.indexation.exclude_retired": True})
    c = demo.city_names[0]
    retired = [dict(city=c, count=4.0, monthly_amount=3000.0, pension=2500.0, retired=1, age=66)]
    incl_topup = stock_payments(demo, 2025, retired, nat, "allowance_topup", a)[c]
    excl_topup = stock_payments(demo, 2025, retired, excl, "allowance_topup", a)[c]
    assert excl_topup / incl_topup == pytest.approx(400 / 520, rel=1e-9)
    working = [dict(city=c, count=4.0, monthly_amount=3000.0)]
    assert stock_payments(demo, 2025, working, excl, ALLOWANCE, a)[c] == pytest.approx(
        stock_payments(demo, 2025, working, nat, ALLOWANCE, a)[c], rel=1e-12
    )


def test_engine_rejects_unset_by_grade_rate(demo, monkeypatch):
    """The C++ structs carry no defaults: a rate left NaN is refused by make_context, naming field and year."""
    resolve = _bridge.resolve_policy_year

    def unset_rate(policy, year):
        p, assumed = resolve(policy, year)
        ix = p.indexation
        ix.by_grade_care_rate = float("nan")
        p.indexation = ix
        return p, assumed

    monkeypatch.setattr(_bridge, "resolve_policy_year", unset_rate)
    with pytest.raises(ValueError, match=r"indexation\.by_grade_care_rate in 2025 = nan"):
        wifund.project(demo, "national", years=2)
