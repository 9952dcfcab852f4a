"""Clean city submissions for the audit tests and benchmark: every rule holds by construction.

Lines follow a geometric trend with an optional zigzag (±``zigzag``, alternating months, so the
month-on-month changes have a known spread) and bounded noise; contributions are exactly headcount ×
wage × rate (two risk classes); totals are the sums of their lines; beneficiary counts follow
count(t) = count(t−1) + awards − exits.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wifund.io import EXPENDITURE_LINES, REVENUE_LINES, TOTAL_LINES

#: monthly level of each line for a city of size 1 (yuan)
LEVELS = {
    "contributions": None,
    "interest": 2.0e5,
    "fiscal_subsidy": 5.0e5,
    "transfer_in": 1.0e5,
    "remittance_in": 3.0e5,
    "other_income": 5.0e4,
    "medical": 4.0e6,
    "rehabilitation": 3.0e5,
    "assistive_devices": 1.0e5,
    "hospital_food": 5.0e4,
    "appraisal": 8.0e4,
    "disability_lump_sum": 2.0e6,
    "medical_subsidy": 6.0e5,
    "funeral_grant": 2.0e5,
    "death_grant": 1.5e6,
    "disability_allowance": 5.0e6,
    "allowance_topup": 3.0e5,
    "care_allowance": 8.0e5,
    "dependant_pension": 1.2e6,
    "prevention": 2.0e5,
    "transfer_out": 1.0e5,
    "other_expenditure": 6.0e4,
}
CLASS_RATES = {"1": 0.002, "5": 0.008}


def clean_submission(
    cities=("A", "B", "C"),
    start=(2023, 1),
    months=24,
    lines=None,
    zigzag=0.03,
    noise=0.0,
    growth=0.004,
    totals=True,
    seed=0,
) -> dict[str, pd.DataFrame]:
    """A dict ``actuals, headcount, wages, rates, beneficiaries`` (see wifund.budget_audit)."""
    rng = np.random.default_rng(seed)
    lines = list(LEVELS) if lines is None else list(lines)
    y0, m0 = start
    p = y0 * 12 + m0 - 1 + np.arange(months)
    year, month = p // 12, p % 12 + 1
    t = np.arange(months)
    zz = 1 + zigzag * np.where(t % 2 == 0, 1.0, -1.0)
    rows, heads, wages, rates, bens = [], [], [], [], []
    for ci, city in enumerate(cities):
        size = 1.0 + 0.5 * ci
        years = sorted(set(year.tolist()))
        wage = {y: 5000.0 * size**0.2 * 1.05 ** (y - y0) for y in years}
        wages += [{"city": city, "year": y, "wage": w} for y, w in wage.items()]
        rates += [{"city": city, "year": y, "class": k, "rate": r} for y in years for k, r in CLASS_RATES.items()]
        contrib = np.zeros(months)
        for k, share in (("1", 0.6), ("5", 0.4)):
            hc = np.round(2.0e5 * size * share * (1 + growth) ** t * zz * (1 + noise * rng.uniform(-1, 1, months)))
            heads += [
                {"city": city, "year": int(y), "month": int(m), "class": k, "headcount": float(h)}
                for y, m, h in zip(year, month, hc)
            ]
            contrib += hc * np.array([wage[int(y)] for y in year]) * CLASS_RATES[k]
        for ln in lines:
            if ln == "contributions":
                v = contrib
            else:
                v = LEVELS[ln] * size * (1 + growth) ** t * zz * (1 + noise * rng.uniform(-1, 1, months))
            rows += [
                {"city": city, "year": int(y), "month": int(m), "line": ln, "value": float(x)}
                for y, m, x in zip(year, month, np.round(v, 2) if ln != "contributions" else v)
            ]
        for ln in ("disability_allowance", "care_allowance"):
            count = int(800 * size)
            for y, m in zip(year, month):
                aw, ex = int(rng.integers(0, 12)), int(rng.integers(0, 8))
                count = count + aw - ex
                bens.append(
                    {
                        "city": city,
                        "year": int(y),
                        "month": int(m),
                        "line": ln,
                        "count": float(count),
                        "awards": float(aw),
                        "exits": float(ex),
                    }
                )
    actuals = pd.DataFrame(rows)
    if totals:
        actuals = with_totals(actuals)
    return {
        "actuals": actuals,
        "headcount": pd.DataFrame(heads),
        "wages": pd.DataFrame(wages),
        "rates": pd.DataFrame(rates),
        "beneficiaries": pd.DataFrame(bens),
    }


def with_totals(actuals: pd.DataFrame) -> pd.DataFrame:
    """The lines of ``actuals`` (totals dropped) plus ``revenue`` and ``expenditure`` as their sums."""
    lines = actuals[~actuals["line"].isin(list(TOTAL_LINES))]
    parts = [lines]
    for total, members in (("revenue", REVENUE_LINES), ("expenditure", EXPENDITURE_LINES)):
        s = lines[lines["line"].isin(members)].groupby(["city", "year", "month"], as_index=False)["value"].sum()
        parts.append(s.assign(line=total)[["city", "year", "month", "line", "value"]])
    return pd.concat(parts, ignore_index=True)
