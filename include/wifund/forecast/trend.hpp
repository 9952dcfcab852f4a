#pragma once
// Two simple growth models for economic assumption series (wages, employment, coverage), with
// prediction intervals, and the two baselines every forecast is compared with in back-tests.
//   * log-linear trend: log y_t = a + b t + e_t, OLS; intervals from Student's t with n - 2
//     degrees of freedom including parameter uncertainty; point forecast exp(a + b t), i.e. the
//     median on the original scale (no log-normal mean correction: wage paths are quoted as
//     medians).
//   * random walk with drift on growth rates: g_t = log(y_t / y_{t-1}) iid N(mu, sigma^2);
//     log y_{n+h} = log y_n + h mu, variance sigma^2 h (1 + h / m) with m growth rates (the drift's
//     estimation error, as R's rwf(drift = TRUE)); normal intervals on the log scale.
//   * naive (last value) and drift (straight line from the first to the last value) on levels,
//     Hyndman & Athanasopoulos FPP3 sec. 5.2/5.5, with their interval formulas.
#include <cmath>
#include <span>
#include <string>
#include <string_view>

#include "wifund/core/checks.hpp"
#include "wifund/core/errors.hpp"
#include "wifund/core/types.hpp"
#include "wifund/forecast/interval.hpp"

namespace wifund::forecast {

namespace detail {
/// Checks length, finiteness and (optionally) positivity of a series.
inline void check_series(std::string_view fn, std::span<const double> y, std::size_t min_n,
                         bool positive) {
  if (y.size() < min_n)
    throw invalid_input(std::string(fn) + ": series has " + std::to_string(y.size()) +
                        " observations; needs at least " + std::to_string(min_n));
  for (std::size_t t = 0; t < y.size(); ++t) {
    if (!std::isfinite(y[t]))
      throw invalid_input(
          check_message(fn, "y[" + std::to_string(t) + "]", y[t],
                        "is not finite (missing values inside a series are not allowed)"));
    if (positive && !(y[t] > 0.0))
      throw invalid_input(check_message(fn, "y[" + std::to_string(t) + "]", y[t],
                                        "must be > 0 (the model works on logs)"));
  }
}

/// mean +- q * sd, optionally exponentiated (models fitted on logs).
inline forecast_interval make_interval(const Vector& mean, const Vector& sd, double q, double level,
                                       bool exponentiate) {
  forecast_interval f;
  f.level = level;
  f.mean = mean;
  f.lower = mean - q * sd;
  f.upper = mean + q * sd;
  if (exponentiate) {
    f.mean = f.mean.array().exp();
    f.lower = f.lower.array().exp();
    f.upper = f.upper.array().exp();
  }
  return f;
}
}  // namespace detail

/// OLS fit of log y on t = 0..n-1.
struct loglinear_trend_result {
  double intercept = 0.0, slope = 0.0;
  double sigma = 0.0;  // residual standard deviation on the log scale, n - 2 degrees of freedom
  int nobs = 0;
  double tbar = 0.0, sxx = 0.0;
  Vector fitted;  // exp(a + b t)
  /// Annual growth rate implied by the slope: exp(b) - 1.
  [[nodiscard]] double growth() const { return std::expm1(slope); }
};

inline loglinear_trend_result fit_loglinear_trend(std::span<const double> y) {
  detail::check_series("loglinear_trend", y, 3, true);
  const auto n = static_cast<int>(y.size());
  loglinear_trend_result r;
  r.nobs = n;
  r.tbar = 0.5 * (n - 1);
  double lbar = 0.0;
  for (double v : y) lbar += std::log(v);
  lbar /= n;
  double sxy = 0.0;
  for (int t = 0; t < n; ++t) {
    r.sxx += (t - r.tbar) * (t - r.tbar);
    sxy += (t - r.tbar) * (std::log(y[static_cast<std::size_t>(t)]) - lbar);
  }
  r.slope = sxy / r.sxx;
  r.intercept = lbar - r.slope * r.tbar;
  double ss = 0.0;
  r.fitted.resize(n);
  for (int t = 0; t < n; ++t) {
    const double fit = r.intercept + r.slope * t;
    const double e = std::log(y[static_cast<std::size_t>(t)]) - fit;
    ss += e * e;
    r.fitted[t] = std::exp(fit);
  }
  r.sigma = std::sqrt(ss / (n - 2));
  return r;
}

/// Forecasts for t = n..n+steps-1 with the OLS prediction interval on the log scale.
inline forecast_interval loglinear_forecast(const loglinear_trend_result& r, int steps,
                                            double level = 0.95) {
  check_in_range("loglinear_forecast", "steps", steps, 1, 100000);
  const double q = student_quantile("loglinear_forecast", level, r.nobs - 2.0);
  Vector mean(steps), sd(steps);
  for (int h = 0; h < steps; ++h) {
    const double t = r.nobs + h;
    mean[h] = r.intercept + r.slope * t;
    sd[h] = r.sigma * std::sqrt(1.0 + 1.0 / r.nobs + (t - r.tbar) * (t - r.tbar) / r.sxx);
  }
  return detail::make_interval(mean, sd, q, level, true);
}

/// Random walk with drift on log growth rates.
struct growth_rw_result {
  double drift = 0.0;  // mean log growth rate mu
  double sigma = 0.0;  // standard deviation of the log growth rates (ddof = 1)
  int nobs = 0;        // number of growth rates m = n - 1
  double last = 0.0;   // y_n, the anchor
  /// Annual growth rate implied by the drift: exp(mu) - 1.
  [[nodiscard]] double growth() const { return std::expm1(drift); }
};

inline growth_rw_result fit_growth_rw(std::span<const double> y) {
  detail::check_series("growth_random_walk", y, 3, true);
  growth_rw_result r;
  const std::size_t m = y.size() - 1;
  r.nobs = static_cast<int>(m);
  for (std::size_t t = 1; t < y.size(); ++t) r.drift += std::log(y[t] / y[t - 1]);
  r.drift /= static_cast<double>(m);
  double ss = 0.0;
  for (std::size_t t = 1; t < y.size(); ++t) {
    const double d = std::log(y[t] / y[t - 1]) - r.drift;
    ss += d * d;
  }
  r.sigma = std::sqrt(ss / static_cast<double>(m - 1));
  r.last = y.back();
  return r;
}

inline forecast_interval growth_rw_forecast(const growth_rw_result& r, int steps,
                                            double level = 0.95) {
  check_in_range("growth_rw_forecast", "steps", steps, 1, 100000);
  const double q = normal_quantile("growth_rw_forecast", level);
  Vector mean(steps), sd(steps);
  for (int h = 1; h <= steps; ++h) {
    mean[h - 1] = std::log(r.last) + h * r.drift;
    sd[h - 1] = r.sigma * std::sqrt(h * (1.0 + static_cast<double>(h) / r.nobs));
  }
  return detail::make_interval(mean, sd, q, level, true);
}

/// Naive forecast (last value) with sigma^2 = mean squared one-step change, variance h sigma^2.
inline forecast_interval naive_forecast(std::span<const double> y, int steps, double level = 0.95) {
  detail::check_series("naive", y, 2, false);
  check_in_range("naive", "steps", steps, 1, 100000);
  double ss = 0.0;
  for (std::size_t t = 1; t < y.size(); ++t) ss += (y[t] - y[t - 1]) * (y[t] - y[t - 1]);
  const double sigma = std::sqrt(ss / static_cast<double>(y.size() - 1));
  Vector mean = Vector::Constant(steps, y.back()), sd(steps);
  for (int h = 1; h <= steps; ++h) sd[h - 1] = sigma * std::sqrt(static_cast<double>(h));
  return detail::make_interval(mean, sd, normal_quantile("naive", level), level, false);
}

/// Drift forecast y_n + h (y_n - y_1)/(n - 1), variance sigma^2 h (1 + h/(n - 1)) (FPP3 Table 5.2).
inline forecast_interval drift_forecast(std::span<const double> y, int steps, double level = 0.95) {
  detail::check_series("drift", y, 3, false);
  check_in_range("drift", "steps", steps, 1, 100000);
  const double m = static_cast<double>(y.size() - 1);
  const double c = (y.back() - y.front()) / m;
  double ss = 0.0;
  for (std::size_t t = 1; t < y.size(); ++t) ss += (y[t] - y[t - 1] - c) * (y[t] - y[t - 1] - c);
  const double sigma = std::sqrt(ss / (m - 1.0));
  Vector mean(steps), sd(steps);
  for (int h = 1; h <= steps; ++h) {
    mean[h - 1] = y.back() + h * c;
    sd[h - 1] = sigma * std::sqrt(h * (1.0 + h / m));
  }
  return detail::make_interval(mean, sd, normal_quantile("drift", level), level, false);
}

}  // namespace wifund::forecast
