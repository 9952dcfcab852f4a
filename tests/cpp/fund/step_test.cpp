// step(), the two sinks, starting from actual figures, and project_many.
#include <gtest/gtest.h>

#include "tiny_province.hpp"

using namespace wifund;
using wifund::testing::busy_province;
using wifund::testing::same_bits;
using wifund::testing::split;

TEST(Step, ProjectIsALoopOfSteps) {
  const auto [x, s] = split(busy_province(8));
  projection_result r;
  full_result_sink sink(r);
  sink.start(*x, 0);
  auto st = initial_state(*x);
  for (int j = 0; j < x->years; ++j) step(*x, s, j, st, sink);
  EXPECT_TRUE(same_bits(r, project(*x, s)));
  EXPECT_EQ(st.next_index, x->years);
  EXPECT_THROW(step(*x, s, 3, st, sink), invalid_input);  // not the state's next year
}

TEST(Step, FlatInputEqualsContextAndScenario) {
  const auto in = busy_province(10);
  const auto [x, s] = split(in);
  EXPECT_TRUE(same_bits(project(in), project(*x, s)));
}

TEST(Step, FundSummaryEqualsTheFullResult) {
  const auto [x, s] = split(busy_province(15));
  const auto full = project(*x, s);
  const auto sum = project_summary(*x, s);
  EXPECT_EQ(sum.start_year, full.start_year);
  EXPECT_TRUE((sum.revenue.array() == full.revenue.array()).all());
  EXPECT_TRUE((sum.expenditure.array() == full.expenditure.array()).all());
  EXPECT_TRUE((sum.closing.array() == full.closing.array()).all());
  EXPECT_TRUE((sum.reserve.array() == full.reserve.array()).all());
  EXPECT_TRUE((sum.months_of_payment.array() == full.months_of_payment.array()).all());
  EXPECT_TRUE((sum.phased_cut.array() == full.phased_cut.array()).all());
  EXPECT_TRUE((sum.payg_cost_rate.array() == full.payg_cost_rate.array()).all());
}

TEST(Step, StateFromActualFiguresContinuesTheProjection) {
  // Step four years, then rebuild the state from its "actual" figures at the end of 2028: the
  // projection from there equals the uninterrupted one, bit for bit.
  const auto [x, s] = split(busy_province(10));
  const auto whole = project(*x, s);
  struct none {
    void start(const projection_context&, int) {}
    void record(int, const year_flows&) {}
  } skip;
  auto st = initial_state(*x);
  for (int j = 0; j < 4; ++j) step(*x, s, j, st, skip);
  year_end_actuals a;
  a.year = 2028;
  a.balance = st.balance;
  a.reserve = st.reserve;
  a.insured = st.insured;
  a.wage = st.wage;
  a.project_value = st.project_value;
  a.beneficiaries = st.book.cohorts();
  a.expenditure = whole.expenditure[3];
  a.contributions = whole.contributions[3] + whole.project_premiums[3];
  a.disposable_income = st.income_prev;
  a.medical_index = st.medical_index;
  const int lags = st.pending.lags();
  for (int c = 0; c < x->cities(); ++c)
    for (int l = 1; l < lags; ++l) a.incurred.push_back(st.pending.at(c, l - 1));
  projection_result rest;
  full_result_sink sink(rest);
  project_from(*x, s, state_at_year_end(*x, a), sink);
  ASSERT_EQ(rest.start_year, 2029);
  ASSERT_EQ(rest.years, 6);
  for (int j = 0; j < rest.years; ++j) {
    EXPECT_EQ(rest.closing[j], whole.closing[j + 4]) << j;
    EXPECT_EQ(rest.expenditure[j], whole.expenditure[j + 4]) << j;
    EXPECT_EQ(rest.months_of_payment[j], whole.months_of_payment[j + 4]) << j;
    EXPECT_EQ(rest.phased_cut[j], whole.phased_cut[j + 4]) << j;
  }
  a.year = 2040;  // beyond the horizon
  EXPECT_THROW((void)state_at_year_end(*x, a), invalid_input);
}

TEST(Step, RateMultiplierScalesContributions) {
  auto in = busy_province(1);
  in.policy[0].cut.active = false;
  const auto [x, s] = split(in);
  scenario half = s;
  half.rate_multiplier.fill(0.5);
  EXPECT_DOUBLE_EQ(project(*x, half).contributions[0], 0.5 * project(*x, s).contributions[0]);
  half.rate_multiplier[risk_class::of(1)] = 1e6;  // 0.2% x 1e6 > 1
  EXPECT_THROW((void)project(*x, half), invalid_input);
  scenario more = s;
  more.incidence_multiplier = 2;
  EXPECT_GT(project(*x, more).expenditure[0], project(*x, s).expenditure[0]);
}

TEST(ProjectMany, DeterministicWhateverTheThreadCount) {
  const auto [x, s] = split(busy_province(12));
  std::vector<scenario> many;
  for (int i = 0; i < 23; ++i) {
    scenario v = s;
    v.economy.wage_growth.array() += 0.002 * i;
    v.economy.interest_rate.array() += 0.001 * (i % 5);
    many.push_back(v);
  }
  const auto one = project_many(*x, many, 1);
  for (int threads : {2, 3, 8}) {
    const auto other = project_many(*x, many, threads);
    for (std::size_t v = 0; v < one.values.size(); ++v)
      EXPECT_TRUE((one.values[v].array() == other.values[v].array()).all()) << fund_summary_names[v] << threads;
  }
  const auto single = project_summary(*x, many[7]);
  EXPECT_TRUE((one.values[2].row(7).transpose().array() == single.closing.array()).all());
}
