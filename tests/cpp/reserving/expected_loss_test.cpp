// Bornhuetter-Ferguson, Benktander and Cape Cod: limiting cases and hand-computed values.
#include <gtest/gtest.h>

#include "triangle_data.hpp"
#include "wifund/reserving/cape_cod.hpp"

namespace wr = wifund::reserving;
using wifund::Vector;
using wifund::testing::load_triangle;

TEST(BornhuetterFerguson, FormulaAndLimits) {
  const auto c = load_triangle("genins.csv");
  const auto cl = wr::chain_ladder(c);
  const Vector apriori = Vector::Constant(10, 5e6);
  const auto bf = wr::bornhuetter_ferguson(c, apriori);
  for (int i = 0; i < 10; ++i) {
    const double q = 1.0 - 1.0 / cl.dev.cdf(9 - i);
    EXPECT_NEAR(bf.est.ultimate(i), cl.latest(i) + q * 5e6, 1e-6);
  }
  // Benktander converges to the chain ladder; n_iter = 0 is the a-priori (expected loss) method.
  const auto bk = wr::benktander(c, apriori, 200);
  for (int i = 0; i < 10; ++i) EXPECT_NEAR(bk.est.ultimate(i) / cl.ultimate(i), 1.0, 1e-8);
  EXPECT_NEAR(wr::benktander(c, apriori, 0).est.ultimate(4), 5e6, 1e-9);
  EXPECT_THROW((void)wr::bornhuetter_ferguson(c, Vector::Constant(9, 1.0)), wifund::invalid_input);
}

TEST(CapeCod, PooledRatioAndDecayZeroIsChainLadder) {
  const auto c = load_triangle("raa.csv");
  const auto cl = wr::chain_ladder(c);
  const Vector exposure = Vector::LinSpaced(10, 40000, 49000);
  const auto cc = wr::cape_cod(c, exposure);
  double used = 0;
  for (int i = 0; i < 10; ++i) used += exposure(i) / cl.dev.cdf(9 - i);
  EXPECT_NEAR(cc.elr(0), cl.latest.sum() / used, 1e-12);
  EXPECT_NEAR(cc.elr(9), cc.elr(0), 1e-12);
  wr::cape_cod_options o;
  o.decay = 0.0;
  const auto zero = wr::cape_cod(c, exposure, o);
  for (int i = 0; i < 10; ++i) EXPECT_NEAR(zero.bf.est.ultimate(i), cl.ultimate(i), 1e-6);
  o = {};
  o.trend = 0.05;
  const auto tr = wr::cape_cod(c, exposure, o);
  EXPECT_GT(tr.elr(9), tr.elr(0));  // later origins carry trended-up costs
  Vector bad = exposure;
  bad(3) = 0.0;
  EXPECT_THROW((void)wr::cape_cod(c, bad), wifund::invalid_input);
}
