// Chain ladder and Mack against the published RAA (Mack 1994) and GenIns (Taylor & Ashe 1983,
// Mack 1993) results, under both sigma extrapolation conventions.
#include "wifund/reserving/mack.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

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

namespace {
std::string mack_error(const wifund::Matrix& c, const wr::development_options& o = {},
                       wr::sigma_extrapolation how = wr::sigma_extrapolation::log_linear) {
  try {
    (void)wr::mack(c, o, how);
  } catch (const wifund::invalid_input& e) {
    return e.what();
  }
  return "no error";
}
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

TEST(Mack, SigmaNotEstimableIsAnErrorNotAZeroStandardError) {
  // A 2 x 2 triangle has one link ratio: sigma has nothing to be estimated from.
  wifund::Matrix c(2, 2);
  c << 100.0, 150.0, 110.0, kNaN;
  for (auto how : {wr::sigma_extrapolation::log_linear, wr::sigma_extrapolation::mack}) {
    const auto m = mack_error(c, {}, how);
    EXPECT_NE(m.find("sigma is not estimable at any age: from age #0 on"), std::string::npos) << m;
  }
  // The chain ladder itself is fine on it.
  EXPECT_NEAR(wr::chain_ladder(c).total_ibnr(), 110.0 * 0.5, 1e-9);
  // n_periods = 1 leaves one link ratio per age in any triangle.
  wr::development_options last;
  last.n_periods = 1;
  const auto m = mack_error(load_triangle("raa.csv"), last);
  EXPECT_NE(m.find("(n_periods = 1)"), std::string::npos) << m;
  // Identical link ratios: sigma = 0 where estimable, filled with 0, every standard error 0
  // (documented: the chain ladder fits exactly).
  wifund::Matrix exact(3, 3);
  exact << 100.0, 200.0, 300.0, 50.0, 100.0, kNaN, 80.0, kNaN, kNaN;
  const auto e = wr::mack(exact);
  EXPECT_EQ(e.total_se, 0.0);
  EXPECT_TRUE(e.sigma.array().isFinite().all());
}

TEST(Mack, AmountsWhoseSquaresOverflowAreRejected) {
  wifund::Matrix c =
      load_triangle("raa.csv") * 1e146;  // RAA's largest cell, 2.6e4, times 1e146 > 1e150
  const auto m = mack_error(c);
  EXPECT_NE(m.find("exceeds 1e+150 in magnitude"), std::string::npos) << m;
  // Just under the limit the standard errors stay finite.
  const auto ok = wr::mack(load_triangle("raa.csv") * 1e145);
  EXPECT_TRUE(std::isfinite(ok.total_se));
  EXPECT_NEAR(ok.total_se / 1e145, 26880.74, 0.01);
}
