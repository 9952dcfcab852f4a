// Phased cut (人社部发〔2018〕25号 / 国办发〔2019〕13号): -20% at 18-23 months, -50% at >= 24,
// none below 18 or outside the policy window.
#include <gtest/gtest.h>

#include "wifund/policy/rate_schedule.hpp"
#include "national_rules.hpp"

using namespace wifund;

TEST(PhasedCut, Thresholds) {
  phased_cut_rule in_window = wifund::testing::national_cut();
  in_window.active = true;
  EXPECT_DOUBLE_EQ(phased_cut(17.99, in_window), 0.0);
  EXPECT_DOUBLE_EQ(phased_cut(18.0, in_window), 0.2);
  EXPECT_DOUBLE_EQ(phased_cut(23.9, in_window), 0.2);
  EXPECT_DOUBLE_EQ(phased_cut(24.0, in_window), 0.5);
  EXPECT_DOUBLE_EQ(phased_cut(60.0, in_window), 0.5);
  EXPECT_DOUBLE_EQ(phased_cut(-3.0, in_window), 0.0);
  const phased_cut_rule outside = wifund::testing::national_cut();  // active = false
  EXPECT_DOUBLE_EQ(phased_cut(30.0, outside), 0.0);
}

TEST(PhasedCut, RateFromBaseNotCompounded) {
  // Class 8 at 1.9% with a 50% cut -> 0.95% (Lianyungang 2018 table), whatever last year's cut was.
  EXPECT_DOUBLE_EQ(contribution_rate(0.019, 1.0, 0.5), 0.0095);
  EXPECT_DOUBLE_EQ(contribution_rate(0.004, 1.2, 0.2), 0.004 * 1.2 * 0.8);
  EXPECT_THROW((void)contribution_rate(1.5, 1.0, 0.0), invalid_input);
  EXPECT_THROW((void)contribution_rate(0.01, 1.0, -0.1), invalid_input);
}
