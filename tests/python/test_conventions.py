"""pandas and Jupyter conventions (issue #14 item 3): equality that never raises, cities in the
order of cities.csv, units in ``DataFrame.attrs``, rates as percentages in reprs, progress bars only
above a size threshold."""

from __future__ import annotations

import re

import numpy as np
import pytest

import wifund
from wifund import _progress


@pytest.fixture(scope="module")
def proj():
    return wifund.project(wifund.Province.demo(), "jilin", years=4)


def test_equality_never_raises_and_means_same_inputs_and_numbers(proj):
    same = wifund.project(wifund.Province.demo(), "jilin", years=4)
    assert proj == same and not (proj != same)
    assert proj.province == same.province and proj.policy == same.policy
    other_policy = wifund.project(wifund.Province.demo(), "national", years=4)
    assert proj != other_policy
    shorter = wifund.project(wifund.Province.demo(), "jilin", years=3)
    assert proj != shorter  # arrays of another shape: False, not an exception
    assert proj != "a string" and proj != None  # noqa: E711
    # A changed table makes the provinces differ (DataFrame.equals, not ==).
    p = wifund.Province.demo()
    q = wifund.Province.demo()
    q.insured.loc[q.insured.index[0], "insured"] += 1
    assert p != q
    assert wifund.Policy.load("jilin") == wifund.Policy.load("jilin")
    assert hash(wifund.Policy.load("jilin")) == hash(wifund.Policy.load("jilin"))
    assert wifund.Policy.load("jilin") != wifund.Policy.load("jilin").override({"reserve.ratio": 0.12})


def test_cities_in_the_order_of_cities_csv(proj):
    order = proj.province.city_names
    assert order != sorted(order)  # the demo's file order is not alphabetical: the test can fail
    assert proj.city_table.index.get_level_values("city").unique().tolist() == [*order, "(provincial level)"]
    assert proj.by_city["city"].unique().tolist() == [*order, "(provincial level)"]
    assert proj.by_class["city"].unique().tolist() == order
    assert proj.beneficiaries["city"].unique().tolist() == order
    assert proj.province.summary().index.tolist() == order


def test_units_in_attrs(proj):
    f = proj.fund.attrs["units"]
    assert f["closing"] == "yuan" and f["months_of_payment"] == "months" and f["payg_cost_rate"] == "rate"
    assert f["insured"] == "persons" and set(f) == set(proj.fund.columns)
    assert proj.by_city.attrs["units"]["value"] == "yuan"
    assert proj.indicators.attrs["units"]["effective_contribution_rate"] == "rate"
    assert proj.by_class.attrs["units"]["rate"] == "rate" and proj.by_class.attrs["units"]["injuries"] == "persons"
    assert proj.beneficiaries.attrs["units"]["in_payment"] == "persons"
    assert set(proj.city_table.attrs["units"]) == {"expenditure", "revenue", "net"}


def test_rates_shown_as_percentages_in_reprs(proj):
    html = proj._repr_html_()
    cost = proj.fund["payg_cost_rate"].iloc[0]
    assert f"{cost * 100:.2f} %" in html
    a = wifund.Assumptions()._repr_html_()
    assert "5.00 %" in a  # the default wage growth, 0.05
    params = wifund.Policy.load("jilin").at(2025)._repr_html_()
    assert "[90.00 %, 85.00 %, 80.00 %, 75.00 %]" in params  # allowance rates (fractions of own wage)
    assert "[27, 25, 23, 21, 18, 16, 13, 11, 9, 7]" in params  # months stay months
    assert re.search(r"0\.20 %", wifund.Policy.load("jilin")._repr_html_())  # class-1 base rate 0.2 %


def test_progress_bar_only_above_threshold(monkeypatch):
    pytest.importorskip("tqdm")
    assert _progress.bar(None, 10, "fit_many") is None
    assert _progress.bar(False, 10**9, "fit_many") is None
    big = _progress.bar(None, _progress.THRESHOLDS["fit_many"], "fit_many", unit="series")
    assert big is not None
    big.close()
    forced = _progress.bar(True, 1, "fit_many")
    assert forced is not None
    forced.close()
    with pytest.raises(TypeError, match=r"fit_many: progress = 'yes' must be True, False or None"):
        _progress.bar("yes", 1, "fit_many")  # type: ignore[arg-type]


def test_small_calls_print_no_bar(capsys):
    import wifund.reserving as wr

    wr.odp_bootstrap(wr.demo_triangle(), n_sims=200, seed=1)
    wifund.forecast.fit_many({"a": np.arange(1.0, 13.0), "b": np.arange(2.0, 14.0)}, trend="add")
    err = capsys.readouterr().err
    assert "it/s" not in err and "sim/s" not in err and "%|" not in err
