#pragma once
// The deterministic chain ladder: project each origin from its latest diagonal with the fitted
// age-to-age factors, then apply the tail. Ultimate = latest x CDF(latest age); IBNR = ultimate -
// latest (the reserve for claims incurred but not yet paid or reported, depending on the data).
#include "wifund/reserving/development.hpp"

namespace wifund::reserving {

/// The result shared by every reserving method: the development pattern used and the estimates by
/// origin. `full` is the completed cumulative triangle (observed cells kept, future cells
/// projected by the chain ladder, without the tail).
struct reserve_estimate {
  development_fit dev;
  Vector latest, ultimate, ibnr;
  Matrix full;
  [[nodiscard]] double total_ibnr() const { return ibnr.sum(); }
};

/// The completed triangle: observed cells kept, each future cell = previous cell x f_j.
inline void project_into(const MatrixRef& cum, const development_fit& d, Matrix& full) {
  full = cum;
  for (Index i = 0; i < cum.rows(); ++i)
    for (Index j = d.len[static_cast<std::size_t>(i)]; j < cum.cols(); ++j)
      full(i, j) = full(i, j - 1) * d.ldf(j - 1);
}

[[nodiscard]] inline Matrix project(const MatrixRef& cum, const development_fit& d) {
  Matrix full;
  project_into(cum, d, full);
  return full;
}

/// Fills the estimates of `r` from its fitted pattern r.dev.
inline void chain_ladder_estimates(const MatrixRef& cum, reserve_estimate& r) {
  latest_diagonal_into(cum, r.dev.len, r.latest);
  project_into(cum, r.dev, r.full);
  r.ultimate = r.full.col(cum.cols() - 1) * r.dev.tail;
  r.ibnr = r.ultimate - r.latest;
}

/// Chain ladder estimate from a development pattern already fitted to `cum`.
[[nodiscard]] inline reserve_estimate chain_ladder(const MatrixRef& cum, development_fit dev) {
  reserve_estimate r;
  r.dev = std::move(dev);
  chain_ladder_estimates(cum, r);
  return r;
}

/// The in-place form reuses the storage of `r` (batch runs allocate nothing per segment).
inline void chain_ladder_into(const MatrixRef& cum, const development_options& opt,
                              const triangle_axes& axes, reserve_estimate& r) {
  fit_development_into(cum, opt, axes, r.dev);
  chain_ladder_estimates(cum, r);
}

/// Chain ladder on a cumulative triangle (NaN = unobserved) with the given conventions.
[[nodiscard]] inline reserve_estimate chain_ladder(const MatrixRef& cum,
                                                   const development_options& opt = {},
                                                   const triangle_axes& axes = {}) {
  reserve_estimate r;
  chain_ladder_into(cum, opt, axes, r);
  return r;
}

}  // namespace wifund::reserving
