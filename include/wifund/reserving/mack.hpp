#pragma once
// Mack's (1993, 1999) distribution-free standard errors of chain-ladder reserves.
//   sigma_j^2 = 1/(n_j - 1) sum_i (C(i,j+1) - f_j C(i,j))^2 / C(i,j)^delta   (n_j used link ratios)
//   se(f_j)^2 = sigma_j^2 / sum_i C(i,j)^(2 - delta)
// computed recursively along each origin's projection (Mack 1999; R ChainLadder's Mack.S.E):
//   process:   PV(k+1) = f_k^2 PV(k) + sigma_k^2 C(i,k)^delta
//   parameter: EV(k+1) = f_k^2 EV(k) + C(i,k)^2 se(f_k)^2
// and for the total over origins (the parameter errors of different origins are correlated):
//   T(k+1) = f_k^2 T(k) + (sum of C(i,k) over origins whose latest age <= k)^2 se(f_k)^2.
// sigma cannot be estimated where an age has a single link ratio (the last one of a square
// triangle). Two published conventions fill it and change the standard errors (chainladder-python
// issues #221, #234, #1093), so the choice is explicit:
//   mack:       sigma_j^2 = min(sigma_{j-1}^4 / sigma_{j-2}^2, sigma_{j-2}^2, sigma_{j-1}^2)  (Mack
//   1993) log_linear: log sigma_j regressed on j over the estimable ages and extrapolated
//               (R ChainLadder's default "log-linear", chainladder-python's default). A sigma of
//               exactly 0 (identical link ratios) has no logarithm and is left out of the fit
//               (chainladder-python replaces it by 1e-320 instead); if all are 0, so is the fill.
// With a tail factor the tail is treated as one more development step whose sigma and se(f) are
// extrapolated log-linearly to the tail's position, where the exponential curve through the
// factors reaches the tail factor (R ChainLadder's tail.pos; chainladder-python's convention).
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "wifund/reserving/chain_ladder.hpp"

namespace wifund::reserving {

enum class sigma_extrapolation : int { log_linear = 0, mack = 1 };

struct mack_result {
  reserve_estimate cl;
  Vector sigma;     ///< sigma_j per age-to-age factor (extrapolated where not estimable)
  Vector f_se;      ///< standard error of each age-to-age factor
  Vector f_weight;  ///< sum over the used link ratios of C(i,j)^(2 - delta): se(f_j) = sigma_j /
                    ///< sqrt(f_weight_j)
  double tail_sigma = 0.0, tail_se = 0.0;
  Vector process_se, parameter_se, se;  ///< by origin (of the ultimate, equivalently of the IBNR)
  double total_process_se = 0.0, total_parameter_se = 0.0, total_se = 0.0;
};

namespace detail {
/// Fits log y = a + b x by least squares over the finite positive entries y(x) (x = index; NaN
/// marks a sigma that could not be estimated) and returns {a, b}. Accumulates the sums directly,
/// so a batch run allocates nothing here.
inline std::pair<double, double> log_linear_fit(const Vector& y, const triangle_axes& axes,
                                                const char* what) {
  double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (Index j = 0; j < y.size(); ++j)
    if (std::isfinite(y(j)) && y(j) > 0.0) {
      const double x = static_cast<double>(j), ly = std::log(y(j));
      n += 1;
      sx += x;
      sy += ly;
      sxx += x * x;
      sxy += x * ly;
    }
  if (n < 2)
    throw invalid_input(std::string("mack: ") + axes.where() + "log-linear extrapolation of " +
                        what + " needs at least two ages with a positive estimate, found " +
                        std::to_string(static_cast<int>(n)));
  const double b = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  return {(sy - b * sx) / n, b};
}

/// The development position of the tail (Mack 1999; R ChainLadder's tail.pos, chainladder-python's
/// tail-weighted time period): where the exponential curve fitted to log(f_j - 1) over the factors
/// above 1 reaches the tail factor, (log(tail - 1) - a) / b on the 0-based age index. Without such
/// a curve (fewer than two factors above 1, a slope >= 0, or a tail <= 1) the position after the
/// last factor is used.
inline double tail_position(const Vector& ldf, double tail) {
  const double fallback = static_cast<double>(ldf.size());
  Vector excess(ldf.size());
  for (Index j = 0; j < ldf.size(); ++j) excess(j) = ldf(j) > 1.0 ? ldf(j) - 1.0 : std::nan("");
  Index n_pos = 0;
  for (Index j = 0; j < ldf.size(); ++j) n_pos += ldf(j) > 1.0;
  if (n_pos < 2 || !(tail > 1.0)) return fallback;
  const auto [a, b] = log_linear_fit(excess, {}, "the factors");
  return b < 0.0 ? (std::log(tail - 1.0) - a) / b : fallback;
}

/// C^delta for the process variance, which needs C > 0 when delta is not an even integer.
inline double variance_weight(double c, double delta, const triangle_axes& axes, Index i, Index j) {
  if (delta == 0.0) return 1.0;
  if (delta == 1.0 && !(c > 0.0))
    throw invalid_input(check_message(
        "mack", axes.cell(i, j), c,
        "must be > 0: the volume-weighted Mack model has variance proportional to C"));
  return pow_012(c, delta);
}
}  // namespace detail

/// Mack standard errors on a cumulative triangle, in place (reuses the storage of `m`).
inline void mack_into(const MatrixRef& cum, const development_options& opt, sigma_extrapolation how,
                      const triangle_axes& axes, mack_result& m) {
  chain_ladder_into(cum, opt, axes, m.cl);
  const development_fit& d = m.cl.dev;
  const Index n_o = cum.rows(), n_d = cum.cols();
  const double delta = variance_exponent(d.average);
  const Index n_f = n_d - 1;
  const double not_estimable = std::nan("");
  m.sigma.resize(n_f);
  m.f_se.resize(n_f);
  m.f_weight.setZero(n_f);
  bool any_missing = false, all_zero = true;
  Index n_estimable = 0;
  for (Index j = 0; j < n_f; ++j) {
    double ss = 0.0, n = 0.0;
    for (Index i = 0; i < n_o; ++i) {
      if (d.use(i, j) == 0.0) continue;
      const double c = cum(i, j);
      const double w = detail::variance_weight(c, delta, axes, i, j);
      const double e = cum(i, j + 1) - d.ldf(j) * c;
      ss += e * e / w;
      m.f_weight(j) += pow_012(c, 2.0 - delta);
      n += 1.0;
    }
    m.sigma(j) = n > 1.0 ? std::sqrt(ss / (n - 1.0)) : not_estimable;
    any_missing = any_missing || n <= 1.0;
    n_estimable += n > 1.0;
    all_zero = all_zero && !(m.sigma(j) > 0.0);
  }
  // No age with two link ratios (a 2 x 2 triangle, or n_periods = 1): there is nothing to estimate
  // sigma from, and a standard error of 0 would be a silent wrong answer.
  if (n_f > 0 && n_estimable == 0)
    throw invalid_input(
        "mack: " + axes.where() + "sigma is not estimable at any age: from age " + axes.age(0) +
        " on, every age has at most one link ratio in use" +
        (opt.n_periods > 0 ? " (n_periods = " + std::to_string(opt.n_periods) + ")" : "") +
        "; Mack's standard errors need two link ratios at some age (at least a 3 x 3 triangle)");
  // Fill the ages with a single link ratio. If every estimable sigma is 0 (all link ratios of
  // each age equal) there is nothing to extrapolate and the missing ones are 0 too; otherwise
  // zero sigmas are left out of the log-linear fit.
  if (any_missing && all_zero) {
    for (Index j = 0; j < n_f; ++j)
      if (std::isnan(m.sigma(j))) m.sigma(j) = 0.0;
  } else if (any_missing && how == sigma_extrapolation::log_linear) {
    const auto [a, b] = detail::log_linear_fit(m.sigma, axes, "sigma");
    for (Index j = 0; j < n_f; ++j)
      if (std::isnan(m.sigma(j))) m.sigma(j) = std::exp(a + b * static_cast<double>(j));
  } else if (any_missing) {
    for (Index j = 0; j < n_f; ++j) {
      if (!std::isnan(m.sigma(j))) continue;
      if (j < 2)
        throw invalid_input("mack: " + axes.where() + "Mack's sigma extrapolation at age " +
                            axes.age(j) +
                            " needs the two preceding sigmas; the triangle is too small");
      const double s1 = m.sigma(j - 1) * m.sigma(j - 1), s2 = m.sigma(j - 2) * m.sigma(j - 2);
      const double ratio = s2 > 0.0 ? s1 * s1 / s2 : 0.0;
      m.sigma(j) = std::sqrt(std::min({ratio, s2, s1}));
    }
  }
  for (Index j = 0; j < n_f; ++j) m.f_se(j) = m.sigma(j) / std::sqrt(m.f_weight(j));
  const bool has_tail = d.tail != 1.0;
  m.tail_sigma = m.tail_se = 0.0;
  if (has_tail && !all_zero) {
    const double at = detail::tail_position(d.ldf, d.tail);
    const auto [as, bs] = detail::log_linear_fit(m.sigma, axes, "sigma for the tail");
    const auto [af, bf] = detail::log_linear_fit(m.f_se, axes, "se(f) for the tail");
    m.tail_sigma = std::exp(as + bs * at);
    m.tail_se = std::exp(af + bf * at);
  }

  // Recursions along the projections.
  m.process_se.resize(n_o);
  m.parameter_se.resize(n_o);
  double total_pv = 0.0;
  for (Index i = 0; i < n_o; ++i) {
    double pv = 0.0, ev = 0.0;
    for (Index k = d.len[static_cast<std::size_t>(i)] - 1; k < n_f; ++k) {
      const double c = m.cl.full(i, k), f = d.ldf(k);
      pv = f * f * pv + m.sigma(k) * m.sigma(k) * detail::variance_weight(c, delta, axes, i, k);
      ev = f * f * ev + c * c * m.f_se(k) * m.f_se(k);
    }
    if (has_tail) {
      const double c = m.cl.full(i, n_d - 1), t = d.tail;
      pv = t * t * pv +
           m.tail_sigma * m.tail_sigma * detail::variance_weight(c, delta, axes, i, n_d - 1);
      ev = t * t * ev + c * c * m.tail_se * m.tail_se;
    }
    m.process_se(i) = std::sqrt(pv);
    m.parameter_se(i) = std::sqrt(ev);
    total_pv += pv;
  }
  m.se = (m.process_se.array().square() + m.parameter_se.array().square()).sqrt();
  double tpar = 0.0;
  for (Index k = 0; k < n_f; ++k) {
    double s = 0.0;
    for (Index i = 0; i < n_o; ++i)
      if (d.len[static_cast<std::size_t>(i)] - 1 <= k) s += m.cl.full(i, k);
    tpar = d.ldf(k) * d.ldf(k) * tpar + s * s * m.f_se(k) * m.f_se(k);
  }
  if (has_tail) {
    const double s = m.cl.full.col(n_d - 1).sum();
    tpar = d.tail * d.tail * tpar + s * s * m.tail_se * m.tail_se;
  }
  m.total_process_se = std::sqrt(total_pv);
  m.total_parameter_se = std::sqrt(tpar);
  m.total_se = std::sqrt(total_pv + tpar);
  // Inputs are bounded (check_squarable), so this only guards the recursions themselves.
  if (!std::isfinite(m.total_se))
    throw invalid_input(
        check_message("mack", axes.where() + "total standard error", m.total_se,
                      "is not finite (the amounts are too large or too dispersed)"));
}

/// Mack standard errors on a cumulative triangle.
[[nodiscard]] inline mack_result mack(const MatrixRef& cum, const development_options& opt = {},
                                      sigma_extrapolation how = sigma_extrapolation::log_linear,
                                      const triangle_axes& axes = {}) {
  mack_result m;
  mack_into(cum, opt, how, axes, m);
  return m;
}

}  // namespace wifund::reserving
