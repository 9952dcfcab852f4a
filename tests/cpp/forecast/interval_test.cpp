// The quantiles of the central prediction intervals (forecast/interval.hpp), against closed forms.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <string>

#include "wifund/forecast/interval.hpp"

namespace fc = wifund::forecast;

TEST(Interval, NormalQuantileIsTwoSided) {
  // P(|Z| <= 1.959963984540054) = 0.95 (the 97.5 % point of the standard normal).
  EXPECT_NEAR(fc::normal_quantile("t", 0.95), 1.959963984540054, 1e-12);
  // Level 0.6827 is about one standard deviation; P(|Z| <= 1) = erf(1 / sqrt 2).
  EXPECT_NEAR(fc::normal_quantile("t", std::erf(1.0 / std::numbers::sqrt2)), 1.0, 1e-12);
}

TEST(Interval, StudentQuantileClosedForms) {
  // df = 1 is the Cauchy distribution: t = tan(pi (p - 1/2)) with p = 0.5 + level / 2.
  EXPECT_NEAR(fc::student_quantile("t", 0.95, 1.0), std::tan(std::numbers::pi * 0.475), 1e-9);
  // df = 2: t = (2p - 1) / sqrt(2 p (1 - p)); p = 0.975 gives 0.95 / sqrt(0.04875) = 4.30265...
  EXPECT_NEAR(fc::student_quantile("t", 0.95, 2.0), 0.95 / std::sqrt(2 * 0.975 * 0.025), 1e-9);
  // Many degrees of freedom: the normal quantile.
  EXPECT_NEAR(fc::student_quantile("t", 0.95, 1e9), fc::normal_quantile("t", 0.95), 1e-6);
}

TEST(Interval, LevelAndDegreesOfFreedomAreChecked) {
  for (const double level : {0.0, 1.0, -0.5, std::nan("")}) {
    EXPECT_THROW((void)fc::normal_quantile("fit", level), wifund::invalid_input);
    EXPECT_THROW((void)fc::student_quantile("fit", level, 5.0), wifund::invalid_input);
  }
  try {
    (void)fc::student_quantile("fit", 0.9, 0.0);
    FAIL();
  } catch (const wifund::invalid_input& e) {
    EXPECT_NE(std::string(e.what()).find("degrees of freedom"), std::string::npos) << e.what();
  }
}
