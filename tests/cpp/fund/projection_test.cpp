// The projection engine on a one-city province small enough to work by hand.
#include <gtest/gtest.h>

#include "tiny_province.hpp"

using namespace wifund;

namespace {
// The one-city province of tiny_province.hpp, shared with the step and context tests.
projection_input tiny(int years) { return wifund::testing::tiny_province(years); }
}  // namespace

TEST(Projection, OneYearByHand) {
  auto in = tiny(1);
  const auto r = project(in);
  // Contributions: 1,000 x 5,000 x 12 x 0.2% = 120,000 (no cut outside the window).
  EXPECT_DOUBLE_EQ(r.contributions[0], 120000.0);
  // Spouse pensions: 10 x (1 - q40/2) x 12 x 1,000 with CL6 (female dependants).
  const double q = in.mortality.dependant_female.q(40);
  const double pensions = 10 * (1 - q / 2) * 12 * 1000;
  EXPECT_NEAR(r.expenditure[0], pensions, 1e-9);
  // Interest at 2% on opening + half the net flow.
  const double interest = 0.02 * (200000 + 0.5 * (120000 - pensions));
  EXPECT_NEAR(r.interest[0], interest, 1e-9);
  EXPECT_NEAR(r.closing[0], 200000 + 120000 + interest - pensions, 1e-9);
  EXPECT_NEAR(r.months_of_payment[0], r.closing[0] / (pensions / 12), 1e-9);
  // Reserve: min(0 + 10% x 120,000, 30% x 120,000) = 12,000.
  EXPECT_NEAR(r.reserve[0], 12000.0, 1e-9);
  EXPECT_NEAR(r.payg_cost_rate[0], pensions / 60e6, 1e-15);
}

TEST(Projection, PhasedCutFromPreviousYearEnd) {
  auto in = tiny(2);
  in.policy[0].cut.active = true;  // months at the base year end = 20 -> 20% cut in 2025
  const auto r = project(in);
  EXPECT_DOUBLE_EQ(r.phased_cut[0], 0.2);
  EXPECT_NEAR(r.contributions[0], 120000.0 * 0.8, 1e-9);
  EXPECT_DOUBLE_EQ(r.phased_cut[1], 0.0);  // window closed in 2026
}

TEST(Projection, IdentitiesHoldEveryYear) {
  auto in = tiny(10);
  in.claims.incidence.col(0).setConstant(0.01);
  in.claims.grade_share = {0.001, 0.002, 0.003, 0.004, 0.01, 0.02, 0.05, 0.1, 0.15, 0.2};
  in.claims.death_share = 0.01;
  in.claims.care_share = {{{0.5, 0.3, 0.1}, {0.3, 0.3, 0.2}, {0.1, 0.2, 0.3}, {0, 0.1, 0.2}}};
  in.claims.medical_cost = 20000;
  in.claims.payment_pattern = {0.6, 0.3, 0.1};
  in.economy.wage_growth.setConstant(0.05);
  in.economy.prevention_share.setConstant(0.02);
  const auto r = project(in);
  for (int j = 0; j < r.years; ++j) {
    EXPECT_NEAR(r.opening[j] + r.revenue[j] - r.expenditure[j], r.closing[j],
                1e-9 * std::abs(r.closing[j]));
    if (j > 0) {
      EXPECT_DOUBLE_EQ(r.opening[j], r.closing[j - 1]);
    }
    double rev = 0, exp = 0;
    for (int c = 0; c <= r.cities; ++c) {
      for (int i = 0; i < n_revenue_items; ++i) rev += r.city_revenue[r.rev_index(c, j, i)];
      for (int i = 0; i < n_expenditure_items; ++i) exp += r.city_expenditure[r.exp_index(c, j, i)];
    }
    EXPECT_NEAR(rev, r.revenue[j], 1e-9 * r.revenue[j]);
    EXPECT_NEAR(exp, r.expenditure[j], 1e-9 * r.expenditure[j]);
    EXPECT_LE(r.reserve[j], std::max(r.closing[j], 0.0));
  }
}

TEST(Projection, BadInputNamesTheField) {
  auto in = tiny(3);
  in.base.insured(0, 0) = -5;
  try {
    (void)project(in);
    FAIL() << "expected invalid_input";
  } catch (const invalid_input& e) {
    EXPECT_NE(std::string(e.what()).find("insured[A, class 1]"), std::string::npos) << e.what();
  }
  in = tiny(3);
  in.base.insured(0, 8) = 10;  // unclassified employers, but no unclassified rate in the policy
  in.base.wage(0, 8) = 4000;
  EXPECT_THROW((void)project(in), invalid_input);
  in = tiny(3);
  in.economy.collection_rate(0, 1) = 1.2;
  EXPECT_THROW((void)project(in), invalid_input);
  in = tiny(0);
  EXPECT_THROW((void)project(in), invalid_input);
}
