"""Valuation vs projection (issue #11 item 4): for a closed group (no new awards) the projection's
long-term payments, discounted at the valuation rate, equal the valuation liability; the capital value
of one year's awards equals the discounted payments the projection makes to that award cohort.
Property-tested over random beneficiary sets (retirement switches by birth month, deferred spouses and
parents from the Art. 39 ¶3 deaths of grade 1-4 recipients, children reaching 18)."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import wifund
from wifund import _core, valuation
from wifund._bridge import _cohort_columns, build_input

YEARS = 25
LONG_TERM = ["disability_allowance", "allowance_topup", "care_allowance", "dependant_pension"]
KINDS = list(_core.axes.benefit_kinds)
ITEMS = list(_core.axes.expenditure_items)


@pytest.fixture(scope="module")
def demo() -> wifund.Province:
    return wifund.Province.demo()


def _pv(flows: np.ndarray, rates: list[float]) -> float:
    """Σ_k D_k flows_k with D_k = Π_{i<k}(1+r_i)^-1 (1+r_k)^-1/2 (mid-year), written out."""
    total, acc = 0.0, 1.0
    for k, f in enumerate(flows):
        r = rates[min(k, len(rates) - 1)]
        total += acc / (1 + r) ** 0.5 * f
        acc /= 1 + r
    return total


@st.composite
def beneficiary_sets(draw: st.DrawFn, cities: list[str]) -> pd.DataFrame:
    rows = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(KINDS))
        sex = draw(st.sampled_from(["M", "F"]))
        lo, hi = {"allowance": (35, 66), "care": (30, 90), "child": (0, 17)}.get(kind, (40, 90))
        age = draw(st.integers(lo, hi))
        grade = (
            draw(st.integers(1, 4))
            if kind in ("allowance", "care")
            else draw(st.integers(1, 10))
            if kind == "legacy_subsidy"
            else 0
        )
        retired = int(kind == "allowance" and age >= 60 and draw(st.booleans()))
        amount = draw(st.floats(500, 6000))
        rows.append(
            dict(
                city=draw(st.sampled_from(cities)),
                kind=kind,
                grade=grade,
                care_level=draw(st.sampled_from(list(_core.axes.care_levels))) if kind == "care" else "",
                sex=sex,
                age=age,
                count=draw(st.floats(0.5, 50)),
                monthly_amount=amount,
                pension=0.8 * amount if retired else 0.0,
                award_year=draw(st.integers(2000, 2024)),
                retired=retired,
                lone=int(kind in ("child", "parent") and draw(st.booleans())),
                birth_month=draw(st.integers(1, 12)),
            )
        )
    frame = pd.DataFrame(rows)
    frame["birth_year"] = 2024 - frame["age"]
    return frame


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), rate=st.floats(0.0, 0.08))
def test_closed_group_equals_projection(demo: wifund.Province, data: st.DataObject, rate: float) -> None:
    ben = data.draw(beneficiary_sets(list(demo.city_names)))
    prov = dataclasses.replace(demo, beneficiaries=ben)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        run = wifund.project(prov, years=YEARS).rerun(incidence_multiplier=0.0)
    paid = run.expenditure_by_item[LONG_TERM].sum(axis=1).to_numpy()
    v = valuation.value(ben, province=prov, discount=rate, horizon=YEARS, per_row=False)
    cash = v.cash[LONG_TERM].sum(axis=1).to_numpy()
    np.testing.assert_allclose(cash, paid, rtol=1e-9, atol=1e-6)
    lt = v.totals[LONG_TERM].to_numpy().sum()
    assert lt == pytest.approx(_pv(paid, [rate]), rel=1e-6, abs=1e-6)
    # Per row: the same when a city has at most one allowance row of each sex (the projection groups
    # the deaths of a city and sex for their Art. 39 ¶3 dependants; docs/valuation.md).
    allow = ben[ben["kind"] == "allowance"]
    if not allow.duplicated(["city", "sex"]).any():
        r = valuation.value(ben, province=prov, discount=rate, horizon=YEARS)
        assert r.rows[[f"pv_{i}" for i in LONG_TERM]].to_numpy().sum() == pytest.approx(lt, rel=1e-9, abs=1e-6)
        assert r.total == pytest.approx(v.total, rel=1e-9, abs=1e-6)


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(year_index=st.integers(0, 8), rate=st.floats(0.0, 0.06))
def test_award_capital_equals_projection_payments(demo: wifund.Province, year_index: int, rate: float) -> None:
    """Only the injuries of one year (no stock): their awards' capital value at 1 January of the year
    equals the discounted long-term payments the projection makes from that year on (deferred spouses
    and parents of the deaths at work included)."""
    inp, _ = build_input(demo, wifund.Policy.load(demo.default_policy), wifund.Assumptions.default(), YEARS)
    base = inp.base
    base.set_beneficiaries(**_cohort_columns(demo, demo.beneficiaries.iloc[0:0]))
    inp.base = base
    claims = inp.claims
    inc = np.array(claims.incidence, dtype=float)
    inc[np.arange(len(inc)) != year_index] = 0.0
    claims.incidence = inc
    inp.claims = claims
    raw = _core.fund.project(inp)
    flows = raw["city_expenditure"].sum(axis=0)[:, [ITEMS.index(i) for i in LONG_TERM]].sum(axis=1)
    assert flows[:year_index].sum() == 0 and flows[year_index] > 0
    fin = _core.valuation.financing(inp, [rate], end_index=YEARS)
    cap = np.asarray(fin["award_capital"])[year_index, : len(LONG_TERM)].sum()
    assert cap == pytest.approx(_pv(flows[year_index:], [rate]), rel=1e-6)
    assert np.asarray(fin["award_capital"])[np.arange(YEARS) != year_index].sum() == 0
