// Rate-setting solvers (ratesetting/solve.hpp): the solved lever reaches its target, agrees with a
// bisection written here on the scenario's rate multiplier (a different path from the solver's
// context copy), and unreachable targets are reported with the closest value.
#include "wifund/ratesetting/solve.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <tuple>
#include <vector>

#include "../fund/tiny_province.hpp"

namespace {

using namespace wifund;
using wifund::ratesetting::fund_target;
using wifund::ratesetting::lever_kind;
using wifund::ratesetting::rate_lever;
using wifund::ratesetting::target_kind;

// 以支定收 by hand on the full result: revenue without fiscal advances over expenditure without
// advance repayments.
double balance_ratio(const projection_result& f, int n) {
  double r = 0, e = 0;
  for (int j = 0; j < n; ++j) {
    r += f.revenue[j] - f.fiscal_advance[j];
    e += f.expenditure[j] - f.advance_repayment[j];
  }
  return r / e;
}

TEST(Solve, BalanceAgreesWithABisectionOnTheScenarioMultiplier) {
  const auto xs = wifund::testing::split(wifund::testing::busy_province(8));
  const auto& x = xs.first;
  const scenario& s = xs.second;
  fund_target t;
  t.kind = target_kind::balance;
  t.at_index = 7;
  const auto r = ratesetting::solve(*x, s, rate_lever{}, t, 0.1, 5.0);
  ASSERT_TRUE(r.reachable);
  EXPECT_TRUE(r.converged);
  EXPECT_NEAR(r.achieved, 1.0, 1e-9);
  // bisection on scenario.rate_multiplier (every class)
  auto f = [&](double m) {
    scenario sm = s;
    sm.rate_multiplier.fill(m);
    return balance_ratio(project(*x, sm), 8) - 1.0;
  };
  double a = 0.1, b = 5.0;
  ASSERT_LT(f(a) * f(b), 0);
  while (b - a > 1e-13 * b) {
    const double m = 0.5 * (a + b);
    ((f(m) < 0) == (f(a) < 0) ? a : b) = m;
  }
  EXPECT_NEAR(r.lever_value, 0.5 * (a + b), 1e-9 * r.lever_value);
}

TEST(Solve, MonthsTargetWithACutDepthAndUnreachable) {
  const auto xs = wifund::testing::split(wifund::testing::tiny_province(6));
  const auto& x = xs.first;
  const scenario& s = xs.second;
  const fund_summary f0 = project_summary(*x, s);
  fund_target t;
  t.kind = target_kind::months_at;
  t.at_index = 5;
  t.months = f0.months_of_payment[5] * 0.9;
  rate_lever cut;
  cut.kind = lever_kind::cut_depth;
  cut.last_index = 2;
  const auto r = ratesetting::solve(*x, s, cut, t, 0.0, 1.0);
  if (r.reachable) {
    EXPECT_NEAR(r.achieved, t.months, 1e-9 * t.months);
    projection_context work = *x;
    ratesetting::apply_lever(*x, work, cut, r.lever_value);
    const projection_result f = project(work, s);
    EXPECT_DOUBLE_EQ(f.phased_cut[0], r.lever_value);
    EXPECT_EQ(f.phased_cut[3], 0.0);
  }
  t.months = 1e6;  // no rate in the bounds gets there
  const auto u = ratesetting::solve(*x, s, rate_lever{}, t, 0.5, 1.5);
  EXPECT_FALSE(u.reachable);
  EXPECT_EQ(u.closest_lever, 1.5);
  fund_target bad;
  bad.at_index = 9;
  EXPECT_THROW((void)ratesetting::solve(*x, s, rate_lever{}, bad, 0.5, 1.5), invalid_input);
  t.months = 1;
  EXPECT_THROW((void)ratesetting::solve(*x, s, rate_lever{}, t, 2.0, 1.0), invalid_input);
}

// The split evaluation (ratesetting/split.hpp) equals a full engine run at every lever value, bit
// for bit here (the same sums in the same order), with the phased cut and a rate review in force,
// and the solver gives the same answer with it as with an engine run per evaluation.
TEST(Solve, SplitEvaluationEqualsTheEngine) {
  auto in = wifund::testing::busy_province(10);
  for (auto& p : in.policy) {
    p.rate_review.active = true;
    p.rate_review.band_low = 9;
    p.rate_review.band_high = 12;
    p.rate_review.first_year = in.base.base_year + 2;
    p.rate_review.cycle_years = 1;
    p.rate_review.step = 0.1;
    p.rate_review.floor = 0.5;
    p.rate_review.cap = 1.5;
    p.rate_review.lag_years = 1;
  }
  const auto xs = wifund::testing::split(in);
  const auto& x = *xs.first;
  const scenario& s = xs.second;
  rate_lever cut;
  cut.kind = lever_kind::cut_depth;
  cut.first_index = 2;
  cut.last_index = 5;
  rate_lever classes;
  classes.kind = lever_kind::class_rates;
  classes.relativities.fill(std::nan(""));
  classes.relativities[0] = 1;
  classes.relativities[1] = 2;
  for (const auto& [lever, ref, values] :
       {std::tuple{rate_lever{}, 0.1, std::vector<double>{0.3, 1.0, 2.5}},
        std::tuple{cut, 0.0, std::vector<double>{0.2, 0.7}},
        std::tuple{classes, 0.001, std::vector<double>{0.004, 0.02}}}) {
    ratesetting::lever_evaluator e(x, s, ratesetting::evaluation_method::split);
    ratesetting::apply_lever(x, e.work(), lever, ref);
    (void)e();
    for (const double v : values) {
      ratesetting::apply_lever(x, e.work(), lever, v);
      const auto split = e();
      projection_context work = x;
      ratesetting::apply_lever(x, work, lever, v);
      const auto engine = ratesetting::run_summary(work, s);
      EXPECT_EQ(ratesetting::summary_difference(split, engine), 0.0) << v;
      EXPECT_TRUE((split.closing.array() == engine.closing.array()).all());
    }
  }
  fund_target t;
  t.kind = target_kind::months_at;
  t.at_index = 9;
  t.months = 10;
  const auto a = ratesetting::solve(x, s, rate_lever{}, t, 0.1, 5.0);
  const auto b = ratesetting::solve(x, s, rate_lever{}, t, 0.1, 5.0, 1e-12, 100, 8, 1e-11,
                                    ratesetting::evaluation_method::engine);
  EXPECT_EQ(a.method, "split");
  EXPECT_EQ(b.method, "engine");
  EXPECT_EQ(a.lever_value, b.lever_value);
  EXPECT_EQ(a.evaluations, b.evaluations);
  // a check no split passes: the engine at every evaluation, with the reason
  const auto c = ratesetting::solve(x, s, rate_lever{}, t, 0.1, 5.0, 1e-12, 100, 8, 1e-11,
                                    ratesetting::evaluation_method::automatic, -1.0);
  EXPECT_EQ(c.method.rfind("engine (the split", 0), 0u);
  EXPECT_EQ(c.lever_value, b.lever_value);
}

}  // namespace
