// Rolling-origin back-testing (forecast/backtest.hpp).
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "wifund/forecast/backtest.hpp"
#include "wifund/forecast/trend.hpp"

namespace fc = wifund::forecast;

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
  EXPECT_THROW(
      (void)fc::loglinear_forecast(fc::fit_loglinear_trend(std::vector<double>{1, 2, 4, 8}), 0),
      wifund::invalid_input);
}
