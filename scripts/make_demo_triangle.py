"""Generate the illustrative demo triangle python/wifund/data/demo/medical_payments_triangle.csv.

Synthetic data (see the sibling .md): cumulative paid work-injury medical costs in yuan by injury
year 2015-2024 and payment year, valued at 2024-12-31. Run from the repository root:
    python3 scripts/make_demo_triangle.py
"""
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20241231
YEARS = np.arange(2015, 2025)
# Expected share of an injury year's medical cost paid in development year 1..10 (sums to 1).
PATTERN = np.array([0.42, 0.28, 0.13, 0.07, 0.04, 0.025, 0.015, 0.010, 0.006, 0.004])
ULT_2015 = 180e6  # expected ultimate medical cost of injury year 2015, yuan
GROWTH = 0.06     # yearly growth of covered workers x unit cost
CV_ULT, CV_INCR = 0.08, 0.06  # lognormal noise on the year's ultimate and on each payment


def main() -> None:
    rng = np.random.default_rng(SEED)
    rows = []
    for k, year in enumerate(YEARS):
        ult = ULT_2015 * (1 + GROWTH) ** k * rng.lognormal(-CV_ULT**2 / 2, CV_ULT)
        paid = 0.0
        for lag in range(len(YEARS) - k):
            paid += ult * PATTERN[lag] * rng.lognormal(-CV_INCR**2 / 2, CV_INCR)
            rows.append((int(year), int(year + lag), round(paid)))
    df = pd.DataFrame(rows, columns=["injury_year", "payment_year", "cumulative_paid"])
    out = Path(__file__).resolve().parents[1] / "python/wifund/data/demo/medical_payments_triangle.csv"
    with out.open("w") as f:
        f.write("# ILLUSTRATIVE synthetic data, not statistics: see medical_payments_triangle.md\n")
        df.to_csv(f, index=False)


if __name__ == "__main__":
    main()
