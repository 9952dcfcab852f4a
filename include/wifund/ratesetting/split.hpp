#pragma once
// The split evaluation of the rate-setting solvers (issue #13): a lever (a multiplier on the base
// rates, class rates, a phased-cut depth) changes only the contributions, so one run of the engine
// records what of each year does not depend on the rates — the covered payroll by city x class,
// the construction contract values and every item of expenditure except the prevention fee — and
// each evaluation then redoes only what does (fund/step.hpp, steps 2, 3, 6 and 7):
//  2. the phased cut from last year-end's months of payment (人社部发〔2018〕25号 … 〔2023〕19号)
//  and
//     the 以支定收 rate review (条例 Art. 8) with its lag;
//  3. contributions = payroll x rate(base x review multiplier x float, cut) x collection rate, and
//     the project premiums x (1 - cut) (fund/contributions.hpp, 人社部发〔2015〕71号);
//  6. the prevention fee = min(share, cap) x last year's contributions (人社部规〔2017〕13号);
//  7. interest on the mid-year balance, the fiscal advance and its repayment (条例 Art. 13) and
//     the months of payment (人社部发〔2015〕72号).
// What the engine's year step does not depend on the rates: injuries and their short-term costs
// (insured x incidence), the awards and the cohort book (wages, prices, mortality), the insured
// and wages themselves, the economy paths. The reserve fund (step 8) changes with the balance but
// no output of the solver reads it. The arithmetic is the engine's, in the engine's order (the
// same sums, term by term), so an evaluation reproduces run_summary bit for bit. lever_evaluator
// checks the split at the first evaluation against the engine's own run and falls back to the
// engine when they differ by more than 1e-12 (relative): that catches a change of the year step's
// arithmetic (a new term in the contributions or the fund roll, a state it does not carry). A
// benefit made to depend on the fund state would still agree at that first lever value; the
// equality tests at other lever values (tests/python/test_ratesetting_split.py, on random
// provinces and policies; tests/cpp/ratesetting/solve_test.cpp) are what guard against that.
#include <algorithm>
#include <cmath>
#include <array>
#include <cstddef>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "wifund/core/axes.hpp"
#include "wifund/fund/context.hpp"
#include "wifund/fund/projection.hpp"
#include "wifund/fund/reserve.hpp"
#include "wifund/fund/roll_forward.hpp"
#include "wifund/fund/scenario.hpp"
#include "wifund/policy/rate_schedule.hpp"

namespace wifund::ratesetting {

/// The provincial vectors a solver reads, one value per projection year.
struct solver_summary {
  int start_year = 0, years = 0;
  Vector revenue, expenditure, fiscal_advance, advance_repayment, months_of_payment, phased_cut,
      rate_multiplier, closing;
};

/// Writes the solver's vectors (a sink of fund/projection.hpp's project()).
class solver_sink {
 public:
  explicit solver_sink(solver_summary& s) : s_(s) {}
  void start(const projection_context& x, int first_index) {
    first_ = first_index;
    s_.start_year = x.start_year() + first_index;
    s_.years = x.years - first_index;
    for (Vector* v : {&s_.revenue, &s_.expenditure, &s_.fiscal_advance, &s_.advance_repayment,
                      &s_.months_of_payment, &s_.phased_cut, &s_.rate_multiplier, &s_.closing})
      *v = Vector::Zero(s_.years);
  }
  void record(int j, const year_flows& f) {
    const int i = j - first_;
    const auto& y = f.fund;
    s_.revenue[i] = y.revenue;
    s_.expenditure[i] = y.expenditure;
    s_.fiscal_advance[i] = y.fiscal_advance;
    s_.advance_repayment[i] = y.advance_repayment;
    s_.months_of_payment[i] = y.months_of_payment;
    s_.phased_cut[i] = y.phased_cut;
    s_.rate_multiplier[i] = y.rate_multiplier;
    s_.closing[i] = y.closing;
  }

 private:
  solver_summary& s_;
  int first_ = 0;
};

/// One projection of `x` under `s` into a solver_summary (the full engine).
[[nodiscard]] inline solver_summary run_summary(const projection_context& x, const scenario& s) {
  solver_summary r;
  solver_sink sink(r);
  project(x, s, sink);
  return r;
}

/// What of a projection does not depend on the rates, year by year (from one engine run).
struct benefit_side {
  int years = 0, cities = 0;
  std::vector<double> payroll;   ///< [T, C, 9]: insured x wage x 12
  std::vector<double> insured;   ///< [T, C, 9]: the insured (a class pays only where > 0)
  std::vector<double> projects;  ///< [T, C]: construction contract values after the year's growth
  std::vector<double> exp_head;  ///< [T]: the engine's running sum of expenditure items before
                                 ///< the provincial prevention fee
  std::vector<double> exp_tail;  ///< [T, n_tail]: the items after it (advance repayment: 0)
  int n_tail = 0;
};

/// A sink that records the benefit side and the solver's vectors of the same run.
class benefit_side_sink {
 public:
  benefit_side_sink(benefit_side& b, solver_summary& s) : b_(b), summary_(s) {}
  void start(const projection_context& x, int first_index) {
    summary_.start(x, first_index);
    const int T = x.years, C = x.cities();
    b_.years = T;
    b_.cities = C;
    const auto ck = static_cast<std::size_t>(T) * static_cast<std::size_t>(C) * risk_class::count;
    b_.payroll.assign(ck, 0.0);
    b_.insured.assign(ck, 0.0);
    b_.exp_head.assign(static_cast<std::size_t>(T), 0.0);
    const std::size_t prevention =
        static_cast<std::size_t>(C) * item::count + static_cast<std::size_t>(item::prevention);
    b_.n_tail = static_cast<int>((static_cast<std::size_t>(C) + 1) * item::count - prevention - 1);
    b_.exp_tail.assign(static_cast<std::size_t>(T) * static_cast<std::size_t>(b_.n_tail), 0.0);
    // contract values: step 3 grows them by (1 + project growth) every year (fund/contributions)
    b_.projects.assign(static_cast<std::size_t>(T) * static_cast<std::size_t>(C), 0.0);
  }
  void record(int j, const year_flows& f) {
    summary_.record(j, f);
    const auto js = static_cast<std::size_t>(j);
    const std::size_t n = f.payroll.size();
    std::copy(f.payroll.begin(), f.payroll.end(), b_.payroll.begin() + static_cast<long>(js * n));
    std::copy(f.insured.begin(), f.insured.end(), b_.insured.begin() + static_cast<long>(js * n));
    const int C = f.cities;
    const std::size_t prevention = f.exp(C, item::prevention);
    const std::size_t adv = f.exp(C, item::advance_repayment);
    double head = 0;  // the engine's order: for c in 0..C, for i in items
    for (std::size_t i = 0; i < prevention; ++i) head += f.city_expenditure[i];
    b_.exp_head[js] = head;
    const auto nt = static_cast<std::size_t>(b_.n_tail);
    for (std::size_t i = prevention + 1, t = 0; t < nt; ++i, ++t)
      b_.exp_tail[js * nt + t] = i == adv ? 0.0 : f.city_expenditure[i];
  }

 private:
  benefit_side& b_;
  solver_sink summary_;
};

/// The contract values of every year: the base values grown by the scenario's project growth, as
/// step 3 grows them (fund/contributions.hpp collect_contributions).
inline void fill_project_values(const projection_context& x, const scenario& s, benefit_side& b) {
  const int C = x.cities();
  std::vector<double> v(x.base.project_value.data(), x.base.project_value.data() + C);
  for (int j = 0; j < x.years; ++j)
    for (int c = 0; c < C; ++c) {
      v[static_cast<std::size_t>(c)] *= 1 + s.economy.project_growth[j];
      b.projects[static_cast<std::size_t>(j) * static_cast<std::size_t>(C) +
                 static_cast<std::size_t>(c)] = v[static_cast<std::size_t>(c)];
    }
}

/// One evaluation on the benefit side `b` of `x` (policy years from `work`, a copy of x with the
/// lever applied): the rate-dependent part of fund/step.hpp, from the base-year end.
/// `check`: validate(work, s) first, as project() does (the scaled base rates in [0, 1]).
[[nodiscard]] inline solver_summary split_summary(const projection_context& work, const scenario& s,
                                                  const benefit_side& b, bool check = true) {
  if (check) validate(work, s);
  const int T = work.years, C = work.cities();
  const auto& e = s.economy;
  const auto& base = work.base;
  solver_summary r;
  r.start_year = work.start_year();
  r.years = T;
  for (Vector* v : {&r.revenue, &r.expenditure, &r.fiscal_advance, &r.advance_repayment,
                    &r.months_of_payment, &r.phased_cut, &r.rate_multiplier, &r.closing})
    *v = Vector::Zero(T);
  // the state of fund/state.hpp make_state at the base-year end (the fund's part)
  double balance = base.opening_balance;
  double months_prev = base.opening_balance / (base.base_expenditure / 12.0);
  double contrib_prev = base.base_contributions;
  double outstanding = 0, rate_multiplier = 1, rate_decided = 1;
  constexpr int slots = max_review_lag + 1;
  std::array<double, slots> pending = unset_array<slots>();
  const auto nt = static_cast<std::size_t>(b.n_tail);
  for (int j = 0; j < T; ++j) {
    const auto js = static_cast<std::size_t>(j);
    const int t = work.start_year() + j;
    const policy_year& p = work.policy[js];
    // 2. phased cut and rate review
    const double cut = phased_cut(months_prev, p.cut);
    double& due = pending[static_cast<std::size_t>(j % slots)];
    if (!std::isnan(due)) {
      rate_multiplier = due;
      due = unset;
    }
    const rate_review_rule& review = s.override_rate_review ? s.rate_review : p.rate_review;
    if (is_review_year(review, t)) {
      rate_decided = reviewed_multiplier(rate_decided, months_prev, review);
      if (review.lag_years == 0)
        rate_multiplier = rate_decided;
      else
        pending[static_cast<std::size_t>((j + review.lag_years) % slots)] = rate_decided;
    }
    // 3. contributions and project premiums
    double contributions = 0, projects = 0;
    const std::size_t row = js * static_cast<std::size_t>(C) * risk_class::count;
    for (int c = 0; c < C; ++c) {
      double city_contrib = 0;
      for (int k = 0; k < risk_class::count; ++k) {
        const auto ks = static_cast<std::size_t>(k);
        const std::size_t i =
            row + static_cast<std::size_t>(c) * risk_class::count + static_cast<std::size_t>(k);
        const double n = b.insured[i];
        const double rate =
            n > 0 ? contribution_rate(p.base_rate[ks] * s.rate_multiplier[ks] * rate_multiplier,
                                      base.avg_float(c, k), cut)
                  : 0.0;
        const double due_c = b.payroll[i] * rate;
        city_contrib += due_c * e.collection_rate(c, j);
      }
      const double city_projects =
          b.projects[js * static_cast<std::size_t>(C) + static_cast<std::size_t>(c)] *
          p.project_rate * (1 - cut);
      contributions += city_contrib;
      projects += city_projects;
    }
    // 6. prevention; 7. the fund roll
    double expenditure =
        b.exp_head[js] + std::min(e.prevention_share[j], p.prevention_cap) * contrib_prev;
    for (std::size_t i = 0; i < nt; ++i) expenditure += b.exp_tail[js * nt + i];
    const double other = e.other_income[j];
    const double net = contributions + projects + other - expenditure;
    const double interest = interest_mid_year(e.interest_rate[j], balance, net);
    const double closing_before = balance + net + interest;
    const advance_flows adv =
        fiscal_advance(closing_before, net + interest, outstanding, p.reserve.advance_repaid);
    const double revenue = contributions + projects + interest + other + adv.advance;
    const double spending = expenditure;
    expenditure += adv.repayment;
    balance = adv.advance > 0 ? 0.0 : closing_before - adv.repayment;
    outstanding = adv.outstanding;
    const double months = months_of_payment(balance, spending, t);
    r.revenue[j] = revenue;
    r.expenditure[j] = expenditure;
    r.fiscal_advance[j] = adv.advance;
    r.advance_repayment[j] = adv.repayment;
    r.months_of_payment[j] = months;
    r.phased_cut[j] = cut;
    r.rate_multiplier[j] = rate_multiplier;
    r.closing[j] = balance;
    months_prev = months;
    contrib_prev = contributions + projects;
  }
  return r;
}

/// The largest difference of two summaries relative to each vector's largest absolute value (0
/// when equal; infinity when the shapes differ or one value is not finite where the other is).
[[nodiscard]] inline double summary_difference(const solver_summary& a, const solver_summary& b) {
  if (a.years != b.years || a.start_year != b.start_year)
    return std::numeric_limits<double>::infinity();
  double worst = 0;
  const std::array<std::pair<const Vector*, const Vector*>, 8> v{
      {{&a.revenue, &b.revenue},
       {&a.expenditure, &b.expenditure},
       {&a.fiscal_advance, &b.fiscal_advance},
       {&a.advance_repayment, &b.advance_repayment},
       {&a.months_of_payment, &b.months_of_payment},
       {&a.phased_cut, &b.phased_cut},
       {&a.rate_multiplier, &b.rate_multiplier},
       {&a.closing, &b.closing}}};
  for (const auto& [x, y] : v) {
    double scale = 0;
    for (Eigen::Index i = 0; i < x->size(); ++i)
      scale = std::max({scale, std::fabs((*x)[i]), std::fabs((*y)[i])});
    for (Eigen::Index i = 0; i < x->size(); ++i) {
      const double u = (*x)[i], w = (*y)[i];
      if (u == w) continue;
      if (!std::isfinite(u) || !std::isfinite(w)) return std::numeric_limits<double>::infinity();
      worst = std::max(worst, std::fabs(u - w) / scale);
    }
  }
  return worst;
}

/// How a solver evaluates the lever.
enum class evaluation_method : int {
  automatic = 0,  ///< split, checked against the engine at the first evaluation (else engine)
  split = 1,      ///< split, unchecked
  engine = 2,     ///< one full engine run per evaluation
};

/// Evaluates the lever at a value: the first call runs the engine (recording the benefit side);
/// later calls redo the rate-dependent part only, unless the check at the first call failed or
/// the method is `engine`.
class lever_evaluator {
 public:
  /// `check_tolerance`: the largest relative difference (summary_difference) of the split from the
  /// engine at the first evaluation under which the split is used (automatic; < 0: never).
  lever_evaluator(const projection_context& x, const scenario& s, evaluation_method m,
                  double check_tolerance = 1e-12)
      : s_(s), work_(x), method_(m), tolerance_(check_tolerance) {}

  /// The solver summary with `work()`'s policy years (the lever applied by the caller).
  [[nodiscard]] solver_summary operator()() {
    if (method_ == evaluation_method::engine || (!first_done_ ? false : !use_split_))
      return run_summary(work_, s_);
    if (!first_done_) {
      first_done_ = true;
      solver_summary full;
      benefit_side_sink sink(side_, full);
      project(work_, s_, sink);
      fill_project_values(work_, s_, side_);
      if (method_ == evaluation_method::split) {
        use_split_ = true;
      } else {
        difference_ = summary_difference(full, split_summary(work_, s_, side_));
        use_split_ = difference_ <= tolerance_;
      }
      return full;
    }
    return split_summary(work_, s_, side_);
  }
  [[nodiscard]] projection_context& work() noexcept { return work_; }
  /// "split", "engine" or "engine (the split differed by ... at the first evaluation)".
  [[nodiscard]] std::string used() const {
    if (method_ == evaluation_method::engine || !first_done_) return "engine";
    if (use_split_) return "split";
    return "engine (the split evaluation differed from the engine by " + format_value(difference_) +
           " relative at the first evaluation, tolerance " + format_value(tolerance_) + ")";
  }
  [[nodiscard]] bool split_used() const noexcept { return use_split_; }
  [[nodiscard]] double difference() const noexcept { return difference_; }

 private:
  const scenario& s_;
  projection_context work_;
  evaluation_method method_;
  double tolerance_;
  benefit_side side_;
  bool first_done_ = false, use_split_ = false;
  double difference_ = 0;
};

}  // namespace wifund::ratesetting
