// Log-linear trend, random walk with drift on growth rates and the baselines (forecast/trend.hpp).
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "wifund/forecast/trend.hpp"

namespace fc = wifund::forecast;

TEST(LogLinearTrend, RecoversGrowthAndUsesStudentT) {
  std::vector<double> y;
  for (int t = 0; t < 10; ++t) y.push_back(50.0 * std::exp(0.06 * t + 0.01 * ((t % 3) - 1)));
  const auto r = fc::fit_loglinear_trend(y);
  EXPECT_NEAR(r.slope, 0.06, 2e-3);
  const auto f = fc::loglinear_forecast(r, 2, 0.95);
  const double t975 = 2.306004135204166;  // Student t, 8 degrees of freedom
  const double t_new = 10.0;
  const double se = r.sigma * std::sqrt(1 + 0.1 + (t_new - 4.5) * (t_new - 4.5) / r.sxx);
  EXPECT_NEAR(std::log(f.upper[0]) - std::log(f.mean[0]), t975 * se, 1e-9);
  EXPECT_NEAR(f.mean[0], std::exp(r.intercept + r.slope * 10), 1e-9);
}

TEST(GrowthRandomWalk, DriftAndVariance) {
  const std::vector<double> y = {100, 105, 111, 116, 122};
  const auto r = fc::fit_growth_rw(y);
  EXPECT_NEAR(r.drift, std::log(122.0 / 100.0) / 4, 1e-14);
  const auto f = fc::growth_rw_forecast(r, 2, 0.8);
  EXPECT_NEAR(f.mean[1], 122 * std::exp(2 * r.drift), 1e-9);
  const double z = 1.2815515655446004;
  EXPECT_NEAR(std::log(f.upper[1] / f.mean[1]), z * r.sigma * std::sqrt(2 * (1 + 2.0 / 4)), 1e-12);
  EXPECT_THROW((void)fc::fit_growth_rw(std::vector<double>{1.0, 0.0, 2.0}), wifund::invalid_input);
}

TEST(Baselines, NaiveAndDrift) {
  const std::vector<double> y = {1, 3, 4, 7};
  const auto n = fc::naive_forecast(y, 2);
  EXPECT_DOUBLE_EQ(n.mean[1], 7.0);
  const auto d = fc::drift_forecast(y, 2);
  EXPECT_DOUBLE_EQ(d.mean[0], 9.0);
  EXPECT_DOUBLE_EQ(d.mean[1], 11.0);
}
