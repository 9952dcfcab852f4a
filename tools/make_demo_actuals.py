"""Generate the demo province's budget year 2025 (synthetic, illustrative) in python/wifund/data/demo/budget_2025/.

Run from the repository root with the extension built into python/wifund, after every change of the demo
province (tools/make_demo_province.py) or of the engine's rules:

    PYTHONPATH=python python3 tools/make_demo_actuals.py            # writes python/wifund/data/demo/budget_2025/*
    PYTHONPATH=python python3 tools/make_demo_actuals.py --check    # recomputes, compares, writes nothing

Deterministic (fixed seed, no clock). Everything is derived from the engine at run time:

* ``budget.csv``: the approved budget, :func:`wifund.budget.draft` of 2025 from the base data (the projection's
  2025 by city and line, the provincial-level items under ``(provincial level)``).
* ``budget_inputs.csv``: the contribution model of the budget by city (:func:`wifund.budget.decompose`): the
  engine's 2025 insured and average wage, the 2025 phased cut, the payroll-weighted float of ``insured.csv``,
  the city's collection rate, no relief, and the effective base rate that makes their product the budgeted
  contributions.
* ``actual_inputs.csv``: the same factors as executed. The story (宁人社发〔2023〕118号 附件 Arts. 4, 7, 8):

  - **Dongyang** — a 15 % contribution relief (阶段性减征) decided by the province for the city in 2025: a
    policy factor; its shortfall is attributed to policy and not charged;
  - **Xihe** — plant closures: the insured fall through the year to 8 % below the budget on average (non-policy,
    charged to the city);
  - **Nanshan** — the audit finding: its June headcount report (``headcount.csv``) omits a large employer
    (25 % of the insured), so June's contributions are inconsistent with headcount x wage x rate;
  - **Jingcheng** — irregular spending (违规支出) of 4.8 million yuan of medical payments found by the
    provincial inspection (``city_inputs.csv``), paid in April-September;
  - the other cities execute near the budget (wages 0.3-1.5 % above it).

* ``actuals.csv``: the monthly actuals of 2025 (long schema: city, year, month, line, value), contributions
  = headcount x wage x effective rate by month, the other lines at the budget with a mild seasonal pattern and
  small city deviations; interest credited quarterly.
* ``headcount.csv``, ``wages.csv``, ``rates.csv``: the audit's side tables (:func:`wifund.budget_audit.audit`).
* ``city_inputs.csv``: per city the coverage plan (``insured_plan``), ``expansion_loss``,
  ``irregular_spending`` and a note.
* ``adjustments.csv``: one qualitative adjustment (定性调整) of the approved budget, shown beside the figure in
  every output (Jingcheng's rehabilitation line, a new designated hospital).
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "python"))

import wifund  # noqa: E402
from wifund import budget as B  # noqa: E402

OUT = ROOT / "python" / "wifund" / "data" / "demo" / "budget_2025"
YEAR = 2025
SEED = 20251231
RATE_CUT_CITY, RATE_CUT_RELIEF = "Dongyang", 0.15
HEADCOUNT_CITY, HEADCOUNT_FALL = "Xihe", 0.08
AUDIT_CITY, AUDIT_MONTH, AUDIT_OMITTED = "Nanshan", 6, 0.25
IRREGULAR_CITY, IRREGULAR_AMOUNT, IRREGULAR_MONTHS = "Jingcheng", 4_800_000.0, range(4, 10)
SEASON_AMPLITUDE = 0.04  # expenditure lines: +-4 % around the monthly mean (no jump at default tolerances)
FACTORS = ["insured", "wage", "base_rate", "phased_cut", "float_factor", "relief", "collection_rate"]


def generate() -> dict[str, pd.DataFrame]:
    demo = wifund.Province.demo()
    rng = np.random.default_rng(SEED)
    budget = B.draft(demo, year=YEAR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        proj = wifund.project(demo, years=1)
    cities = demo.city_names
    annual = budget.annual
    lines = list(annual.columns)

    # Budget contribution model by city.
    cls = proj.by_class[proj.by_class["year"] == YEAR].groupby("city")[["insured", "payroll"]].sum().loc[cities]
    ins = demo.insured.copy()
    ins["payroll"] = ins["insured"] * ins["avg_monthly_wage"]
    flt = (ins["avg_float"] * ins["payroll"]).groupby(ins["city"]).sum() / ins["payroll"].groupby(ins["city"]).sum()
    bi = pd.DataFrame(index=pd.Index(cities, name="city"))
    bi["insured"] = cls["insured"]
    bi["wage"] = cls["payroll"] / (12.0 * cls["insured"])
    bi["phased_cut"] = float(proj.fund.loc[YEAR, "phased_cut"])
    bi["float_factor"] = flt.loc[cities]
    bi["relief"] = 0.0
    bi["collection_rate"] = demo.cities.loc[cities, "collection_rate"].astype(float)
    rest = bi["insured"] * bi["wage"] * 12 * (1 - bi["phased_cut"]) * bi["float_factor"] * bi["collection_rate"]
    bi["base_rate"] = annual.loc[cities, "contributions"] / rest
    bi = bi[FACTORS]

    # As executed.
    ai = bi.copy()
    ai["wage"] *= 1.0 + rng.uniform(0.003, 0.015, len(cities))
    ai.loc[RATE_CUT_CITY, "relief"] = RATE_CUT_RELIEF
    ai.loc[HEADCOUNT_CITY, ["insured", "wage"]] = [
        bi.loc[HEADCOUNT_CITY, "insured"] * (1 - HEADCOUNT_FALL),
        bi.loc[HEADCOUNT_CITY, "wage"],
    ]
    prod = (
        ai["insured"]
        * ai["wage"]
        * 12
        * ai["base_rate"]
        * (1 - ai["phased_cut"])
        * ai["float_factor"]
        * (1 - ai["relief"])
        * ai["collection_rate"]
    )
    rate_eff = prod / (ai["insured"] * ai["wage"] * 12)

    months = np.arange(1, 13)
    # Headcount by month: level, or for the headcount city a linear fall averaging (1 - fall).
    head = {c: np.full(12, ai.loc[c, "insured"]) for c in cities}
    slope = np.linspace(1.0 + 0.07, 1.0 - 0.07, 12)
    head[HEADCOUNT_CITY] = ai.loc[HEADCOUNT_CITY, "insured"] * slope / slope.mean()
    season = 1.0 + SEASON_AMPLITUDE * np.sin(2 * np.pi * (months - 3) / 12)
    season /= season.mean()

    rows = []
    units = list(annual.index)
    for u in units:
        dev = 1.0 + rng.uniform(-0.02, 0.02, len(lines))
        for k, ln in enumerate(lines):
            if ln == "contributions" and u in cities:
                vals = head[u] * ai.loc[u, "wage"] * rate_eff[u]
            else:
                total = float(annual.loc[u, ln]) * dev[k]
                if total == 0:
                    continue
                if ln == "interest":
                    vals = np.where(months % 3 == 0, total / 4.0, 0.0)
                else:
                    vals = total / 12.0 * season
            if ln == "medical" and u == IRREGULAR_CITY:
                vals = vals + np.where(np.isin(months, list(IRREGULAR_MONTHS)), IRREGULAR_AMOUNT / 6.0, 0.0)
            rows += [(u, YEAR, int(m), ln, round(float(v), 2)) for m, v in zip(months, vals)]
    actuals = pd.DataFrame(rows, columns=["city", "year", "month", "line", "value"])

    reported = {c: head[c].copy() for c in cities}
    reported[AUDIT_CITY][AUDIT_MONTH - 1] *= 1 - AUDIT_OMITTED
    headcount = pd.DataFrame(
        [(c, YEAR, int(m), round(float(reported[c][m - 1]), 0)) for c in cities for m in months],
        columns=["city", "year", "month", "headcount"],
    )
    wages = pd.DataFrame({"city": cities, "year": YEAR, "wage": ai["wage"].round(4).to_numpy()})
    rates = pd.DataFrame({"city": cities, "year": YEAR, "rate": rate_eff.round(10).to_numpy()})
    notes = {
        RATE_CUT_CITY: f"{RATE_CUT_RELIEF:.0%} contribution relief decided by the province for 2025 (policy)",
        HEADCOUNT_CITY: f"insured fell {HEADCOUNT_FALL:.0%} below plan on average (plant closures, non-policy)",
        AUDIT_CITY: f"June headcount report omits {AUDIT_OMITTED:.0%} of the insured (audit finding)",
        IRREGULAR_CITY: f"{IRREGULAR_AMOUNT:,.0f} yuan of medical payments found irregular by the inspection",
    }
    city_inputs = pd.DataFrame(
        {
            "city": cities,
            "insured_plan": bi["insured"].round(0).to_numpy(),
            "expansion_loss": 0.0,
            "irregular_spending": [IRREGULAR_AMOUNT if c == IRREGULAR_CITY else 0.0 for c in cities],
            "note": [notes.get(c, "") for c in cities],
        }
    )
    adjustments = pd.DataFrame(
        [
            {
                "line": "rehabilitation",
                "city": IRREGULAR_CITY,
                "amount": 1_500_000.0,
                "factor": None,
                "reason": "a designated rehabilitation hospital opens in March 2025 (定性调整)",
                "author": "provincial social insurance bureau",
            }
        ]
    )
    budget_csv = annual.reset_index().melt(id_vars="city", var_name="line", value_name="value")
    budget_csv.insert(1, "year", YEAR)
    budget_csv["value"] = budget_csv["value"].round(2)
    return {
        "budget.csv": budget_csv,
        "budget_inputs.csv": bi.reset_index(),
        "actual_inputs.csv": ai.reset_index(),
        "actuals.csv": actuals,
        "headcount.csv": headcount,
        "wages.csv": wages,
        "rates.csv": rates,
        "city_inputs.csv": city_inputs,
        "adjustments.csv": adjustments,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="recompute and compare with the shipped files")
    args = ap.parse_args(argv)
    frames = generate()
    if args.check:
        stale = []
        for name, frame in frames.items():
            path = OUT / name
            if not path.exists() or not pd.read_csv(path).equals(pd.read_csv(_text(frame))):
                stale.append(name)
        print("up to date" if not stale else f"stale: {stale}; run tools/make_demo_actuals.py")
        return 1 if stale else 0
    OUT.mkdir(parents=True, exist_ok=True)
    for name, frame in frames.items():
        frame.to_csv(OUT / name, index=False, float_format="%.10g", lineterminator="\n")
        print(f"wrote {OUT / name} ({len(frame)} rows)")
    return 0


def _text(frame: pd.DataFrame):  # noqa: ANN202 - a text buffer for read_csv
    import io

    return io.StringIO(frame.to_csv(index=False, float_format="%.10g", lineterminator="\n"))


if __name__ == "__main__":
    raise SystemExit(main())
