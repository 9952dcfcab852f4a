// Reserve rule and roll-forward helpers, by hand.
#include <gtest/gtest.h>

#include "wifund/fund/reserve.hpp"
#include "wifund/fund/roll_forward.hpp"

using namespace wifund;

TEST(Reserve, GrowsToCapAndStaysInsideBalance) {
  const reserve_rule rule{0.10, ReserveBase::contributions, 0.30};
  EXPECT_DOUBLE_EQ(reserve_update(0, rule, 1000, 5000), 100);     // 10% of 1,000
  EXPECT_DOUBLE_EQ(reserve_update(250, rule, 1000, 5000), 300);   // capped at 30% of 1,000
  EXPECT_DOUBLE_EQ(reserve_update(500, rule, 1000, 5000), 300);   // cap falls: released to the balance
  EXPECT_DOUBLE_EQ(reserve_update(200, rule, 1000, 150), 150);    // never above the balance
  EXPECT_DOUBLE_EQ(reserve_update(200, rule, 1000, -80), 0);      // a deficit uses the reserve up
}

TEST(RollForward, InterestAndMonths) {
  EXPECT_DOUBLE_EQ(interest_mid_year(0.02, 1000, 200), 0.02 * 1100);
  // Xinjiang Corps 2018 check: 5.88 / (2.50 / 12) = 28.2 months (domain notes §4.4).
  EXPECT_NEAR(months_of_payment(5.88, 2.50, 2018), 28.224, 1e-9);
  EXPECT_THROW((void)months_of_payment(1, 0, 2030), invalid_input);
}
