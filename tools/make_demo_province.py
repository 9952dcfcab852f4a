"""Generate the illustrative demonstration province shipped in python/wifund/data/demo/.

The demo province is fictional: nine prefecture-level cities, about 5 million insured, base year 2024.
Run from the repository root, with the extension built into python/wifund (``cp build/ext/_core*.so
python/wifund/``):

    python tools/make_demo_province.py            # writes python/wifund/data/demo/*
    python tools/make_demo_province.py --check    # recomputes and reports, writes nothing

The output is deterministic (fixed seed, no clock): re-running it after a rule change re-calibrates the
demo to the engine of the tree it runs in. What every number is calibrated to:

* **Reported base-year figures** (``province.toml``; national 2021 ratios from
  ``shared/data/cn_work_injury_stats.csv``, scaled to 5 million insured): contributions 15.6亿 (0.345 % of the
  demo's payroll, ≈ 312 yuan per insured under the 2024 cut; national 2021 revenue per insured 952亿 / 28,287万
  = 337 yuan), expenditure 18.8亿 (376 yuan per insured; national 2021 990亿 / 28,287万 = 350), closing
  balance 27.8亿 (17.7 months of payment; national 2021 1,411 / 990 × 12 = 17.1 months), reserve 16.6 % of
  the expenditure (national 2021 164 / 990).
* **The 2024 phased cut**: 20 % (人社部发〔2023〕19号 continues the 18–24-month rule of 人社部发〔2018〕25号 to
  2024-12-31); the tool checks that the replayed months of payment at the start of 2024 lie in [18, 24).
* **Class mix** (``insured.csv``): a base mix by class, tilted towards the low-risk classes by a factor solved
  so that the engine's replay of 2024 (``wifund.replay``) gives the reported expenditure.
* **Float mix** (``avg_float``): draws around 0.80 (many employers floated down, 人社部发〔2015〕71号 tiers),
  scaled by a factor solved so that the replay gives the reported contributions.
* **Long-term stock** (``beneficiaries.csv``): the survivors at the end of 2024 of the awards made by the claims
  basis (``wifund.assumptions.CLAIMS_DEFAULTS``: incidence, grade and death shares, entry ages, care shares,
  dependants per death, mortality tables and loads) over the 70 award years before, with the insured growing
  as the default paths (employment 0.5 % + coverage 1 % a year) — the stock at maturity of its own flows, so
  that the projection's recipients per 1,000 insured do not drift. Single ages; awards at the entry ages
  (30, 40, 50: never after the retirement age); allowance recipients retired from the year after reaching
  60 (men) / 55 (women) (国发〔1978〕104号, the rule before 2025); spouses in payment only from 55 (women) /
  60 (men) or, below that age, for the share wholly unable to work (劳动和社会保障部令第18号 Art. 3; the
  claims basis ``dependant_incapacity_share``, 5 %); no exits on remarriage (Art. 4 hazard 0, as the claims
  basis); children until 18. The spouses not yet eligible at the end of 2024 (below 55 / 60 and able to
  work, 部令第18号 Arts. 3-4) are in the stock as deferred rows: ``pay_from`` = July of the year they reach
  the age (born base_year - age, the mid-year convention; the month the engine gives its own deferred
  spouses), their amount indexed since the death like the others.
  Amounts at 2024 levels: the award amount (allowance rate × own wage, 40 % /
  30 % (+10 % lone) of the own wage for dependants) at the award year's wage, indexed since by the policy's
  percentage indexation (wage weight × 5 % + rest × 1.5 % CPI), so older awards are lower relative to
  today's wages; care at its rate × the 2024 average wage (care follows the wage).
* **Legacy monthly disability subsidy** (``legacy_subsidy``, 按月领取伤残补助金; ILLUSTRATIVE sizing, no
  published count): the survivors at the end of 2024 of the grade 5–10 awards of 1990–2003 (before the
  条例 of 2004-01-01) under the same claims basis, of whom LEGACY_SHARE (1 %) are taken to have been paid the
  subsidy monthly instead of the lump sum; the amount at award LEGACY_RATE (70 % of the own wage at grade 5
  down to 30 % at grade 10) indexed since like the allowance; mortality of the disabled table with grade 4's
  load (the lightest). A stock that only dies out: no new awards.

The medical-payments triangle is left as it is (it is not generated here).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "python"))

import wifund  # noqa: E402
from wifund._bridge import life_table  # noqa: E402
from wifund.assumptions import CLAIMS_DEFAULTS, PATH_DEFAULTS  # noqa: E402
from wifund.replay import replay_messages  # noqa: E402

OUT = ROOT / "python" / "wifund" / "data" / "demo"
SEED = 20241231
BASE_YEAR = 2024
POLICY = "jilin"

# ---------------------------------------------------------------------------------------------------
# Reported base-year figures (province.toml), yuan. See the module docstring for what they match.
BASE_CONTRIBUTIONS = 1_560_000_000.0
BASE_EXPENDITURE = 1_880_000_000.0
CLOSING_BALANCE = 2_780_000_000.0
RESERVE_SHARE_OF_EXPENDITURE = 164 / 990  # national 2021: reserve 164亿 / expenditure 990亿 = 16.6 %
PHASED_CUT_2024 = 0.2
PHASED_CUT_SOURCE = (
    "人社部发〔2023〕19号 (phased cut to 2024-12-31 under the 18/24-month rule of 人社部发〔2018〕25号); "
    "months of payment at the end of 2023 in [18, 24) -> 20 %"
)
FLOAT_SOURCE = (
    "illustrative: float tiers of 人社部发〔2015〕71号, draws around 0.80 scaled by tools/make_demo_province.py "
    "so that the base-year replay gives the reported contributions"
)
NATIONAL_DISPOSABLE_INCOME_2024 = 54188.0  # NBS 2024 城镇居民人均可支配收入 (54,188 yuan, +4.6 %)

# Nine fictional prefecture-level cities: (name, insured, wage index, collection rate, minimum wage).
CITIES = [
    ("Jingcheng", 1_450_000, 1.18, 0.96, 2120),
    ("Dongyang", 820_000, 1.02, 0.95, 2120),
    ("Xihe", 610_000, 0.94, 0.94, 1920),
    ("Nanshan", 540_000, 0.97, 0.93, 1920),
    ("Beiling", 460_000, 0.90, 0.93, 1920),
    ("Huaiyuan", 390_000, 0.88, 0.92, 1720),
    ("Qingshui", 300_000, 0.86, 0.91, 1720),
    ("Linhai", 260_000, 0.92, 0.94, 1920),
    ("Taiping", 170_000, 0.83, 0.90, 1720),
]
# Base share of insured by risk class 1..8 (before the tilt solved for the expenditure), and the wage
# relativity by class (mining and construction pay more).
CLASS_SHARE = np.array([0.30, 0.20, 0.15, 0.12, 0.09, 0.06, 0.05, 0.03])
CLASS_WAGE = np.array([1.15, 0.95, 0.92, 0.95, 1.00, 1.05, 1.10, 1.20])
PROVINCE_WAGE = 7_300.0  # yuan/month, base-year average contribution wage (illustrative)
OWN_WAGE_FACTOR = 0.95  # own wage of the injured relative to the city-class wage (illustrative)
FLOAT_MEAN, FLOAT_SD = 0.80, 0.05  # float draws before scaling (many employers floated down, 71号)

# Stock model: award years, growth of the insured before the base year, statutory ages before 2025.
AWARD_YEARS = 70  # award years before the base year in the stock (survivors beyond are negligible)
PAST_INSURED_GROWTH = (1 + PATH_DEFAULTS["employment_growth"]) * (1 + PATH_DEFAULTS["coverage_growth"]) - 1
PAST_WAGE_GROWTH = PATH_DEFAULTS["wage_growth"]
PAST_CPI = PATH_DEFAULTS["cpi"]
RETIREMENT_AGE = {"M": 60, "F": 55}  # 国发〔1978〕104号 (women: the cadre age, as the policy's retirement.age)
SPOUSE_ELIGIBLE_AGE = {"M": 60, "F": 55}  # 劳动和社会保障部令第18号 Art. 3
# Legacy monthly disability subsidy (按月领取伤残补助金), illustrative: the share of the grade 5-10 awards
# made before LEGACY_LAST_YEAR + 1 that were paid monthly, and the amount at award by grade 5..10 (share of
# the own wage).
LEGACY_FIRST_YEAR, LEGACY_LAST_YEAR = 1990, 2003
LEGACY_SHARE = 0.01
LEGACY_RATE = {5: 0.70, 6: 0.62, 7: 0.54, 8: 0.46, 9: 0.38, 10: 0.30}
CHILD_END_AGE = 18  # 部令第18号 Art. 3: children under 18
SEXES = ("M", "F")


def claims_basis() -> dict:
    """The claims basis the engine's new awards use (wifund.assumptions.CLAIMS_DEFAULTS), with the per-death
    numbers of dependants from the family compositions where the basis gives families instead."""
    c = dict(CLAIMS_DEFAULTS)
    if "spouses_per_death" not in c and "family_compositions" in c:
        fam = np.asarray(c["family_compositions"], dtype=float)
        w = np.asarray(c["family_weights"], dtype=float)
        c["spouses_per_death"], c["children_per_death"], c["parents_per_death"] = (fam * w[:, None]).sum(axis=0)
    c.setdefault("dependant_incapacity_share", 0.05)
    return c


def policy_numbers() -> dict:
    """Benefit rates and indexation weights of the demo's policy in force in the base year."""
    p = wifund.Policy.load(POLICY).at(dt.date(BASE_YEAR, 7, 1))
    dep = p["benefits.dependants.rate"]
    care = p["benefits.care.rate"]
    return {
        "allowance_rate": [float(v) for v in p["benefits.disability.allowance_rate"]],
        "care_rate": {k: float(care[k]) for k in ("full", "major", "partial")},
        "spouse_rate": float(dep["spouse"]),
        "other_rate": float(dep["other"]),
        "lone_extra": float(dep["lone_extra"]),
        "clamp": [float(v) for v in p["contribution.base_clamp"]],
        "allowance_wage_weight": float(p["benefits.indexation.allowance_wage_weight"]),
        "dependant_wage_weight": float(p["benefits.indexation.dependant_wage_weight"]),
    }


# ---------------------------------------------------------------------------------------------------
# insured.csv and cities.csv
class Draws:
    """The random draws, made once (fixed seed) and reused by every calibration step."""

    def __init__(self) -> None:
        rng = np.random.default_rng(SEED)
        self.mix = [rng.uniform(0.8, 1.2, 8) for _ in CITIES]
        self.wage = [rng.uniform(0.95, 1.05, 8) for _ in CITIES]
        self.floats = [np.clip(rng.normal(FLOAT_MEAN, FLOAT_SD, 8), 0.5, 1.5) for _ in CITIES]
        self.project = [rng.uniform(0.7, 1.3) for _ in CITIES]


def insured_frame(d: Draws, tilt: float, float_scale: float) -> pd.DataFrame:
    """Class mix CLASS_SHARE × exp(−tilt × (class − 1) / 7) × random ±20 %; floats = draws × float_scale."""
    rows = []
    tilt_factor = np.exp(-tilt * np.arange(8) / 7.0)
    for (name, n, wage_idx, *_), mix0, wage_draw, floats in zip(CITIES, d.mix, d.wage, d.floats):
        mix = CLASS_SHARE * tilt_factor * mix0
        mix /= mix.sum()
        for k in range(8):
            rows.append(
                {
                    "city": name,
                    "risk_class": str(k + 1),
                    "insured": int(round(n * mix[k], -1)),
                    "avg_monthly_wage": round(PROVINCE_WAGE * wage_idx * CLASS_WAGE[k] * wage_draw[k], 0),
                    "avg_float": round(float(floats[k] * float_scale), 4),
                }
            )
    return pd.DataFrame(rows)


def cities_frame(d: Draws) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "city": name,
                "collection_rate": coll,
                "minimum_wage": mw,
                # Construction contract value started in the base year, roughly 6,000 yuan per insured.
                "project_value": round(n * 6_000 * draw, -6),
            }
            for (name, n, _, coll, mw), draw in zip(CITIES, d.project)
        ]
    )


# ---------------------------------------------------------------------------------------------------
# beneficiaries.csv: the survivors of 70 years of awards under the claims basis
def _q(table: str, age: int, load: float) -> float:
    return float(life_table(table).q(int(age), float(load)))


def _survival_path(table: str, load: float, age0: int, years: int, half_first: bool) -> float:
    """Survival from an award (or a start) at age ``age0`` over ``years`` year ends, the first year half
    exposed when ``half_first`` (awards at mid-year), as the engine's cohort roll (claims/cohort.hpp)."""
    s = 1.0
    for t in range(years):
        q = _q(table, age0 + t, load)
        s *= 1.0 - (0.5 * q if (t == 0 and half_first) else q)
    return s


def unit_stock(c: dict, pol: dict) -> pd.DataFrame:
    """The stock at the end of the base year per recognised injury of the base year, for a city whose own
    wage and average wage are 1: rows (kind, grade, care_level, sex, age, count, amount, pension, award_year,
    retired, lone); amounts relative to the own wage (care: to the average wage)."""
    rows = []
    g = PAST_INSURED_GROWTH
    ix_allow = pol["allowance_wage_weight"] * PAST_WAGE_GROWTH + (1 - pol["allowance_wage_weight"]) * PAST_CPI
    ix_dep = pol["dependant_wage_weight"] * PAST_WAGE_GROWTH + (1 - pol["dependant_wage_weight"]) * PAST_CPI
    dis_tables = dict(zip(SEXES, c["mortality_disabled"]))
    dep_tables = dict(zip(SEXES, c["mortality_dependants"]))
    grade_share = c["grade_share"]
    for y in range(BASE_YEAR - AWARD_YEARS + 1, BASE_YEAR + 1):
        lag = BASE_YEAR - y  # full years since the award year
        injuries = (1 + g) ** (-lag)
        allow_level = ((1 + ix_allow) / (1 + PAST_WAGE_GROWTH)) ** lag  # amount today / award-year wage today
        dep_level = ((1 + ix_dep) / (1 + PAST_WAGE_GROWTH)) ** lag
        for e, w_e in zip(c["entry_ages"], c["entry_age_weights"]):
            age_end = e + lag + 1  # age at the end of the base year (age + 1 at every year end)
            for sex in SEXES:
                w = injuries * w_e * (c["male_share"] if sex == "M" else 1 - c["male_share"])
                retired = int(age_end >= RETIREMENT_AGE[sex] + 1)
                for gi in range(4):
                    load = c["disabled_mortality_load"][gi]
                    n = w * grade_share[gi] * _survival_path(dis_tables[sex], load, e, lag + 1, True)
                    amount = pol["allowance_rate"][gi] * allow_level
                    rows.append(("allowance", gi + 1, "", sex, age_end, n, amount, retired, y, 0, ""))
                    for li, level in enumerate(("full", "major", "partial")):
                        share = c["care_share"][gi][li]
                        if share > 0:
                            rows.append(
                                ("care", gi + 1, level, sex, age_end, n * share, pol["care_rate"][level], 0, y, 0, "")
                            )
                deaths = w * c["death_share"]
                # Spouse (the other sex): paid from the death if at the eligible age or wholly unable to
                # work (incapacity share), otherwise from the year the eligible age is reached.
                ssex = "F" if sex == "M" else "M"
                s_age = max(e + c["spouse_age_offset"], 16)
                s_end = s_age + lag + 1
                eligible = SPOUSE_ELIGIBLE_AGE[ssex]
                surv = _survival_path(dep_tables[ssex], c["dependant_mortality_load"], s_age, lag + 1, True)
                in_pay = 1.0 if s_age >= eligible else c["dependant_incapacity_share"]
                if s_age < eligible and s_end - 1 >= eligible:
                    in_pay = 1.0  # the deferred spouses have reached the age (the incapacitated were paid already)
                n = deaths * c["spouses_per_death"] * surv
                amount = pol["spouse_rate"] * dep_level
                rows.append(("spouse", 0, "", ssex, s_end, n * in_pay, amount, 0, y, 0, ""))
                if in_pay < 1.0:  # the deferred rest: paid from July of the year they reach the age
                    pay_from = f"{BASE_YEAR - s_end + eligible}-{7:02d}"
                    rows.append(("spouse", 0, "", ssex, s_end, n * (1 - in_pay), amount, 0, y, 0, pay_from))
                # Children (until 18) and parents (at 68: above the eligible age), half of each sex.
                for kind, per_death, age0, end in (
                    ("child", c["children_per_death"], c["child_age"], CHILD_END_AGE),
                    ("parent", c["parents_per_death"], c["parent_age"], None),
                ):
                    a_end = age0 + lag + 1
                    if end is not None and a_end > end:
                        continue
                    for dsex in SEXES:
                        surv = _survival_path(dep_tables[dsex], c["dependant_mortality_load"], age0, lag + 1, True)
                        for lone in (0, 1):
                            share = c["lone_share"] if lone else 1 - c["lone_share"]
                            n = deaths * per_death * 0.5 * share * surv
                            amount = (pol["other_rate"] + pol["lone_extra"] * lone) * dep_level
                            rows.append((kind, 0, "", dsex, a_end, n, amount, 0, y, lone, ""))
                if LEGACY_FIRST_YEAR <= y <= LEGACY_LAST_YEAR:
                    for grade, rate in LEGACY_RATE.items():
                        load = c["disabled_mortality_load"][-1]  # grade 4's, as the engine (claims/cohort.hpp)
                        n = w * grade_share[grade - 1] * LEGACY_SHARE
                        n *= _survival_path(dis_tables[sex], load, e, lag + 1, True)
                        rows.append(("legacy_subsidy", grade, "", sex, age_end, n, rate * allow_level, 0, y, 0, ""))
    columns = ["kind", "grade", "care_level", "sex", "age", "count", "amount", "retired", "award_year", "lone"]
    df = pd.DataFrame(rows, columns=columns + ["pay_from"])
    # Pension of retired allowance recipients: the claims basis ratio × the allowance (Art. 35 top-up).
    ratio = c["retirement_pension_ratio"]
    df["pension"] = np.where((df["kind"] == "allowance") & (df["retired"] == 1), ratio * df["amount"], 0.0)
    # One row per (kind, grade, level, sex, age, retired, lone): counts summed, amounts and award years
    # count-weighted.
    keys = ["kind", "grade", "care_level", "sex", "age", "retired", "lone", "pay_from"]
    df["n_amount"] = df["count"] * df["amount"]
    df["n_pension"] = df["count"] * df["pension"]
    df["n_year"] = df["count"] * df["award_year"]
    agg = df.groupby(keys, sort=False)[["count", "n_amount", "n_pension", "n_year"]].sum().reset_index()
    agg = agg[agg["count"] > 0]
    agg["amount"] = agg["n_amount"] / agg["count"]
    agg["pension"] = agg["n_pension"] / agg["count"]
    agg["award_year"] = np.minimum(np.rint(agg["n_year"] / agg["count"]).astype(int), BASE_YEAR)
    return agg[keys[:5] + ["count", "amount", "pension", "award_year", "retired", "lone", "pay_from"]]


def own_wage(insured: pd.DataFrame, c: dict, pol: dict) -> tuple[dict[str, float], dict[str, float], float]:
    """Recognised injuries of the base year by city (insured × incidence by class), their injury-weighted own
    wage (the class wage × OWN_WAGE_FACTOR, clamped to 60–300 % of the provincial average, Art. 64), and the
    provincial average wage."""
    inc = dict(zip(wifund.province.RISK_CLASSES, c["incidence"]))
    df = insured.assign(inc=insured["risk_class"].map(inc))
    aw = float((df["insured"] * df["avg_monthly_wage"]).sum() / df["insured"].sum())
    lo, hi = pol["clamp"]
    df["ow"] = np.clip(df["avg_monthly_wage"] * OWN_WAGE_FACTOR, lo * aw, hi * aw)
    df["inj"] = df["insured"] * df["inc"]
    by = df.groupby("city", sort=False)
    injuries = by["inj"].sum().to_dict()
    ow = (by.apply(lambda g: (g["inj"] * g["ow"]).sum(), include_groups=False) / by["inj"].sum()).to_dict()
    return injuries, ow, aw


def beneficiaries_frame(insured: pd.DataFrame, unit: pd.DataFrame, c: dict, pol: dict) -> pd.DataFrame:
    injuries, ow, aw = own_wage(insured, c, pol)
    frames = []
    for name, *_ in CITIES:
        f = unit.copy()
        f.insert(0, "city", name)
        f["count"] = f["count"] * injuries[name]
        f["monthly_amount"] = np.where(f["kind"] == "care", f["amount"] * aw, f["amount"] * ow[name])
        f["pension"] = f["pension"] * ow[name]
        frames.append(f)
    out = pd.concat(frames, ignore_index=True)
    out["count"] = out["count"].round(3)
    out = out[out["count"] > 0].copy()
    out["monthly_amount"] = out["monthly_amount"].round(2)
    out["pension"] = out["pension"].round(2)
    out["grade"] = out["grade"].where(out["grade"] > 0, "").astype(str)
    cols = ["city", "kind", "grade", "care_level", "sex", "age", "count", "monthly_amount", "pension"]
    return out[cols + ["award_year", "retired", "lone", "pay_from"]].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------------
def province_toml(calib: dict) -> str:
    reserve = round(RESERVE_SHARE_OF_EXPENDITURE * BASE_EXPENDITURE, -6)
    months = CLOSING_BALANCE / BASE_EXPENDITURE * 12
    exp_per = BASE_EXPENDITURE / calib["insured"]
    con_pct = 100 * BASE_CONTRIBUTIONS / calib["payroll"]
    con_per = BASE_CONTRIBUTIONS / calib["insured"]
    return f"""\
# Demonstration province (示范省) — ILLUSTRATIVE, NOT REAL DATA.
# Generated by tools/make_demo_province.py (deterministic; re-run it after a rule change). The reported
# figures are set near the national 2021 ratios (shared/data/cn_work_injury_stats.csv) for ~5 million
# insured; insured.csv (class mix, floats) and beneficiaries.csv (the stock at maturity of the claims
# basis) are calibrated so that the engine's replay of 2024 (wifund.replay) reproduces them:
# contributions {calib["contributions_ratio"]:.6f}, expenditure {calib["expenditure_ratio"]:.6f} (replayed / reported);
# class-mix tilt {calib["tilt"]:.4f}, float scale {calib["scale"]:.4f} (mean avg_float {calib["mean_float"]:.3f}).
[province]
name = "Demo Province (示范省, illustrative)"
illustrative = true
base_year = {BASE_YEAR}
default_policy = "{POLICY}"

[fund]
# Balance at 2024-12-31 (the projection's opening balance), yuan: {months:.1f} months of the 2024
# expenditure (national 2021: 1,411亿 / 990亿 x 12 = 17.1 months).
opening_balance = {CLOSING_BALANCE:_.1f}
# Reserve inside the balance: 16.6 % of the 2024 expenditure (national 2021: 164亿 / 990亿).
opening_reserve = {reserve:_.1f}
# 2024 expenditure: {exp_per:.0f} yuan per insured (national 2021: 990亿 / 28,287万 = 350 yuan).
base_expenditure = {BASE_EXPENDITURE:_.1f}
# 2024 contributions under the 20 % phased cut: {con_pct:.3f} % of payroll, {con_per:.0f} yuan per
# insured (national 2021 revenue per insured 952亿 / 28,287万 = 337 yuan, under the cut).
base_contributions = {BASE_CONTRIBUTIONS:_.1f}

[base_year]
# The rate situation of 2024: the national phased cut in force, and where the floats come from.
phased_cut = {PHASED_CUT_2024}
phased_cut_source = "{PHASED_CUT_SOURCE}"
float_source = "{FLOAT_SOURCE}"

[economy]
# National urban per-capita disposable income of the base year (NBS: 54,188 yuan in 2024);
# drives the 2025 death grant = 20 x 54,188 = 1,083,760 yuan.
national_disposable_income = {NATIONAL_DISPOSABLE_INCOME_2024}
"""


def build(d: Draws, unit: pd.DataFrame, c: dict, pol: dict, tilt: float, float_scale: float, folder: Path) -> None:
    """Writes a province folder for a tilt and a float scale (calibration passes and the final output)."""
    folder.mkdir(parents=True, exist_ok=True)
    insured = insured_frame(d, tilt, float_scale)
    insured.to_csv(folder / "insured.csv", index=False)
    cities_frame(d).to_csv(folder / "cities.csv", index=False)
    beneficiaries_frame(insured, unit, c, pol).to_csv(folder / "beneficiaries.csv", index=False)
    (folder / "province.toml").write_text(province_toml(_stats(insured, float("nan"), float("nan"))), encoding="utf-8")


def _stats(insured: pd.DataFrame, contributions_ratio: float, expenditure_ratio: float, **more: float) -> dict:
    """The figures written into province.toml's comments."""
    return {
        "contributions_ratio": contributions_ratio,
        "expenditure_ratio": expenditure_ratio,
        "insured": float(insured["insured"].sum()),
        "payroll": float((insured["insured"] * insured["avg_monthly_wage"] * 12).sum()),
        "mean_float": float(insured["avg_float"].mean()),
        "tilt": more.get("tilt", float("nan")),
        "scale": more.get("scale", float("nan")),
    }


def replayed(folder: Path) -> pd.DataFrame:
    frame, _ = replay_messages(wifund.Province.from_dir(folder))
    return frame


def calibrate(work: Path) -> tuple[float, float, pd.DataFrame]:
    """Solves the tilt (expenditure) and then the float scale (contributions) with the engine's replay."""
    from scipy.optimize import brentq

    d, c, pol = Draws(), claims_basis(), policy_numbers()
    unit = unit_stock(c, pol)

    def expenditure_gap(tilt: float) -> float:
        build(d, unit, c, pol, tilt, 1.0, work)
        return float(replayed(work).at["expenditure", "replayed"]) / BASE_EXPENDITURE - 1.0

    tilt = brentq(expenditure_gap, -3.0, 6.0, xtol=1e-6)
    build(d, unit, c, pol, tilt, 1.0, work)
    # Contributions are proportional to the floats: one replay gives the scale.
    scale = BASE_CONTRIBUTIONS / float(replayed(work).at["contributions", "replayed"])
    build(d, unit, c, pol, tilt, scale, work)
    return tilt, scale, replayed(work)


def recipients_per_1000(folder: Path, years: int = 40) -> pd.DataFrame:
    """Long-term recipients (allowance and dependants; care recipients are allowance recipients) per 1,000
    insured, in the stock and along a projection: flat when the stock is at maturity of the flows."""
    prov = wifund.Province.from_dir(folder)
    ben = prov.beneficiaries
    in_pay = ben["pay_from"].fillna("").astype(str).str.strip() == "" if "pay_from" in ben else True
    stock = ben.loc[(ben["kind"] != "care") & in_pay, "count"].sum() / prov.insured["insured"].sum() * 1000
    proj = wifund.project(prov, years=years)
    b = proj.beneficiaries
    people = b[b["kind"] != "care"].groupby("year")["in_payment"].sum()
    per = people / proj.fund["insured"] * 1000
    return pd.DataFrame({"per_1000": per}).assign(stock_2024=stock)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="recompute and report; do not write the demo")
    args = ap.parse_args()
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "demo"
        tilt, scale, frame = calibrate(work)
        insured = pd.read_csv(work / "insured.csv")
        stats = _stats(
            insured,
            float(frame.at["contributions", "ratio"]),
            float(frame.at["expenditure", "ratio"]),
            tilt=tilt,
            scale=scale,
        )
        (work / "province.toml").write_text(province_toml(stats), encoding="utf-8")
        months_start = frame.attrs["opening"] / (BASE_EXPENDITURE / 12)
        if not 18 <= months_start < 24:
            raise SystemExit(
                f"the replayed months of payment at the start of 2024 are {months_start:.1f}, not in [18, 24)"
            )
        ben = pd.read_csv(work / "beneficiaries.csv")
        print(f"class-mix tilt {tilt:.4f}, float scale {scale:.4f} (mean float {insured['avg_float'].mean():.3f})")
        print(f"months of payment at the start of 2024: {months_start:.2f} (20 % cut: [18, 24))")
        print(frame.to_string())
        print(f"beneficiaries.csv: {len(ben)} rows, {ben['count'].sum():,.0f} people (care rows included)")
        per = recipients_per_1000(work)
        print("long-term recipients per 1,000 insured:", per["stock_2024"].iloc[0].round(2), "in the 2024 stock;")
        print(per["per_1000"].iloc[[0, 9, 19, 29, 39]].round(2).to_string())
        if not args.check:
            OUT.mkdir(parents=True, exist_ok=True)
            for name in ("insured.csv", "cities.csv", "beneficiaries.csv", "province.toml"):
                (OUT / name).write_bytes((work / name).read_bytes())
            print(f"wrote the demo province to {OUT}")


if __name__ == "__main__":
    main()
