// Cape Cod (reserving/cape_cod.hpp): the pooled expected loss ratio and its limiting cases.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "triangle_data.hpp"
#include "wifund/reserving/cape_cod.hpp"

namespace wr = wifund::reserving;
using wifund::Vector;
using wifund::testing::load_triangle;

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
