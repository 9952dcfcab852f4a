"""wifund.valuation.value: hand calculations from the regulation (issue #11 item 2)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import wifund
from wifund import valuation
from wifund._bridge import resolve_policy

RATE = 0.03


@pytest.fixture(scope="module")
def demo() -> wifund.Province:
    return wifund.Province.demo()


@pytest.fixture(scope="module")
def run(demo: wifund.Province) -> wifund.Projection:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return wifund.project(demo, years=12).rerun(incidence_multiplier=0.0)


def _record(**kw: object) -> pd.DataFrame:
    row = dict(city="Jingcheng", kind="child", grade=0, care_level="", sex="F", monthly_amount=1000.0)
    row.update(kw)
    return pd.DataFrame([row])


def test_child_pension_term_by_term(demo: wifund.Province, run: wifund.Projection) -> None:
    """A girl born 2014-03-10, her father killed at work in 2020: 供养亲属抚恤金 (Art. 39) to 18
    (令第18号 Art. 3), indexed each January by the dependants' weights of wage growth and CPI, paid
    monthly to the average number alive (CL6 x the dependant load), discounted from mid-year."""
    rec = _record(birth_date="2014-03-10", award_date="2020-06-01")
    v = valuation.value(rec, valuation_date="2025-01-01", province=demo, discount=RATE)
    years = list(range(2025, 2040))
    policy = wifund.Policy.load(demo.default_policy)
    resolved, _ = resolve_policy(policy, years)
    a = wifund.Assumptions.default()
    cpi = a.path("cpi", years)
    aw = run.fund["avg_monthly_wage"]
    qx = pd.read_csv(wifund.datasets.__file__.replace("datasets.py", "data/life_tables/cl2010_2013_qx.csv"))
    q_table = qx.set_index("age")[a.claim("mortality_dependants")[1]]  # female dependants
    load = float(a.claim("dependant_mortality_load"))
    ins = demo.insured
    aw_prev = {2024: float((ins["insured"] * ins["avg_monthly_wage"]).sum() / ins["insured"].sum())}
    # the stock is indexed from the first valued year (amounts are those at the base-year end)
    age, n, amount, pv, disc = 2025 - 2014 - 1, 1.0, 1000.0, 0.0, 1.0
    for k, t in enumerate(years):
        p = resolved[k]
        assert p.indexation.percentage and not p.increments  # no flat increment dated after 2024
        w = p.indexation.dependant_wage_weight
        growth = float(aw[t]) / (aw_prev[2024] if k == 0 else float(aw[t - 1])) - 1
        amount *= 1 + w * growth + (1 - w) * cpi[k]
        if age >= 18:
            break
        q = min(1.0, load * float(q_table[age]))
        pv += disc / np.sqrt(1 + RATE) * 12 * amount * n * (1 - q / 2)
        disc /= 1 + RATE
        n *= 1 - q
        age += 1
    assert age == 18
    assert v.rows["pv_dependant_pension"].iloc[0] == pytest.approx(pv, rel=1e-9)
    assert v.total == pytest.approx(pv, rel=1e-9)
    assert v.totals.loc[("Jingcheng", "child"), "pv"] == pytest.approx(pv, rel=1e-9)


def test_cohort_rows_equal_individual_records(demo: wifund.Province) -> None:
    """The beneficiary-table form (age, award_year, count) and individual records value alike."""
    rec = pd.concat([_record(birth_date="1960-07-15", award_date="2010-03-01", kind="parent", sex="M")] * 3)
    table = pd.DataFrame(
        [
            dict(city="Jingcheng", kind="parent", grade=0, care_level="", sex="M", age=64, count=3.0,
                 monthly_amount=1000.0, pension=0.0, award_year=2010, retired=0, lone=0, birth_year=1960,
                 birth_month=7)
        ]
    )  # fmt: skip
    a = valuation.value(rec.reset_index(drop=True), province=demo, discount=RATE)
    b = valuation.value(table, province=demo, discount=RATE)
    assert a.total == pytest.approx(b.total, rel=1e-12)
    assert b.total > 0


def test_liability_falls_with_the_discount_rate_and_mortality(demo: wifund.Province) -> None:
    ben = demo.beneficiaries.sample(200, random_state=1)
    base = valuation.value(ben, province=demo, discount=0.03)
    assert valuation.value(ben, province=demo, discount=0.05).total < base.total
    assert valuation.value(ben, province=demo, discount=0.03, mortality_load=1.3).total < base.total
    # totals by city and kind add up to the rows (accounting identity)
    assert base.totals["pv"].sum() == pytest.approx(base.rows["pv"].sum(), rel=1e-12)
    cols = [f"pv_{i}" for i in valuation.ITEMS]
    np.testing.assert_allclose(base.rows[cols].sum(axis=1), base.rows["pv"], rtol=1e-12)


LONG_TERM = ["disability_allowance", "allowance_topup", "care_allowance", "dependant_pension"]


@pytest.fixture(scope="module")
def small(demo: wifund.Province) -> wifund.Province:
    import dataclasses

    return dataclasses.replace(demo, beneficiaries=demo.beneficiaries.sample(300, random_state=7))


def test_financing_liability_roll_and_gap(small: wifund.Province) -> None:
    """Closed group: L_start = Σ_{k<=j} D_k paid_k + v^(j+1) L_j for every year end j (the liability
    rolls with the projection's payments), and the GAP by a direct PV sum (second method)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        run = wifund.project(small, years=10).rerun(incidence_multiplier=0.0)
    fin = run.financing(discount=RATE)
    assert isinstance(fin, valuation.Financing)
    start = valuation.value(small.beneficiaries, province=small, discount=RATE, per_row=False)
    l0 = start.totals[LONG_TERM].to_numpy().sum()
    paid = run.expenditure_by_item[LONG_TERM].sum(axis=1).to_numpy()
    raw = wifund._core.valuation.financing(
        wifund._bridge.build_input(small, wifund.Policy.load(small.default_policy), run.assumptions, 10)[0],
        [RATE],
        incidence_multiplier=0.0,
    )
    lt = np.asarray(raw["liability_end"])[:, :4].sum(axis=1)
    np.testing.assert_allclose(lt + np.asarray(raw["liability_end"])[:, 4], fin.by_year["liability_end"], rtol=1e-12)
    for j in range(10):
        pv = sum(paid[k] / (1 + RATE) ** (k + 0.5) for k in range(j + 1))
        assert pv + lt[j] / (1 + RATE) ** (j + 1) == pytest.approx(l0, rel=1e-9)
    assert np.all(fin.by_year["award_capital"] == 0)
    # GAP: rate x Σ D_k P_k + opening = Σ D_k E_k, term by term
    f = run.fund
    spend = f["expenditure"] - run.expenditure_by_item["advance_repayment"]
    d = [(1 + RATE) ** -(k + 0.5) for k in range(10)]
    gap = (sum(dk * e for dk, e in zip(d, spend)) - f["opening"].iloc[0]) / sum(
        dk * p for dk, p in zip(d, f["covered_payroll"])
    )
    assert fin.general_average_premium == pytest.approx(gap, rel=1e-12)
    extra = (
        fin.by_year["liability_end"].iloc[-1] / (1 + RATE) ** 10 / sum(dk * p for dk, p in zip(d, f["covered_payroll"]))
    )
    assert fin.general_average_premium_terminal == pytest.approx(gap + extra, rel=1e-9)
    ratio = f["closing"] / fin.by_year["liability_end"]
    np.testing.assert_allclose(fin.by_year["reserve_adequacy_ratio"], ratio, rtol=1e-12)


def test_financing_with_awards(small: wifund.Province) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        run = wifund.project(small, years=5)
    fy = run.financing().by_year
    assert (fy["award_capital"] > 0).all()
    tfr = (fy["award_capital"] + fy["short_term_costs"]) / run.fund["covered_payroll"]
    np.testing.assert_allclose(fy["terminal_funding_rate"], tfr, rtol=1e-12)
    assert (fy["terminal_funding_rate"] > 0).all() and (fy["liability_end"] > 0).all()
