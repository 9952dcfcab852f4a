#pragma once
// Reserving over a stack of triangles (segments x origins x ages, e.g. city x benefit item) in one
// call: each segment is read in place from the contiguous buffer, estimated with the same
// conventions, and the results are written to segment-major matrices. Segments are independent,
// so they are shared among `threads` std::threads; the results do not depend on the split.
#include <string>
#include <vector>

#include "wifund/reserving/cape_cod.hpp"
#include "wifund/reserving/mack.hpp"
#include "wifund/core/parallel.hpp"

namespace wifund::reserving {

enum class batch_method : int { chain_ladder = 0, mack = 1, benktander = 2, cape_cod = 3 };

struct batch_options {
  batch_method method = batch_method::chain_ladder;
  development_options dev;
  sigma_extrapolation sigma = sigma_extrapolation::log_linear;  ///< mack
  Matrix apriori;  ///< benktander (n_iter = 1: Bornhuetter-Ferguson): segments x origins
  int n_iter = 1;
  Matrix exposure;  ///< cape_cod: segments x origins
  cape_cod_options cape_cod;
  int threads = 1;
};

/// Results by segment (rows). Mack fields are filled by the mack method only; apriori by the
/// expected-loss methods; elr by cape_cod.
struct batch_result {
  Matrix latest, ultimate, ibnr, ldf, cdf;
  Vector tail;
  Matrix tail_ldfs;  ///< segments x tail periods (the same count for every segment)
  Matrix apriori, elr;
  Matrix se, process_se, parameter_se, sigma, f_se;
  Vector total_se, total_process_se, total_parameter_se;
};

/// Estimates segment s of a stack into row s of the batch result. The chain ladder and Mack run in
/// place in per-thread storage that keeps its capacity from one segment to the next.
inline void estimate_segment(const double* values, Index s, Index n_o, Index n_d,
                             const batch_options& opt, const triangle_axes& ax, batch_result& r) {
  const Eigen::Map<const Matrix> cum(values + s * n_o * n_d, n_o, n_d);
  thread_local mack_result work;
  thread_local reserve_estimate other;
  const reserve_estimate* est = &work.cl;
  switch (opt.method) {
    case batch_method::chain_ladder:
      chain_ladder_into(cum, opt.dev, ax, work.cl);
      break;
    case batch_method::mack: {
      mack_into(cum, opt.dev, opt.sigma, ax, work);
      r.se.row(s) = work.se.transpose();
      r.process_se.row(s) = work.process_se.transpose();
      r.parameter_se.row(s) = work.parameter_se.transpose();
      r.sigma.row(s) = work.sigma.transpose();
      r.f_se.row(s) = work.f_se.transpose();
      r.total_se(s) = work.total_se;
      r.total_process_se(s) = work.total_process_se;
      r.total_parameter_se(s) = work.total_parameter_se;
      break;
    }
    case batch_method::benktander: {
      expected_loss_estimate e =
          benktander(cum, opt.apriori.row(s).transpose(), opt.n_iter, opt.dev, ax);
      r.apriori.row(s) = e.apriori.transpose();
      other = std::move(e.est);
      est = &other;
      break;
    }
    case batch_method::cape_cod: {
      cape_cod_estimate e =
          cape_cod(cum, opt.exposure.row(s).transpose(), opt.cape_cod, opt.dev, ax);
      r.apriori.row(s) = e.bf.apriori.transpose();
      r.elr.row(s) = e.elr.transpose();
      other = std::move(e.bf.est);
      est = &other;
      break;
    }
  }
  r.latest.row(s) = est->latest.transpose();
  r.ultimate.row(s) = est->ultimate.transpose();
  r.ibnr.row(s) = est->ibnr.transpose();
  r.ldf.row(s) = est->dev.ldf.transpose();
  r.cdf.row(s) = est->dev.cdf.transpose();
  r.tail(s) = est->dev.tail;
  r.tail_ldfs.row(s) = est->dev.tail_ldfs.transpose();
}

/// `values` holds n_seg consecutive row-major (n_o x n_d) cumulative triangles. `axes` labels the
/// origins and ages; `segments` (optional) labels the segments in error messages.
[[nodiscard]] inline batch_result reserve_batch(const double* values, Index n_seg, Index n_o,
                                                Index n_d, const batch_options& opt,
                                                const triangle_axes& axes = {},
                                                const std::vector<std::string>& segments = {}) {
  static constexpr const char* fn = "reserving batch";
  const bool is_mack = opt.method == batch_method::mack;
  const auto need = [&](const Matrix& m, const char* name) {
    if (m.rows() != n_seg || m.cols() != n_o)
      throw invalid_input(std::string(fn) + ": " + name +
                          " must have shape (segments, origins) = (" + std::to_string(n_seg) +
                          ", " + std::to_string(n_o) + ")");
  };
  if (opt.method == batch_method::benktander) need(opt.apriori, "apriori");
  if (opt.method == batch_method::cape_cod) need(opt.exposure, "exposure");
  if (opt.dev.tail.kind == tail_kind::exponential || opt.dev.tail.kind == tail_kind::inverse_power)
    check_in_range(fn, "tail extrap_periods", opt.dev.tail.extrap_periods, 1, 100000);
  if (n_o < 1 || n_d < 1) throw invalid_input(std::string(fn) + ": the triangles are empty");
  batch_result r;
  for (Matrix* m : {&r.latest, &r.ultimate, &r.ibnr}) m->resize(n_seg, n_o);
  r.ldf.resize(n_seg, n_d - 1);
  r.cdf.resize(n_seg, n_d);
  r.tail.resize(n_seg);
  r.tail_ldfs.resize(n_seg, opt.dev.tail.kind == tail_kind::none ? 0
                            : opt.dev.tail.kind == tail_kind::constant
                                ? 1
                                : opt.dev.tail.extrap_periods);
  if (opt.method == batch_method::benktander || opt.method == batch_method::cape_cod)
    r.apriori.resize(n_seg, n_o);
  if (opt.method == batch_method::cape_cod) r.elr.resize(n_seg, n_o);
  if (is_mack) {
    for (Matrix* m : {&r.se, &r.process_se, &r.parameter_se}) m->resize(n_seg, n_o);
    for (Matrix* m : {&r.sigma, &r.f_se}) m->resize(n_seg, n_d - 1);
    for (Vector* v : {&r.total_se, &r.total_process_se, &r.total_parameter_se}) v->resize(n_seg);
  }
  parallel_for(n_seg, opt.threads, [&](Index s) {
    try {
      estimate_segment(values, s, n_o, n_d, opt, axes, r);
    } catch (const invalid_input& e) {
      // Name the segment (labels are only formatted on error, so the batch copies no strings),
      // and carry its position (and the cell's, if known) as data: a triangle_error.
      const auto k = static_cast<std::size_t>(s);
      const auto* cell = dynamic_cast<const triangle_error*>(&e);
      throw triangle_error("segment " +
                               (k < segments.size() ? segments[k] : triangle_axes::position(s)) +
                               ": " + e.what(),
                           s, cell ? cell->origin() : -1, cell ? cell->age() : -1, e.what());
    }
  });
  return r;
}

}  // namespace wifund::reserving
