"""Bühlmann–Straub credibility (wifund.ratesetting.credibility, issue #13 item 4) on the Hachemeister data:
the published estimates (actuar's "credibility" vignette: cm(~state, hachemeister, ratios = ratio.1:ratio.12,
weights = weight.1:weight.12), printed to 4-7 significant digits) and the textbook formulas computed here
independently on the 5 × 12 matrix (Bühlmann & Gisler 2005, §4.8)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from wifund import ratesetting as R

DATA = Path(__file__).resolve().parents[1] / "data" / "hachemeister.csv"


def _wide() -> tuple[np.ndarray, np.ndarray]:
    h = pd.read_csv(DATA)
    x = h[[f"ratio.{j}" for j in range(1, 13)]].to_numpy(float)
    w = h[[f"weight.{j}" for j in range(1, 13)]].to_numpy(float)
    return x, w


def _long() -> pd.DataFrame:
    x, w = _wide()
    states, quarters = np.meshgrid(np.arange(1, 6), np.arange(1, 13), indexing="ij")
    return pd.DataFrame({"state": states.ravel(), "ratio": x.ravel(), "weight": w.ravel()})


def test_published_hachemeister_estimates() -> None:
    c = R.credibility(_long(), group="state")
    assert c.collective == pytest.approx(1683.713, abs=5e-4)
    assert c.between == pytest.approx(89638.73, abs=5e-3)
    assert c.within == pytest.approx(139120026, abs=1.0)
    assert c.table["weight"].tolist() == [100155, 19895, 13735, 4152, 36110]
    assert c.table["credibility"].round(4).tolist() == [0.9847, 0.9276, 0.8985, 0.7279, 0.9588]
    assert c.table["premium"].round(0).tolist() == [2055, 1524, 1793, 1443, 1603]


def test_equals_the_matrix_formulas() -> None:
    x, w = _wide()
    n_states, n_periods = x.shape
    wi = w.sum(axis=1)
    xi = (w * x).sum(axis=1) / wi
    s2 = (w * (x - xi[:, None]) ** 2).sum() / (n_states * (n_periods - 1))
    total = wi.sum()
    xw = (wi * xi).sum() / total
    a = ((wi * (xi - xw) ** 2).sum() - (n_states - 1) * s2) / (total - (wi**2).sum() / total)
    z = wi / (wi + s2 / a)
    mu = (z * xi).sum() / z.sum()
    c = R.credibility(_long().sample(frac=1.0, random_state=3), group="state")  # row order must not matter
    assert c.within == pytest.approx(s2, rel=1e-12)
    assert c.between == pytest.approx(a, rel=1e-10)
    assert c.collective == pytest.approx(mu, rel=1e-12)
    np.testing.assert_allclose(c.table["premium"], z * xi + (1 - z) * mu, rtol=1e-12)
    np.testing.assert_allclose(c.table["individual"], xi, rtol=1e-12)


def test_no_heterogeneity_gives_the_collective_to_everyone() -> None:
    f = pd.DataFrame({"risk_class": [1, 1, 2, 2], "ratio": [1.0, 3.0, 1.0, 3.0], "weight": [1.0, 1.0, 1.0, 1.0]})
    c = R.credibility(f)
    assert c.between == 0.0 and c.table["credibility"].tolist() == [0.0, 0.0]
    assert c.table["premium"].tolist() == [2.0, 2.0]
