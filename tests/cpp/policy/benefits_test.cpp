// Golden values worked by hand from 工伤保险条例 (Decree 586 text, in force 2011-01-01).
#include <gtest/gtest.h>

#include "wifund/policy/benefits.hpp"
#include "national_rules.hpp"

using namespace wifund;

TEST(Benefits, Grade1LumpSumAndAllowance) {
  const benefit_rules r = wifund::testing::national_benefits();
  // Art. 35: grade 1 -> 27 months of own wage; allowance 90% of own wage.
  EXPECT_DOUBLE_EQ(disability_lump_sum(1, 5000, r), 27 * 5000.0);  // 135,000
  EXPECT_DOUBLE_EQ(disability_lump_sum(1, 5000, r), 135000.0);
  EXPECT_DOUBLE_EQ(disability_allowance(1, 5000, 2000, r), 4500.0);
  // Raised to the minimum wage when below it: 90% x 2,000 = 1,800 < 2,200.
  EXPECT_DOUBLE_EQ(disability_allowance(1, 2000, 2200, r), 2200.0);
  benefit_rules no_floor = r;
  no_floor.minimum_wage_floor = false;
  EXPECT_DOUBLE_EQ(disability_allowance(1, 2000, 2200, no_floor), 1800.0);
}

TEST(Benefits, LumpSumMonthsByGrade) {
  const benefit_rules r = wifund::testing::national_benefits();
  const double months[] = {27, 25, 23, 21, 18, 16, 13, 11, 9, 7};
  for (int g = 1; g <= 10; ++g)
    EXPECT_DOUBLE_EQ(disability_lump_sum(g, 1000, r), months[g - 1] * 1000) << g;
  const double pct[] = {0.90, 0.85, 0.80, 0.75};
  for (int g = 1; g <= 4; ++g)
    EXPECT_DOUBLE_EQ(disability_allowance(g, 10000, 0, r), pct[g - 1] * 10000) << g;
  EXPECT_THROW((void)disability_lump_sum(11, 1000, r), invalid_input);
  EXPECT_THROW((void)disability_allowance(5, 1000, 0, r),
               invalid_input);  // grade 5-6: employer pays
}

TEST(Benefits, DeathBenefits) {
  const benefit_rules r = wifund::testing::national_benefits();
  // Art. 39: funeral = 6 x last year's monthly average wage.
  EXPECT_DOUBLE_EQ(funeral_grant(8000, r), 48000.0);
  // Death grant = 20 x previous-year national urban disposable income; deaths in 2025 use the 2024
  // figure 54,188 yuan -> 1,083,760 yuan.
  EXPECT_DOUBLE_EQ(death_grant(54188, r), 1083760.0);
}

TEST(Benefits, DependantPensionsAndCap) {
  const benefit_rules r = wifund::testing::national_benefits();
  // Spouse 40%, one child 30% -> 2,000 + 1,500 on an own wage of 5,000.
  auto two = dependant_pensions(5000, {{true, false}, {false, false}}, r);
  ASSERT_EQ(two.size(), 2u);
  EXPECT_DOUBLE_EQ(two[0], 2000.0);
  EXPECT_DOUBLE_EQ(two[1], 1500.0);
  // An orphan gets 30% + 10%.
  EXPECT_DOUBLE_EQ(dependant_pensions(5000, {{false, true}}, r)[0], 2000.0);
  // Spouse + 3 others = 40 + 90 = 130% > 100%: scaled pro rata so the total is the own wage.
  auto four =
      dependant_pensions(5000, {{true, false}, {false, false}, {false, false}, {false, false}}, r);
  double total = 0;
  for (double v : four) total += v;
  EXPECT_NEAR(total, 5000.0, 1e-9);
  EXPECT_NEAR(four[0], 5000.0 * 0.40 / 1.30, 1e-9);
  EXPECT_NEAR(four[1], 5000.0 * 0.30 / 1.30, 1e-9);
}

// Art. 39 cap per family (family_cap_scale): the pensions of one family together may not exceed the
// deceased's wage before death (生前的工资).
TEST(Benefits, FamilyCapScalePerFamily) {
  const benefit_rules r = wifund::testing::national_benefits();
  // Spouse + 1 child: 70% of 5,000 = 3,500 <= 5,000: no scaling.
  EXPECT_DOUBLE_EQ(family_cap_scale(1, 1, false, 5000, 5000, r), 1.0);
  // Spouse + 2 children = 100%: exactly at the cap, not scaled.
  EXPECT_DOUBLE_EQ(family_cap_scale(1, 2, false, 5000, 5000, r), 1.0);
  // Large family: spouse + 2 children + 2 parents = 40 + 120 = 160% -> x 1 / 1.6 (8,000 -> 5,000).
  EXPECT_DOUBLE_EQ(family_cap_scale(1, 4, false, 5000, 5000, r), 5000.0 / 8000.0);
  // The same family, all others lone (orphans / lone elderly, +10%): 40 + 160 = 200% -> x 0.5.
  EXPECT_DOUBLE_EQ(family_cap_scale(1, 4, true, 5000, 5000, r), 0.5);
  // Own wage clamped up to 5,000 (60% floor) for a worker who earned 4,000: the cap is on the
  // 4,000.
  EXPECT_DOUBLE_EQ(family_cap_scale(1, 2, false, 5000, 4000, r), 4000.0 / 5000.0);
  EXPECT_THROW((void)family_cap_scale(2, 0, false, 5000, 5000, r), invalid_input);
  EXPECT_THROW((void)family_cap_scale(1, 0, false, -1, 5000, r), invalid_input);
  EXPECT_EQ(dependant_eligibility_age(true), 60);
  EXPECT_EQ(dependant_eligibility_age(false), 55);
}

TEST(Benefits, CareOwnWageMedicalSubsidyTopup) {
  const benefit_rules r = wifund::testing::national_benefits();
  EXPECT_DOUBLE_EQ(care_allowance(CareLevel::full, 8000, r), 4000.0);
  EXPECT_DOUBLE_EQ(care_allowance(CareLevel::major, 8000, r), 3200.0);
  EXPECT_DOUBLE_EQ(care_allowance(CareLevel::partial, 8000, r), 2400.0);
  // Art. 64 clamp to [60%, 300%] of the average wage.
  EXPECT_DOUBLE_EQ(own_wage(3000, 8000, r), 4800.0);
  EXPECT_DOUBLE_EQ(own_wage(30000, 8000, r), 24000.0);
  EXPECT_DOUBLE_EQ(own_wage(9000, 8000, r), 9000.0);
  EXPECT_DOUBLE_EQ(medical_subsidy(5, 8000, r), 24 * 8000.0);
  // S34 worked example: allowance 4,220, pension 3,420 -> the fund pays 800 a month.
  EXPECT_DOUBLE_EQ(retirement_topup(4220, 3420, r), 800.0);
  EXPECT_DOUBLE_EQ(retirement_topup(3000, 3420, r), 0.0);
}
