// Responsibility sharing (budget/sharing.hpp): the banded rule worked by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "wifund/budget/sharing.hpp"

namespace wb = wifund::budget;

namespace {
// An Anhui-like rule: budget gap 9 : 1 (surplus) or 8 : 2 (deficit) province : city; beyond the
// budgeted gap by 5 % of the reference the city bears 40 %, beyond 10 % 60 %; management gaps
// local; half an over-completion returned.
wb::sharing_rule banded() {
  wb::sharing_rule r;
  r.management_local = 1.0;
  r.local_surplus = 0.1;
  r.local_deficit = 0.2;
  r.bands = {0.05, 0.10};
  r.band_local = {0.4, 0.6};
  r.reward = 0.5;
  return r;
}

struct cities {
  std::vector<double> gap, budget_gap, reference, management;
  std::vector<unsigned char> surplus;
  wb::sharing_input input() const {
    return {static_cast<int>(gap.size()),
            gap.data(),
            budget_gap.data(),
            reference.data(),
            surplus.data(),
            management.data()};
  }
};
}  // namespace

TEST(Sharing, MarginalBandsByHand) {
  const cities c{{200.0, 300.0, -50.0},
                 {100.0, 100.0, 0.0},
                 {1000.0, 1000.0, 1000.0},
                 {10.0, 0.0, 0.0},
                 {1, 0, 1}};
  const auto r = wb::share_shortfall(c.input(), banded());
  // City 0 (surplus): deviation (200 - 100) / 1000 = 0.1, which reaches the first band only
  // (200 > 100 + 50, not > 100 + 100). Within: 0.1 x min(200, 150) = 15; the layer 150..200 at
  // 40 %: 20. Local 35, province 165; management 10 local; share 45.
  EXPECT_NEAR(r.deviation[0], 0.1, 1e-15);
  EXPECT_EQ(r.band[0], 1);
  EXPECT_NEAR(r.within_local[0], 15.0, 1e-12);
  EXPECT_NEAR(r.excess_local[0], 20.0, 1e-12);
  EXPECT_NEAR(r.gap_local[0], 35.0, 1e-12);
  EXPECT_NEAR(r.gap_province[0], 165.0, 1e-12);
  EXPECT_NEAR(r.management_local[0], 10.0, 1e-12);
  EXPECT_NEAR(r.share[0], 45.0, 1e-12);
  // City 1 (deficit): within 0.2 x 150 = 30; 150..200 at 40 %: 20; 200..300 at 60 %: 60. Local 110.
  EXPECT_EQ(r.band[1], 2);
  EXPECT_NEAR(r.within_local[1], 30.0, 1e-12);
  EXPECT_NEAR(r.excess_local[1], 80.0, 1e-12);
  EXPECT_NEAR(r.gap_local[1], 110.0, 1e-12);
  EXPECT_NEAR(r.gap_province[1], 190.0, 1e-12);
  EXPECT_NEAR(r.share[1], 110.0, 1e-12);
  // City 2 over-completed by 50: half of it returned, nothing to share.
  EXPECT_NEAR(r.reward[2], 25.0, 1e-12);
  EXPECT_EQ(r.gap_local[2], 0.0);
  EXPECT_NEAR(r.share[2], -25.0, 1e-12);
}

TEST(Sharing, WholeExcessAtTheBandReachedAndCap) {
  const cities c{{300.0}, {100.0}, {1000.0}, {0.0}, {0}};
  auto rule = banded();
  rule.marginal = false;
  // The budgeted gap 100 at 20 %, the whole excess 200 at the share of band 2 (60 %): 20 + 120.
  auto r = wb::share_shortfall(c.input(), rule);
  EXPECT_NEAR(r.within_local[0], 20.0, 1e-12);
  EXPECT_NEAR(r.excess_local[0], 120.0, 1e-12);
  EXPECT_NEAR(r.gap_local[0], 140.0, 1e-12);
  // A cap of 10 % of the reference: the city bears at most 100.
  rule.cap = 0.1;
  r = wb::share_shortfall(c.input(), rule);
  EXPECT_NEAR(r.gap_local[0], 100.0, 1e-12);
  EXPECT_NEAR(r.gap_province[0], 200.0, 1e-12);
}

TEST(Sharing, AllLocalRuleHasNoBands) {
  // Ningxia (宁人社发〔2023〕118号): the shortfall borne 100 % locally; the default rule.
  const cities c{{200.0}, {0.0}, {0.0}, {5.0}, {1}};
  const auto r = wb::share_shortfall(c.input(), wb::sharing_rule{});
  EXPECT_EQ(r.band[0], 0);
  EXPECT_TRUE(std::isnan(r.deviation[0]));  // no reference
  EXPECT_NEAR(r.gap_local[0], 200.0, 1e-12);
  EXPECT_EQ(r.gap_province[0], 0.0);
  EXPECT_NEAR(r.share[0], 205.0, 1e-12);
}

TEST(Sharing, RuleAndInputsAreChecked) {
  const cities c{{200.0}, {100.0}, {1000.0}, {0.0}, {1}};
  auto rule = banded();
  rule.bands = {0.10, 0.05};
  EXPECT_THROW((void)wb::share_shortfall(c.input(), rule), wifund::invalid_input);
  rule = banded();
  rule.band_local = {0.4};
  EXPECT_THROW((void)wb::share_shortfall(c.input(), rule), wifund::invalid_input);
  rule = banded();
  rule.local_surplus = 1.5;
  EXPECT_THROW((void)wb::share_shortfall(c.input(), rule), wifund::invalid_input);
  const cities no_ref{{200.0}, {100.0}, {0.0}, {0.0}, {1}};
  EXPECT_THROW((void)wb::share_shortfall(no_ref.input(), banded()), wifund::invalid_input);
}
