// Life tables against published values: SOA Illustrative Life Table (Bowers et al., App. 2A) and
// the anchor values of the China Life Insurance Experience Tables 2010-2013.
#include <gtest/gtest.h>

#include <cmath>

#include "../test_data.hpp"
#include "wifund/life/life_table.hpp"

using wifund::life_table;

namespace {
life_table soa_table() {
  auto cols = wifund::testing::read_csv_columns(std::string(WIFUND_SHARED_DATA_DIR) +
                                                "/soa_illustrative_lx.csv");
  const auto& lx = cols.at("lx");
  std::vector<double> qx(lx.size());
  for (std::size_t k = 0; k + 1 < lx.size(); ++k) qx[k] = 1.0 - lx[k + 1] / lx[k];
  qx.back() = 1.0;
  return life_table("SOA illustrative", 0, qx);
}
}  // namespace

TEST(LifeTable, SoaIllustrativeAnnuityDue65At6Percent) {
  // Bowers et al., App. 2A: ä_65 = 9.89693 at i = 6%.
  EXPECT_NEAR(soa_table().annuity_due(65, 0.06), 9.89693, 5e-6);
}

TEST(LifeTable, SoaIllustrativeWholeLife30At6Percent) {
  // Bowers et al., App. 2A: 1000 A_30 = 102.4835 at i = 6%.
  EXPECT_NEAR(1000.0 * soa_table().whole_life_insurance(30, 0.06), 102.4835, 5e-4);
}

TEST(LifeTable, MthlyAnnuityConventionsAgreeClosely) {
  // UDD and Woolhouse monthly annuities differ by a few thousandths; both are below the annual.
  const auto t = soa_table();
  const double udd = t.annuity_due_mthly(65, 0.06, 12, wifund::FractionalAge::udd);
  const double wh = t.annuity_due_mthly(65, 0.06, 12, wifund::FractionalAge::woolhouse);
  // Woolhouse two-term: ä − 11/24 exactly.
  EXPECT_NEAR(wh, 9.89693 - 11.0 / 24.0, 5e-6);
  // UDD (Bowers 5.4.11): α(12) = 1.000281, β(12) = 0.46811 at 6%.
  EXPECT_NEAR(udd, 1.000281 * 9.89693 - 0.46811, 1e-4);
}

TEST(LifeTable, ChinaLifeAnchors) {
  const auto cl1 = wifund::testing::china_life_table("CL1");
  const auto cl2 = wifund::testing::china_life_table("CL2");
  EXPECT_DOUBLE_EQ(cl1.q(0), 0.000867);
  EXPECT_DOUBLE_EQ(cl2.q(0), 0.000620);
  EXPECT_DOUBLE_EQ(cl1.q(105), 1.0);
  EXPECT_EQ(cl1.max_age(), 105);
  // q increases with age from 12 in every table (domain README, Appendix A).
  for (const char* name : {"CL1", "CL2", "CL3", "CL4", "CL5", "CL6"}) {
    const auto t = wifund::testing::china_life_table(name);
    for (int x = 12; x < 105; ++x) EXPECT_LT(t.q(x), t.q(x + 1)) << name << " age " << x;
  }
  // e_x by two methods: sum of k_p_x and the recursion e_x = p_x (1 + e_{x+1}).
  const double e60 = cl1.curtate_expectancy(60);
  EXPECT_NEAR(e60, (1.0 - cl1.q(60)) * (1.0 + cl1.curtate_expectancy(61)), 1e-12);
}

TEST(LifeTable, LoadAndBadInput) {
  const auto cl1 = wifund::testing::china_life_table("CL1");
  EXPECT_DOUBLE_EQ(cl1.q(50, 2.0), 2.0 * cl1.q(50));
  EXPECT_DOUBLE_EQ(cl1.q(104, 3.0), 1.0);  // capped at 1
  EXPECT_THROW(life_table("bad", 0, {0.1, 1.5, 1.0}), wifund::invalid_input);
  EXPECT_THROW(life_table("bad", 0, {0.1, 0.5}), wifund::invalid_input);
  EXPECT_THROW((void)cl1.annuity_due(60, -1.5), wifund::invalid_input);
}

TEST(LifeTable, FromLxSurvivalAndExpectancy) {
  const auto t = life_table::from_lx("l", 20, {1000.0, 900.0, 600.0, 0.0});
  EXPECT_EQ(t.min_age(), 20);
  EXPECT_EQ(t.max_age(), 23);
  EXPECT_DOUBLE_EQ(t.q_at(21), 1.0 - 600.0 / 900.0);
  EXPECT_DOUBLE_EQ(t.q_at(23), 1.0);
  // UDD: 1.5_p_20 = p_20 (1 − q_21/2); constant force: p_20 p_21^0.5.
  EXPECT_NEAR(t.survival(20, 1.5), 0.9 * (1.0 - 0.5 * (1.0 / 3.0)), 1e-15);
  EXPECT_NEAR(t.survival(20, 1.5, wifund::WithinYear::constant_force), 0.9 * std::sqrt(2.0 / 3.0),
              1e-15);
  EXPECT_DOUBLE_EQ(t.survival(20, 10.0), 0.0);
  EXPECT_NEAR(t.life_expectancy(20, false), 0.9 + 0.6, 1e-15);
  EXPECT_NEAR(t.life_expectancy(20, true), 0.9 + 0.6 + 0.5, 1e-15);  // UDD: e° = e + 1/2
  EXPECT_THROW((void)t.survival(19, 1.0), std::out_of_range);
  EXPECT_THROW((void)life_table::from_lx("l", 0, {1000.0, 1100.0}), wifund::invalid_input);
}
