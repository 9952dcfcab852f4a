// Adjustments of life tables (adjust.hpp): each returns a new, valid table.
#include <gtest/gtest.h>

#include "../test_data.hpp"
#include "wifund/life/adjust.hpp"

using wifund::life_table;

TEST(Adjust, MultiplyCapsAndKeepsTerminal) {
  const auto t = wifund::testing::china_life_table("CL1");
  const auto l = wifund::multiply(t, {3.0});
  EXPECT_DOUBLE_EQ(l.q_at(50), 3.0 * t.q_at(50));
  EXPECT_DOUBLE_EQ(l.q_at(104), 1.0);
  const auto h = wifund::multiply(t, {0.5});
  EXPECT_DOUBLE_EQ(h.q_at(105), 1.0);  // the terminal age keeps q = 1
  const auto b = wifund::multiply_band(t, 2.0, 60, 70);
  EXPECT_DOUBLE_EQ(b.q_at(59), t.q_at(59));
  EXPECT_DOUBLE_EQ(b.q_at(65), 2.0 * t.q_at(65));
  EXPECT_DOUBLE_EQ(t.q_at(65), wifund::testing::china_life_table("CL1").q_at(65));  // unchanged
  EXPECT_THROW((void)wifund::multiply(t, {-1.0}), wifund::invalid_input);
  EXPECT_THROW((void)wifund::multiply_band(t, 2.0, 60, 130), std::out_of_range);
}

TEST(Adjust, SetForwardAndBack) {
  const auto t = wifund::testing::china_life_table("CL2");
  const auto f = wifund::set_forward(t, 3);
  EXPECT_DOUBLE_EQ(f.q_at(40), t.q_at(43));
  EXPECT_DOUBLE_EQ(f.q_at(103), 1.0);
  const auto s = wifund::set_forward(t, -2);
  EXPECT_EQ(s.max_age(), 107);
  EXPECT_DOUBLE_EQ(s.q_at(50), t.q_at(48));
  EXPECT_DOUBLE_EQ(s.q_at(0), t.q_at(0));
}

TEST(Adjust, BlendAndImprove) {
  const auto a = wifund::testing::china_life_table("CL1"),
             b = wifund::testing::china_life_table("CL2");
  const auto m = wifund::blend(a, b, {0.25});
  EXPECT_DOUBLE_EQ(m.q_at(60), 0.75 * a.q_at(60) + 0.25 * b.q_at(60));
  EXPECT_THROW((void)wifund::blend(a, b, {1.5}), wifund::invalid_input);
  const auto c = wifund::improve(a, {0.01}, 1980, 2012);
  // age 60 is calendar year 2040: 28 years of 1% improvement.
  EXPECT_NEAR(c.q_at(60), a.q_at(60) * std::pow(0.99, 28), 1e-15);
  EXPECT_DOUBLE_EQ(c.q_at(105), 1.0);
  EXPECT_THROW((void)wifund::improve(a, {1.0}, 1980, 2012), wifund::invalid_input);
}
