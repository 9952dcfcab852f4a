"""Bad input to wifund.budget (issue #10): every case must raise with a message naming the field, the
place (city / year / month / line) and the value — never a silent NaN. Run in forked children."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wifund import budget as B
from wifund._checks import InputTypeError

from badinput import Case, check


def _act(rows=None):
    rows = rows or [("A", 2025, m, "contributions", 100.0) for m in range(1, 7)] + [
        ("A", 2025, m, "medical", 50.0) for m in range(1, 7)
    ]
    return pd.DataFrame(rows, columns=["city", "year", "month", "line", "value"])


def _with(col, i, value, frame=None):
    f = (frame if frame is not None else _act()).copy()
    f[col] = f[col].astype(object)
    f.loc[i, col] = value
    return f


def _bud(rows=None, **kw):
    rows = rows or [("A", 2025, "contributions", 1200.0), ("A", 2025, "medical", 600.0)]
    return B.Budget.from_frame(pd.DataFrame(rows, columns=["city", "year", "line", "value"]), **kw)


def _inputs(**changes):
    cols = ["city", "insured", "wage", "base_rate", "phased_cut", "float_factor", "relief", "collection_rate"]
    f = pd.DataFrame(
        [("X", 1000, 5000, 0.01, 0.5, 1.0, 0.0, 1.0), ("Y", 2000, 4000, 0.005, 0.0, 1.2, 0.1, 0.95)], columns=cols
    )
    for k, v in changes.items():
        f[k] = f[k].astype(object)
        f.loc[1, k] = v
    return f


def _share(**changes):
    f = pd.DataFrame(
        {
            "city": ["A", "B"],
            "budget_contributions": [1000.0, 800.0],
            "actual_contributions": [900.0, 820.0],
            "policy_effect": [10.0, 0.0],
            "expansion_loss": [0.0, 0.0],
            "irregular_spending": [0.0, 5.0],
            "budget_expenditure": [900.0, 700.0],
            "actual_expenditure": [950.0, 700.0],
        }
    )
    for k, v in changes.items():
        f[k] = f[k].astype(object)
        f.loc[1, k] = v
    return f


def _assess(**changes):
    f = pd.DataFrame({"city": ["A", "B"], "budget_contributions": [100.0, 100.0], "actual_contributions": [98.0, 90.0]})
    for k, v in changes.items():
        f[k] = f[k].astype(object)
        f.loc[1, k] = v
    return f


def _dup_month():
    f = _act()
    return pd.concat([f, f.iloc[[2]]], ignore_index=True)


CASES = [
    # check_actuals: the long schema shared with wifund.io
    Case(
        "actuals-not-frame",
        lambda: B.check_actuals([("A", 2025, 1, "contributions", 1.0)]),
        InputTypeError,
        ("actuals", "DataFrame", "list"),
    ),
    Case(
        "actuals-missing-column",
        lambda: B.check_actuals(_act().drop(columns="value")),
        ValueError,
        ("missing column", "value"),
    ),
    Case("actuals-empty", lambda: B.check_actuals(_act().iloc[:0]), ValueError, ("empty",)),
    Case(
        "month-13", lambda: B.check_actuals(_with("month", 3, 13)), ValueError, ("month", "13", "city 'A'", "1 to 12")
    ),
    Case("month-0", lambda: B.check_actuals(_with("month", 0, 0)), ValueError, ("month", "= 0", "city 'A'")),
    Case(
        "month-fraction", lambda: B.check_actuals(_with("month", 1, 2.5)), InputTypeError, ("month", "2.5", "integer")
    ),
    Case("month-text", lambda: B.check_actuals(_with("month", 1, "Feb")), InputTypeError, ("month", "'Feb'")),
    Case(
        "month-duplicated",
        lambda: B.check_actuals(_dup_month()),
        ValueError,
        ("month 3", "city 'A'", "line 'contributions'", "once"),
    ),
    Case(
        "month-missing-hole",
        lambda: B.check_actuals(_act()[_act().month != 3]),
        ValueError,
        ("month", "city 'A'", "2025", "= 3", "missing"),
    ),
    Case(
        "line-unknown",
        lambda: B.check_actuals(_with("line", 0, "contributons")),
        ValueError,
        ("line", "'contributons'", "did you mean 'contributions'"),
    ),
    Case(
        "line-total-given",
        lambda: B.check_actuals(_with("line", 0, "revenue")),
        ValueError,
        ("line", "'revenue'", "computed total"),
    ),
    Case(
        "value-text",
        lambda: B.check_actuals(_with("value", 2, "1,000")),
        InputTypeError,
        ("value", "'1,000'", "month 3", "must be a number"),
    ),
    Case("value-nan", lambda: B.check_actuals(_with("value", 4, np.nan)), ValueError, ("value", "nan", "month 5")),
    Case("value-inf", lambda: B.check_actuals(_with("value", 4, np.inf)), ValueError, ("value", "inf", "finite")),
    Case("value-bool", lambda: B.check_actuals(_act().assign(value=True)), InputTypeError, ("value", "True", "bool")),
    Case("value-none", lambda: B.check_actuals(_with("value", 1, None)), InputTypeError, ("value", "None", "month 2")),
    Case("city-empty", lambda: B.check_actuals(_with("city", 0, " ")), InputTypeError, ("city", "' '", "non-empty")),
    # integer city codes (220100) are text in the long schema (wifund.io); a float is not
    Case("city-number", lambda: B.check_actuals(_with("city", 0, 7.5)), InputTypeError, ("city", "7.5", "text")),
    Case(
        "city-province-label",
        lambda: B.check_actuals(_with("city", 0, B.PROVINCE)),
        ValueError,
        ("city", "(province)", "reserved"),
    ),
    Case("year-text", lambda: B.check_actuals(_with("year", 0, "2025x")), InputTypeError, ("year", "'2025x'")),
    # Budget.from_frame
    Case(
        "budget-negative",
        lambda: _bud([("A", 2025, "contributions", -5.0)]),
        ValueError,
        ("value", "-5.0", "city 'A'", "line 'contributions'", "not negative"),
    ),
    Case(
        "budget-two-years",
        lambda: _bud([("A", 2025, "contributions", 5.0), ("A", 2026, "contributions", 5.0)]),
        ValueError,
        ("year", "2025", "2026", "one year"),
    ),
    Case(
        "budget-unknown-line", lambda: _bud([("A", 2025, "medicl", 5.0)]), ValueError, ("line", "'medicl'", "'medical'")
    ),
    Case(
        "budget-total-line",
        lambda: _bud([("A", 2025, "expenditure", 5.0)]),
        ValueError,
        ("'expenditure'", "computed total"),
    ),
    Case(
        "budget-duplicate",
        lambda: _bud([("A", 2025, "medical", 5.0), ("A", 2025, "medical", 6.0)]),
        ValueError,
        ("city 'A'", "line 'medical'", "once"),
    ),
    Case("budget-value-text", lambda: _bud([("A", 2025, "medical", "abc")]), InputTypeError, ("value", "'abc'")),
    Case("budget-pattern-sum", lambda: _bud(pattern=[0.1] * 12), ValueError, ("pattern", "sum to 1", "1.2")),
    Case("budget-pattern-length", lambda: _bud(pattern=[1 / 11] * 11), ValueError, ("pattern", "12 values", "11")),
    Case(
        "budget-pattern-line",
        lambda: _bud(pattern={"contribution": [1 / 12] * 12}),
        ValueError,
        ("pattern", "'contribution'", "did you mean 'contributions'"),
    ),
    Case(
        "budget-monthly-missing",
        lambda: B.Budget.from_frame(
            pd.DataFrame({"city": "A", "year": 2025, "month": list(range(1, 12)), "line": "medical", "value": 1.0})
        ),
        ValueError,
        ("month", "city 'A'", "line 'medical'", "= 12", "missing"),
    ),
    Case(
        "budget-month-partly-nan",
        lambda: B.Budget.from_frame(
            pd.DataFrame(
                {"city": "A", "year": 2025, "month": [1.0, np.nan], "line": ["medical", "interest"], "value": 1.0}
            )
        ),
        ValueError,
        ("month", "nan", "every row or for none"),
    ),
    # Budget.adjust
    Case(
        "adjust-both",
        lambda: _bud().adjust("medical", "A", amount=1.0, factor=1.1, reason="r", author="a"),
        ValueError,
        ("amount = 1.0", "factor = 1.1", "exactly one"),
    ),
    Case(
        "adjust-no-reason",
        lambda: _bud().adjust("medical", "A", amount=1.0, reason=" ", author="a"),
        ValueError,
        ("reason", "empty"),
    ),
    Case(
        "adjust-city",
        lambda: _bud().adjust("medical", "Z", amount=1.0, reason="r", author="a"),
        ValueError,
        ("city", "'Z'", "not in the budget"),
    ),
    Case(
        "adjust-negative-result",
        lambda: _bud().adjust("medical", "A", amount=-601.0, reason="r", author="a"),
        ValueError,
        ("amount = -601.0", "city 'A'", "line 'medical'", "negative"),
    ),
    Case(
        "adjust-factor-negative",
        lambda: _bud().adjust("medical", factor=-0.5, reason="r", author="a"),
        ValueError,
        ("factor", "-0.5", ">= 0"),
    ),
    Case(
        "adjust-total",
        lambda: _bud().adjust("revenue", "A", amount=1.0, reason="r", author="a"),
        ValueError,
        ("line", "'revenue'", "computed total"),
    ),
    # monitor
    Case(
        "monitor-city-not-in-budget",
        lambda: B.monitor(_bud(), pd.concat([_act(), _act().assign(city="Q")]), 6),
        ValueError,
        ("city", "'Q'", "not in the budget"),
    ),
    Case(
        "monitor-months-missing",
        lambda: B.monitor(_bud(), _act()[_act().month <= 4], 6),
        ValueError,
        ("month", "city 'A'", "2025", "= 5", "as_of = 6"),
    ),
    Case("monitor-as-of-13", lambda: B.monitor(_bud(), _act(), 13), ValueError, ("as_of", "13", "1 to 12")),
    Case("monitor-as-of-bool", lambda: B.monitor(_bud(), _act(), True), InputTypeError, ("as_of", "True")),
    Case(
        "monitor-as-of-other-year",
        lambda: B.monitor(_bud(), _act(), "2024-06"),
        ValueError,
        ("as_of", "2024-06", "2025"),
    ),
    Case(
        "monitor-bands-inverted",
        lambda: B.monitor(_bud(), _act(), 6, bands=(0.1, 0.05)),
        ValueError,
        ("bands", "0.1", "0.05", "ascending"),
    ),
    Case(
        "monitor-warn-on",
        lambda: B.monitor(_bud(), _act(), 6, warn_on="deviaton"),
        ValueError,
        ("warn_on", "'deviaton'", "did you mean 'deviation'"),
    ),
    Case("monitor-budget-type", lambda: B.monitor({"A": 1}, _act(), 6), InputTypeError, ("budget", "Budget", "dict")),
    Case(
        "monitor-opening-nan",
        lambda: B.monitor(_bud(), _act(), 6, opening_balance=float("nan")),
        ValueError,
        ("opening_balance", "nan"),
    ),
    Case(
        "ladder-inverted", lambda: B.PaymentLadder(green=6, yellow=9), ValueError, ("green", "6.0", "9.0", "descending")
    ),
    # decompose
    Case(
        "decompose-missing-column",
        lambda: B.decompose(_inputs().drop(columns="wage"), _inputs()),
        ValueError,
        ("budget_inputs", "lacks column", "wage"),
    ),
    Case(
        "decompose-city-mismatch",
        lambda: B.decompose(_inputs(), _inputs().replace({"city": {"Y": "Z"}})),
        ValueError,
        ("city", "'Z'", "actual_inputs", "budget_inputs"),
    ),
    Case(
        "decompose-lmdi-zero",
        lambda: B.decompose(_inputs(), _inputs(relief=1.0), method="lmdi"),
        ValueError,
        ("relief", "city 'Y'", "1.0", "LMDI", "shapley"),
    ),
    Case(
        "decompose-rate-above-1",
        lambda: B.decompose(_inputs(base_rate=1.5), _inputs()),
        ValueError,
        ("base_rate", "city 'Y'", "1.5", "<= 1"),
    ),
    Case(
        "decompose-text",
        lambda: B.decompose(_inputs(), _inputs(insured="many")),
        InputTypeError,
        ("insured", "city 'Y'", "'many'"),
    ),
    Case(
        "decompose-negative",
        lambda: B.decompose(_inputs(wage=-1.0), _inputs()),
        ValueError,
        ("wage", "city 'Y'", "-1.0", ">= 0"),
    ),
    Case(
        "decompose-method",
        lambda: B.decompose(_inputs(), _inputs(), method="shapely"),
        ValueError,
        ("method", "'shapely'", "did you mean 'shapley'"),
    ),
    # share_shortfall
    Case(
        "share-missing-column",
        lambda: B.share_shortfall(_share().drop(columns="policy_effect")),
        ValueError,
        ("lacks column", "policy_effect"),
    ),
    Case(
        "share-negative-budget",
        lambda: B.share_shortfall(_share(budget_contributions=-1.0)),
        ValueError,
        ("budget_contributions", "city 'B'", "-1.0", "not negative"),
    ),
    Case(
        "share-nan",
        lambda: B.share_shortfall(_share(actual_contributions=np.nan)),
        ValueError,
        ("actual_contributions", "city 'B'", "nan"),
    ),
    Case(
        "share-anhui-zero-budget",
        lambda: B.share_shortfall(_share(budget_expenditure=0.0), rule="anhui"),
        ValueError,
        ("budget_expenditure", "city 'B'", "0.0", "must be > 0"),
    ),
    Case(
        "share-anhui-missing",
        lambda: B.share_shortfall(_share().drop(columns="actual_expenditure"), rule="anhui"),
        ValueError,
        ("lacks column", "actual_expenditure"),
    ),
    Case(
        "share-rule-typo",
        lambda: B.share_shortfall(_share(), rule="ningxai"),
        ValueError,
        ("rule", "'ningxai'", "did you mean 'ningxia'"),
    ),
    Case(
        "share-param-typo",
        lambda: B.share_shortfall(_share(), rewrad=0.1),
        ValueError,
        ("rewrad", "did you mean 'reward'"),
    ),
    Case(
        "share-param-range",
        lambda: B.share_shortfall(_share(), local_surplus=1.5),
        ValueError,
        ("local_surplus", "1.5", "[0, 1]"),
    ),
    Case(
        "share-callable-length",
        lambda: B.share_shortfall(_share(), rule=lambda df: [1.0]),
        ValueError,
        ("returned", "one share per city", "2"),
    ),
    Case(
        "share-callable-nan",
        lambda: B.share_shortfall(_share(), rule=lambda df: [1.0, float("nan")]),
        ValueError,
        ("share", "city 'B'", "nan"),
    ),
    Case(
        "share-rule-bands",
        lambda: B.SharingRule(bands=(0.1, 0.05), band_local=(0.4, 0.6)),
        ValueError,
        ("bands", "0.1", "0.05", "ascending"),
    ),
    Case(
        "share-rule-band-length",
        lambda: B.SharingRule(bands=(0.1,), band_local=()),
        ValueError,
        ("bands", "band_local", "one local share per band"),
    ),
    Case("share-duplicate-city", lambda: B.share_shortfall(_share(city="A")), ValueError, ("city 'A'", "once")),
    # assess
    Case(
        "assess-zero-budget",
        lambda: B.assess(_assess(budget_contributions=0.0)),
        ValueError,
        ("budget_contributions", "city 'B'", "= 0", "> 0"),
    ),
    Case(
        "assess-weight-key",
        lambda: B.assess(_assess(), weights={"colection_rate": 1}),
        ValueError,
        ("'colection_rate'", "did you mean 'collection_rate'"),
    ),
    Case(
        "assess-weight-negative",
        lambda: B.assess(_assess(), weights={"revenue_completion": -1}),
        ValueError,
        ("revenue_completion", "-1", ">= 0"),
    ),
    Case(
        "assess-curve-flat",
        lambda: B.assess(_assess(), curves={"revenue_completion": (1.0, 1.0)}),
        ValueError,
        ("revenue_completion", "bounds must differ"),
    ),
    Case(
        "assess-no-indicator",
        lambda: B.assess(pd.DataFrame({"city": ["A"], "x": [1.0]})),
        ValueError,
        ("no indicator", "'x'"),
    ),
    Case(
        "assess-text",
        lambda: B.assess(_assess(actual_contributions="n/a")),
        InputTypeError,
        ("actual_contributions", "city 'B'", "'n/a'"),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_budget(case):
    check(case)


def test_case_count():
    assert len(CASES) >= 30
