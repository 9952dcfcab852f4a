// Counter-based streams (core/random.hpp): a pure function of (seed, scenario, stream, draw), and
// the first two moments of each law within four standard errors of the theory (fixed seeds).
#include "wifund/core/random.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

using namespace wifund;

namespace {
template <class Draw>
std::vector<double> sample(int n, Draw&& draw) {
  std::vector<double> x(static_cast<std::size_t>(n));
  for (auto& v : x) v = draw();
  return x;
}
double mean(const std::vector<double>& x) {
  double s = 0;
  for (double v : x) s += v;
  return s / static_cast<double>(x.size());
}
double variance(const std::vector<double>& x) {
  const double m = mean(x);
  double s = 0;
  for (double v : x) s += (v - m) * (v - m);
  return s / static_cast<double>(x.size() - 1);
}
}  // namespace

TEST(Random, SameKeySameDrawsOtherKeyOthers) {
  random_stream a(42, 7, stream_id::claims), b(42, 7, stream_id::claims);
  random_stream c(42, 8, stream_id::claims), d(43, 7, stream_id::claims);
  random_stream e(42, 7, stream_id::economy);
  for (int i = 0; i < 100; ++i) {
    const double u = a.uniform();
    EXPECT_EQ(u, b.uniform());
    EXPECT_NE(u, c.uniform());
    EXPECT_NE(u, d.uniform());
    EXPECT_NE(u, e.uniform());
    EXPECT_GT(u, 0.0);
    EXPECT_LT(u, 1.0);
  }
}

TEST(Random, PoissonAndNegativeBinomialMoments) {
  const int n = 40000;
  for (const double lambda : {0.7, 4.0, 30.0, 400.0}) {
    random_stream r(1, 0, stream_id::claims);
    const auto x = sample(n, [&] { return r.poisson(lambda); });
    EXPECT_NEAR(mean(x), lambda, 4 * std::sqrt(lambda / n)) << lambda;
    EXPECT_NEAR(variance(x), lambda, 4 * std::sqrt(lambda * (1 + 2 * lambda) / n)) << lambda;
  }
  random_stream r(2, 0, stream_id::claims);
  const double lambda = 50, phi = 0.2, var = lambda + phi * lambda * lambda;
  const auto x = sample(n, [&] { return r.negative_binomial(lambda, phi); });
  EXPECT_NEAR(mean(x), lambda, 4 * std::sqrt(var / n));
  EXPECT_NEAR(variance(x) / var, 1.0, 0.06);
}

TEST(Random, GammaLognormalNormalMoments) {
  const int n = 40000;
  random_stream r(3, 1, stream_id::severity);
  for (const double shape : {0.3, 1.0, 25.0}) {
    const auto g = sample(n, [&] { return r.gamma(shape, 2.0); });
    const double var = shape * 4;
    EXPECT_NEAR(mean(g), 2 * shape, 4 * std::sqrt(var / n)) << shape;
  }
  const double s = 0.4;
  const auto ln = sample(n, [&] { return r.lognormal(-s * s / 2, s); });
  EXPECT_NEAR(mean(ln), 1.0, 4 * std::sqrt(std::expm1(s * s) / n));
  const auto z = sample(n, [&] { return r.normal(); });
  EXPECT_NEAR(mean(z), 0.0, 4 / std::sqrt(n));
  EXPECT_NEAR(variance(z), 1.0, 4 * std::sqrt(2.0 / n));
}
