#pragma once
// A BasicTerm-like model-point valuation (lifelib's BasicTerm_M without lapses and expenses): for
// each life, an entry age x, a term of n whole years and a sum assured S, monthly survival from the
// annual q of the table and monthly discounting at the effective annual rate i give
//   pv_annuity = sum_{t=0}^{12n−1} v^{t/12} t/12_p_x                 (a level premium of 1 a month,
//   due) pv_claims  = S sum_{t=0}^{12n−1} v^{(t+1)/12} t/12_p_x q_t       (death benefit at the end
//   of the month)
// where q_t is the probability of dying in month t, from q_{x+⌊t/12⌋} under a constant force within
// the year (p = (1 − q)^{1/12} every month) or UDD (month j of the year: 1 − (1 − (j+1)q/12)/(1 −
// jq/12)).
//
// Speed: the monthly factors depend only on the age and the month of the year, so they are computed
// once per age of the table. Writing t = 12y + j and t/12_p_x = y_p_x · j/12_p_{x+y},
//   sum over the months of year y = v^y y_p_x · A[x+y],  A[a] = sum_{j<12} v^{j/12} j/12_p_a,
//   and C[a] = sum_{j<12} v^{(j+1)/12} j/12_p_a q_{a,j} for the claims,
// so each life costs one step per policy year instead of twelve (`by_year`, the default). The
// month-by-month loop (`by_year = false`) visits every cell as a cash-flow model does; both are
// kept so that the benchmark can show each, and the tests check that they agree. No allocation per
// life; lives are independent, so blocks run on up to `threads` threads with the same result.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "wifund/core/checks.hpp"
#include "wifund/core/parallel.hpp"
#include "wifund/life/life_table.hpp"

namespace wifund {

struct model_point_values {
  std::vector<double> pv_annuity;  ///< monthly annuity-due of 1 a month over the term
  std::vector<double>
      pv_claims;  ///< sum assured paid at the end of the month of death within the term
};

/// Monthly factors per age of `t`: p[a*12 + j] = survival through month j of age a given alive at
/// its start, and dq[a*12 + j] = 1 − p (the monthly death probability, formed without
/// cancellation).
struct monthly_factors {
  std::vector<double> p, dq;
  monthly_factors(const life_table& t, WithinYear within) : p(t.size() * 12), dq(t.size() * 12) {
    for (std::size_t a = 0; a < t.size(); ++a) {
      const double q = t.qx()[a];
      for (int j = 0; j < 12; ++j) {
        double pm, qm;
        if (within == WithinYear::constant_force) {
          // (1 − q)^{1/12} and its complement through log1p/expm1, exact to rounding for small q.
          const double l =
              q < 1.0 ? std::log1p(-q) / 12.0 : -std::numeric_limits<double>::infinity();
          pm = std::exp(l);
          qm = -std::expm1(l);
        } else {
          const double start = 1.0 - j * q / 12.0;  // j/12 p_a under UDD
          qm = start > 0.0 ? (q / 12.0) / start : 1.0;
          pm = 1.0 - qm;
        }
        p[a * 12 + static_cast<std::size_t>(j)] = pm;
        dq[a * 12 + static_cast<std::size_t>(j)] = qm;
      }
    }
  }
};

/// Values of n model points (ages, terms in whole years, sums assured) at the annual rate `rate`.
[[nodiscard]] inline model_point_values model_points(const life_table& t, const std::int64_t* age,
                                                     const std::int64_t* term,
                                                     const double* sum_assured, std::size_t n,
                                                     double rate, WithinYear within,
                                                     int threads = 1, bool by_year = true) {
  static constexpr const char* fn = "model_points";
  check_in_range(fn, "threads", threads, 1, 1024);
  if (!std::isfinite(rate) || !(rate > -1.0))
    throw invalid_input(check_message(fn, "rate", rate, "must be finite and > -1"));
  long long max_term = 0;
  for (std::size_t k = 0; k < n; ++k) {
    t.check_age(fn, "age", age[k]);
    if (term[k] < 0 || term[k] > 1000)
      throw invalid_input(check_message(fn, "term", term[k], "must lie in [0, 1000]"));
    if (!std::isfinite(sum_assured[k]))
      throw invalid_input(check_message(fn, "sum_assured", sum_assured[k], "is not finite"));
    max_term = std::max<long long>(max_term, term[k]);
  }
  model_point_values r{std::vector<double>(n), std::vector<double>(n)};
  const double delta = std::log1p(rate);
  const int min_age = t.min_age(), n_ages = static_cast<int>(t.size());
  const monthly_factors f(t, within);
  // v^{j/12} for one year, computed directly (not by repeated products) so both kernels agree.
  double vm[13];
  for (int j = 0; j <= 12; ++j) vm[j] = std::exp(-delta * j / 12.0);
  constexpr std::size_t block = 1024;
  const std::size_t n_blocks = (n + block - 1) / block;
  if (by_year) {
    // A[a], C[a] and the annual survival p_a per age: the year-level factors.
    std::vector<double> A(t.size()), C(t.size()), P(t.size());
    for (std::size_t a = 0; a < t.size(); ++a) {
      double p = 1.0, sa = 0.0, sc = 0.0;
      for (int j = 0; j < 12; ++j) {
        const std::size_t c = a * 12 + static_cast<std::size_t>(j);
        sa += vm[j] * p;
        sc += vm[j + 1] * p * f.dq[c];
        p *= f.p[c];
      }
      A[a] = sa;
      C[a] = sc;
      P[a] = p;
    }
    const double v = vm[12];
    parallel_for(static_cast<std::ptrdiff_t>(n_blocks), threads, [&](std::ptrdiff_t b) {
      const std::size_t lo = static_cast<std::size_t>(b) * block, hi = std::min(n, lo + block);
      for (std::size_t k = lo; k < hi; ++k) {
        const int a0 = static_cast<int>(age[k]) - min_age;
        const int years =
            static_cast<int>(std::min<long long>(term[k], n_ages - a0));  // dead after ω
        double w = 1.0, sa = 0.0, sc = 0.0;                               // w = v^y y_p_x
        for (int y = 0; y < years; ++y) {
          const std::size_t a = static_cast<std::size_t>(a0 + y);
          sa += w * A[a];
          sc += w * C[a];
          w *= v * P[a];
        }
        r.pv_annuity[k] = sa;
        r.pv_claims[k] = sum_assured[k] * sc;
      }
    });
  } else {
    std::vector<double> disc(static_cast<std::size_t>(12 * max_term + 1));
    for (std::size_t s = 0; s < disc.size(); ++s)
      disc[s] = std::exp(-delta * static_cast<double>(s) / 12.0);
    parallel_for(static_cast<std::ptrdiff_t>(n_blocks), threads, [&](std::ptrdiff_t b) {
      const std::size_t lo = static_cast<std::size_t>(b) * block, hi = std::min(n, lo + block);
      for (std::size_t k = lo; k < hi; ++k) {
        const long long a0 = age[k] - min_age;
        const long long months = 12 * std::min<long long>(term[k], n_ages - a0);
        const double* pm = f.p.data() + 12 * a0;  // the life's months are consecutive entries
        const double* qm = f.dq.data() + 12 * a0;
        double p = 1.0, sa = 0.0, sc = 0.0;
        for (long long s = 0; s < months; ++s) {
          sa += disc[static_cast<std::size_t>(s)] * p;
          sc += disc[static_cast<std::size_t>(s + 1)] * p * qm[s];
          p *= pm[s];
        }
        r.pv_annuity[k] = sa;
        r.pv_claims[k] = sum_assured[k] * sc;
      }
    });
  }
  return r;
}

}  // namespace wifund
