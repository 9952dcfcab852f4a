#pragma once
// The Monte Carlo scenario generator (issue #12; domain README §2.3-§2.4, §4.4, §4.8, §5.2). From
// the deterministic scenario of a context it draws, for scenario i of seed s, with the streams of
// core/random.hpp keyed by (s, i, stream id):
//  * economy: a VAR(1) of deviations z_j = A z_{j-1} + L e_j (z_{-1} = 0, e_j ~ N(0, I), L L' =
//    D R D with D = diag(sd), R the correlation matrix) plus a per-scenario level shift mu ~
//    N(0, diag(level_sd^2)) (parameter uncertainty), added to the deterministic paths of
//    economy_variables (the same provincial deviation in every city) and clipped to the ranges
//    that economy_paths::validate accepts;
//  * claim counts by city x class x year: N ~ Poisson(lambda) or negative binomial (variance
//    lambda + phi lambda^2) with lambda the expected injuries of the deterministic projection;
//    scenario.claim_multiplier = N / lambda;
//  * severity of the medical-type short-term costs: one multiplier a year with mean 1 and
//    coefficient of variation cv, lognormal (sigma^2 = ln(1 + cv^2), mu = -sigma^2 / 2) or gamma
//    (shape 1 / cv^2, scale cv^2);
//  * catastrophes (特别重大事故 and 重大事故: ten or more deaths): a Poisson(rate) number of events
//  a
//    year, each with min(floor(Pareto(min_deaths, alpha)), max_deaths) deaths in a city drawn with
//    probability its share of the year's expected deaths; scenario.catastrophe_deaths.
//  * mortality of beneficiaries (stochastic_sources::mortality): expected (off) or binomial (on),
//    drawn in the kernel's cohort roll rather than in the scenario (stochastic/mortality.hpp).
// A generator with every source off returns the deterministic scenario itself.
#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <algorithm>
#include <array>
#include <cmath>
#include <memory>
#include <string>
#include <string_view>

#include "wifund/core/axes.hpp"
#include "wifund/core/checks.hpp"
#include "wifund/core/random.hpp"
#include "wifund/fund/context.hpp"
#include "wifund/fund/projection.hpp"
#include "wifund/fund/scenario.hpp"
#include "wifund/stochastic/lean.hpp"

namespace wifund {

/// The economic paths the VAR(1) moves, in the order of its vectors and matrices.
namespace econ_var {
inline constexpr int wage_growth = 0;
inline constexpr int employment_growth = 1;
inline constexpr int coverage_growth = 2;
inline constexpr int collection_rate = 3;
inline constexpr int interest_rate = 4;
inline constexpr int cpi = 5;
inline constexpr int medical_inflation = 6;
inline constexpr int count = 7;
}  // namespace econ_var
inline constexpr std::array<std::string_view, econ_var::count> economy_variables{
    "wage_growth", "employment_growth", "coverage_growth", "collection_rate", "interest_rate",
    "cpi",         "medical_inflation"};

enum class ClaimCounts { poisson = 0, negative_binomial = 1 };
enum class Severity { lognormal = 0, gamma = 1 };

/// The sources of randomness and their parameters. Every value is set by the caller (defaults:
/// python/wifund/stochastic.py); zero-initialised here means "off".
struct stochastic_sources {
  bool economy = false;
  Vector sd;        ///< econ_var::count innovation standard deviations
  Matrix corr;      ///< correlation of the innovations (symmetric, unit diagonal, PD)
  Matrix ar;        ///< VAR(1) coefficient matrix A (spectral radius < 1)
  Vector level_sd;  ///< per-scenario level shift standard deviations (parameter uncertainty)
  bool claims = false;
  ClaimCounts claim_counts = ClaimCounts::poisson;
  double dispersion = 0;  ///< phi of the negative binomial (variance lambda + phi lambda^2)
  bool severity = false;
  Severity severity_law = Severity::lognormal;
  double severity_cv = 0;
  bool catastrophes = false;
  double catastrophe_rate = 0;  ///< expected events a year in the province
  double catastrophe_min_deaths = 10;
  double catastrophe_alpha = 1.5;  ///< Pareto tail index of the deaths of one event
  double catastrophe_max_deaths = 1000;
  bool mortality = false;  ///< binomial deaths of beneficiaries (off: expected deaths)
};

namespace detail {
inline void check_var_matrix(const Matrix& m, const char* name) {
  if (m.rows() != econ_var::count || m.cols() != econ_var::count)
    throw invalid_input("stochastic sources: " + std::string(name) + " has shape " +
                        std::to_string(m.rows()) + "x" + std::to_string(m.cols()) + ", expected " +
                        std::to_string(econ_var::count) + "x" + std::to_string(econ_var::count));
}
inline void check_var_vector(const Vector& v, const char* name) {
  if (v.size() != econ_var::count)
    throw invalid_input("stochastic sources: " + std::string(name) + " has length " +
                        std::to_string(v.size()) + ", expected " + std::to_string(econ_var::count));
  for (int i = 0; i < econ_var::count; ++i)
    if (!(v[i] >= 0) || !std::isfinite(v[i]))
      check_nonnegative("stochastic sources",
                        std::string(name) + "[" + std::string(economy_variables[i]) + "]", v[i]);
}
}  // namespace detail

/// Validates the sources; returns the Cholesky factor L of D R D (zero when the economy is off).
inline Matrix validate(const stochastic_sources& s) {
  static constexpr const char* fn = "stochastic sources";
  Matrix L = Matrix::Zero(econ_var::count, econ_var::count);
  if (s.economy) {
    detail::check_var_vector(s.sd, "sd");
    detail::check_var_vector(s.level_sd, "level_sd");
    detail::check_var_matrix(s.corr, "corr");
    detail::check_var_matrix(s.ar, "ar");
    for (int i = 0; i < econ_var::count; ++i)
      for (int k = 0; k < econ_var::count; ++k) {
        const std::string at = std::string("[") + std::string(economy_variables[i]) + ", " +
                               std::string(economy_variables[k]) + "]";
        if (!std::isfinite(s.corr(i, k)) || std::fabs(s.corr(i, k) - s.corr(k, i)) > 1e-12)
          throw invalid_input(
              check_message(fn, "corr" + at, s.corr(i, k), "must be finite and symmetric"));
        if (i == k && std::fabs(s.corr(i, i) - 1) > 1e-12)
          throw invalid_input(check_message(fn, "corr" + at, s.corr(i, i), "must be 1"));
        if (!std::isfinite(s.ar(i, k)))
          throw invalid_input(check_message(fn, "ar" + at, s.ar(i, k), "must be finite"));
      }
    const Eigen::SelfAdjointEigenSolver<Matrix> eig(s.corr);
    const double min_eig = eig.eigenvalues().minCoeff();
    if (!(min_eig > 1e-10))
      throw invalid_input(
          check_message(fn, "corr (smallest eigenvalue)", min_eig, "is not positive definite"));
    const double radius = Eigen::EigenSolver<Matrix>(s.ar).eigenvalues().cwiseAbs().maxCoeff();
    if (!(radius < 1))
      throw invalid_input(check_message(fn, "ar (spectral radius)", radius,
                                        "must be below 1 (a stationary VAR(1))"));
    // D R D = (D L_R)(D L_R)' with L_R the Cholesky factor of R (a zero sd is allowed).
    L = s.sd.asDiagonal() * Matrix(s.corr.llt().matrixL());
  }
  if (s.claims) {
    if (!(s.dispersion >= 0) || !std::isfinite(s.dispersion))
      check_nonnegative(fn, "dispersion", s.dispersion);
  }
  if (s.severity) {
    if (!(s.severity_cv >= 0) || !(s.severity_cv <= 10))
      throw invalid_input(check_message(fn, "severity_cv", s.severity_cv, "must lie in [0, 10]"));
  }
  if (s.catastrophes) {
    if (!(s.catastrophe_rate >= 0) || !(s.catastrophe_rate <= 1000))
      throw invalid_input(
          check_message(fn, "catastrophe_rate", s.catastrophe_rate, "must lie in [0, 1000]"));
    if (!(s.catastrophe_min_deaths >= 1) || !std::isfinite(s.catastrophe_min_deaths))
      throw invalid_input(check_message(fn, "catastrophe_min_deaths", s.catastrophe_min_deaths,
                                        "must be at least 1"));
    if (!(s.catastrophe_alpha > 0) || !std::isfinite(s.catastrophe_alpha))
      check_positive(fn, "catastrophe_alpha", s.catastrophe_alpha);
    if (!(s.catastrophe_max_deaths >= s.catastrophe_min_deaths) ||
        !std::isfinite(s.catastrophe_max_deaths))
      throw invalid_input(check_message(fn, "catastrophe_max_deaths", s.catastrophe_max_deaths,
                                        "must be finite and at least catastrophe_min_deaths"));
  }
  return L;
}

/// A validated generator for one context and deterministic scenario: shared read-only by threads.
class scenario_generator {
 public:
  /// `with_lean` false: the lean kernel's stock tables are not built (a caller that runs only the
  /// full kernel, e.g. the rate-setting solver's reference evaluation, skips their ~35-100 ms).
  scenario_generator(std::shared_ptr<const projection_context> x, scenario base,
                     stochastic_sources sources, bool with_lean = true)
      : x_(std::move(x)), base_(std::move(base)), src_(std::move(sources)) {
    validate(*x_, base_);
    chol_ = validate(src_);
    if (src_.claims || src_.catastrophes) {
      const projection_result r = project(*x_, base_);
      const int C = x_->cities(), T = x_->years;
      expected_injuries_ = Matrix::Zero(C * risk_class::count, T);
      city_weight_ = Matrix::Zero(C, T);
      for (int c = 0; c < C; ++c)
        for (int j = 0; j < T; ++j) {
          for (int k = 0; k < risk_class::count; ++k)
            expected_injuries_(c * risk_class::count + k, j) = r.injuries_ck[r.ck_index(c, k, j)];
          city_weight_(c, j) = r.deaths[static_cast<std::size_t>(c) * T + j];
        }
    }
    lean_reason_ = with_lean ? wifund::lean_reason(*x_, src_.mortality)
                             : std::string("the lean kernel was not built for this generator");
    if (lean_reason_.empty()) lean_ = std::make_shared<const lean_stock>(*x_);
  }

  /// The stock's precomputed roll of the lean kernel (stochastic/lean.hpp); null where it is not
  /// exact (lean_reason() says why).
  [[nodiscard]] const lean_stock* lean() const noexcept { return lean_.get(); }
  [[nodiscard]] const std::string& lean_reason() const noexcept { return lean_reason_; }

  [[nodiscard]] const projection_context& context() const { return *x_; }
  [[nodiscard]] const std::shared_ptr<const projection_context>& context_ptr() const { return x_; }
  [[nodiscard]] const scenario& base() const { return base_; }
  [[nodiscard]] const stochastic_sources& sources() const { return src_; }
  [[nodiscard]] const Matrix& expected_injuries() const { return expected_injuries_; }

  /// Scenario `index` of `seed`.
  [[nodiscard]] scenario draw(std::uint64_t seed, std::uint64_t index) const {
    scenario s = base_;
    const int C = x_->cities(), T = x_->years;
    if (src_.economy) draw_economy(seed, index, s.economy);
    if (src_.claims) {
      random_stream r(seed, index, stream_id::claims);
      s.claim_multiplier = Matrix::Ones(C * risk_class::count, T);
      for (int j = 0; j < T; ++j)
        for (int row = 0; row < C * risk_class::count; ++row) {
          const double lambda = expected_injuries_(row, j);
          if (!(lambda > 0)) continue;
          const double n = src_.claim_counts == ClaimCounts::poisson
                               ? r.poisson(lambda)
                               : r.negative_binomial(lambda, src_.dispersion);
          s.claim_multiplier(row, j) = n / lambda;
        }
    }
    if (src_.severity) {
      random_stream r(seed, index, stream_id::severity);
      s.severity_multiplier = Vector::Ones(T);
      const double cv = src_.severity_cv;
      if (cv > 0)
        for (int j = 0; j < T; ++j) {
          if (src_.severity_law == Severity::lognormal) {
            const double sigma2 = std::log1p(cv * cv);
            s.severity_multiplier[j] = r.lognormal(-0.5 * sigma2, std::sqrt(sigma2));
          } else {
            s.severity_multiplier[j] = r.gamma(1 / (cv * cv), cv * cv);
          }
        }
    }
    if (src_.catastrophes) {
      random_stream r(seed, index, stream_id::catastrophe);
      s.catastrophe_deaths = Matrix::Zero(C, T);
      for (int j = 0; j < T; ++j) {
        const double events = r.poisson(src_.catastrophe_rate);
        const double total = city_weight_.col(j).sum();
        for (int e = 0; e < static_cast<int>(events); ++e) {
          const double d =
              std::min(std::floor(r.pareto(src_.catastrophe_min_deaths, src_.catastrophe_alpha)),
                       src_.catastrophe_max_deaths);
          const double u = r.uniform() * total;
          int c = 0;
          double acc = city_weight_(0, j);
          while (c + 1 < C && u > acc) acc += city_weight_(++c, j);
          s.catastrophe_deaths(c, j) += d;
        }
      }
    }
    return s;
  }

 private:
  void draw_economy(std::uint64_t seed, std::uint64_t index, economy_paths& e) const {
    random_stream shocks(seed, index, stream_id::economy);
    random_stream levels(seed, index, stream_id::parameters);
    Eigen::Matrix<double, econ_var::count, 1> mu, z = decltype(z)::Zero(), eps;
    for (int v = 0; v < econ_var::count; ++v) mu[v] = src_.level_sd[v] * levels.normal();
    const int C = x_->cities(), T = x_->years;
    const auto clip = [](double v, double lo, double hi) { return std::clamp(v, lo, hi); };
    for (int j = 0; j < T; ++j) {
      for (int v = 0; v < econ_var::count; ++v) eps[v] = shocks.normal();
      z = src_.ar * z + chol_ * eps;
      const auto d = [&](int v) { return z[v] + mu[v]; };
      for (int c = 0; c < C; ++c) {
        e.wage_growth(c, j) = clip(e.wage_growth(c, j) + d(econ_var::wage_growth), -0.5, 1.0);
        e.employment_growth(c, j) =
            clip(e.employment_growth(c, j) + d(econ_var::employment_growth), -0.5, 1.0);
        e.coverage_growth(c, j) =
            clip(e.coverage_growth(c, j) + d(econ_var::coverage_growth), -0.5, 1.0);
        e.collection_rate(c, j) =
            clip(e.collection_rate(c, j) + d(econ_var::collection_rate), 0.0, 1.0);
      }
      e.interest_rate[j] = clip(e.interest_rate[j] + d(econ_var::interest_rate), -0.5, 1.0);
      e.cpi[j] = clip(e.cpi[j] + d(econ_var::cpi), -0.5, 1.0);
      e.medical_inflation[j] =
          clip(e.medical_inflation[j] + d(econ_var::medical_inflation), -0.5, 1.0);
    }
  }

  std::shared_ptr<const projection_context> x_;
  scenario base_;
  stochastic_sources src_;
  Matrix chol_;
  Matrix expected_injuries_;  ///< (C x 9) x T, of the deterministic scenario
  Matrix city_weight_;        ///< C x T, expected deaths (where catastrophes strike)
  std::shared_ptr<const lean_stock> lean_;
  std::string lean_reason_;
};

}  // namespace wifund
