// Chain ladder and Mack against the published RAA (Mack 1994) and GenIns (Taylor & Ashe 1983,
// Mack 1993) results, under both sigma extrapolation conventions.
#include "wifund/reserving/mack.hpp"

#include <gtest/gtest.h>

#include "triangle_data.hpp"

namespace wr = wifund::reserving;
using wifund::testing::load_triangle;

TEST(ChainLadder, RaaPublishedIbnr) {
  const auto r = wr::chain_ladder(load_triangle("raa.csv"));
  EXPECT_NEAR(r.total_ibnr(), 52135.23, 0.005);
  // Mack (1994): the age-to-age factors 2.999, 1.624, 1.271, ...
  EXPECT_NEAR(r.dev.ldf(0), 2.999359, 5e-7);
  EXPECT_NEAR(r.dev.ldf(8), 1.009217, 5e-7);
  EXPECT_NEAR(r.ultimate.sum() - r.latest.sum(), r.total_ibnr(), 1e-6);
}

TEST(ChainLadder, GenInsPublishedIbnr) {
  const auto r = wr::chain_ladder(load_triangle("genins.csv"));
  EXPECT_NEAR(r.total_ibnr(), 18680855.61, 0.005);
}

TEST(Mack, RaaMackSigma) {
  const auto m = wr::mack(load_triangle("raa.csv"), {}, wr::sigma_extrapolation::mack);
  EXPECT_NEAR(m.total_se, 26909.01, 0.005);
  const double published[] = {206, 623, 747, 1469, 2002, 2209, 5358, 6333, 24566};
  EXPECT_EQ(m.se(0), 0.0);
  for (int i = 0; i < 9; ++i) EXPECT_NEAR(m.se(i + 1), published[i], 0.5) << "origin " << 1982 + i;
}

TEST(Mack, RaaLogLinearSigma) {
  const auto m = wr::mack(load_triangle("raa.csv"), {}, wr::sigma_extrapolation::log_linear);
  EXPECT_NEAR(m.total_se, 26880.74, 0.005);
}

TEST(Mack, GenInsBothConventions) {
  const auto mk = wr::mack(load_triangle("genins.csv"), {}, wr::sigma_extrapolation::mack);
  const auto ll = wr::mack(load_triangle("genins.csv"), {}, wr::sigma_extrapolation::log_linear);
  EXPECT_NEAR(mk.total_se, 2447095, 0.5);
  EXPECT_NEAR(ll.total_se, 2441364, 0.5);
}
