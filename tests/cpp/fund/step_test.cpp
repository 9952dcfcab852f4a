// step(), the two sinks, starting from actual figures, and project_many.
#include <gtest/gtest.h>

#include "tiny_province.hpp"

using namespace wifund;
using wifund::testing::busy_province;
using wifund::testing::same_bits;
using wifund::testing::split;
using wifund::testing::tiny_province;

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
      EXPECT_TRUE((one.values[v].array() == other.values[v].array()).all())
          << fund_summary_names[v] << threads;
  }
  const auto single = project_summary(*x, many[7]);
  EXPECT_TRUE((one.values[2].row(7).transpose().array() == single.closing.array()).all());
}

namespace {
// The tiny province with no beneficiaries' growth to speak of: 1,000 insured of class 1 at 5,000 a
// month pay 1,000 x 5,000 x 12 x 0.2% = 120,000 a year at the base rate.
constexpr double base_contributions = 1000.0 * 5000.0 * 12.0 * 0.002;
}  // namespace

TEST(Step, RateReviewMovesTheRateWithTheLag) {
  // Months of payment stay near 20 (balance 200,000, payments ~120,000 a year). Band [30, 40]:
  // below it, so the 2025 review (on the 2024 year end) decides 1.1, in force from 2026 (lag 1);
  // the 2027 review decides 1.2, in force from 2028.
  auto in = tiny_province(5);
  for (auto& p : in.policy) p.rate_review = {true, 30.0, 40.0, 2025, 2, 0.1, 0.5, 1.5, 1};
  const auto r = project(in);
  const double expected[] = {1.0, 1.1, 1.1, 1.2, 1.2};
  for (int j = 0; j < 5; ++j) {
    EXPECT_LT(r.months_of_payment[j], 30.0);
    EXPECT_DOUBLE_EQ(r.rate_multiplier[j], expected[j]) << 2025 + j;
    EXPECT_NEAR(r.contributions[j], base_contributions * expected[j], 1e-9) << 2025 + j;
  }
  // Inside the band [10, 30]: the rate does not move.
  for (auto& p : in.policy) p.rate_review = {true, 10.0, 30.0, 2025, 2, 0.1, 0.5, 1.5, 1};
  const auto inside = project(in);
  for (int j = 0; j < 5; ++j) EXPECT_DOUBLE_EQ(inside.rate_multiplier[j], 1.0);
  // Above the band [5, 10], lag 0: down in the review year itself (2025: 0.9, 2027: 0.8, 2029:
  // 0.7).
  for (auto& p : in.policy) p.rate_review = {true, 5.0, 10.0, 2025, 2, 0.1, 0.5, 1.5, 0};
  const auto above = project(in);
  const double down[] = {0.9, 0.9, 0.8, 0.8, 0.7};
  for (int j = 0; j < 5; ++j) EXPECT_NEAR(above.rate_multiplier[j], down[j], 1e-15) << 2025 + j;
  // A scenario override replaces the policy's rule (off in the policy here).
  auto off = tiny_province(5);
  auto [x, s] = split(off);
  s.override_rate_review = true;
  s.rate_review = {true, 30.0, 40.0, 2025, 2, 0.1, 0.5, 1.5, 1};
  const auto overridden = project(*x, s);
  for (int j = 0; j < 5; ++j) EXPECT_DOUBLE_EQ(overridden.rate_multiplier[j], expected[j]);
  s.rate_review.cycle_years = 0;
  EXPECT_THROW((void)project(*x, s), invalid_input);
}

TEST(Step, FiscalAdvanceWhenTheBalanceWouldGoNegative) {
  // Opening balance 10,000; a major accident of 300,000 in 2025 takes the fund below zero. The
  // reserve (opening 5,000) pays first; the government advances the shortfall, so the balance
  // closes at 0, no interest is credited on the negative mid-year balance, and later surpluses
  // repay the advance before the balance grows again.
  auto in = tiny_province(4);
  in.base.opening_balance = 10000;
  in.base.opening_reserve = 5000;
  in.economy.major_accident_cost[0] = 300000;
  const auto r = project(in);
  // 2025 by hand: net before interest = contributions - expenditure (accident included).
  const double net = r.contributions[0] - r.expenditure[0];
  EXPECT_LT(10000 + 0.5 * net, 0.0);
  EXPECT_DOUBLE_EQ(r.interest[0], 0.0);
  EXPECT_NEAR(r.fiscal_advance[0], -(10000 + net), 1e-9);
  EXPECT_DOUBLE_EQ(r.closing[0], 0.0);
  EXPECT_DOUBLE_EQ(r.reserve_use[0], 5000.0);
  EXPECT_DOUBLE_EQ(r.reserve[0], 0.0);
  EXPECT_DOUBLE_EQ(r.advance_outstanding[0], r.fiscal_advance[0]);
  EXPECT_DOUBLE_EQ(r.major_accident[0], 300000.0);
  // Months of payment and the cost rate leave out the repayment of the advance.
  for (int j = 0; j < 4; ++j) {
    EXPECT_NEAR(r.closing[j], r.opening[j] + r.revenue[j] - r.expenditure[j], 1e-9);
    EXPECT_GE(r.closing[j], 0.0);
    const double spending = r.expenditure[j] - r.advance_repayment[j];
    EXPECT_NEAR(r.months_of_payment[j], r.closing[j] / (spending / 12), 1e-9);
  }
  // 2026 on: surpluses (contributions ~120,000 + interest against ~120,000 of payments) repay.
  double owed = r.advance_outstanding[0];
  for (int j = 1; j < 4; ++j) {
    const double surplus = r.revenue[j] - (r.expenditure[j] - r.advance_repayment[j]);
    if (surplus > 0) {
      EXPECT_NEAR(r.advance_repayment[j], std::min(owed, surplus), 1e-9);
    }
    owed -= r.advance_repayment[j];
    EXPECT_NEAR(r.advance_outstanding[j], owed, 1e-9);
  }
  // The city table carries the advance and the repayment as items of the provincial level.
  const int P = r.cities;  // provincial row
  EXPECT_DOUBLE_EQ(r.city_revenue[r.rev_index(P, 0, revenue_item::fiscal_advance)],
                   r.fiscal_advance[0]);
  EXPECT_DOUBLE_EQ(r.city_expenditure[r.exp_index(P, 0, item::major_accident)], 300000.0);
}

TEST(Step, PublishedAverageWageIsTheBenefitBasis) {
  // The published AW of 2024 (6,000 a month) against an insured average of 5,000: ratio 1.2, kept
  // for later years not published (the insured average grows 0% here, so 6,000 every year).
  auto in = tiny_province(3);
  in.economy.avg_wage_prev[0] = 6000;
  const auto r = project(in);
  for (int j = 0; j < 3; ++j) {
    EXPECT_DOUBLE_EQ(r.benefit_avg_wage[j], 6000.0);
    EXPECT_DOUBLE_EQ(r.avg_monthly_wage[j], 5000.0);  // the insured average is unchanged
  }
  const auto plain = project(tiny_province(3));
  for (int j = 0; j < 3; ++j) EXPECT_DOUBLE_EQ(plain.benefit_avg_wage[j], 5000.0);
}
