"""The deterministic projection: accounting identities (property-tested over random provinces),
hand calculations of contributions and death grants, determinism and threads."""

import concurrent.futures as cf
import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import wifund
from wifund.projection import EXPENDITURE_ITEMS, PROVINCIAL_LEVEL, REVENUE_ITEMS
from wifund.province import BENEFIT_KINDS, Province

REL = 1e-9


def assert_identities(proj):
    f = proj.fund
    # opening + revenue - expenditure = closing, every year.
    np.testing.assert_allclose(f.opening + f.revenue - f.expenditure, f.closing, rtol=REL, atol=1e-6)
    # next opening = closing.
    np.testing.assert_array_equal(f.opening.to_numpy()[1:], f.closing.to_numpy()[:-1])
    # revenue = contributions + projects + interest + other + the fiscal advance (条例 Art. 13) of a year
    # in which the balance would go negative.
    np.testing.assert_allclose(
        f[["contributions", "project_premiums", "interest", "other_income", "fiscal_advance"]].sum(axis=1),
        f.revenue,
        rtol=REL,
    )
    # item sums = totals.
    np.testing.assert_allclose(proj.expenditure_by_item.sum(axis=1), f.expenditure, rtol=REL)
    np.testing.assert_allclose(proj.revenue_by_item.sum(axis=1), f.revenue, rtol=REL)
    # city sums = provincial totals, for every item and year.
    by = proj.by_city.groupby(["year", "item"])["value"].sum().unstack()
    np.testing.assert_allclose(
        by[EXPENDITURE_ITEMS].to_numpy(), proj.expenditure_by_item.to_numpy(), rtol=REL, atol=1e-6
    )
    np.testing.assert_allclose(by[REVENUE_ITEMS].to_numpy(), proj.revenue_by_item.to_numpy(), rtol=REL, atol=1e-6)
    # contributions by class sum to the fund's contributions.
    cls = proj.by_class.groupby("year")["contributions"].sum()
    np.testing.assert_allclose(cls.to_numpy(), f.contributions.to_numpy(), rtol=REL)
    # reserve inside the balance; months of payment definition.
    assert (f.reserve <= f.closing.clip(lower=0) * (1 + REL)).all()
    np.testing.assert_allclose(f.months_of_payment, f.closing / (f.expenditure / 12), rtol=REL)
    np.testing.assert_allclose(f.payg_cost_rate, f.expenditure / f.covered_payroll, rtol=REL)


def test_demo_projection_shape_and_identities(demo_projection):
    proj = demo_projection
    assert proj.years == list(range(2025, 2055))
    for c in [
        "opening",
        "contributions",
        "interest",
        "revenue",
        "expenditure",
        "closing",
        "reserve",
        "months_of_payment",
        "payg_cost_rate",
    ]:
        assert c in proj.fund.columns
        assert np.isfinite(proj.fund[c]).all()
    assert set(proj.by_city.columns) >= {"city", "year", "item", "value"}
    assert set(proj.by_city.city) == set(proj.province.city_names) | {PROVINCIAL_LEVEL}
    assert_identities(proj)
    assert proj.fund.opening.iloc[0] == proj.province.fund["opening_balance"]


def test_demo_is_plausible_against_national_ratios(demo_projection):
    """Base-year magnitudes near the national 2021 ratios (shared/data/cn_work_injury_stats.md)."""
    f = demo_projection.fund.iloc[0]
    per_insured = f.expenditure / f.insured
    assert 250 < per_insured < 550  # national 2021: ~350 yuan per insured
    assert 10 < f.months_of_payment < 30  # national 2021: ~17 months
    ben = demo_projection.beneficiaries.query("year == 2025")["in_payment"].sum()
    assert 1.5 < 1000 * ben / f.insured < 5  # long-term part of the ~7.3 per 1,000 receiving benefits


def test_contributions_by_hand(demo_projection):
    proj = demo_projection
    p = proj.province
    cls = proj.by_class.query("year == 2026").set_index(["city", "risk_class"])
    ins = p.insured.set_index(["city", "risk_class"])
    jan = proj.policy.at(dt.date(2026, 1, 1))
    base = dict(zip([str(k) for k in range(1, 9)], jan["contribution.base_rate"]))
    a = proj.assumptions
    growth_n = (1 + a.path("employment_growth", [2025, 2026])) * (1 + a.path("coverage_growth", [2025, 2026]))
    growth_w = 1 + a.path("wage_growth", [2025, 2026])
    for (city, k), row in cls.iterrows():
        n = ins.loc[(city, k), "insured"] * growth_n.prod()
        w = ins.loc[(city, k), "avg_monthly_wage"] * growth_w.prod()
        due = n * w * 12 * base[k] * ins.loc[(city, k), "avg_float"]  # no phased cut after 2024
        expected = due * p.cities.loc[city, "collection_rate"]
        assert row.contributions == pytest.approx(expected, rel=1e-12)


def test_death_grant_2025_is_20_times_2024_income(demo_projection):
    proj = demo_projection
    deaths = proj.raw["deaths"][:, 0].sum()
    grant = proj.expenditure_by_item.loc[2025, "death_grant"]
    assert grant == pytest.approx(deaths * 20 * 54_188, rel=1e-12)
    assert grant / deaths == pytest.approx(1_083_760, rel=1e-12)


def test_phased_cut_applies_inside_the_window(demo):
    """A province with base year 2019 and 30 months of payment: a 50% cut in 2020-2024, none after."""
    p = Province(
        **{
            **demo.__dict__,
            "base_year": 2019,
            "fund": {**demo.fund, "opening_balance": 30 * demo.fund["base_expenditure"] / 12, "opening_reserve": 0.0},
            "beneficiaries": demo.beneficiaries.assign(award_year=demo.beneficiaries.award_year.clip(upper=2019)),
        }
    )
    proj = wifund.project(p, "national", years=8)
    cut = proj.fund.phased_cut
    # Each year's cut follows the previous year-end months of payment (feedback: the cut drains the
    # balance, so the cut shrinks as months fall); none after the window closes on 2024-12-31.
    months_prev = [30.0] + list(proj.fund.months_of_payment.loc[2020:2023])
    expected = [0.5 if m >= 24 else 0.2 if m >= 18 else 0.0 for m in months_prev]
    assert list(cut.loc[2020:2024]) == expected
    assert expected[0] == 0.5 and (cut.loc[2025:] == 0).all()
    rates = proj.by_class.query("year == 2020 and risk_class == '8'")
    floats = p.insured.query("risk_class == '8'").set_index("city")["avg_float"]
    np.testing.assert_allclose(rates.rate.to_numpy(), 0.019 * floats.loc[rates.city].to_numpy() * 0.5, rtol=1e-14)


def test_deterministic_and_thread_safe(demo):
    a = wifund.project(demo, years=20).fund
    with cf.ThreadPoolExecutor(2) as ex:
        results = list(ex.map(lambda _: wifund.project(demo, years=20).fund, range(4)))
    for r in results:
        pd.testing.assert_frame_equal(a, r, check_exact=True)


def test_later_start_reports_from_start(demo, demo_projection):
    late = wifund.project(demo, start=2027, years=5)
    assert late.years == [2027, 2028, 2029, 2030, 2031]
    pd.testing.assert_frame_equal(late.fund, demo_projection.fund.loc[2027:2031], check_exact=True)
    assert_identities(late)


@pytest.mark.parametrize(
    "kw,match",
    [
        ({"years": 0}, "years"),
        ({"years": 51}, "years"),
        ({"start": 2024}, "after the province's base year"),
        ({"start": 2040, "years": 40}, "more than 50"),
    ],
)
def test_bad_years(demo, kw, match):
    with pytest.raises(ValueError, match=match):
        wifund.project(demo, **kw)


def test_assumption_errors_name_city_and_year(demo):
    bad = wifund.Assumptions(city_paths={"collection_rate": {"Xihe": {2027: 1.2}}})
    with pytest.raises(ValueError, match=r"collection_rate for city 'Xihe' in 2027 is 1.2"):
        wifund.project(demo, assumptions=bad, years=5)
    with pytest.raises(ValueError, match="unknown path"):
        wifund.Assumptions(paths={"wage_grwth": 0.03})
    with pytest.raises(ValueError, match="not in the province"):
        wifund.project(demo, assumptions=wifund.Assumptions(city_paths={"wage_growth": {"Atlantis": 0.1}}), years=2)


def test_assumed_parameters_listed(demo_projection):
    keys = set(demo_projection.assumed["key"])
    assert {"reserve.ratio", "benefits.medical_subsidy_months"} <= keys


def test_policy_override_is_a_reform(demo, demo_projection):
    reform = wifund.Policy.load("jilin").override(
        {"contribution.base_rate": [0.001, 0.002, 0.0035, 0.0045, 0.0055, 0.0065, 0.008, 0.0095]}
    )
    half = wifund.project(demo, reform)
    np.testing.assert_allclose(
        half.fund.contributions.iloc[0], demo_projection.fund.contributions.iloc[0] / 2, rtol=1e-12
    )
    assert half.fund.closing.iloc[-1] < demo_projection.fund.closing.iloc[-1]


def test_payment_pattern_spreads_short_term_costs(demo, demo_projection):
    spread = wifund.project(demo, assumptions=wifund.Assumptions(claims={"payment_pattern": [0.5, 0.3, 0.2]}), years=10)
    assert_identities(spread)
    # In the first year the earlier injury years are taken at the first year's level: same cost.
    base = demo_projection.expenditure_by_item
    assert spread.expenditure_by_item.loc[2025, "medical"] == pytest.approx(base.loc[2025, "medical"], rel=1e-12)
    # Later, with growing costs, paying later means paying less in nominal terms in that year.
    assert spread.expenditure_by_item.loc[2030, "medical"] < base.loc[2030, "medical"]


# ---------------------------------------------------------------- property tests over random provinces
@st.composite
def provinces(draw):
    n_cities = draw(st.integers(1, 4))
    cities = [f"C{i}" for i in range(n_cities)]
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    classes = [str(k) for k in range(1, 9)]
    insured = pd.DataFrame(
        [
            {
                "city": c,
                "risk_class": k,
                "insured": float(rng.integers(0, 50_000)),
                "avg_monthly_wage": float(rng.uniform(2500, 20_000)),
                "avg_float": float(rng.uniform(0.5, 1.5)),
            }
            for c in cities
            for k in classes
        ]
    )
    insured.loc[0, "insured"] += 1000.0
    city_df = pd.DataFrame(
        {
            "collection_rate": rng.uniform(0.5, 1.0, n_cities),
            "minimum_wage": rng.uniform(1500, 2600, n_cities),
            "project_value": rng.uniform(0, 1e9, n_cities),
        },
        index=pd.Index(cities, name="city"),
    )
    rows = []
    for _ in range(draw(st.integers(0, 30))):
        kind = BENEFIT_KINDS[int(rng.integers(0, 5))]
        rows.append(
            {
                "city": cities[int(rng.integers(0, n_cities))],
                "kind": kind,
                "grade": int(rng.integers(1, 5)) if kind in ("allowance", "care") else 0,
                "care_level": ["full", "major", "partial"][int(rng.integers(0, 3))] if kind == "care" else "",
                "sex": "M" if rng.random() < 0.6 else "F",
                "age": float(rng.integers(1, 100)),
                "count": float(rng.uniform(0, 50)),
                "monthly_amount": float(rng.uniform(500, 8000)),
                "pension": 0.0,
                "award_year": 2015.0,
                "retired": 0.0,
                "lone": float(rng.random() < 0.2),
            }
        )
    ben = pd.DataFrame(
        rows,
        columns=[
            "city",
            "kind",
            "grade",
            "care_level",
            "sex",
            "age",
            "count",
            "monthly_amount",
            "pension",
            "award_year",
            "retired",
            "lone",
        ],
    )
    balance = float(rng.uniform(0, 5e9))
    return Province(
        name="random",
        base_year=2024,
        cities=city_df,
        insured=insured,
        beneficiaries=ben,
        fund={
            "opening_balance": balance,
            "opening_reserve": balance * float(rng.uniform(0, 0.3)),
            "base_expenditure": float(rng.uniform(1e6, 1e9)),
            "base_contributions": float(rng.uniform(0, 1e9)),
        },
        national_disposable_income=54_188.0,
        default_policy=draw(st.sampled_from(["national", "jilin", "ningxia"])),
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    province=provinces(),
    years=st.integers(1, 15),
    wage=st.floats(-0.05, 0.12),
    pattern=st.sampled_from([[1.0], [0.6, 0.3, 0.1], [0.2, 0.2, 0.2, 0.2, 0.2]]),
)
def test_identities_hold_for_random_provinces(province, years, wage, pattern):
    a = wifund.Assumptions(paths={"wage_growth": wage}, claims={"payment_pattern": pattern})
    proj = wifund.project(province, assumptions=a, years=years)
    assert_identities(proj)


def test_flat_increment_event_in_projection(demo):
    """A flat +100 yuan/month for spouses awarded up to 2020, effective 2026: with no new injuries the
    2026 spouse pensions rise by exactly 12 x 100 x the spouses in payment."""
    # No new injuries, and no dependants from the deaths of allowance recipients (Art. 39 ¶3 awards them
    # from 2025; they are awarded after the cut-off and get no increment): every spouse is in the stock.
    no_new = wifund.Assumptions(
        claims={"incidence": [0.0] * 9, "family_compositions": [[0, 0, 0]], "family_weights": [1.0]}
    )
    event = {
        "effective": "2026-01-01",
        "cutoff": "2020-12-31",
        "allowance": [0] * 6,
        "care": [0, 0, 0],
        "spouse": 100,
        "other": 0,
        "lone_extra": 0,
        "source": "test event",
    }
    ben = demo.beneficiaries.assign(award_year=demo.beneficiaries.award_year.clip(upper=2020))
    prov = Province(**{**demo.__dict__, "beneficiaries": ben})
    policy = wifund.Policy.load("jilin")
    base = wifund.project(prov, policy, no_new, years=3)
    bumped = wifund.project(prov, policy.override(increments=[event]), no_new, years=3)
    spouses = base.beneficiaries.query("kind == 'spouse' and year == 2026")["in_payment"].sum()
    diff = (
        bumped.by_city.query("year == 2026 and item == 'dependant_pension'")["value"].sum()
        - base.by_city.query("year == 2026 and item == 'dependant_pension'")["value"].sum()
    )
    assert diff == pytest.approx(1200 * spouses, rel=1e-9)
    assert bumped.fund.loc[2025, "expenditure"] == base.fund.loc[2025, "expenditure"]


def test_reserving_payment_pattern_feeds_the_projection(demo):
    """The chain-ladder payment pattern of the demo's medical-payments triangle spreads the short-term
    costs of each injury year; the identities hold and the first-year cost is unchanged."""
    from wifund import reserving

    tri = demo.triangle("medical_payments")
    pattern = reserving.payment_pattern(reserving.chain_ladder(tri))
    assert abs(float(pattern.proportions.sum()) - 1) < 1e-12
    proj = wifund.project(demo, assumptions=wifund.Assumptions(claims={"payment_pattern": pattern}), years=10)
    assert_identities(proj)
    flat = wifund.project(demo, years=10)
    assert proj.expenditure_by_item.loc[2025, "medical"] == pytest.approx(
        flat.expenditure_by_item.loc[2025, "medical"], rel=1e-12
    )
    assert proj.expenditure_by_item.loc[2034, "medical"] < flat.expenditure_by_item.loc[2034, "medical"]
    with pytest.raises(KeyError, match="no triangle"):
        demo.triangle("rehabilitation")


def test_compare_scenarios(demo, demo_projection):
    cut = wifund.Policy.load("jilin").override(
        {"contribution.base_rate": [0.0016, 0.0032, 0.0056, 0.0072, 0.0088, 0.0104, 0.0128, 0.0152]}
    )
    alt = wifund.project(demo, cut)
    table = wifund.compare({"base": demo_projection, "rates -20%": alt})
    assert list(table.columns) == ["base", "rates -20%"] and table.columns.name == "months_of_payment"
    pd.testing.assert_series_equal(table["base"], demo_projection.fund["months_of_payment"], check_names=False)
    assert (table["rates -20%"] < table["base"]).all()
    warn = wifund.compare({"base": demo_projection}, "warning")
    assert set(warn["base"]) <= {"green", "yellow", "orange", "red"}
    with pytest.raises(ValueError, match="neither a fund column"):
        wifund.compare({"base": demo_projection}, "nonsense")
