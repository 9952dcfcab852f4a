#pragma once
// The over-dispersed Poisson (ODP) bootstrap of the chain ladder (England & Verrall 1999, 2002;
// Shapland 2016; R ChainLadder's BootChainLadder, chainladder-python's BootstrapODPSample):
//  1. volume-weighted chain ladder; fitted cumulative values back-cast from the latest diagonal,
//     C^(i,j) = C(i,latest) / (f_j ... f_{latest-1}); fitted incrementals m(i,j);
//  2. unscaled Pearson residuals r = (X - m) / sqrt(|m|) and the scale
//     phi = sum r^2 / (N - p), N observed cells, p = origins + ages - 1 parameters;
//  3. residuals standardised either by the hat matrix of the ODP GLM, r / sqrt(1 - h)
//     (hat_adjust, Shapland eq. 3.23), or by the degrees-of-freedom factor sqrt(N / (N - p))
//     (England & Verrall 2002); cells with leverage 1 (the corners, whose residuals are 0 by
//     construction) are left out of the pool, and the pool is centred on 0 (Shapland);
//  4. each simulation resamples the pool into pseudo incrementals m + r* sqrt(|m|), refits the
//     chain ladder, projects the expected future incrementals and draws each one from the process
//     distribution with mean m* and variance phi |m*|: odp = phi * Poisson(|m*| / phi), gamma =
//     Gamma(shape |m*| / phi, scale phi), with the sign of m* (R's BootChainLadder convention).
// Random numbers: the counter-based Philox streams of wifund/core/random.hpp (the same core as
// the Monte Carlo engine and the forecast simulations), stream id stream_id::bootstrap (16).
// Simulation s of segment g (0 for a single triangle) draws from its own stream, keyed by
// (seed, 16) and counted from scenario = g * 2^40 + s, so every simulated row is a pure function of
// (seed, segment, simulation): it does not depend on the number of threads, on the blocking of the
// work into bootstrap_block simulations or on how a run is split into calls. Residuals are picked
// by floor(n U) (U uniform on (0, 1) from 53 bits: the bias against a perfectly uniform index is
// below n 2^-53); the process draws are random.hpp's Poisson (PTRS above a mean of 10) and
// Marsaglia-Tsang gamma.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "wifund/core/parallel.hpp"
#include "wifund/core/random.hpp"
#include "wifund/reserving/chain_ladder.hpp"

namespace wifund::reserving {

enum class process_kind : int { odp = 0, gamma = 1 };

/// Simulations per random-number block (the unit of seeding and of work for the threads).
inline constexpr Index bootstrap_block = 64;

struct odp_bootstrap_model {
  std::vector<Index> len;
  Vector ldf;                ///< volume-weighted factors of the data
  Matrix fitted;             ///< fitted incrementals m(i,j) on the observed cells (NaN elsewhere)
  Matrix fitted_sd;          ///< sqrt(|m(i,j)|), the scale of a resampled residual in each cell
  Matrix residuals;          ///< unscaled Pearson residuals (NaN elsewhere)
  Matrix hat;                ///< leverages h(i,j) of the ODP GLM
  std::vector<double> pool;  ///< standardised, centred residuals that are resampled
  double scale = 0.0;        ///< phi
  Index n_obs = 0, n_params = 0;
};

/// Leverages of the ODP GLM log m(i,j) = a_i + b_j (b_0 = 0) with weights |m(i,j)|.
[[nodiscard]] inline Matrix odp_leverage(const Matrix& fitted, const std::vector<Index>& len) {
  const Index n_o = fitted.rows(), n_d = fitted.cols(), p = n_o + n_d - 1;
  Index n = 0;
  for (Index l : len) n += l;
  Matrix x = Matrix::Zero(n, p);
  Vector w(n);
  Index k = 0;
  for (Index i = 0; i < n_o; ++i)
    for (Index j = 0; j < len[static_cast<std::size_t>(i)]; ++j, ++k) {
      x(k, i) = 1.0;
      if (j > 0) x(k, n_o + j - 1) = 1.0;
      w(k) = std::abs(fitted(i, j));
    }
  const Eigen::MatrixXd xtwx = x.transpose() * w.asDiagonal() * x;
  const Eigen::MatrixXd sol = xtwx.ldlt().solve(Eigen::MatrixXd(x.transpose()));  // (X'WX)^-1 X'
  Matrix h = Matrix::Constant(n_o, n_d, std::nan(""));
  k = 0;
  for (Index i = 0; i < n_o; ++i)
    for (Index j = 0; j < len[static_cast<std::size_t>(i)]; ++j, ++k)
      h(i, j) = w(k) * x.row(k).dot(sol.col(k));
  return h;
}

[[nodiscard]] inline odp_bootstrap_model fit_odp_bootstrap(const MatrixRef& cum, bool hat_adjust,
                                                           const triangle_axes& axes = {}) {
  static constexpr const char* fn = "odp_bootstrap";
  const development_fit dev = fit_development(cum, {}, axes);
  odp_bootstrap_model m;
  m.len = dev.len;
  m.ldf = dev.ldf;
  const Index n_o = cum.rows(), n_d = cum.cols();
  for (Index j = 0; j + 1 < n_d; ++j)
    if (dev.ldf(j) == 0.0)
      throw invalid_input(check_message(fn, axes.where() + "factor from age " + axes.age(j), 0.0,
                                        "cannot be back-cast (the next age sums to 0)"));
  Matrix fc = Matrix::Constant(n_o, n_d, std::nan(""));
  for (Index i = 0; i < n_o; ++i) {
    const Index last = m.len[static_cast<std::size_t>(i)] - 1;
    fc(i, last) = cum(i, last);
    for (Index j = last - 1; j >= 0; --j) fc(i, j) = fc(i, j + 1) / dev.ldf(j);
  }
  m.fitted = to_incremental(fc);
  m.fitted_sd = m.fitted.array().abs().sqrt().matrix();
  const Matrix inc = to_incremental(cum);
  m.residuals = Matrix::Constant(n_o, n_d, std::nan(""));
  double chi2 = 0.0;
  for (Index i = 0; i < n_o; ++i)
    for (Index j = 0; j < m.len[static_cast<std::size_t>(i)]; ++j) {
      const double mu = m.fitted(i, j);
      if (mu == 0.0)
        throw invalid_input(
            check_message(fn, axes.cell(i, j), mu,
                          "is a fitted incremental of 0: its Pearson residual is undefined"));
      m.residuals(i, j) = (inc(i, j) - mu) / std::sqrt(std::abs(mu));
      chi2 += m.residuals(i, j) * m.residuals(i, j);
      ++m.n_obs;
    }
  m.n_params = n_o + n_d - 1;
  if (m.n_obs <= m.n_params)
    throw invalid_input(std::string(fn) + ": " + axes.where() + std::to_string(m.n_obs) +
                        " observed cells do not exceed the " + std::to_string(m.n_params) +
                        " parameters");
  const double dof = static_cast<double>(m.n_obs - m.n_params);
  m.scale = chi2 / dof;
  m.hat = odp_leverage(m.fitted, m.len);
  const double dof_factor = std::sqrt(static_cast<double>(m.n_obs) / dof);
  double mean = 0.0;
  for (Index i = 0; i < n_o; ++i)
    for (Index j = 0; j < m.len[static_cast<std::size_t>(i)]; ++j) {
      const double one_minus_h = 1.0 - m.hat(i, j);
      if (one_minus_h < 1e-8) continue;  // leverage 1: residual is 0 by construction
      m.pool.push_back(hat_adjust ? m.residuals(i, j) / std::sqrt(one_minus_h)
                                  : m.residuals(i, j) * dof_factor);
      mean += m.pool.back();
    }
  if (m.pool.empty())
    throw invalid_input(std::string(fn) + ": " + axes.where() + "no residual to resample");
  mean /= static_cast<double>(m.pool.size());
  for (double& r : m.pool) r -= mean;
  return m;
}

/// Simulations per segment the random streams can tell apart (the scenario counter of simulation
/// s of segment g is g * 2^40 + s).
inline constexpr Index bootstrap_max_sims = Index{1} << 40;

namespace detail {
/// The random stream of simulation `sim` of segment `segment`.
inline random_stream simulation_stream(std::uint64_t seed, Index segment, Index sim) {
  return random_stream(
      seed, (static_cast<std::uint64_t>(segment) << 40) | static_cast<std::uint64_t>(sim),
      stream_id::bootstrap);
}

/// One draw of an incremental with mean mu and variance phi |mu| (mu itself when phi = 0: a
/// triangle fitted exactly has no process variance).
inline double process_draw(random_stream& rng, double mu, double phi, process_kind kind) {
  if (mu == 0.0 || phi == 0.0) return mu;
  const double a = std::abs(mu) / phi, sign = mu < 0.0 ? -1.0 : 1.0;
  // Beyond 1e15 the count no longer fits the integer draw exactly and the process coefficient of
  // variation 1/sqrt(a) is below 3e-8: the draw is its mean.
  if (a > 1e15) return mu;
  if (kind == process_kind::gamma) return sign * rng.gamma(a, phi);
  return sign * phi * rng.poisson(a);
}

/// Simulated IBNR by origin of the simulations of one block below `last`; simulation k is written
/// to row `row0 + k` of `out`.
inline void simulate_block(const odp_bootstrap_model& m, process_kind kind, std::uint64_t seed,
                           Index segment, Index block, Index last, Matrix& out, Index row0) {
  const Index n_o = m.fitted.rows(), n_d = m.fitted.cols();
  const std::size_t n_pool = m.pool.size();
  const double pool_size = static_cast<double>(n_pool);
  Matrix c(n_o, n_d);
  Vector f(n_d > 1 ? n_d - 1 : 0);
  const Index end = std::min(last, (block + 1) * bootstrap_block);
  for (Index s = block * bootstrap_block; s < end; ++s) {
    random_stream rng = simulation_stream(seed, segment, s);
    const auto pick = [&] {
      return std::min(n_pool - 1, static_cast<std::size_t>(pool_size * rng.uniform()));
    };
    // Pseudo cumulative triangle.
    for (Index i = 0; i < n_o; ++i) {
      double acc = 0.0;
      for (Index j = 0; j < m.len[static_cast<std::size_t>(i)]; ++j) {
        acc += m.fitted(i, j) + m.pool[pick()] * m.fitted_sd(i, j);
        c(i, j) = acc;
      }
    }
    for (Index j = 0; j + 1 < n_d; ++j) {
      double num = 0.0, den = 0.0;
      for (Index i = 0; i < n_o; ++i)
        if (m.len[static_cast<std::size_t>(i)] > j + 1) {
          num += c(i, j + 1);
          den += c(i, j);
        }
      if (den == 0.0)
        throw invalid_input("odp_bootstrap: simulation " + std::to_string(s) +
                            ": the pseudo cumulative values at age #" + std::to_string(j) +
                            " sum to 0");
      f(j) = num / den;
    }
    for (Index i = 0; i < n_o; ++i) {
      double expected = c(i, m.len[static_cast<std::size_t>(i)] - 1), ibnr = 0.0;
      for (Index j = m.len[static_cast<std::size_t>(i)]; j < n_d; ++j) {
        const double next = expected * f(j - 1);
        ibnr += process_draw(rng, next - expected, m.scale, kind);
        expected = next;
      }
      out(row0 + s, i) = ibnr;
    }
  }
}
}  // namespace detail

/// Simulated IBNR by origin for simulations [sim_begin, sim_end): a (sim_end - sim_begin) x
/// origins matrix. sim_begin must be a multiple of bootstrap_block; the rows are the same whatever
/// `threads` and however a run is split into calls. `segment` selects the random streams of one
/// segment of a stack (0 for a single triangle).
[[nodiscard]] inline Matrix simulate_odp_bootstrap(const odp_bootstrap_model& m, process_kind kind,
                                                   std::uint64_t seed, Index sim_begin,
                                                   Index sim_end, int threads = 1,
                                                   Index segment = 0) {
  static constexpr const char* fn = "odp_bootstrap";
  if (sim_begin < 0 || sim_end < sim_begin || sim_begin % bootstrap_block != 0)
    throw invalid_input(std::string(fn) + ": simulations [" + std::to_string(sim_begin) + ", " +
                        std::to_string(sim_end) + ") must start at a multiple of " +
                        std::to_string(bootstrap_block));
  if (sim_end > bootstrap_max_sims || segment < 0 || segment >= (Index{1} << 23))
    throw invalid_input(std::string(fn) + ": simulations [" + std::to_string(sim_begin) + ", " +
                        std::to_string(sim_end) + ") of segment " + std::to_string(segment) +
                        " exceed the random streams (at most 2^40 simulations, 2^23 segments)");
  check_allocation(fn,
                   "simulations [" + std::to_string(sim_begin) + ", " + std::to_string(sim_end) +
                       ") x " + std::to_string(m.fitted.rows()) + " origins",
                   static_cast<double>(sim_end - sim_begin) * static_cast<double>(m.fitted.rows()),
                   sizeof(double));
  Matrix out(sim_end - sim_begin, m.fitted.rows());
  const Index b0 = sim_begin / bootstrap_block,
              b1 = (sim_end + bootstrap_block - 1) / bootstrap_block;
  parallel_for(b1 - b0, threads, [&](Index k) {
    detail::simulate_block(m, kind, seed, segment, b0 + k, sim_end, out, -sim_begin);
  });
  return out;
}

/// The bootstrap of segments first_segment, first_segment + 1, ... of a stack (one fitted model
/// each): rows k * n_sims .. (k + 1) * n_sims - 1 hold the simulations of models[k], identical to
/// simulate_odp_bootstrap(models[k], kind, seed, 0, n_sims, threads, first_segment + k). Threads
/// share the (segment, block) pairs.
[[nodiscard]] inline Matrix simulate_odp_bootstrap_stack(
    const std::vector<odp_bootstrap_model>& models, process_kind kind, std::uint64_t seed,
    Index first_segment, Index n_sims, int threads = 1) {
  if (n_sims < 0)
    throw invalid_input(check_message("odp_bootstrap", "n_sims", n_sims, "must be >= 0"));
  const Index n_models = static_cast<Index>(models.size());
  if (n_sims > bootstrap_max_sims || first_segment < 0 ||
      first_segment + n_models > (Index{1} << 23))
    throw invalid_input("odp_bootstrap: n_sims = " + std::to_string(n_sims) + " for segments " +
                        std::to_string(first_segment) + " .. " +
                        std::to_string(first_segment + n_models - 1) +
                        " exceed the random streams (at most 2^40 simulations, 2^23 segments)");
  const Index n_o = n_models ? models.front().fitted.rows() : 0;
  check_allocation(
      "odp_bootstrap",
      "n_sims = " + std::to_string(n_sims) + " for " + std::to_string(n_models) + " segments x " +
          std::to_string(n_o) + " origins",
      static_cast<double>(n_models) * static_cast<double>(n_sims) * static_cast<double>(n_o),
      sizeof(double));
  Matrix out(n_models * n_sims, n_models ? models.front().fitted.rows() : 0);
  const Index nb = (n_sims + bootstrap_block - 1) / bootstrap_block;
  parallel_for(n_models * nb, threads, [&](Index u) {
    const Index k = u / nb, b = u % nb;
    detail::simulate_block(models[static_cast<std::size_t>(k)], kind, seed, first_segment + k, b,
                           n_sims, out, k * n_sims);
  });
  return out;
}

}  // namespace wifund::reserving
