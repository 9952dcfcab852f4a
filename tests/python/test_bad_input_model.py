"""Bad-input suite, model half (issue #7 item 5): policy files and overrides, assumptions, project() and
compare() arguments, Province(...) from DataFrames, province files, benefits functions and the command
line flags. Each case runs in a forked child (tests/python/badinput.py), so a crash or a hang is
reported as such; each asserts the exception type and that the message names the field and the value
(and the city / year / date where there is one).

Positive tests at the end: Excel encodings are read correctly, integer class codes from SQL are
accepted, and a Province built from DataFrames equals the one read from its folder.
"""

from __future__ import annotations

import contextlib
import io
import math
import shutil
import tempfile
import textwrap
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest

import wifund
from wifund import Assumptions, Policy, Province, benefits
from wifund.cli import main

import badinput
from badinput import Case

DEMO_DIR = Path(str(resources.files("wifund") / "data" / "demo"))
# Texts of the demo files the file cases edit, read from the files (tools/make_demo_province.py regenerates
# them): the second data row of insured.csv (line 3), the reserve line and the line of base_year in
# province.toml.
_DEMO_INSURED_ROW = (DEMO_DIR / "insured.csv").read_text(encoding="utf-8").splitlines()[2]
_DEMO_TOML = (DEMO_DIR / "province.toml").read_text(encoding="utf-8").splitlines()
_DEMO_RESERVE_LINE = next(ln for ln in _DEMO_TOML if ln.startswith("opening_reserve = "))
_DEMO_BASE_YEAR_LINE = 1 + next(i for i, ln in enumerate(_DEMO_TOML) if ln.startswith("base_year = 2024"))
NAN, INF = float("nan"), float("inf")


# ------------------------------------------------------------------------------------------------
# Helpers (run inside the child)
# ------------------------------------------------------------------------------------------------
def _demo() -> Province:
    return Province.demo()


def _p():
    return Policy.load("jilin")


def _params():
    return Policy.load("national").at("2025-06-30")


def policy_file(body: str, name: str = "bad"):
    """A case: load a TOML file ``<name>.toml`` (in a fresh folder) with the given body."""

    def fn():
        d = Path(tempfile.mkdtemp(prefix="wifund_bad_"))
        try:
            path = d / f"{name}.toml"
            path.write_text(textwrap.dedent(body), encoding="utf-8")
            return Policy.load(path)
        finally:
            shutil.rmtree(d, ignore_errors=True)

    return fn


def child_policy(key: str, value: str, date: str = "2026-01-01", extra: str = "") -> str:
    """A province layer on top of national giving one entry for ``key``."""
    return f"""
        [policy]
        name = "bad"
        inherits = "national"
        [params."{key}"]
        {extra}
        values = [
          {{ from = {date}, value = {value}, source = "test" }},
        ]
        """


def root_policy(unit: str, value: str, extra: str = "") -> str:
    return f"""
        [policy]
        name = "bad"
        inherits = ""
        [params."x.rate"]
        unit = "{unit}"
        {extra}
        values = [
          {{ from = 2020-01-01, value = {value}, source = "test" }},
        ]
        """


def province_files(edit):
    """A case: copy the demo folder, let ``edit(folder)`` spoil it, read it with from_dir."""

    def fn():
        d = Path(tempfile.mkdtemp(prefix="wifund_bad_")) / "prov"
        try:
            shutil.copytree(DEMO_DIR, d)
            edit(d)
            return Province.from_dir(d)
        finally:
            shutil.rmtree(d.parent, ignore_errors=True)

    return fn


def set_cell(name: str, column: str, row: int, value: str):
    def edit(d: Path) -> None:
        df = pd.read_csv(d / name, dtype=str, keep_default_na=False)
        df.loc[row, column] = value
        df.to_csv(d / name, index=False)

    return edit


def replace_text(name: str, old: str, new: str):
    def edit(d: Path) -> None:
        text = (d / name).read_text(encoding="utf-8")
        assert old in text, old
        (d / name).write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def write_bytes(name: str, data: bytes):
    def edit(d: Path) -> None:
        (d / name).write_bytes(data)

    return edit


def frames(**changes):
    """A case: Province(...) from the demo's DataFrames with some fields replaced."""

    def fn():
        demo = _demo()
        fields = {k: v for k, v in demo.__dict__.items()}
        for k, v in changes.items():
            fields[k] = v(demo) if callable(v) else v
        return Province(**fields)

    return fn


def insured_with(row: int, column: str, value):
    def change(demo: Province) -> pd.DataFrame:
        df = demo.insured.copy()
        if not isinstance(value, float):  # e.g. an int class code into a text column, as SQL returns it
            df[column] = df[column].astype(object)
        df.at[row, column] = value
        return df

    return change


def cli(*argv: str):
    """A case: wifund.cli.main(argv) must return 2 and print the message on stderr (raised here as a
    ValueError carrying stderr, so the harness can check it)."""

    def fn():
        err = io.StringIO()
        d = tempfile.mkdtemp(prefix="wifund_bad_")
        try:
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                rc = main(["run", *argv, "--out", str(Path(d) / "out")])
        finally:
            shutil.rmtree(d, ignore_errors=True)
        if rc == 2:
            raise ValueError(err.getvalue())
        return rc

    return fn


def proj(**kw):
    return lambda: wifund.project(_demo(), **kw)


def assume(**kw):
    return lambda: Assumptions(**kw)


def assume_run(years: int = 5, **kw):
    return lambda: wifund.project(_demo(), assumptions=Assumptions(**kw), years=years)


def override(mapping, **kw):
    return lambda: _p().override(mapping, **kw)


EV = {
    "effective": "2026-01-01",
    "cutoff": "2025-12-31",
    "allowance": [100] * 6,
    "care": [50, 40, 30],
    "spouse": 20,
    "other": 20,
    "lone_extra": 5,
    "source": "scenario",
}

# ------------------------------------------------------------------------------------------------
# Cases
# ------------------------------------------------------------------------------------------------
CASES: list[Case] = [
    # ---- policy TOML files: syntax, units, ranges, pairs, lengths, booleans, dates ------------
    Case(
        "toml-syntax-error-names-file-and-line",
        policy_file("""
        [policy]
        name = "bad"
        inherits = "national"
        [params."reserve.ratio"
        values = []
        """),
        ValueError,
        ("bad.toml", "invalid TOML", "line 5"),
    ),
    Case(
        "toml-unknown-unit",
        policy_file(root_policy("percentt", "0.1")),
        ValueError,
        ("x.rate", "unknown unit", "'percentt'"),
    ),
    Case(
        "toml-unit-typo-suggests",
        policy_file(root_policy("fracton of payroll", "0.1")),
        ValueError,
        ("x.rate", "'fracton of payroll'", "did you mean 'fraction'"),
    ),
    Case(
        "toml-fraction-out-of-range",
        policy_file(child_policy("reserve.ratio", "1.5")),
        ValueError,
        ("bad.toml", "reserve.ratio", "2026-01-01", "1.5", "[0, 1]"),
    ),
    Case(
        "toml-inverted-wage-clamp",
        policy_file(child_policy("contribution.base_clamp", "[3.0, 0.6]")),
        ValueError,
        ("contribution.base_clamp", "2026-01-01", "[3.0, 0.6]", "ordered pair (low <= high)"),
    ),
    Case(
        "toml-inverted-phased-cut-thresholds",
        policy_file(child_policy("contribution.phased_cut.thresholds_months", "[24, 18]")),
        ValueError,
        ("contribution.phased_cut.thresholds_months", "[24, 18]", "ordered pair"),
    ),
    Case(
        "toml-base-rate-wrong-length",
        policy_file(child_policy("contribution.base_rate", "[0.002, 0.004]")),
        ValueError,
        ("contribution.base_rate", "2026-01-01", "[0.002, 0.004]", "list of 8 values, got 2"),
    ),
    Case(
        "toml-lump-sum-wrong-length",
        policy_file(child_policy("benefits.disability.lump_sum_months", "[27, 25, 23]")),
        ValueError,
        ("benefits.disability.lump_sum_months", "[27, 25, 23]", "list of 10"),
    ),
    Case(
        "toml-bool-as-amount",
        policy_file(child_policy("benefits.hospital_food_per_day", "true")),
        ValueError,
        ("benefits.hospital_food_per_day", "2026-01-01", "True", "boolean"),
    ),
    Case(
        "toml-bool-as-months",
        policy_file(child_policy("benefits.death.funeral_months", "false")),
        ValueError,
        ("benefits.death.funeral_months", "False", "boolean"),
    ),
    Case(
        "toml-impossible-date",
        policy_file(child_policy("reserve.ratio", "0.1", date='"2025-02-30"')),
        ValueError,
        ("reserve.ratio", "'2025-02-30'", "not a 'YYYY-MM-DD' date"),
    ),
    Case(
        "toml-overlapping-dates",
        policy_file("""
        [policy]
        name = "bad"
        inherits = "national"
        [params."reserve.ratio"]
        values = [
          { from = 2020-01-01, to = 2021-06-30, value = 0.1, source = "a" },
          { from = 2021-01-01, value = 0.2, source = "b" },
        ]
        """),
        ValueError,
        ("bad.toml", "reserve.ratio", "overlap", "2021-06-30", "2021-01-01"),
    ),
    Case(
        "toml-to-before-from",
        policy_file("""
        [policy]
        name = "bad"
        inherits = "national"
        [params."reserve.ratio"]
        values = [{ from = 2020-01-01, to = 2019-01-01, value = 0.1, source = "a" }]
        """),
        ValueError,
        ("reserve.ratio", "2019-01-01", "before its 'from'"),
    ),
    Case(
        "toml-enum-typo",
        policy_file(child_policy("reserve.base", '"contribution"')),
        ValueError,
        ("reserve.base", "'contribution'", "did you mean 'contributions'"),
    ),
    Case(
        "toml-table-missing-field",
        policy_file(child_policy("benefits.care.rate", "{ full = 0.5, major = 0.4 }")),
        ValueError,
        ("benefits.care.rate", "2026-01-01", "missing field(s) ['partial']"),
    ),
    Case(
        "toml-table-unknown-field",
        policy_file(child_policy("benefits.dependants.rate", "{ spouse = 0.4, other = 0.3, lone_extr = 0.1 }")),
        ValueError,
        ("benefits.dependants.rate", "'lone_extr'", "did you mean 'lone_extra'"),
    ),
    Case(
        "toml-descending-list-ascending",
        policy_file(child_policy("benefits.medical_subsidy_months", "[4, 6, 9, 12, 18, 24]")),
        ValueError,
        ("benefits.medical_subsidy_months", "[4, 6, 9, 12, 18, 24]", "descending"),
    ),
    Case(
        "toml-nan-literal",
        policy_file(child_policy("reserve.cap_ratio", "nan")),
        ValueError,
        ("reserve.cap_ratio", "2026-01-01", "nan", "not a finite number"),
    ),
    Case(
        "toml-inf-literal",
        policy_file(child_policy("benefits.death.grant_income_multiple", "inf")),
        ValueError,
        ("benefits.death.grant_income_multiple", "inf", "not a finite number"),
    ),
    Case(
        "toml-retirement-age-fractional",
        policy_file(child_policy("retirement.age", "{ male = 60.5, female = 55 }")),
        ValueError,
        ("retirement.age", "60.5", "whole number"),
    ),
    Case(
        "toml-retirement-age-out-of-range",
        policy_file(child_policy("retirement.age", "{ male = 130, female = 55 }")),
        ValueError,
        ("retirement.age", "130", "[40, 75]"),
    ),
    Case(
        "toml-review-years-out-of-range",
        policy_file(child_policy("contribution.float_review_years", "5")),
        ValueError,
        ("contribution.float_review_years", "5", "[1, 3]"),
    ),
    Case(
        "toml-string-as-rate",
        policy_file(child_policy("contribution.project_rate", '"0.1%"')),
        ValueError,
        ("contribution.project_rate", "'0.1%'", "not a number"),
    ),
    Case(
        "toml-child-redeclares-range",
        policy_file(
            child_policy("reserve.ratio", "0.1", extra='unit = "fraction of reserve.base"\n        range = [0, 5]')
        ),
        ValueError,
        ("reserve.ratio", "range [0, 5]", "national.toml"),
    ),
    Case(
        "toml-range-on-bool-unit",
        policy_file(root_policy("bool", "true", extra="range = [0, 1]")),
        ValueError,
        ("x.rate", "'range' = [0, 1]", "bool"),
    ),
    Case(
        "toml-inverted-range-declaration",
        policy_file(root_policy("fraction", "0.1", extra="range = [1, 0]")),
        ValueError,
        ("x.rate", "'range' = [1, 0]", "low <= high"),
    ),
    Case(
        "toml-unknown-key-field",
        policy_file(root_policy("fraction", "0.1", extra="rnage = [0, 1]")),
        ValueError,
        ("x.rate", "unknown field(s) ['rnage']"),
    ),
    Case(
        "toml-unknown-top-level-table",
        policy_file("""
        [policy]
        name = "bad"
        inherits = "national"
        [parms."reserve.ratio"]
        values = []
        """),
        ValueError,
        ("bad.toml", "'parms'"),
    ),
    Case(
        "toml-increment-inf-allowance",
        policy_file("""
        [policy]
        name = "bad"
        inherits = "national"
        [[increments]]
        effective = 2026-01-01
        cutoff = 2025-12-31
        allowance = [100, 100, 100, inf, 100, 100]
        source = "x"
        """),
        ValueError,
        ("increment effective 2026-01-01", "'allowance'", "inf"),
    ),
    Case(
        "toml-increment-bool-spouse",
        policy_file("""
        [policy]
        name = "bad"
        inherits = "national"
        [[increments]]
        effective = 2026-01-01
        cutoff = 2025-12-31
        allowance = [100, 100, 100, 100, 100, 100]
        spouse = true
        source = "x"
        """),
        ValueError,
        ("increment effective 2026-01-01", "'spouse'", "True"),
    ),
    Case(
        "toml-increment-cutoff-after-effective",
        policy_file("""
        [policy]
        name = "bad"
        inherits = "national"
        [[increments]]
        effective = 2026-01-01
        cutoff = 2026-12-31
        allowance = [100, 100, 100, 100, 100, 100]
        source = "x"
        """),
        ValueError,
        ("increment effective 2026-01-01", "cutoff 2026-12-31"),
    ),
    Case(
        "toml-missing-source",
        policy_file("""
        [policy]
        name = "bad"
        inherits = "national"
        [params."reserve.ratio"]
        values = [{ from = 2020-01-01, value = 0.1 }]
        """),
        ValueError,
        ("bad.toml", "reserve.ratio", "source"),
    ),
    Case(
        "toml-inherits-unknown",
        policy_file("""
        [policy]
        name = "bad"
        inherits = "atlantis"
        """),
        ValueError,
        ("bad.toml", "'atlantis'", "available"),
    ),
    # ---- Policy.override: every kind of range, unknown key, NaN, inf, bool, string ------------
    Case(
        "override-fraction-above-1",
        override({"reserve.ratio": 1.2}),
        ValueError,
        ("reserve.ratio", "on every date", "1.2", "[0, 1]"),
    ),
    Case(
        "override-negative-fraction",
        override({"prevention.cap_ratio": -0.01}),
        ValueError,
        ("prevention.cap_ratio", "-0.01", "[0, 1]"),
    ),
    Case(
        "override-negative-months",
        override({"benefits.death.funeral_months": -1}),
        ValueError,
        ("benefits.death.funeral_months", "-1", "[0, 120]"),
    ),
    Case(
        "override-negative-yuan",
        override({"benefits.hospital_food_per_day": -20}),
        ValueError,
        ("benefits.hospital_food_per_day", "-20", "[0, 1000]"),
    ),
    Case(
        "override-age-out-of-range",
        override({"retirement.age": {"male": 130, "female": 55}}),
        ValueError,
        ("retirement.age", "130", "[40, 75]"),
    ),
    Case(
        "override-inverted-wage-clamp",
        override({"contribution.base_clamp": [3.0, 0.6]}),
        ValueError,
        ("policy 'jilin'", "contribution.base_clamp", "[3.0, 0.6]", "ordered pair (low <= high)"),
    ),
    Case(
        "override-inverted-reductions",
        override({"contribution.phased_cut.reductions": [0.5, 0.2]}),
        ValueError,
        ("contribution.phased_cut.reductions", "[0.5, 0.2]", "ordered pair"),
    ),
    Case(
        "override-warning-ladder-ascending",
        override({"fund.warning_months": [6, 9, 12]}),
        ValueError,
        ("fund.warning_months", "[6, 9, 12]", "descending"),
    ),
    Case(
        "override-base-rate-9-values",
        override({"contribution.base_rate": [0.01] * 9}),
        ValueError,
        ("contribution.base_rate", "list of 8 values, got 9"),
    ),
    Case(
        "override-base-rate-not-a-list",
        override({"contribution.base_rate": 0.01}),
        ValueError,
        ("contribution.base_rate", "0.01", "must be a list of 8"),
    ),
    Case(
        "override-scalar-given-a-list",
        override({"reserve.ratio": [0.1, 0.2]}),
        ValueError,
        ("reserve.ratio", "[0.1, 0.2]", "single value"),
    ),
    Case(
        "override-unknown-key-suggests",
        override({"reserve.ratioo": 0.2}),
        ValueError,
        ("'reserve.ratioo'", "0.2", "did you mean 'reserve.ratio'"),
    ),
    Case("override-nan", override({"reserve.ratio": NAN}), ValueError, ("reserve.ratio", "nan", "finite")),
    Case(
        "override-inf",
        override({"benefits.death.grant_income_multiple": INF}),
        ValueError,
        ("benefits.death.grant_income_multiple", "inf", "finite"),
    ),
    Case(
        "override-bool-as-fraction", override({"reserve.ratio": True}), ValueError, ("reserve.ratio", "True", "boolean")
    ),
    Case(
        "override-string-as-fraction",
        override({"reserve.ratio": "0.1"}),
        ValueError,
        ("reserve.ratio", "'0.1'", "not a number"),
    ),
    Case(
        "override-int-as-bool",
        override({"contribution.phased_cut.active": 1}),
        ValueError,
        ("contribution.phased_cut.active", "= 1", "true or false"),
    ),
    Case(
        "override-enum-typo",
        override({"benefits.indexation.mode": "percent"}),
        ValueError,
        ("benefits.indexation.mode", "'percent'", "did you mean 'percentage'"),
    ),
    Case(
        "override-table-extra-field",
        override({"benefits.dependants.rate": {"spouse": 0.4, "other": 0.3, "lone_extra": 0.1, "child": 0.3}}),
        ValueError,
        ("benefits.dependants.rate", "'child'"),
    ),
    Case(
        "override-care-rate-above-1",
        override({"benefits.care.rate": {"full": 1.5, "major": 0.4, "partial": 0.3}}),
        ValueError,
        ("benefits.care.rate", "field 'full'", "1.5"),
    ),
    Case(
        "override-dated-entry-bad-value",
        override({"reserve.ratio": [{"from": "2030-01-01", "value": 2.0, "source": "scenario"}]}),
        ValueError,
        ("reserve.ratio", "from 2030-01-01", "2.0"),
    ),
    Case(
        "override-dated-entry-bad-date",
        override({"reserve.ratio": [{"from": "2030-02-30", "value": 0.1, "source": "scenario"}]}),
        ValueError,
        ("reserve.ratio", "'2030-02-30'"),
    ),
    Case(
        "override-mapping-is-a-list",
        override([("reserve.ratio", 0.1)]),
        ValueError,
        ("overrides", "[('reserve.ratio', 0.1)]", "mapping"),
    ),
    Case(
        "override-empty-source", override({"reserve.ratio": 0.1}, source=""), ValueError, ("source = ''", "non-empty")
    ),
    Case("override-name-not-a-string", override({"reserve.ratio": 0.1}, name=3), ValueError, ("override name = 3",)),
    Case(
        "override-new-key-nan", override({"my.new": NAN}, allow_new=True), ValueError, ("my.new", "nan", "NaN and inf")
    ),
    Case("override-increment-nan", override({}, increments=[{**EV, "spouse": NAN}]), ValueError, ("'spouse'", "nan")),
    Case(
        "override-increment-short-allowance",
        override({}, increments=[{**EV, "allowance": [1, 2, 3, 4, 5]}]),
        ValueError,
        ("'allowance'", "[1, 2, 3, 4, 5]", "6"),
    ),
    # ---- indexation and increments (issue #9 item 7) ---------------------------------------------
    Case(
        "override-increment-negative-floor",
        override({}, increments=[{**EV, "floor": -2907, "floor_topup": 30}]),
        ValueError,
        ("increment effective 2026-01-01", "'floor'", "-2907"),
    ),
    Case(
        "override-increment-topup-without-floor",
        override({}, increments=[{**EV, "floor_topup": 30}]),
        ValueError,
        ("increment effective 2026-01-01", "floor = 0", "floor_topup = 30"),
    ),
    Case(
        "override-increment-cutoff-after-effective",
        override({}, increments=[{**EV, "cutoff": "2026-03-31"}]),
        ValueError,
        ("increment effective 2026-01-01", "cutoff 2026-03-31", "after the effective date"),
    ),
    Case(
        "override-grade-average-rate-above-1",
        override({"benefits.indexation.grade_average_rate": {"allowance": 1.5, "care": 0.04, "dependants": 0.04}}),
        ValueError,
        ("benefits.indexation.grade_average_rate", "field 'allowance'", "1.5", "[0, 1]"),
    ),
    Case(
        "override-grade-average-rate-negative",
        override({"benefits.indexation.grade_average_rate": {"allowance": 0.04, "care": 0.04, "dependants": -0.01}}),
        ValueError,
        ("benefits.indexation.grade_average_rate", "field 'dependants'", "-0.01"),
    ),
    Case(
        "override-grade-average-rate-scalar",
        override({"benefits.indexation.grade_average_rate": 0.04}),
        ValueError,
        ("benefits.indexation.grade_average_rate", "0.04", "allowance"),
    ),
    Case(
        "override-indexation-mode-unknown",
        override({"benefits.indexation.mode": "flat_by_class"}),
        ValueError,
        ("benefits.indexation.mode", "'flat_by_class'", "did you mean 'flat_by_grade'"),
    ),
    Case(
        "override-exclude-retired-not-bool",
        override({"benefits.indexation.exclude_retired": "yes"}),
        ValueError,
        ("benefits.indexation.exclude_retired", "'yes'", "true or false"),
    ),
    Case(
        "override-food-growth-negative",
        override({"benefits.hospital_food.growth": -0.1}),
        ValueError,
        ("benefits.hospital_food.growth", "-0.1", "[0, 1]"),
    ),
    Case(
        "override-food-cap-negative",
        override({"benefits.hospital_food.cap_per_day": -5}),
        ValueError,
        ("benefits.hospital_food.cap_per_day", "-5", "[0, 1000]"),
    ),
    Case(
        "toml-increment-floor-string",
        policy_file("""
        [policy]
        name = "bad"
        inherits = "national"
        [[increments]]
        effective = 2026-01-01
        cutoff = 2025-12-31
        allowance = [100, 100, 100, 100, 100, 100]
        floor = "2907"
        floor_topup = 30
        source = "x"
        """),
        ValueError,
        ("bad.toml", "increment effective 2026-01-01", "'floor'", "'2907'"),
    ),
    Case(
        "override-medical-subsidy-negative",
        override({"benefits.medical_subsidy_months": [24, 18, 12, 9, 6, -4]}),
        ValueError,
        ("benefits.medical_subsidy_months", "item 6", "-4"),
    ),
    # ---- Policy.at / series / load ---------------------------------------------------------------
    Case("at-impossible-date", lambda: _p().at("2025-13-01"), ValueError, ("date", "'2025-13-01'")),
    Case("at-bool", lambda: _p().at(True), ValueError, ("date", "True")),
    Case("at-float-year", lambda: _p().at(2025.5), ValueError, ("date", "2025.5")),
    Case("at-none", lambda: _p().at(None), ValueError, ("date", "None")),
    Case("at-year-zero", lambda: _p().at(0), ValueError, ("year 0", "1..9999")),
    Case("series-bad-date", lambda: _p().series("reserve.ratio", [2025, "soon"]), ValueError, ("date", "'soon'")),
    Case("load-unknown-policy", lambda: Policy.load("atlantis"), ValueError, ("'atlantis'", "available")),
    Case(
        "load-missing-file",
        lambda: Policy.load("/nonexistent/x.toml"),
        ValueError,
        ("not found", "/nonexistent/x.toml"),
    ),
]

# ---- assumptions: every path name (NaN), growth <= -1, horizon, names, types, claims -----------
_PATHS = [
    "wage_growth",
    "employment_growth",
    "coverage_growth",
    "cpi",
    "disposable_income_growth",
    "minimum_wage_growth",
    "medical_inflation",
    "interest_rate",
    "project_growth",
    "other_income",
    "prevention_share",
]
CASES += [
    Case(f"path-{name}-nan", assume(paths={name: NAN}), ValueError, (f"assumptions: {name}", "nan")) for name in _PATHS
]
CASES += [
    Case(
        "path-collection_rate-inf",
        assume(paths={"collection_rate": INF}),
        ValueError,
        ("assumptions: collection_rate", "inf", "finite"),
    )
]
CASES += [
    Case(
        f"path-{name}-growth-minus-1",
        assume(paths={name: {2026: -1.0}}),
        ValueError,
        (f"assumptions: {name}", "2026", "-1.0", "> -1"),
    )
    for name in [
        "wage_growth",
        "employment_growth",
        "coverage_growth",
        "cpi",
        "disposable_income_growth",
        "minimum_wage_growth",
        "medical_inflation",
        "project_growth",
    ]
]
CASES += [
    Case(
        "path-inf-in-mapping",
        assume(paths={"wage_growth": {2025: 0.05, 2027: INF}}),
        ValueError,
        ("wage_growth", "2027", "inf"),
    ),
    Case("path-year-typo", assume(paths={"cpi": {20250: 0.02}}), ValueError, ("cpi", "20250", "1950..2150")),
    Case("path-year-not-integer", assume(paths={"cpi": {"2025": 0.02}}), ValueError, ("cpi", "'2025'", "integer")),
    Case(
        "path-after-horizon",
        assume_run(5, paths={"cpi": {2090: 0.02}}),
        ValueError,
        ("cpi", "[2090]", "2025..2029", "no effect"),
    ),
    Case(
        "path-out-of-range-at-project",
        assume_run(5, paths={"interest_rate": {2027: 2.0}}),
        ValueError,
        ("interest_rate", "2027", "2.0", "[-0.5, 1]"),
    ),
    Case(
        "path-list-wrong-length",
        assume_run(5, paths={"wage_growth": [0.05, 0.05, 0.05]}),
        ValueError,
        ("wage_growth", "3 values", "5 projection years"),
    ),
    Case(
        "path-unknown-name-suggests",
        assume(paths={"wage_grwth": 0.03}),
        ValueError,
        ("'wage_grwth'", "did you mean 'wage_growth'"),
    ),
    Case("path-string-value", assume(paths={"cpi": "2%"}), ValueError, ("assumptions: cpi", "'2%'")),
    Case("path-bool-value", assume(paths={"cpi": True}), ValueError, ("assumptions: cpi", "True")),
    Case(
        "path-series-bool",
        assume(paths={"cpi": pd.Series([True], index=[2025])}),
        ValueError,
        ("assumptions: cpi", "2025", "True"),
    ),
    Case("paths-not-a-dict", assume(paths=[("cpi", 0.02)]), ValueError, ("paths", "[('cpi', 0.02)]", "dict")),
    Case("city-path-not-per-city", assume(city_paths={"cpi": {"Xihe": 0.02}}), ValueError, ("'cpi'", "per city")),
    Case(
        "city-path-unknown-city",
        assume_run(2, city_paths={"wage_growth": {"Atlantis": 0.1}}),
        ValueError,
        ("wage_growth", "'Atlantis'", "not in the province"),
    ),
    Case(
        "city-path-nan", assume(city_paths={"wage_growth": {"Xihe": NAN}}), ValueError, ("wage_growth", "'Xihe'", "nan")
    ),
    Case(
        "city-path-out-of-range-names-city-and-year",
        assume_run(5, city_paths={"collection_rate": {"Xihe": {2027: 1.2}}}),
        ValueError,
        ("collection_rate", "'Xihe'", "2027", "1.2"),
    ),
    Case(
        "city-path-not-a-dict",
        assume(city_paths={"wage_growth": 0.05}),
        ValueError,
        ("city_paths['wage_growth']", "0.05", "dict"),
    ),
    Case(
        "from-dict-unknown-name",
        lambda: Assumptions.from_dict({"wage_growht": 0.05}),
        ValueError,
        ("'wage_growht'", "did you mean 'wage_growth'"),
    ),
    Case("from-dict-not-a-mapping", lambda: Assumptions.from_dict([1, 2]), ValueError, ("from_dict", "[1, 2]")),
    Case("replace-unknown-name", lambda: Assumptions().replace(cpii=0.01), ValueError, ("'cpii'", "'cpi'")),
    Case(
        "from-frame-not-a-frame",
        lambda: Assumptions.from_frame({"cpi": [0.02]}),
        ValueError,
        ("from_frame", "{'cpi': [0.02]}", "DataFrame"),
    ),
    Case(
        "claims-unknown-name",
        assume(claims={"incidnce": [0.001] * 9}),
        ValueError,
        ("'incidnce'", "did you mean 'incidence'"),
    ),
    Case(
        "claims-grade-shares-too-many",
        assume(claims={"grade_share": [0.1] * 11}),
        ValueError,
        ("grade_share", "list of 10 values, got 11"),
    ),
    Case(
        "claims-grade-and-death-share-sum",
        assume(claims={"grade_share": [0.1] * 10, "death_share": 0.05}),
        ValueError,
        ("grade_share", "death_share", "1.05", "> 1"),
    ),
    Case(
        "claims-negative-incidence",
        assume(claims={"incidence": [-0.001] + [0.001] * 8}),
        ValueError,
        ("incidence", "class 1", "-0.001"),
    ),
    Case(
        "claims-incidence-8-values",
        assume(claims={"incidence": [0.001] * 8}),
        ValueError,
        ("incidence", "list of 9 values, got 8"),
    ),
    Case(
        "claims-incidence-frame-missing-class",
        assume(claims={"incidence": pd.DataFrame({str(k): [0.001] for k in range(1, 9)}, index=[2025])}),
        ValueError,
        ("incidence", "['U']"),
    ),
    Case(
        "claims-incidence-frame-nan",
        assume(
            claims={
                "incidence": pd.DataFrame(
                    {c: [0.001, NAN if c == "3" else 0.001] for c in ["1", "2", "3", "4", "5", "6", "7", "8", "U"]},
                    index=[2025, 2026],
                )
            }
        ),
        ValueError,
        ("incidence", "class 3", "2026", "nan"),
    ),
    Case(
        "claims-care-shares-over-1",
        assume(claims={"care_share": [[0.6, 0.5, 0.1]] + [[0.1, 0.1, 0.1]] * 3}),
        ValueError,
        ("care_share", "grade 1", "[0.6, 0.5, 0.1]", "1.2"),
    ),
    Case(
        "claims-care-share-wrong-shape",
        assume(claims={"care_share": [0.4, 0.3, 0.2]}),
        ValueError,
        ("care_share", "[0.4, 0.3, 0.2]", "4 rows"),
    ),
    Case(
        "claims-payment-pattern-sum",
        assume(claims={"payment_pattern": [0.5, 0.4]}),
        ValueError,
        ("payment_pattern", "[0.5, 0.4]", "sum to 1", "0.9"),
    ),
    Case(
        "claims-payment-pattern-negative",
        assume(claims={"payment_pattern": [1.2, -0.2]}),
        ValueError,
        ("payment_pattern", "-0.2"),
    ),
    Case(
        "claims-entry-age-out-of-range",
        assume(claims={"entry_ages": [30, 40, 150]}),
        ValueError,
        ("entry_ages", "item 3", "150", "14 to 100"),
    ),
    Case(
        "claims-entry-age-float",
        assume(claims={"entry_ages": [30, 40.5, 50]}),
        ValueError,
        ("entry_ages", "item 2", "40.5", "integer"),
    ),
    Case(
        "claims-entry-weights-length",
        assume(claims={"entry_age_weights": [0.5, 0.5]}),
        ValueError,
        ("entry_age_weights", "[0.5, 0.5]", "list of 3 values, got 2"),
    ),
    Case(
        "claims-entry-weights-sum",
        assume(claims={"entry_age_weights": [0.5, 0.5, 0.5]}),
        ValueError,
        ("entry_age_weights", "sum to 1", "1.5"),
    ),
    Case(
        "claims-unknown-mortality-table",
        assume(claims={"mortality_disabled": ["CL1", "CL7"]}),
        ValueError,
        ("mortality_disabled", "'CL7'", "did you mean"),
    ),
    Case("claims-medical-cost-inf", assume(claims={"medical_cost": INF}), ValueError, ("medical_cost", "inf")),
    Case(
        "claims-medical-cost-negative",
        assume(claims={"medical_cost": -1.0}),
        ValueError,
        ("medical_cost", "-1.0", ">= 0"),
    ),
    Case("claims-device-cost-bool", assume(claims={"device_cost": True}), ValueError, ("device_cost", "True")),
    Case("claims-male-share-above-1", assume(claims={"male_share": 1.5}), ValueError, ("male_share", "1.5")),
    Case("claims-hospital-days-nan", assume(claims={"hospital_days": NAN}), ValueError, ("hospital_days", "nan")),
    Case("claims-child-age-float", assume(claims={"child_age": 8.5}), ValueError, ("child_age", "8.5", "integer")),
    Case(
        "claims-parent-age-out-of-range",
        assume(claims={"parent_age": 150}),
        ValueError,
        ("parent_age", "150", "30 to 110"),
    ),
    Case(
        "claims-mortality-load-zero",
        assume(claims={"disabled_mortality_load": [3.0, 2.5, 0.0, 1.5]}),
        ValueError,
        ("disabled_mortality_load", "grade 3", "0.0"),
    ),
    Case("claims-death-share-string", assume(claims={"death_share": "1%"}), ValueError, ("death_share", "'1%'")),
    # ---- project() and compare() arguments --------------------------------------------------------
    Case("project-years-true", proj(years=True), TypeError, ("project: years", "True", "not bool")),
    Case("project-years-zero", proj(years=0), ValueError, ("project: years", "0", "1 to 50")),
    Case("project-years-51", proj(years=51), ValueError, ("project: years", "51", "1 to 50")),
    Case("project-years-float", proj(years=2.5), TypeError, ("project: years", "2.5", "integer")),
    Case("project-years-string", proj(years="10"), TypeError, ("project: years", "'10'")),
    Case("project-start-float", proj(start=2025.7), TypeError, ("project: start", "2025.7", "integer")),
    Case("project-start-string", proj(start="2026"), TypeError, ("project: start", "'2026'")),
    Case("project-start-base-year", proj(start=2024), ValueError, ("project: start", "2024", "base year 2024")),
    Case(
        "project-start-plus-years-over-50",
        proj(start=2040, years=40),
        ValueError,
        ("start = 2040", "years = 40", "2079", "more than 50"),
    ),
    Case("project-province-none", lambda: wifund.project(None), TypeError, ("project: province", "None")),
    Case("project-province-a-path", lambda: wifund.project("demo"), TypeError, ("project: province", "'demo'")),
    Case("project-policy-int", proj(policy=3), TypeError, ("project: policy", "3")),
    Case("project-policy-unknown-name", proj(policy="atlantis"), ValueError, ("'atlantis'", "available")),
    Case(
        "project-assumptions-dict",
        proj(assumptions={"wage_growth": 0.05}),
        TypeError,
        ("project: assumptions", "{'wage_growth': 0.05}"),
    ),
    Case(
        "project-overflow-names-input",
        lambda: wifund.project(_demo().with_fund(opening_balance=1e308), years=50),
        ValueError,
        ("overflows to inf", "opening_balance", "1e+308"),
    ),
    Case(
        "project-overflow-headcount",
        lambda: wifund.project(
            Province(**{**_demo().__dict__, "insured": insured_with(3, "insured", 1e306)(_demo())}), years=50
        ),
        ValueError,
        ("overflows", "insured", "city=Jingcheng, risk_class=4", "1e+306"),
    ),
    Case("compare-empty", lambda: wifund.compare({}), ValueError, ("compare: projections", "{}")),
    Case("compare-not-a-dict", lambda: wifund.compare([1]), TypeError, ("compare: projections", "[1]")),
    Case(
        "compare-value-not-projection",
        lambda: wifund.compare({"base": 3}),
        TypeError,
        ("compare: projections['base']", "3"),
    ),
    Case(
        "compare-unknown-column",
        lambda: wifund.compare({"base": wifund.project(_demo(), years=2)}, "monthz"),
        ValueError,
        ("'monthz'", "neither a fund column"),
    ),
    # ---- Province(...) from DataFrames: the checks of from_dir ------------------------------------
    Case(
        "frame-unknown-risk-class",
        frames(insured=insured_with(0, "risk_class", "9")),
        ValueError,
        ("Province(insured=...)", "risk_class", "'9'", "unknown risk class"),
    ),
    Case(
        "frame-unknown-integer-class",
        frames(insured=insured_with(0, "risk_class", 9)),
        ValueError,
        ("risk_class", "'9'", "unknown risk class"),
    ),
    Case(
        "frame-negative-headcount",
        frames(insured=insured_with(3, "insured", -5.0)),
        ValueError,
        ("insured", "city=Jingcheng, risk_class=4", "-5", ">= 0"),
    ),
    Case(
        "frame-nan-wage",
        frames(insured=insured_with(9, "avg_monthly_wage", NAN)),
        ValueError,
        ("avg_monthly_wage", "city=Dongyang, risk_class=2", "(empty)", "missing"),
    ),
    Case(
        "frame-bool-as-headcount",
        frames(insured=insured_with(1, "insured", True)),
        ValueError,
        ("insured", "risk_class=2", "True", "boolean"),
    ),
    Case(
        "frame-duplicate-city",
        frames(cities=lambda d: pd.concat([d.cities, d.cities.iloc[[0]]])),
        ValueError,
        ("Province(cities=...)", "'Jingcheng'", "twice"),
    ),
    Case(
        "frame-missing-column",
        frames(insured=lambda d: d.insured.drop(columns="avg_float")),
        ValueError,
        ("Province(insured=...)", "['avg_float']", "missing column"),
    ),
    Case(
        "frame-city-not-in-cities",
        frames(insured=insured_with(4, "city", "Atlantis")),
        ValueError,
        ("city", "'Atlantis'", "not in Province(cities=...)"),
    ),
    Case(
        "frame-duplicate-city-class",
        frames(insured=lambda d: pd.concat([d.insured, d.insured.iloc[[0]]])),
        ValueError,
        ("city=Jingcheng, risk_class=1", "twice"),
    ),
    Case("frame-cities-none", frames(cities=None), TypeError, ("Province(cities=...)", "NoneType", "DataFrame")),
    Case(
        "frame-fund-bool",
        frames(fund=lambda d: {**d.fund, "opening_balance": True}),
        ValueError,
        ("opening_balance", "True", "boolean"),
    ),
    Case(
        "frame-fund-nan",
        lambda: _demo().with_fund(opening_balance=NAN),
        ValueError,
        ("opening_balance", "nan", "finite"),
    ),
    Case(
        "frame-fund-unknown-key",
        frames(fund=lambda d: {**d.fund, "opening_balanse": 1.0}),
        ValueError,
        ("'opening_balanse'", "did you mean 'opening_balance'"),
    ),
    Case(
        "frame-reserve-above-balance",
        frames(fund=lambda d: {**d.fund, "opening_reserve": 1e12}),
        ValueError,
        ("opening_reserve", "exceeds", "opening_balance"),
    ),
    Case("frame-base-year-bool", frames(base_year=True), ValueError, ("base_year", "True")),
    Case(
        "frame-disposable-income-zero",
        frames(national_disposable_income=0.0),
        ValueError,
        ("national_disposable_income", "0.0", "> 0"),
    ),
    Case(
        "frame-award-year-after-base",
        frames(
            beneficiaries=lambda d: d.beneficiaries.assign(
                award_year=d.beneficiaries.award_year.where(d.beneficiaries.index != 0, 2031.0)
            )
        ),
        ValueError,
        ("award_year", "city=Jingcheng, kind=allowance", "2031", "<= 2024"),
    ),
    Case(
        "frame-age-fractional",
        frames(
            beneficiaries=lambda d: d.beneficiaries.assign(
                age=d.beneficiaries.age.where(d.beneficiaries.index != 0, 30.5)
            )
        ),
        ValueError,
        ("age", "city=Jingcheng", "30.5", "whole number"),
    ),
    Case(
        "frame-retired-flag-2",
        frames(
            beneficiaries=lambda d: d.beneficiaries.assign(
                retired=d.beneficiaries.retired.where(d.beneficiaries.index != 0, 2.0)
            )
        ),
        ValueError,
        ("retired", "city=Jingcheng", "2", "<= 1"),
    ),
    Case(
        "frame-unknown-care-level",
        frames(
            beneficiaries=lambda d: d.beneficiaries.assign(
                care_level=d.beneficiaries.care_level.where(d.beneficiaries.kind != "care", "total")
            )
        ),
        ValueError,
        ("care_level", "'total'", "must be one of"),
    ),
    Case("frame-illustrative-string", frames(illustrative="yes"), ValueError, ("illustrative", "'yes'")),
    # ---- province files: encodings, empty / ragged files, unknown keys, TOML syntax --------------
    Case(
        "file-undecodable-bytes",
        province_files(
            write_bytes("cities.csv", b"city,collection_rate,minimum_wage,project_value\nJ\x80\xffcheng,0.9,2000,0\n")
        ),
        ValueError,
        ("cities.csv", "0x80", "line 2", "UTF-8"),
    ),
    Case(
        "file-empty",
        province_files(write_bytes("insured.csv", b"")),
        ValueError,
        ("insured.csv", "empty", "risk_class"),
    ),
    Case(
        "file-blank-lines-only",
        province_files(write_bytes("cities.csv", b"\n\n  \n")),
        ValueError,
        ("cities.csv", "empty"),
    ),
    Case(
        "file-ragged-extra-field",
        province_files(replace_text("insured.csv", _DEMO_INSURED_ROW, _DEMO_INSURED_ROW + ",9")),
        ValueError,
        ("insured.csv", "line 3", "6 fields", "5"),
    ),
    Case(
        "file-ragged-missing-field",
        province_files(replace_text("insured.csv", _DEMO_INSURED_ROW, _DEMO_INSURED_ROW.rsplit(",", 1)[0])),
        ValueError,
        ("insured.csv", "line 3", "4 fields", "5"),
    ),
    Case(
        "file-toml-unknown-key-suggests",
        province_files(replace_text("province.toml", "default_policy =", "default_polciy =")),
        ValueError,
        ("province.toml", "[province]", "'default_polciy'", "did you mean 'default_policy'"),
    ),
    Case(
        "file-toml-unknown-table",
        province_files(replace_text("province.toml", "[fund]", "[fnd]")),
        ValueError,
        ("province.toml", "'fnd'", "did you mean 'fund'"),
    ),
    Case(
        "file-toml-syntax-error-line",
        province_files(replace_text("province.toml", "base_year = 2024", "base_year = = 2024")),
        ValueError,
        ("province.toml", "invalid TOML", f"line {_DEMO_BASE_YEAR_LINE}"),
    ),
    Case(
        "file-toml-bool-as-money",
        province_files(replace_text("province.toml", _DEMO_RESERVE_LINE, "opening_reserve = true")),
        ValueError,
        ("province.toml", "opening_reserve", "True", "boolean"),
    ),
    Case(
        "file-toml-illustrative-string",
        province_files(replace_text("province.toml", "illustrative = true", 'illustrative = "yes"')),
        ValueError,
        ("province.toml", "illustrative", "'yes'"),
    ),
    Case(
        "file-toml-base-year-float",
        province_files(replace_text("province.toml", "base_year = 2024", "base_year = 2024.0")),
        ValueError,
        ("province.toml", "base_year", "2024.0"),
    ),
    Case(
        "file-missing-column",
        province_files(
            replace_text(
                "cities.csv",
                "city,collection_rate,minimum_wage,project_value",
                "city,collection_rate,min_wage,project_value",
            )
        ),
        ValueError,
        ("cities.csv", "['minimum_wage']", "missing column"),
    ),
    Case(
        "file-bool-text-as-money",
        province_files(set_cell("cities.csv", "project_value", 1, "TRUE")),
        ValueError,
        ("cities.csv", "project_value", "city=Dongyang", "'TRUE'"),
    ),
    Case(
        "file-unknown-risk-class",
        province_files(set_cell("insured.csv", "risk_class", 2, "9")),
        ValueError,
        ("insured.csv", "risk_class", "'9'", "unknown risk class"),
    ),
    Case(
        "file-negative-headcount-row",
        province_files(set_cell("insured.csv", "insured", 3, "-5")),
        ValueError,
        ("insured.csv", "insured", "city=Jingcheng, risk_class=4", "(row 5)", "-5"),
    ),
    # ---- benefits functions --------------------------------------------------------------------------
    Case(
        "benefits-grade-0",
        lambda: benefits.disability_lump_sum(0, 5000, _params()),
        ValueError,
        ("disability_lump_sum: grade", "0", "1 to 10"),
    ),
    Case(
        "benefits-grade-11",
        lambda: benefits.disability_lump_sum(11, 5000, _params()),
        ValueError,
        ("disability_lump_sum: grade", "11"),
    ),
    Case(
        "benefits-grade-bool", lambda: benefits.disability_lump_sum(True, 5000, _params()), TypeError, ("grade", "True")
    ),
    Case(
        "benefits-allowance-grade-5",
        lambda: benefits.disability_allowance(5, 5000, 2000, _params()),
        ValueError,
        ("disability_allowance: grade", "5", "1 to 4"),
    ),
    Case(
        "benefits-medical-subsidy-grade-4",
        lambda: benefits.medical_subsidy(4, 8000, _params()),
        ValueError,
        ("medical_subsidy: grade", "4", "5 to 10"),
    ),
    Case(
        "benefits-negative-wage",
        lambda: benefits.own_wage(5000, -8000, _params()),
        ValueError,
        ("own_wage: avg_monthly_wage", "-8000", ">= 0"),
    ),
    Case(
        "benefits-nan-wage",
        lambda: benefits.funeral_grant(NAN, _params()),
        ValueError,
        ("funeral_grant: avg_monthly_wage", "nan"),
    ),
    Case(
        "benefits-string-wage",
        lambda: benefits.disability_lump_sum(3, "5000", _params()),
        TypeError,
        ("own_wage", "'5000'"),
    ),
    Case(
        "benefits-unknown-care-level",
        lambda: benefits.care_allowance("total", 8000, _params()),
        ValueError,
        ("care_allowance: level", "'total'", "full"),
    ),
    Case(
        "benefits-unknown-dependant",
        lambda: benefits.dependant_pensions(5000, ["cousin"], _params()),
        ValueError,
        ("dependant", "'cousin'", "'spouse' or 'other'"),
    ),
    Case(
        "benefits-lone-flags-length",
        lambda: benefits.dependant_pensions(5000, ["spouse", "other"], _params(), lone=[True]),
        ValueError,
        ("lone", "[True]", "1 lone flags for 2 dependants"),
    ),
    Case(
        "benefits-reversed-clamp-in-dict",
        lambda: benefits.own_wage(5000, 8000, {**dict(_params()), "contribution.base_clamp": [3.0, 0.6]}),
        ValueError,
        ("contribution.base_clamp", "[3.0, 0.6]", "ordered pair"),
    ),
    Case("benefits-params-none", lambda: benefits.funeral_grant(8000, None), TypeError, ("params", "None")),
    # ---- command line flags ---------------------------------------------------------------------------
    Case("cli-years-abc", cli("--years", "abc"), ValueError, ("--years", "'abc'", "integer")),
    Case("cli-years-zero", cli("--years", "0"), ValueError, ("--years", "= 0", "1 to 50")),
    Case("cli-years-51", cli("--years", "51"), ValueError, ("--years", "51", "1 to 50")),
    Case("cli-start-fractional", cli("--start", "2025.5"), ValueError, ("--start", "'2025.5'", "integer")),
    Case("cli-start-base-year", cli("--start", "2024"), ValueError, ("--start", "2024", "base year 2024")),
    Case("cli-bad-policy", cli("--policy", "atlantis"), ValueError, ("'atlantis'", "available")),
    Case("cli-workbook-rows-negative", cli("--workbook-rows", "-5"), ValueError, ("--workbook-rows", "-5", ">= 0")),
    Case(
        "cli-workbook-rows-text", cli("--workbook-rows", "many"), ValueError, ("--workbook-rows", "'many'", "integer")
    ),
]


# Issue #9 items 2-4: the claims assumptions of the 2025 retirement ages, dependants' eligibility
# and the per-family Art. 39 cap, and the optional birth columns of beneficiaries.csv.
_COMPS9 = [[1, 0, 0], [1, 1, 0], [1, 2, 0], [1, 1, 1], [1, 2, 1], [1, 0, 1], [0, 0, 1], [0, 0, 2], [0, 0, 0]]


_DEMO_FIRST_BIRTH = 2024 - int(pd.read_csv(DEMO_DIR / "beneficiaries.csv", nrows=1)["age"].iloc[0])


def _first_row(column, value):
    """The optional column given for the first row only (empty elsewhere: the defaults)."""
    return lambda d: d.beneficiaries.assign(**{column: [value] + [NAN] * (len(d.beneficiaries) - 1)})


CASES += [
    Case(
        "claims-family-weights-not-summing-to-1",
        assume(claims={"family_weights": [0.2, 0.2, 0.1, 0.1, 0.05, 0.1, 0.05, 0.05, 0.05]}),
        ValueError,
        ("family_weights", "sum to 1", "0.9"),
    ),
    Case(
        "claims-family-weights-length",
        assume(claims={"family_weights": [0.5, 0.5]}),
        ValueError,
        ("family_weights", "2", "9"),
    ),
    Case(
        "claims-family-weight-negative",
        assume(claims={"family_compositions": [[1, 0, 0], [0, 0, 0]], "family_weights": [1.2, -0.2]}),
        ValueError,
        ("family_weights", "-0.2"),
    ),
    Case(
        "claims-family-two-spouses",
        assume(claims={"family_compositions": [[2, 0, 0], *_COMPS9[1:]]}),
        ValueError,
        ("family_compositions", "family 1 spouses", "2"),
    ),
    Case(
        "claims-family-composition-shape",
        assume(claims={"family_compositions": [[1, 0]], "family_weights": [1.0]}),
        ValueError,
        ("family_compositions", "[spouses, children, parents]"),
    ),
    Case(
        "claims-family-children-fractional",
        assume(claims={"family_compositions": [[1, 1.5, 0], *_COMPS9[1:]]}),
        ValueError,
        ("family_compositions", "children", "1.5"),
    ),
    Case(
        "claims-incapacity-share-above-1",
        assume(claims={"dependant_incapacity_share": 1.2}),
        ValueError,
        ("dependant_incapacity_share", "1.2"),
    ),
    Case(
        "claims-spouse-exit-hazard-negative",
        assume(claims={"spouse_exit_hazard": -0.1}),
        ValueError,
        ("spouse_exit_hazard", "-0.1"),
    ),
    Case(
        "claims-female-cadre-share-nan",
        assume(claims={"female_cadre_share": NAN}),
        ValueError,
        ("female_cadre_share", "nan"),
    ),
    Case(
        "claims-pension-qualify-share-above-1",
        assume(claims={"pension_qualify_share": [0.95, 1.2]}),
        ValueError,
        ("pension_qualify_share", "1.2", "at 20 years"),
    ),
    Case(
        "claims-pension-qualify-share-length",
        assume(claims={"pension_qualify_share": [0.9]}),
        ValueError,
        ("pension_qualify_share", "2"),
    ),
    Case(
        "frame-birth-month-13",
        frames(beneficiaries=_first_row("birth_month", 13.0)),
        ValueError,
        ("birth_month", "city=Jingcheng, kind=allowance", "13", "<= 12"),
    ),
    Case(
        "frame-birth-year-inconsistent-with-age",
        frames(beneficiaries=_first_row("birth_year", 1950.0)),
        ValueError,
        # expected birth year = base year - age of the demo's first row (read from the demo, not pinned)
        ("birth_year", "city=Jingcheng, kind=allowance", "1950", "inconsistent", str(_DEMO_FIRST_BIRTH)),
    ),
    Case(
        "frame-birth-year-fractional",
        frames(beneficiaries=_first_row("birth_year", 1994.5)),
        ValueError,
        ("birth_year", "1994.5", "whole number"),
    ),
]


def test_suite_size_and_distinct_ids():
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids)), "duplicate case ids"
    assert len(CASES) >= 120


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_bad_input(case):
    badinput.check(case)


# ------------------------------------------------------------------------------------------------
# Positive tests: files as people really have them, DataFrames as a database returns them
# ------------------------------------------------------------------------------------------------
@pytest.fixture()
def folder(tmp_path):
    target = tmp_path / "prov"
    shutil.copytree(DEMO_DIR, target)
    return target


def _chinese_cities(folder: Path) -> str:
    text = (folder / "cities.csv").read_text(encoding="utf-8").replace("Jingcheng", "京城市")
    (folder / "insured.csv").write_text(
        (folder / "insured.csv").read_text(encoding="utf-8").replace("Jingcheng", "京城市"), encoding="utf-8"
    )
    (folder / "beneficiaries.csv").write_text(
        (folder / "beneficiaries.csv").read_text(encoding="utf-8").replace("Jingcheng", "京城市"), encoding="utf-8"
    )
    return text


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-16"])
def test_excel_encodings_are_read(folder, encoding):
    """cities.csv saved as GBK / GB18030 (Excel 'CSV (逗号分隔)' on Chinese Windows), UTF-8 with a BOM
    ('CSV UTF-8') or UTF-16 with a BOM: read with the Chinese city name intact."""
    text = _chinese_cities(folder)
    (folder / "cities.csv").write_bytes(text.encode(encoding))
    prov = Province.from_dir(folder)
    assert "京城市" in prov.city_names
    assert list(prov.cities.columns) == ["collection_rate", "minimum_wage", "project_value"]


def test_utf16_tab_separated_unicode_text(folder):
    """Excel's 'Unicode text' export: UTF-16 with BOM and tabs."""
    df = pd.read_csv(folder / "insured.csv", dtype=str)
    (folder / "insured.csv").write_bytes(df.to_csv(index=False, sep="\t").encode("utf-16"))
    pd.testing.assert_frame_equal(Province.from_dir(folder).insured, Province.demo().insured)


def test_excel_trailing_empty_rows_are_dropped(folder):
    with open(folder / "cities.csv", "a", encoding="utf-8") as fh:
        fh.write(",,,\n,,,\n")
    pd.testing.assert_frame_equal(Province.from_dir(folder).cities, Province.demo().cities)


def test_gbk_policy_file_is_read(tmp_path):
    path = tmp_path / "gbk.toml"
    path.write_bytes(
        textwrap.dedent("""
        [policy]
        name = "gbk"
        inherits = "national"
        [params."reserve.ratio"]
        values = [{ from = 2026-01-01, value = 0.12, source = "吉人社发〔2026〕1号" }]
        """).encode("gbk")
    )
    p = Policy.load(path).at(2026)
    assert p["reserve.ratio"] == 0.12 and p.source("reserve.ratio") == "吉人社发〔2026〕1号"


def test_integer_class_codes_from_sql_are_accepted():
    """A database returns risk_class as integers 1..8 (and the cities as an ordinary column): the
    province equals the one read from files, and projects identically."""
    demo = Province.demo()
    insured = demo.insured.copy()
    insured["risk_class"] = insured["risk_class"].astype(int)
    cities = demo.cities.reset_index()
    ben = demo.beneficiaries.assign(grade=demo.beneficiaries.grade.astype(float))
    prov = Province(
        name=demo.name,
        base_year=demo.base_year,
        cities=cities,
        insured=insured,
        beneficiaries=ben,
        fund=dict(demo.fund),
        national_disposable_income=demo.national_disposable_income,
        default_policy=demo.default_policy,
        illustrative=True,
    )
    pd.testing.assert_frame_equal(prov.insured, demo.insured)
    pd.testing.assert_frame_equal(prov.cities, demo.cities)
    pd.testing.assert_frame_equal(
        wifund.project(prov, years=3).fund, wifund.project(demo, years=3).fund, check_exact=True
    )


def test_unclassified_class_u_from_sql_mixed_column():
    demo = Province.demo()
    extra = demo.insured.iloc[[0]].assign(risk_class="u", insured=1000.0)
    insured = pd.concat([demo.insured.assign(risk_class=demo.insured.risk_class.astype(int)).astype(object), extra])
    prov = Province(**{**demo.__dict__, "insured": insured})
    assert (prov.insured.risk_class == "U").sum() == 1


def test_reversed_clamp_never_reaches_the_engine():
    """A reversed wage clamp is rejected where it enters: in a file, an override and a plain mapping."""
    with pytest.raises(ValueError, match=r"ordered pair"):
        Policy.load("jilin").override({"contribution.base_clamp": [3.0, 0.6]})
    with pytest.raises(ValueError, match=r"ordered pair"):
        benefits.rules({**dict(Policy.load("national").at(2025)), "contribution.base_clamp": [3.0, 0.6]})


def test_every_packaged_key_declares_a_checked_unit():
    from wifund.policy import UNITS, _unit_base

    for name in Policy.available():
        pol = Policy.load(name)
        for key in pol.keys():
            unit = pol.at(2030).unit(key) if key in pol.at(2030) else ""
            assert _unit_base(unit) in UNITS, (name, key, unit)


def test_checks_build_no_message_on_the_good_path(monkeypatch):
    """The checks keep Province.demo() and project() cheap: on good input no error message is built
    (the message builders of wifund._checks are never called). Measured, not asserted, timings are in
    benchmarks/README.md: tests never assert timings."""
    from wifund import _checks

    def never(*args, **kwargs):
        raise AssertionError(f"a message was built on the good path: {args!r}")

    monkeypatch.setattr(_checks, "_fail", never)
    monkeypatch.setattr(_checks, "suggest", never)
    demo = Province.demo()
    assert math.isfinite(wifund.project(demo, years=3).fund["closing"].iloc[-1])
