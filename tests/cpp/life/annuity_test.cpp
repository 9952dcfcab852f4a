// Annuities and assurances (annuity.hpp) against the SOA Illustrative Life Table values (Bowers et
// al., App. 2A), term-by-term sums on the CL tables, the UDD closed form and the standard
// identities.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "../test_data.hpp"
#include "wifund/life/annuity.hpp"

using wifund::annuity;
using wifund::annuity_options;
using wifund::FractionalAge;
using wifund::life_table;

namespace {
life_table soa() {
  auto cols = wifund::testing::read_csv_columns(std::string(WIFUND_SHARED_DATA_DIR) +
                                                "/soa_illustrative_lx.csv");
  return life_table::from_lx("SOA", 0, cols.at("lx"));
}
double rel(double a, double b) { return std::abs(a - b) / std::abs(b); }
}  // namespace

TEST(Annuity, SoaPublishedValues) {
  const auto t = soa();
  EXPECT_LT(rel(annuity(t, 65, 0.06), 9.89693), 1e-6);
  EXPECT_LT(rel(1000.0 * wifund::whole_life_assurance(t, 30, 0.06), 102.4835), 1e-6);
}

TEST(Annuity, TermByTermOnChinaLife) {
  const auto t = wifund::testing::china_life_table("CL5");
  // Temporary 20-year, deferred 5 years, immediate: sum_{k=6}^{25} v^k k_p_60.
  double v = 1.0 / 1.03, p = 1.0, disc = 1.0, expect = 0.0;
  for (int k = 0; k <= 25; ++k) {
    if (k >= 6) expect += disc * p;
    p *= 1.0 - t.q(60 + k);
    disc *= v;
  }
  annuity_options o;
  o.term = 20;
  o.deferral = 5;
  o.immediate = true;
  EXPECT_LT(rel(annuity(t, 60, 0.03, o), expect), 1e-12);
}

TEST(Annuity, UddClosedFormAndWoolhouse) {
  const auto t = soa();
  const double i = 0.06, d = i / 1.06, im = 12 * (std::pow(1.06, 1.0 / 12) - 1),
               dm = 12 * (1 - std::pow(1.06, -1.0 / 12));
  const double alpha = i * d / (im * dm), beta = (i - im) / (im * dm);
  annuity_options o;
  o.m = 12;
  EXPECT_LT(rel(annuity(t, 65, i, o), alpha * annuity(t, 65, i) - beta), 1e-12);
  o.method = FractionalAge::woolhouse;
  EXPECT_LT(rel(annuity(t, 65, i, o), annuity(t, 65, i) - 11.0 / 24.0), 1e-12);
  o.method = FractionalAge::woolhouse3;
  o.m = 12;
  annuity_options u;
  u.m = 12;
  // Three-term Woolhouse is within 5e-4 of UDD here, much closer than the two-term formula (7e-3).
  EXPECT_NEAR(annuity(t, 65, i, o), annuity(t, 65, i, u), 1e-3);
  EXPECT_LT(std::abs(annuity(t, 65, i, o) - annuity(t, 65, i, u)),
            std::abs(annuity(t, 65, i) - 11.0 / 24.0 - annuity(t, 65, i, u)) / 10.0);
}

TEST(Annuity, EscalationKeepsMortality) {
  const auto t = wifund::testing::china_life_table("CL1");
  annuity_options o;
  o.escalation = 0.02;
  o.m = 12;
  annuity_options level;
  level.m = 12;
  EXPECT_LT(rel(annuity(t, 55, 0.05, o), annuity(t, 55, 1.05 / 1.02 - 1.0, level)), 1e-12);
}

TEST(Annuity, IdentitiesAndZeroRate) {
  const auto t = wifund::testing::china_life_table("CL2");
  const double i = 0.035, d = i / (1 + i);
  EXPECT_NEAR(wifund::whole_life_assurance(t, 40, i), 1.0 - d * annuity(t, 40, i), 1e-13);
  annuity_options tmp, def;
  tmp.term = 15;
  def.deferral = 15;
  for (auto m : {1, 4, 12}) {
    tmp.m = def.m = m;
    annuity_options whole;
    whole.m = m;
    EXPECT_NEAR(annuity(t, 40, i, tmp) + annuity(t, 40, i, def), annuity(t, 40, i, whole), 1e-12);
  }
  // i = 0: α = 1, β = (m−1)/(2m); the limit is continuous.
  annuity_options m12;
  m12.m = 12;
  EXPECT_NEAR(annuity(t, 40, 0.0, m12), annuity(t, 40, 1e-9, m12), 1e-6);
  EXPECT_NEAR(annuity(t, 40, 0.0, m12), annuity(t, 40, 0.0) - 11.0 / 24.0, 1e-12);
}

TEST(Annuity, BadInput) {
  const auto t = wifund::testing::china_life_table("CL1");
  EXPECT_THROW((void)annuity(t, 130, 0.03), std::out_of_range);
  EXPECT_THROW((void)annuity(t, 60, -1.0), wifund::invalid_input);
  annuity_options o;
  o.m = 5;
  EXPECT_THROW((void)annuity(t, 60, 0.03, o), wifund::invalid_input);
  o.m = 1;
  o.term = -1;
  EXPECT_THROW((void)annuity(t, 60, 0.03, o), wifund::invalid_input);
  try {
    (void)annuity(t, 130, 0.03);
  } catch (const std::out_of_range& e) {
    EXPECT_STREQ(e.what(), "annuity_due: x = 130 is outside the table 'CL1' [0, 105]");
  }
}
