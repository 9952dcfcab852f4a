"""Base-year replay (issue #9 item 1): wifund.replay, the ReplayWarning in Python and in the reports, the
base-year data of province.toml, and the recalibrated demo province."""

from __future__ import annotations

import re
import shutil
import tomllib
import warnings
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import wifund
from wifund import ReplayWarning, replay
from wifund._checks import InputTypeError
from wifund.province import BaseYearData, Province
from wifund.replay import replay_messages

import badinput
from badinput import Case

DEMO_DIR = Path(str(resources.files("wifund") / "data" / "demo"))

# 人社部发〔2015〕71号: base rates of the eight industry risk classes (the Jilin layer keeps them, 2021-07-01).
BASE_RATES_71 = {"1": 0.002, "2": 0.004, "3": 0.007, "4": 0.009, "5": 0.011, "6": 0.013, "7": 0.016, "8": 0.019}


@pytest.fixture(scope="module")
def demo() -> Province:
    return Province.demo()


@pytest.fixture(scope="module")
def demo_replay(demo: Province) -> pd.DataFrame:
    return replay(demo)


def _copy_demo(tmp_path: Path) -> Path:
    target = tmp_path / "prov"
    shutil.copytree(DEMO_DIR, target)
    return target


def _edit_toml(folder: Path, pattern: str, repl: str) -> None:
    path = folder / "province.toml"
    text = path.read_text(encoding="utf-8")
    new, n = re.subn(pattern, repl, text, count=1, flags=re.M)
    assert n == 1, pattern
    path.write_text(new, encoding="utf-8")


def _scaled(folder: Path, key: str, factor: float) -> float:
    value = tomllib.loads((folder / "province.toml").read_text(encoding="utf-8"))["fund"][key]
    _edit_toml(folder, rf"^{key} = .*$", f"{key} = {value * factor!r}")
    return value * factor


# ------------------------------------------------------------------------------------------------
# The demo's base year is reproduced
# ------------------------------------------------------------------------------------------------
def test_demo_base_year_reproduced_within_one_percent(demo_replay: pd.DataFrame) -> None:
    r = demo_replay
    assert list(r.columns) == ["reported", "replayed", "ratio"]
    assert {"contributions", "expenditure", "closing"} <= set(r.index)
    for item in ("contributions", "expenditure", "closing"):
        assert abs(r.at[item, "ratio"] - 1) < 0.01, (item, r.at[item, "ratio"])
    assert r.attrs["warnings"] == []
    assert r.attrs["phased_cut"] == pytest.approx(0.2)


def test_demo_projection_does_not_warn(demo: Province) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", ReplayWarning)
        proj = wifund.project(demo, years=2)
    assert proj.replay_warnings == []
    assert proj.replay is not None and abs(proj.replay.at["contributions", "ratio"] - 1) < 0.01


def test_replayed_contributions_by_hand(demo: Province, demo_replay: pd.DataFrame) -> None:
    """Independent calculation: insured.csv × 12 × wage × 71号 base rate × float × (1 − 2024 cut) × the city's
    collection rate, summed over cities and classes."""
    ins = demo.insured.merge(demo.cities["collection_rate"], left_on="city", right_index=True)
    cut = 0.2  # 人社部发〔2023〕19号: 20 % for 18-24 months of payment, province.toml [base_year] phased_cut
    by_hand = (
        ins["insured"]
        * ins["avg_monthly_wage"]
        * 12
        * ins["risk_class"].map(BASE_RATES_71)
        * ins["avg_float"]
        * (1 - cut)
        * ins["collection_rate"]
    ).sum()
    assert demo_replay.at["contributions", "replayed"] == pytest.approx(by_hand, rel=1e-12)
    assert by_hand == pytest.approx(demo.fund["base_contributions"], rel=0.01)


def test_opening_balance_of_the_base_year(demo: Province, demo_replay: pd.DataFrame) -> None:
    """Closing = opening + revenue − expenditure, with the opening of the base year implied by the reported
    closing balance; the cut is the one province.toml gives (20 %), and the months of payment at the start of
    2024 are in the 20 % band [18, 24) of 人社部发〔2018〕25号."""
    r = demo_replay
    months = r.attrs["opening"] / (demo.fund["base_expenditure"] / 12)
    assert 18 <= months < 24
    # closing − opening = replayed revenue − replayed expenditure (identity of the engine's year)
    proj_rev = r.at["closing", "replayed"] - r.attrs["opening"] + r.at["expenditure", "replayed"]
    assert proj_rev > r.at["contributions", "replayed"]  # project premiums and interest on top


# ------------------------------------------------------------------------------------------------
# A mis-calibrated province warns, in Python and in the reports
# ------------------------------------------------------------------------------------------------
def test_twenty_percent_off_contributions_warns_naming_the_item(tmp_path: Path) -> None:
    folder = _copy_demo(tmp_path)
    reported = _scaled(folder, "base_contributions", 1.2)
    prov = Province.from_dir(folder)
    with pytest.warns(ReplayWarning) as rec:
        r = replay(prov)
    messages = [str(w.message) for w in rec]
    assert len(messages) == 1, messages
    m = messages[0]
    assert "contributions" in m and "expenditure" not in m.split(":")[2]
    assert f"{reported:,.0f}" in m
    assert f"{r.at['contributions', 'replayed']:,.0f}" in m
    assert r.at["contributions", "ratio"] == pytest.approx(1 / 1.2, rel=0.011)
    # project() warns the same when the province is loaded for a projection
    with pytest.warns(ReplayWarning, match="contributions replayed"):
        proj = wifund.project(prov, years=3)
    assert proj.replay_warnings == messages


def test_twenty_percent_off_expenditure_warns_naming_the_item(tmp_path: Path) -> None:
    folder = _copy_demo(tmp_path)
    reported = _scaled(folder, "base_expenditure", 0.8)
    with pytest.warns(ReplayWarning, match=r"expenditure replayed .* against " + re.escape(f"{reported:,.0f}")):
        replay(Province.from_dir(folder))


def test_tolerance_decides(tmp_path: Path) -> None:
    folder = _copy_demo(tmp_path)
    _scaled(folder, "base_contributions", 1.03)
    prov = Province.from_dir(folder)
    assert replay_messages(prov)[1] == []  # 3 % off: within the default 5 %
    assert len(replay_messages(prov, tolerance=0.02)[1]) == 1
    with pytest.warns(ReplayWarning):
        wifund.project(prov, years=1, replay_tolerance=0.02)


def test_reports_carry_the_warning(tmp_path: Path) -> None:
    from wifund.report import render_html, write_excel, write_run

    folder = _copy_demo(tmp_path)
    _scaled(folder, "base_contributions", 1.2)
    with pytest.warns(ReplayWarning):
        proj = wifund.project(Province.from_dir(folder), years=3)
    page = render_html(proj)
    assert "Base-year replay" in page and "replay-warning-0" in page
    assert "contributions replayed by the engine" in page
    xlsx = write_excel(proj, tmp_path / "p.xlsx")
    notes = pd.read_excel(xlsx, sheet_name="notes", header=1)  # row 1: names and units, row 2: keys
    assert notes["note"].str.contains("contributions replayed by the engine").any()
    cover = pd.read_excel(xlsx, sheet_name="cover", header=None)
    assert cover[1].astype(str).str.contains("contributions replayed by the engine").any()  # and on the cover
    sheet = pd.read_excel(xlsx, sheet_name="base_year_replay", header=1, index_col=0)
    assert sheet.loc["contributions", "ratio"] == pytest.approx(proj.replay.at["contributions", "ratio"])
    out = write_run(proj, tmp_path / "run")
    assert (out / "base_year_replay.csv").exists()
    assert "contributions replayed by the engine" in (out / "report.html").read_text(encoding="utf-8")


def test_demo_report_has_the_replay_section_and_no_warning(demo: Province) -> None:
    from wifund.report import render_html

    page = render_html(wifund.project(demo, years=2))
    assert "<h2 id='replay'>Base-year replay (2024)</h2>" in page
    assert "replay-warning-" not in page


# ------------------------------------------------------------------------------------------------
# Reported items, the [base_year] table, round trip
# ------------------------------------------------------------------------------------------------
def test_reported_items_appear_and_are_checked(tmp_path: Path, demo_replay: pd.DataFrame) -> None:
    folder = _copy_demo(tmp_path)
    text = (folder / "province.toml").read_text(encoding="utf-8")
    # The engine's replayed values for two items, one of them reported 20 % high.
    prov0 = Province.demo()
    engine_items = _replayed_items(prov0)
    medical = engine_items["medical"] * 1.2
    funeral = engine_items["funeral_grant"]
    text = text.replace(
        "\n[base_year]",
        f"\n[fund.base_expenditure_items]\nmedical = {medical!r}\nfuneral_grant = {funeral!r}\n\n"
        "[fund.base_revenue_items]\ninterest = 40000000.0\n\n[base_year]",
    )
    (folder / "province.toml").write_text(text, encoding="utf-8")
    prov = Province.from_dir(folder)
    assert prov.base_year_data.expenditure == {"medical": medical, "funeral_grant": funeral}
    with pytest.warns(ReplayWarning, match="medical replayed") as rec:
        r = replay(prov)
    assert not any("funeral_grant" in str(w.message) for w in rec)
    assert list(r.index) == ["contributions", "interest", "expenditure", "medical", "funeral_grant", "closing"]
    assert r.at["funeral_grant", "ratio"] == pytest.approx(1.0, abs=1e-3)
    assert r.at["interest", "reported"] == 40_000_000.0
    # round trip through to_dir keeps the base-year data
    back = Province.from_dir(prov.to_dir(tmp_path / "back"))
    assert back.base_year_data == prov.base_year_data


def _replayed_items(prov: Province) -> dict[str, float]:
    """The replayed split by expenditure item (every item reported at 1 yuan: all but their values)."""
    items = {k: 1.0 for k in wifund._core.axes.expenditure_items[:-1]}
    p = Province(**{**prov.__dict__, "base_year_data": BaseYearData(phased_cut=0.2, expenditure=items)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReplayWarning)
        r = replay(p)
    return {k: float(r.at[k, "replayed"]) for k in items}


def test_phased_cut_from_the_policy_rule_when_not_reported(demo: Province) -> None:
    """Without [base_year] phased_cut the policy's rule decides the 2024 cut on the months of payment at the
    start of 2024 (here 18-24 months: 20 %); with phased_cut = 0 the full rates apply."""
    none = Province(**{**demo.__dict__, "base_year_data": BaseYearData()})
    r = replay_messages(none)[0]
    assert r.attrs["phased_cut"] == pytest.approx(0.2)
    full = Province(**{**demo.__dict__, "base_year_data": BaseYearData(phased_cut=0.0)})
    with pytest.warns(ReplayWarning, match="contributions"):
        r0 = replay(full)
    assert r0.attrs["phased_cut"] == 0.0
    assert r0.at["contributions", "replayed"] == pytest.approx(r.at["contributions", "replayed"] / 0.8, rel=1e-12)


# ------------------------------------------------------------------------------------------------
# The recalibrated demo
# ------------------------------------------------------------------------------------------------
def test_demo_stock_single_ages_awards_before_retirement_and_eligible_spouses(demo: Province) -> None:
    ben = demo.beneficiaries
    assert (ben["age"] % 5 != 0).any() and ben["age"].nunique() > 60  # single ages, not a 5-year grid
    allow = ben[ben["kind"] == "allowance"]
    award_age = allow["age"] - (demo.base_year + 1 - allow["award_year"])
    retirement = allow["sex"].map({"M": 60, "F": 55})  # 国发〔1978〕104号, the ages before 2025
    assert (award_age <= retirement).all()
    # retired from the year after reaching the age
    assert ((allow["retired"] == 1) == (allow["age"] >= retirement + 1)).all()
    # 部令第18号 Art. 3: spouses below 55 (women) / 60 (men) are paid only when wholly unable to work (the
    # others are deferred rows, pay_from: tests/python/test_stock_rules.py)
    sp = ben[(ben["kind"] == "spouse") & (ben["pay_from"] == "")]
    young = sp["age"] < sp["sex"].map({"M": 60, "F": 55})
    assert sp.loc[young, "count"].sum() < 0.06 * sp["count"].sum()
    ch = ben[ben["kind"] == "child"]
    assert ch["age"].max() <= 18


def test_demo_reserve_and_months(demo: Province) -> None:
    f = demo.fund
    assert f["opening_reserve"] / f["base_expenditure"] == pytest.approx(164 / 990, abs=0.005)  # national 2021
    assert 15 < f["opening_balance"] / (f["base_expenditure"] / 12) < 20


@pytest.mark.slow
def test_demo_stock_consistent_with_its_flows(demo: Province) -> None:
    """Long-term recipients per 1,000 insured (allowance and dependants; care recipients are allowance
    recipients) stay near the stock's level over 30 years: the stock is at maturity of its own flows."""
    ben = demo.beneficiaries
    stock = ben.loc[ben["kind"] != "care", "count"].sum() / demo.insured["insured"].sum() * 1000
    proj = wifund.project(demo, years=30)
    b = proj.beneficiaries
    per = b[b["kind"] != "care"].groupby("year")["in_payment"].sum() / proj.fund["insured"] * 1000
    assert 0.85 < per.iloc[-1] / stock < 1.25, (stock, per.iloc[[0, -1]])


# ------------------------------------------------------------------------------------------------
# Bad input
# ------------------------------------------------------------------------------------------------
def _with_base_year_data(**fields):
    def fn():
        d = Province.demo()
        return Province(**{**d.__dict__, "base_year_data": fields})

    return fn


def _toml_case(pattern: str, repl: str):
    def fn():
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            folder = _copy_demo(Path(tmp))
            _edit_toml(folder, pattern, repl)
            return Province.from_dir(folder)

    return fn


CASES = [
    Case(
        "replay-negative-item",
        _toml_case(r"^\[base_year\]", "[fund.base_expenditure_items]\nmedical = -5.0\n\n[base_year]"),
        ValueError,
        ("province.toml", "[fund.base_expenditure_items] medical", "-5.0", ">= 0"),
    ),
    Case(
        "replay-unknown-item",
        _toml_case(r"^\[base_year\]", "[fund.base_expenditure_items]\nmedicl = 5.0\n\n[base_year]"),
        ValueError,
        ("[fund.base_expenditure_items]", "unknown item 'medicl'", "medical"),
    ),
    Case(
        "replay-unknown-revenue-item",
        _toml_case(r"^\[base_year\]", "[fund.base_revenue_items]\ninterst = 5.0\n\n[base_year]"),
        ValueError,
        ("[fund.base_revenue_items]", "unknown item 'interst'", "interest"),
    ),
    Case(
        "replay-contributions-as-revenue-item",
        _toml_case(r"^\[base_year\]", "[fund.base_revenue_items]\ncontributions = 5.0\n\n[base_year]"),
        ValueError,
        ("[fund.base_revenue_items] contributions", "base_contributions"),
    ),
    Case(
        "replay-item-table-not-a-table",
        _toml_case(r"^base_contributions = (.*)$", r"base_contributions = \1" + "\nbase_expenditure_items = 5"),
        ValueError,
        ("[fund] base_expenditure_items", "must be a table", "5"),
    ),
    Case(
        "replay-items-exceed-expenditure",
        _with_base_year_data(expenditure={"medical": 3e9}),
        ValueError,
        ("[fund.base_expenditure_items]", "3000000000.0", "base_expenditure"),
    ),
    Case(
        "replay-item-boolean",
        _with_base_year_data(revenue={"interest": True}),
        InputTypeError,
        ("[fund.base_revenue_items] interest", "True", "boolean"),
    ),
    Case(
        "replay-item-nan",
        _with_base_year_data(expenditure={"medical": float("nan")}),
        ValueError,
        ("[fund.base_expenditure_items] medical", "nan"),
    ),
    Case(
        "replay-phased-cut-out-of-range",
        _toml_case(r"^phased_cut = .*$", "phased_cut = 1.5"),
        ValueError,
        ("[base_year] phased_cut", "1.5", "[0, 1]"),
    ),
    Case(
        "replay-phased-cut-boolean",
        _with_base_year_data(phased_cut=True),
        ValueError,
        ("[base_year] phased_cut", "True"),
    ),
    Case(
        "replay-unknown-base-year-key",
        _toml_case(r"^phased_cut = (.*)$", r"phased_cut = \1" + "\nphased_cutt = 0.2"),
        ValueError,
        ("[base_year]", "unknown key 'phased_cutt'", "phased_cut"),
    ),
    Case(
        "replay-source-not-text",
        _with_base_year_data(phased_cut_source=3),
        ValueError,
        ("[base_year] phased_cut_source", "3", "string"),
    ),
    Case(
        "replay-base-year-data-type",
        lambda: Province(**{**Province.demo().__dict__, "base_year_data": [0.2]}),
        InputTypeError,
        ("base_year_data", "list"),
    ),
    Case("replay-tolerance-zero", lambda: replay(Province.demo(), tolerance=0), ValueError, ("tolerance", "0")),
    Case(
        "replay-tolerance-negative",
        lambda: replay(Province.demo(), tolerance=-0.05),
        ValueError,
        ("replay: tolerance", "-0.05"),
    ),
    Case(
        "replay-tolerance-text",
        lambda: replay(Province.demo(), tolerance="5%"),
        InputTypeError,
        ("replay: tolerance", "5%"),
    ),
    Case(
        "replay-tolerance-nan",
        lambda: replay(Province.demo(), tolerance=float("nan")),
        ValueError,
        ("replay: tolerance", "nan"),
    ),
    Case(
        "project-replay-tolerance-zero",
        lambda: wifund.project(Province.demo(), years=1, replay_tolerance=0.0),
        ValueError,
        ("project: replay_tolerance", "0"),
    ),
    Case("replay-province-none", lambda: replay(None), InputTypeError, ("replay: province", "None")),
    Case(
        "replay-policy-type",
        lambda: replay(Province.demo(), policy=3),
        InputTypeError,
        ("replay: policy", "3"),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_bad_input(case: Case) -> None:
    badinput.check(case)


def test_good_values_pass() -> None:
    d = Province.demo()
    p = Province(
        **{
            **d.__dict__,
            "base_year_data": {"phased_cut": 0.5, "revenue": {"interest": 1.0}, "expenditure": {"medical": 2.0}},
        }
    )
    assert p.base_year_data == BaseYearData(phased_cut=0.5, revenue={"interest": 1.0}, expenditure={"medical": 2.0})
    assert np.isfinite(replay_messages(p, tolerance=10.0)[0]["ratio"]).all()
