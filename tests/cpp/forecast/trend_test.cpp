// Log-linear trend, random walk with drift on growth rates, baselines and the rolling-origin back-test.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "wifund/forecast/backtest.hpp"
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

TEST(Backtest, RollingOriginRowsAndDeterminism) {
  std::vector<std::vector<double>> ys = {{}, {}};
  for (int t = 0; t < 16; ++t) {
    ys[0].push_back(100 * std::exp(0.05 * t) * (1 + 0.01 * std::sin(t)));
    ys[1].push_back(50 + 2.0 * t + std::cos(t));
  }
  std::vector<fc::model_kind> models = {fc::parse_model_kind("MAN"), fc::parse_model_kind("naive"),
                                        fc::parse_model_kind("drift")};
  const auto a = fc::rolling_origin(ys, models, 3, 10, 0.9, 7, 1);
  const auto b = fc::rolling_origin(ys, models, 3, 10, 0.9, 7, 2);
  // origins 10..15 -> 3+3+3+3+2+1 = 15 rows per series and model
  ASSERT_EQ(a.size(), 2u * 3u * 15u);
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].forecast, b[i].forecast);
    EXPECT_EQ(a[i].upper, b[i].upper);
  }
  // the naive forecast of origin 10 is y[9]
  EXPECT_DOUBLE_EQ(a[15].forecast, ys[0][9]);
  EXPECT_THROW((void)fc::parse_model_kind("ARIMA"), wifund::invalid_input);
  EXPECT_THROW((void)fc::rolling_origin(ys, models, 3, 16, 0.9, 7), wifund::invalid_input);
}

TEST(Backtest, ConstantTrainingWindowHasNoMaseScale) {
  const std::vector<fc::model_kind> naive = {fc::parse_model_kind("naive")};
  for (double v : {5.0, 0.0}) {
    const std::vector<std::vector<double>> ys = {std::vector<double>(15, v)};
    try {
      (void)fc::rolling_origin(ys, naive, 3, 8, 0.9, 7);
      FAIL() << "no error";
    } catch (const wifund::invalid_input& e) {
      EXPECT_NE(std::string(e.what()).find("series 0 y[0..7] = "), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("MASE scale"), std::string::npos) << e.what();
    }
  }
  // Constant only after the first window: every window has a positive scale.
  std::vector<double> y(15, 5.0);
  y[0] = 4.0;
  EXPECT_EQ(fc::rolling_origin({y}, naive, 3, 8, 0.9, 7).size(), 3u + 3u + 3u + 3u + 3u + 2u + 1u);
  EXPECT_THROW((void)fc::rolling_origin({y}, naive, 0, 8, 0.9, 7), wifund::invalid_input);
  EXPECT_THROW((void)fc::rolling_origin({y}, naive, 3, 8, 1.5, 7), wifund::invalid_input);
  EXPECT_THROW((void)fc::loglinear_forecast(fc::fit_loglinear_trend(std::vector<double>{1, 2, 4, 8}), 0),
               wifund::invalid_input);
}
