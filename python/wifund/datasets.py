"""Bundled data sets.

``national()`` returns the published national (and a few provincial) statistics of China's
work-injury insurance, 2005-2024, exactly as shipped in ``wifund/data/national/``; read the caveats
(``caveats()``) before use: two wage concepts (在岗职工 before 2012, 就业人员 from 2012), the 2013
change of the disposable-income survey, rows marked DERIVED (computed, not read from a source), and
preliminary vs final figures kept side by side.
"""

from __future__ import annotations

from importlib import resources

import pandas as pd

__all__ = ["national", "national_series", "caveats"]

_DIR = "data/national"
_CSV = "cn_work_injury_stats.csv"
_MD = "cn_work_injury_stats.md"


def national() -> pd.DataFrame:
    """All rows of the national statistics file, long format.

    Returns
    -------
    pandas.DataFrame
        Columns ``region, year, metric, value, unit, source_url, note`` plus a boolean ``derived``
        (the note starts with "DERIVED": computed by subtraction, not read from the source).
    """
    with resources.files("wifund").joinpath(_DIR, _CSV).open("rb") as f:
        df = pd.read_csv(f)
    df["derived"] = df["note"].fillna("").str.startswith("DERIVED")
    return df


def national_series(metric: str, region: str = "national", drop_derived: bool = False) -> pd.Series:
    """One metric as a yearly series indexed by ``year``.

    Parameters
    ----------
    metric : str
        e.g. ``"avg_wage_urban_nonprivate"`` (2012-2023, 就业人员 concept),
        ``"urban_per_capita_disposable_income"``, ``"participants_insured"``.
    region : str, default "national"
    drop_derived : bool, default False
        Drop rows marked DERIVED instead of keeping them.

    Returns
    -------
    pandas.Series
        Float values indexed by year (name = metric). When a year has several rows (preliminary and
        final figures), a value read from a source is preferred to a derived one, then the last row
        in the file (the later publication).

    Raises
    ------
    ValueError
        If the metric/region pair has no rows.
    """
    df = national()
    rows = df[(df["metric"] == metric) & (df["region"] == region)]
    if drop_derived:
        rows = rows[~rows["derived"]]
    if rows.empty:
        known = sorted(df.loc[df["region"] == region, "metric"].unique())
        raise ValueError(f"national_series: no rows for metric={metric!r}, region={region!r}; known: {known}")
    rows = rows.sort_values(["year", "derived"], ascending=[True, False], kind="stable")
    s = rows.groupby("year")["value"].last().astype(float)
    s.name = metric
    return s


def caveats() -> str:
    """The sources and caveats document shipped with the data (Markdown)."""
    return resources.files("wifund").joinpath(_DIR, _MD).read_text(encoding="utf-8")
