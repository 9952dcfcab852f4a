// Payment patterns and batch runs.
#include "wifund/reserving/payment_pattern.hpp"

#include <gtest/gtest.h>

#include "triangle_data.hpp"
#include "wifund/reserving/batch.hpp"

namespace wr = wifund::reserving;
using wifund::Matrix;
using wifund::testing::load_triangle;

TEST(PaymentPattern, ProportionsAndCashFlowsOfChainLadder) {
  const Matrix c = load_triangle("genins.csv");
  const auto cl = wr::chain_ladder(c);
  const auto p = wr::payment_pattern(cl.dev, cl.ibnr);
  EXPECT_EQ(p.proportions.size(), 10);
  EXPECT_NEAR(p.proportions.sum(), 1.0, 1e-14);
  EXPECT_NEAR(p.proportions(0), 1.0 / cl.dev.cdf(0), 1e-15);
  // Cash flows reproduce the projected incrementals of the chain ladder, calendar year by year.
  EXPECT_EQ(p.cash_flows.cols(), 9);
  const Matrix inc = wr::to_incremental(cl.full);
  for (int h = 1; h <= 9; ++h) {
    double expect = 0;
    for (int i = h; i < 10; ++i) expect += inc(i, 9 + h - i);
    EXPECT_NEAR(p.total_cash_flows()(h - 1), expect, 1e-6) << "calendar period " << h;
  }
  EXPECT_NEAR(p.cash_flows.sum(), cl.total_ibnr(), 1e-5);
}

TEST(PaymentPattern, TailIsPaidAfterTheTriangle) {
  const Matrix c = load_triangle("genins.csv");
  wr::development_options o;
  o.tail.kind = wr::tail_kind::exponential;
  o.tail.extrap_periods = 20;
  const auto cl = wr::chain_ladder(c, o);
  const auto p = wr::payment_pattern(cl.dev, cl.ibnr);
  EXPECT_EQ(p.proportions.size(), 30);
  EXPECT_NEAR(p.proportions.sum(), 1.0, 1e-14);
  EXPECT_NEAR(p.cash_flows.sum(), cl.total_ibnr(), 1e-5);
  EXPECT_GT(p.cash_flows(0, 0), 0.0);                      // the oldest origin still pays its tail
  const auto t = wr::payment_pattern(cl.dev, cl.ibnr, 3);  // tail truncated to 3 years
  EXPECT_EQ(t.proportions.size(), 13);
  EXPECT_NEAR(t.proportions.sum(), 1.0, 1e-14);
}

TEST(Batch, EqualsLoopOverSingles) {
  const Matrix a = load_triangle("raa.csv");
  const Matrix b = load_triangle("raa.csv") * 3.0;
  Matrix c = a;
  c(0, 9) = a(0, 9) * 1.01;
  std::vector<double> buf;
  for (const Matrix* m : std::initializer_list<const Matrix*>{&a, &b, &c})
    buf.insert(buf.end(), m->data(), m->data() + m->size());
  wr::batch_options o;
  o.method = wr::batch_method::mack;
  o.threads = 2;
  const auto r = wr::reserve_batch(buf.data(), 3, 10, 10, o);
  int s = 0;
  for (const Matrix* m : std::initializer_list<const Matrix*>{&a, &b, &c}) {
    const auto single = wr::mack(*m);
    for (int i = 0; i < 10; ++i) {
      EXPECT_DOUBLE_EQ(r.ultimate(s, i), single.cl.ultimate(i));
      EXPECT_DOUBLE_EQ(r.se(s, i), single.se(i));
    }
    EXPECT_DOUBLE_EQ(r.total_se(s), single.total_se);
    ++s;
  }
  Matrix bad = a;
  bad(5, 1) = std::nan("");
  buf.insert(buf.end(), bad.data(), bad.data() + bad.size());
  try {
    (void)wr::reserve_batch(buf.data(), 4, 10, 10, o, {}, {"a", "b", "c", "Changchun/medical"});
    FAIL() << "expected an error";
  } catch (const wifund::invalid_input& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.rfind("segment Changchun/medical: ", 0), 0u) << msg;
    EXPECT_NE(msg.find("hole at origin #5, age #1"), std::string::npos) << msg;
  }
}

TEST(PaymentPattern, BatchEqualsSingles) {
  const Matrix c = load_triangle("genins.csv");
  const auto a = wr::chain_ladder(c);
  const auto b = wr::chain_ladder(Matrix(c * 2.0));
  Matrix cdf(2, 10), tails(2, 0), ibnr(2, 10);
  Eigen::MatrixX<Eigen::Index> len(2, 10);
  for (int s = 0; s < 2; ++s) {
    const auto& r = s == 0 ? a : b;
    cdf.row(s) = r.dev.cdf.transpose();
    ibnr.row(s) = r.ibnr.transpose();
    for (int i = 0; i < 10; ++i) len(s, i) = r.dev.len[static_cast<std::size_t>(i)];
  }
  const auto [props, cash] = wr::payment_pattern_batch(cdf, tails, len, ibnr, 1000);
  const auto one = wr::payment_pattern(b.dev, b.ibnr);
  for (int k = 0; k < 10; ++k) EXPECT_DOUBLE_EQ(props(1, k), one.proportions(k));
  for (int i = 0; i < 10; ++i)
    for (int h = 0; h < 9; ++h) EXPECT_DOUBLE_EQ(cash(1, i * 9 + h), one.cash_flows(i, h));
}
