// Statutory retirement age under 国发〔2024〕18号, checked against points of the official table
// (shared/domain/review-2026-12.md §3) and against a brute-force month-by-month reading of the
// rule.
#include <gtest/gtest.h>

#include "wifund/policy/retirement.hpp"

namespace {
using wifund::retirement_age;
using wifund::retirement_age_months;
using wifund::retirement_delay_months;
using wifund::retirement_group;

TEST(RetirementAge, OldRulesBefore2025) {
  // Reached the old age before 2025-01: no delay.
  EXPECT_EQ(retirement_delay_months(1964, 12, retirement_group::male), 0);
  EXPECT_EQ(retirement_delay_months(1969, 12, retirement_group::female_cadre), 0);
  EXPECT_EQ(retirement_delay_months(1974, 12, retirement_group::female_worker), 0);
  EXPECT_EQ(retirement_delay_months(1940, 6, retirement_group::male), 0);
}

TEST(RetirementAge, MenTablePoints) {
  EXPECT_EQ(retirement_delay_months(1965, 1, retirement_group::male), 1);  // 60y1m, retires 2025-02
  EXPECT_EQ(retirement_delay_months(1965, 4, retirement_group::male), 1);
  EXPECT_EQ(retirement_delay_months(1965, 5, retirement_group::male), 2);
  EXPECT_EQ(retirement_delay_months(1970, 6, retirement_group::male), 17);  // middle of the table
  EXPECT_EQ(retirement_delay_months(1976, 8, retirement_group::male), 35);  // 62y11m
  EXPECT_EQ(retirement_delay_months(1976, 9, retirement_group::male), 36);  // 63
  EXPECT_EQ(retirement_delay_months(1990, 1, retirement_group::male), 36);
  EXPECT_DOUBLE_EQ(retirement_age(1965, 1, retirement_group::male), 60.0 + 1.0 / 12.0);
  EXPECT_DOUBLE_EQ(retirement_age(1976, 9, retirement_group::male), 63.0);
}

TEST(RetirementAge, FemaleCadreAndWorkerTablePoints) {
  EXPECT_EQ(retirement_delay_months(1970, 1, retirement_group::female_cadre), 1);  // 55y1m
  EXPECT_EQ(retirement_delay_months(1981, 8, retirement_group::female_cadre), 35);
  EXPECT_EQ(retirement_delay_months(1981, 9, retirement_group::female_cadre), 36);  // 58
  EXPECT_EQ(retirement_delay_months(1975, 1, retirement_group::female_worker), 1);  // 50y1m
  EXPECT_EQ(retirement_delay_months(1975, 2, retirement_group::female_worker), 1);
  EXPECT_EQ(retirement_delay_months(1975, 3, retirement_group::female_worker), 2);
  EXPECT_EQ(retirement_delay_months(1984, 10, retirement_group::female_worker), 59);
  EXPECT_EQ(retirement_delay_months(1984, 11, retirement_group::female_worker), 60);  // 55
  EXPECT_EQ(retirement_age_months(2000, 1, retirement_group::female_worker), 55 * 12);
}

// Second method: walk the calendar month by month from 2025-01 and count the months of delay
// earned as the rule reads ("每4个月延迟1个月" / "每2个月延迟1个月"): the k-th month of reaching
// the old age since the start (k = 1, 2, ...) earns ceil(k / step) months, capped.
TEST(RetirementAge, EqualsMonthByMonthReading) {
  for (auto g :
       {retirement_group::male, retirement_group::female_cadre, retirement_group::female_worker}) {
    const int old = wifund::old_retirement_age(g);
    const int step = g == retirement_group::female_worker ? 2 : 4;
    const int cap = g == retirement_group::female_worker ? 60 : 36;
    for (int y = 1930; y <= 2010; ++y)
      for (int m = 1; m <= 12; ++m) {
        // months since Dec 2024 of the month in which the old age is reached
        const int k = (y + old) * 12 + (m - 1) - (2024 * 12 + 11);
        int expect = 0;
        if (k > 0) {
          expect = 0;
          for (int i = 1; i <= k; i += step)
            ++expect;  // one month of delay per started block of step
          if (expect > cap) expect = cap;
        }
        ASSERT_EQ(retirement_delay_months(y, m, g), expect) << y << "-" << m;
      }
  }
}

TEST(RetirementAge, BadMonthOrYearIsAnError) {
  EXPECT_THROW((void)retirement_delay_months(1970, 0, retirement_group::male),
               std::invalid_argument);
  EXPECT_THROW((void)retirement_delay_months(1970, 13, retirement_group::male),
               std::invalid_argument);
  EXPECT_THROW((void)retirement_delay_months(1800, 1, retirement_group::male),
               std::invalid_argument);
}
}  // namespace

// 国发〔2024〕18号: minimum contribution years for a pension, 15 rising from 2030 by 6 months a
// year.
TEST(Retirement, MinimumContributionYearsAndMonthIndex) {
  EXPECT_DOUBLE_EQ(wifund::minimum_contribution_years(2025), 15.0);
  EXPECT_DOUBLE_EQ(wifund::minimum_contribution_years(2029), 15.0);
  EXPECT_DOUBLE_EQ(wifund::minimum_contribution_years(2030), 15.5);
  EXPECT_DOUBLE_EQ(wifund::minimum_contribution_years(2034), 17.5);
  EXPECT_DOUBLE_EQ(wifund::minimum_contribution_years(2039), 20.0);
  EXPECT_DOUBLE_EQ(wifund::minimum_contribution_years(2060), 20.0);
  // A man born 1965-01 retires at 60 years 1 month: February 2025.
  EXPECT_EQ(wifund::retirement_month_index(1965, 1, retirement_group::male), 2025 * 12 + 1);
  // Born 1976-09: 63, in September 2039.
  EXPECT_EQ(wifund::retirement_month_index(1976, 9, retirement_group::male), 2039 * 12 + 8);
}
