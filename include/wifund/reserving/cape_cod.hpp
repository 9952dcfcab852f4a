#pragma once
// Cape Cod (Stanard-Buhlmann): the a-priori loss ratio is estimated from the data itself as
// reported losses over "used-up" exposure E_j / CDF_j, optionally with a trend that brings each
// origin's losses to the cost level of the target origin and a decay that weights nearby origins
// more (Gluck 1997; chainladder-python's CapeCod):
//   ELR_i = sum_j d^|i-j| latest_j (1+t)^(y_i - y_j) / sum_j d^|i-j| E_j / CDF_j
// where y is the origin time in years. Then apriori_i = ELR_i E_i and the ultimate is the
// Bornhuetter-Ferguson one. decay = 1 gives one pooled ratio; decay = 0 gives the chain ladder.
#include <cmath>
#include <string>

#include "wifund/reserving/bornhuetter_ferguson.hpp"

namespace wifund::reserving {

struct cape_cod_options {
  double trend = 0.0;  ///< annual cost trend
  double decay = 1.0;  ///< weight d^|i-j| of origin j in the loss ratio of origin i, d in [0, 1]
  double origin_step_years = 1.0;  ///< length of one origin period in years (0.25 for quarters)
};

struct cape_cod_estimate {
  expected_loss_estimate bf;
  Vector elr;  ///< the estimated expected loss ratio of each origin
};

[[nodiscard]] inline cape_cod_estimate cape_cod(const MatrixRef& cum, const Vector& exposure,
                                                const cape_cod_options& cc = {},
                                                const development_options& opt = {},
                                                const triangle_axes& axes = {}) {
  static constexpr const char* fn = "cape_cod";
  const Index n_o = cum.rows();
  if (exposure.size() != n_o)
    throw invalid_input(std::string(fn) + ": exposure has " + std::to_string(exposure.size()) +
                        " values for " + std::to_string(n_o) + " origins");
  for (Index i = 0; i < n_o; ++i)
    if (!(exposure(i) > 0.0) || !std::isfinite(exposure(i)))
      throw invalid_input(check_message(fn, axes.where() + "exposure at origin " + axes.origin(i),
                                        exposure(i), "must be finite and > 0"));
  check_unit_interval(fn, "decay", cc.decay);
  check_finite(fn, "trend", cc.trend);
  if (cc.trend <= -1.0) throw invalid_input(check_message(fn, "trend", cc.trend, "must be > -1"));
  check_positive(fn, "origin_step_years", cc.origin_step_years);
  development_fit dev = fit_development(cum, opt, axes);
  const Vector latest = latest_diagonal(cum, dev.len);
  const Vector used_up = (exposure.array() / cdf_at_latest(dev).array()).matrix();
  cape_cod_estimate r;
  r.elr.resize(n_o);
  for (Index i = 0; i < n_o; ++i) {
    double num = 0.0, den = 0.0;
    for (Index j = 0; j < n_o; ++j) {
      const double w = std::pow(cc.decay, static_cast<double>(std::abs(i - j)));  // 0^0 = 1
      num += w * latest(j) *
             std::pow(1.0 + cc.trend, static_cast<double>(i - j) * cc.origin_step_years);
      den += w * used_up(j);
    }
    r.elr(i) = num / den;
  }
  const Vector apriori = (r.elr.array() * exposure.array()).matrix();
  r.bf = benktander(cum, std::move(dev), apriori, 1, axes);
  return r;
}

}  // namespace wifund::reserving
