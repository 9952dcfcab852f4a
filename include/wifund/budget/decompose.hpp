#pragma once
// Variance decomposition of a multiplicative model V = x_1 x x_2 x ... x x_K between a budget
// (x0) and an outturn (x1), e.g. contributions = insured x wage x 12 x base rate x (1 - cut) x
// float x (1 - relief) x collection rate.
//
// Two exact, order-independent methods:
//  * Shapley (the default in Python): phi_k = sum over subsets S not holding k of
//    |S|! (K - |S| - 1)! / K! x [V(S + k) - V(S)], where V(S) takes x1 for the factors in S and x0
//    for the others. Exact (the parts sum to V1 - V0) for any values, including zeros and sign
//    changes; costs 2^K products per city (256 for K = 8).
//  * LMDI-I (Ang 2004): phi_k = L(V1, V0) ln(x1_k / x0_k) with the logarithmic mean L. Exact for
//    multiplicative models, but it needs every factor > 0 in both states (the logarithm), so it is
//    the second method, used where it applies.
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "wifund/core/checks.hpp"
#include "wifund/core/errors.hpp"

namespace wifund::budget {

/// Largest number of factors accepted by the Shapley decomposition (2^K subsets per city).
inline constexpr int max_shapley_factors = 20;

namespace detail {
/// Neumaier's compensated sum: the parts must add to the total to ~1e-15, not ~K x 1e-16 x 2^K.
struct compensated_sum {
  double sum = 0.0, c = 0.0;
  void add(double v) {
    const double t = sum + v;
    c += std::abs(sum) >= std::abs(v) ? (sum - t) + v : (v - t) + sum;
    sum = t;
  }
  [[nodiscard]] double value() const { return sum + c; }
};
}  // namespace detail

/// Shapley decomposition for `n` units (cities) of `k` factors each; x0 and x1 are row-major
/// [n][k]; returns phi as [n][k].
[[nodiscard]] inline std::vector<double> shapley_multiplicative(const double* x0, const double* x1,
                                                                int n, int k) {
  constexpr const char* fn = "budget::shapley_multiplicative";
  if (n < 0) throw invalid_input(check_message(fn, "n", n, "must be >= 0"));
  if (k < 1 || k > max_shapley_factors)
    throw invalid_input(check_message(fn, "factors", k, "must lie in [1, 20]"));
  const std::size_t K = static_cast<std::size_t>(k), N = static_cast<std::size_t>(n),
                    S = std::size_t{1} << K;
  for (std::size_t i = 0; i < N * K; ++i) {
    check_finite(fn, "budget factor", x0[i]);
    check_finite(fn, "actual factor", x1[i]);
  }
  // w[s] = s! (K - s - 1)! / K!, built by recurrence to avoid factorials.
  std::vector<double> w(K);
  w[0] = 1.0 / static_cast<double>(K);
  for (std::size_t s = 1; s < K; ++s)
    w[s] = w[s - 1] * static_cast<double>(s) / static_cast<double>(K - s);
  std::vector<double> f(S), out(N * K);
  std::vector<int> size(S);
  for (std::size_t mask = 1; mask < S; ++mask) size[mask] = size[mask & (mask - 1)] + 1;
  for (std::size_t i = 0; i < N; ++i) {
    const double* a = x0 + i * K;
    const double* b = x1 + i * K;
    // V(S) for every subset without divisions (so zero factors are fine): extend one factor at a
    // time.
    f[0] = 1.0;
    for (std::size_t j = 0; j < K; ++j) {
      const std::size_t half = std::size_t{1} << j;
      for (std::size_t mask = 0; mask < half; ++mask) {
        f[mask | half] = f[mask] * b[j];
        f[mask] *= a[j];
      }
    }
    for (std::size_t j = 0; j < K; ++j) {
      const std::size_t bit = std::size_t{1} << j;
      detail::compensated_sum acc;
      for (std::size_t mask = 0; mask < S; ++mask)
        if (!(mask & bit))
          acc.add(w[static_cast<std::size_t>(size[mask])] * (f[mask | bit] - f[mask]));
      out[i * K + j] = acc.value();
    }
  }
  return out;
}

/// Logarithmic mean L(a, b) = (a - b) / (ln a - ln b), L(a, a) = a; a, b > 0.
[[nodiscard]] inline double log_mean(double a, double b) {
  if (a == b) return a;
  const double r = a / b;
  // Near a == b use the series (a - b) / ln(a/b) = b (r - 1) / log1p(r - 1), stable to r ~ 1.
  return b * (r - 1.0) / std::log1p(r - 1.0);
}

/// LMDI-I decomposition; every factor must be finite and > 0 (throws naming the unit and factor
/// index).
[[nodiscard]] inline std::vector<double> lmdi_multiplicative(const double* x0, const double* x1,
                                                             int n, int k) {
  constexpr const char* fn = "budget::lmdi_multiplicative";
  if (n < 0) throw invalid_input(check_message(fn, "n", n, "must be >= 0"));
  if (k < 1) throw invalid_input(check_message(fn, "factors", k, "must be >= 1"));
  const std::size_t K = static_cast<std::size_t>(k), N = static_cast<std::size_t>(n);
  std::vector<double> out(N * K);
  for (std::size_t i = 0; i < N; ++i) {
    double v0 = 1.0, v1 = 1.0;
    for (std::size_t j = 0; j < K; ++j) {
      const double a = x0[i * K + j], b = x1[i * K + j];
      if (!(a > 0.0) || !(b > 0.0) || !std::isfinite(a) || !std::isfinite(b))
        throw invalid_input(std::string(fn) + ": unit " + std::to_string(i) + ", factor " +
                            std::to_string(j) + " = " + format_value(a > 0.0 ? b : a) +
                            " must be finite and > 0 (LMDI takes logarithms; use Shapley)");
      v0 *= a;
      v1 *= b;
    }
    const double lm = log_mean(v1, v0);
    for (std::size_t j = 0; j < K; ++j)
      out[i * K + j] = lm * std::log(x1[i * K + j] / x0[i * K + j]);
  }
  return out;
}

}  // namespace wifund::budget
