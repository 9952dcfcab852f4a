#pragma once
// Payment patterns: the share of an origin's ultimate paid in each development year, from the
// chain-ladder age-to-ultimate factors including the tail, and the expected cash flows of the
// outstanding reserve by future calendar period.
//   Cumulative share paid by the end of age index a: P_a = 1 / CDF_a (a < ages); beyond the
//   triangle the tail factors t_1, t_2, ... continue it, P_{last+k} = P_last t_1 ... t_k, and the
//   final share is 1. Proportions p_0 = P_0, p_a = P_a - P_{a-1} (p_0 is paid in the origin year
//   itself, p_a a years later); they sum to 1.
// The reserve of origin i (latest age index a_i) is paid in proportion to p_{a_i+1}, p_{a_i+2}, ...
// (for the chain ladder this reproduces the projected incrementals exactly). Its calendar period
// is counted from the valuation diagonal, the latest calendar period in the triangle; amounts that
// the pattern places on or before the valuation date (old origins of a rectangular triangle still
// developing in the tail) fall in the first future period.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "wifund/reserving/development.hpp"

namespace wifund::reserving {

struct payment_pattern_result {
  Vector proportions;  ///< p_0 .. p_L, summing to 1
  Matrix cash_flows;   ///< origins x future periods 1..H: expected payments of each reserve
  [[nodiscard]] Vector total_cash_flows() const { return cash_flows.colwise().sum().transpose(); }
};

/// Cumulative proportions paid P_0..P_L. `max_tail_periods` (>= 1) caps the tail periods kept: the
/// remainder of the tail is paid in the last period kept.
[[nodiscard]] inline Vector cumulative_paid_shares(const development_fit& d,
                                                   Index max_tail_periods) {
  const Index n_d = d.cdf.size();
  const Index n_tail = std::min<Index>(d.tail_ldfs.size(), max_tail_periods);
  Vector p(n_d + n_tail);
  for (Index a = 0; a < n_d; ++a) p(a) = 1.0 / d.cdf(a);
  for (Index k = 0; k < n_tail; ++k) p(n_d + k) = p(n_d + k - 1) * d.tail_ldfs(k);
  if (n_tail > 0) p(n_d + n_tail - 1) = 1.0;  // the rest of a truncated tail, and rounding
  return p;
}

/// The payment pattern of a fitted development and the cash flows of reserves `ibnr` by origin.
/// `valuation` is the calendar index (origin index + age index) of the valuation diagonal; by
/// default the latest observed cell of the triangle (a stack passes the stack's common one).
[[nodiscard]] inline payment_pattern_result payment_pattern(const development_fit& d,
                                                            const Vector& ibnr,
                                                            Index max_tail_periods = 1000,
                                                            Index valuation = -1) {
  static constexpr const char* fn = "payment_pattern";
  check_in_range<Index>(fn, "max_tail_periods", max_tail_periods, 1, 100000);
  const Index n_o = static_cast<Index>(d.len.size());
  if (ibnr.size() != n_o)
    throw invalid_input(std::string(fn) + ": " + std::to_string(ibnr.size()) + " reserves for " +
                        std::to_string(n_o) + " origins");
  for (Index a = 0; a < d.cdf.size(); ++a)
    if (!(d.cdf(a) > 0.0) || !std::isfinite(d.cdf(a)))
      throw invalid_input(check_message(fn, "age-to-ultimate factor at age #" + std::to_string(a),
                                        d.cdf(a), "must be finite and > 0"));
  const Vector cum = cumulative_paid_shares(d, max_tail_periods);
  const Index L = cum.size();
  payment_pattern_result r;
  r.proportions.resize(L);
  r.proportions(0) = cum(0);
  for (Index a = 1; a < L; ++a) r.proportions(a) = cum(a) - cum(a - 1);
  // Valuation diagonal: calendar index of the latest observed cell, origin i + age a_i.
  if (valuation < 0)
    for (Index i = 0; i < n_o; ++i)
      valuation = std::max(valuation, i + d.len[static_cast<std::size_t>(i)] - 1);
  Index horizon = 1;
  for (Index i = 0; i < n_o; ++i) horizon = std::max(horizon, i + L - 1 - valuation);
  r.cash_flows = Matrix::Zero(n_o, horizon);
  for (Index i = 0; i < n_o; ++i) {
    const Index a_i = d.len[static_cast<std::size_t>(i)] - 1;
    const double outstanding = 1.0 - cum(a_i);
    if (outstanding == 0.0) continue;  // fully developed: the reserve of every method is 0
    for (Index a = a_i + 1; a < L; ++a) {
      const Index h = std::max<Index>(i + a - valuation, 1);
      r.cash_flows(i, h - 1) += ibnr(i) * r.proportions(a) / outstanding;
    }
  }
  return r;
}

/// Payment patterns of a stack: segment s has age-to-ultimate factors cdf.row(s), tail factors
/// tail_ldfs.row(s), observed lengths lengths.row(s) and reserves ibnr.row(s). Returns the
/// proportions (segments x lags) and the cash flows (segments x (origins * periods), row-major by
/// origin), all segments counted from the stack's valuation diagonal.
[[nodiscard]] inline std::pair<Matrix, Matrix> payment_pattern_batch(
    const Matrix& cdf, const Matrix& tail_ldfs, const Eigen::MatrixX<Index>& lengths,
    const Matrix& ibnr, Index max_tail_periods) {
  const Index n_seg = cdf.rows(), n_o = ibnr.cols();
  if (tail_ldfs.rows() != n_seg || lengths.rows() != n_seg || ibnr.rows() != n_seg ||
      lengths.cols() != n_o)
    throw invalid_input("payment_pattern: the stack's inputs disagree in shape");
  Index valuation = 0;
  for (Index s = 0; s < n_seg; ++s)
    for (Index i = 0; i < n_o; ++i) valuation = std::max(valuation, i + lengths(s, i) - 1);
  std::vector<payment_pattern_result> all(static_cast<std::size_t>(n_seg));
  Index horizon = 1;
  for (Index s = 0; s < n_seg; ++s) {
    development_fit d;
    d.cdf = cdf.row(s).transpose();
    d.tail_ldfs = tail_ldfs.row(s).transpose();
    d.len.assign(lengths.row(s).begin(), lengths.row(s).end());
    all[static_cast<std::size_t>(s)] =
        payment_pattern(d, ibnr.row(s).transpose(), max_tail_periods, valuation);
    horizon = std::max(horizon, all[static_cast<std::size_t>(s)].cash_flows.cols());
  }
  Matrix props(n_seg, all.empty() ? 0 : all.front().proportions.size());
  Matrix cash = Matrix::Zero(n_seg, n_o * horizon);
  for (Index s = 0; s < n_seg; ++s) {
    const payment_pattern_result& p = all[static_cast<std::size_t>(s)];
    props.row(s) = p.proportions.transpose();
    for (Index i = 0; i < n_o; ++i)
      cash.row(s).segment(i * horizon, p.cash_flows.cols()) = p.cash_flows.row(i);
  }
  return {props, cash};
}

}  // namespace wifund::reserving
