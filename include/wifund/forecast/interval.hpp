#pragma once
// Point forecasts with prediction intervals: the one result type shared by every forecasting
// model of wifund::forecast (ETS, log-linear trend, random walk with drift, baselines), so that
// back-testing and the projection can treat them alike.
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <string_view>

#include "wifund/core/checks.hpp"
#include "wifund/core/types.hpp"

namespace wifund::forecast {

/// Forecasts for h = 1..steps with a central prediction interval at `level`.
struct forecast_interval {
  Vector mean;   // point forecast
  Vector lower;  // lower bound of the central interval
  Vector upper;  // upper bound
  double level = 0.95;
  bool simulated = false;  // true when the bounds are quantiles of simulated paths
};

/// Two-sided standard-normal quantile z with P(|Z| <= z) = level.
inline double normal_quantile(std::string_view function, double level) {
  if (!(level > 0.0 && level < 1.0))
    throw invalid_input(
        check_message(function, "level", level, "must lie strictly between 0 and 1"));
  return boost::math::quantile(boost::math::normal_distribution<double>(), 0.5 + 0.5 * level);
}

/// Two-sided Student-t quantile with `df` degrees of freedom.
inline double student_quantile(std::string_view function, double level, double df) {
  if (!(level > 0.0 && level < 1.0))
    throw invalid_input(
        check_message(function, "level", level, "must lie strictly between 0 and 1"));
  check_positive(function, "degrees of freedom", df);
  return boost::math::quantile(boost::math::students_t_distribution<double>(df), 0.5 + 0.5 * level);
}

}  // namespace wifund::forecast
