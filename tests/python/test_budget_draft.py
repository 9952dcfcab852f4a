"""The budget draft (issue #10 item 1): wifund.budget.draft against the projection engine (a second
method: the labelled projection's by_city frame, mapped to budget lines independently here), the
seasonal phasing, the tax bureau's targets, the qualitative adjustments and bad input."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wifund
from wifund import budget as B

from badinput import Case, check

LEVEL = "(provincial level)"


@pytest.fixture(scope="module")
def demo():
    return wifund.Province.demo()


@pytest.fixture(scope="module")
def proj2(demo):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return wifund.project(demo, years=2)


def _lines_by_hand(proj, year):
    """by_city of one year as budget lines, written independently of wifund.budget.projection_lines:
    contributions include project premiums, the fiscal advance is the fiscal subsidy."""
    d = proj.by_city[proj.by_city["year"] == year].pivot_table(index="city", columns="item", values="value")
    out = pd.DataFrame(index=d.index)
    out["contributions"] = d["contributions"] + d["project_premiums"]
    out["interest"] = d["interest"]
    out["other_income"] = d["other_income"]
    out["fiscal_subsidy"] = d["fiscal_advance"]
    for item in wifund._core.axes.expenditure_items:
        out[item] = d[item]
    return out


def _actuals_from(proj, year, scale=None):
    """Monthly actuals of ``year`` equal to the projection's figures (even months), city contributions
    optionally scaled."""
    lines = _lines_by_hand(proj, year)
    rows = []
    for city, r in lines.iterrows():
        for line, v in r.items():
            if line == "contributions" and scale and city in scale:
                v = v * scale[city]
            rows += [(city, year, m, line, v / 12.0) for m in range(1, 13)]
    return pd.DataFrame(rows, columns=["city", "year", "month", "line", "value"])


def _close(a, b, rel=1e-9):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    assert np.all(np.abs(a - b) <= rel * np.maximum(1.0, np.abs(b))), np.max(np.abs(a - b))


def test_draft_from_the_base_year_is_the_projections_first_year(demo, proj2):
    d = B.draft(demo, year=2025)
    assert d.cities == demo.city_names + [LEVEL]
    want = _lines_by_hand(proj2, 2025).reindex(d.cities)
    got = d.annual
    for line in want.columns:
        _close(got[line], want[line])
    for line in B.CARRIED_LINES:
        assert (got[line] == 0).all()
    _close(d.monthly().groupby(["city", "line"], sort=False)["value"].sum().unstack()[got.columns].loc[d.cities], got)
    # even months without prior actuals
    m = d.monthly()
    assert np.allclose(m.groupby(["city", "line"])["value"].std().fillna(0), 0)


def test_draft_from_actual_year_end_continues_the_projection(demo, proj2):
    act = _actuals_from(proj2, 2025)
    d = B.draft(demo, year=2026, prior_actuals=act)
    want = _lines_by_hand(proj2, 2026).reindex(d.cities)
    for line in want.columns:
        _close(d.annual[line], want[line], 1e-9)
    _close(d.basis["execution_ratio"], 1.0)


def test_prior_execution_scales_the_citys_insured(demo, proj2):
    city = demo.city_names[2]
    act = _actuals_from(proj2, 2025, {city: 0.9})
    d = B.draft(demo, year=2026, prior_actuals=act)
    assert d.basis.loc[city, "execution_ratio"] == pytest.approx(0.9, rel=1e-12)
    by_hand = proj2.by_class[(proj2.by_class.year == 2026)].groupby("city")["insured"].sum()
    assert d.basis.loc[city, "engine_insured"] == pytest.approx(0.9 * by_hand[city], rel=1e-9)
    other = demo.city_names[0]
    assert d.basis.loc[other, "engine_insured"] == pytest.approx(by_hand[other], rel=1e-9)
    # a city reporting less contributes less next year, and the carried lines come from the actuals
    assert d.annual.loc[city, "contributions"] < _lines_by_hand(proj2, 2026).loc[city, "contributions"]


def test_carried_lines_and_seasonal_phasing_from_prior_actuals(demo, proj2):
    act = _actuals_from(proj2, 2025)
    city = demo.city_names[0]
    weights = np.arange(1, 13, dtype=float)
    extra = pd.DataFrame(
        [(city, 2025, m, "transfer_out", 1000.0 * w) for m, w in zip(range(1, 13), weights)],
        columns=act.columns,
    )
    act = pd.concat([act, extra], ignore_index=True)
    sel = (act.city == city) & (act.line == "medical")
    act.loc[sel, "value"] = act.loc[sel, "value"].to_numpy() * 12 * weights / weights.sum()
    d = B.draft(demo, year=2026, prior_actuals=act)
    assert d.annual.loc[city, "transfer_out"] == pytest.approx(1000.0 * weights.sum(), rel=1e-12)
    m = d.monthly()
    med = m[(m.city == city) & (m.line == "medical")].sort_values("month")["value"].to_numpy()
    _close(med / med.sum(), weights / weights.sum(), 1e-12)


def test_targets_override_contributions_and_rescale_insured(demo, proj2):
    c0, c1 = demo.city_names[0], demo.city_names[1]
    base = B.draft(demo, year=2025)
    # an empty cell is no target for that city
    t = pd.DataFrame({"city": [c0, c1], "contributions": [1.234e8, np.nan], "insured": [np.nan, 5.0e5]})
    both = B.draft(demo, year=2025, targets=t)
    assert both.annual.loc[c0, "contributions"] == pytest.approx(1.234e8, rel=1e-12)
    assert both.basis.loc[c1, "engine_insured"] == pytest.approx(5.0e5, rel=1e-9)
    assert np.isnan(both.basis.loc[c0, "insured_target"]) and np.isnan(both.basis.loc[c1, "contributions_target"])
    d = B.draft(demo, year=2025, targets={c0: 1.234e8})
    assert d.annual.loc[c0, "contributions"] == pytest.approx(1.234e8, rel=1e-12)
    assert d.basis.loc[c0, "contributions_source"] == "tax bureau target"
    assert d.annual.loc[c1, "contributions"] == base.annual.loc[c1, "contributions"]
    d2 = B.draft(demo, year=2025, targets=pd.DataFrame({"city": [c1], "insured": [5.0e5]}))
    assert d2.basis.loc[c1, "engine_insured"] == pytest.approx(5.0e5, rel=1e-9)
    # payroll contributions follow the insured, project premiums (construction contracts) do not
    ratio = 5.0e5 / base.basis.loc[c1, "engine_insured"]
    items = proj2.by_city[(proj2.by_city.year == 2025) & (proj2.by_city.city == c1)].set_index("item")["value"]
    want = ratio * items["contributions"] + items["project_premiums"]
    assert d2.annual.loc[c1, "contributions"] == pytest.approx(want, rel=1e-9)


def test_adjustments_are_recorded_beside_the_figure(demo):
    c0 = demo.city_names[0]
    d = B.draft(
        demo,
        year=2025,
        adjustments=[
            B.Adjustment("medical", c0, 5.0e6, None, "new hospital contract", "evaluator"),
            {"line": "prevention", "factor": 0.9, "reason": "cap", "author": "bureau"},
        ],
    )
    base = B.draft(demo, year=2025)
    assert d.adjusted.loc[c0, "medical"] == pytest.approx(base.annual.loc[c0, "medical"] + 5.0e6)
    assert len(d.adjustment_table()) == 2
    act = d.monthly(adjusted=True)
    act = act[act.month <= 3].copy()
    table = B.monitor(d, act, as_of=3)
    assert "new hospital contract" in table.loc[(c0, "medical"), "adjustment_note"]


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.floats(0.0, 1e9, allow_nan=False), min_size=12, max_size=12),
    st.floats(0.0, 1e11, allow_nan=False),
)
def test_phasing_sums_to_the_annual_figure(months, annual):
    act = pd.DataFrame(
        {"city": "A", "year": 2025, "month": range(1, 13), "line": "medical", "value": months},
    )
    pattern = B.seasonal_pattern(B.check_actuals(act), ["A", "B"])
    assert np.allclose(pattern.sum(axis=2), 1.0, rtol=0, atol=1e-12)
    rev, exp = B.line_items()
    annual_cube = np.full((2, len(rev) + len(exp)), annual)
    bud = B.Budget(2025, ["A", "B"], annual_cube[:, :, None] * pattern, rev + exp)
    sums = bud.monthly().groupby(["city", "line"])["value"].sum()
    assert np.all(np.abs(sums.to_numpy() - annual) <= 1e-9 * max(1.0, annual))


def _demo_case(**kw):
    return lambda: B.draft(wifund.Province.demo(), **kw)


def _act_2025(**change):
    rows = [(c, 2025, m, "contributions", 1.0) for c in wifund.Province.demo().city_names for m in range(1, 13)]
    f = pd.DataFrame(rows, columns=["city", "year", "month", "line", "value"])
    for k, v in change.items():
        f[k] = f[k].astype(object)
        f.loc[0, k] = v
    return f


CASES = [
    Case("year-before-base", _demo_case(year=2024), ValueError, ("year", "2024")),
    Case("year-bool", _demo_case(year=True), ValueError, ("year", "True")),
    Case("year-missing", _demo_case(), ValueError, ("year", "None")),
    Case(
        "year-not-following",
        _demo_case(year=2027, prior_actuals=_act_2025()),
        ValueError,
        ("year = 2027", "2025", "does not follow"),
    ),
    Case(
        "actuals-unknown-city",
        _demo_case(
            year=2026,
            prior_actuals=pd.concat([_act_2025(), _act_2025().query("city == 'Xihe'").assign(city="Atlantis")]),
        ),
        ValueError,
        ("Atlantis", "not a city"),
    ),
    Case(
        "actuals-short-year",
        _demo_case(year=2026, prior_actuals=_act_2025().query("month < 12")),
        ValueError,
        ("month 12", "missing", "2025"),
    ),
    Case(
        "actuals-unknown-line",
        _demo_case(year=2026, prior_actuals=_act_2025(line="contribs")),
        ValueError,
        ("line", "contribs"),
    ),
    Case(
        "actuals-text-value",
        _demo_case(year=2026, prior_actuals=_act_2025(value="abc")),
        ValueError,
        ("value", "'abc'"),
    ),
    Case("target-unknown-city", _demo_case(year=2025, targets={"Atlantis": 1.0}), ValueError, ("Atlantis", "city")),
    Case(
        "target-negative",
        _demo_case(year=2025, targets=pd.DataFrame({"city": ["Xihe"], "contributions": [-5.0]})),
        ValueError,
        ("contributions", "-5", "Xihe"),
    ),
    Case(
        "target-text",
        _demo_case(year=2025, targets=pd.DataFrame({"city": ["Xihe", "Nanshan"], "contributions": [np.nan, "lots"]})),
        ValueError,
        ("contributions", "'lots'", "Nanshan"),
    ),
    Case(
        "target-zero-insured",
        _demo_case(year=2025, targets=pd.DataFrame({"city": ["Xihe"], "insured": [0.0]})),
        ValueError,
        ("insured", "Xihe", "0"),
    ),
    Case(
        "target-unknown-column",
        _demo_case(year=2025, targets=pd.DataFrame({"city": ["Xihe"], "contribution": [1.0]})),
        ValueError,
        ("contribution", "did you mean"),
    ),
    Case(
        "adjust-unknown-line",
        _demo_case(
            year=2025, adjustments=[{"line": "medicl", "city": "Xihe", "amount": 1.0, "reason": "r", "author": "a"}]
        ),
        ValueError,
        ("line", "medicl", "medical"),
    ),
    Case(
        "adjust-unknown-city",
        _demo_case(
            year=2025, adjustments=[{"line": "medical", "city": "Xi", "amount": 1.0, "reason": "r", "author": "a"}]
        ),
        ValueError,
        ("city", "'Xi'"),
    ),
    Case(
        "adjust-no-reason",
        _demo_case(year=2025, adjustments=[{"line": "medical", "city": "Xihe", "amount": 1.0, "author": "a"}]),
        ValueError,
        ("reason",),
    ),
    Case("province-wrong", lambda: B.draft("demo", year=2025), ValueError, ("province", "'demo'")),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_draft(case):
    check(case)
