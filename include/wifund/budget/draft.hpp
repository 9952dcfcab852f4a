#pragma once
// The year-end state a budget draft starts from (issue #10 item 1): the projection stepped from the
// base data to the end of a given year, packed as year_end_actuals, so that the draft can replace
// the figures the actuals know (balance, expenditure, contributions, insured) and keep the rest
// (the cohort book, the short-term costs still being paid, wages, construction values) from the
// engine. Jilin 吉政发〔2020〕20号 §三(三): the budget is drawn from the prior-year execution with
// actuarial techniques.
#include "wifund/fund/projection.hpp"
#include "wifund/fund/state.hpp"
#include "wifund/fund/step.hpp"

namespace wifund {

/// The projection's state at the end of `year` (base year .. last projection year - 1) as the
/// figures state_at_year_end takes: state_at_year_end(x, year_end_from_projection(x, s, y))
/// continues the projection of scenario s from y + 1.
[[nodiscard]] inline year_end_actuals year_end_from_projection(const projection_context& x,
                                                               const scenario& s, int year) {
  check_in_range("year_end_from_projection", "year", year, x.base.base_year,
                 x.base.base_year + x.years - 1);
  struct no_sink {
    void start(const projection_context&, int) {}
    void record(int, const year_flows&) {}
  } skip;
  projection_state st = initial_state(x);
  const int n = year - x.base.base_year;
  for (int j = 0; j < n; ++j) step(x, s, j, st, skip);
  year_end_actuals a;
  a.year = year;
  a.balance = st.balance;
  a.reserve = st.reserve;
  a.insured = st.insured;
  a.wage = st.wage;
  a.project_value = st.project_value;
  a.beneficiaries = st.book.cohorts();
  if (n == 0) {
    a.expenditure = x.base.base_expenditure;
    a.contributions = x.base.base_contributions;
    a.disposable_income = x.base.disposable_income;
  } else {
    a.expenditure = st.flows.fund.expenditure;
    a.contributions = st.contrib_prev;
    a.disposable_income = st.income_prev;
    const int lags = st.pending.lags();
    for (int c = 0; c < x.cities(); ++c)
      for (int l = 1; l < lags; ++l) a.incurred.push_back(st.pending.at(c, l - 1));
  }
  a.medical_index = st.medical_index;
  a.advance_outstanding = st.advance_outstanding;
  a.rate_multiplier = st.rate_multiplier;
  return a;
}

}  // namespace wifund
