"""Generate the illustrative demonstration province shipped in python/wifund/data/demo/.

The demo province is fictional. Its ratios are set to land near the national 2021 orders of magnitude
in shared/data/cn_work_injury_stats.md (revenue per insured ≈ 337 yuan under the phased cut,
expenditure per insured ≈ 350 yuan, months of payment ≈ 17, reserve ≈ 12% of the balance), scaled
to a province of about 5 million insured in base year 2024. Run from the repository root:

    python tools/make_demo_province.py

The output is deterministic (fixed seed); the files are committed so the package does not need
numpy's generator to reproduce them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

OUT = Path(__file__).resolve().parents[1] / "python" / "wifund" / "data" / "demo"
rng = np.random.default_rng(20241231)

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
# Share of insured by risk class 1..8, and wage relativity by class (mining and construction pay more).
CLASS_SHARE = np.array([0.30, 0.20, 0.15, 0.12, 0.09, 0.06, 0.05, 0.03])
CLASS_WAGE = np.array([1.15, 0.95, 0.92, 0.95, 1.00, 1.05, 1.10, 1.20])
PROVINCE_WAGE = 7_300.0  # yuan/month, base-year average contribution wage


def insured_frame() -> pd.DataFrame:
    rows = []
    for name, n, wage_idx, *_ in CITIES:
        mix = CLASS_SHARE * rng.uniform(0.8, 1.2, 8)
        mix /= mix.sum()
        for k in range(8):
            rows.append(
                {
                    "city": name,
                    "risk_class": str(k + 1),
                    "insured": int(round(n * mix[k], -1)),
                    "avg_monthly_wage": round(PROVINCE_WAGE * wage_idx * CLASS_WAGE[k] * rng.uniform(0.95, 1.05), 0),
                    # Mix of float tiers (71号): many employers floated down (80% and 50% tiers), a few up.
                    "avg_float": round(float(np.clip(rng.normal(0.80, 0.05), 0.5, 1.5)), 3),
                }
            )
    return pd.DataFrame(rows)


def cities_frame() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "city": name,
                "collection_rate": coll,
                "minimum_wage": mw,
                # Construction contract value started in the base year (yuan), roughly 6,000 yuan per insured.
                "project_value": round(n * 6_000 * rng.uniform(0.7, 1.3), -6),
            }
            for name, n, _, coll, mw in CITIES
        ]
    )


def beneficiaries_frame() -> pd.DataFrame:
    """Long-term beneficiaries in payment at the end of 2024, by city, kind, grade, sex and age."""
    rows = []
    total_insured = sum(c[1] for c in CITIES)
    for name, n, wage_idx, _, mw in CITIES:
        scale = n / total_insured
        own = PROVINCE_WAGE * wage_idx * 0.95  # typical own wage of the injured
        # Grade 1-4 allowance: about 5,200 people province-wide, ages 30-85.
        for grade, people, rate in [(1, 450, 0.90), (2, 800, 0.85), (3, 1500, 0.80), (4, 2450, 0.75)]:
            for sex, sex_share in [("M", 0.78), ("F", 0.22)]:
                for age in range(30, 90, 5):
                    weight = np.exp(-(((age - 55) / 14.0) ** 2))
                    count = people * scale * sex_share * weight / 6.3
                    retired = age >= (60 if sex == "M" else 55)
                    amount = max(rate * own * rng.uniform(0.85, 1.05), mw)
                    rows.append(
                        {
                            "city": name,
                            "kind": "allowance",
                            "grade": grade,
                            "care_level": "",
                            "sex": sex,
                            "age": age,
                            "count": round(count, 2),
                            "monthly_amount": round(amount, 2),
                            "pension": round(0.81 * amount, 2) if retired else 0.0,
                            "award_year": int(rng.integers(max(2000, 2024 - (age - 25)), 2025)),
                            "retired": int(retired),
                            "lone": 0,
                        }
                    )
                    # Care allowance for some grade 1-3 beneficiaries (50/40/30% of the average wage).
                    if grade <= 3:
                        for level, share, pct in [
                            ("full", [0.45, 0.15, 0.05][grade - 1], 0.5),
                            ("major", [0.30, 0.30, 0.10][grade - 1], 0.4),
                            ("partial", [0.15, 0.25, 0.25][grade - 1], 0.3),
                        ]:
                            rows.append(
                                {
                                    "city": name,
                                    "kind": "care",
                                    "grade": grade,
                                    "care_level": level,
                                    "sex": sex,
                                    "age": age,
                                    "count": round(count * share, 2),
                                    "monthly_amount": round(pct * PROVINCE_WAGE * 0.98, 2),
                                    "pension": 0.0,
                                    "award_year": rows[-1]["award_year"],
                                    "retired": 0,
                                    "lone": 0,
                                }
                            )
        # Dependants' pensions: about 5,400 people province-wide.
        for kind, people, sexes, ages, pct in [
            ("spouse", 2300, [("F", 0.8), ("M", 0.2)], range(35, 90, 5), 0.40),
            ("child", 1300, [("M", 0.5), ("F", 0.5)], range(2, 18, 3), 0.30),
            ("parent", 1800, [("M", 0.45), ("F", 0.55)], range(60, 95, 5), 0.30),
        ]:
            ages = list(ages)
            for sex, sex_share in sexes:
                for age in ages:
                    for lone, lone_share in [(0, 0.9), (1, 0.1)]:
                        if kind == "spouse" and lone:
                            continue
                        share = 1.0 if kind == "spouse" else lone_share
                        count = people * scale * sex_share * share / len(ages)
                        amount = (pct + 0.1 * lone) * own * rng.uniform(0.9, 1.05)
                        rows.append(
                            {
                                "city": name,
                                "kind": kind,
                                "grade": "",
                                "care_level": "",
                                "sex": sex,
                                "age": age,
                                "count": round(count, 2),
                                "monthly_amount": round(amount, 2),
                                "pension": 0.0,
                                "award_year": int(rng.integers(2005, 2025))
                                if kind != "child"
                                else int(rng.integers(max(2005, 2024 - age), 2025)),
                                "retired": 0,
                                "lone": lone,
                            }
                        )
    return pd.DataFrame(rows)


PROVINCE_TOML = """\
# Demonstration province (示范省) — ILLUSTRATIVE, NOT REAL DATA.
# Generated by tools/make_demo_province.py. Ratios are set near the national 2021 figures
# (shared/data/cn_work_injury_stats.md): ~5 million insured, expenditure ~ 370 yuan per insured,
# months of payment ~ 17 at the base-year end, reserve ~ 12% of the balance.
[province]
name = "Demo Province (示范省, illustrative)"
illustrative = true
base_year = 2024
default_policy = "jilin"

[fund]
# Balances at 2024-12-31 and base-year flows, yuan.
opening_balance = 2_780_000_000.0
opening_reserve = 330_000_000.0
base_expenditure = 1_880_000_000.0
base_contributions = 1_560_000_000.0

[economy]
# National urban per-capita disposable income of the base year (NBS: 54,188 yuan in 2024);
# drives the 2025 death grant = 20 x 54,188 = 1,083,760 yuan.
national_disposable_income = 54188.0
"""


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    insured_frame().to_csv(OUT / "insured.csv", index=False)
    cities_frame().to_csv(OUT / "cities.csv", index=False)
    beneficiaries_frame().to_csv(OUT / "beneficiaries.csv", index=False)
    (OUT / "province.toml").write_text(PROVINCE_TOML, encoding="utf-8")
    print(f"wrote the demo province to {OUT}")


if __name__ == "__main__":
    main()
