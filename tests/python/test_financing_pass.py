"""Projection.financing() in one pass (issues #11 item 3, #14 item 5): method "pass" (one roll of the
book tagged by vintage) against method "roll" (the reference: a roll to extinction at every year end),
the roll-forward identity that defines "pass", the closed group, and the bad inputs.

The definitions (include/wifund/valuation/financing.hpp, docs/valuation.md "Financing indicators"), with
P[v][s] the payments of year s to vintage v (0: the stock, j + 1: the awards of year j):
  award_capital(j) = Σ_{s≥j} M(s)/V(j) P[j+1][s],   liability_end(j) = Σ_{s>j} M(s)/V(j+1) Σ_{v≤j+1} P[v][s].
"""

from __future__ import annotations

import dataclasses
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_valuation_consistency import beneficiary_sets

import wifund
from wifund import _core, valuation
from wifund._bridge import _cohort_columns, build_input

YEARS = 30
LONG_TERM = ["disability_allowance", "allowance_topup", "care_allowance", "dependant_pension"]
ITEMS = list(_core.axes.expenditure_items)
# The bound of the demo's liability_end, pass against roll (measured: 1.2e-3 relative at the first year end,
# 1.9e-2 at the 30th, all of it in the dependants' pensions: the Art. 39 ¶3 deaths grouped by vintage
# instead of across vintages).
LIABILITY_BOUND = 0.025


@pytest.fixture(scope="module")
def demo() -> wifund.Province:
    return wifund.Province.demo()


def _input(province: wifund.Province, years: int, no_dependants: bool = False, stock: bool = True) -> Any:
    inp, _ = build_input(province, wifund.Policy.load(province.default_policy), wifund.Assumptions.default(), years)
    if no_dependants:
        # One family composition with no spouse, child or parent: the deaths (at work and of grade 1-4
        # recipients, Art. 39 ¶3) bring the funeral grant only, which is linear in the deaths.
        claims = inp.claims
        claims.family_spouses, claims.family_children, claims.family_parents = [0], [0], [0]
        claims.family_weights = [1.0]
        inp.claims = claims
    if not stock:
        base = inp.base
        base.set_beneficiaries(**_cohort_columns(province, province.beneficiaries.iloc[0:0]))
        inp.base = base
    return inp


def _both(inp: Any, rates: list[float], **kw: Any) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    raw = [_core.valuation.financing(inp, rates, method=m, **kw) for m in ("pass", "roll")]
    p, r = ({k: np.asarray(v, dtype=float) for k, v in d.items()} for d in raw)
    return p, r


def _close(a: np.ndarray, b: np.ndarray, rtol: float) -> None:
    """a == b to rtol relative, entries near 0 (items with no payments) to rtol x the largest."""
    np.testing.assert_allclose(a, b, rtol=rtol, atol=rtol * float(np.abs(b).max()))


def _rate(rates: list[float], i: int) -> float:
    return rates[min(i, len(rates) - 1)]


@pytest.fixture(scope="module")
def demo_both(demo: wifund.Province) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], list[float]]:
    inp = _input(demo, YEARS)
    rates = [float(v) for v in np.asarray(inp.economy.interest_rate, dtype=float)]
    p, r = _both(inp, rates)
    return p, r, rates


def test_demo_award_capital_equals_roll(demo_both: Any) -> None:
    """No flat-by-grade round on the demo: each year's awards are grouped by city and sex within their
    vintage in both methods, so the capital values agree to rounding, item by item."""
    p, r, _ = demo_both
    assert (r["award_capital"].sum(axis=1) > 0).all()
    _close(p["award_capital"], r["award_capital"], 1e-12)
    np.testing.assert_allclose(p["liability_start"], r["liability_start"], rtol=1e-12, atol=1e-3)


def test_demo_liability_end_within_bound(demo_both: Any) -> None:
    """The demo with its Art. 39 ¶3 dependants: the liabilities differ through the grouping of the deaths
    only (by vintage in pass, across vintages in roll), within LIABILITY_BOUND; the first year end, where
    the book holds two vintages, and the later ones alike."""
    p, r, _ = demo_both
    lp, lr = p["liability_end"].sum(axis=1), r["liability_end"].sum(axis=1)
    rel = np.abs(lp / lr - 1)
    assert rel.max() < LIABILITY_BOUND, rel.max()
    assert rel.max() > 0  # the grouping does differ on the demo (else the no-dependants test says it all)
    # the items that the grouping cannot move (the recipients' own benefits) agree to rounding
    own = [LONG_TERM.index(i) for i in ("disability_allowance", "allowance_topup", "care_allowance")]
    np.testing.assert_allclose(p["liability_end"][:, own], r["liability_end"][:, own], rtol=1e-12)


def test_demo_report_api(demo: wifund.Province, demo_both: Any) -> None:
    """Projection.financing(): method "pass" is the default and is cached; "roll" is the reference."""
    p, r, _ = demo_both
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        run = wifund.project(demo, years=YEARS)
    fin = run.financing()
    assert fin is run.financing(method="pass")
    np.testing.assert_allclose(fin.by_year["award_capital"], p["award_capital"].sum(axis=1), rtol=1e-12)
    np.testing.assert_allclose(fin.by_year["liability_end"], p["liability_end"].sum(axis=1), rtol=1e-12)
    ratio = run.fund["closing"] / fin.by_year["liability_end"]
    np.testing.assert_allclose(fin.by_year["reserve_adequacy_ratio"], ratio, rtol=1e-12)


def _cash_check(p: dict[str, np.ndarray], flows: np.ndarray, years: int) -> None:
    """The undiscounted payments of the pass (all vintages) are the projection's, year by year."""
    cash = p["cash"][:years, : len(LONG_TERM)].sum(axis=1)
    np.testing.assert_allclose(cash, flows, rtol=1e-11, atol=1e-6)


def test_no_dependants_liability_equals_roll_and_cash_is_the_projections(demo: wifund.Province) -> None:
    """Where the Art. 39 ¶3 deaths bring no dependants the grouping cannot differ: liability_end of pass
    equals roll to rounding, and the pass's payments of the horizon years are the projection's."""
    years = 12
    inp = _input(demo, years, no_dependants=True)
    rates = [0.025, 0.03, 0.035]
    p, r = _both(inp, rates)
    _close(p["award_capital"], r["award_capital"], 1e-12)
    _close(p["liability_end"], r["liability_end"], 1e-12)
    raw = _core.fund.project(inp)
    flows = raw["city_expenditure"].sum(axis=0)[:, [ITEMS.index(i) for i in LONG_TERM]].sum(axis=1)
    _cash_check(p, flows, years)


def test_cash_of_the_pass_against_the_projection(demo: wifund.Province) -> None:
    """With the dependants: the projection groups the Art. 39 ¶3 deaths of a city and sex across vintages,
    the pass by vintage; the payments differ by that only. Measured on the demo: the long-term payments
    by 5.0e-6 relative in the first year (two vintages: the stock and the year's awards), 5.1e-3 at most
    over 30 years; the dependants' pensions by 1.9e-2 at most."""
    inp = _input(demo, YEARS)
    p = {k: np.asarray(v, dtype=float) for k, v in _core.valuation.financing(inp, [0.03]).items()}
    raw = _core.fund.project(inp)
    flows = raw["city_expenditure"].sum(axis=0)[:, [ITEMS.index(i) for i in LONG_TERM]]
    cash = p["cash"][:YEARS, : len(LONG_TERM)]
    rel = np.abs(cash.sum(axis=1) / flows.sum(axis=1) - 1)
    assert rel[0] < 1e-5 and rel.max() < 1e-2, rel
    assert np.abs(cash[:, 3] / flows[:, 3] - 1).max() < LIABILITY_BOUND
    # the recipients' own benefits do not depend on the grouping
    own = [ITEMS.index(i) for i in ("disability_allowance", "allowance_topup", "care_allowance")]
    np.testing.assert_allclose(
        p["cash"][:YEARS, :3], raw["city_expenditure"].sum(axis=0)[:, own], rtol=1e-11, atol=1e-6
    )


def _identity(p: dict[str, np.ndarray], rates: list[float], years: int) -> None:
    """L(j) = (1 + r_j) [L(j-1) + A(j) - (1 + r_j)^-1/2 paid_j], L(-1) = the stock's liability at the start,
    paid_j = every payment of year j (the year's own awards included), item by item."""
    prev = p["liability_start"][0]
    for j in range(years):
        r = _rate(rates, j)
        rhs = (1 + r) * (prev + p["award_capital"][j] - p["cash"][j] / np.sqrt(1 + r))
        np.testing.assert_allclose(p["liability_end"][j], rhs, rtol=1e-9, atol=1e-9 * np.abs(rhs).max())
        prev = p["liability_end"][j]


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.data(),
    years=st.integers(3, 8),
    rates=st.lists(st.floats(0.0, 0.08), min_size=1, max_size=4),
    incidence=st.floats(0.3, 3.0),
    truncate=st.booleans(),
)
def test_random_provinces(
    demo: wifund.Province, data: st.DataObject, years: int, rates: list[float], incidence: float, truncate: bool
) -> None:
    """Random stocks, horizons, discount paths and incidence multipliers: award_capital of pass equals
    roll (1e-12), the roll-forward identity holds (1e-9), the liability is within LIABILITY_BOUND of
    the roll's."""
    ben = data.draw(beneficiary_sets(list(demo.city_names)))
    prov = dataclasses.replace(demo, beneficiaries=ben)
    inp = _input(prov, years)
    kw: dict[str, Any] = {"incidence_multiplier": incidence}
    if truncate:
        kw["end_index"] = years + 20
    p, r = _both(inp, rates, **kw)
    _close(p["award_capital"], r["award_capital"], 1e-12)
    np.testing.assert_allclose(p["liability_start"], r["liability_start"], rtol=1e-12, atol=1e-9)
    _identity(p, rates, years)
    lp, lr = p["liability_end"].sum(axis=1), r["liability_end"].sum(axis=1)
    assert np.abs(lp / lr - 1).max() < LIABILITY_BOUND


def test_demo_roll_forward_identity(demo_both: Any) -> None:
    p, _, rates = demo_both
    _identity(p, rates, YEARS)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), rate=st.floats(0.0, 0.08))
def test_closed_group(demo: wifund.Province, data: st.DataObject, rate: float) -> None:
    """No new awards: liability_end(-1) (the stock at the start) equals valuation.value of the stock (by
    city: the projection's grouping; on value()'s 50-year context), every award_capital is 0, and the
    liability rolls with the payments: L_start = Σ_{k≤j} D_k paid_k + v^(j+1) L_j."""
    ben = data.draw(beneficiary_sets(list(demo.city_names)))
    prov = dataclasses.replace(demo, beneficiaries=ben)
    years = 10
    inp = _input(prov, 50)  # the context of valuation.value (its _CONTEXT_YEARS: the same paths)
    p = {
        k: np.asarray(v, dtype=float)
        for k, v in _core.valuation.financing(inp, [rate], incidence_multiplier=0.0).items()
    }
    v = valuation.value(ben, province=prov, discount=rate, per_row=False)
    total = float(v.totals.drop(columns="pv").to_numpy().sum())
    assert p["liability_start"].sum() == pytest.approx(total, rel=1e-12, abs=1e-6)
    assert (p["award_capital"] == 0).all()
    paid = p["cash"].sum(axis=1)
    for j in range(years):
        pv = sum(paid[k] / (1 + rate) ** (k + 0.5) for k in range(j + 1))
        lhs = pv + p["liability_end"][j].sum() / (1 + rate) ** (j + 1)
        assert lhs == pytest.approx(total, rel=1e-9, abs=1e-6)


def test_award_capital_is_the_pv_of_the_vintage(demo: wifund.Province) -> None:
    """No stock, one year's injuries only: the pass's payments are the projection's (no other vintage to
    group with), and the year's capital value is their PV from 1 January of the year (1e-12), written
    out term by term."""
    years, j = 15, 4
    inp = _input(demo, years, stock=False)
    claims = inp.claims
    inc = np.array(claims.incidence, dtype=float)
    inc[np.arange(len(inc)) != j] = 0.0
    claims.incidence = inc
    inp.claims = claims
    rate = 0.04
    p = {k: np.asarray(v, dtype=float) for k, v in _core.valuation.financing(inp, [rate]).items()}
    raw = _core.fund.project(inp)
    flows = raw["city_expenditure"].sum(axis=0)[:, [ITEMS.index(i) for i in LONG_TERM]].sum(axis=1)
    _cash_check(p, flows, years)
    pay = p["cash"].sum(axis=1)
    pv = sum(pay[s] / (1 + rate) ** (s - j + 0.5) for s in range(j, len(pay)))
    assert p["award_capital"][j].sum() == pytest.approx(pv, rel=1e-12)
    assert p["award_capital"][np.arange(years) != j].sum() == 0
    # the liability at the end of year j is the rest of the same PV, carried forward
    rest = sum(pay[s] / (1 + rate) ** (s - j - 0.5) for s in range(j + 1, len(pay)))
    assert p["liability_end"][j].sum() == pytest.approx(rest, rel=1e-12)


def test_bad_method_and_discount(demo: wifund.Province) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        run = wifund.project(demo, years=3)
    with pytest.raises(ValueError, match=r"financing: method.*'fast'.*\['pass', 'roll'\]"):
        run.financing(method="fast")
    with pytest.raises(ValueError, match=r"financing: method"):
        valuation.financing(run, 0.03, method="Pass")
    with pytest.raises(ValueError, match=r"financing: discount\[1\].*-0\.5"):
        run.financing(discount=[0.03, -0.5])
    with pytest.raises(ValueError, match=r"financing: discount"):
        run.financing(discount=[])
    inp = _input(demo, 3)
    with pytest.raises(ValueError, match=r"financing: method = 'x'"):
        _core.valuation.financing(inp, [0.03], method="x")
    with pytest.raises(ValueError, match=r"financing: discount\[0\]"):
        _core.valuation.financing(inp, [float("nan")])
    with pytest.raises(ValueError, match=r"financing: max_years"):
        _core.valuation.financing(inp, [0.03], max_years=0)


def test_flat_by_grade(demo: wifund.Province) -> None:
    """A flat-by-grade round (人社部发〔2017〕58号: the same yuan for everyone in a grade, a rate times the
    previous year's provincial average): its averages are over the whole book B in pass (as in the
    projection), over the book being valued in roll. Closed group: the same book, so pass equals roll to
    rounding. With awards, the identity still holds, and the two differ by the averages (measured on the
    demo at 3 % over 10 years: 8.8 % on award_capital, 4.1 % on the stock at the start, 3.7 % on
    liability_end at most; over 30 years 7.7 %, 7.5 %, 7.3 %)."""
    years = 10
    policy = wifund.Policy.load(demo.default_policy).override({"benefits.indexation.mode": "flat_by_grade"})
    inp, _ = build_input(demo, policy, wifund.Assumptions.default(), years)
    closed = _both(inp, [0.03], incidence_multiplier=0.0)
    for key in ("liability_start", "liability_end"):
        _close(closed[0][key], closed[1][key], 1e-12)
    p, r = _both(inp, [0.03])
    _identity(p, [0.03], years)
    for key in ("award_capital", "liability_end", "liability_start"):
        rel = np.abs(p[key].sum(axis=1) / r[key].sum(axis=1) - 1)
        assert 1e-3 < rel.max() < 0.1, (key, rel)


def test_blocks_of_cities(demo: wifund.Province, tmp_path: Path) -> None:
    """The pass rolls B in blocks of 16 cities (in parallel). The demo's nine cities four times over (36
    cities: blocks of 16, 16 and 4, each city a copy of a demo city with the same numbers) give four times
    the demo's values (1e-12), and award_capital still equals the roll's."""
    demo.to_dir(tmp_path / "p")
    for name in ("cities", "insured", "beneficiaries"):
        frame = pd.read_csv(tmp_path / "p" / f"{name}.csv", comment="#")
        copies = [frame.assign(city=frame["city"].astype(str) + suffix) for suffix in ("", "-1", "-2", "-3")]
        pd.concat(copies, ignore_index=True).to_csv(tmp_path / "p" / f"{name}.csv", index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the base-year totals are the demo's: the replay warns
        big = wifund.Province.from_dir(tmp_path / "p")
    assert len(big.city_names) == 36
    years = 8
    one = _core.valuation.financing(_input(demo, years), [0.03])
    p, r = _both(_input(big, years), [0.03])
    for key in ("award_capital", "liability_end", "liability_start", "cash"):
        _close(p[key], 4 * np.asarray(one[key], dtype=float), 1e-12)
    _close(p["award_capital"], r["award_capital"], 1e-12)
