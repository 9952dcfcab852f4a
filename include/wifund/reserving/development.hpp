#pragma once
// Age-to-age development factors estimated from a cumulative triangle, with the conventions that
// change the numbers as explicit options: the average (volume-weighted, simple, regression through
// the origin), the number of latest diagonals used, excluded link ratios, and the tail factor
// (none, a constant, or an exponential / inverse-power curve fitted to the factors and
// extrapolated). Mack (1999) writes all three averages as weighted least squares of
// C(i,j+1) on C(i,j) with Var(C(i,j+1) | C(i,j)) = sigma_j^2 C(i,j)^delta:
//   delta = 1 volume:     f_j = sum C(i,j+1) / sum C(i,j)        (the classical chain ladder)
//   delta = 2 simple:     f_j = mean of C(i,j+1) / C(i,j)
//   delta = 0 regression: f_j = sum C(i,j) C(i,j+1) / sum C(i,j)^2
// so that f_j = sum w C(i,j+1)/C(i,j) / sum w with weights w = C(i,j)^(2 - delta).
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "wifund/reserving/triangle.hpp"

namespace wifund::reserving {

enum class average_kind : int { volume = 0, simple = 1, regression = 2 };
enum class tail_kind : int { none = 0, constant = 1, exponential = 2, inverse_power = 3 };

/// Variance exponent delta of the average (see the header comment).
[[nodiscard]] constexpr double variance_exponent(average_kind a) noexcept {
  return a == average_kind::volume ? 1.0 : a == average_kind::simple ? 2.0 : 0.0;
}

/// c^e for the exponents 0, 1, 2 of the three averages without calling std::pow (which dominates
/// the cost of Mack on small triangles otherwise).
[[nodiscard]] inline double pow_012(double c, double e) noexcept {
  return e == 1.0 ? c : e == 2.0 ? c * c : e == 0.0 ? 1.0 : std::pow(c, e);
}

struct tail_options {
  tail_kind kind = tail_kind::none;
  double factor = 1.0;  ///< the tail factor when kind == constant
  int extrap_periods =
      100;  ///< development periods extrapolated by a curve (chainladder-python's default)
};

struct development_options {
  average_kind average = average_kind::volume;
  Index n_periods = 0;  ///< use only the latest n_periods link ratios of each age; 0 = all
  /// origins x (ages - 1) matrix, non-zero = drop the link ratio from age j to j+1 of origin i;
  /// an empty matrix excludes nothing.
  Matrix exclude;
  tail_options tail;
};

/// Fitted development pattern.
struct development_fit {
  std::vector<Index> len;  ///< observed ages per origin
  Matrix use;              ///< origins x (ages-1): 1 where the link ratio enters the factor
  Vector ldf;              ///< age-to-age factors f_0 .. f_{n-2}
  Vector tail_ldfs;        ///< factors beyond the last age (their product is the tail factor)
  double tail = 1.0;
  Vector cdf;  ///< age-to-ultimate factor at each age, tail included
  average_kind average = average_kind::volume;
};

/// Which link ratios enter the factors: observed, within the latest n_periods of their age, and
/// not excluded.
inline void link_ratio_weights_into(const std::vector<Index>& len, Index n_d,
                                    const development_options& opt, const triangle_axes& axes,
                                    const char* fn, Matrix& use) {
  const Index n_o = static_cast<Index>(len.size());
  if (opt.exclude.size() != 0 && (opt.exclude.rows() != n_o || opt.exclude.cols() != n_d - 1))
    throw invalid_input(std::string(fn) + ": exclude must have shape (origins, ages - 1) = (" +
                        std::to_string(n_o) + ", " + std::to_string(n_d - 1) + ")");
  if (opt.n_periods < 0)
    throw invalid_input(check_message(fn, "n_periods", opt.n_periods, "must be >= 0"));
  use.setZero(n_o, n_d > 1 ? n_d - 1 : 0);
  for (Index j = 0; j + 1 < n_d; ++j) {
    Index taken = 0;
    for (Index i = n_o - 1; i >= 0; --i) {  // latest origins first
      if (len[static_cast<std::size_t>(i)] <= j + 1) continue;
      if (opt.n_periods > 0 && taken >= opt.n_periods) break;
      ++taken;
      if (opt.exclude.size() != 0 && opt.exclude(i, j) != 0.0) continue;
      use(i, j) = 1.0;
    }
    if (use.col(j).sum() == 0.0)
      throw invalid_input(std::string(fn) + ": " + axes.where() +
                          "no link ratio is left from age " + axes.age(j) + " to age " +
                          axes.age(j + 1) + " (all excluded)");
  }
}

[[nodiscard]] inline Matrix link_ratio_weights(const std::vector<Index>& len, Index n_d,
                                               const development_options& opt,
                                               const triangle_axes& axes, const char* fn) {
  Matrix use;
  link_ratio_weights_into(len, n_d, opt, axes, fn, use);
  return use;
}

/// Ordinary least squares y = a + b x, returned as {a, b}.
[[nodiscard]] inline std::pair<double, double> ols_line(const std::vector<double>& x,
                                                        const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (std::size_t k = 0; k < x.size(); ++k) {
    sx += x[k];
    sy += y[k];
    sxx += x[k] * x[k];
    sxy += x[k] * y[k];
  }
  const double b = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  return {(sy - b * sx) / n, b};
}

/// Tail factors beyond the last age. Curves are fitted to log(f_j - 1) on the factors above 1
/// against the starting age x = j + 1 (exponential: linear in x; inverse power: linear in log x)
/// and extrapolated over extrap_periods ages starting at the last age.
[[nodiscard]] inline Vector tail_factors(const Vector& ldf, const tail_options& t,
                                         const triangle_axes& axes, const char* fn) {
  switch (t.kind) {
    case tail_kind::none:
      return Vector();
    case tail_kind::constant:
      if (!(t.factor > 0.0) || !std::isfinite(t.factor))
        throw invalid_input(check_message(fn, "tail factor", t.factor, "must be finite and > 0"));
      return Vector::Constant(1, t.factor);
    case tail_kind::exponential:
    case tail_kind::inverse_power:
      break;
  }
  check_in_range(fn, "tail extrap_periods", t.extrap_periods, 1, 100000);
  const bool inv = t.kind == tail_kind::inverse_power;
  std::vector<double> x, y;
  for (Index j = 0; j < ldf.size(); ++j)
    if (ldf(j) > 1.0) {
      const double age = static_cast<double>(j + 1);
      x.push_back(inv ? std::log(age) : age);
      y.push_back(std::log(ldf(j) - 1.0));
    }
  if (x.size() < 2)
    throw invalid_input(std::string(fn) + ": " + axes.where() +
                        "a tail curve needs at least two factors above 1, found " +
                        std::to_string(x.size()));
  const auto [a, b] = ols_line(x, y);
  if (!(b < 0.0))
    throw invalid_input(check_message(fn, axes.where() + "tail curve slope", b,
                                      "must be < 0 (the factors do not decay towards 1)"));
  Vector out(t.extrap_periods);
  for (int k = 0; k < t.extrap_periods; ++k) {
    const double age = static_cast<double>(ldf.size() + 1 + k);
    out(k) = 1.0 + std::exp(a + b * (inv ? std::log(age) : age));
  }
  return out;
}

/// Estimates the development factors of a cumulative triangle. Errors name the origin and age of
/// a zero denominator (and, for the simple average, of a zero cumulative value).
/// The in-place form reuses the storage of `d`.
inline void fit_development_into(const MatrixRef& cum, const development_options& opt,
                                 const triangle_axes& axes, development_fit& d) {
  static constexpr const char* fn = "chain_ladder";
  d.average = opt.average;
  observed_lengths_into(cum, axes, fn, d.len);
  const Index n_o = cum.rows(), n_d = cum.cols();
  link_ratio_weights_into(d.len, n_d, opt, axes, fn, d.use);
  d.ldf.resize(n_d - 1);
  for (Index j = 0; j + 1 < n_d; ++j) {
    double num = 0.0, den = 0.0, n = 0.0;
    for (Index i = 0; i < n_o; ++i) {
      if (d.use(i, j) == 0.0) continue;
      const double a = cum(i, j), b = cum(i, j + 1);
      switch (opt.average) {
        case average_kind::volume:
          num += b;
          den += a;
          break;
        case average_kind::regression:
          num += a * b;
          den += a * a;
          break;
        case average_kind::simple:
          if (a == 0.0)
            throw invalid_input(check_message(
                fn, axes.cell(i, j), a, "is a zero denominator of a link ratio (simple average)"));
          num += b / a;
          den += 1.0;
          break;
      }
      n += 1.0;
    }
    if (den == 0.0)
      throw invalid_input(std::string(fn) + ": " + axes.where() + "zero denominator at age " +
                          axes.age(j) + ": the cumulative values entering the factor to age " +
                          axes.age(j + 1) + " sum to 0");
    d.ldf(j) = num / den;
  }
  if (opt.tail.kind == tail_kind::none)
    d.tail_ldfs.resize(0);
  else
    d.tail_ldfs = tail_factors(d.ldf, opt.tail, axes, fn);
  d.tail = d.tail_ldfs.size() ? d.tail_ldfs.prod() : 1.0;
  d.cdf.resize(n_d);
  d.cdf(n_d - 1) = d.tail;
  for (Index j = n_d - 2; j >= 0; --j) d.cdf(j) = d.ldf(j) * d.cdf(j + 1);
}

[[nodiscard]] inline development_fit fit_development(const MatrixRef& cum,
                                                     const development_options& opt,
                                                     const triangle_axes& axes = {}) {
  development_fit d;
  fit_development_into(cum, opt, axes, d);
  return d;
}

/// Age-to-ultimate factor at the latest observed age of each origin.
[[nodiscard]] inline Vector cdf_at_latest(const development_fit& d) {
  Vector v(static_cast<Index>(d.len.size()));
  for (std::size_t i = 0; i < d.len.size(); ++i) v(static_cast<Index>(i)) = d.cdf(d.len[i] - 1);
  return v;
}

}  // namespace wifund::reserving
