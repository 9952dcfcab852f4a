// The cohort book: new awards through policy/benefits.hpp (allowance before the floor, care, the
// Art. 39 cap on the expected family) and the yearly roll (items, exits).
#include <gtest/gtest.h>

#include <numeric>

#include "../test_data.hpp"
#include "wifund/claims/cohort_book.hpp"
#include "../policy/national_rules.hpp"

using namespace wifund;

namespace {
claims_assumptions basis() {
  claims_assumptions a = wifund::testing::no_injury_claims();
  a.grade_share = {0.01, 0.02, 0.03, 0.04, 0, 0, 0, 0, 0, 0};
  a.care_share = {{{0.5, 0.3, 0.1}, {0.3, 0.3, 0.2}, {0.1, 0.2, 0.3}, {0, 0.1, 0.2}}};
  a.entry_ages = {40};
  a.entry_age_weights = {1.0};
  a.male_share = 0.75;
  a.spouses_per_death = 1.0;
  a.children_per_death = 2.0;
  a.parents_per_death = 1.0;
  a.lone_share = 0.0;
  return a;
}
}  // namespace

TEST(CohortBook, AwardsUseTheBenefitFormulas) {
  const policy_year p = wifund::testing::national_policy_year(2025);
  const auto a = basis();
  cohort_book book;
  book.reset({}, 0);
  double awards[n_benefit_kinds] = {};
  book.award({0, 2025, 1000.0, 10.0, 6000.0, 8000.0}, a, p.benefits, awards);
  // Allowances: 1,000 x (1% + 2% + 3% + 4%) = 100 people, at rate_g x own wage before the floor.
  EXPECT_NEAR(awards[index_of(BenefitKind::allowance)], 100.0, 1e-12);
  double family_total = 0, dependants = 0;
  for (const auto& c : book.cohorts()) {
    if (c.kind == BenefitKind::allowance) {
      EXPECT_DOUBLE_EQ(c.monthly_amount, allowance_before_floor(c.grade, 6000.0, p.benefits));
    } else if (c.kind == BenefitKind::care) {
      EXPECT_DOUBLE_EQ(c.monthly_amount, care_allowance(static_cast<CareLevel>(c.care_level), 8000.0, p.benefits));
    } else {
      family_total += c.count * c.monthly_amount;
      dependants += c.count;
    }
    EXPECT_EQ(c.award_year, 2025);
  }
  // Art. 39: spouse 40% + 3 others x 30% = 130% > 100% of own wage -> scaled to the cap.
  EXPECT_NEAR(dependants, 40.0, 1e-12);
  EXPECT_NEAR(family_total / 10.0, 6000.0, 1e-9);
}

TEST(CohortBook, RollPaysByItemAndDropsExits) {
  policy_year p = wifund::testing::national_policy_year(2025);
  p.indexation.percentage = false;
  const auto a = basis();
  const mortality_basis m{wifund::testing::china_life_table("CL1"), wifund::testing::china_life_table("CL2"),
                          wifund::testing::china_life_table("CL5"), wifund::testing::china_life_table("CL6")};
  cohort child;
  child.kind = BenefitKind::child;
  child.age = 18;
  child.count = 2;
  child.monthly_amount = 1000;
  child.award_year = 2015;
  cohort retired;
  retired.kind = BenefitKind::allowance;
  retired.grade = 1;
  retired.age = 70;
  retired.count = 1;
  retired.monthly_amount = 4000;
  retired.pension = 3000;
  retired.retired = true;
  retired.award_year = 2000;
  cohort_book book;
  book.reset({child, retired}, 2);
  double paid_by_item[item::count] = {};
  book.roll(2025, p, 0, 0, 8000, a, m, [](int) { return 2000.0; },
            [&](int, int i, BenefitKind, double paid, double) { paid_by_item[i] += paid; });
  EXPECT_EQ(book.size(), 1u);  // the child's pension ended at 18
  EXPECT_EQ(paid_by_item[item::dependant_pension], 0.0);
  EXPECT_GT(paid_by_item[item::allowance_topup], 0.0);
  EXPECT_EQ(paid_by_item[item::disability_allowance], 0.0);
  EXPECT_EQ(expenditure_item_of(retired, false), item::disability_allowance);
}

// The book takes the flat-by-grade averages before any cohort of the year changes: two grade-3
// cohorts (20 at 2,000, 20 at 3,000; average 2,500) in the flat_by_grade mode at 5% both get + 125.
TEST(CohortBook, FlatByGradeUsesPreviousYearAverages) {
  policy_year p = wifund::testing::national_policy_year(2025);
  p.indexation.percentage = false;
  p.indexation.flat_by_grade = true;
  p.indexation.by_grade_allowance_rate = 0.05;
  const auto a = basis();
  const mortality_basis m{
      wifund::testing::china_life_table("CL1"), wifund::testing::china_life_table("CL2"),
      wifund::testing::china_life_table("CL5"), wifund::testing::china_life_table("CL6")};
  cohort x;
  x.kind = BenefitKind::allowance;
  x.grade = 3;
  x.age = 45;
  x.count = 20;
  x.award_year = 2020;
  cohort lo = x, hi = x;
  lo.monthly_amount = 2000;
  hi.monthly_amount = 3000;
  cohort_book book;
  book.reset({lo, hi}, 2);
  book.roll(
      2025, p, 0, 0, 8000, a, m, [](int) { return 0.0; },
      [](int, int, BenefitKind, double, double) {});
  ASSERT_EQ(book.size(), 2u);
  EXPECT_DOUBLE_EQ(book.cohorts()[0].monthly_amount, 2125);
  EXPECT_DOUBLE_EQ(book.cohorts()[1].monthly_amount, 3125);
}
