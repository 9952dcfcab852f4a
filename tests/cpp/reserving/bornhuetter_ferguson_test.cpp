// Bornhuetter-Ferguson and Benktander (reserving/bornhuetter_ferguson.hpp): limiting cases and
// hand-computed values.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "triangle_data.hpp"
#include "wifund/reserving/bornhuetter_ferguson.hpp"
#include "wifund/reserving/cape_cod.hpp"  // the a-priori checks are shared with Cape Cod

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

TEST(BornhuetterFerguson, AprioriMustBeAFiniteNonNegativeAmount) {
  const auto c = load_triangle("raa.csv");
  wr::triangle_axes ax;
  for (int y = 1981; y <= 1990; ++y) ax.origins.push_back(std::to_string(y));
  for (double bad : {-1000.0, std::nan(""), std::numeric_limits<double>::infinity()}) {
    Vector a = Vector::Constant(10, 20000.0);
    a(2) = bad;
    try {
      (void)wr::bornhuetter_ferguson(c, a, {}, ax);
      FAIL() << "no error for " << bad;
    } catch (const wifund::invalid_input& e) {
      EXPECT_NE(std::string(e.what()).find("apriori at origin 1983 = "), std::string::npos)
          << e.what();
    }
  }
  // 0 is an amount: the IBNR of that origin is then 0 under BF.
  Vector zero = Vector::Constant(10, 20000.0);
  zero(9) = 0.0;
  EXPECT_EQ(wr::bornhuetter_ferguson(c, zero).est.ibnr(9), 0.0);
  wr::cape_cod_options o;
  o.decay = std::nan("");
  EXPECT_THROW((void)wr::cape_cod(c, Vector::Constant(10, 1.0), o), wifund::invalid_input);
  o = {};
  o.trend = std::nan("");
  EXPECT_THROW((void)wr::cape_cod(c, Vector::Constant(10, 1.0), o), wifund::invalid_input);
}
