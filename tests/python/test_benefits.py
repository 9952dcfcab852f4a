"""Golden benefit amounts worked by hand from 工伤保险条例 (Decree 586 text), through the Python API
with ``params = policy.at(date)``."""

import pytest

import wifund
from wifund import benefits

P = wifund.Policy.load("national").at("2025-06-30")


def test_grade1_lump_sum_and_allowance():
    # Art. 35: 27 months of own wage; allowance 90% of own wage a month.
    assert benefits.disability_lump_sum(1, 5000, P) == 27 * 5000 == 135_000
    assert benefits.disability_allowance(1, 5000, 2000, P) == 0.9 * 5000 == 4500
    # Raised to the minimum wage when below it: 90% x 2,000 = 1,800 < 2,200.
    assert benefits.disability_allowance(1, 2000, 2200, P) == 2200


@pytest.mark.parametrize("grade,months", list(zip(range(1, 11), [27, 25, 23, 21, 18, 16, 13, 11, 9, 7], strict=True)))
def test_lump_sum_months(grade, months):
    assert benefits.disability_lump_sum(grade, 6000, P) == months * 6000


@pytest.mark.parametrize("grade,rate", [(1, 0.90), (2, 0.85), (3, 0.80), (4, 0.75)])
def test_allowance_rates(grade, rate):
    assert benefits.disability_allowance(grade, 10_000, 0, P) == pytest.approx(rate * 10_000, rel=1e-15)


def test_death_benefits():
    # Funeral: 6 x last year's monthly average wage.
    assert benefits.funeral_grant(8123.5, P) == 6 * 8123.5
    # Death grant: 20 x last year's national urban disposable income; 2025 deaths -> 20 x 54,188.
    assert benefits.death_grant(54_188, P) == 1_083_760


def test_dependants_40_30_plus_10_capped():
    assert benefits.dependant_pensions(5000, ["spouse", "other"], P) == [2000, 1500]
    assert benefits.dependant_pensions(5000, ["other"], P, lone=True) == [2000]
    # 40% + 3 x 30% = 130% > 100%: scaled so the total is the own wage.
    four = benefits.dependant_pensions(5000, ["spouse", "other", "other", "other"], P)
    assert sum(four) == pytest.approx(5000, rel=1e-12)
    assert four[0] == pytest.approx(5000 * 0.4 / 1.3, rel=1e-12)
    with pytest.raises(ValueError, match="'spouse' or 'other'"):
        benefits.dependant_pensions(5000, ["cousin"], P)


def test_care_levels():
    assert benefits.care_allowance("full", 8000, P) == 4000
    assert benefits.care_allowance("major", 8000, P) == 3200
    assert benefits.care_allowance("partial", 8000, P) == 2400
    with pytest.raises(ValueError, match="level"):
        benefits.care_allowance("some", 8000, P)


def test_bad_grade_is_value_error():
    with pytest.raises(ValueError, match="grade"):
        benefits.disability_lump_sum(0, 5000, P)
    with pytest.raises(ValueError, match="grade"):
        benefits.disability_allowance(5, 5000, 2000, P)


def test_policy_override_changes_benefits_not_original():
    reform = wifund.Policy.load("national").override({"benefits.death.grant_income_multiple": 25})
    assert benefits.death_grant(54_188, reform.at("2025-06-30")) == 25 * 54_188
    assert benefits.death_grant(54_188, P) == 1_083_760


def test_phased_cut_rule_and_window():
    from wifund import _core
    from wifund.projection import resolve_policy_year

    policy = wifund.Policy.load("national")
    rule_2024, _ = resolve_policy_year(policy, 2024)
    rule_2025, _ = resolve_policy_year(policy, 2025)
    assert rule_2024.cut.active and not rule_2025.cut.active
    for months, cut in [(17.9, 0.0), (18, 0.2), (23.99, 0.2), (24, 0.5), (100, 0.5)]:
        assert _core.policy.phased_cut(months, rule_2024.cut) == cut
        assert _core.policy.phased_cut(months, rule_2025.cut) == 0.0
    # Before the window (2018-05-01) there is no cut either.
    rule_2017, _ = resolve_policy_year(policy, 2017)
    assert _core.policy.phased_cut(30, rule_2017.cut) == 0.0


# ---- statutory retirement age (国发〔2024〕18号), issue #9 item 2 -------------------------------------------
@pytest.mark.parametrize(
    "born, group, years, months",
    [
        ((1964, 12), "male", 60, 0),  # reached 60 before 2025: old rule
        ((1965, 1), "male", 60, 1),  # first month of the reform
        ((1970, 6), "male", 61, 5),  # middle of the table
        ((1976, 8), "male", 62, 11),
        ((1976, 9), "male", 63, 0),  # cap: +36 months
        ((1969, 12), "female_cadre", 55, 0),
        ((1970, 1), "female_cadre", 55, 1),
        ((1981, 9), "female_cadre", 58, 0),
        ((1974, 12), "female_worker", 50, 0),
        ((1975, 1), "female_worker", 50, 1),
        ((1975, 3), "female_worker", 50, 2),
        ((1984, 10), "female_worker", 54, 11),
        ((1984, 11), "female_worker", 55, 0),  # cap: +60 months
    ],
)
def test_retirement_age_table_points(born, group, years, months):
    assert wifund.benefits.retirement_age(*born, group) == pytest.approx(years + months / 12, abs=1e-12)


def test_retirement_age_matches_month_by_month_reading():
    # Second method, from the decision's wording: counting the months from January 2025 in which a
    # cohort reaches its old age, every started block of 4 (men, female cadres) or 2 (female workers)
    # months adds one month, up to 36 / 60.
    old = {"male": 60, "female_cadre": 55, "female_worker": 50}
    for group, (step, cap) in {"male": (4, 36), "female_cadre": (4, 36), "female_worker": (2, 60)}.items():
        for y in range(1955, 2000):
            for m in range(1, 13):
                k = (y + old[group] - 2025) * 12 + m  # 1 = reaches the old age in January 2025
                delay = 0 if k <= 0 else min(-(-k // step), cap)
                assert wifund.benefits.retirement_age(y, m, group) * 12 == pytest.approx(old[group] * 12 + delay)


@pytest.mark.parametrize(
    "args, needle",
    [
        ((1970, 13, "male"), "birth_month"),
        ((1970, 0, "male"), "birth_month"),
        ((1970.5, 1, "male"), "birth_year"),
        ((1970, 1, "woman"), "group"),
    ],
)
def test_retirement_age_bad_input(args, needle):
    with pytest.raises(ValueError, match=needle):
        wifund.benefits.retirement_age(*args)
