// Reserve rule and roll-forward helpers, by hand.
#include <gtest/gtest.h>

#include "wifund/fund/reserve.hpp"
#include "wifund/fund/roll_forward.hpp"

using namespace wifund;

TEST(Reserve, GrowsToCapAndStaysInsideBalance) {
  const reserve_rule rule{0.10, ReserveBase::contributions, 0.30};
  EXPECT_DOUBLE_EQ(reserve_update(0, rule, 1000, 5000), 100);    // 10% of 1,000
  EXPECT_DOUBLE_EQ(reserve_update(250, rule, 1000, 5000), 300);  // capped at 30% of 1,000
  EXPECT_DOUBLE_EQ(reserve_update(500, rule, 1000, 5000),
                   300);  // cap falls: released to the balance
  EXPECT_DOUBLE_EQ(reserve_update(200, rule, 1000, 150), 150);  // never above the balance
  EXPECT_DOUBLE_EQ(reserve_update(200, rule, 1000, -80), 0);    // a deficit uses the reserve up
}

TEST(RollForward, InterestAndMonths) {
  EXPECT_DOUBLE_EQ(interest_mid_year(0.02, 1000, 200), 0.02 * 1100);
  // Xinjiang Corps 2018 check: 5.88 / (2.50 / 12) = 28.2 months (domain notes §4.4).
  EXPECT_NEAR(months_of_payment(5.88, 2.50, 2018), 28.224, 1e-9);
  EXPECT_THROW((void)months_of_payment(1, 0, 2030), invalid_input);
}

TEST(Reserve, ExpenditureBaseOverTwoYearsBy72Hao) {
  // 人社部发〔2015〕72号 §6: sized on expenditure. Ratio 10% a year, cap 20% of the year's
  // expenditure. Year 1: expenditure 1,000 -> 0 + 100 = 100 (cap 200). Year 2: expenditure 1,200 ->
  // 100 + 120 = 220, capped at 20% x 1,200 = 240, so 220. Year 3: expenditure 900 -> min(220 + 90,
  // 180) = 180.
  const reserve_rule rule{0.10, ReserveBase::expenditure, 0.20, true};
  const double y1 = reserve_update(0, rule, 1000, 5000);
  EXPECT_DOUBLE_EQ(y1, 100);
  const double y2 = reserve_update(y1, rule, 1200, 5000);
  EXPECT_DOUBLE_EQ(y2, 220);
  EXPECT_DOUBLE_EQ(reserve_update(y2, rule, 900, 5000), 180);
}

TEST(Reserve, ShareOfBalanceByArt13) {
  // 条例 Art. 13 form: the reserve is 15% of the year-end balance; a deficit leaves none.
  const reserve_rule rule{0.15, ReserveBase::balance, unset, true};
  EXPECT_DOUBLE_EQ(reserve_update(999, rule, 0, 4000), 600);
  EXPECT_DOUBLE_EQ(reserve_update(999, rule, 0, -10), 0);
}

TEST(Reserve, MajorAccidentIsPaidFromTheReserveFirst) {
  EXPECT_DOUBLE_EQ(reserve_use(300, 120), 120);  // all from the reserve
  EXPECT_DOUBLE_EQ(reserve_use(300, 500),
                   300);  // the reserve is used up, the rest from the balance
  EXPECT_DOUBLE_EQ(reserve_use(300, 0), 0);
}

TEST(FiscalAdvance, BalanceNeverNegativeAndRepaidFromSurpluses) {
  // Year 1: balance before the advance -250 -> the government advances 250, balance 0, owed 250.
  auto a = fiscal_advance(-250, -400, 0, true);
  EXPECT_DOUBLE_EQ(a.advance, 250);
  EXPECT_DOUBLE_EQ(a.repayment, 0);
  EXPECT_DOUBLE_EQ(a.outstanding, 250);
  // Year 2: surplus 100 from a zero opening -> all of it repays, owed 150, balance 0.
  a = fiscal_advance(100, 100, 250, true);
  EXPECT_DOUBLE_EQ(a.repayment, 100);
  EXPECT_DOUBLE_EQ(a.outstanding, 150);
  // Year 3: surplus 400 -> repays the 150 left, the balance keeps 250.
  a = fiscal_advance(400, 400, 150, true);
  EXPECT_DOUBLE_EQ(a.repayment, 150);
  EXPECT_DOUBLE_EQ(a.outstanding, 0);
  // A deficit year with a positive balance after it repays nothing.
  a = fiscal_advance(50, -20, 150, true);
  EXPECT_DOUBLE_EQ(a.repayment, 0);
  EXPECT_DOUBLE_EQ(a.outstanding, 150);
  // Not repaid (财政补贴): nothing is carried.
  a = fiscal_advance(-250, -400, 0, false);
  EXPECT_DOUBLE_EQ(a.advance, 250);
  EXPECT_DOUBLE_EQ(a.outstanding, 0);
}

TEST(RollForward, NoInterestOnANegativeBalance) {
  EXPECT_DOUBLE_EQ(interest_mid_year(0.02, -100, 50), 0.0);   // mid-year balance -75
  EXPECT_DOUBLE_EQ(interest_mid_year(0.02, 100, -300), 0.0);  // mid-year balance -50
  EXPECT_DOUBLE_EQ(interest_mid_year(0.02, 100, -100), 0.02 * 50);
}
