// The Monte Carlo kernel: with every source off it repeats the deterministic projection bit for
// bit; with sources on it does not depend on the thread count or the blocking; bad sources are
// refused; binomial mortality draws (stochastic/mortality.hpp) and its thread invariance.
#include "wifund/stochastic/simulate.hpp"

#include <gtest/gtest.h>

#include "../fund/tiny_province.hpp"

using namespace wifund;

namespace {
scenario_generator make(const stochastic_sources& s) {
  const auto [x, base] = wifund::testing::split(wifund::testing::busy_province(8));
  return scenario_generator(x, base, s);
}
stochastic_sources all_on() {
  stochastic_sources s;
  s.economy = s.claims = s.severity = s.catastrophes = true;
  s.sd = Vector::Constant(econ_var::count, 0.01);
  s.level_sd = Vector::Constant(econ_var::count, 0.002);
  s.corr = Matrix::Identity(econ_var::count, econ_var::count);
  s.ar = 0.5 * Matrix::Identity(econ_var::count, econ_var::count);
  s.claim_counts = ClaimCounts::negative_binomial;
  s.dispersion = 0.05;
  s.severity_cv = 0.1;
  s.catastrophe_rate = 0.5;
  return s;
}
}  // namespace

TEST(Stochastic, OffEqualsDeterministic) {
  const auto g = make(stochastic_sources{});
  const auto b = simulate(g, 1, 0, 3, 2, false);
  const fund_summary d = project_summary(g.context(), g.base());
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < b.years; ++j) EXPECT_EQ(b.values[3](i, j), d.closing[j]);
}

TEST(Stochastic, ThreadsAndBlocksDoNotMatter) {
  const auto g = make(all_on());
  const auto one = simulate(g, 5, 0, 8, 1, true);
  const auto two = simulate(g, 5, 0, 8, 2, true);
  const auto tail = simulate(g, 5, 3, 5, 2, true);
  for (std::size_t v = 0; v < n_sim_vectors; ++v) {
    EXPECT_TRUE(one.values[v] == two.values[v]) << sim_vector_names[v];
    EXPECT_TRUE(one.values[v].bottomRows(5) == tail.values[v]) << sim_vector_names[v];
  }
  EXPECT_TRUE(one.city_expenditure == two.city_expenditure);
}

TEST(Stochastic, BadSourcesAreRefused) {
  auto s = all_on();
  s.corr(0, 1) = s.corr(1, 0) = 1.5;
  EXPECT_THROW((void)validate(s), invalid_input);
  s = all_on();
  s.ar(0, 0) = 1.0;
  EXPECT_THROW((void)validate(s), invalid_input);
  s = all_on();
  s.dispersion = -1;
  EXPECT_THROW((void)validate(s), invalid_input);
  s = all_on();
  s.catastrophe_rate = -0.1;
  EXPECT_THROW((void)validate(s), invalid_input);
}

TEST(Stochastic, BinomialDrawsMeanVarianceAndBounds) {
  random_stream r(1, 0, stream_id::mortality);
  const int n = 20000;
  for (const auto& [m, p] : {std::pair{50.0, 0.2}, std::pair{400.0, 0.7}}) {
    double sum = 0, sq = 0;
    for (int i = 0; i < n; ++i) {
      const double k = binomial(r, m, p);
      ASSERT_TRUE(k >= 0 && k <= m && k == std::floor(k));
      sum += k;
      sq += k * k;
    }
    const double mean = sum / n, var = sq / n - mean * mean, v = m * p * (1 - p);
    EXPECT_LT(std::fabs(mean - m * p), 4 * std::sqrt(v / n));
    EXPECT_LT(std::fabs(var / v - 1), 0.06);  // 4 se of s^2 / v: 4 sqrt(2 / n) = 0.04
  }
  for (int i = 0; i < 1000; ++i) {
    const double d = cohort_deaths(r, 2.5, 0.6);  // 0, 1, 2 whole members, + 0.5 for the remainder
    EXPECT_LE(d, 2.5);
    EXPECT_EQ(std::fmod(d * 2, 1.0), 0.0);
  }
}

TEST(Stochastic, BinomialMortalityThreadsInvariantAndDrawn) {
  stochastic_sources s;
  s.mortality = true;
  const auto g = make(s);
  const auto one = simulate(g, 3, 0, 6, 1, false);
  const auto two = simulate(g, 3, 0, 6, 2, false);
  for (std::size_t v = 0; v < n_sim_vectors; ++v)
    EXPECT_TRUE(one.values[v] == two.values[v]) << sim_vector_names[v];
  const auto expected = simulate(make(stochastic_sources{}), 3, 0, 1, 1, false);
  const std::size_t deaths = n_sim_vectors - 1;  // beneficiary_deaths
  ASSERT_EQ(sim_vector_names[deaths], "beneficiary_deaths");
  EXPECT_GT(expected.values[deaths](0, 0), 0);
  EXPECT_FALSE(one.values[deaths].row(0) == expected.values[deaths].row(0));
  EXPECT_FALSE(one.values[deaths].row(0) == one.values[deaths].row(1));
}
