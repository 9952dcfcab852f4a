#pragma once
// Where the years of a projection go. A sink has start(context, first_index) and
// record(j, const year_flows&). Two are provided:
//  * full_result_sink: every array of projection_result (what wifund.project returns);
//  * fund_summary_sink: the provincial vectors only (revenue, expenditure, closing, reserve, months
//    of payment, cut, cost rate, fiscal advance and outstanding advances, rate multiplier), written
//    into caller-owned storage, so that Monte Carlo and the rate-setting solvers allocate nothing
//    per year and nothing per scenario for their results.
#include <array>
#include <cstddef>
#include <iterator>
#include <string_view>
#include <vector>

#include "wifund/core/axes.hpp"
#include "wifund/core/types.hpp"
#include "wifund/fund/context.hpp"
#include "wifund/fund/year_flows.hpp"

namespace wifund {

/// All results of one projection. City arrays have C + 1 rows: the last row is the provincial level
/// (省本级: interest, other income, prevention), so that city sums reproduce the fund totals.
struct projection_result {
  int start_year = 0, years = 0, cities = 0;
  Vector opening, contributions, project_premiums, interest, other_income, revenue, expenditure,
      closing, reserve, months_of_payment, payg_cost_rate, current_balance_ratio, phased_cut,
      covered_payroll, insured, avg_monthly_wage, disposable_income_prev, fiscal_advance,
      advance_repayment, advance_outstanding, major_accident, reserve_use, rate_multiplier,
      benefit_avg_wage;
  std::vector<double> city_revenue;      ///< [(C+1), T, revenue_item::count] row-major
  std::vector<double> city_expenditure;  ///< [(C+1), T, item::count]
  std::vector<double> insured_ck, payroll_ck, contributions_ck, rate_ck,
      injuries_ck;  ///< [C, 9, T]
  std::vector<double> in_payment,
      new_awards;              ///< [C, n_benefit_kinds, T]: average number in payment, new awards
  std::vector<double> deaths;  ///< [C, T]: deaths from work injury

  [[nodiscard]] std::size_t rev_index(int c, int j, int i) const {
    return (static_cast<std::size_t>(c) * years + j) * revenue_item::count + i;
  }
  [[nodiscard]] std::size_t exp_index(int c, int j, int i) const {
    return (static_cast<std::size_t>(c) * years + j) * item::count + i;
  }
  [[nodiscard]] std::size_t ck_index(int c, int k, int j) const {
    return (static_cast<std::size_t>(c) * risk_class::count + k) * years + j;
  }
  [[nodiscard]] std::size_t kind_index(int c, int kind, int j) const {
    return (static_cast<std::size_t>(c) * n_benefit_kinds + kind) * years + j;
  }
};

/// Keeps every array; year index j of the projection is row j - first_index of the result.
class full_result_sink {
 public:
  explicit full_result_sink(projection_result& out) : r_(out) {}

  void start(const projection_context& x, int first_index) {
    first_ = first_index;
    const int C = x.cities();
    const int T = x.years - first_index;
    r_.start_year = x.start_year() + first_index;
    r_.years = T;
    r_.cities = C;
    for (Vector* v : fund_vectors()) *v = Vector::Zero(T);
    r_.city_revenue.assign(static_cast<std::size_t>(C + 1) * T * revenue_item::count, 0.0);
    r_.city_expenditure.assign(static_cast<std::size_t>(C + 1) * T * item::count, 0.0);
    for (auto* v :
         {&r_.insured_ck, &r_.payroll_ck, &r_.contributions_ck, &r_.rate_ck, &r_.injuries_ck})
      v->assign(static_cast<std::size_t>(C) * risk_class::count * T, 0.0);
    for (auto* v : {&r_.in_payment, &r_.new_awards})
      v->assign(static_cast<std::size_t>(C) * n_benefit_kinds * T, 0.0);
    r_.deaths.assign(static_cast<std::size_t>(C) * T, 0.0);
  }

  void record(int j, const year_flows& f) {
    const int row = j - first_;
    const auto& y = f.fund;
    const double values[] = {y.opening,
                             y.contributions,
                             y.project_premiums,
                             y.interest,
                             y.other_income,
                             y.revenue,
                             y.expenditure,
                             y.closing,
                             y.reserve,
                             y.months_of_payment,
                             y.payg_cost_rate,
                             y.current_balance_ratio,
                             y.phased_cut,
                             y.covered_payroll,
                             y.insured,
                             y.avg_monthly_wage,
                             y.disposable_income_prev,
                             y.fiscal_advance,
                             y.advance_repayment,
                             y.advance_outstanding,
                             y.major_accident,
                             y.reserve_use,
                             y.rate_multiplier,
                             y.benefit_avg_wage};
    static_assert(std::size(values) == n_fund_vectors);
    std::size_t n = 0;
    for (Vector* v : fund_vectors()) (*v)[row] = values[n++];
    for (int c = 0; c <= f.cities; ++c) {
      for (int i = 0; i < revenue_item::count; ++i)
        r_.city_revenue[r_.rev_index(c, row, i)] = f.city_revenue[f.rev(c, i)];
      for (int i = 0; i < item::count; ++i)
        r_.city_expenditure[r_.exp_index(c, row, i)] = f.city_expenditure[f.exp(c, i)];
    }
    for (int c = 0; c < f.cities; ++c) {
      for (int k = 0; k < risk_class::count; ++k) {
        const auto dst = r_.ck_index(c, k, row);
        const auto src = f.ck(c, k);
        r_.insured_ck[dst] = f.insured[src];
        r_.payroll_ck[dst] = f.payroll[src];
        r_.rate_ck[dst] = f.rate[src];
        r_.contributions_ck[dst] = f.contributions[src];
        r_.injuries_ck[dst] = f.injuries[src];
      }
      for (int kind = 0; kind < n_benefit_kinds; ++kind) {
        const auto src =
            static_cast<std::size_t>(c) * n_benefit_kinds + static_cast<std::size_t>(kind);
        r_.in_payment[r_.kind_index(c, kind, row)] = f.in_payment[src];
        r_.new_awards[r_.kind_index(c, kind, row)] = f.new_awards[src];
      }
      r_.deaths[static_cast<std::size_t>(c) * r_.years + row] =
          f.deaths[static_cast<std::size_t>(c)];
    }
  }

 private:
  static constexpr std::size_t n_fund_vectors = 24;
  std::array<Vector*, n_fund_vectors> fund_vectors() {
    return {&r_.opening,
            &r_.contributions,
            &r_.project_premiums,
            &r_.interest,
            &r_.other_income,
            &r_.revenue,
            &r_.expenditure,
            &r_.closing,
            &r_.reserve,
            &r_.months_of_payment,
            &r_.payg_cost_rate,
            &r_.current_balance_ratio,
            &r_.phased_cut,
            &r_.covered_payroll,
            &r_.insured,
            &r_.avg_monthly_wage,
            &r_.disposable_income_prev,
            &r_.fiscal_advance,
            &r_.advance_repayment,
            &r_.advance_outstanding,
            &r_.major_accident,
            &r_.reserve_use,
            &r_.rate_multiplier,
            &r_.benefit_avg_wage};
  }
  projection_result& r_;
  int first_ = 0;
};

/// Number of fund-summary vectors.
inline constexpr std::size_t n_fund_summary = 10;

/// The provincial vectors of one projection (owned storage).
struct fund_summary {
  int start_year = 0, years = 0;
  Vector revenue, expenditure, closing, reserve, months_of_payment, phased_cut, payg_cost_rate,
      fiscal_advance, advance_outstanding, rate_multiplier;
};

/// Names of the fund-summary vectors, in the order of fund_summary_sink's outputs. fiscal_advance >
/// 0 or advance_outstanding > 0 marks a year in which the fund is exhausted (条例 Art. 13 垫付);
/// rate_multiplier is the 以支定收 review multiplier in force.
inline constexpr std::array<std::string_view, n_fund_summary> fund_summary_names{
    "revenue",        "expenditure",       "closing",
    "reserve",        "months_of_payment", "phased_cut",
    "payg_cost_rate", "fiscal_advance",    "advance_outstanding",
    "rate_multiplier"};

/// Writes the provincial vectors into caller-owned rows: out[v][j - first_index] for vector v
/// of fund_summary_names. Nothing is allocated.
class fund_summary_sink {
 public:
  explicit fund_summary_sink(std::array<double*, n_fund_summary> out) : out_(out) {}
  explicit fund_summary_sink(fund_summary& s) : out_{nullptr}, owned_(&s) {}

  void start(const projection_context& x, int first_index) {
    first_ = first_index;
    if (owned_) {
      owned_->start_year = x.start_year() + first_index;
      owned_->years = x.years - first_index;
      Vector* v[] = {
          &owned_->revenue,        &owned_->expenditure,       &owned_->closing,
          &owned_->reserve,        &owned_->months_of_payment, &owned_->phased_cut,
          &owned_->payg_cost_rate, &owned_->fiscal_advance,    &owned_->advance_outstanding,
          &owned_->rate_multiplier};
      static_assert(std::size(v) == n_fund_summary);
      for (std::size_t i = 0; i < out_.size(); ++i) {
        *v[i] = Vector::Zero(owned_->years);
        out_[i] = v[i]->data();
      }
    }
  }

  void record(int j, const year_flows& f) {
    const auto row = static_cast<std::size_t>(j - first_);
    const auto& y = f.fund;
    const double values[] = {y.revenue,        y.expenditure,       y.closing,
                             y.reserve,        y.months_of_payment, y.phased_cut,
                             y.payg_cost_rate, y.fiscal_advance,    y.advance_outstanding,
                             y.rate_multiplier};  // the order of fund_summary_names
    static_assert(std::size(values) == n_fund_summary);
    for (std::size_t v = 0; v < out_.size(); ++v) out_[v][row] = values[v];
  }

 private:
  std::array<double*, n_fund_summary> out_;
  fund_summary* owned_ = nullptr;
  int first_ = 0;
};

}  // namespace wifund
