"""Bad input to wifund.ratesetting (issue #13): every case must raise with a message naming the field, the
employer (or schedule key) and the bad value. Run in forked children (tests/python/badinput.py)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

import wifund
from wifund import ratesetting as R
from wifund._checks import InputTypeError

from badinput import Case, check


def _emp(**changes: Any) -> pd.DataFrame:
    f = pd.DataFrame(
        {
            "employer": ["E1", "E2"],
            "risk_class": [2, 3],
            "city": ["A", "B"],
            "contributions": [1000.0, 2000.0],
            "benefits": [0.0, 100.0],
            "injuries": [0.0, 1.0],
            "insured": [10.0, 20.0],
            "years_insured": [3.0, 3.0],
        }
    )
    for col, (i, v) in changes.items():
        f[col] = f[col].astype(object)
        f.loc[i, col] = v
    return f


def _sched(**changes: Any) -> dict[str, Any]:
    return {**R._as_dict(R.load_schedule("national_71")), **changes}


CASES = [
    Case(
        "negative contributions",
        lambda: R.float_tiers(_emp(contributions=(1, -5.0))),
        ValueError,
        ("contributions", "E2", "-5.0"),
    ),
    Case(
        "nan benefits", lambda: R.float_tiers(_emp(benefits=(0, float("nan")))), ValueError, ("benefits", "E1", "nan")
    ),
    Case(
        "text injuries", lambda: R.float_tiers(_emp(injuries=(0, "two"))), InputTypeError, ("injuries", "E1", "'two'")
    ),
    Case(
        "unknown class", lambda: R.float_tiers(_emp(risk_class=(1, 9))), ValueError, ("risk_class", "E2", "9", "1..8")
    ),
    Case("missing city", lambda: R.float_tiers(_emp(city=(1, None))), ValueError, ("city", "E2", "missing")),
    Case("class zero", lambda: R.float_tiers(_emp(risk_class=(0, 0))), ValueError, ("risk_class", "E1", "0")),
    Case("missing column", lambda: R.float_tiers(_emp().drop(columns=["insured"])), ValueError, ("missing", "insured")),
    Case(
        "injuries without insured",
        lambda: R.float_tiers(_emp(insured=(1, 0.0))),
        ValueError,
        ("insured", "E2", "injuries"),
    ),
    Case(
        "benefits without contributions, rule error",
        lambda: R.float_tiers(_emp(contributions=(1, 0.0)), _sched(no_contributions="error")),
        ValueError,
        ("contributions", "E2", "支缴率 is undefined"),
    ),
    Case(
        "current multiplier off the ladder",
        lambda: R.float_tiers(_emp().assign(current_multiplier=[1.0, 0.9])),
        ValueError,
        ("current_multiplier", "E2", "0.9"),
    ),
    Case(
        "flag not 0/1",
        lambda: R.float_tiers(_emp().assign(arrears=[0, 2]), "henan"),
        ValueError,
        ("arrears", "E2", "2"),
    ),
    Case(
        "overlapping thresholds",
        lambda: R.load_schedule(_sched(ratio={"edges": [0.1, 0.5, 0.5, 1.2]})),
        ValueError,
        ("ratio.edges", "overlap", "0.5"),
    ),
    Case(
        "descending thresholds",
        lambda: R.load_schedule(_sched(ratio={"edges": [0.5, 0.1, 1.0, 1.2]})),
        ValueError,
        ("national_71", "ratio.edges", "overlap"),
    ),
    Case(
        "grid off the ladder",
        lambda: R.load_schedule(_sched(grid=[0.5, 0.8, 1.0, 1.3, 1.5])),
        ValueError,
        ("grid multiplier", "1.3"),
    ),
    Case("grid wrong size", lambda: R.load_schedule(_sched(grid=[0.5, 0.8, 1.0])), ValueError, ("grid", "5 rows")),
    Case(
        "ladder without base",
        lambda: R.load_schedule(_sched(ladder=[0.5, 0.8, 1.2, 1.5])),
        ValueError,
        ("ladder", "1.0"),
    ),
    Case("unknown schedule key", lambda: R.load_schedule(_sched(ratios={})), ValueError, ("ratios", "unknown")),
    Case("unknown schedule name", lambda: R.float_tiers(_emp(), "jiangsuu"), ValueError, ("jiangsuu", "jiangsu")),
    Case(
        "bad closed",
        lambda: R.load_schedule(_sched(ratio={"edges": [0.1], "closed": "both"})),
        ValueError,
        ("ratio.closed", "'both'"),
    ),
    Case("negative max_step", lambda: R.load_schedule(_sched(max_step=-1)), ValueError, ("max_step", "-1")),
    Case(
        "bad no_contributions",
        lambda: R.load_schedule(_sched(no_contributions="ignore")),
        ValueError,
        ("no_contributions", "'ignore'"),
    ),
    Case(
        "negative base rate",
        lambda: R.float_tiers(_emp(), base_rates=[-0.1] + [0.01] * 7),
        ValueError,
        ("base_rates", "-0.1"),
    ),
    Case(
        "credibility negative weight",
        lambda: R.credibility(
            pd.DataFrame({"risk_class": [1, 1, 2, 2], "ratio": [1.0] * 4, "weight": [1.0, -2.0, 1.0, 1.0]})
        ),
        ValueError,
        ("weight", "1", "-2.0"),
    ),
    Case(
        "credibility one group",
        lambda: R.credibility(pd.DataFrame({"risk_class": [1, 1], "ratio": [1.0, 2.0], "weight": [1.0, 1.0]})),
        ValueError,
        ("risk_class", "2 groups"),
    ),
    Case(
        "credibility missing column",
        lambda: R.credibility(pd.DataFrame({"risk_class": [1]})),
        ValueError,
        ("missing", "ratio"),
    ),
]


def _demo() -> wifund.Province:
    return wifund.Province.demo()


def _solve(target: Any = None, **kw: Any) -> Any:
    return R.solve(_demo(), target=R.Balance(years=5) if target is None else target, **kw)


CASES += [
    Case(
        "solve target out of reach",
        lambda: _solve(bounds=(0.1, 0.2)),
        R.TargetUnreachable,
        ("Balance(years=5)", "[0.1, 0.2]", "closest achievable", "multiplier"),
    ),
    Case("solve zero years", lambda: _solve(R.Balance(years=0)), ValueError, ("Balance.years", "0")),
    Case("solve float years", lambda: _solve(R.Balance(years=2.5)), InputTypeError, ("Balance.years", "2.5")),
    Case(
        "solve steady years reversed",
        lambda: _solve(R.SteadyState(years=(20, 10))),
        ValueError,
        ("SteadyState.years", "[20, 10]", "increasing"),
    ),
    Case(
        "solve band inverted",
        lambda: _solve(R.MonthsOfPayment(band=(12, 9), every_year=True)),
        ValueError,
        ("band", "[12, 9]", "low < high"),
    ),
    Case(
        "solve band negative",
        lambda: _solve(R.MonthsOfPayment(band=(-1, 9), at=3)),
        ValueError,
        ("band[0]", "-1"),
    ),
    Case(
        "solve horizon beyond 50 years",
        lambda: _solve(R.MonthsOfPayment(12, at=60)),
        ValueError,
        ("MonthsOfPayment.at", "60"),
    ),
    Case(
        "solve calendar year outside",
        lambda: _solve(R.MonthsOfPayment(12, at=2090)),
        ValueError,
        ("MonthsOfPayment.at", "2090", "2025"),
    ),
    Case("solve months and band", lambda: _solve(R.MonthsOfPayment(12, at=3, band=(9, 12))), ValueError, ("both",)),
    Case("solve unknown lever", lambda: _solve(lever="rates"), ValueError, ("lever", "'rates'", "multiplier")),
    Case("solve bounds inverted", lambda: _solve(bounds=(2.0, 1.0)), ValueError, ("bounds", "[2.0, 1.0]", "inverted")),
    Case("solve bounds nan", lambda: _solve(bounds=(float("nan"), 1.0)), ValueError, ("bounds[0]", "nan")),
    Case(
        "solve rate above payroll",
        lambda: _solve(bounds=(0.1, 500.0)),
        ValueError,
        ("bounds", "500.0", "more than 1"),
    ),
    Case(
        "solve cut depth above 1",
        lambda: _solve(lever="cut_depth", bounds=(0.0, 1.5)),
        ValueError,
        ("bounds", "1.5", "at most 1"),
    ),
    Case(
        "solve relativities length",
        lambda: _solve(lever=R.Lever("class_rates", relativities=[1.0, 2.0])),
        ValueError,
        ("relativities", "[1.0, 2.0]", "8 values"),
    ),
    Case(
        "solve negative relativity",
        lambda: _solve(lever=R.Lever("class_rates", relativities=[1.0, -2.0] + [1.0] * 6)),
        ValueError,
        ("relativities[class 2]", "-2.0"),
    ),
    Case(
        "solve lever years outside",
        lambda: _solve(lever=R.Lever("multiplier", years=(2020, 2026))),
        ValueError,
        ("Lever.years[0]", "2020", "2025"),
    ),
    Case("solve target type", lambda: _solve("balance"), InputTypeError, ("target", "'balance'", "Balance")),
    Case(
        "solve probability at_most",
        lambda: _solve(R.Probability(months=6, within=3, at_most=1.5, scenarios=4)),
        ValueError,
        ("Probability.at_most", "1.5"),
    ),
    Case(
        "solve probability scenarios",
        lambda: _solve(R.Probability(months=6, within=3, at_most=0.1, scenarios=0)),
        ValueError,
        ("Probability.scenarios", "0"),
    ),
    Case("solve tol", lambda: _solve(tol=0.0), ValueError, ("tol", "0.0")),
    Case(
        "solve probability tol",
        lambda: _solve(R.Probability(months=6, within=3, at_most=0.1, scenarios=4, tol=0.5)),
        ValueError,
        ("Probability.tol", "0.5"),
    ),
    Case("calendar years", lambda: R.calendar(_demo(), years=0), ValueError, ("calendar: years", "0")),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_ratesetting(case: Case) -> None:
    check(case)
