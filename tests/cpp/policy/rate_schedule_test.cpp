// Phased cut (人社部发〔2018〕25号 / 国办发〔2019〕13号): -20% at 18-23 months, -50% at >= 24,
// none below 18 or outside the policy window.
#include <gtest/gtest.h>

#include <string>

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

TEST(PhasedCut, TakeUpAndAMayToAprilWindow) {
  // 2018: the window 2018-05-01 -> 2019-04-30 covers May..Dec = 8 of 12 months. At M = 30 the tier
  // is -50%; with take-up 0.5 the year's cut is 0.5 x 0.5 x 8/12 = 1/6 of the base-rate
  // contributions.
  phased_cut_rule r = wifund::testing::national_cut();
  r.active = true;
  r.take_up = 0.5;
  r.year_share = 8.0 / 12.0;
  EXPECT_NEAR(phased_cut(30.0, r), 1.0 / 6.0, 1e-15);
  // 2019: Jan..Apr under 25号, May..Dec under 国办发〔2019〕13号: the whole year, 0.25 at M = 30.
  r.year_share = 1.0;
  EXPECT_DOUBLE_EQ(phased_cut(30.0, r), 0.25);
  // At M = 20 the -20% tier: 0.2 x 0.5 = 0.1.
  EXPECT_DOUBLE_EQ(phased_cut(20.0, r), 0.1);
  // Class 8: 1.9% x (1 - 1/6) = 1.58333...% in 2018.
  r.year_share = 8.0 / 12.0;
  EXPECT_NEAR(contribution_rate(0.019, 1.0, phased_cut(30.0, r)), 0.019 * 5.0 / 6.0, 1e-17);
}

TEST(PhasedCut, StopMonths) {
  // 停止下调: with stop_months 20 the -20% tier at 19 months is not applied; at 21 it is.
  phased_cut_rule r = wifund::testing::national_cut();
  r.active = true;
  r.stop_months = 20;
  EXPECT_DOUBLE_EQ(phased_cut(19.0, r), 0.0);
  EXPECT_DOUBLE_EQ(phased_cut(21.0, r), 0.2);
  EXPECT_DOUBLE_EQ(phased_cut(25.0, r), 0.5);
}

TEST(PhasedCut, BadRulesNamed) {
  phased_cut_rule r = wifund::testing::national_cut();
  r.active = true;
  EXPECT_NO_THROW(check_phased_cut_rule("t", r, 2019));
  auto bad = r;
  bad.take_up = -0.1;
  EXPECT_THROW(check_phased_cut_rule("t", bad, 2019), invalid_input);
  bad = r;
  bad.stop_months = -1;
  EXPECT_THROW(check_phased_cut_rule("t", bad, 2019), invalid_input);
  bad = r;
  bad.year_share = 1.5;
  EXPECT_THROW(check_phased_cut_rule("t", bad, 2019), invalid_input);
  try {
    bad = r;
    bad.take_up = 2;
    check_phased_cut_rule("t", bad, 2019);
    FAIL();
  } catch (const invalid_input& e) {
    EXPECT_NE(std::string(e.what()).find("cut.take_up in 2019"), std::string::npos) << e.what();
  }
}

namespace {
rate_review_rule review_9_12() { return {true, 9.0, 12.0, 2026, 2, 0.1, 0.5, 1.5, 1}; }
}  // namespace

TEST(RateReview, MovesOutsideTheBandOnly) {
  const auto r = review_9_12();
  EXPECT_DOUBLE_EQ(reviewed_multiplier(1.0, 7.0, r), 1.1);  // below 9 months: up one step
  EXPECT_DOUBLE_EQ(reviewed_multiplier(1.0, 9.0, r), 1.0);  // inside the band [9, 12]
  EXPECT_DOUBLE_EQ(reviewed_multiplier(1.0, 12.0, r), 1.0);
  EXPECT_DOUBLE_EQ(reviewed_multiplier(1.0, 15.0, r), 0.9);   // above: down one step
  EXPECT_DOUBLE_EQ(reviewed_multiplier(1.45, 3.0, r), 1.5);   // cap
  EXPECT_DOUBLE_EQ(reviewed_multiplier(0.55, 30.0, r), 0.5);  // floor
}

TEST(RateReview, ReviewYears) {
  const auto r = review_9_12();
  EXPECT_FALSE(is_review_year(r, 2025));
  EXPECT_TRUE(is_review_year(r, 2026));
  EXPECT_FALSE(is_review_year(r, 2027));
  EXPECT_TRUE(is_review_year(r, 2028));
  auto off = r;
  off.active = false;
  EXPECT_FALSE(is_review_year(off, 2026));
}

TEST(RateReview, BadRulesNamed) {
  const auto r = review_9_12();
  EXPECT_NO_THROW(check_rate_review_rule("t", r, 2026));
  auto bad = r;
  bad.band_low = 13;  // low > high
  EXPECT_THROW(check_rate_review_rule("t", bad, 2026), invalid_input);
  bad = r;
  bad.cycle_years = 0;
  EXPECT_THROW(check_rate_review_rule("t", bad, 2026), invalid_input);
  bad = r;
  bad.step = 0;
  EXPECT_THROW(check_rate_review_rule("t", bad, 2026), invalid_input);
  bad = r;
  bad.floor = 1.2;  // floor above 1
  EXPECT_THROW(check_rate_review_rule("t", bad, 2026), invalid_input);
  bad = r;
  bad.lag_years = max_review_lag + 1;
  EXPECT_THROW(check_rate_review_rule("t", bad, 2026), invalid_input);
  bad = r;
  bad.active = false;
  bad.cycle_years = 0;  // an inactive rule is not read
  EXPECT_NO_THROW(check_rate_review_rule("t", bad, 2026));
}
