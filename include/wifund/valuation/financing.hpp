#pragma once
// The financing values of a projection (issue #11 item 3): the capital value at 1 January of each
// year's long-term awards (ILO terminal funding, "assessment of constituent capitals") and the
// liability at each year end for the benefits then in payment (../shared/domain/README.md §5.3-5.4;
// docs/valuation.md "Financing indicators").
//
// method pass (the default): one roll of one cohort book B through the horizon and on to
// extinction. Every cohort carries its vintage: 0 = the base-year stock, v = j + 1 = the awards of
// context year j, made by the projection's own code (injuries_and_awards of fund/step.hpp on a copy
// of the state after the year's wage and base growth, as step() makes them) and appended to B
// before B rolls year j. The vintage is carried in the cohort's city field (pseudo-city v x C +
// city, the real city looked up for the minimum wage, as value_cohorts does per row), so the Art.
// 39 ¶3 deaths of grade 1-4 recipients are grouped by city, sex and vintage and their dependants
// keep the vintage of the deceased. With P[v][s] the payments of year s to vintage v, V(s) =
// prod_{i<s} (1 + r_i)^-1 and M(s) = V(s) (1 + r_s)^-1/2 (the D_k of value_cohorts):
//   award_capital(j) = sum_{s>=j} M(s)/V(j)   P[j+1][s]
//   liability_end(j) = sum_{s>j}  M(s)/V(j+1) sum_{v<=j+1} P[v][s]
// so each year's capital value is exactly the part of every later liability that belongs to its
// vintage, and the roll-forward
//   liability_end(j) = (1 + r_j) [liability_end(j-1) + award_capital(j) - (1 + r_j)^-1/2 paid_j]
// (paid_j: all payments of year j, the year's own awards included) holds to rounding. The cost is
// one projection (its steps also give the economy's paths) plus one roll of B, whose Art. 39 ¶3
// death groups (and so their dependants' cohorts) are by vintage: up to T + 1 times the
// projection's. B is held in fixed blocks of financing_block_cities cities (the cities are
// independent in it), rolled in parallel (core/parallel.hpp), their payments summed in block order:
// the same numbers whatever the thread count. Under a flat-by-grade round (provincial averages) B
// is one block.
//
// method roll (the reference, the earlier definition): the book of the projection at each year
// end j valued by a roll of its own to extinction (value_cohorts, by city), and each year's awards
// valued alone: about 65x the projection's cohort-steps on the demo. The two differ only through
// (a) the grouping of the Art. 39 ¶3 deaths: in roll the book at the year end is grouped across
// vintages (as the projection groups them), in pass by vintage; (b) the book averages of the
// flat-by-grade round (人社部发〔2017〕58号): in roll over the book being valued (the closed book
// or the year's awards alone), in pass over the whole book B, as in the projection. Without a
// flat-by-grade round award_capital is the same in both (the awards valued alone are grouped by
// city and sex within their vintage in both), and so is the liability where the Art. 39 ¶3 deaths
// bring no dependants.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "wifund/claims/cohort.hpp"
#include "wifund/claims/cohort_book.hpp"
#include "wifund/core/checks.hpp"
#include "wifund/core/parallel.hpp"
#include "wifund/core/errors.hpp"
#include "wifund/core/types.hpp"
#include "wifund/fund/context.hpp"
#include "wifund/fund/scenario.hpp"
#include "wifund/fund/state.hpp"
#include "wifund/fund/step.hpp"
#include "wifund/fund/year_flows.hpp"
#include "wifund/valuation/value.hpp"

namespace wifund {

/// What financing() computes from a projection, one value per context year j.
struct financing_values {
  Matrix liability_end;  ///< T x n_valuation_items: PV at the end of year j of the book in payment
  Matrix award_capital;  ///< T x n_valuation_items: PV at 1 January of year j of the year's awards
  Matrix liability_start;  ///< 1 x n_valuation_items: PV at 1 January of year 0 of the stock
  /// method pass: years x n_valuation_items, the undiscounted payments of the book B (all vintages)
  /// from year index 0; method roll: no rows.
  Matrix cash;
};

/// Cities per block of the pass's book (blocks are rolled in parallel; fixed, so that the numbers
/// do not depend on the thread count).
inline constexpr int financing_block_cities = 16;

/// How financing() values the books (see the header).
enum class financing_method { pass, roll };

[[nodiscard]] inline financing_method financing_method_of(std::string_view name) {
  if (name == "pass") return financing_method::pass;
  if (name == "roll") return financing_method::roll;
  throw invalid_input("financing: method = '" + std::string(name) +
                      "' is not known: expected 'pass' (one roll of the book, the default) or "
                      "'roll' (a roll to extinction at every year end, the reference)");
}

namespace detail {

inline void check_financing_options(const valuation_options& o) {
  if (o.discount.empty()) throw invalid_input("financing: discount must have at least one rate");
  for (std::size_t k = 0; k < o.discount.size(); ++k)
    if (!(o.discount[k] > -1.0) || !std::isfinite(o.discount[k]))
      throw invalid_input(check_message("financing", "discount[" + std::to_string(k) + "]",
                                        o.discount[k], "must be finite and > -1"));
  check_in_range("financing", "max_years", o.max_years, 1, 400);
}

/// Where awards_of_year puts the year's awards: the book of the city's block, books[city / block],
/// every cohort's city + `city_offset` (the vintage's pseudo-cities). Stands for the state's book
/// in injuries_and_awards (its only use).
struct award_target {
  std::vector<cohort_book>* books = nullptr;
  int block = 1;  ///< cities per book
  int city_offset = 0;
  void award(award_basis w, const claims_assumptions& a, const benefit_rules& rules,
             double* new_awards) const {
    cohort_book& b = (*books)[static_cast<std::size_t>(w.city / block)];
    w.city += city_offset;
    b.award(w, a, rules, new_awards);
  }
};

/// projection_state whose `book` (hiding the base's) is an award_target.
struct award_state : projection_state {
  award_target book;
};

/// Steps 1 and 4-5a of step() in year j on a copy of `st` (the state's book not copied): the year's
/// new awards, made by the projection's own code (fund/step.hpp), are appended to `to`.
inline void awards_of_year(const projection_context& x, const scenario& s, int j,
                           projection_state& st, award_target to) {
  award_state a;
  {
    cohort_book held = std::move(st.book);
    static_cast<projection_state&>(a) = st;  // everything but the book (moved out: not copied)
    st.book = std::move(held);
  }
  a.book = to;
  const double published = s.economy.avg_wage_prev[j];
  if (!std::isnan(published)) a.avg_wage_ratio = published / a.insured_wage_prev;
  a.avg_wage_prev = a.insured_wage_prev * a.avg_wage_ratio;
  grow_contribution_base(x, s, j, a);
  injuries_and_awards(x, s, j, a);
}

/// Whether the policy of year index j (beyond the context: the last year's) has a flat-by-grade
/// round.
[[nodiscard]] inline bool flat_by_grade_in(const projection_context& x, int j) {
  return x.policy[static_cast<std::size_t>(std::min(j, x.years - 1))].indexation.flat_by_grade;
}

/// D_k of value_cohorts for a valuation from year index j0: n factors, the rates of `r` from index
/// j0 on (the last one repeating).
[[nodiscard]] inline std::vector<double> discount_from(const std::vector<double>& r, int j0,
                                                       int n) {
  std::vector<double> d(static_cast<std::size_t>(std::max(n, 0)));
  double acc = 1.0;
  for (int k = 0; k < n; ++k) {
    const double rate = r[std::min(static_cast<std::size_t>(j0 + k), r.size() - 1)];
    d[static_cast<std::size_t>(k)] = acc / std::sqrt(1.0 + rate);
    acc /= 1.0 + rate;
  }
  return d;
}

struct null_sink {
  void start(const projection_context&, int) {}
  void record(int, const year_flows&) {}
};

/// Records the paths of valuation_economy_of from the projection's own steps, year by year (the
/// same numbers: valuation_economy_of runs the same steps through project()).
struct economy_sink {
  valuation_economy& e;
  const scenario& s;
  double prev;  ///< the insured average monthly wage of the year before
  void start(const projection_context&, int) {}
  void record(int j, const year_flows& f) {
    e.wage_growth.push_back(f.fund.avg_monthly_wage / prev - 1.0);
    e.cpi.push_back(s.economy.cpi[j]);
    e.prev_avg_wage.push_back(f.fund.benefit_avg_wage);
    prev = f.fund.avg_monthly_wage;
  }
};

}  // namespace detail

/// method roll (the reference, see the header): the awards of year j valued alone from 1 January of
/// the year; the book of the projection at the end of year j valued by a roll of its own.
[[nodiscard]] inline financing_values financing_roll(const projection_context& x, const scenario& s,
                                                     const valuation_options& opts_in,
                                                     int end_index = -1) {
  detail::check_financing_options(opts_in);
  validate(x, s);
  const valuation_economy e = valuation_economy_of(x, s);
  const int T = x.years;
  financing_values out;
  out.liability_end = Matrix::Zero(T, n_valuation_items);
  out.award_capital = Matrix::Zero(T, n_valuation_items);
  out.cash = Matrix::Zero(0, n_valuation_items);
  auto rates_from = [&](int j) {
    valuation_options o = opts_in;
    o.per_row = false;
    o.discount.clear();
    for (std::size_t k = static_cast<std::size_t>(j); k < opts_in.discount.size(); ++k)
      o.discount.push_back(opts_in.discount[k]);
    if (o.discount.empty()) o.discount.push_back(opts_in.discount.back());
    return o;
  };
  projection_state st = initial_state(x);
  out.liability_start =
      value_cohorts(x, e, st.book.cohorts(), 0, rates_from(0), end_index).pv.colwise().sum();
  detail::null_sink sink;
  for (int j = 0; j < T; ++j) {
    std::vector<cohort_book> awarded(1);
    detail::awards_of_year(x, s, j, st, {&awarded, x.cities(), 0});
    if (awarded[0].size() > 0) {
      const valuation_result A =
          value_cohorts(x, e, awarded[0].cohorts(), j, rates_from(j), end_index);
      out.award_capital.row(j) = A.pv.colwise().sum();
    }
    step(x, s, j, st, sink);
    const valuation_result L =
        value_cohorts(x, e, st.book.cohorts(), j + 1, rates_from(j + 1), end_index);
    out.liability_end.row(j) = L.pv.colwise().sum();
  }
  return out;
}

/// method pass (the default, see the header): one roll of the book B tagged by vintage.
[[nodiscard]] inline financing_values financing_pass(const projection_context& x, const scenario& s,
                                                     const valuation_options& opts,
                                                     int end_index = -1) {
  detail::check_financing_options(opts);
  validate(x, s);
  projection_state st = initial_state(x);
  // The economy's paths are recorded by the steps below (year j before B rolls year j), not by a
  // projection of their own.
  valuation_economy e;
  e.minimum_wage = s.economy.minimum_wage;
  detail::economy_sink sink{e, s, st.insured_wage_prev};
  const detail::year_source src(x, e);
  const int T = x.years;
  const int C = x.cities();
  const int n_items = n_valuation_items;
  // Years valued from year index j0 (value_cohorts: to end_index, else max_years); B is rolled for
  // the years s < S, the last year any of the valuations reaches.
  auto years_from = [&](int j0) {
    return end_index >= 0 ? std::max(end_index - j0, 0) : opts.max_years;
  };
  const int S = std::max(end_index >= 0 ? end_index : T + opts.max_years, 0);
  // B by blocks of cities (the cities are independent in B: their death groups, their minimum
  // wage), rolled in parallel; the blocks are fixed, so the numbers do not depend on the thread
  // count. A flat-by-grade round takes its averages over the whole book: then one block.
  bool by_grade = false;
  for (int j = 0; j < std::min(S, T + 1); ++j)
    by_grade = by_grade || detail::flat_by_grade_in(x, j);
  const int block = by_grade ? C : std::min(C, financing_block_cities);
  const int n_blocks = (C + block - 1) / block;
  // P[b][(v x S + s) x n_items + slot]: payments of year s to vintage v (0: the stock, j + 1: year
  // j) in block b.
  const std::size_t n_p = static_cast<std::size_t>(T + 1) * static_cast<std::size_t>(S) *
                          static_cast<std::size_t>(n_items);
  std::vector<std::vector<double>> P(static_cast<std::size_t>(n_blocks),
                                     std::vector<double>(n_p, 0.0));
  auto index = [&](int v, int year, int slot) {
    return (static_cast<std::size_t>(v) * static_cast<std::size_t>(S) +
            static_cast<std::size_t>(year)) *
               static_cast<std::size_t>(n_items) +
           static_cast<std::size_t>(slot);
  };
  std::vector<cohort_book> books(static_cast<std::size_t>(n_blocks));
  {
    std::vector<std::vector<cohort>> parts(static_cast<std::size_t>(n_blocks));
    for (const cohort& c : st.book.cohorts())  // vintage 0: the stock, city = its own city
      parts[static_cast<std::size_t>(c.city / block)].push_back(c);
    // reset() keeps each cohort as it is (groups and pension shares are set already).
    for (int b = 0; b < n_blocks; ++b) {
      const auto& part = parts[static_cast<std::size_t>(b)];
      books[static_cast<std::size_t>(b)].reset(part, 2 * part.size(), x.claims);
    }
  }
  auto any_left = [&] {
    return std::any_of(books.begin(), books.end(),
                       [](const cohort_book& b) { return b.size() > 0; });
  };
  for (int j = 0; j < S && (j < T || any_left()); ++j) {
    if (j < T) {
      detail::awards_of_year(x, s, j, st, {&books, block, (j + 1) * C});  // vintage j + 1
      step(x, s, j, st, sink);
    }
    const detail::year_inputs y = src.at(j);
    parallel_for(n_blocks, 0, [&](int b) {
      cohort_book& book = books[static_cast<std::size_t>(b)];
      if (book.size() == 0) return;
      std::vector<double>& pb = P[static_cast<std::size_t>(b)];
      book.roll(
          y.p.year, y.p, y.wage_growth, y.cpi, y.prev_avg_wage, x.claims, x.mortality,
          [&](int city) { return y.minimum_wage[static_cast<std::size_t>(city % C)]; },
          [&](int city, int it, BenefitKind, double paid, double) {
            const int slot = valuation_slot(it);
            if (slot < 0 || paid == 0) return;
            pb[index(city / C, j, slot)] += paid;
          },
          [](int, BenefitKind, double) {});
    });
  }
  // The blocks' payments, summed in block order.
  for (std::size_t b = 1; b < P.size(); ++b)
    for (std::size_t k = 0; k < n_p; ++k) P[0][k] += P[b][k];
  auto at = [&](int v, int year, int slot) -> double& { return P[0][index(v, year, slot)]; };

  financing_values out;
  out.liability_end = Matrix::Zero(T, n_items);
  out.award_capital = Matrix::Zero(T, n_items);
  out.liability_start = Matrix::Zero(1, n_items);
  out.cash = Matrix::Zero(S, n_items);
  // Q[s][slot]: payments of year s to the vintages <= the one being added (cumulated over v).
  std::vector<double> Q(static_cast<std::size_t>(S) * static_cast<std::size_t>(n_items), 0.0);
  auto q = [&](int year, int slot) -> double& {
    return Q[static_cast<std::size_t>(year) * static_cast<std::size_t>(n_items) +
             static_cast<std::size_t>(slot)];
  };
  for (int v = 0; v <= T; ++v) {
    for (int year = 0; year < S; ++year)
      for (int i = 0; i < n_items; ++i) q(year, i) += at(v, year, i);
    const int j0 = v;  // vintage v is valued from 1 January of year index v - 1 (the stock: 0)
    const int from = std::max(v - 1, 0);
    if (v > 0 && from < T) {  // award_capital(v - 1) from year v - 1
      const int n = std::min(years_from(from), S - from);
      const std::vector<double> D = detail::discount_from(opts.discount, from, n);
      for (int k = 0; k < n; ++k)
        for (int i = 0; i < n_items; ++i)
          out.award_capital(from, i) += D[static_cast<std::size_t>(k)] * at(v, from + k, i);
    }
    // The liability of the vintages <= v at 1 January of year index j0 (the end of year j0 - 1).
    const int n = std::max(std::min(years_from(j0), S - j0), 0);
    const std::vector<double> D = detail::discount_from(opts.discount, j0, n);
    Matrix& target = v == 0 ? out.liability_start : out.liability_end;
    const Eigen::Index r = v == 0 ? 0 : v - 1;
    for (int k = 0; k < n; ++k)
      for (int i = 0; i < n_items; ++i)
        target(r, i) += D[static_cast<std::size_t>(k)] * q(j0 + k, i);
  }
  for (int year = 0; year < S; ++year)
    for (int i = 0; i < n_items; ++i) out.cash(year, i) = q(year, i);
  return out;
}

/// Liabilities at each year end, the capital value of each year's long-term awards (both on `opts`:
/// discount rates from the first projection year, per_row ignored) and the stock's liability at
/// the start. The awards of year j are those of the year's injuries and deaths at work, made by
/// the projection's own code; their value includes the Art. 39 ¶3 dependants and funeral grants of
/// their later deaths (so those dependants are not awards of a later year here). `end_index` >= 0
/// truncates every valuation at that year index. `method`: see the header.
[[nodiscard]] inline financing_values financing(const projection_context& x, const scenario& s,
                                                const valuation_options& opts, int end_index = -1,
                                                financing_method method = financing_method::pass) {
  return method == financing_method::roll ? financing_roll(x, s, opts, end_index)
                                          : financing_pass(x, s, opts, end_index);
}

}  // namespace wifund
