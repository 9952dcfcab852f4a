// Long-term cohorts: minimum-wage floor, retirement top-up, flat increments by cut-off, indexation,
// children's pensions ending at 18, care never cut (worked by hand).
#include <gtest/gtest.h>

#include "../test_data.hpp"
#include "wifund/claims/cohort.hpp"
#include "../policy/national_rules.hpp"

using namespace wifund;

namespace {
cohort allowance(int age, double amount, int award_year = 2015) {
  cohort c;
  c.kind = BenefitKind::allowance;
  c.grade = 2;
  c.sex = Sex::male;
  c.age = age;
  c.count = 10;
  c.monthly_amount = amount;
  c.award_year = award_year;
  c.birth_year =
      2024 - age;  // born mid-year: age last birthday at the start of 2025 (claims/cohort.hpp)
  return c;
}
}  // namespace

TEST(Cohort, MinimumWageFloorAndPayment) {
  const benefit_rules r = wifund::testing::national_benefits();
  auto c = allowance(45, 1500);
  c.birth_year = 1979;
  const auto y = cohort_pay_and_roll(c, 0.01, 2025, 2000, r, false, 0.0);
  EXPECT_DOUBLE_EQ(y.in_payment, 10 * (1 - 0.005));
  EXPECT_DOUBLE_EQ(y.main, 10 * (1 - 0.005) * 12 * 2000);  // floor: 2,000 > 1,500
  EXPECT_DOUBLE_EQ(y.topup, 0.0);
  EXPECT_DOUBLE_EQ(y.deaths, 10 * 0.01);
  EXPECT_DOUBLE_EQ(c.count, 10 * 0.99);
  EXPECT_EQ(c.age, 46);
  // An award of the year pays six months and has half a year of exposure.
  auto n = allowance(45, 3000);
  n.birth_year = 1979;
  const auto yn = cohort_pay_and_roll(n, 0.01, 2025, 2000, r, true, 0.0);
  EXPECT_DOUBLE_EQ(yn.main, 10 * (1 - 0.0025) * 6 * 3000);
  EXPECT_DOUBLE_EQ(n.count, 10 * 0.995);
}

TEST(Cohort, RetirementTopUp) {
  policy_year p = wifund::testing::national_policy_year(2025);
  p.indexation.percentage = false;
  auto c = allowance(60, 4220);  // born 1955: retired long ago under the old rule (60 in 2015)
  c.birth_year = 1955;
  cohort_start_year(c, p, 0.05, 0.02, 8000, 3420.0 / 4220.0);
  EXPECT_TRUE(c.retired);
  EXPECT_NEAR(c.pension, 3420, 1e-9);
  EXPECT_NEAR(cohort_monthly_payable(c, 2000, p.benefits), 800, 1e-9);  // S34 example
  const auto y = cohort_pay_and_roll(c, 0.01, 2025, 2000, p.benefits, false, 0.0);
  EXPECT_NEAR(y.main, 0.0, 1e-9);
  EXPECT_NEAR(y.topup, 10 * 0.995 * 12 * 800, 1e-9);
}

// 国发〔2024〕18号 in the cohorts: a male grade-1 cohort born 1965-01 reaches 60 years 1 month in
// February 2025 and is paid the allowance for January, the top-up from February (pro rata months).
TEST(Cohort, RetirementAtTheReformAgeProRataMonths) {
  policy_year p = wifund::testing::national_policy_year(2025);
  p.indexation.percentage = false;
  auto c = allowance(59, 4220);
  c.grade = 1;
  c.birth_year = 1965;
  c.birth_month = 1;
  c.group = static_cast<int>(retirement_group::male);
  c.pension_share = 0.9;  // 90% have the minimum contribution years; the rest keep the allowance
  cohort_start_year(c, p, 0, 0, 8000, 3420.0 / 4220.0);
  ASSERT_TRUE(c.retired);
  EXPECT_EQ(c.retire_month, 2025 * 12 + 1);  // February 2025
  const auto y = cohort_pay_and_roll(c, 0.01, 2025, 2000, p.benefits, false, 0.0);
  const double alive = 10 * (1 - 0.005);
  // January: allowance for everyone; February-December: top-up 800 for 90%, allowance for 10%.
  EXPECT_NEAR(y.main, alive * (1 + 0.1 * 11) * 4220, 1e-9);
  EXPECT_NEAR(y.topup, alive * 0.9 * 11 * 800, 1e-9);
  // Born 1964-07: 60 in July 2024, before the reform: allowance January-June, top-up July-December.
  auto old = allowance(59, 4220);
  old.birth_year = 1964;
  old.group = static_cast<int>(retirement_group::male);
  p.year = 2024;
  cohort_start_year(old, p, 0, 0, 8000, 3420.0 / 4220.0);
  EXPECT_EQ(old.retire_month, 2024 * 12 + 6);
  const auto yo = cohort_pay_and_roll(old, 0.0, 2024, 2000, p.benefits, false, 0.0);
  EXPECT_NEAR(yo.main, 10 * 6 * 4220.0, 1e-9);
  EXPECT_NEAR(yo.topup, 10 * 6 * 800.0, 1e-9);
  // A female worker born 1975-01 reaches 50 years 1 month in February 2025. A female cadre born
  // 1976-09 reaches 55 in September 2031, the 81st month from January 2025: delay ceil(81 / 4) = 21
  // months, retiring at 56 years 9 months.
  auto fw = allowance(49, 3000);
  fw.sex = Sex::female;
  fw.birth_year = 1975;
  fw.birth_month = 1;
  fw.group = static_cast<int>(retirement_group::female_worker);
  EXPECT_EQ(cohort_retirement_month(fw), 2025 * 12 + 1);
  auto fc = fw;
  fc.birth_year = 1976;
  fc.birth_month = 9;
  fc.group = static_cast<int>(retirement_group::female_cadre);
  EXPECT_EQ(cohort_retirement_month(fc), (1976 + 55) * 12 + 8 + 21);
  // Not yet at the age: no retirement in 2025.
  auto young = allowance(45, 3000);
  young.birth_year = 1979;
  young.group = static_cast<int>(retirement_group::male);
  p.year = 2025;
  cohort_start_year(young, p, 0, 0, 8000, 0.81);
  EXPECT_FALSE(young.retired);
}

TEST(Cohort, PensionQualifyShareFollowsTheMinimumYears) {
  claims_assumptions a;
  a.pension_qualify_at_15 = 0.95;
  a.pension_qualify_at_20 = 0.85;
  EXPECT_DOUBLE_EQ(pension_qualify_share(2029, a), 0.95);                     // 15 years
  EXPECT_DOUBLE_EQ(pension_qualify_share(2031, a), 0.95 * 0.8 + 0.85 * 0.2);  // 16 years
  EXPECT_DOUBLE_EQ(pension_qualify_share(2039, a), 0.85);                     // 20 years
  EXPECT_DOUBLE_EQ(pension_qualify_share(2050, a), 0.85);
}

TEST(Cohort, DeferredDependantIsPaidFromItsMonthAndExitHazard) {
  const benefit_rules r = wifund::testing::national_benefits();
  cohort s;
  s.kind = BenefitKind::spouse;
  s.sex = Sex::female;
  s.age = 54;
  s.count = 10;
  s.monthly_amount = 2000;
  s.pay_from_month = 2041 * 12 + 6;  // 55 in July 2041
  const auto before = cohort_pay_and_roll(s, 0.01, 2040, 2000, r, false, 0.0);
  EXPECT_EQ(before.main, 0.0);
  EXPECT_EQ(before.in_payment, 0.0);
  EXPECT_DOUBLE_EQ(s.count, 10 * 0.99);  // mortality applies while deferred
  const auto first = cohort_pay_and_roll(s, 0.01, 2041, 2000, r, false, 0.0);
  EXPECT_DOUBLE_EQ(first.main, 10 * 0.99 * (1 - 0.005) * 6 * 2000);
  EXPECT_DOUBLE_EQ(first.in_payment, 10 * 0.99 * (1 - 0.005) * 0.5);
  // Remarriage / employment exits (部令第18号 Art. 4) with mortality: d = q + h - qh.
  cohort t = s;
  t.count = 10;
  t.pay_from_month = 0;
  const auto e = cohort_pay_and_roll(t, 0.01, 2042, 2000, r, false, 0.05);
  const double d = 0.01 + 0.05 - 0.0005;
  EXPECT_DOUBLE_EQ(e.main, 10 * (1 - 0.5 * d) * 12 * 2000);
  EXPECT_DOUBLE_EQ(t.count, 10 * (1 - d));
}

TEST(Cohort, PercentageIndexationWeights) {
  policy_year p = wifund::testing::national_policy_year(
      2025);  // allowance 0.6 wage + 0.4 CPI; dependants 0.3 wage + 0.7 CPI
  auto a = allowance(40, 1000);
  cohort_start_year(a, p, 0.05, 0.02, 8000, 0.81);
  EXPECT_DOUBLE_EQ(a.monthly_amount, 1000 * (1 + 0.6 * 0.05 + 0.4 * 0.02));
  cohort s;
  s.kind = BenefitKind::spouse;
  s.monthly_amount = 1000;
  cohort_start_year(s, p, 0.05, 0.02, 8000, 0.81);
  EXPECT_DOUBLE_EQ(s.monthly_amount, 1000 * (1 + 0.3 * 0.05 + 0.7 * 0.02));
}

TEST(Cohort, FlatIncrementsByCutoff) {
  policy_year p = wifund::testing::national_policy_year(2025);
  p.indexation.percentage = false;
  increment_event e;  // Jilin 2022 (吉人社发〔2022〕24号) amounts
  e.effective_year = 2022;
  e.cutoff_year = 2021;
  e.allowance = {214, 204, 194, 184};
  e.care = {190, 153, 114};
  e.spouse = 95;
  e.other = 85;
  e.lone_extra = 10;
  p.increments = {e};
  auto old = allowance(40, 3000, 2021), recent = allowance(40, 3000, 2022);
  cohort_start_year(old, p, 0, 0, 8000, 0.81);
  cohort_start_year(recent, p, 0, 0, 8000, 0.81);
  EXPECT_DOUBLE_EQ(old.monthly_amount, 3204);  // grade 2: +204
  EXPECT_DOUBLE_EQ(recent.monthly_amount, 3000);
  cohort orphan;
  orphan.kind = BenefitKind::child;
  orphan.age = 10;
  orphan.lone = true;
  orphan.monthly_amount = 1000;
  orphan.award_year = 2019;
  cohort_start_year(orphan, p, 0, 0, 8000, 0.81);
  EXPECT_DOUBLE_EQ(orphan.monthly_amount, 1095);  // 85 + 10
  // Ningxia 2023: pensioners excluded.
  p.increments[0].exclude_retired = true;
  auto retired = allowance(65, 3000, 2010);
  retired.retired = true;
  cohort_start_year(retired, p, 0, 0, 8000, 0.81);
  EXPECT_DOUBLE_EQ(retired.monthly_amount, 3000);
}

TEST(Cohort, ChildrenStopAt18CareNeverCut) {
  policy_year p = wifund::testing::national_policy_year(2025);
  cohort child;
  child.kind = BenefitKind::child;
  child.age = 18;
  child.count = 3;
  cohort_start_year(child, p, 0, 0, 8000, 0.81);
  EXPECT_DOUBLE_EQ(child.count, 0);
  cohort care;
  care.kind = BenefitKind::care;
  care.care_level = 0;
  care.monthly_amount = 4500;
  cohort_start_year(care, p, -0.1, 0, 8000, 0.81);  // 50% x 8,000 = 4,000 < 4,500: not cut
  EXPECT_DOUBLE_EQ(care.monthly_amount, 4500);
  cohort_start_year(care, p, 0.1, 0, 10000, 0.81);  // 50% x 10,000 = 5,000
  EXPECT_DOUBLE_EQ(care.monthly_amount, 5000);
}

// 吉人社发〔2023〕5号 (cohorts to 2022-12-31): grade 1 +182, grade 2 +174, and +30 more if the
// allowance after the increment is below 3,004 — tested on each cohort's amount.
TEST(Cohort, JilinFloorTopUp2023) {
  policy_year p = wifund::testing::national_policy_year(2023);
  p.indexation.percentage = false;
  increment_event e;
  e.effective_year = 2023;
  e.cutoff_year = 2022;
  e.allowance = {182, 174, 166, 158};
  e.care = {136, 109, 82};
  e.spouse = 99;
  e.other = 90;
  e.lone_extra = 9;
  e.floor = 3004;
  e.floor_topup = 30;
  p.increments = {e};
  auto below = allowance(50, 2800, 2020);  // grade 2: 2,800 + 174 = 2,974 < 3,004 -> + 30 = 3,004
  auto above = allowance(50, 2850, 2020);  // 2,850 + 174 = 3,024 >= 3,004: no top-up
  auto at = allowance(50, 2830, 2020);     // 2,830 + 174 = 3,004: not below the floor
  cohort_start_year(below, p, 0, 0, 8000, 0.81);
  cohort_start_year(above, p, 0, 0, 8000, 0.81);
  cohort_start_year(at, p, 0, 0, 8000, 0.81);
  EXPECT_DOUBLE_EQ(below.monthly_amount, 3004);
  EXPECT_DOUBLE_EQ(above.monthly_amount, 3024);
  EXPECT_DOUBLE_EQ(at.monthly_amount, 3004);
  // The floor rule is an allowance rule: a spouse gets + 99 only.
  cohort s;
  s.kind = BenefitKind::spouse;
  s.monthly_amount = 1000;
  s.award_year = 2020;
  cohort_start_year(s, p, 0, 0, 8000, 0.81);
  EXPECT_DOUBLE_EQ(s.monthly_amount, 1099);
}

// 人社部发〔2017〕58号: everyone in a grade gets rate x the previous year's provincial average of
// the grade. Two grade-2 cohorts, 10 people at 3,000 and 30 at 4,000: average (30,000 + 120,000) /
// 40 = 3,750; at 4% both get + 150 yuan.
TEST(Cohort, FlatByGradeSameYuanForTheGrade) {
  policy_year p = wifund::testing::national_policy_year(2025);
  p.indexation.percentage = false;
  p.indexation.flat_by_grade = true;
  p.indexation.by_grade_allowance_rate = 0.04;
  auto low = allowance(45, 3000, 2018), high = allowance(45, 4000, 2019),
       fresh = allowance(45, 9000, 2025);
  high.count = 30;
  auto g1 = allowance(45, 5000, 2018);
  g1.grade = 1;
  const auto avg =
      index_group_averages({low, high, fresh, g1}, 2025);  // this year's award left out
  EXPECT_DOUBLE_EQ(avg[index_group(low)], 3750);
  EXPECT_DOUBLE_EQ(avg[index_group(g1)], 5000);
  cohort_start_year(low, p, 0.05, 0.02, 8000, 0.81, avg);
  cohort_start_year(high, p, 0.05, 0.02, 8000, 0.81, avg);
  EXPECT_DOUBLE_EQ(low.monthly_amount, 3150);
  EXPECT_DOUBLE_EQ(high.monthly_amount, 4150);
}

// Percentage indexation that leaves retired recipients out: the allowance of the retired cohort
// stays, its pension is indexed (6% wage, 1% CPI: 0.6 x 6% + 0.4 x 1% = 4%).
TEST(Cohort, PercentageIndexationExcludingRetired) {
  policy_year p = wifund::testing::national_policy_year(2025);
  p.indexation.exclude_retired = true;
  auto working = allowance(50, 3000), retired = allowance(66, 3000);
  retired.retired = true;
  retired.pension = 2500;
  cohort_start_year(working, p, 0.06, 0.01, 8000, 0.81);
  cohort_start_year(retired, p, 0.06, 0.01, 8000, 0.81);
  EXPECT_DOUBLE_EQ(working.monthly_amount, 3000 * 1.04);
  EXPECT_DOUBLE_EQ(retired.monthly_amount, 3000);
  EXPECT_DOUBLE_EQ(retired.pension, 2500 * 1.04);
}

TEST(Cohort, LegacySubsidyJilin2022ByGradeNoFloorDisabledMortality) {
  // 吉人社发〔2022〕24号: the legacy monthly disability subsidy (按月领取伤残补助金) +240 (grade 1)
  // ... +80 (grade 10); no floor top-up (that rule is the allowance's); paid as is, below the
  // minimum wage.
  policy_year p = wifund::testing::national_policy_year(2025);
  p.indexation.percentage = false;
  increment_event e;
  e.cutoff_year = 2021;
  e.floor = 2907;
  e.floor_topup = 30;
  e.legacy_subsidy = {240, 222, 204, 187, 169, 151, 133, 116, 98, 80};
  p.increments = {e};
  cohort g1 = allowance(60, 1500, 2000), g10 = allowance(50, 600, 2000);
  g1.kind = g10.kind = BenefitKind::legacy_subsidy;
  g1.grade = 1;
  g10.grade = 10;
  cohort_start_year(g1, p, 0, 0, 8000, 0.81);
  cohort_start_year(g10, p, 0, 0, 8000, 0.81);
  EXPECT_DOUBLE_EQ(g1.monthly_amount, 1740);
  EXPECT_DOUBLE_EQ(g10.monthly_amount, 680);
  EXPECT_FALSE(g1.retired);  // paid for life: no retirement
  EXPECT_DOUBLE_EQ(cohort_monthly_payable(g10, 2000, p.benefits), 680);  // no minimum-wage floor
  // Percentage indexation: the allowance's weight (wage-weighted, 人社部发〔2017〕58号).
  p.increments.clear();
  p.indexation.percentage = true;
  p.indexation.allowance_wage_weight = 0.6;
  p.indexation.dependant_wage_weight = 0.3;
  cohort_start_year(g1, p, 0.05, 0.02, 8000, 0.81);
  EXPECT_DOUBLE_EQ(g1.monthly_amount, 1740 * (1 + 0.6 * 0.05 + 0.4 * 0.02));
  // Grade 10 takes grade 4's load (the lightest), grade 1 its own.
  claims_assumptions a;
  a.disabled_mortality_load = {3.0, 2.5, 2.0, 1.5};
  a.dependant_mortality_load = 1.0;
  const mortality_basis m{
      wifund::testing::china_life_table("CL1"), wifund::testing::china_life_table("CL2"),
      wifund::testing::china_life_table("CL5"), wifund::testing::china_life_table("CL6")};
  EXPECT_DOUBLE_EQ(cohort_q(g10, m, a), m.disabled_male.q(50, 1.5));
  EXPECT_DOUBLE_EQ(cohort_q(g1, m, a), m.disabled_male.q(60, 3.0));
}
