"""wifund.budget_audit.audit: a golden submission with one planted finding per rule (each found, nothing
else at the default tolerances), clean generated submissions without findings (hypothesis), planted
repeats and gaps found, and the options."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import wifund
from wifund.budget_audit import FINDINGS_COLUMNS, RULES, Submission, audit

from audit_data import clean_submission, with_totals

GOLDEN_LINES = ["contributions", "interest", "medical", "disability_allowance", "other_expenditure"]


def _set(df: pd.DataFrame, city: str, year: int, month: int, line: str, fn) -> pd.DataFrame:
    m = (df["city"] == city) & (df["year"] == year) & (df["month"] == month) & (df["line"] == line)
    assert m.sum() == 1
    df = df.copy()
    df.loc[m, "value"] = fn(df.loc[m, "value"])
    return df


def golden() -> dict[str, pd.DataFrame]:
    """Three cities, 2023-01 to 2024-12, one planted problem for each rule."""
    s = clean_submission(lines=GOLDEN_LINES, totals=False)
    a = s["actuals"]
    a = _set(a, "A", 2024, 5, "contributions", lambda v: v * 1.10)  # contributions_vs_base
    a = _set(a, "B", 2024, 7, "other_expenditure", lambda v: -500.0)  # negative
    step = (a["city"] == "C") & (a["line"] == "medical") & (a["year"] * 12 + a["month"] >= 2024 * 12 + 9)
    a.loc[step, "value"] *= 3.0  # jump (a level shift)
    a = with_totals(a)
    a = _set(a, "A", 2023, 8, "expenditure", lambda v: v + 1000.0)  # total_mismatch
    a = pd.concat(
        [a, a[(a["city"] == "B") & (a["year"] == 2023) & (a["month"] == 3) & (a["line"] == "interest")]],
        ignore_index=True,
    )  # duplicate
    a = a[~((a["city"] == "C") & (a["year"] == 2023) & (a["month"] == 11))]  # missing_month
    b = s["beneficiaries"].copy()
    b.loc[
        (b["city"] == "A") & (b["year"] == 2024) & (b["month"] == 3) & (b["line"] == "disability_allowance"), "awards"
    ] += 5  # beneficiary_flow
    s["actuals"], s["beneficiaries"] = a.sample(frac=1.0, random_state=1), b  # order does not matter
    return s


EXPECTED = {  # rule → (city, year, month, line)
    "contributions_vs_base": ("A", 2024, 5, "contributions"),
    "negative": ("B", 2024, 7, "other_expenditure"),
    "jump": ("C", 2024, 9, "medical"),
    "total_mismatch": ("A", 2023, 8, "expenditure"),
    "duplicate": ("B", 2023, 3, "interest"),
    "missing_month": ("C", 2023, 11, ""),
    "beneficiary_flow": ("A", 2024, 3, "disability_allowance"),
}


def test_golden_each_rule_once_and_nothing_else():
    f = audit(golden())
    got = {r.rule: (r.city, r.year, r.month, r.line) for r in f.itertuples()}
    assert len(f) == len(EXPECTED), f[["rule", "city", "year", "month", "line", "message"]].to_string()
    assert got == EXPECTED
    assert list(f.columns) == list(FINDINGS_COLUMNS)
    assert [str(t) for t in f.dtypes] == ["str", "str", "str", "int64", "int64", "str", "float64", "float64", "str"]
    assert set(f["severity"]) <= {"error", "warning", "info"}
    assert all(f["severity"] == [RULES[r][0] for r in f["rule"]])
    assert list(f["severity"]) == sorted(f["severity"], key=["error", "warning", "info"].index)


def test_golden_values_and_messages():
    f = audit(golden()).set_index("rule")
    s = clean_submission(lines=GOLDEN_LINES, totals=False)
    h = s["headcount"].query("city == 'A' and year == 2024 and month == 5")
    wage = s["wages"].query("city == 'A' and year == 2024")["wage"].item()
    base = sum(h["headcount"] * wage * h["class"].map({"1": 0.002, "5": 0.008}))
    r = f.loc["contributions_vs_base"]
    assert r.expected == pytest.approx(base, rel=1e-12) and r.value == pytest.approx(1.1 * base, rel=1e-12)
    assert "+10.0%" in r.message
    assert f.loc["negative"].value == -500.0
    assert f.loc["total_mismatch"].value - f.loc["total_mismatch"].expected == pytest.approx(1000.0)
    assert "reported 2 times" in f.loc["duplicate"].message
    assert "reported nothing for 2023-11" in f.loc["missing_month"].message
    assert f.loc["beneficiary_flow"].expected - f.loc["beneficiary_flow"].value == 5.0
    assert np.isnan(f.loc["missing_month"].value) and np.isnan(f.loc["missing_month"].expected)


def test_golden_through_submission_and_keywords_same():
    s = golden()
    a = audit(s)
    b = audit(Submission(**s))
    c = audit(
        s["actuals"], headcount=s["headcount"], wages=s["wages"], rates=s["rates"], beneficiaries=s["beneficiaries"]
    )
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(a, c)
    with pytest.raises(ValueError, match="given both"):
        audit(s, headcount=s["headcount"])


def test_actuals_alone_run_the_actuals_rules():
    f = audit(golden()["actuals"])
    assert set(f["rule"]) == {"negative", "jump", "total_mismatch", "duplicate", "missing_month"}


def test_tolerances_move_findings():
    s = golden()
    assert "contributions_vs_base" not in set(audit(s, tolerance=0.2)["rule"])
    assert "jump" not in set(audit(s, jump_threshold=50.0)["rule"])
    assert "total_mismatch" not in set(audit(s, sum_tolerance=2000.0)["rule"])
    assert "beneficiary_flow" not in set(audit(s, count_tolerance=5.0)["rule"])
    assert "negative" not in set(audit(s, allow_negative=["other_expenditure"])["rule"])
    assert "jump" not in set(audit(s, jump_lines=["contributions"])["rule"])
    tight = audit(s, jump_floor=0.0, jump_threshold=1.0)
    assert (tight["rule"] == "jump").sum() > 1


def test_spike_gives_two_jump_findings():
    s = clean_submission(lines=["medical"], totals=False, cities=("A",))
    a = _set(s["actuals"], "A", 2024, 3, "medical", lambda v: v * 4)
    f = audit(a)
    assert list(zip(f["rule"], f["month"])) == [("jump", 3), ("jump", 4)]


def test_short_series_not_tested_for_jumps():
    s = clean_submission(lines=["medical"], totals=False, cities=("A",), months=8)
    a = _set(s["actuals"], "A", 2023, 5, "medical", lambda v: v * 4)
    assert audit(a).empty
    assert set(audit(a, min_history=2)["rule"]) == {"jump"}


def test_required_lines():
    s = clean_submission(lines=["contributions", "medical"], totals=False, cities=("A",), months=6)
    a = s["actuals"]
    a = a[~((a["month"] == 3) & (a["line"] == "medical"))]
    f = audit(a, required_lines=["medical"])
    assert list(zip(f["rule"], f["month"], f["line"])) == [("missing_line", 3, "medical")]
    assert audit(a).empty


def test_side_table_gaps_are_info_findings():
    s = clean_submission(lines=["contributions"], totals=False, cities=("A", "B"), months=4)
    h = s["headcount"]
    s["headcount"] = h[~((h["city"] == "B") & (h["month"] == 2))]
    r = s["rates"]
    s["rates"] = r[~((r["city"] == "A") & (r["class"] == "5"))]
    f = audit(s)
    assert set(f["rule"]) == {"not_checked"} and set(f["severity"]) == {"info"}
    assert len(f[f["city"] == "A"]) == 4 and "no rate for class 5" in f[f["city"] == "A"]["message"].iloc[0]
    assert len(f[f["city"] == "B"]) == 1 and "no headcount" in f[f["city"] == "B"]["message"].iloc[0]


def test_scalar_wages_and_rates_and_no_classes():
    a = pd.DataFrame(
        {
            "city": "A",
            "year": 2025,
            "month": [1, 2],
            "line": "contributions",
            "value": [1000 * 5000 * 0.01, 1000 * 5000 * 0.02],
        }
    )
    h = pd.DataFrame({"city": "A", "year": 2025, "month": [1, 2], "headcount": 1000.0})
    f = audit(a, headcount=h, wages=5000, rates=0.01)
    assert list(f["rule"]) == ["contributions_vs_base"] and f["month"].item() == 2


def test_clean_submission_no_findings_default():
    assert audit(clean_submission()).empty


def test_empty_findings_frame_has_the_columns():
    f = audit(clean_submission(cities=("A",), months=3))
    assert f.empty and list(f.columns) == list(FINDINGS_COLUMNS)
    assert str(f["year"].dtype) == "int64" and str(f["value"].dtype) == "float64"


def test_exported_from_package():
    assert wifund.budget_audit.audit is audit


_clean = st.fixed_dictionaries(
    {
        "n_cities": st.integers(1, 3),
        "months": st.integers(13, 30),
        "start_month": st.integers(1, 12),
        "zigzag": st.sampled_from([0.0, 0.01, 0.03, 0.05]),
        "noise": st.floats(0.0, 0.01),
        "growth": st.floats(-0.01, 0.01),
        "seed": st.integers(0, 2**31 - 1),
    }
)


def _gen(p):
    return clean_submission(
        cities=tuple("ABC"[: p["n_cities"]]),
        start=(2022, p["start_month"]),
        months=p["months"],
        zigzag=p["zigzag"],
        noise=p["noise"],
        growth=p["growth"],
        seed=p["seed"],
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_clean)
def test_clean_generated_submission_no_findings(p):
    f = audit(_gen(p))
    assert f.empty, f["message"].head().tolist()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_clean, st.data())
def test_planted_duplicate_and_missing_month_found(p, data):
    s = _gen(p)
    a = s["actuals"]
    i = data.draw(st.integers(0, len(a) - 1), label="duplicated row")
    dup = pd.concat([a, a.iloc[[i]]], ignore_index=True)
    f = audit({**s, "actuals": dup})
    r = a.iloc[i]
    assert list(zip(f["rule"], f["city"], f["year"], f["month"], f["line"])) == [
        ("duplicate", r.city, r.year, r.month, r.line)
    ]
    # a whole month of one city, strictly inside the period
    t = data.draw(st.integers(1, p["months"] - 2), label="missing month")
    period = 2022 * 12 + p["start_month"] - 1 + t
    city = data.draw(st.sampled_from(sorted(set(a["city"]))), label="city")
    gap = a[~((a["city"] == city) & (a["year"] * 12 + a["month"] - 1 == period))]
    s2 = {**s, "actuals": gap}
    f = audit(s2)
    assert list(zip(f["rule"], f["city"], f["year"], f["month"])) == [
        ("missing_month", city, period // 12, period % 12 + 1)
    ]
