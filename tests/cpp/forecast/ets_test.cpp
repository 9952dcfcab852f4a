// The ETS recursions and forecasts (forecast/ets.hpp): hand-computed smoothing, the likelihood,
// point forecasts with analytic and simulated variance.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "wifund/forecast/ets.hpp"

namespace fc = wifund::forecast;
using E = fc::error_type;
using T = fc::trend_type;

TEST(EtsRecursion, SimpleExponentialSmoothingByHand) {
  // ANN, alpha = 0.5, l_{-1} = 1 on y = 1, 2, 3: yhat = 1, 1, 1.5; errors 0, 1, 1.5.
  const std::vector<double> y = {1.0, 2.0, 3.0};
  const auto r = fc::ets_filter({E::additive, T::none, false}, {0.5, 0.0, 1.0, 1.0, 0.0}, y);
  EXPECT_DOUBLE_EQ(r.fitted[1], 1.0);
  EXPECT_DOUBLE_EQ(r.fitted[2], 1.5);
  const double mse = (0.0 + 1.0 + 2.25) / 3.0;
  EXPECT_NEAR(r.mse, mse, 1e-15);
  EXPECT_NEAR(r.loglik, -1.5 * (std::log(2.0 * std::numbers::pi * mse) + 1.0), 1e-12);
}

TEST(EtsRecursion, MultiplicativeErrorLikelihoodSubtractsLogPredictions) {
  const std::vector<double> y = {10.0, 11.0, 12.5, 13.0};
  const fc::ets_params p{0.3, 0.1, 1.0, 9.5, 0.8};
  const auto add = fc::ets_filter({E::additive, T::additive, false}, p, y);
  const auto mul = fc::ets_filter({E::multiplicative, T::additive, false}, p, y);
  // Same smoothing equations, same one-step predictions.
  for (int t = 0; t < 4; ++t) EXPECT_DOUBLE_EQ(add.fitted[t], mul.fitted[t]);
  double sse = 0.0, slog = 0.0;
  for (int t = 0; t < 4; ++t) {
    const double e = (y[static_cast<std::size_t>(t)] - mul.fitted[t]) / mul.fitted[t];
    sse += e * e;
    slog += std::log(mul.fitted[t]);
  }
  EXPECT_NEAR(mul.loglik, -2.0 * (std::log(2.0 * std::numbers::pi * sse / 4.0) + 1.0) - slog,
              1e-12);
}

TEST(EtsForecast, DampedTrendPointForecastsAndAnalyticVariance) {
  const fc::ets_spec spec{E::additive, T::additive, true};
  const fc::ets_params p{0.6, 0.2, 0.9, 0.0, 0.0};
  const auto f = fc::ets_point_forecast(spec, p, 100.0, 2.0, 3);
  EXPECT_NEAR(f[0], 100.0 + 0.9 * 2.0, 1e-12);
  EXPECT_NEAR(f[2], 100.0 + (0.9 + 0.81 + 0.729) * 2.0, 1e-12);
  // statsmodels' closed form for AAdN (Hyndman et al. 2008, Table 6.1).
  const auto v = fc::ets_analytic_variance(spec, p, 1.0, 6);
  const double a = 0.6, b = 0.2, phi = 0.9;
  for (int h = 1; h <= 6; ++h) {
    const double closed =
        1 + a * a * (h - 1) + (b * phi * h) / std::pow(1 - phi, 2) * (2 * a * (1 - phi) + b * phi) -
        (b * phi * (1 - std::pow(phi, h))) / (std::pow(1 - phi, 2) * (1 - phi * phi)) *
            (2 * a * (1 - phi * phi) + b * phi * (1 + 2 * phi - std::pow(phi, h)));
    EXPECT_NEAR(v[h - 1], closed, 1e-10 * closed) << "h = " << h;
  }
  EXPECT_THROW(fc::ets_analytic_variance({E::multiplicative, T::additive, false}, p, 1.0, 3),
               wifund::invalid_input);
}

TEST(EtsForecast, SimulationMatchesAnalyticVarianceAndIsSeeded) {
  const fc::ets_spec spec{E::additive, T::additive, false};
  const fc::ets_params p{0.5, 0.1, 1.0, 0.0, 0.0};
  const auto paths = fc::ets_simulate(spec, p, 50.0, 1.0, 2.0, 5, 200000, 42);
  const auto v = fc::ets_analytic_variance(spec, p, 4.0, 5);
  for (int h = 0; h < 5; ++h) {
    const double mean = paths.row(h).mean();
    const double var =
        (paths.row(h).array() - mean).square().sum() / static_cast<double>(paths.cols() - 1);
    EXPECT_NEAR(var / v[h], 1.0, 0.02) << "h = " << h + 1;
  }
  EXPECT_EQ(paths, fc::ets_simulate(spec, p, 50.0, 1.0, 2.0, 5, 200000, 42));
}
