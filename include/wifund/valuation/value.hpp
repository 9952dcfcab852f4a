#pragma once
// Valuation of long-term benefits in payment (issue #11): the present value at 1 January of a
// year of every future payment to a set of cohorts (伤残津贴 grades 1-4 and the retirement top-up,
// 生活护理费, 供养亲属抚恤金), and the capital value of a year's awards.
//
// The valuation runs the projection's own code on the rows: the rows become a cohort_book
// (claims/cohort_book.hpp: retirement groups and pension shares as in the projection's stock) that
// is rolled year by year with cohort_book::roll (indexation, flat increments, care re-based on the
// wage and never cut, retirement by birth month under 国发〔2024〕18号 with the top-up to the
// minimum-wage-floored allowance, children's pensions ending at 18, deferred spouses and parents
// paid from their eligibility month, the family cap, mortality with the disabled / dependant
// loads, and the Art. 39 ¶3 funeral grant and dependants' pensions on the deaths of grade 1-4
// recipients). The same functions serve the projection, so for a closed group the valuation's cash
// flows are the projection's long-term payments (tests/python/test_valuation_consistency.py).
//
// Timing: the valuation date is 1 January of the first valued year; each year's payments (monthly,
// paid to the average number alive, claims/cohort.hpp) are discounted from mid-year:
//   D_k = prod_{i<k} (1 + r_i)^-1 x (1 + r_k)^-1/2,  k = 0, 1, ... years after the valuation date.
// Beyond the projection context's horizon the last year's policy is kept (without its dated
// increments), wage growth, CPI and the discount rate stay at their last values, and the average
// and minimum wages grow with the wage.
//
// Per-row attribution: each row is rolled in a book of its own chunk with its row number as the
// cohort's city (the real city is looked up for the minimum wage), so the payments to a row, the
// dependants of its deaths included, are the row's. The projection groups the deaths of a city and
// sex at their mean age (Art. 39 ¶3); per row they are grouped per row, which equals the
// projection's grouping when a city has at most one allowance row of each sex. The flat-by-grade
// round (人社部发〔2017〕58号) is based on provincial averages over the whole book and is not
// additive by row: it is valued by city and kind only (per_row = false).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "wifund/claims/cohort.hpp"
#include "wifund/claims/cohort_book.hpp"
#include "wifund/core/axes.hpp"
#include "wifund/core/checks.hpp"
#include "wifund/core/errors.hpp"
#include "wifund/core/types.hpp"
#include "wifund/fund/context.hpp"
#include "wifund/fund/projection.hpp"
#include "wifund/fund/scenario.hpp"
#include "wifund/fund/state.hpp"
#include "wifund/fund/step.hpp"

namespace wifund {

/// The expenditure items a valuation reports (long-term benefits and the Art. 39 ¶3 funeral grant).
inline constexpr std::array<int, 5> valuation_items{item::disability_allowance,
                                                    item::allowance_topup, item::care_allowance,
                                                    item::dependant_pension, item::funeral_grant};
inline constexpr int n_valuation_items = static_cast<int>(valuation_items.size());

[[nodiscard]] constexpr int valuation_slot(int expenditure_item) noexcept {
  for (int i = 0; i < n_valuation_items; ++i)
    if (valuation_items[static_cast<std::size_t>(i)] == expenditure_item) return i;
  return -1;
}

/// The economic paths the cohorts see, as the projection computes them (fund/step.hpp): the
/// provincial insured wage growth, CPI, AW_{t-1} used for the year's benefits and the minimum wage
/// by city, one value per context year.
struct valuation_economy {
  std::vector<double> wage_growth, cpi, prev_avg_wage;
  Matrix minimum_wage;  ///< C x T
};

/// The paths of a projection of (x, s): the projection is run once (its benefit paths do not depend
/// on claims).
[[nodiscard]] inline valuation_economy valuation_economy_of(const projection_context& x,
                                                            const scenario& s) {
  const projection_result r = project(x, s);
  const projection_state st0 = initial_state(x);
  valuation_economy e;
  double prev = st0.insured_wage_prev;
  for (int j = 0; j < x.years; ++j) {
    const double aw = r.avg_monthly_wage[j];
    e.wage_growth.push_back(aw / prev - 1.0);
    e.cpi.push_back(s.economy.cpi[j]);
    e.prev_avg_wage.push_back(r.benefit_avg_wage[j]);
    prev = aw;
  }
  e.minimum_wage = s.economy.minimum_wage;
  return e;
}

struct valuation_options {
  std::vector<double> discount;  ///< yearly rates from the valuation year; the last one repeats
  int max_years = 150;           ///< years valued at most (the book is empty long before)
  bool per_row = true;           ///< PV per row (else per city)
  int chunk = 64;                ///< rows per book in the per-row mode
};

struct valuation_result {
  /// rows (per_row) or (city x n_benefit_kinds + kind) x n_valuation_items, at the valuation date
  /// (by city: the kind of the cohort paid, Art. 39 ¶3 dependants under their own kind)
  Matrix pv;
  Matrix cash;             ///< years x n_valuation_items, undiscounted payments of all rows
  Vector discount_factor;  ///< D_k of each year of `cash`
};

namespace detail {

inline void check_discount(const std::vector<double>& r) {
  if (r.empty()) throw invalid_input("value: discount must have at least one rate");
  for (std::size_t k = 0; k < r.size(); ++k)
    if (!(r[k] > -1.0) || !std::isfinite(r[k]))
      throw invalid_input(check_message("value", "discount[" + std::to_string(k) + "]", r[k],
                                        "must be finite and > -1"));
}

/// Policy and economy of year index j (beyond the context: the last year's, see the header).
struct year_inputs {
  policy_year p;
  double wage_growth = 0, cpi = 0, prev_avg_wage = 0;
  std::vector<double> minimum_wage;
};

class year_source {
 public:
  year_source(const projection_context& x, const valuation_economy& e) : x_(x), e_(e) {}
  [[nodiscard]] year_inputs at(int j) const {
    const int T = x_.years;
    year_inputs y;
    const int jj = std::min(j, T - 1);
    y.p = x_.policy[static_cast<std::size_t>(jj)];
    y.wage_growth = e_.wage_growth[static_cast<std::size_t>(jj)];
    y.cpi = e_.cpi[static_cast<std::size_t>(jj)];
    const double grow = j >= T ? std::pow(1.0 + y.wage_growth, j - (T - 1)) : 1.0;
    y.prev_avg_wage = e_.prev_avg_wage[static_cast<std::size_t>(jj)] * grow;
    for (Eigen::Index c = 0; c < e_.minimum_wage.rows(); ++c)
      y.minimum_wage.push_back(e_.minimum_wage(c, jj) * grow);
    if (j >= T) {
      y.p.year = x_.start_year() + j;
      y.p.increments.clear();
    }
    return y;
  }

 private:
  const projection_context& x_;
  const valuation_economy& e_;
};

/// The years valued by value_cohorts (inputs checked): each year's inputs and its discount factor
/// D_k (mid-year). With `additive_by_row` a flat-by-grade round is refused.
struct valued_years_t {
  std::vector<year_inputs> years;
  Vector D;
};
[[nodiscard]] inline valued_years_t valued_years(const projection_context& x,
                                                 const valuation_economy& e,
                                                 const std::vector<cohort>& rows, int j0,
                                                 const valuation_options& opts, int end_index,
                                                 bool additive_by_row) {
  check_discount(opts.discount);
  check_in_range("value", "first year index", j0, 0, x.years);
  check_in_range("value", "max_years", opts.max_years, 1, 400);
  const int C = x.cities();
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (rows[i].city < 0 || rows[i].city >= C)  // the message only for a bad row
      check_in_range("value", "rows[" + std::to_string(i) + "].city", rows[i].city, 0, C - 1);
  const int n_years = end_index >= 0 ? std::max(end_index - j0, 0) : opts.max_years;
  const year_source src(x, e);
  valued_years_t out;
  out.years.reserve(static_cast<std::size_t>(n_years));
  out.D.resize(n_years);
  double acc = 1.0;
  for (int k = 0; k < n_years; ++k) {
    out.years.push_back(src.at(j0 + k));
    const double r = opts.discount[std::min(static_cast<std::size_t>(k), opts.discount.size() - 1)];
    out.D[k] = acc / std::sqrt(1.0 + r);
    acc /= 1.0 + r;
  }
  if (additive_by_row)
    for (const auto& y : out.years)
      if (y.p.indexation.flat_by_grade)
        throw invalid_input(
            "value: the flat-by-grade indexation in " + std::to_string(y.p.year) +
            " (人社部发〔2017〕58号) is based on the whole book's averages and is not additive by "
            "row: value by city and kind (per_row = false, method = \"roll\")");
  return out;
}

}  // namespace detail

/// Values `rows` (cohorts in payment at 1 January of year index j0 of the context, ages at that
/// date) to the end of payment (or opts.max_years, or the year index `end_index` when >= 0).
[[nodiscard]] inline valuation_result value_cohorts(const projection_context& x,
                                                    const valuation_economy& e,
                                                    const std::vector<cohort>& rows, int j0,
                                                    const valuation_options& opts,
                                                    int end_index = -1) {
  const detail::valued_years_t valued =
      detail::valued_years(x, e, rows, j0, opts, end_index, opts.per_row);
  const auto& years = valued.years;
  const Vector& D = valued.D;
  const int C = x.cities();
  const int n_years = static_cast<int>(years.size());
  valuation_result out;
  const auto n_rows = static_cast<Eigen::Index>(rows.size());
  out.pv = Matrix::Zero(opts.per_row ? n_rows : C * n_benefit_kinds, n_valuation_items);
  out.cash = Matrix::Zero(n_years, n_valuation_items);
  out.discount_factor = D;
  const std::size_t chunk =
      opts.per_row ? static_cast<std::size_t>(std::max(opts.chunk, 1)) : rows.size();
  std::vector<cohort> part;
  std::vector<int> real_city;
  for (std::size_t first = 0; first < rows.size(); first += chunk) {
    const std::size_t last = std::min(rows.size(), first + chunk);
    part.assign(rows.begin() + static_cast<std::ptrdiff_t>(first),
                rows.begin() + static_cast<std::ptrdiff_t>(last));
    real_city.clear();
    for (std::size_t i = 0; i < part.size(); ++i) {
      real_city.push_back(part[i].city);
      if (opts.per_row) part[i].city = static_cast<int>(i);
    }
    cohort_book book;
    book.reset(part, part.size() * 4, x.claims);
    for (int k = 0; k < n_years && book.size() > 0; ++k) {
      const auto& y = years[static_cast<std::size_t>(k)];
      const double d = D[k];
      book.roll(
          y.p.year, y.p, y.wage_growth, y.cpi, y.prev_avg_wage, x.claims, x.mortality,
          [&](int city) {
            const int c = opts.per_row ? real_city[static_cast<std::size_t>(city)] : city;
            return y.minimum_wage[static_cast<std::size_t>(c)];
          },
          [&](int city, int it, BenefitKind kind, double paid, double) {
            const int slot = valuation_slot(it);
            if (slot < 0 || paid == 0) return;
            const auto row = static_cast<Eigen::Index>(
                opts.per_row ? first + static_cast<std::size_t>(city)
                             : static_cast<std::size_t>(city * n_benefit_kinds + index_of(kind)));
            out.pv(row, slot) += d * paid;
            out.cash(k, slot) += paid;
          },
          [](int, BenefitKind, double) {});
    }
  }
  return out;
}

}  // namespace wifund

// financing() (the financing values of a projection) builds on value_cohorts.
#include "wifund/valuation/financing.hpp"  // IWYU pragma: export
