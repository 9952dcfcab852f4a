// Variance decomposition (budget/decompose.hpp): Shapley and LMDI-I against hand calculations.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "wifund/budget/decompose.hpp"

namespace wb = wifund::budget;

TEST(Shapley, TwoFactorsByHand) {
  // V = x1 x2 from (2, 3) to (4, 5): V0 = 6, V1 = 20. With V(S) taking x1 for the factors in S,
  // V({}) = 6, V({1}) = 12, V({2}) = 10, V({1, 2}) = 20, and each order has weight 1/2:
  // phi_1 = ((12 - 6) + (20 - 10)) / 2 = 8, phi_2 = ((10 - 6) + (20 - 12)) / 2 = 6.
  const double x0[] = {2.0, 3.0}, x1[] = {4.0, 5.0};
  const auto phi = wb::shapley_multiplicative(x0, x1, 1, 2);
  ASSERT_EQ(phi.size(), 2u);
  EXPECT_NEAR(phi[0], 8.0, 1e-12);
  EXPECT_NEAR(phi[1], 6.0, 1e-12);
}

TEST(Shapley, ThreeFactorsWithAZeroByHand) {
  // From (1, 1, 1) to (2, 3, 0): V0 = 1, V1 = 0. Weights |S|! (K - |S| - 1)! / K! = 1/3, 1/6, 1/3.
  // phi_1 = 1/3 (2 - 1) + 1/6 (6 - 3) + 1/6 (0 - 0) + 1/3 (0 - 0) = 5/6
  // phi_2 = 1/3 (3 - 1) + 1/6 (6 - 2) + 0 + 0 = 4/3
  // phi_3 = 1/3 (0 - 1) + 1/6 (0 - 2) + 1/6 (0 - 3) + 1/3 (0 - 6) = -19/6; the sum is -1 = V1 - V0.
  // A second unit (row) is decomposed on its own: (1, 1, 1) to (1, 1, 1) gives zeros.
  const double x0[] = {1.0, 1.0, 1.0, 1.0, 1.0, 1.0}, x1[] = {2.0, 3.0, 0.0, 1.0, 1.0, 1.0};
  const auto phi = wb::shapley_multiplicative(x0, x1, 2, 3);
  ASSERT_EQ(phi.size(), 6u);
  EXPECT_NEAR(phi[0], 5.0 / 6.0, 1e-12);
  EXPECT_NEAR(phi[1], 4.0 / 3.0, 1e-12);
  EXPECT_NEAR(phi[2], -19.0 / 6.0, 1e-12);
  for (int j = 3; j < 6; ++j) EXPECT_EQ(phi[static_cast<std::size_t>(j)], 0.0);
}

TEST(Shapley, FactorCountAndValuesAreChecked) {
  const std::vector<double> x(21, 1.0);
  EXPECT_THROW((void)wb::shapley_multiplicative(x.data(), x.data(), 1, 21), wifund::invalid_input);
  EXPECT_THROW((void)wb::shapley_multiplicative(x.data(), x.data(), 1, 0), wifund::invalid_input);
  const double bad[] = {1.0, std::nan("")};
  EXPECT_THROW((void)wb::shapley_multiplicative(x.data(), bad, 1, 2), wifund::invalid_input);
}

TEST(Lmdi, TwoFactorsByHand) {
  // phi_k = L(V1, V0) ln(x1_k / x0_k) with L(20, 6) = 14 / ln(20 / 6):
  // phi_1 = 14 ln 2 / ln(10/3) = 8.060032994908228, phi_2 = 14 ln(5/3) / ln(10/3)
  // = 5.93996700509177.
  const double x0[] = {2.0, 3.0}, x1[] = {4.0, 5.0};
  const auto phi = wb::lmdi_multiplicative(x0, x1, 1, 2);
  EXPECT_NEAR(phi[0], 8.060032994908228, 1e-12);
  EXPECT_NEAR(phi[1], 5.93996700509177, 1e-12);
  EXPECT_NEAR(phi[0] + phi[1], 14.0, 1e-12);
}

TEST(Lmdi, LogMeanAndPositiveFactors) {
  EXPECT_EQ(wb::log_mean(3.0, 3.0), 3.0);
  EXPECT_NEAR(wb::log_mean(std::numbers::e, 1.0), std::numbers::e - 1.0, 1e-15);  // (e - 1) / ln e
  EXPECT_NEAR(wb::log_mean(1.0 + 1e-12, 1.0), 1.0 + 5e-13, 1e-15);  // ~ the arithmetic mean
  const double x0[] = {1.0, 2.0}, x1[] = {1.0, 0.0};
  try {
    (void)wb::lmdi_multiplicative(x0, x1, 1, 2);
    FAIL();
  } catch (const wifund::invalid_input& e) {
    EXPECT_NE(std::string(e.what()).find("unit 0, factor 1"), std::string::npos) << e.what();
  }
}
