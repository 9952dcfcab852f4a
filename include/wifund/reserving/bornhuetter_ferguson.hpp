#pragma once
// Bornhuetter-Ferguson and Benktander: credibility mixtures of an a-priori ultimate with the
// chain-ladder development pattern. With q_i = 1 - 1/CDF_i the share of origin i still to emerge,
//   BF:          U_i = latest_i + q_i * apriori_i
//   Benktander:  U^(0) = apriori, U^(k) = latest + q * U^(k-1)   (k = n_iter; k = 1 is BF and
//                k -> infinity tends to the chain ladder).
// The a-priori ultimate is an amount in money (e.g. expected loss ratio x premium, or expected
// cost per insured worker x covered workers), one per origin.
#include <string>

#include "wifund/reserving/chain_ladder.hpp"

namespace wifund::reserving {

/// The reserve estimate of an expected-loss method, with the a-priori ultimate used.
struct expected_loss_estimate {
  reserve_estimate est;
  Vector apriori;
};

namespace detail {
inline void check_apriori(const Vector& apriori, Index n_o, const triangle_axes& axes,
                          const char* fn) {
  if (apriori.size() != n_o)
    throw invalid_input(std::string(fn) + ": apriori has " + std::to_string(apriori.size()) +
                        " values for " + std::to_string(n_o) + " origins");
  for (Index i = 0; i < n_o; ++i)
    if (!(apriori(i) >= 0.0) || !std::isfinite(apriori(i)))
      throw invalid_input(check_message(fn, axes.where() + "apriori at origin " + axes.origin(i),
                                        apriori(i),
                                        "must be finite and >= 0 (an expected ultimate amount)"));
}
}  // namespace detail

/// Benktander with n_iter iterations (n_iter = 1: Bornhuetter-Ferguson) given a fitted pattern.
[[nodiscard]] inline expected_loss_estimate benktander(const MatrixRef& cum, development_fit dev,
                                                       const Vector& apriori, int n_iter,
                                                       const triangle_axes& axes = {}) {
  static constexpr const char* fn = "benktander";
  check_in_range(fn, "n_iter", n_iter, 0, 10000);
  detail::check_apriori(apriori, cum.rows(), axes, fn);
  expected_loss_estimate r{chain_ladder(cum, std::move(dev)), apriori};
  const Vector q = (1.0 - cdf_at_latest(r.est.dev).array().inverse()).matrix();
  Vector u = apriori;
  for (int k = 0; k < n_iter; ++k) u = (r.est.latest.array() + q.array() * u.array()).matrix();
  r.est.ultimate = u;
  r.est.ibnr = u - r.est.latest;
  return r;
}

[[nodiscard]] inline expected_loss_estimate benktander(const MatrixRef& cum, const Vector& apriori,
                                                       int n_iter,
                                                       const development_options& opt = {},
                                                       const triangle_axes& axes = {}) {
  return benktander(cum, fit_development(cum, opt, axes), apriori, n_iter, axes);
}

/// Bornhuetter-Ferguson: U = latest + (1 - 1/CDF) apriori.
[[nodiscard]] inline expected_loss_estimate bornhuetter_ferguson(
    const MatrixRef& cum, const Vector& apriori, const development_options& opt = {},
    const triangle_axes& axes = {}) {
  return benktander(cum, apriori, 1, opt, axes);
}

}  // namespace wifund::reserving
