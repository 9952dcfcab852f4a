#pragma once
// Maximum-likelihood estimation of the non-seasonal ETS models of ets.hpp, with statsmodels'
// ETSModel conventions:
//   * bounds   1e-4 <= alpha <= 1 - 1e-4,  1e-4 <= beta* = beta/alpha <= 1 - 1e-4,
//              0.8 <= phi <= 0.98, initial states unbounded. When beta is fixed by the user, alpha
//              is bounded alone (statsmodels then optimises beta itself, not beta*).
//   * initialisation "estimated": l_{-1}, b_{-1} are parameters (start values from the heuristic
//     for n >= 10, else the simple one); "heuristic": fixed at the least-squares line through the
//     first 10 observations (Hyndman et al. 2008, sec. 2.6.1); "legacy-heuristic": fixed at
//     l = y_0, b = y_1 - y_0 (or y_1 / y_0), the values of statsmodels 0.11 and earlier.
//   * AIC/AICc/BIC count every free parameter plus sigma^2 (statsmodels' df_model).
// One deliberate difference: with a multiplicative trend the initial level is bounded below by
// 0.1 min(y) (statsmodels leaves it free), which shuts out a degenerate optimum with l ~ 0.
//
// Search strategy (the likelihood surfaces of short series are often multi-modal in alpha, beta,
// phi, with optima on the bounds): for the linear additive-error models (ANN, AAN, AAdN) the
// initial states are concentrated out in closed form, leaving at most 3 coordinates. Every fit
// screens statsmodels' start point and a grid over (alpha, beta*, phi); coarse NLopt BOBYQA runs
// (bound-constrained quadratic models, derivative-free) start from the best grid point of each
// alpha band; the best results are refined to tight tolerances and, for the non-linear forms,
// polished by bounded L-BFGS on central differences and BOBYQA until no further gain.
#include <nlopt.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <numbers>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "wifund/core/checks.hpp"
#include "wifund/core/errors.hpp"
#include "wifund/core/parallel.hpp"
#include "wifund/forecast/ets.hpp"
#include "wifund/forecast/interval.hpp"

namespace wifund::forecast {

enum class init_method : int { estimated = 0, heuristic = 1, legacy_heuristic = 2 };

inline constexpr double ets_smoothing_lower = 1e-4;
inline constexpr double ets_smoothing_upper = 1.0 - 1e-4;
inline constexpr double ets_phi_lower = 0.8;
inline constexpr double ets_phi_upper = 0.98;

/// Parameters held fixed during estimation; NaN = estimate it.
struct ets_fixed {
  double alpha = std::numeric_limits<double>::quiet_NaN();
  double beta = std::numeric_limits<double>::quiet_NaN();
  double phi = std::numeric_limits<double>::quiet_NaN();
};

struct ets_options {
  init_method init = init_method::estimated;
  ets_fixed fixed{};
};

/// Initial states (l_{-1}, b_{-1}).
struct ets_initial {
  double level = 0.0;
  double trend = 0.0;
};

/// A fitted model: parameters, information criteria and the in-sample filter output.
struct ets_fit_result {
  ets_spec spec{};
  init_method init = init_method::estimated;
  ets_params params{};
  int nobs = 0;
  int df_model = 0;  // free parameters + 1 (sigma^2), as statsmodels
  double loglik = 0.0, aic = 0.0, aicc = 0.0, bic = 0.0, mse = 0.0;
  Vector fitted, residuals, level, trend;
  int n_evals = 0;  // likelihood evaluations spent by the optimiser
  /// Final states (l_n, b_n), the anchor of out-of-sample forecasts.
  [[nodiscard]] double last_level() const { return level[level.size() - 1]; }
  [[nodiscard]] double last_trend() const { return trend[trend.size() - 1]; }
};

/// statsmodels' _initialization_simple (non-seasonal): l = y_0, b = y_1 - y_0 or y_1 / y_0.
inline ets_initial ets_simple_init(std::span<const double> y, trend_type trend) {
  ets_initial s{y[0], 0.0};
  if (trend == trend_type::additive) s.trend = y[1] - y[0];
  if (trend == trend_type::multiplicative) s.trend = y[1] / y[0];
  return s;
}

/// statsmodels' _initialization_heuristic (non-seasonal): least-squares line a + b t, t = 1..10,
/// through the first ten observations; l = a, b = b (additive) or 1 + b / a (multiplicative).
inline ets_initial ets_heuristic_init(std::span<const double> y, trend_type trend) {
  if (y.size() < 10)
    throw invalid_input("ets: initialization = 'heuristic' needs at least 10 observations, got " +
                        std::to_string(y.size()));
  // Closed-form OLS on t = 1..10: mean t = 5.5, sum (t - 5.5)^2 = 82.5.
  double ybar = 0.0;
  for (int t = 0; t < 10; ++t) ybar += y[static_cast<std::size_t>(t)];
  ybar /= 10.0;
  double sxy = 0.0;
  for (int t = 0; t < 10; ++t) sxy += (t + 1 - 5.5) * (y[static_cast<std::size_t>(t)] - ybar);
  const double slope = sxy / 82.5;
  const double intercept = ybar - slope * 5.5;
  ets_initial s{intercept, 0.0};
  if (trend == trend_type::additive) s.trend = slope;
  if (trend == trend_type::multiplicative) s.trend = 1.0 + slope / intercept;
  return s;
}

namespace detail {

inline bool is_fixed(double v) noexcept { return !std::isnan(v); }

/// Number of estimated parameters (without sigma^2) for a spec and options.
inline int ets_free_params(const ets_spec& spec, const ets_options& o) noexcept {
  int k = is_fixed(o.fixed.alpha) ? 0 : 1;
  if (spec.has_trend() && !is_fixed(o.fixed.beta)) ++k;
  if (spec.damped && !is_fixed(o.fixed.phi)) ++k;
  if (o.init == init_method::estimated) k += spec.has_trend() ? 2 : 1;
  return k;
}

/// RAII owner of an nlopt_opt.
struct nlopt_deleter {
  void operator()(nlopt_opt o) const noexcept { nlopt_destroy(o); }
};
using nlopt_ptr = std::unique_ptr<std::remove_pointer_t<nlopt_opt>, nlopt_deleter>;

/// Least-squares initial states and the minimised sum of squares.
struct ls_states {
  double level = 0.0, trend = 0.0;
  double sse = 0.0;  // sum of squared additive errors at (level, trend)
  double srr = 0.0;  // sum of squared errors at the centre (to judge cancellation in sse)
};

/// Least-squares initial states for given smoothing parameters when the recursion is linear
/// (additive trend or none): the one-step predictions are affine in (l_{-1}, b_{-1}),
/// yhat = c + (l - l_c) u + (b - b_c) v with c the predictions from the centre (l_c, b_c), so the
/// sum of squared additive errors is minimised in closed form in one pass. For the additive-error
/// linear models this concentrates the states out of the likelihood exactly; for the others it
/// gives good start values. Centring at the heuristic states keeps c close to y, so the closed-form
/// minimum sse = sum r^2 - g' M^-1 g does not lose digits to cancellation.
inline ls_states ls_initial_states(std::span<const double> y, bool has_trend, double alpha,
                                   double beta_star, double phi, ets_initial centre) noexcept {
  double lc = centre.level, bc = has_trend ? centre.trend : 0.0, lu = 1.0, bu = 0.0, lv = 0.0,
         bv = 1.0;
  double suu = 0.0, suv = 0.0, svv = 0.0, sur = 0.0, svr = 0.0, srr = 0.0;
  for (const double yt : y) {
    // c: data from the centre states; u, v: no data, unit level / unit trend.
    const double c = lc + phi * bc, u = lu + phi * bu, v = has_trend ? lv + phi * bv : 0.0;
    const double r = yt - c;
    suu += u * u, suv += u * v, svv += v * v, sur += u * r, svr += v * r, srr += r * r;
    const double lc1 = alpha * yt + (1.0 - alpha) * c, lu1 = (1.0 - alpha) * u,
                 lv1 = (1.0 - alpha) * v;
    bc = beta_star * (lc1 - lc) + (1.0 - beta_star) * phi * bc;
    bu = beta_star * (lu1 - lu) + (1.0 - beta_star) * phi * bu;
    bv = beta_star * (lv1 - lv) + (1.0 - beta_star) * phi * bv;
    lc = lc1, lu = lu1, lv = lv1;
  }
  ls_states out{centre.level, has_trend ? centre.trend : 0.0, srr, srr};
  const double det = suu * svv - suv * suv;
  if (has_trend && std::abs(det) > 1e-12 * std::max(1e-300, suu * svv)) {
    const double dl = (svv * sur - suv * svr) / det, db = (suu * svr - suv * sur) / det;
    out.level += dl;
    out.trend += db;
    out.sse = srr - (dl * sur + db * svr);
  } else if (suu > 0.0) {
    const double dl = sur / suu;
    out.level += dl;
    out.sse = srr - dl * sur;
  }
  return out;
}

/// The estimation problem in optimiser coordinates x = (alpha, beta* or beta, phi, u_l, u_b),
/// restricted to the free ones. Initial states are centred and scaled (l = c_l + s_l u_l) so that
/// the optimiser sees all coordinates on a comparable scale.
class ets_problem {
 public:
  ets_problem(const ets_spec& spec, std::span<const double> y, const ets_options& o,
              ets_initial init)
      : spec_(spec), y_(y), o_(o), init_(init) {
    const auto& f = o.fixed;
    free_alpha_ = !is_fixed(f.alpha);
    free_beta_ = spec.has_trend() && !is_fixed(f.beta);
    free_phi_ = spec.damped && !is_fixed(f.phi);
    free_states_ = o.init == init_method::estimated;
    profile_ = free_states_ && spec.error == error_type::additive &&
               spec.trend != trend_type::multiplicative;
    // statsmodels optimises beta* = beta/alpha unless beta has user bounds (here: is fixed).
    // Scale of the level: the typical one-step change of the series (never zero).
    double scale = 0.0;
    for (std::size_t t = 1; t < y.size(); ++t) scale += std::abs(y[t] - y[t - 1]);
    scale /= static_cast<double>(std::max<std::size_t>(1, y.size() - 1));
    double ymax = 0.0;
    min_y_ = std::numeric_limits<double>::infinity();
    for (double v : y) ymax = std::max(ymax, std::abs(v)), min_y_ = std::min(min_y_, v);
    scale_l_ = std::max({scale, 1e-6 * ymax, 1e-12});
    scale_b_ = spec.trend == trend_type::multiplicative
                   ? std::max(scale_l_ / std::max(ymax, 1e-300), 1e-6)
                   : scale_l_;
  }

  [[nodiscard]] int dim() const noexcept {
    return int(free_alpha_) + int(free_beta_) + int(free_phi_) + n_state_coords();
  }
  [[nodiscard]] int n_state_coords() const noexcept {
    return free_states_ && !profile_ ? (spec_.has_trend() ? 2 : 1) : 0;
  }

  /// The smoothing parameters (alpha, beta*, phi) of optimiser coordinates; returns how many
  /// coordinates they used.
  int unpack_smoothing(const double* x, double& alpha, double& beta_star,
                       double& phi) const noexcept {
    int i = 0;
    alpha = free_alpha_ ? x[i++] : o_.fixed.alpha;
    if (!spec_.has_trend())
      beta_star = 0.0;
    else if (free_beta_)
      beta_star = x[i++];
    else
      beta_star = o_.fixed.beta / alpha;
    phi = !spec_.damped ? 1.0 : (free_phi_ ? x[i++] : o_.fixed.phi);
    return i;
  }

  /// Maps optimiser coordinates to the model's internal parameters (alpha, beta*, phi, l0, b0).
  void unpack(const double* x, double& alpha, double& beta_star, double& phi, double& l0,
              double& b0) const noexcept {
    int i = unpack_smoothing(x, alpha, beta_star, phi);
    if (profile_) {
      const auto s = ls_initial_states(y_, spec_.has_trend(), alpha, beta_star, phi, init_);
      l0 = s.level;
      b0 = s.trend;
    } else if (free_states_) {
      l0 = init_.level + scale_l_ * x[i++];
      b0 = spec_.has_trend() ? init_.trend + scale_b_ * x[i++] : 0.0;
    } else {
      l0 = init_.level;
      b0 = spec_.has_trend() ? init_.trend : 0.0;
    }
  }

  /// True when the initial states are concentrated out (additive error, linear trend, estimated).
  [[nodiscard]] bool profiled() const noexcept { return profile_; }

  /// Negative log-likelihood; non-finite values (e.g. a negative multiplicative trend) become a
  /// large penalty so that the optimiser backs away instead of stopping.
  double objective(const double* x) noexcept {
    ++evals_;
    double a, bs, phi, l0, b0;
    if (profile_) {
      // One pass: the concentrated likelihood -n/2 (log(2 pi sse/n) + 1) from the closed-form
      // minimum, unless cancellation could have eaten its digits (then an explicit pass).
      unpack_smoothing(x, a, bs, phi);
      const auto s = ls_initial_states(y_, spec_.has_trend(), a, bs, phi, init_);
      if (s.sse > 1e-6 * s.srr && s.sse > 0.0) {
        const double n = static_cast<double>(y_.size());
        return 0.5 * n * (std::log(2.0 * std::numbers::pi * s.sse / n) + 1.0);
      }
    }
    unpack(x, a, bs, phi, l0, b0);
    const double ll = ets_loglik_star(spec_, y_, a, bs, phi, l0, b0).loglik;
    return std::isfinite(ll) ? -ll : 1e300;
  }

  /// Optimiser coordinates of given smoothing parameters (alpha, beta*, phi); the states start at
  /// the heuristic values (`ls` false, statsmodels' start) or at the least-squares ones.
  [[nodiscard]] std::vector<double> point(double alpha, double beta_star, double phi,
                                          bool ls) const {
    std::vector<double> x;
    if (free_alpha_) x.push_back(alpha);
    if (free_beta_) x.push_back(beta_star);
    if (free_phi_) x.push_back(phi);
    if (n_state_coords() > 0) {
      double ul = 0.0, ub = 0.0;
      if (ls) {
        const double a = free_alpha_ ? alpha : o_.fixed.alpha;
        const double bs = !spec_.has_trend() ? 0.0 : (free_beta_ ? beta_star : o_.fixed.beta / a);
        const double ph = !spec_.damped ? 1.0 : (free_phi_ ? phi : o_.fixed.phi);
        const auto s = ls_initial_states(y_, spec_.has_trend(), a, bs, ph, init_);
        double b0 = s.trend;
        // A multiplicative trend starts at the ratio implied by the additive fit.
        if (spec_.trend == trend_type::multiplicative)
          b0 = s.level > 0.0 ? 1.0 + s.trend / s.level : init_.trend;
        if (std::isfinite(s.level) && std::isfinite(b0)) {
          ul = (s.level - init_.level) / scale_l_;
          ub = (b0 - init_.trend) / scale_b_;
        }
      }
      x.push_back(ul);
      if (spec_.has_trend()) x.push_back(ub);
    }
    return x;
  }

  void bounds(std::vector<double>& lb, std::vector<double>& ub, std::vector<double>& step) const {
    lb.clear();
    ub.clear();
    step.clear();
    // beta fixed: alpha keeps its own bounds; statsmodels then does not require beta <= alpha.
    if (free_alpha_)
      lb.push_back(ets_smoothing_lower), ub.push_back(ets_smoothing_upper), step.push_back(0.05);
    if (free_beta_)
      lb.push_back(ets_smoothing_lower), ub.push_back(ets_smoothing_upper), step.push_back(0.05);
    if (free_phi_) lb.push_back(ets_phi_lower), ub.push_back(ets_phi_upper), step.push_back(0.02);
    {
      const int ns = n_state_coords();
      for (int s = 0; s < ns; ++s) lb.push_back(-1e12), ub.push_back(1e12), step.push_back(0.25);
      // A multiplicative trend needs positive initial states (data are positive, b^phi must be
      // real); l_{-1} >= 0.1 min(y) also keeps the optimiser out of a degenerate basin with
      // l ~ 0, where l_0 / l_{-1} explodes and the fit is meaningless.
      if (spec_.trend == trend_type::multiplicative && ns == 2) {
        const std::size_t k = lb.size() - 2;
        lb[k] = (0.1 * min_y_ - init_.level) / scale_l_;
        lb[k + 1] = (1e-8 - init_.trend) / scale_b_;
        // Never an inverted box (std::clamp and BOBYQA need lb <= ub): far-off start states move
        // the box, they do not invert it.
        for (std::size_t i = k; i < k + 2; ++i) ub[i] = std::max(ub[i], lb[i] + 1e12);
      }
    }
  }

  [[nodiscard]] int evals() const noexcept { return evals_; }
  [[nodiscard]] const ets_initial& init() const noexcept { return init_; }

 private:
  ets_spec spec_;
  std::span<const double> y_;
  ets_options o_;
  ets_initial init_;
  bool free_alpha_ = true, free_beta_ = true, free_phi_ = true, free_states_ = true,
       profile_ = false;
  double scale_l_ = 1.0, scale_b_ = 1.0, min_y_ = 0.0;
  int evals_ = 0;
};

inline double nlopt_objective(unsigned, const double* x, double*, void* data) {
  return static_cast<ets_problem*>(data)->objective(x);
}

/// Objective with a central-difference gradient (steps kept inside the box) for NLopt's
/// quasi-Newton polish: curvature information crosses the narrow ridges (alpha at its bound,
/// phi against b) on which BOBYQA's trust region stalls.
struct gradient_data {
  ets_problem* prob;
  const std::vector<double>* lb;
  const std::vector<double>* ub;
};

inline double nlopt_objective_grad(unsigned n, const double* x, double* grad, void* data) {
  auto* d = static_cast<gradient_data*>(data);
  const double f = d->prob->objective(x);
  if (grad != nullptr) {
    std::vector<double> xp(x, x + n);
    for (unsigned i = 0; i < n; ++i) {
      const double h = 1e-7 * std::max(1.0, std::abs(x[i]));
      const double up = std::min(x[i] + h, (*d->ub)[i]), dn = std::max(x[i] - h, (*d->lb)[i]);
      xp[i] = up;
      const double fu = d->prob->objective(xp.data());
      xp[i] = dn;
      const double fd = d->prob->objective(xp.data());
      xp[i] = x[i];
      grad[i] = up > dn ? (fu - fd) / (up - dn) : 0.0;
    }
  }
  return f;
}

/// A bounded L-BFGS polish from x; keeps x unchanged unless the objective improves.
inline double gradient_polish(ets_problem& prob, std::vector<double>& x, double f0, int max_evals) {
  const auto n = static_cast<unsigned>(x.size());
  std::vector<double> lb, ub, step;
  prob.bounds(lb, ub, step);
  gradient_data data{&prob, &lb, &ub};
  nlopt_ptr opt(nlopt_create(NLOPT_LD_LBFGS, n));
  nlopt_set_lower_bounds(opt.get(), lb.data());
  nlopt_set_upper_bounds(opt.get(), ub.data());
  nlopt_set_min_objective(opt.get(), nlopt_objective_grad, &data);
  nlopt_set_ftol_abs(opt.get(), 1e-12);
  nlopt_set_xtol_rel(opt.get(), 1e-12);
  nlopt_set_maxeval(opt.get(), max_evals);
  std::vector<double> y = x;
  double f = std::numeric_limits<double>::infinity();
  const nlopt_result rc = nlopt_optimize(opt.get(), y.data(), &f);
  if (rc > 0 || rc == NLOPT_ROUNDOFF_LIMITED || rc == NLOPT_MAXEVAL_REACHED) {
    if (f < f0) {
      x = y;
      return f;
    }
  }
  return f0;
}

/// One local BOBYQA run from x (clipped into the box); returns the objective at the result.
inline double local_minimize(ets_problem& prob, std::vector<double>& x, int max_evals,
                             double ftol_abs = 1e-10) {
  const auto n = static_cast<unsigned>(x.size());
  std::vector<double> lb, ub, step;
  prob.bounds(lb, ub, step);
  for (unsigned i = 0; i < n; ++i) x[i] = std::clamp(x[i], lb[i], ub[i]);
  nlopt_ptr opt(nlopt_create(NLOPT_LN_BOBYQA, n));
  nlopt_set_lower_bounds(opt.get(), lb.data());
  nlopt_set_upper_bounds(opt.get(), ub.data());
  nlopt_set_initial_step(opt.get(), step.data());
  nlopt_set_min_objective(opt.get(), nlopt_objective, &prob);
  // The likelihood must be right to well below 1e-6; 1e-9 absolute is cheap at these dimensions.
  nlopt_set_xtol_rel(opt.get(), ftol_abs == 0.0 ? 1e-12 : (ftol_abs < 1e-6 ? 1e-9 : 1e-5));
  nlopt_set_ftol_abs(opt.get(), ftol_abs);
  nlopt_set_maxeval(opt.get(), max_evals);
  double f = std::numeric_limits<double>::infinity();
  const nlopt_result rc = nlopt_optimize(opt.get(), x.data(), &f);
  // Round-off and evaluation limits still leave the best point found in x; only a failure to
  // start (invalid arguments, out of memory) is an error.
  if (rc == NLOPT_INVALID_ARGS || rc == NLOPT_OUT_OF_MEMORY)
    throw convergence_error("ets: NLopt BOBYQA failed to start (code " + std::to_string(int(rc)) +
                            ")");
  return f;
}

}  // namespace detail

/// Smallest series length for a spec: the AICc needs n > df_model + 1, trends need two points and
/// the heuristic initialisation ten.
[[nodiscard]] inline int ets_min_nobs(const ets_spec& spec, const ets_options& o) noexcept {
  int n = detail::ets_free_params(spec, o) + 3;  // df_model = k + 1, and n - df_model - 1 >= 1
  if (spec.has_trend()) n = std::max(n, 2);
  if (o.init == init_method::heuristic) n = std::max(n, 10);
  return n;
}

/// Argument checks shared by fitting and batch fitting: length, finiteness, positivity, fixed
/// parameter ranges. `what` names the series in messages (e.g. "series 'Jilin wage'").
inline void ets_check(const ets_spec& spec, std::span<const double> y, const ets_options& o,
                      std::string_view what) {
  const std::string fn = "ets(" + spec.short_name() + ")";
  spec.validate(fn);
  const int need = ets_min_nobs(spec, o);
  if (static_cast<int>(y.size()) < need)
    throw invalid_input(fn + ": " + std::string(what) + " has " + std::to_string(y.size()) +
                        " observations; this model and initialisation need at least " +
                        std::to_string(need));
  for (std::size_t t = 0; t < y.size(); ++t) {
    if (!std::isfinite(y[t]))
      throw invalid_input(
          check_message(fn, std::string(what) + "[" + std::to_string(t) + "]", y[t],
                        "is not finite (missing values inside a series are not allowed)"));
    if (spec.needs_positive() && !(y[t] > 0.0))
      throw invalid_input(check_message(fn, std::string(what) + "[" + std::to_string(t) + "]", y[t],
                                        "must be > 0 for a multiplicative error or trend"));
  }
  const auto& f = o.fixed;
  if (detail::is_fixed(f.alpha) && !(f.alpha > 0.0 && f.alpha <= 1.0))
    throw invalid_input(check_message(fn, "alpha", f.alpha, "must lie in (0, 1]"));
  if (detail::is_fixed(f.beta)) {
    if (!spec.has_trend()) throw invalid_input(fn + ": beta is fixed but the model has no trend");
    if (!(f.beta >= 0.0 && f.beta <= 1.0))
      throw invalid_input(check_message(fn, "beta", f.beta, "must lie in [0, 1]"));
  }
  if (detail::is_fixed(f.phi)) {
    if (!spec.damped) throw invalid_input(fn + ": phi is fixed but the trend is not damped");
    if (!(f.phi > 0.0 && f.phi <= 1.0))
      throw invalid_input(check_message(fn, "phi", f.phi, "must lie in (0, 1]"));
  }
}

/// Fills the result fields that follow from the parameters: filter output and criteria.
inline ets_fit_result ets_make_result(const ets_spec& spec, const ets_options& o,
                                      const ets_params& p, std::span<const double> y, int evals) {
  ets_fit_result r;
  r.spec = spec;
  r.init = o.init;
  r.params = p;
  auto f = ets_filter(spec, p, y);
  r.fitted = std::move(f.fitted);
  r.residuals = std::move(f.residuals);
  r.level = std::move(f.level);
  r.trend = std::move(f.trend);
  r.loglik = f.loglik;
  r.mse = f.mse;
  r.nobs = static_cast<int>(y.size());
  r.df_model = detail::ets_free_params(spec, o) + 1;
  const double n = r.nobs, k = r.df_model;
  r.aic = -2.0 * r.loglik + 2.0 * k;
  r.aicc = r.aic + 2.0 * k * (k + 1.0) / (n - k - 1.0);
  r.bic = -2.0 * r.loglik + k * std::log(n);
  r.n_evals = evals;
  return r;
}

/// Fits one model by maximum likelihood. Throws invalid_input for bad data (see ets_check) and
/// convergence_error when no finite likelihood was found.
inline ets_fit_result fit_ets(std::span<const double> y, const ets_spec& spec,
                              const ets_options& o = {}, std::string_view what = "series") {
  ets_check(spec, y, o, what);
  const std::string fn = "ets(" + spec.short_name() + ")";
  // Start values / fixed initial states, as statsmodels.
  ets_initial init;
  if (o.init == init_method::legacy_heuristic)
    init = ets_simple_init(y, spec.trend);
  else if (o.init == init_method::heuristic)
    init = ets_heuristic_init(y, spec.trend);
  else
    init = y.size() < 10 ? ets_simple_init(y, spec.trend) : ets_heuristic_init(y, spec.trend);
  if (spec.trend == trend_type::multiplicative &&
      !(init.trend > 0.0 && std::isfinite(init.trend))) {
    // The least-squares line through the first ten values has an intercept near or below 0, so its
    // growth factor 1 + slope / intercept is no growth factor: fixed states cannot use it; as start
    // values, y_1 / y_0 (positive data) replaces it.
    if (o.init == init_method::heuristic)
      throw invalid_input(
          check_message(fn, "heuristic initial trend", init.trend,
                        "is not a positive growth factor (the line through the first 10 "
                        "observations has an intercept near 0); use initialization = "
                        "'estimated' or 'legacy-heuristic'"));
    init.trend = ets_simple_init(y, spec.trend).trend;
  }

  detail::ets_problem prob(spec, y, o, init);
  std::vector<double> best_x;
  double best_f = std::numeric_limits<double>::infinity();
  const int dim = prob.dim();
  if (dim > 0) {
    const int max_evals = 300 * dim;
    const bool fa = detail::is_fixed(o.fixed.alpha), fb = detail::is_fixed(o.fixed.beta),
               fp = detail::is_fixed(o.fixed.phi);
    const double a0 = fa ? o.fixed.alpha : 0.1;
    // Start 0: statsmodels' own (alpha 0.1, beta 0.01, phi 0.98, heuristic states).
    std::vector<std::pair<double, std::vector<double>>> cand;
    cand.emplace_back(-std::numeric_limits<double>::infinity(),
                      prob.point(a0, 0.01 / a0, 0.98, false));
    // Then a grid over the smoothing parameters, each with least-squares initial states; the
    // likelihood surfaces of short series are often multi-modal (e.g. alpha at its lower bound).
    const std::vector<double> alphas =
        fa ? std::vector<double>{a0}
           : std::vector<double>{1e-4, 0.05, 0.2, 0.4, 0.6, 0.8, 0.95, 0.9999};
    const std::vector<double> betas = (!spec.has_trend() || fb)
                                          ? std::vector<double>{0.0}
                                          : std::vector<double>{1e-4, 0.05, 0.2, 0.5, 0.9};
    const std::vector<double> phis =
        (!spec.damped || fp) ? std::vector<double>{0.98} : std::vector<double>{0.8, 0.98};
    std::vector<double> lb, ub, st;
    prob.bounds(lb, ub, st);
    for (double a : alphas)
      for (double bs : betas)
        for (double ph : phis) {
          // Both least-squares and heuristic initial states when the states are optimised.
          for (bool ls : {true, false}) {
            if (!ls && prob.n_state_coords() == 0) continue;
            auto x = prob.point(a, bs, ph, ls);
            for (std::size_t i = 0; i < x.size(); ++i) x[i] = std::clamp(x[i], lb[i], ub[i]);
            cand.emplace_back(prob.objective(x.data()), std::move(x));
          }
        }
    // Coarse local searches from statsmodels' start, from the best grid point of every alpha band
    // (basins differ mostly in alpha) and from the next best grid points overall; then tight ones
    // from the best results (cheap screening of basins before the expensive polish).
    const std::size_t per_alpha = cand.size() > 1 ? (cand.size() - 1) / alphas.size() : 0;
    std::vector<std::size_t> picks = {0};
    for (std::size_t a = 0; a < alphas.size() && per_alpha > 0; ++a) {
      std::size_t best = 1 + a * per_alpha;
      for (std::size_t j = best; j < 1 + (a + 1) * per_alpha; ++j)
        if (cand[j].first < cand[best].first) best = j;
      picks.push_back(best);
    }
    if (prob.profiled() && picks.size() > 6) {
      // The concentrated likelihood is cheap to screen: keep the five most promising alpha bands.
      std::sort(picks.begin() + 1, picks.end(),
                [&](std::size_t a, std::size_t b) { return cand[a].first < cand[b].first; });
      picks.resize(6);
    }
    {
      std::vector<std::size_t> order(cand.size() - 1);
      for (std::size_t j = 0; j < order.size(); ++j) order[j] = j + 1;
      std::sort(order.begin(), order.end(),
                [&](std::size_t a, std::size_t b) { return cand[a].first < cand[b].first; });
      const std::size_t extra = prob.profiled() ? 0 : 4;
      for (std::size_t j = 0, added = 0; j < order.size() && added < extra; ++j)
        if (std::find(picks.begin(), picks.end(), order[j]) == picks.end())
          picks.push_back(order[j]), ++added;
    }
    std::vector<std::pair<double, std::vector<double>>> coarse;
    for (const std::size_t s : picks) {
      auto x = cand[s].second;
      const double f = detail::local_minimize(prob, x, max_evals, 1e-4);
      coarse.emplace_back(f, std::move(x));
    }
    std::sort(coarse.begin(), coarse.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (std::size_t s = 0; s < std::min<std::size_t>(coarse.size(), prob.profiled() ? 2 : 3);
         ++s) {
      auto x = coarse[s].second;
      double f = detail::local_minimize(prob, x, max_evals);
      // Restart while it pays: BOBYQA's trust region shrinks early on the flat ridges that appear
      // when alpha or beta* sit at a bound.
      for (int restart = 0; restart < 3; ++restart) {
        const double g = detail::local_minimize(prob, x, max_evals);
        const bool more = g < f - 1e-9;
        f = std::min(f, g);
        if (!more) break;
      }
      if (f < best_f) best_f = f, best_x = x;
    }
    if (!prob.profiled()) {
      // Quasi-Newton polish of the best point, then BOBYQA from wherever it ended, while it pays.
      for (int round = 0; round < 3; ++round) {
        const double before = best_f;
        best_f = detail::gradient_polish(prob, best_x, best_f, 100 * dim);
        // No f-tolerance here: on a ridge each step gains little, but many steps gain enough.
        best_f = std::min(best_f, detail::local_minimize(prob, best_x, 2 * max_evals, 0.0));
        if (!(best_f < before - 1e-10)) break;
      }
    }
    if (!(best_f < 1e300))
      throw convergence_error(fn + ": no parameters with a finite likelihood were found for " +
                              std::string(what));
  }
  ets_params p;
  double alpha, beta_star, phi, l0, b0;
  prob.unpack(best_x.data(), alpha, beta_star, phi, l0, b0);
  p.alpha = alpha;
  p.beta = spec.has_trend() ? beta_star * alpha : 0.0;
  p.phi = phi;
  p.level0 = l0;
  p.trend0 = b0;
  return ets_make_result(spec, o, p, y, prob.evals());
}

/// Result of ets at fixed parameters (no estimation): the "smooth" of statsmodels.
inline ets_fit_result ets_with_params(std::span<const double> y, const ets_spec& spec,
                                      const ets_params& p, const ets_options& o = {}) {
  ets_options all_fixed = o;
  all_fixed.fixed = {p.alpha, spec.has_trend() ? p.beta : std::numeric_limits<double>::quiet_NaN(),
                     spec.damped ? p.phi : std::numeric_limits<double>::quiet_NaN()};
  // Here every parameter is given: a NaN would otherwise read as "estimate" and slip past
  // ets_check.
  const std::string fn = "ets(" + spec.short_name() + ")";
  check_finite(fn, "alpha", p.alpha);
  if (spec.has_trend()) check_finite(fn, "beta", p.beta);
  if (spec.damped) check_finite(fn, "phi", p.phi);
  if (o.init == init_method::estimated) {
    check_finite(fn, "initial_level", p.level0);
    if (spec.has_trend()) check_finite(fn, "initial_trend", p.trend0);
  }
  ets_check(spec, y, all_fixed, "series");
  ets_params q = p;
  if (o.init == init_method::legacy_heuristic || o.init == init_method::heuristic) {
    const auto init = o.init == init_method::heuristic ? ets_heuristic_init(y, spec.trend)
                                                       : ets_simple_init(y, spec.trend);
    q.level0 = init.level;
    q.trend0 = init.trend;
  }
  if (!spec.has_trend()) q.beta = 0.0, q.trend0 = 0.0;
  if (!spec.damped) q.phi = 1.0;
  return ets_make_result(spec, o, q, y, 0);
}

/// Prediction intervals h = 1..steps: analytic for ANN, AAN, AAdN; quantiles of `reps` simulated
/// paths otherwise (statsmodels' choice). `seed` fixes the simulation.
inline forecast_interval ets_forecast(const ets_fit_result& r, int steps, double level = 0.95,
                                      int reps = 5000, std::uint64_t seed = 20240601) {
  forecast_interval out;
  out.level = level;
  const double z = normal_quantile("ets_forecast", level);
  out.mean = ets_point_forecast(r.spec, r.params, r.last_level(), r.last_trend(), steps);
  if (ets_has_analytic_variance(r.spec)) {
    const Vector sd = ets_analytic_variance(r.spec, r.params, r.mse, steps).cwiseSqrt();
    out.lower = out.mean - z * sd;
    out.upper = out.mean + z * sd;
    return out;
  }
  out.simulated = true;
  const Matrix paths = ets_simulate(r.spec, r.params, r.last_level(), r.last_trend(),
                                    std::sqrt(r.mse), steps, reps, seed);
  out.lower.resize(steps);
  out.upper.resize(steps);
  std::vector<double> row(static_cast<std::size_t>(reps));
  for (int h = 0; h < steps; ++h) {
    for (int k = 0; k < reps; ++k) row[static_cast<std::size_t>(k)] = paths(h, k);
    out.lower[h] = quantile_linear(row, 0.5 - 0.5 * level);
    out.upper[h] = quantile_linear(row, 0.5 + 0.5 * level);
  }
  return out;
}

/// Information criterion used by automatic selection.
enum class criterion : int { aicc = 0, aic = 1, bic = 2 };

[[nodiscard]] inline double criterion_value(const ets_fit_result& r, criterion c) noexcept {
  return c == criterion::aic ? r.aic : (c == criterion::bic ? r.bic : r.aicc);
}

/// The candidate models of automatic selection: as R's forecast::ets with restrict = TRUE, additive
/// errors are not combined with a multiplicative trend (numerically unstable); multiplicative forms
/// only for strictly positive data.
inline std::vector<ets_spec> ets_candidates(std::span<const double> y) {
  bool positive = true;
  for (double v : y) positive = positive && v > 0.0;
  using E = error_type;
  using T = trend_type;
  std::vector<ets_spec> c = {{E::additive, T::none, false},
                             {E::additive, T::additive, false},
                             {E::additive, T::additive, true}};
  if (positive) {
    for (auto t : {T::none, T::additive, T::multiplicative}) {
      c.push_back({E::multiplicative, t, false});
      if (t != T::none) c.push_back({E::multiplicative, t, true});
    }
  }
  return c;
}

/// Automatic selection: fits every candidate long enough for the series and keeps the smallest
/// criterion. Throws invalid_input when no candidate can be fitted.
inline ets_fit_result auto_ets(std::span<const double> y, const ets_options& o = {},
                               criterion c = criterion::aicc, std::string_view what = "series") {
  // Data checks that do not depend on the model, so that a NaN is reported as such.
  ets_check(ets_spec{}, y, ets_options{o.init, {}}, what);
  ets_fit_result best;
  bool found = false;
  for (const auto& spec : ets_candidates(y)) {
    if (static_cast<int>(y.size()) < ets_min_nobs(spec, o)) continue;
    auto r = fit_ets(y, spec, ets_options{o.init, {}}, what);
    if (!std::isfinite(criterion_value(r, c))) continue;
    if (!found || criterion_value(r, c) < criterion_value(best, c))
      best = std::move(r), found = true;
  }
  if (!found)
    throw invalid_input("ets auto: no candidate model could be fitted to " + std::string(what));
  return best;
}

/// One entry of a batch fit: the result, or the error message when the series was rejected.
struct ets_batch_item {
  bool ok = false;
  std::string error;
  ets_fit_result fit;
};

/// Fits one spec (or, with `automatic`, selects a model) for every series, in parallel. Errors
/// are kept per series; the deterministic partition makes the output independent of `threads`.
inline std::vector<ets_batch_item> fit_ets_many(const std::vector<std::vector<double>>& ys,
                                                const ets_spec& spec, bool automatic,
                                                const ets_options& o = {},
                                                criterion c = criterion::aicc, int threads = 0,
                                                const std::vector<std::string>& names = {}) {
  std::vector<ets_batch_item> out(ys.size());
  parallel_for(ys.size(), threads, [&](std::size_t i) {
    const std::string what =
        i < names.size() ? "series '" + names[i] + "'" : "series " + std::to_string(i);
    try {
      out[i].fit = automatic ? auto_ets(ys[i], o, c, what) : fit_ets(ys[i], spec, o, what);
      out[i].ok = true;
    } catch (const std::exception& e) {
      out[i].error = e.what();
    }
  });
  return out;
}

}  // namespace wifund::forecast
