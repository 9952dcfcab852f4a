// Chain-ladder conventions and bad input: averages, n_periods, exclusions, tails, and errors that
// name the origin and age.
#include "wifund/reserving/chain_ladder.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "triangle_data.hpp"

namespace wr = wifund::reserving;
using wifund::Matrix;
using wifund::testing::load_triangle;

namespace {
const double kNaN = std::nan("");
wr::triangle_axes raa_axes() {
  wr::triangle_axes a;
  for (int y = 1981; y <= 1990; ++y) a.origins.push_back(std::to_string(y));
  for (int k = 1; k <= 10; ++k) a.ages.push_back(std::to_string(k));
  return a;
}
std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const wifund::invalid_input& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST(ChainLadder, AveragesMatchDirectFormulas) {
  const Matrix c = load_triangle("raa.csv");
  wr::development_options o;
  o.average = wr::average_kind::simple;
  const auto s = wr::fit_development(c, o);
  double mean = 0;
  for (int i = 0; i < 9; ++i) mean += c(i, 1) / c(i, 0);
  EXPECT_NEAR(s.ldf(0), mean / 9, 1e-12);
  o.average = wr::average_kind::regression;
  const auto g = wr::fit_development(c, o);
  double xy = 0, xx = 0;
  for (int i = 0; i < 9; ++i) {
    xy += c(i, 0) * c(i, 1);
    xx += c(i, 0) * c(i, 0);
  }
  EXPECT_NEAR(g.ldf(0), xy / xx, 1e-12);
}

TEST(ChainLadder, NPeriodsAndExclusions) {
  const Matrix c = load_triangle("raa.csv");
  wr::development_options o;
  o.n_periods = 3;
  const auto d = wr::fit_development(c, o);
  // Age 1 -> 2 uses origins 1987..1989 (rows 6..8).
  EXPECT_NEAR(d.ldf(0), (c(6, 1) + c(7, 1) + c(8, 1)) / (c(6, 0) + c(7, 0) + c(8, 0)), 1e-12);
  o = {};
  o.exclude = Matrix::Zero(10, 9);
  o.exclude(1, 0) = 1;  // 1982's outlier 8269/... -> 4285/106
  const auto e = wr::fit_development(c, o);
  double num = 0, den = 0;
  for (int i = 0; i < 9; ++i)
    if (i != 1) {
      num += c(i, 1);
      den += c(i, 0);
    }
  EXPECT_NEAR(e.ldf(0), num / den, 1e-12);
  o.exclude(0, 8) = 1;  // the only link ratio of the last age
  EXPECT_NE(
      error_of([&] { (void)wr::fit_development(c, o, raa_axes()); }).find("from age 9 to age 10"),
      std::string::npos);
}

TEST(ChainLadder, Tails) {
  const Matrix c = load_triangle("genins.csv");
  wr::development_options o;
  o.tail.kind = wr::tail_kind::constant;
  o.tail.factor = 1.05;
  const auto r0 = wr::chain_ladder(c);
  const auto r = wr::chain_ladder(c, o);
  EXPECT_NEAR(r.ultimate(3), r0.ultimate(3) * 1.05, 1e-6);
  o.tail.kind = wr::tail_kind::exponential;
  const auto e = wr::chain_ladder(c, o);
  EXPECT_GT(e.dev.tail, 1.0);
  EXPECT_EQ(e.dev.tail_ldfs.size(), 100);
  // The fitted curve decays: successive tail factors shrink towards 1.
  EXPECT_LT(e.dev.tail_ldfs(1) - 1.0, e.dev.tail_ldfs(0) - 1.0);
  o.tail.kind = wr::tail_kind::inverse_power;
  const auto p = wr::chain_ladder(c, o);
  EXPECT_GT(p.dev.tail, e.dev.tail);  // inverse power tails are heavier than exponential ones
}

TEST(ChainLadder, BadInputNamesOriginAndAge) {
  Matrix c = load_triangle("raa.csv");
  const auto ax = raa_axes();
  Matrix hole = c;
  hole(2, 3) = kNaN;
  const auto msg = error_of([&] { (void)wr::chain_ladder(hole, {}, ax); });
  EXPECT_NE(msg.find("hole at origin 1983, age 4"), std::string::npos) << msg;
  Matrix zero = c;
  zero(0, 8) = 0.0;  // the only denominator from age 9 to 10
  const auto z = error_of([&] { (void)wr::chain_ladder(zero, {}, ax); });
  EXPECT_NE(z.find("zero denominator at age 9"), std::string::npos) << z;
  wr::development_options simple;
  simple.average = wr::average_kind::simple;
  Matrix zc = c;
  zc(4, 2) = 0.0;
  const auto s = error_of([&] { (void)wr::chain_ladder(zc, simple, ax); });
  EXPECT_NE(s.find("origin 1985, age 3"), std::string::npos) << s;
  Matrix inf = c;
  inf(1, 1) = INFINITY;
  EXPECT_NE(error_of([&] { (void)wr::chain_ladder(inf, {}, ax); }).find("origin 1982, age 2"),
            std::string::npos);
}

TEST(ChainLadder, NegativeIncrementalsAreAllowed) {
  Matrix c = load_triangle("raa.csv");
  c(0, 9) = c(0, 8) - 100.0;  // a recovery: cumulative paid falls
  const auto r = wr::chain_ladder(c);
  EXPECT_LT(r.dev.ldf(8), 1.0);
  EXPECT_TRUE(std::isfinite(r.total_ibnr()));
}

TEST(ChainLadder, RectangularTriangle) {
  // More origins than ages: the 1990 origin sits below a fully developed block.
  Matrix c = load_triangle("raa.csv").leftCols(5);
  const auto r = wr::chain_ladder(c);
  EXPECT_EQ(r.dev.ldf.size(), 4);
  EXPECT_DOUBLE_EQ(r.ibnr(0), 0.0);
  EXPECT_GT(r.ibnr(9), 0.0);
}
