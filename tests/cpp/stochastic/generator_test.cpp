// The Monte Carlo kernel: with every source off it repeats the deterministic projection bit for
// bit; with sources on it does not depend on the thread count or the blocking; bad sources are
// refused.
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
