#pragma once
// Exponential smoothing (ETS) without seasonality in the innovations state-space form
// (Hyndman, Koehler, Ord & Snyder 2008; Hyndman & Athanasopoulos, FPP3 ch. 8), with the
// conventions of statsmodels' ETSModel (statsmodels.tsa.exponential_smoothing.ets) so that an
// analyst gets the same numbers in both:
//   * forecast equation    yhat_t = l_{t-1} (+|*) b_{t-1}^(phi)        ((+) additive, (*) mult.
//   trend)
//   * level                l_t = alpha y_t + (1 - alpha) yhat_t
//   * trend (additive)     b_t = beta* (l_t - l_{t-1}) + (1 - beta*) phi b_{t-1}
//   * trend (multiplic.)   b_t = beta* (l_t / l_{t-1}) + (1 - beta*) b_{t-1}^phi
//   with beta* = beta / alpha; the smoothing equations are the same for both error types.
//   * concentrated log-likelihood (Ord, Koehler & Snyder 1997), sigma^2 = mean(e_t^2):
//       logL = -n/2 (log(2 pi sigma^2) + 1) - [mult. error] sum log|yhat_t|
//     with e_t = y_t - yhat_t (additive error) or (y_t - yhat_t) / yhat_t (multiplicative error),
//     and yhat_t = 0 replaced by 1e-32 in the log term, as statsmodels does.
// This header holds the model description, the recursion and the forecast distribution; fitting
// (maximum likelihood, initialisation, selection) lives in ets_fit.hpp.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <span>
#include <string>
#include <vector>

#include "wifund/core/checks.hpp"
#include "wifund/core/errors.hpp"
#include "wifund/core/parallel.hpp"
#include "wifund/core/random.hpp"
#include "wifund/core/types.hpp"

namespace wifund::forecast {

enum class error_type : int { additive = 0, multiplicative = 1 };
enum class trend_type : int { none = 0, additive = 1, multiplicative = 2 };

/// One member of the non-seasonal ETS family, e.g. A,Ad,N = additive error, damped additive trend.
struct ets_spec {
  error_type error = error_type::additive;
  trend_type trend = trend_type::none;
  bool damped = false;

  [[nodiscard]] bool has_trend() const noexcept { return trend != trend_type::none; }
  /// True when the model is only defined for strictly positive data.
  [[nodiscard]] bool needs_positive() const noexcept {
    return error == error_type::multiplicative || trend == trend_type::multiplicative;
  }
  /// statsmodels' short name: "ANN", "AAdN", "MMdN", ...
  [[nodiscard]] std::string short_name() const {
    std::string s(1, error == error_type::additive ? 'A' : 'M');
    s += trend == trend_type::none ? "N" : (trend == trend_type::additive ? "A" : "M");
    if (damped) s += "d";
    s += "N";
    return s;
  }
  /// Throws when the combination is not a model (damping without a trend).
  void validate(std::string_view function) const {
    if (damped && !has_trend())
      throw invalid_input(std::string(function) +
                          ": damped = true needs a trend (trend = 'add' or 'mul')");
  }
  friend bool operator==(const ets_spec&, const ets_spec&) = default;
};

/// Parameters in statsmodels' external convention: beta is the trend smoothing parameter itself
/// (not beta* = beta / alpha); phi = 1 when the trend is not damped; trend0 = 0 without a trend.
struct ets_params {
  double alpha = 0.1;
  double beta = 0.0;
  double phi = 1.0;
  double level0 = 0.0;  // l_{-1}, the state before the first observation
  double trend0 = 0.0;  // b_{-1}
};

/// The log-likelihood and the residual mean square of one pass of the recursion.
struct ets_loglik_value {
  double loglik;
  double mse;  // sigma^2 = mean(e_t^2) (e_t relative for multiplicative errors)
};

namespace detail {
/// b^phi for a multiplicative trend, phi*b for an additive one (phi = 1 when not damped).
inline double damp_trend(trend_type trend, double b, double phi) noexcept {
  if (trend == trend_type::multiplicative) return phi == 1.0 ? b : std::pow(b, phi);
  return phi * b;
}
/// Level plus (or times) the damped trend.
inline double combine(trend_type trend, double l, double bd) noexcept {
  return trend == trend_type::multiplicative ? l * bd : l + bd;
}
inline double trend_update(trend_type trend, double beta_star, double l_new, double l_old,
                           double bd) noexcept {
  if (trend == trend_type::multiplicative)
    return beta_star * (l_new / l_old) + (1.0 - beta_star) * bd;
  if (trend == trend_type::additive) return beta_star * (l_new - l_old) + (1.0 - beta_star) * bd;
  return 0.0;
}
}  // namespace detail

/// The hot loop of estimation: log-likelihood for given smoothing parameters (beta* form) and
/// initial states. No allocation; the spec is a template-free runtime switch hoisted by the
/// compiler.
inline ets_loglik_value ets_loglik_star(const ets_spec& spec, std::span<const double> y,
                                        double alpha, double beta_star, double phi, double l0,
                                        double b0) noexcept {
  const trend_type tr = spec.trend;
  const bool mul_err = spec.error == error_type::multiplicative;
  double l = l0, b = tr == trend_type::none ? 0.0 : b0;
  double sse = 0.0, sum_log = 0.0;
  for (const double yt : y) {
    const double bd = detail::damp_trend(tr, b, phi);
    const double yhat = detail::combine(tr, l, bd);
    double e = yt - yhat;
    if (mul_err) {
      const double denom = yhat == 0.0 ? 1e-32 : yhat;
      e = (yt - yhat) / yhat;
      sum_log += std::log(std::abs(denom));
    }
    sse += e * e;
    const double l_new = alpha * yt + (1.0 - alpha) * yhat;
    b = detail::trend_update(tr, beta_star, l_new, l, bd);
    l = l_new;
  }
  const double n = static_cast<double>(y.size());
  const double mse = sse / n;
  double ll = -0.5 * n * (std::log(2.0 * std::numbers::pi * mse) + 1.0);
  if (mul_err) ll -= sum_log;
  return {ll, mse};
}

/// Everything one filtering pass produces (arrays have the length of the series).
struct ets_filter_result {
  Vector fitted;     // one-step-ahead predictions yhat_t
  Vector residuals;  // e_t (relative for multiplicative errors), as statsmodels' resid
  Vector level;      // l_t
  Vector trend;      // b_t (zeros without a trend)
  double loglik = 0.0;
  double mse = 0.0;
};

/// Runs the recursion over y with fixed parameters (no checks beyond finiteness of the inputs).
inline ets_filter_result ets_filter(const ets_spec& spec, const ets_params& p,
                                    std::span<const double> y) {
  spec.validate("ets_filter");
  const auto n = static_cast<Eigen::Index>(y.size());
  ets_filter_result r;
  r.fitted.resize(n);
  r.residuals.resize(n);
  r.level.resize(n);
  r.trend.resize(n);
  const double beta_star = spec.has_trend() ? p.beta / p.alpha : 0.0;
  const double phi = spec.damped ? p.phi : 1.0;
  double l = p.level0, b = spec.has_trend() ? p.trend0 : 0.0;
  for (Eigen::Index t = 0; t < n; ++t) {
    const double yt = y[static_cast<std::size_t>(t)];
    const double bd = detail::damp_trend(spec.trend, b, phi);
    const double yhat = detail::combine(spec.trend, l, bd);
    r.fitted[t] = yhat;
    r.residuals[t] = spec.error == error_type::multiplicative ? (yt - yhat) / yhat : yt - yhat;
    const double l_new = p.alpha * yt + (1.0 - p.alpha) * yhat;
    b = detail::trend_update(spec.trend, beta_star, l_new, l, bd);
    l = l_new;
    r.level[t] = l;
    r.trend[t] = b;
  }
  const auto v = ets_loglik_star(spec, y, p.alpha, beta_star, phi, p.level0, p.trend0);
  r.loglik = v.loglik;
  r.mse = v.mse;
  return r;
}

/// Point forecasts h = 1..steps from the final states (l_n, b_n): the recursion with zero errors,
/// as statsmodels' forecast(). For multiplicative errors this is the conditional median-like
/// "point forecast" of FPP3, not the simulated mean.
inline Vector ets_point_forecast(const ets_spec& spec, const ets_params& p, double level,
                                 double trend, int steps) {
  check_in_range("ets_point_forecast", "steps", steps, 1, 100000);
  Vector f(steps);
  const double phi = spec.damped ? p.phi : 1.0;
  const double beta_star = spec.has_trend() ? p.beta / p.alpha : 0.0;
  double l = level, b = spec.has_trend() ? trend : 0.0;
  for (int h = 0; h < steps; ++h) {
    const double bd = detail::damp_trend(spec.trend, b, phi);
    const double yhat = detail::combine(spec.trend, l, bd);
    f[h] = yhat;
    // With a zero error the level becomes yhat and the trend its damped value.
    b = detail::trend_update(spec.trend, beta_star, yhat, l, bd);
    l = yhat;
  }
  return f;
}

/// True for the models with analytic forecast variances in statsmodels (linear, "class 1").
[[nodiscard]] inline bool ets_has_analytic_variance(const ets_spec& spec) noexcept {
  return spec.error == error_type::additive && spec.trend != trend_type::multiplicative;
}

/// Analytic h-step forecast-error variances for ANN, AAN, AAdN: sigma^2 (1 + sum_{j<h} c_j^2) with
/// c_j = alpha + beta (phi + ... + phi^j) (Hyndman et al. 2008, Table 6.1). Equal to statsmodels'
/// closed forms; the sum avoids their 1/(1-phi)^2 cancellation when phi is near 1.
inline Vector ets_analytic_variance(const ets_spec& spec, const ets_params& p, double mse,
                                    int steps) {
  if (!ets_has_analytic_variance(spec))
    throw invalid_input("ets_analytic_variance: model " + spec.short_name() +
                        " has no analytic forecast variance; use simulated intervals");
  check_in_range("ets_analytic_variance", "steps", steps, 1, 100000);
  Vector v(steps);
  const double phi = spec.damped ? p.phi : 1.0;
  const double beta = spec.has_trend() ? p.beta : 0.0;
  double acc = 1.0, phi_sum = 0.0, phi_pow = 1.0;
  v[0] = mse;
  for (int h = 1; h < steps; ++h) {
    phi_pow *= phi;
    phi_sum += phi_pow;
    const double c = p.alpha + beta * phi_sum;
    acc += c * c;
    v[h] = mse * acc;
  }
  return v;
}

/// Simulated future paths (steps x reps) from the state-space form with N(0, sigma^2) errors,
/// the equations of statsmodels' ETSResults.simulate. Random numbers: the Philox streams of
/// wifund/core/random.hpp, stream id stream_id::forecast (17); path r draws its errors from the
/// stream counted from scenario r, so path r is a pure function of (seed, r): the same on every
/// platform and whatever `threads` (paths are shared out in blocks of 256).
inline Matrix ets_simulate(const ets_spec& spec, const ets_params& p, double level, double trend,
                           double sigma, int steps, int reps, std::uint64_t seed, int threads = 1) {
  check_in_range("ets_simulate", "steps", steps, 1, 100000);
  check_in_range("ets_simulate", "reps", reps, 1, 10000000);
  check_nonnegative("ets_simulate", "sigma", sigma);
  check_allocation("ets_simulate",
                   "steps = " + std::to_string(steps) + " x reps = " + std::to_string(reps),
                   static_cast<double>(steps) * static_cast<double>(reps), sizeof(double));
  Matrix out(steps, reps);
  const double phi = spec.damped ? p.phi : 1.0;
  const double beta = spec.has_trend() ? p.beta : 0.0;
  const bool mul_err = spec.error == error_type::multiplicative;
  const bool mul_tr = spec.trend == trend_type::multiplicative;
  constexpr int block = 256;
  parallel_for((reps + block - 1) / block, threads, [&](int k) {
    const int end = std::min(reps, (k + 1) * block);
    for (int r = k * block; r < end; ++r) {
      random_stream rng(seed, static_cast<std::uint64_t>(r), stream_id::forecast);
      double l = level, b = spec.has_trend() ? trend : 0.0;
      for (int t = 0; t < steps; ++t) {
        const double e = sigma * rng.normal();
        const double bd = detail::damp_trend(spec.trend, b, phi);
        const double L = detail::combine(spec.trend, l, bd);
        double y, l_new, b_new;
        if (mul_err) {
          y = L * (1.0 + e);
          l_new = L * (1.0 + p.alpha * e);
          b_new = mul_tr ? bd * (1.0 + beta * e) : bd + beta * (bd + l) * e;
        } else {
          y = L + e;
          l_new = L + p.alpha * e;
          b_new = mul_tr ? bd + beta * e / l : bd + beta * e;
        }
        out(t, r) = y;
        l = l_new;
        b = spec.has_trend() ? b_new : 0.0;
      }
    }
  });
  return out;
}

/// Sample quantile with linear interpolation between order statistics (NumPy's default
/// "linear" method, which statsmodels uses for simulated intervals). Sorts `v` in place.
inline double quantile_linear(std::vector<double>& v, double q) {
  check_unit_interval("quantile_linear", "q", q);
  if (v.empty()) throw invalid_input("quantile_linear: empty sample");
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  const double frac = pos - static_cast<double>(lo);
  return v[lo] + frac * (v[hi] - v[lo]);
}

}  // namespace wifund::forecast
