"""Dated policy parameters: packaged files, resolution by date, inheritance, overrides, errors."""

import datetime as dt
import textwrap
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wifund.policy import Params, Policy

D = dt.date

# Every key the engine reads, for every packaged policy (after inheritance).
COMMON_KEYS = [
    "contribution.base_rate",
    "contribution.float_tiers",
    "contribution.float_review_years",
    "contribution.phased_cut.active",
    "contribution.phased_cut.thresholds_months",
    "contribution.phased_cut.reductions",
    "contribution.base_clamp",
    "contribution.project_rate",
    "benefits.disability.lump_sum_months",
    "benefits.disability.allowance_rate",
    "benefits.disability.employer_allowance_rate",
    "benefits.disability.minimum_wage_floor",
    "benefits.disability.retirement_topup",
    "benefits.care.rate",
    "benefits.death.funeral_months",
    "benefits.death.grant_income_multiple",
    "benefits.dependants.rate",
    "benefits.dependants.cap_own_wage_multiple",
    "benefits.medical_subsidy_months",
    "benefits.hospital_food_per_day",
    "benefits.hospital_food.growth",
    "benefits.hospital_food.cap_per_day",
    "benefits.indexation.mode",
    "benefits.indexation.allowance_wage_weight",
    "benefits.indexation.dependant_wage_weight",
    "benefits.indexation.care_follows_wage",
    "benefits.indexation.grade_average_rate",
    "benefits.indexation.exclude_retired",
    "prevention.cap_ratio",
    "reserve.ratio",
    "reserve.base",
    "reserve.cap_ratio",
    "reserve.advance_repaid",
    "contribution.phased_cut.take_up",
    "contribution.phased_cut.stop_months",
    "contribution.float_downward_suspended",
    "rate_review.active",
    "rate_review.band_months",
    "rate_review.first_year",
    "rate_review.cycle_years",
    "rate_review.step",
    "rate_review.bounds",
    "rate_review.lag_years",
    "fund.warning_months",
    "retirement.age",
]
PROVINCE_KEYS = {
    "jilin": ["fund.pooling"],
    "ningxia": ["fund.pooling", "contribution.unclassified_rate"],
}


def write(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def one_key_file(tmp_path: Path, values: str, name: str = "bad") -> Path:
    return write(
        tmp_path,
        name,
        f"""
        [policy]
        name = "{name}"
        inherits = ""
        [params."x.rate"]
        unit = "count"  # values 1, 2: counts (a "fraction" of 2 is rejected since issue #7)
        values = [
        {values}
        ]
        """,
    )


# ------------------------------------------------------------------------------------------------
# Packaged policies
# ------------------------------------------------------------------------------------------------
def test_available_lists_packaged_policies():
    assert {"national", "jilin", "ningxia"} <= set(Policy.available())


@pytest.mark.parametrize("name", ["national", "jilin", "ningxia"])
def test_every_key_resolves_on_2025_01_01(name):
    params = Policy.load(name).at("2025-01-01")
    assert isinstance(params, Params)
    for key in COMMON_KEYS + PROVINCE_KEYS.get(name, []):
        assert key in params, key
        assert params.source(key), key
        assert params.effective_from(key) <= D(2025, 1, 1)


@pytest.mark.parametrize("name", ["national", "jilin", "ningxia"])
def test_values_national_law(name):
    p = Policy.load(name).at(2025)
    assert p["contribution.base_rate"] == [0.002, 0.004, 0.007, 0.009, 0.011, 0.013, 0.016, 0.019]
    assert p["contribution.float_tiers"] == {"class1": [1.0, 1.2, 1.5], "other": [0.5, 0.8, 1.0, 1.2, 1.5]}
    assert p["contribution.phased_cut.thresholds_months"] == [18, 24]
    assert p["contribution.phased_cut.reductions"] == [0.2, 0.5]
    assert p["contribution.base_clamp"] == [0.6, 3.0]
    assert p["benefits.disability.lump_sum_months"] == [27, 25, 23, 21, 18, 16, 13, 11, 9, 7]
    assert p["benefits.disability.allowance_rate"] == [0.90, 0.85, 0.80, 0.75]
    assert p["benefits.disability.employer_allowance_rate"] == [0.70, 0.60]
    assert p["benefits.care.rate"] == {"full": 0.5, "major": 0.4, "partial": 0.3}
    assert p["benefits.death.funeral_months"] == 6
    assert p["benefits.death.grant_income_multiple"] == 20
    assert p["benefits.dependants.rate"] == {"spouse": 0.4, "other": 0.3, "lone_extra": 0.1}
    assert p["benefits.dependants.cap_own_wage_multiple"] == 1.0
    assert p["benefits.medical_subsidy_months"] == [24, 18, 12, 9, 6, 4]
    assert p["benefits.indexation.mode"] in {"percentage", "flat"}
    assert p["prevention.cap_ratio"] == 0.03
    reserve = (p["reserve.ratio"], p["reserve.base"], p["reserve.cap_ratio"])
    assert reserve == (0.10, "expenditure", 0.20)  # 人社部发〔2015〕72号 §6: sized on expenditure
    assert p["fund.warning_months"] == [12, 9, 6]
    assert p["retirement.age"] == {"male": 60, "female": 55}
    assert p.source("benefits.care.rate") == "国务院令第586号 (条例 Art. 34)"
    assert p.source("prevention.cap_ratio") == "人社部规〔2017〕13号"


@pytest.mark.parametrize("name", ["national", "jilin", "ningxia"])
@pytest.mark.parametrize(
    "day, active",
    [
        ("2018-04-30", False),
        ("2018-05-01", True),
        ("2019-04-30", True),
        ("2019-05-01", True),
        ("2020-05-01", True),
        ("2023-04-30", True),
        ("2023-05-01", True),
        ("2024-12-31", True),
        ("2025-01-01", False),
        ("2030-06-30", False),
        ("2015-10-01", False),
    ],
)
def test_phased_cut_window(name, day, active):
    assert Policy.load(name).at(day)["contribution.phased_cut.active"] is active


def test_phased_cut_sources():
    pol = Policy.load("national")
    assert pol.at("2018-05-01").source("contribution.phased_cut.active") == "人社部发〔2018〕25号"
    assert pol.at("2019-05-01").source("contribution.phased_cut.active") == "国办发〔2019〕13号"
    assert pol.at("2024-01-01").source("contribution.phased_cut.active") == "人社部发〔2023〕19号"
    # The national cut ends 2024-12-31 by 人社部发〔2023〕19号 itself (not assumed, not a provincial text).
    assert pol.at("2025-01-01").source("contribution.phased_cut.active") == "人社部发〔2023〕19号"
    assert not pol.at("2025-01-01").is_assumed("contribution.phased_cut.active")


def test_keys_absent_before_first_entry():
    p = Policy.load("national").at("2010-12-31")
    assert "benefits.care.rate" not in p
    assert "contribution.phased_cut.active" not in p
    with pytest.raises(KeyError, match=r"benefits\.care\.rate.*2010-12-31.*national"):
        p["benefits.care.rate"]


def test_jilin_food_subsidy_and_pooling():
    jl = Policy.load("jilin")
    assert jl.at("2021-06-30")["benefits.hospital_food_per_day"] == 20
    assert jl.at("2021-06-30").layer("benefits.hospital_food_per_day") == "jilin"
    assert jl.at("2022-06-01")["benefits.hospital_food_per_day"] == 26
    assert jl.at("2022-06-01").source("benefits.hospital_food_per_day") == "吉人社发〔2022〕24号"
    assert jl.at("2016-12-31").layer("benefits.hospital_food_per_day") == "national"
    assert "fund.pooling" not in jl.at("2021-06-30")
    assert jl.at("2021-07-01")["fund.pooling"] == "provincial_unified"
    assert jl.at("2021-07-01").source("fund.pooling") == "吉政发〔2020〕20号"


def test_ningxia_inheritance_and_pooling():
    nx, nat = Policy.load("ningxia"), Policy.load("national")
    assert nx.chain == ["ningxia", "national"]
    assert nat.chain == ["national"]
    p = nx.at("2024-01-01")
    assert p["contribution.unclassified_rate"] == 0.0075
    assert p.layer("contribution.unclassified_rate") == "ningxia"
    assert p.layer("benefits.care.rate") == "national"
    assert "contribution.unclassified_rate" not in nat.at("2024-01-01")
    assert p["contribution.float_review_years"] == 2
    assert nx.at("2016-12-31")["contribution.float_review_years"] == 1  # national default
    assert nx.at("2023-08-31")["fund.pooling"] == "provincial_adjustment_fund"
    assert nx.at("2023-09-01")["fund.pooling"] == "provincial_unified"
    assert nx.at("2023-09-01").source("fund.pooling") == "宁人社发〔2023〕118号"


def test_assumed_list():
    for name in ["national", "jilin", "ningxia"]:
        p = Policy.load(name).at("2025-01-01")
        assert "reserve.ratio" in p.assumed
        assert "benefits.medical_subsidy_months" in p.assumed
        assert "benefits.care.rate" not in p.assumed
        assert p.assumed == sorted(p.assumed)
        assert p.is_assumed("reserve.ratio") and not p.is_assumed("benefits.care.rate")


def test_date_forms_agree():
    pol = Policy.load("jilin")
    a, b, c = pol.at(2022), pol.at("2022-01-01"), pol.at(D(2022, 1, 1))
    assert a.date == b.date == c.date == D(2022, 1, 1)
    assert dict(a) == dict(b) == dict(c)
    assert pol.at(dt.datetime(2022, 1, 1, 12)).date == D(2022, 1, 1)
    for bad in ["2022-13-01", "soon", True, 3.5, None]:
        with pytest.raises(ValueError):
            pol.at(bad)


def test_params_mapping_and_copies():
    pol = Policy.load("national")
    p = pol.at(2025)
    rates = p["contribution.base_rate"]
    rates[0] = 99.0
    p["benefits.care.rate"]["full"] = 0.0
    assert pol.at(2025)["contribution.base_rate"][0] == 0.002
    assert p["benefits.care.rate"]["full"] == 0.5
    assert p.get("nope", "default") == "default"
    assert set(p.keys()) == set(COMMON_KEYS)
    assert len(p) == len(COMMON_KEYS)
    assert p.policy_name == "national"
    assert "national" in repr(p) and "2025-01-01" in repr(p)


def test_frames_and_repr():
    pol = Policy.load("ningxia")
    frame = pol.at("2025-01-01").to_frame()
    assert list(frame.columns) == ["key", "value", "unit", "effective_from", "source", "assumed", "layer", "note"]
    assert set(frame["key"]) >= set(COMMON_KEYS)
    assert frame["source"].astype(bool).all()
    assert frame.set_index("key").loc["contribution.base_rate", "unit"] == "fraction of payroll"
    allp = pol.parameters()
    assert isinstance(allp, pd.DataFrame)
    assert {"key", "from", "to", "value", "source", "assumed", "layer", "note"} <= set(allp.columns)
    assert set(allp["layer"]) == {"ningxia", "national"}
    assert "<table" in pol.at(2025)._repr_html_()
    assert "ningxia" in repr(pol) and "national" in repr(pol)
    assert pol.name == "ningxia"


# ------------------------------------------------------------------------------------------------
# Overrides
# ------------------------------------------------------------------------------------------------
def test_override_wins_and_does_not_mutate():
    base = Policy.load("jilin")
    before = base.at("2022-06-01")
    reform = base.override(
        {
            "reserve.ratio": 0.15,
            "contribution.base_rate": [0.001] * 8,  # a plain list is a value, not entries
            "benefits.hospital_food_per_day": [
                {"from": "2023-01-01", "value": 30, "source": "scenario A"},
            ],
        },
        name="scenario_a",
    )
    assert reform.chain == ["scenario_a", "jilin", "national"]
    assert base.chain == ["jilin", "national"]
    after = reform.at("2022-06-01")
    assert after["reserve.ratio"] == 0.15 and after.layer("reserve.ratio") == "scenario_a"
    assert after.source("reserve.ratio") == "override"
    assert not after.is_assumed("reserve.ratio")
    assert after["contribution.base_rate"] == [0.001] * 8
    assert after["benefits.hospital_food_per_day"] == 26  # override starts later: inherited
    assert reform.at("2023-01-01")["benefits.hospital_food_per_day"] == 30
    # the original is unchanged
    again = base.at("2022-06-01")
    assert dict(again) == dict(before)
    assert again["reserve.ratio"] == 0.10
    assert base.override({}).chain == ["override", "jilin", "national"]


def test_override_validation():
    base = Policy.load("national")
    with pytest.raises(ValueError, match=r"reserve\.ratioo.*reserve\.ratio"):
        base.override({"reserve.ratioo": 0.2})
    assert "my.new" in base.override({"my.new": 1}, allow_new=True).at(2000)
    with pytest.raises(ValueError, match=r"reserve\.ratio.*2020-01-01.*2019-01-01"):
        base.override(
            {
                "reserve.ratio": [
                    {"from": "2020-01-01", "value": 0.1, "source": "a"},
                    {"from": "2019-01-01", "value": 0.2, "source": "b"},
                ]
            }
        )
    with pytest.raises(ValueError, match=r"reserve\.ratio.*source"):
        base.override({"reserve.ratio": [{"from": "2020-01-01", "value": 0.1}]})


def test_override_increments():
    base = Policy.load("ningxia")
    ev = {
        "effective": "2026-01-01",
        "cutoff": "2025-12-31",
        "allowance": [100] * 6,
        "care": [50, 40, 30],
        "spouse": 20,
        "other": 20,
        "lone_extra": 5,
        "source": "scenario",
    }
    reform = base.override(increments=[ev])
    assert len(reform.increments()) == len(base.increments()) + 1
    last = reform.increments()[-1]
    assert last["effective"] == D(2026, 1, 1) and last["layer"] == "override"
    with pytest.raises(ValueError, match="source"):
        base.override(increments=[{k: v for k, v in ev.items() if k != "source"}])
    with pytest.raises(ValueError, match="allowance"):
        base.override(increments=[{**ev, "allowance": [1, 2, 3]}])


# ------------------------------------------------------------------------------------------------
# Increments
# ------------------------------------------------------------------------------------------------
def test_increments_order_and_filter():
    jl = Policy.load("jilin").increments()
    # 2022 twice: 24号's round and its legacy monthly disability subsidy (an event of its own, assumed grades)
    assert [e["effective"] for e in jl] == [D(y, 1, 1) for y in (2017, 2018, 2019, 2020, 2022, 2022, 2023)]
    assert jl[5]["legacy_subsidy"][0] == 240 and jl[5]["source"] == "吉人社发〔2022〕24号"
    assert jl[0]["allowance"] == [159, 152, 145, 138, 131, 124]
    assert jl[0]["care"] == [190, 152, 114]
    assert (jl[0]["spouse"], jl[0]["other"], jl[0]["lone_extra"]) == (66, 60, 6)
    assert jl[4]["allowance"] == [214, 204, 194, 184, 174, 154]
    assert jl[4]["cutoff"] == D(2021, 12, 31)
    assert jl[4]["source"] == "吉人社发〔2022〕24号"
    nx = Policy.load("ningxia")
    events = nx.increments()
    assert [e["effective"] for e in events] == sorted(e["effective"] for e in events)
    assert events[0]["cutoff"] == D(2006, 6, 30)
    assert events[-1]["allowance"] == [360, 330, 300, 270, 240, 210]
    assert events[-1]["exclude_retired"] is True
    assert [e["effective"] for e in nx.increments(start=2010)] == [D(2022, 1, 1)]
    assert [e["effective"] for e in nx.increments(end="2021-12-31")] == [D(2007, 7, 1)]
    assert nx.increments(start="2022-01-02", end=2030) == []
    assert nx.increments(start="2022-01-01", end="2022-01-01")[0]["spouse"] == 110
    assert Policy.load("national").increments() == []
    # returned events are copies
    events[0]["allowance"][0] = -1
    assert nx.increments()[0]["allowance"][0] == 240


# ------------------------------------------------------------------------------------------------
# File validation
# ------------------------------------------------------------------------------------------------
def test_overlapping_dates_raise(tmp_path):
    path = one_key_file(
        tmp_path,
        """
        { from = 2020-01-01, to = 2021-06-30, value = 1, source = "a" },
        { from = 2021-01-01, value = 2, source = "b" },
    """,
    )
    with pytest.raises(ValueError, match=r"bad\.toml.*x\.rate.*2021-06-30.*2021-01-01"):
        Policy.load(path)


def test_unordered_dates_raise(tmp_path):
    path = one_key_file(
        tmp_path,
        """
        { from = 2021-01-01, value = 2, source = "b" },
        { from = 2020-01-01, value = 1, source = "a" },
    """,
    )
    with pytest.raises(ValueError, match=r"bad\.toml.*x\.rate.*2021-01-01.*2020-01-01"):
        Policy.load(str(path))


def test_duplicate_from_and_reversed_interval_raise(tmp_path):
    dup = one_key_file(
        tmp_path,
        """
        { from = 2020-01-01, value = 1, source = "a" },
        { from = 2020-01-01, value = 2, source = "b" },
    """,
        name="dup",
    )
    with pytest.raises(ValueError, match=r"x\.rate.*2020-01-01"):
        Policy.load(dup)
    rev = one_key_file(tmp_path, '{ from = 2020-01-01, to = 2019-01-01, value = 1, source = "a" },', name="rev")
    with pytest.raises(ValueError, match=r"x\.rate.*2019-01-01"):
        Policy.load(rev)


def test_touching_intervals_are_fine(tmp_path):
    path = one_key_file(
        tmp_path,
        """
        { from = 2020-01-01, to = 2020-12-31, value = 1, source = "a" },
        { from = 2021-01-01, value = 2, source = "b" },
    """,
        name="ok",
    )
    pol = Policy.load(path)
    assert pol.at("2020-12-31")["x.rate"] == 1 and pol.at("2021-01-01")["x.rate"] == 2
    assert "x.rate" not in pol.at("2019-12-31")


def test_missing_source_raises(tmp_path):
    path = one_key_file(tmp_path, "{ from = 2020-01-01, value = 1 },", name="nosource")
    with pytest.raises(ValueError, match=r"nosource\.toml.*x\.rate.*source"):
        Policy.load(path)


def test_bad_entry_fields_raise(tmp_path):
    typo = one_key_file(tmp_path, '{ form = 2020-01-01, value = 1, source = "a" },', name="typo")
    with pytest.raises(ValueError, match=r"x\.rate.*form"):
        Policy.load(typo)
    nodate = one_key_file(tmp_path, '{ from = "someday", value = 1, source = "a" },', name="nodate")
    with pytest.raises(ValueError, match=r"x\.rate.*someday"):
        Policy.load(nodate)


def test_inherits_cycle_raises(tmp_path):
    write(tmp_path, "a", '[policy]\nname = "a"\ninherits = "b.toml"\n')
    write(tmp_path, "b", '[policy]\nname = "b"\ninherits = "./a.toml"\n')
    with pytest.raises(ValueError, match="cycle"):
        Policy.load(tmp_path / "a.toml")
    write(tmp_path, "self", '[policy]\nname = "self"\ninherits = "self.toml"\n')
    with pytest.raises(ValueError, match="cycle"):
        Policy.load(tmp_path / "self.toml")


def test_user_file_inherits_packaged_and_relative(tmp_path):
    write(
        tmp_path,
        "prov",
        """
        [policy]
        name = "prov"
        inherits = "jilin"
        [params."reserve.ratio"]
        values = [ { from = 2024-01-01, value = 0.2, source = "user doc 1" } ]
        """,
    )
    write(
        tmp_path,
        "city",
        """
        [policy]
        name = "city"
        inherits = "prov.toml"
        """,
    )
    pol = Policy.load(tmp_path / "city.toml")
    assert pol.chain == ["city", "prov", "jilin", "national"]
    assert pol.at(2024)["reserve.ratio"] == 0.2
    assert pol.at(2023)["reserve.ratio"] == 0.10
    assert pol.at(2024).unit("reserve.ratio") == "fraction of reserve.base"  # inherited metadata


def test_unknown_names_raise(tmp_path):
    with pytest.raises(ValueError, match="atlantis"):
        Policy.load("atlantis")
    write(tmp_path, "orphan", '[policy]\nname = "orphan"\ninherits = "atlantis"\n')
    with pytest.raises(ValueError, match="atlantis"):
        Policy.load(tmp_path / "orphan.toml")
    with pytest.raises(ValueError, match="not found"):
        Policy.load(tmp_path / "missing.toml")


# ------------------------------------------------------------------------------------------------
# Property: resolution returns the entry whose interval contains the date
# ------------------------------------------------------------------------------------------------
@st.composite
def dated_entries(draw):
    """Non-overlapping, ordered entries: (from, to or None) with gaps allowed."""
    n = draw(st.integers(1, 6))
    days = sorted(draw(st.sets(st.integers(0, 3000), min_size=n, max_size=n)))
    base = D(2000, 1, 1)
    entries = []
    for i, start in enumerate(days):
        nxt = days[i + 1] if i + 1 < len(days) else 3500
        end = draw(st.one_of(st.none(), st.integers(start, nxt - 1)))
        entries.append((base + dt.timedelta(start), None if end is None else base + dt.timedelta(end)))
    return entries


def expected_value(entries, d):
    """Reference: the last entry starting on or before d, if its inclusive end is not before d."""
    started = [(i, e) for i, e in enumerate(entries) if e[0] <= d]
    if not started:
        return None
    i, (_, end) = started[-1]
    return i if end is None or d <= end else None


@settings(max_examples=150, deadline=None)
@given(entries=dated_entries(), probe=st.integers(-10, 3510))
def test_property_at_returns_containing_entry(entries, probe):
    spec = [
        {"from": s, "to": e, "value": i, "source": f"doc {i}"}
        if e is not None
        else {"from": s, "value": i, "source": f"doc {i}"}
        for i, (s, e) in enumerate(entries)
    ]
    pol = Policy.load("national").override({"x.prop": spec}, allow_new=True)
    d = D(2000, 1, 1) + dt.timedelta(probe)
    p = pol.at(d)
    want = expected_value(entries, d)
    if want is None:
        assert "x.prop" not in p
    else:
        assert p["x.prop"] == want
        start, end = entries[want]
        assert start <= d and (end is None or d <= end)
        assert p.source("x.prop") == f"doc {want}"
        assert p.effective_from("x.prop") == start


@settings(max_examples=50, deadline=None)
@given(entries=dated_entries(), data=st.data())
def test_property_shuffled_entries_rejected(entries, data):
    if len(entries) < 2:
        return
    order = data.draw(st.permutations(range(len(entries))))
    if list(order) == sorted(order):
        return
    spec = [{"from": entries[i][0], "value": i, "source": "s"} for i in order]
    with pytest.raises(ValueError, match="x.prop"):
        Policy.load("national").override({"x.prop": spec}, allow_new=True)
