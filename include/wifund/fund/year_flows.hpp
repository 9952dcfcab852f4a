#pragma once
// The results of one projection year: the provincial fund line and the detail by city, class and
// benefit kind. step() fills one of these (a buffer reused from year to year, so a year allocates
// nothing); the sinks keep what they need of it.
#include <algorithm>
#include <cstddef>
#include <vector>

#include "wifund/core/axes.hpp"

namespace wifund {

/// The provincial fund line of one year (统收统支: one provincial special account).
struct fund_year {
  double opening = 0, contributions = 0, project_premiums = 0, interest = 0, other_income = 0,
         revenue = 0, expenditure = 0, closing = 0, reserve = 0, months_of_payment = 0,
         payg_cost_rate = 0, current_balance_ratio = 0, phased_cut = 0, covered_payroll = 0,
         insured = 0, avg_monthly_wage = 0, disposable_income_prev = 0;
  double fiscal_advance = 0;     ///< 财政垫付 of the year (in revenue)
  double advance_repayment = 0;  ///< repaid from the surplus (in expenditure)
  double advance_outstanding =
      0;                       ///< advances not repaid at the year end (> 0: the fund is exhausted)
  double major_accident = 0;   ///< major-accident cost of the year (in expenditure)
  double reserve_use = 0;      ///< part of it paid from the reserve
  double rate_multiplier = 1;  ///< rate-review multiplier on the base rates in force in the year
  double benefit_avg_wage = 0;  ///< AW_{t-1} used for the year's benefits (published or insured)
};

/// One year's flows. City tables have C + 1 rows: the last is the provincial level (省本级:
/// interest, other income, prevention), so that city sums reproduce the fund totals.
struct year_flows {
  int cities = 0;
  fund_year fund;
  std::vector<double> city_revenue;      ///< [(C+1), revenue_item::count]
  std::vector<double> city_expenditure;  ///< [(C+1), item::count]
  std::vector<double> insured, payroll, rate, contributions, injuries;  ///< [C, risk_class::count]
  std::vector<double> in_payment, new_awards;                           ///< [C, n_benefit_kinds]
  std::vector<double> deaths;                                           ///< [C]

  void resize(int c) {
    cities = c;
    const auto C = static_cast<std::size_t>(c);
    city_revenue.assign((C + 1) * revenue_item::count, 0.0);
    city_expenditure.assign((C + 1) * item::count, 0.0);
    for (auto* v : {&insured, &payroll, &rate, &contributions, &injuries})
      v->assign(C * risk_class::count, 0.0);
    for (auto* v : {&in_payment, &new_awards}) v->assign(C * n_benefit_kinds, 0.0);
    deaths.assign(C, 0.0);
  }
  /// Zeroes every value for a new year (no allocation).
  void clear() {
    fund = fund_year{};
    for (auto* v : {&city_revenue, &city_expenditure, &insured, &payroll, &rate, &contributions,
                    &injuries, &in_payment, &new_awards, &deaths})
      std::fill(v->begin(), v->end(), 0.0);
  }

  [[nodiscard]] std::size_t rev(int c, int i) const noexcept {
    return static_cast<std::size_t>(c) * revenue_item::count + static_cast<std::size_t>(i);
  }
  [[nodiscard]] std::size_t exp(int c, int i) const noexcept {
    return static_cast<std::size_t>(c) * item::count + static_cast<std::size_t>(i);
  }
  [[nodiscard]] std::size_t ck(int c, int k) const noexcept {
    return static_cast<std::size_t>(c) * risk_class::count + static_cast<std::size_t>(k);
  }
  [[nodiscard]] std::size_t ckind(int c, BenefitKind k) const noexcept {
    return static_cast<std::size_t>(c) * n_benefit_kinds + static_cast<std::size_t>(index_of(k));
  }
};

}  // namespace wifund
