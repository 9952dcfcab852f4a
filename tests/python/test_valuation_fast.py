"""The valuation's fast path (``value(..., method="fast")``, include/wifund/valuation/fast.hpp, issue #11
performance) against the roll (``method="roll"``, one cohort book per row chunk, the projection's code):
the same present value per row and item, the same totals and yearly cash flows, on the demo's own
beneficiary table and on random beneficiary sets (hypothesis: retirement by birth month, deferred
spouses and parents, children reaching 18, given own / cap wages, duplicated rows)."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_valuation_consistency import beneficiary_sets

import wifund
from wifund import _core, valuation
from wifund._bridge import _cohort_columns, build_input

RTOL = 1e-9
#: The roll drops cohorts below 1e-9 persons (cohort_book::roll); the fast path values the dependants
#: of one death, so it drops them later. Per row, the difference is the roll's truncation, about
#: 1e-9 / count relative (2e-6 on a demo row of 0.001 persons, 1e-12 at 100): rows are compared at
#: counts of 100 persons and more, the book's totals at its own counts.
MIN_COUNT = 100.0
#: The yearly cash flows (yuan) late in the horizon come from cohorts of a fraction of a person, where
#: that truncation shows in absolute terms: each cohort the roll drops below 1e-9 persons moves a year's
#: payments by less than 1e-9 x its annual amount (< 1e-4 yuan at 100,000 yuan a year). Merging equal
#: dependants' cohorts (cohort_book::award) changes which cohorts reach the threshold, so the cash flows
#: are compared to 1e-9 relative or 1e-3 yuan, whichever is larger (a real error is orders larger).
CASH_ATOL = 1e-3
PV_COLUMNS = [f"pv_{i}" for i in valuation.ITEMS] + ["pv"]


@pytest.fixture(scope="module")
def demo() -> wifund.Province:
    return wifund.Province.demo()


def _compare(roll: valuation.Valuation, fast: valuation.Valuation) -> None:
    r = roll.rows[PV_COLUMNS].to_numpy()
    f = fast.rows[PV_COLUMNS].to_numpy()
    scale = np.maximum(np.abs(r), 1e-6)
    assert np.max(np.abs(f - r) / scale) < RTOL, "per row and item"
    pd.testing.assert_frame_equal(roll.totals, fast.totals, rtol=RTOL, atol=1e-6)
    pd.testing.assert_frame_equal(roll.cash, fast.cash, rtol=RTOL, atol=CASH_ATOL)


def test_demo_book_fast_equals_roll(demo: wifund.Province) -> None:
    """The demo province's beneficiary table, valued per row to 60 years at 3 %: per row at 10,000 x
    the table's counts, totals and cash flows at the table's counts."""
    ben = demo.beneficiaries.iloc[::7].reset_index(drop=True)
    kw = dict(province=demo, discount=0.03, horizon=60)
    big = ben.assign(count=ben["count"] * 1e4)
    assert big["count"].min() >= 10
    _compare(valuation.value(big, **kw), valuation.value(big, method="fast", **kw))  # type: ignore[arg-type]
    roll = valuation.value(ben, **kw)  # type: ignore[arg-type]
    fast = valuation.value(ben, method="fast", **kw)  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(roll.totals, fast.totals, rtol=RTOL)
    assert fast.cash[valuation.ITEMS].to_numpy().sum() == pytest.approx(
        roll.cash[valuation.ITEMS].to_numpy().sum(), rel=RTOL
    )
    assert fast.total > 0 and (fast.rows["pv_dependant_pension"] > 0).any()
    # per_row=False: the same liability, by city and kind paid (the dependants under their own kind)
    by_kind = valuation.value(ben, method="fast", per_row=False, **kw)  # type: ignore[arg-type]
    assert by_kind.total == pytest.approx(fast.total, rel=1e-12)
    dep = [k for k in ("spouse", "child", "parent") if k in by_kind.totals.index.get_level_values("kind")]
    rows_dep = fast.rows[fast.rows["kind"].isin(dep)]["pv"].sum()
    assert by_kind.totals.loc[by_kind.totals.index.get_level_values("kind").isin(dep), "pv"].sum() > rows_dep


def test_equal_rows_are_valued_once_and_shared_by_count(demo: wifund.Province) -> None:
    """Rows equal in every field but the count share one valuation: each gets its count's share, and
    the result equals valuing them apart (the roll) and valuing one row with the summed count."""
    ben = demo.beneficiaries[demo.beneficiaries["kind"] == "allowance"].iloc[:3]
    twice = pd.concat([ben.assign(count=MIN_COUNT), ben.assign(count=2.5 * MIN_COUNT)], ignore_index=True)
    kw = dict(province=demo, discount=0.025, horizon=70)
    fast = valuation.value(twice, method="fast", **kw)  # type: ignore[arg-type]
    _compare(valuation.value(twice, **kw), fast)  # type: ignore[arg-type]
    one = valuation.value(ben.assign(count=3.5 * MIN_COUNT).reset_index(drop=True), **kw)  # type: ignore[arg-type]
    pv = fast.rows["pv"].to_numpy()
    np.testing.assert_allclose(pv[3:] / pv[:3], 2.5, rtol=1e-12)
    np.testing.assert_allclose(pv[:3] + pv[3:], one.rows["pv"].to_numpy(), rtol=RTOL)


@st.composite
def with_wages(draw: st.DrawFn, cities: list[str]) -> pd.DataFrame:
    """beneficiary_sets with, on some allowance rows, the own / cap wages given (Art. 39 cap), and a
    duplicated row."""
    ben = draw(beneficiary_sets(cities))
    ben["count"] *= MIN_COUNT / 0.5  # beneficiary_sets draws 0.5..50
    allowance = (ben["kind"] == "allowance").to_numpy()
    if draw(st.booleans()):
        own = np.where(allowance, ben["monthly_amount"] / 0.7, np.nan)
        ben["own_wage"] = np.where(allowance & (np.arange(len(ben)) % 2 == 0), own, np.nan)
        # own wage only on rows 0, 6, ... (shared probes), both on 2, 4, 8, ..., cap wage only on 1, 5, ...
        # (rho moves with the indexed own wage: row by row)
        capped = np.arange(len(ben)) % 3 != 0
        ben["cap_wage"] = np.where(allowance & capped, own * draw(st.floats(0.6, 1.5)), np.nan)
    if draw(st.booleans()):
        ben = pd.concat([ben, ben.iloc[[0]].assign(count=MIN_COUNT)], ignore_index=True)
    return ben


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), rate=st.floats(0.0, 0.08))
def test_random_sets_fast_equals_roll(demo: wifund.Province, data: st.DataObject, rate: float) -> None:
    ben = data.draw(with_wages(list(demo.city_names)))
    prov = dataclasses.replace(demo, beneficiaries=ben)
    kw = dict(province=prov, discount=rate, horizon=80)
    _compare(valuation.value(ben, **kw), valuation.value(ben, method="fast", **kw))  # type: ignore[arg-type]


def test_bad_method(demo: wifund.Province) -> None:
    with pytest.raises(ValueError, match="method = 'quick' must be 'roll' or 'fast'"):
        valuation.value(demo.beneficiaries.iloc[:2], province=demo, method="quick")


def test_core_checks_the_rows_and_keeps_them(demo: wifund.Province) -> None:
    """The C++ valuation builds its context without the rows but checks them with make_context's
    message, and leaves them in the input (a second call sees the same rows)."""
    ben = demo.beneficiaries.iloc[:20].copy()
    inp, _ = build_input(demo, wifund.Policy.load(demo.default_policy), wifund.Assumptions.default(), 50)
    base = inp.base
    good = _cohort_columns(SimpleNamespace(city_names=demo.city_names, base_year=2024), ben)
    base.set_beneficiaries(**good)
    inp.base = base
    first = _core.valuation.value_fast(inp, 0, [0.03])
    again = _core.valuation.value_fast(inp, 0, [0.03])
    np.testing.assert_array_equal(first["pv"], again["pv"])
    bad = dict(good, count=np.where(np.arange(len(ben)) == 3, -1.0, np.asarray(good["count"], dtype=float)))
    base.set_beneficiaries(**bad)
    inp.base = base
    for fn in (_core.valuation.value_fast, _core.valuation.value):
        with pytest.raises(ValueError, match=r"make_context: beneficiaries\[3\] \(.*\)\.count = -1 must be finite"):
            fn(inp, 0, [0.03])


@pytest.mark.parametrize("cutoff", ["2026-12-31", "2010-12-31"])
def test_future_increment_fast_equals_roll(demo: wifund.Province, cutoff: str) -> None:
    """A flat increment dated after the valuation date (吉人社发〔2022〕24号-style, with its floor top-up)
    reaches the rows and the Art. 39 ¶3 dependants awarded up to its cutoff: those rows take the
    row-by-row path and the dependants' fixed part B (docs/valuation.md "The fast path"); with the
    2010 cutoff the later awards keep the shared probes."""
    policy = wifund.Policy.load(demo.default_policy).override(
        increments=[
            dict(
                effective="2027-01-01",
                cutoff=cutoff,
                allowance=[120, 100, 80, 60, 0, 0],
                legacy_subsidy=[60, 55, 50, 45, 40, 35, 30, 25, 20, 15],
                care=[90, 70, 50],
                spouse=40,
                other=30,
                lone_extra=10,
                floor=3000,
                floor_topup=50,
                source="test",
            )
        ]
    )
    ben = demo.beneficiaries.iloc[::97].reset_index(drop=True)
    ben = ben.assign(count=ben["count"] * 1e4)
    kw = dict(policy=policy, province=demo, discount=0.03, horizon=60)
    roll = valuation.value(ben, **kw)  # type: ignore[arg-type]
    fast = valuation.value(ben, method="fast", **kw)  # type: ignore[arg-type]
    _compare(roll, fast)
    assert fast.total > valuation.value(ben, method="fast", province=demo, discount=0.03, horizon=60).total


@pytest.mark.parametrize(
    "override",
    [{"benefits.indexation.exclude_retired": True}, {"benefits.indexation.mode": "flat"}],
    ids=["exclude-retired", "no-indexation"],
)
def test_indexation_variants_fast_equals_roll(demo: wifund.Province, override: dict[str, object]) -> None:
    """The round skipping retired recipients (their top-up shrinks) and no percentage round at all."""
    policy = wifund.Policy.load(demo.default_policy).override(override)
    ben = demo.beneficiaries.iloc[::131].reset_index(drop=True)
    ben = ben.assign(count=ben["count"] * 1e4)
    kw = dict(policy=policy, province=demo, discount=0.02, horizon=70)
    _compare(valuation.value(ben, **kw), valuation.value(ben, method="fast", **kw))  # type: ignore[arg-type]


def test_flat_by_grade_is_refused(demo: wifund.Province) -> None:
    """人社部发〔2017〕58号's round depends on the whole book's averages: not additive by row."""
    policy = wifund.Policy.load(demo.default_policy).override({"benefits.indexation.mode": "flat_by_grade"})
    ben = demo.beneficiaries.iloc[:30]
    with pytest.raises(ValueError, match=r"flat-by-grade indexation in 2025 .* not additive by row"):
        valuation.value(ben, policy=policy, province=demo, method="fast", per_row=False)
    assert valuation.value(ben, policy=policy, province=demo, per_row=False).total > 0


@pytest.mark.parametrize("text", ["str", "object"])
def test_user_frame_is_not_modified(demo: wifund.Province, text: str) -> None:
    """The checks replace columns of their own frame of the rows (no deep copy of 1,000,000 text cells,
    province._columns) and never write into the caller's: after value() (both methods, both modes),
    Province(...) and writes into the result's rows, the caller's frame is as it was, values and dtypes."""
    ben = demo.beneficiaries.iloc[::211].reset_index(drop=True)
    allowance = (ben["kind"] == "allowance").to_numpy()
    ben["own_wage"] = np.where(allowance, ben["monthly_amount"] / 0.7, np.nan)
    ben["cap_wage"] = np.where(allowance & (np.arange(len(ben)) % 2 == 0), ben["monthly_amount"], np.nan)
    ben["pay_from"] = " " + ben["pay_from"] + " "  # stripped by the checks (missing cells stay missing)
    ben["birth_year"] = (2024 - ben["age"]).where(np.arange(len(ben)) % 3 > 0)  # some not given
    ben["birth_month"] = 1 + np.arange(len(ben)) % 12
    ben["grade"] = ben["grade"].where(ben["kind"].isin(["allowance", "care", "legacy_subsidy"]))  # NaN
    if text == "object":  # from SQL or Excel: object columns, a None level, integer grades as floats
        for c in ("city", "kind", "sex", "care_level", "pay_from"):
            ben[c] = ben[c].astype(object)
        ben.loc[ben["kind"] != "care", "care_level"] = None
    ben.index = 7 + 3 * np.arange(len(ben))  # a caller's own index
    assert ben["pay_from"].notna().any() and ben["own_wage"].notna().any()
    before = ben.copy(deep=True)
    kw = dict(province=demo, discount=0.03, horizon=30)
    for method in ("fast", "roll"):
        for per_row in (True, False):
            v = valuation.value(ben, method=method, per_row=per_row, **kw)  # type: ignore[arg-type]
            pd.testing.assert_frame_equal(ben, before)
    assert v.total > 0
    rows = valuation.value(ben, method="fast", **kw).rows  # type: ignore[arg-type]
    given = before["pay_from"].notna().to_numpy()
    assert list(rows["pay_from"][given]) == [s.strip() for s in before["pay_from"][given]]
    rows.loc[:, "monthly_amount"] = 0.0
    rows.loc[:, "city"] = "X"
    checked = dataclasses.replace(demo, beneficiaries=ben).beneficiaries
    checked.loc[:, "count"] = -1.0
    pd.testing.assert_frame_equal(ben, before)
    records = pd.DataFrame(
        dict(
            city=["Jingcheng", "Jingcheng"], kind=["spouse", "allowance"], grade=[0, 2], care_level=["", ""],
            sex=["F", "M"], birth_date=["1970-05-01", "1966-03-04"], award_date=["2015-01-01", "2010-02-02"],
            monthly_amount=[900.0, 3000.0],
        )
    )  # fmt: skip
    records_before = records.copy(deep=True)
    assert valuation.value(records, method="fast", **kw).total > 0  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(records, records_before)
