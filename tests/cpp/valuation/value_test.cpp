// The valuation of benefits in payment on the one-city province of tiny_province.hpp (10 female
// spouses aged 40 at 1,000 a month, no indexation): worked by hand, and against the projection.
#include <gtest/gtest.h>

#include <cmath>

#include "../fund/tiny_province.hpp"
#include "wifund/valuation/value.hpp"

using namespace wifund;

namespace {

constexpr int kYears = 30;
constexpr double kRate = 0.03;

struct setup {
  projection_input in = wifund::testing::tiny_province(kYears);
  context_ptr x;
  scenario s;
  valuation_economy e;
  setup() {
    std::tie(x, s) = wifund::testing::split(in);
    e = valuation_economy_of(*x, s);
  }
};

valuation_options flat(double r, bool per_row = true) {
  valuation_options o;
  o.discount = {r};
  o.per_row = per_row;
  return o;
}

}  // namespace

TEST(Valuation, SpousesByHand) {
  setup t;
  const auto v = value_cohorts(*t.x, t.e, t.x->base.beneficiaries, 0, flat(kRate), kYears);
  const auto& table = t.in.mortality.dependant_female;
  const double load = t.in.claims.dependant_mortality_load, h = t.in.claims.spouse_exit_hazard;
  double n = 10, pv = 0, acc = 1;
  for (int k = 0; k < kYears; ++k) {
    const double q = table.q(40 + k, load);
    const double d = q + h - q * h;
    pv += acc / std::sqrt(1 + kRate) * 12 * 1000 * n * (1 - d / 2);
    acc /= 1 + kRate;
    n *= 1 - d;
  }
  const int slot = valuation_slot(item::dependant_pension);
  EXPECT_NEAR(v.pv(0, slot), pv, 1e-9 * pv);
  EXPECT_NEAR(v.pv.sum(), pv, 1e-9 * pv);
}

TEST(Valuation, ClosedGroupCashFlowsAreTheProjections) {
  setup t;
  const projection_result r = project(*t.x, t.s);
  const auto v = value_cohorts(*t.x, t.e, t.x->base.beneficiaries, 0, flat(kRate, false), kYears);
  for (int k = 0; k < kYears; ++k)
    EXPECT_NEAR(v.cash.row(k).sum(), r.expenditure[k], 1e-9 * r.expenditure[k]) << k;
  // By city x kind: the spouses' row of city 0.
  EXPECT_NEAR(v.pv.sum(),
              v.pv(index_of(BenefitKind::spouse), valuation_slot(item::dependant_pension)),
              1e-12 * v.pv.sum());
}

TEST(Valuation, LiabilityRollsWithThePayments) {
  setup t;
  const auto L0 = value_cohorts(*t.x, t.e, t.x->base.beneficiaries, 0, flat(kRate), 200);
  const auto f = financing(*t.x, t.s, flat(kRate));
  const projection_result r = project(*t.x, t.s);
  double paid = 0;
  for (int j = 0; j < kYears; ++j) {
    paid += r.expenditure[j] / std::pow(1 + kRate, j + 0.5);
    const double lhs = paid + f.liability_end.row(j).sum() / std::pow(1 + kRate, j + 1);
    EXPECT_NEAR(lhs, L0.pv.sum(), 1e-9 * L0.pv.sum()) << j;
    EXPECT_EQ(f.award_capital.row(j).sum(), 0.0);
  }
}

TEST(Valuation, BadInput) {
  setup t;
  EXPECT_THROW((void)value_cohorts(*t.x, t.e, t.x->base.beneficiaries, 0, flat(-1.0)),
               invalid_input);
  valuation_options none;
  EXPECT_THROW((void)value_cohorts(*t.x, t.e, t.x->base.beneficiaries, 0, none), invalid_input);
  auto rows = t.x->base.beneficiaries;
  rows[0].city = 3;
  EXPECT_THROW((void)value_cohorts(*t.x, t.e, rows, 0, flat(kRate)), invalid_input);
  auto in = t.in;
  for (auto& p : in.policy) p.indexation.flat_by_grade = true;
  const auto [x2, s2] = wifund::testing::split(in);
  const auto e2 = valuation_economy_of(*x2, s2);
  EXPECT_THROW((void)value_cohorts(*x2, e2, x2->base.beneficiaries, 0, flat(kRate)), invalid_input);
  EXPECT_NO_THROW((void)value_cohorts(*x2, e2, x2->base.beneficiaries, 0, flat(kRate, false)));
}
