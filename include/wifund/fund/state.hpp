#pragma once
// The state a projection carries from one year end to the next: insured and wages by city x class,
// construction contract values, the cohort book, the fund balance and reserve, last year's months
// of payment and contributions (the phased cut and the prevention cap), last year's provincial
// average wage and national disposable income, the medical price index, and the short-term costs
// incurred but not yet paid. A state is built from the base data (initial_state) or from actual
// figures at a later year end (state_at_year_end), which is how the budget cycle starts a
// projection from what really happened.
#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "wifund/claims/cohort_book.hpp"
#include "wifund/claims/short_term.hpp"
#include "wifund/core/checks.hpp"
#include "wifund/fund/context.hpp"
#include "wifund/fund/year_flows.hpp"
#include "wifund/policy/rate_schedule.hpp"
#include "wifund/policy/unset.hpp"

namespace wifund {

struct projection_state {
  int next_index = 0;        ///< index j (year start_year + j) of the next year to project
  Matrix insured, wage;      ///< C x 9 at the year end
  Vector project_value;      ///< C
  cohort_book book;          ///< long-term cohorts in payment
  incurred_history pending;  ///< short-term costs of the recent injury years (payment pattern)
  double balance = 0, reserve = 0;
  double months_prev = 0;   ///< months of payment at the year end (decides next year's cut)
  double contrib_prev = 0;  ///< contributions and project premiums of the year (prevention cap)
  /// AW_{t-1} for next year's benefits (own-wage clamp, care, funeral grant, medical subsidy): the
  /// published provincial average monthly wage of the year where given
  /// (economy_paths::avg_wage_prev), else the insured average wage x avg_wage_ratio.
  double avg_wage_prev = 0;
  double insured_wage_prev =
      0;                      ///< insured-weighted average monthly wage of the year (wage growth)
  double avg_wage_ratio = 1;  ///< last published / insured average wage (1 when none published)
  double advance_outstanding = 0;  ///< fiscal advances not yet repaid (条例 Art. 13)
  double rate_multiplier = 1;  ///< rate-review multiplier in force (以支定收, 条例 Art. 8)
  double rate_decided = 1;  ///< the multiplier decided by the last review (may not be in force yet)
  /// Multipliers decided and not yet in force, by year index modulo max_review_lag + 1 (NaN: none).
  std::array<double, max_review_lag + 1> rate_pending = unset_array<max_review_lag + 1>();
  double income_prev = 0;    ///< national urban disposable income per head of the year
  double medical_index = 1;  ///< product of (1 + medical inflation) since the base year
  year_flows flows;          ///< the flows of the last year stepped (a buffer reused every year)
};

/// Provincial average monthly wage: insured-weighted mean of the class wages.
[[nodiscard]] inline double provincial_avg_wage(const Matrix& insured, const Matrix& wage) {
  return (insured.array() * wage.array()).sum() / insured.sum();
}

namespace detail {
inline projection_state make_state(const projection_context& x, int next_index,
                                   const Matrix& insured, const Matrix& wage,
                                   const Vector& project_value, const std::vector<cohort>& stock,
                                   double balance, double reserve, double expenditure,
                                   double contributions, double income) {
  projection_state s;
  const int C = x.cities();
  const int T = x.years;
  s.next_index = next_index;
  s.insured = insured;
  s.wage = wage;
  s.project_value = project_value;
  // Room for the stock and the new awards to come (at most ~150 per city and year), reserved once.
  s.book.reset(
      stock,
      stock.size() + static_cast<std::size_t>(C) * static_cast<std::size_t>(T - next_index) * 64,
      x.claims);
  s.pending = incurred_history(C, static_cast<int>(x.claims.payment_pattern.size()));
  s.balance = balance;
  s.reserve = reserve;
  s.months_prev = balance / (expenditure / 12.0);
  s.contrib_prev = contributions;
  s.avg_wage_prev = provincial_avg_wage(insured, wage);
  s.insured_wage_prev = s.avg_wage_prev;
  s.income_prev = income;
  s.medical_index = 1.0;
  s.flows.resize(C);
  return s;
}
}  // namespace detail

/// The state at the base-year end, from the context's base data.
[[nodiscard]] inline projection_state initial_state(const projection_context& x) {
  const auto& b = x.base;
  return detail::make_state(x, 0, b.insured, b.wage, b.project_value, b.beneficiaries,
                            b.opening_balance, b.opening_reserve, b.base_expenditure,
                            b.base_contributions, b.disposable_income);
}

/// Actual figures at the end of a year between the base year and the last projection year.
struct year_end_actuals {
  int year = 0;        ///< the year end (figures known up to and including it)
  double balance = 0;  ///< fund balance at the year end, reserve included
  double reserve = 0;
  Matrix insured, wage;               ///< C x 9: insured and average monthly wage by city x class
  Vector project_value;               ///< C: construction contract value started in the year
  std::vector<cohort> beneficiaries;  ///< long-term benefits in payment at the year end
  double expenditure = 0;             ///< fund expenditure of the year (months of payment)
  double contributions = 0;  ///< contributions and project premiums of the year (prevention cap)
  double disposable_income = 0;  ///< national urban disposable income per head of the year
  /// Medical prices of the year relative to the base year (the claims basis is at base-year
  /// prices).
  double medical_index = 1;
  double advance_outstanding =
      0;                       ///< fiscal advances not yet repaid at the year end (条例 Art. 13)
  double rate_multiplier = 1;  ///< rate-review multiplier in force in the year (以支定收)
  /// Short-term costs of the injury years year, year - 1, ... still being paid, by city: C x (L -
  /// 1) for a payment pattern of L lags, city-major, lag 1 first. Empty: taken at the first
  /// projected year's level, as for a projection from the base year.
  std::vector<short_term_costs> incurred;
};

/// The state at an actual year end; the projection then runs from year + 1.
[[nodiscard]] inline projection_state state_at_year_end(const projection_context& x,
                                                        const year_end_actuals& a) {
  static constexpr const char* fn = "state_at_year_end";
  const int C = x.cities();
  check_in_range(fn, "year", a.year, x.base.base_year, x.base.base_year + x.years - 1);
  if (a.insured.rows() != C || a.insured.cols() != risk_class::count || a.wage.rows() != C ||
      a.wage.cols() != risk_class::count || a.project_value.size() != C)
    throw invalid_input(
        "state_at_year_end: insured and wage must be cities x 9 and project_value one per city");
  for (int c = 0; c < C; ++c)
    for (int k = 0; k < risk_class::count; ++k) {
      if (!(a.insured(c, k) >= 0.0) || !std::isfinite(a.insured(c, k)))
        check_nonnegative(
            fn,
            "insured[" + detail::city_label(x.base, c) + ", class " + detail::class_label(k) + "]",
            a.insured(c, k));
      if (a.insured(c, k) > 0 && !(a.wage(c, k) > 0.0))
        check_positive(
            fn, "wage[" + detail::city_label(x.base, c) + ", class " + detail::class_label(k) + "]",
            a.wage(c, k));
    }
  if (a.insured.sum() <= 0) throw invalid_input("state_at_year_end: no insured workers");
  check_finite(fn, "balance", a.balance);
  check_nonnegative(fn, "reserve", a.reserve);
  check_positive(fn, "expenditure", a.expenditure);
  check_nonnegative(fn, "contributions", a.contributions);
  check_nonnegative(fn, "disposable_income", a.disposable_income);
  check_positive(fn, "medical_index", a.medical_index);
  check_nonnegative(fn, "advance_outstanding", a.advance_outstanding);
  check_positive(fn, "rate_multiplier", a.rate_multiplier);
  detail::validate_cohorts(fn, "beneficiaries", a.beneficiaries, x.base);
  const int lags = static_cast<int>(x.claims.payment_pattern.size());
  if (!a.incurred.empty() &&
      a.incurred.size() != static_cast<std::size_t>(C) * static_cast<std::size_t>(lags - 1))
    throw invalid_input("state_at_year_end: incurred must have cities x (payment lags - 1) = " +
                        std::to_string(C * (lags - 1)) + " entries, got " +
                        std::to_string(a.incurred.size()));
  auto s = detail::make_state(x, a.year - x.base.base_year, a.insured, a.wage, a.project_value,
                              a.beneficiaries, a.balance, a.reserve, a.expenditure, a.contributions,
                              a.disposable_income);
  s.medical_index = a.medical_index;
  s.advance_outstanding = a.advance_outstanding;
  s.rate_multiplier = s.rate_decided = a.rate_multiplier;
  if (!a.incurred.empty())
    for (int c = 0; c < C; ++c)
      for (int l = 1; l < lags; ++l)
        s.pending.set_before(c, l, a.incurred[static_cast<std::size_t>(c * (lags - 1) + l - 1)]);
  return s;
}

}  // namespace wifund
