// financing() in one pass (valuation/financing.hpp) against the reference roll, on the two-city
// province of tiny_province.hpp with injuries, deaths at work and Art. 39 ¶3 dependants.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "../fund/tiny_province.hpp"
#include "wifund/valuation/financing.hpp"

using namespace wifund;

namespace {

constexpr int kYears = 12;

valuation_options rates(std::vector<double> r) {
  valuation_options o;
  o.discount = std::move(r);
  return o;
}

// a == b entry by entry to `rel` x the largest |b|.
void expect_close(const Matrix& a, const Matrix& b, double rel, const std::string& what) {
  ASSERT_EQ(a.rows(), b.rows()) << what;
  ASSERT_EQ(a.cols(), b.cols()) << what;
  const double tol = rel * b.cwiseAbs().maxCoeff();
  for (Eigen::Index i = 0; i < a.rows(); ++i)
    for (Eigen::Index k = 0; k < a.cols(); ++k)
      EXPECT_NEAR(a(i, k), b(i, k), tol) << what << " row " << i << " item " << k;
}

}  // namespace

TEST(Financing, PassAwardCapitalIsTheRolls) {
  const auto in = wifund::testing::busy_province(kYears);
  const auto [x, s] = wifund::testing::split(in);
  const auto o = rates({0.02, 0.03, 0.04});
  const auto p = financing(*x, s, o, -1, financing_method::pass);
  const auto r = financing(*x, s, o, -1, financing_method::roll);
  EXPECT_GT(r.award_capital.sum(), 0.0);
  expect_close(p.award_capital, r.award_capital, 1e-12, "award_capital");
  expect_close(p.liability_start, r.liability_start, 1e-12, "liability_start");
  // The liabilities differ through the grouping of the Art. 39 ¶3 deaths only (by vintage).
  for (int j = 0; j < kYears; ++j)
    EXPECT_NEAR(p.liability_end.row(j).sum() / r.liability_end.row(j).sum(), 1.0, 0.05) << j;
}

TEST(Financing, WithoutDependantsTheLiabilityIsTheRolls) {
  auto in = wifund::testing::busy_province(kYears);
  in.claims.family_spouses = {0};
  in.claims.family_children = {0};
  in.claims.family_parents = {0};
  in.claims.family_weights = {1.0};
  const auto [x, s] = wifund::testing::split(in);
  const auto o = rates({0.03});
  const auto p = financing(*x, s, o, -1, financing_method::pass);
  const auto r = financing(*x, s, o, -1, financing_method::roll);
  expect_close(p.award_capital, r.award_capital, 1e-12, "award_capital");
  expect_close(p.liability_end, r.liability_end, 1e-12, "liability_end");
  // and the pass's payments over the horizon are the projection's (long-term items)
  const projection_result pr = project(*x, s);
  for (int j = 0; j < kYears; ++j) {
    double lt = 0;
    for (int c = 0; c <= x->cities(); ++c)
      for (const int it : {item::disability_allowance, item::allowance_topup, item::care_allowance,
                           item::dependant_pension})
        lt += pr.city_expenditure[pr.exp_index(c, j, it)];
    EXPECT_NEAR(p.cash.row(j).head(4).sum(), lt, 1e-11 * lt) << j;
  }
}

TEST(Financing, RollForwardIdentity) {
  const auto in = wifund::testing::busy_province(kYears);
  const auto [x, s] = wifund::testing::split(in);
  const std::vector<double> r = {0.01, 0.05, 0.03, 0.0};
  for (const int end_index : {-1, kYears + 5}) {
    const auto p = financing(*x, s, rates(r), end_index);
    Vector prev = p.liability_start.row(0).transpose();
    for (int j = 0; j < kYears; ++j) {
      const double rj = r[std::min<std::size_t>(static_cast<std::size_t>(j), r.size() - 1)];
      const Vector rhs = (1 + rj) * (prev + p.award_capital.row(j).transpose() -
                                     p.cash.row(j).transpose() / std::sqrt(1 + rj));
      const Vector lhs = p.liability_end.row(j).transpose();
      for (Eigen::Index i = 0; i < lhs.size(); ++i)
        EXPECT_NEAR(lhs[i], rhs[i], 1e-9 * rhs.cwiseAbs().maxCoeff()) << j << " " << i;
      prev = lhs;
    }
  }
}

TEST(Financing, BadMethodAndDiscount) {
  const auto in = wifund::testing::busy_province(3);
  const auto [x, s] = wifund::testing::split(in);
  EXPECT_THROW(static_cast<void>(financing_method_of("fast")), invalid_input);
  try {
    static_cast<void>(financing(*x, s, rates({0.03, -1.5})));
    FAIL() << "no error";
  } catch (const invalid_input& e) {
    EXPECT_NE(std::string(e.what()).find("financing: discount[1]"), std::string::npos) << e.what();
  }
  EXPECT_THROW(static_cast<void>(financing(*x, s, rates({}))), invalid_input);
}
