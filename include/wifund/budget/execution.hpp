#pragma once
// Budget execution (预算执行): the sums behind the official execution table 社预执行07表
// (annual and adjusted budget, current-period and cumulative actual, same period last year) and the
// projected year-end outturn from the year to date and the seasonal pattern of prior years.
//
// Everything that scales with cities x lines x months x years is here; the ratios (progress,
// deviation, growth) and their notes are formed in Python from these sums (one division per row).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "wifund/core/checks.hpp"
#include "wifund/core/errors.hpp"

namespace wifund::budget {

/// How a row's outturn was projected.
enum class outturn_method : int {
  history = 0,  ///< from the seasonal pattern of at least one prior year
  phasing = 1,  ///< no usable prior year: from the budget's own monthly phasing
  even = 2,     ///< neither: twelve equal months (cumulative x 12 / months elapsed)
};

/// Inputs, as views on row-major arrays owned by the caller.
struct execution_input {
  int cities = 0;                  ///< C
  int lines = 0;                   ///< L (line items, without the two totals)
  int years = 0;                   ///< Y: prior years oldest first, then the budget year (last)
  int as_of = 0;                   ///< months elapsed in the budget year, 1..12
  const double* actual = nullptr;  ///< [C][L][Y][12] monthly actuals (absent = 0)
  const unsigned char* complete = nullptr;  ///< [C][Y] prior year y reported all 12 months
  const unsigned char* has_last =
      nullptr;                     ///< [C] the year before the budget year reported months 1..as_of
  const double* annual = nullptr;  ///< [C][L] budget as approved
  const double* adjusted = nullptr;  ///< [C][L] budget after adjustments
  const double* monthly = nullptr;   ///< [C][L][12] adjusted budget phased by month
  const int* kind = nullptr;         ///< [L] 0 = revenue line, 1 = expenditure line
};

/// One value per row; rows are (C + 1) x (L + 2), city-major, the province first (row block 0),
/// within a block the L lines then the revenue total (L) and the expenditure total (L + 1).
struct execution_result {
  int cities = 0, lines = 0;
  std::vector<double> annual, adjusted, period, cumulative, last_year, budget_to_date;
  std::vector<double> outturn, outturn_low, outturn_high;
  std::vector<int>
      n_years;  ///< prior years whose pattern was usable (for aggregates: the most of any part)
  std::vector<int> method;  ///< outturn_method (aggregates: the worst of their parts)
  std::vector<int>
      last_year_missing;  ///< cities lacking last year's figures in this row (0 = complete)
  [[nodiscard]] std::size_t rows() const {
    return static_cast<std::size_t>(cities + 1) * (lines + 2);
  }
};

/// The execution sums and the projected outturn.
///
/// Outturn: for each prior year h that the city reported in full, a scenario "this year follows
/// year h's seasonal pattern": P_h = cumulative x annual_h / cumulative_h(1..as_of), valid when
/// both of year h's sums are > 0. A line without a valid year h takes, for that scenario, the mean
/// of its valid scenarios; a line with none takes the budget's phasing (cumulative x adjusted /
/// budget to date, when both > 0) or, failing that, twelve even months. Aggregates (the province,
/// the revenue and expenditure totals) add the scenarios of their parts year by year, so the point
/// projection (the mean over scenarios) of a total is the sum of its parts, and its interval (the
/// lowest and highest scenario) reflects the spread of past years of the total itself.
[[nodiscard]] inline execution_result execution_table(const execution_input& in) {
  constexpr const char* fn = "budget::execution_table";
  if (in.cities < 1) throw invalid_input(check_message(fn, "cities", in.cities, "must be >= 1"));
  if (in.lines < 1) throw invalid_input(check_message(fn, "lines", in.lines, "must be >= 1"));
  if (in.years < 1) throw invalid_input(check_message(fn, "years", in.years, "must be >= 1"));
  check_in_range(fn, "as_of", in.as_of, 1, 12);
  const std::size_t C = static_cast<std::size_t>(in.cities), L = static_cast<std::size_t>(in.lines),
                    Y = static_cast<std::size_t>(in.years), H = Y - 1,
                    m = static_cast<std::size_t>(in.as_of);
  for (std::size_t l = 0; l < L; ++l)
    if (in.kind[l] != 0 && in.kind[l] != 1)
      throw invalid_input(
          check_message(fn, "kind", in.kind[l], "must be 0 (revenue) or 1 (expenditure)"));
  check_allocation(
      fn, "cities x lines x prior years",
      static_cast<double>(C + 1) * static_cast<double>(L + 2) * static_cast<double>(H + 1) * 14.0,
      sizeof(double));

  execution_result r;
  r.cities = in.cities;
  r.lines = in.lines;
  const std::size_t R = r.rows(), B = L + 2;
  for (auto* v : {&r.annual, &r.adjusted, &r.period, &r.cumulative, &r.last_year, &r.budget_to_date,
                  &r.outturn, &r.outturn_low, &r.outturn_high})
    v->assign(R, 0.0);
  r.n_years.assign(R, 0);
  r.method.assign(R, 0);
  r.last_year_missing.assign(R, 0);
  // scen[row * H + h]: the year-end outturn if this year follows prior year h (aggregated by
  // addition).
  std::vector<double> scen(R * H, 0.0), p(H);
  const auto row = [B](std::size_t block, std::size_t j) { return block * B + j; };

  for (std::size_t c = 0; c < C; ++c) {
    for (std::size_t l = 0; l < L; ++l) {
      const std::size_t cl = c * L + l;
      const double* a = in.actual + cl * Y * 12;
      const double* cur = a + H * 12;
      double cum = 0.0, btd = 0.0;
      for (std::size_t k = 0; k < m; ++k) {
        cum += cur[k];
        btd += in.monthly[cl * 12 + k];
      }
      double last = 0.0;
      const bool last_ok = H >= 1 && in.has_last[c];
      if (last_ok)
        for (std::size_t k = 0; k < m; ++k) last += a[(H - 1) * 12 + k];

      // Scenarios from prior years' seasonal patterns.
      int n_valid = 0;
      double valid_sum = 0.0;
      for (std::size_t h = 0; h < H; ++h) {
        p[h] = std::numeric_limits<double>::quiet_NaN();
        if (!in.complete[c * Y + h]) continue;
        double ann = 0.0, part = 0.0;
        for (std::size_t k = 0; k < 12; ++k) {
          ann += a[h * 12 + k];
          if (k < m) part += a[h * 12 + k];
        }
        if (ann > 0.0 && part > 0.0) {
          p[h] = m == 12 ? cum : cum * (ann / part);
          valid_sum += p[h];
          ++n_valid;
        }
      }
      double fallback;
      outturn_method how = outturn_method::history;
      if (n_valid > 0) {
        fallback = valid_sum / n_valid;
      } else if (in.adjusted[cl] > 0.0 && btd > 0.0) {
        fallback = m == 12 ? cum : cum * (in.adjusted[cl] / btd);
        how = outturn_method::phasing;
      } else {
        fallback = cum * (12.0 / static_cast<double>(m));
        how = outturn_method::even;
      }
      // Nothing so far this year: every method projects 0, so the row does not weaken its totals'
      // method.
      if (cum == 0.0) how = outturn_method::history;
      for (std::size_t h = 0; h < H; ++h)
        if (std::isnan(p[h])) p[h] = fallback;

      const double vals[6] = {in.annual[cl], in.adjusted[cl], cur[m - 1], cum, last, btd};
      // The line itself, its total, and the same two rows of the province block.
      const std::size_t targets[4] = {row(c + 1, l),
                                      row(c + 1, L + static_cast<std::size_t>(in.kind[l])),
                                      row(0, l), row(0, L + static_cast<std::size_t>(in.kind[l]))};
      for (const std::size_t t : targets) {
        r.annual[t] += vals[0];
        r.adjusted[t] += vals[1];
        r.period[t] += vals[2];
        r.cumulative[t] += vals[3];
        r.last_year[t] += vals[4];
        r.budget_to_date[t] += vals[5];
        r.outturn[t] += H ? 0.0 : fallback;  // with no prior year the point is the fallback itself
        for (std::size_t h = 0; h < H; ++h) scen[t * H + h] += p[h];
        r.n_years[t] = t == targets[0] ? n_valid : std::max(r.n_years[t], n_valid);
        r.method[t] = std::max(r.method[t], static_cast<int>(how));
        if (!last_ok) r.last_year_missing[t] += 1;
      }
    }
  }
  // Province-block and total rows count each city once for last_year_missing, not once per line.
  for (std::size_t j = 0; j < B; ++j) {
    std::size_t missing = 0;
    for (std::size_t c = 0; c < C; ++c) missing += (H >= 1 && in.has_last[c]) ? 0 : 1;
    r.last_year_missing[row(0, j)] = static_cast<int>(missing);
    if (j >= L)
      for (std::size_t c = 0; c < C; ++c)
        r.last_year_missing[row(c + 1, j)] = (H >= 1 && in.has_last[c]) ? 0 : 1;
  }
  for (std::size_t t = 0; t < R; ++t) {
    if (H == 0) {
      r.outturn_low[t] = r.outturn_high[t] = r.outturn[t];
      continue;
    }
    double s = 0.0, lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (std::size_t h = 0; h < H; ++h) {
      const double v = scen[t * H + h];
      s += v;
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
    r.outturn[t] = s / static_cast<double>(H);
    r.outturn_low[t] = lo;
    r.outturn_high[t] = hi;
  }
  return r;
}

}  // namespace wifund::budget
