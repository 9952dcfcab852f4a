#pragma once
// Rate-setting solvers (issue #13 item 1): the value of one lever — a multiplier on every class
// base rate, the class-1 base rate with the other classes at fixed relativities, or the depth of a
// phased cut — at which a target on the fund is met. The fund rules: 以支定收、收支平衡 (条例 Art.
// 8; 吉政发〔2020〕20号 "适时调整费率政策，确保全省基金规模合理"), months of payment of 人社部发
// 〔2015〕72号 (provincial pooling about 9 months) and the phased cut of 人社部发〔2018〕25号 …
// 人社部发〔2023〕19号. Each evaluation is the provincial vectors of fund_summary plus the advance
// repayments (which 以支定收 leaves out of spending) on a copy of the context whose policy years
// carry the lever's rates, no Python in the loop: the first one a run of the engine's year step
// (project() into a sink that also records what does not depend on the rates), the others only the
// rate-dependent part of the year (ratesetting/split.hpp: contributions, the cut, the review, the
// prevention fee and the fund roll), checked against the engine at the first evaluation; or the
// Monte Carlo kernel `simulate` for a probability target.
//
//  * deterministic targets: the objective is continuous in the lever; a bracket is searched on a
//    grid of the bounds first, then Boost.Math's TOMS 748 (Alefeld, Potra & Shi 1995) narrows it
//    to a relative width of `x_tol`;
//  * the probability target P(months of payment < m in one of the first N years) <= p uses common
//    random numbers (the same seed and scenario indices at every lever value). P is a step function
//    of the lever, but P <= p exactly when the (floor(p S) + 1)-th smallest of the scenarios'
//    lowest months over the N years is >= m, and that order statistic is continuous in the lever:
//    TOMS 748 solves it = m, keeping the feasible end of the bracket. The scenarios are drawn and
//    run by the engine once; later lever values redo only each scenario's rate-dependent part
//    (mc_split).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <boost/math/tools/toms748_solve.hpp>

#include "wifund/core/axes.hpp"
#include "wifund/core/errors.hpp"
#include "wifund/fund/projection.hpp"
#include "wifund/ratesetting/split.hpp"
#include "wifund/core/parallel.hpp"
#include "wifund/stochastic/mortality.hpp"
#include "wifund/stochastic/simulate.hpp"

namespace wifund::ratesetting {

/// What the solver moves.
enum class lever_kind : int {
  multiplier = 0,   ///< every class base rate x value (1 = the policy's rates)
  class_rates = 1,  ///< base rate of class k = value x relativities[k] (value: the class-1 rate)
  cut_depth = 2,    ///< a phased cut of value (fraction of the base rates) in every lever year
};

/// The lever and the projection years it changes (indices first_index..last_index inclusive).
struct rate_lever {
  lever_kind kind = lever_kind::multiplier;
  int first_index = 0;
  int last_index = -1;  ///< -1: the horizon
  /// class_rates only: relative level of each class (NaN: the class keeps the policy's rate).
  std::array<double, risk_class::count> relativities{};
};

/// What the fund must do. Year indices count projection years from 0 (the first projection year).
enum class target_kind : int {
  balance = 0,    ///< sum of revenue = sum of expenditure over years 0..at_index (以支定收)
  months_at = 1,  ///< months of payment in year at_index = months
  months_every_year = 2,  ///< months of payment in [months, band_high] in every year 0..at_index
  steady_state = 3,       ///< months of payment equal in years first_index and at_index
};

struct fund_target {
  target_kind kind = target_kind::balance;
  double months = 0;  ///< months_at: the target; months_every_year: the band's low end
  double band_high = std::numeric_limits<double>::infinity();  ///< months_every_year
  int first_index = 0;                                         ///< steady_state: the first year
  int at_index = 0;
};

/// P(months of payment < months in one of years 0..within-1) <= at_most over `scenarios` scenarios
/// 0..scenarios-1 of `seed`.
struct probability_target {
  double months = 0;
  int within = 1;
  double at_most = 0;
  std::uint64_t seed = 0;
  std::size_t scenarios = 0;
  int threads = 1;
};

struct solve_result {
  double lever_value = 0;
  double achieved = 0;  ///< the target's indicator at lever_value (see indicator())
  double goal = 0;      ///< the value the indicator is solved to
  double second = 0;    ///< months_every_year: the highest months of payment (checked <= band_high)
  int evaluations = 0;
  bool converged = false;
  bool reachable = true;
  /// Unreachable: the lever value in the bounds whose indicator came closest to the goal.
  double closest_lever = 0, closest_achieved = 0;
  double bracket_low = 0, bracket_high = 0;  ///< the final bracket
  /// How the evaluations ran (lever_evaluator::used(): "split", "engine" or the engine after a
  /// failed check of the split).
  std::string method;
};

namespace detail {

inline void check_target(const projection_context& x, const fund_target& t) {
  const int T = x.years;
  auto year_ok = [&](const char* what, int j) {
    if (j < 0 || j >= T)
      throw invalid_input(std::string("solve: target ") + what + " = year index " +
                          std::to_string(j) + " is outside the projection (0.." +
                          std::to_string(T - 1) + ")");
  };
  year_ok("year", t.at_index);
  if (t.kind == target_kind::steady_state) {
    year_ok("first year", t.first_index);
    if (!(t.first_index < t.at_index))
      throw invalid_input("solve: steady-state years (index " + std::to_string(t.first_index) +
                          ", " + std::to_string(t.at_index) + ") must be in increasing order");
  }
  if ((t.kind == target_kind::months_at || t.kind == target_kind::months_every_year) &&
      !(std::isfinite(t.months) && t.months >= 0))
    throw invalid_input("solve: target months = " + format_value(t.months) +
                        " must be finite and >= 0");
  if (t.kind == target_kind::months_every_year && !(t.band_high >= t.months))
    throw invalid_input("solve: target band (" + format_value(t.months) + ", " +
                        format_value(t.band_high) + ") must have low <= high");
}

inline void check_lever(const projection_context& x, const rate_lever& l) {
  const int last = l.last_index < 0 ? x.years - 1 : l.last_index;
  if (l.first_index < 0 || l.first_index > last || last >= x.years)
    throw invalid_input("solve: lever years (index " + std::to_string(l.first_index) + ".." +
                        std::to_string(last) + ") must lie inside the projection (0.." +
                        std::to_string(x.years - 1) + ")");
  if (l.kind == lever_kind::class_rates)
    for (int k = 0; k < risk_class::count; ++k) {
      const double r = l.relativities[static_cast<std::size_t>(k)];
      if (!std::isnan(r) && !(r >= 0 && std::isfinite(r)))
        throw invalid_input("solve: lever relativities[class " + wifund::detail::class_label(k) +
                            "] = " + format_value(r) + " must be finite and >= 0");
    }
}

}  // namespace detail

/// Writes the lever's value into the policy years of `work` (a copy of `original`): the
/// multiplier scales the original base rates, class_rates sets them, cut_depth sets a flat phased
/// cut (both tiers = value, take-up 1, no months condition, the whole year). Outside the lever
/// years `work` keeps the original.
inline void apply_lever(const projection_context& original, projection_context& work,
                        const rate_lever& l, double value) {
  const int last = l.last_index < 0 ? original.years - 1 : l.last_index;
  for (int j = l.first_index; j <= last; ++j) {
    const auto js = static_cast<std::size_t>(j);
    const policy_year& p0 = original.policy[js];
    policy_year& p = work.policy[js];
    switch (l.kind) {
      case lever_kind::multiplier:
        for (std::size_t k = 0; k < p.base_rate.size(); ++k)
          p.base_rate[k] = p0.base_rate[k] * value;
        break;
      case lever_kind::class_rates:
        for (std::size_t k = 0; k < p.base_rate.size(); ++k)
          p.base_rate[k] =
              std::isnan(l.relativities[k]) ? p0.base_rate[k] : value * l.relativities[k];
        break;
      case lever_kind::cut_depth:
        p.cut.active = true;
        p.cut.lower_months = 0;
        p.cut.upper_months = 0;
        p.cut.lower_cut = value;
        p.cut.upper_cut = value;
        p.cut.take_up = 1;
        p.cut.stop_months = 0;
        p.cut.year_share = 1;
        break;
    }
  }
}

/// The indicator of a deterministic target on a solver summary: balance -> the fund's own revenue
/// (revenue without fiscal advances, 条例 Art. 13) over its spending (expenditure without the
/// repayment of advances), both summed over the years; months_at -> months of payment in the year;
/// months_every_year -> the lowest months of payment over the years (`highest` gets the highest);
/// steady_state -> months of payment in the second year / in the first.
[[nodiscard]] inline double indicator(const solver_summary& f, const fund_target& t,
                                      double* highest = nullptr) {
  switch (t.kind) {
    case target_kind::balance: {
      double rev = 0, exp = 0;
      for (int j = 0; j <= t.at_index; ++j) {
        rev += f.revenue[j] - f.fiscal_advance[j];
        exp += f.expenditure[j] - f.advance_repayment[j];
      }
      return exp > 0 ? rev / exp : std::numeric_limits<double>::quiet_NaN();
    }
    case target_kind::months_at:
      return f.months_of_payment[t.at_index];
    case target_kind::months_every_year: {
      double lo = std::numeric_limits<double>::infinity(), hi = -lo;
      for (int j = 0; j <= t.at_index; ++j) {
        lo = std::min(lo, f.months_of_payment[j]);
        hi = std::max(hi, f.months_of_payment[j]);
      }
      if (highest) *highest = hi;
      return lo;
    }
    case target_kind::steady_state: {
      const double a = f.months_of_payment[t.first_index];
      return a != 0 ? f.months_of_payment[t.at_index] / a
                    : std::numeric_limits<double>::quiet_NaN();
    }
  }
  return std::numeric_limits<double>::quiet_NaN();
}

/// The value the indicator is solved to.
[[nodiscard]] inline double goal(const fund_target& t) {
  return (t.kind == target_kind::balance || t.kind == target_kind::steady_state) ? 1.0 : t.months;
}

namespace detail {

/// A bracket of the objective `f` in [lo, hi]: the bounds first; when they do not bracket a sign
/// change, the points of a grid of `grid` intervals (the first change from `lo`), and once more a
/// grid 4 times finer when some value was not finite (e.g. months of payment 0 where the fund is
/// exhausted). Then `narrow(a, b, fa, fb, result)`. Without a sign change the result is flagged
/// unreachable with the grid point of the smallest |f| (`closest_lever`).
template <class F, class Narrow>
solve_result bracket_and_solve(F&& f, double lo, double hi, int grid, Narrow&& narrow) {
  solve_result r;
  std::vector<std::pair<double, double>> pts;  // (lever, objective), ascending lever
  auto sign_change = [](double fa, double fb) {
    return std::isfinite(fa) && std::isfinite(fb) && ((fa < 0) != (fb < 0));
  };
  auto hit = [&](double v) {
    r.lever_value = v;
    r.converged = true;
    r.bracket_low = r.bracket_high = v;
  };
  const double flo = f(lo);
  if (flo == 0) return hit(lo), r;
  const double fhi = f(hi);
  if (fhi == 0) return hit(hi), r;
  pts = {{lo, flo}, {hi, fhi}};
  for (int pass = 0; pass < 2; ++pass) {
    const int n = pass == 0 ? std::max(grid, 1) : 4 * std::max(grid, 1);
    if (pass == 0 && sign_change(flo, fhi)) {
      // the bounds bracket a change already: narrow them unless an earlier one may hide in between
      narrow(lo, hi, flo, fhi, r);
      return r;
    }
    std::vector<std::pair<double, double>> row{{lo, flo}};
    for (int i = 1; i < n; ++i) {
      const double v = lo + (hi - lo) * i / n;
      const double fv = f(v);
      if (fv == 0) return hit(v), r;
      row.emplace_back(v, fv);
      pts.emplace_back(v, fv);
      const auto& [a, fa] = row[row.size() - 2];
      if (sign_change(fa, fv)) {
        narrow(a, v, fa, fv, r);
        return r;
      }
    }
    if (sign_change(row.back().second, fhi)) {
      narrow(row.back().first, hi, row.back().second, fhi, r);
      return r;
    }
    bool any_nan = false;
    for (const auto& [v, fv] : row) any_nan = any_nan || !std::isfinite(fv);
    if (!any_nan && std::isfinite(fhi)) break;
  }
  r.reachable = false;
  double best = std::numeric_limits<double>::infinity();
  r.closest_lever = lo;
  for (const auto& [v, fv] : pts)
    if (std::isfinite(fv) && std::fabs(fv) < best) {
      best = std::fabs(fv);
      r.closest_lever = v;
    }
  r.lever_value = r.closest_lever;
  return r;
}

}  // namespace detail

/// Solves a deterministic target: the lever value in [lo, hi] at which the target's indicator
/// equals its goal (months_every_year: the lowest months over the years reach the band's low end;
/// the highest are returned in `second` for the caller to check against the band's high end). The
/// bounds bracket the root when the indicator crosses the goal once; otherwise a grid of `grid`
/// intervals finds the first crossing from `lo`. TOMS 748 narrows the bracket until its relative
/// width is x_tol or an evaluation hits the goal within f_tol (relative); the lever value returned
/// is the evaluated point closest to the goal (so `achieved` is that run's indicator, exactly).
/// `method`: how the evaluations run (split.hpp lever_evaluator; automatic: the split after its
/// check against the engine at the first evaluation to `check_tolerance`, else the engine).
[[nodiscard]] inline solve_result solve(const projection_context& x, const scenario& s,
                                        const rate_lever& lever, const fund_target& t, double lo,
                                        double hi, double x_tol = 1e-12, int max_evaluations = 100,
                                        int grid = 8, double f_tol = 1e-11,
                                        evaluation_method method = evaluation_method::automatic,
                                        double check_tolerance = 1e-12) {
  detail::check_target(x, t);
  detail::check_lever(x, lever);
  if (!(std::isfinite(lo) && std::isfinite(hi) && lo < hi))
    throw invalid_input("solve: bounds (" + format_value(lo) + ", " + format_value(hi) +
                        ") must be finite with low < high");
  lever_evaluator eval(x, s, method, check_tolerance);
  const double g = goal(t);
  const double scale = std::max(std::fabs(g), 1e-300);
  int evaluations = 0;
  struct point {
    double lever = 0, achieved = std::numeric_limits<double>::quiet_NaN(), second = 0;
    double gap = std::numeric_limits<double>::infinity();
  } best, closest;
  auto f = [&](double v) {
    apply_lever(x, eval.work(), lever, v);
    ++evaluations;
    double second = 0;
    const double a = indicator(eval(), t, &second);
    const double gap = std::fabs(a - g);
    if (std::isfinite(a) && gap < closest.gap) closest = {v, a, second, gap};
    return a - g;
  };
  auto narrow = [&](double a, double b, double fa, double fb, solve_result& r) {
    best = closest;  // the bracket's ends are evaluated points too
    auto done = [&](double u, double w) {
      return closest.gap <= f_tol * scale ||
             std::fabs(w - u) <= x_tol * std::max(std::fabs(u), std::fabs(w));
    };
    if (!done(a, b)) {
      std::uintmax_t iters =
          static_cast<std::uintmax_t>(std::max(1, max_evaluations - evaluations));
      const auto [u, w] = boost::math::tools::toms748_solve(f, a, b, fa, fb, done, iters);
      r.bracket_low = u;
      r.bracket_high = w;
    } else {
      r.bracket_low = a;
      r.bracket_high = b;
    }
    r.converged = done(r.bracket_low, r.bracket_high);
    r.lever_value = closest.lever;
  };
  solve_result r = detail::bracket_and_solve(f, lo, hi, grid, narrow);
  if (!r.reachable) {
    r.closest_lever = closest.lever;
    r.closest_achieved = closest.achieved;
    r.lever_value = closest.lever;
  }
  r.achieved = closest.achieved;
  r.second = closest.second;
  r.goal = g;
  r.evaluations = evaluations;
  r.method = eval.used();
  return r;
}

/// The lowest months of payment of each scenario over the first `within` years, from the S x T
/// matrix of the Monte Carlo kernel's months of payment.
[[nodiscard]] inline std::vector<double> lowest_months(const Matrix& m, int within) {
  std::vector<double> out(static_cast<std::size_t>(m.rows()));
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    double lo = std::numeric_limits<double>::infinity();
    for (int j = 0; j < within; ++j) lo = std::min(lo, m(i, j));
    out[static_cast<std::size_t>(i)] = lo;
  }
  return out;
}

/// The lowest months of payment of each scenario over the first `within` years with the lever at
/// `work`'s values, by the Monte Carlo kernel `simulate` (scenarios 0..S-1 of the seed: common
/// random numbers at every value). The full kernel: it is the reference the split evaluation is
/// checked against (mc_split runs the engine's year step), and the lean kernel equals it only to
/// rounding (stochastic/lean.hpp), which would move the solved lever by an ulp.
[[nodiscard]] inline std::vector<double> lowest_months_engine(const scenario_generator& g,
                                                              const projection_context& work,
                                                              const probability_target& t) {
  const scenario_generator gv(std::make_shared<const projection_context>(work), g.base(),
                              g.sources(), /*with_lean=*/false);
  const simulation_block b =
      simulate(gv, t.seed, 0, t.scenarios, t.threads, false, sim_method::full);
  std::size_t mi = 0;
  for (std::size_t v = 0; v < sim_vector_names.size(); ++v)
    if (sim_vector_names[v] == "months_of_payment") mi = v;
  return lowest_months(b.values[mi], t.within);
}

/// The largest number K of scenarios below the months that keeps K / S <= at_most.
[[nodiscard]] inline std::size_t allowed_below(const probability_target& t) {
  const auto S = static_cast<double>(t.scenarios);
  auto k = static_cast<std::size_t>(std::floor(t.at_most * S));
  while (k + 1 <= t.scenarios && static_cast<double>(k + 1) / S <= t.at_most) ++k;
  while (k > 0 && static_cast<double>(k) / S > t.at_most) --k;
  return k;
}

/// P(lowest months < t.months): the share of the scenarios below.
[[nodiscard]] inline double share_below(const std::vector<double>& lowest,
                                        const probability_target& t) {
  std::size_t below = 0;
  for (const double v : lowest) below += v < t.months ? 1 : 0;
  return static_cast<double>(below) / static_cast<double>(t.scenarios);
}

/// The (K+1)-th smallest of the scenarios' lowest months (K = allowed_below): P <= at_most exactly
/// when it is >= t.months. With common random numbers each scenario's lowest months are
/// continuous in a rate lever (fund/step.hpp), so this order statistic is too — unlike P, a step
/// function — and a root finder converges on it superlinearly.
[[nodiscard]] inline double order_statistic(std::vector<double> lowest, std::size_t k) {
  const auto kth = lowest.begin() + static_cast<std::ptrdiff_t>(k);
  std::nth_element(lowest.begin(), kth, lowest.end());
  return *kth;
}

/// The Monte Carlo scenarios split as split.hpp splits one projection: each scenario drawn once,
/// run once by the engine (the Monte Carlo state: binomial deaths of the cohorts, which do not
/// depend on the rates), its benefit side kept; later lever values redo only the rate-dependent
/// part of each scenario's years.
class mc_split {
 public:
  /// Runs the engine on every scenario with `work`'s lever values and keeps what the split needs;
  /// `difference()` is the largest relative difference of the split from those runs.
  mc_split(const scenario_generator& g, const projection_context& work, const probability_target& t)
      : scenarios_(t.scenarios), sides_(t.scenarios), first_(t.scenarios) {
    std::vector<double> diff(t.scenarios, 0.0);
    parallel_for(static_cast<std::ptrdiff_t>(t.scenarios), t.threads, [&](std::ptrdiff_t ii) {
      const auto i = static_cast<std::size_t>(ii);
      scenarios_[i] = g.draw(t.seed, i);
      const scenario& s = scenarios_[i];
      validate(work, s);
      mc_state st = initial_mc_state(work, g.sources().mortality, t.seed, i);
      solver_summary full;
      benefit_side_sink sink(sides_[i], full);
      sink.start(work, st.next_index);
      for (int j = st.next_index; j < work.years; ++j) step(work, s, j, st, sink);
      fill_project_values(work, s, sides_[i]);
      diff[i] = summary_difference(full, split_summary(work, s, sides_[i], false));
      first_[i] = lowest(full, t.within);
    });
    for (const double d : diff) difference_ = std::max(difference_, d);
  }
  /// The lowest months of every scenario at the lever values of `work`.
  [[nodiscard]] std::vector<double> lowest_months(const projection_context& work,
                                                  const probability_target& t) const {
    validate(work, scenarios_.front());  // the scaled base rates (the same in every scenario)
    std::vector<double> out(scenarios_.size());
    parallel_for(static_cast<std::ptrdiff_t>(scenarios_.size()), t.threads, [&](std::ptrdiff_t ii) {
      const auto i = static_cast<std::size_t>(ii);
      out[i] = lowest(split_summary(work, scenarios_[i], sides_[i], false), t.within);
    });
    return out;
  }
  /// The lowest months of the engine's runs (the lever values of the constructor).
  [[nodiscard]] const std::vector<double>& first() const noexcept { return first_; }
  [[nodiscard]] double difference() const noexcept { return difference_; }

 private:
  static double lowest(const solver_summary& f, int within) {
    double lo = std::numeric_limits<double>::infinity();
    for (int j = 0; j < within; ++j) lo = std::min(lo, f.months_of_payment[j]);
    return lo;
  }
  std::vector<scenario> scenarios_;
  std::vector<benefit_side> sides_;
  std::vector<double> first_;
  double difference_ = 0;
};

/// The memory mc_split keeps for `scenarios` scenarios of `x` (bytes, an upper estimate): each
/// scenario's draws (economy paths, claim multipliers, catastrophe deaths, severities) and benefit
/// side (payroll and insured by city x class, contract values, expenditure) for every year.
[[nodiscard]] inline double mc_split_bytes(const projection_context& x, std::size_t scenarios) {
  const double T = x.years, C = x.cities(), K = risk_class::count;
  const double doubles = T * C * K * 3       // payroll, insured, claim multipliers
                         + T * C * 7         // economy paths (5), catastrophe deaths, contracts
                         + T * 16 + T * 24;  // yearly paths and expenditure (head, tail)
  return static_cast<double>(scenarios) * (8.0 * doubles + 1024.0);
}

/// Solves the probability target P(lowest months of payment over the first `within` years <
/// months) <= at_most over scenarios 0..S-1 of the seed (common random numbers: the same scenarios
/// at every lever value). The objective is the order statistic of order_statistic() less the
/// months (>= 0 exactly where P <= at_most), a continuous function of the lever: a bracket on the
/// grid of the bounds (the first change from `lo`), then TOMS 748 to a relative width of x_tol. The
/// lever value returned is the feasible end of the final bracket (P <= at_most there; the other end
/// is infeasible, so it is the smallest feasible value to x_tol where P falls with the lever) and
/// `achieved` its probability. Evaluations: split (mc_split) after the first, an engine run of
/// every scenario, unless the split differs from it by more than `check_tolerance` or (automatic)
/// would keep more than `split_memory_limit` bytes (mc_split_bytes): then, or with method engine,
/// the Monte Carlo kernel at every evaluation.
[[nodiscard]] inline solve_result solve_probability(
    const scenario_generator& g, const rate_lever& lever, const probability_target& t, double lo,
    double hi, double x_tol = 1e-6, int max_evaluations = 60, int grid = 4,
    evaluation_method method = evaluation_method::automatic, double check_tolerance = 1e-12,
    double split_memory_limit = 4e9) {
  const projection_context& x = g.context();
  detail::check_lever(x, lever);
  if (t.within < 1 || t.within > x.years)
    throw invalid_input("solve: probability target within = " + std::to_string(t.within) +
                        " must be in 1.." + std::to_string(x.years));
  if (!(std::isfinite(t.months) && t.months >= 0))
    throw invalid_input("solve: probability target months = " + format_value(t.months) +
                        " must be finite and >= 0");
  if (!(t.at_most >= 0 && t.at_most < 1))
    throw invalid_input("solve: probability target at_most = " + format_value(t.at_most) +
                        " must be in [0, 1)");
  if (t.scenarios < 1) throw invalid_input("solve: probability target scenarios must be >= 1");
  if (!(std::isfinite(lo) && std::isfinite(hi) && lo < hi))
    throw invalid_input("solve: bounds (" + format_value(lo) + ", " + format_value(hi) +
                        ") must be finite with low < high");
  projection_context work = x;
  const std::size_t k = allowed_below(t);
  const double split_bytes = mc_split_bytes(x, t.scenarios);
  const bool too_big = method == evaluation_method::automatic && split_bytes > split_memory_limit;
  if (too_big) method = evaluation_method::engine;
  int evaluations = 0;
  std::unique_ptr<mc_split> split;
  bool use_split = false;
  struct seen_point {
    double lever, p, objective;
  };
  std::vector<seen_point> seen;  // each value is simulated once
  auto at = [&](double v) -> const seen_point& {
    for (const auto& q : seen)
      if (q.lever == v) return q;
    apply_lever(x, work, lever, v);
    ++evaluations;
    std::vector<double> lowest;
    if (method != evaluation_method::engine && !split) {
      split = std::make_unique<mc_split>(g, work, t);
      use_split = method == evaluation_method::split || split->difference() <= check_tolerance;
      lowest = split->first();
    } else if (use_split) {
      lowest = split->lowest_months(work, t);
    } else {
      lowest = lowest_months_engine(g, work, t);
    }
    seen.push_back({v, share_below(lowest, t), order_statistic(lowest, k) - t.months});
    return seen.back();
  };
  auto f = [&](double v) { return at(v).objective; };
  auto narrow = [&](double a, double b, double fa, double fb, solve_result& r) {
    auto done = [&](double u, double w) {
      return std::fabs(w - u) <= x_tol * std::max(std::fabs(u), std::fabs(w));
    };
    double u = a, w = b;
    if (!done(a, b)) {
      std::uintmax_t iters =
          static_cast<std::uintmax_t>(std::max(1, max_evaluations - evaluations));
      std::tie(u, w) = boost::math::tools::toms748_solve(f, a, b, fa, fb, done, iters);
    }
    // the feasible end (objective >= 0); an exact root is feasible too
    const double fu = f(u);
    r.lever_value = fu >= 0 ? u : w;
    r.bracket_low = std::min(u, w);
    r.bracket_high = std::max(u, w);
    r.converged = done(u, w);
  };
  solve_result r = detail::bracket_and_solve(f, lo, hi, grid, narrow);
  if (!r.reachable) r.closest_achieved = at(r.closest_lever).p;
  r.achieved = r.reachable ? at(r.lever_value).p : r.closest_achieved;
  r.goal = t.at_most;
  r.evaluations = evaluations;
  if (too_big)
    r.method = "engine (the split would keep " + format_value(split_bytes / 1e9) +
               " GB for the scenarios, more than the limit of " +
               format_value(split_memory_limit / 1e9) + " GB)";
  else if (method == evaluation_method::engine || !split)
    r.method = "engine";
  else if (use_split)
    r.method = "split";
  else
    r.method = "engine (the split evaluation differed from the engine by " +
               format_value(split->difference()) + " relative at the first evaluation, tolerance " +
               format_value(check_tolerance) + ")";
  return r;
}

}  // namespace wifund::ratesetting
