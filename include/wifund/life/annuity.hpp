#pragma once
// Life annuities and assurances on a life_table (Bowers et al., Actuarial Mathematics, 2nd ed.,
// ch. 4 and 5; Dickson, Hardy & Waters, AMLCR, ch. 5).
//
// One formula covers the due and immediate, whole-life, temporary and deferred forms with m
// payments a year. With E(s) = v^s s_p_x (the pure endowment) and payments in the years [u, e),
// u = deferral, e = u + term (or the end of the table for a whole-life annuity):
//   annual  S      = sum_{k=u}^{e-1} v^k k_p_x                                      (Bowers 5.3.x)
//   UDD     ä^(m)  = α(m) S − β(m) (E(u) − E(e)) (Bowers 5.4.11-12) W2      ä^(m)  = S − (m−1)/(2m)
//   (E(u) − E(e))                                      (Bowers 5.4.14) W3      ä^(m)  = W2 −
//   (m²−1)/(12m²) (E(u)(μ_{x+u}+δ) − E(e)(μ_{x+e}+δ))            (AMLCR 5.11) immediate a^(m) =
//   ä^(m) − (E(u) − E(e))/m                                          (Bowers 5.4.x)
// UDD is exact when deaths are uniform within each year of age; Woolhouse is an Euler-Maclaurin
// approximation. μ_y for the three-term form is −(ln p_{y−1} + ln p_y)/2 (AMLCR 5.12); at the first
// age of the table, or where one of the two p is 0, the other one alone is used, and where neither
// is usable (the terminal age) the μ term is dropped.
//
// Escalation g: the payment at time t is (1+g)^t times the level one (so 1/m × (1+g)^{k+j/m}). The
// present value is then the level annuity at v' = v(1+g), i' = (1+i)/(1+g) − 1, with the table's
// own mortality — the interest rate, and only the interest rate, changes. (Folding (1+g) into p_x,
// as some spreadsheets and libraries do, changes the survival probabilities that the m-thly and
// Woolhouse corrections use, and gives another number.)
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "wifund/core/checks.hpp"
#include "wifund/core/parallel.hpp"
#include "wifund/life/life_table.hpp"

namespace wifund {

/// Options of an annuity valuation. term = +inf is a whole-life annuity.
struct annuity_options {
  double term =
      std::numeric_limits<double>::infinity();  ///< years of payments (whole number, or inf)
  int deferral = 0;                             ///< years before the first payment period
  int m = 1;                                    ///< payments a year: 1, 2, 3, 4, 6 or 12
  double escalation = 0.0;                      ///< g, yearly growth of the payments (> −1)
  FractionalAge method = FractionalAge::udd;    ///< m-thly convention
  bool immediate = false;                       ///< payments at the end of each 1/m year
};

namespace detail {
/// α(m), β(m) of Bowers (5.4.11) at the effective rate with force δ = ln(1+i): α = i d/(i^(m)
/// d^(m)), β = (i − i^(m))/(i^(m) d^(m)). The differences are formed from series for small δ (where
/// i − i^(m) = Σ_k δ^k/k! (1 − m^{1−k}) cancels), and δ = 0 gives the limits α = 1, β = (m−1)/(2m).
inline void udd_alpha_beta(double delta, int m, double& alpha, double& beta) {
  const double md = static_cast<double>(m);
  if (m == 1) {
    alpha = 1.0;
    beta = 0.0;
    return;
  }
  if (delta == 0.0) {
    alpha = 1.0;
    beta = (md - 1.0) / (2.0 * md);
    return;
  }
  const double i = std::expm1(delta), d = -std::expm1(-delta);
  const double im = md * std::expm1(delta / md), dm = -md * std::expm1(-delta / md);
  // Formed as products of ratios of order 1 so that tiny δ (say 1e-166) neither underflows δ² nor
  // divides 0 by 0: α = (i/i^(m)) (d/d^(m)), β = [(i − i^(m))/δ²] (δ/i^(m)) (δ/d^(m)).
  double num_over_d2;  // (i − i^(m)) / δ²
  if (std::abs(delta) < 0.05) {
    num_over_d2 = 0.0;
    double term = 1.0, fact = 1.0, mpow = 1.0;  // δ^{k−2}, k!, m^{k−1}
    for (int k = 2; k <= 12; ++k) {
      if (k > 2) term *= delta;
      fact *= k;
      mpow *= md;
      num_over_d2 += term / fact * (1.0 - 1.0 / mpow);
    }
  } else {
    num_over_d2 = (i - im) / (delta * delta);
  }
  alpha = (i / im) * (d / dm);
  beta = num_over_d2 * (delta / im) * (delta / dm);
}

/// Force of mortality at age y for three-term Woolhouse; NaN when no estimate is usable.
inline double woolhouse_mu(const life_table& t, int y) {
  if (y < t.min_age() || y > t.max_age()) return std::numeric_limits<double>::quiet_NaN();
  const double py = 1.0 - t.q_at(y);
  const double pm = y > t.min_age() ? 1.0 - t.q_at(y - 1) : 0.0;
  if (py > 0.0 && pm > 0.0) return -0.5 * (std::log(pm) + std::log(py));
  if (py > 0.0) return -std::log(py);
  if (pm > 0.0) return -std::log(pm);
  return std::numeric_limits<double>::quiet_NaN();
}

inline bool allowed_m(long long m) {
  return m == 1 || m == 2 || m == 3 || m == 4 || m == 6 || m == 12;
}
}  // namespace detail

/// Checks the arguments of an annuity valuation; messages name the field and the value.
inline void check_annuity(std::string_view fn, const life_table& t, long long x, double rate,
                          const annuity_options& o) {
  t.check_age(fn, "x", x);
  if (!std::isfinite(rate) || !(rate > -1.0))
    throw invalid_input(check_message(fn, "rate", rate, "must be finite and > -1"));
  if (std::isnan(o.term) || o.term < 0.0)
    throw invalid_input(check_message(fn, "term", o.term, "must be >= 0 (None for whole life)"));
  if (std::isfinite(o.term) && o.term != std::floor(o.term))
    throw invalid_input(check_message(fn, "term", o.term, "must be a whole number of years"));
  if (o.deferral < 0)
    throw invalid_input(check_message(fn, "deferral", o.deferral, "must be >= 0"));
  if (!detail::allowed_m(o.m))
    throw invalid_input(check_message(fn, "m", o.m, "is not one of 1, 2, 3, 4, 6, 12"));
  if (!std::isfinite(o.escalation) || !(o.escalation > -1.0))
    throw invalid_input(check_message(fn, "escalation", o.escalation, "must be finite and > -1"));
}

/// The annuity value without checks (arguments as check_annuity accepts them).
[[nodiscard]] inline double annuity_unchecked(const life_table& t, int x, double rate,
                                              const annuity_options& o) {
  // Escalation changes only the discount factor (see the header comment).
  const double delta = std::log1p(rate) - std::log1p(o.escalation);
  const double v = std::exp(-delta);
  const long long last = static_cast<long long>(t.max_age()) - x + 1;  // k_p_x = 0 for k >= last
  const long long u = std::min<long long>(o.deferral, last);
  // Compare in double before converting: a term of 1e300 years is whole life, not a UB cast.
  const long long e =
      o.term >= static_cast<double>(last - u) ? last : u + static_cast<long long>(o.term);
  double p = 1.0, disc = 1.0;
  long long k = 0;
  for (; k < u; ++k) {
    p *= 1.0 - t.q_at(static_cast<int>(x + k));
    disc *= v;
  }
  const double eu = disc * p;
  double s = 0.0;
  for (; k < e; ++k) {
    s += disc * p;
    p *= 1.0 - t.q_at(static_cast<int>(x + k));
    disc *= v;
  }
  const double ee = disc * p;  // 0 when e = last (q_omega = 1)
  const double md = static_cast<double>(o.m);
  double value;
  if (o.method == FractionalAge::udd) {
    double alpha, beta;
    detail::udd_alpha_beta(delta, o.m, alpha, beta);
    value = alpha * s - beta * (eu - ee);
  } else {
    value = s - (md - 1.0) / (2.0 * md) * (eu - ee);
    if (o.method == FractionalAge::woolhouse3 && o.m > 1) {
      const double c3 = (md * md - 1.0) / (12.0 * md * md);
      auto part = [&](double en, long long dur) {
        if (en == 0.0) return 0.0;
        const double mu = detail::woolhouse_mu(t, static_cast<int>(x + dur));
        return std::isnan(mu) ? 0.0 : en * (mu + delta);
      };
      value -= c3 * (part(eu, u) - part(ee, e));
    }
  }
  if (o.immediate) value -= (eu - ee) / md;
  return value;
}

/// Annuity-due (or immediate, o.immediate) of 1 a year paid in m instalments, for a life aged x.
[[nodiscard]] inline double annuity(const life_table& t, int x, double rate,
                                    const annuity_options& o = {}) {
  check_annuity(o.immediate ? "annuity_immediate" : "annuity_due", t, x, rate, o);
  return annuity_unchecked(t, x, rate, o);
}

/// Term assurance A¹_{x:n} = sum_{k<n} v^{k+1} k_p_x q_{x+k}, 1 paid at the end of the year of
/// death (Bowers 4.2); n = +inf is the whole-life assurance A_x (= 1 − d ä_x, Bowers 5.2.8).
[[nodiscard]] inline double assurance_unchecked(const life_table& t, int x, double rate, double n) {
  const double v = 1.0 / (1.0 + rate);
  const long long last = static_cast<long long>(t.max_age()) - x + 1;
  const long long e = n >= static_cast<double>(last) ? last : static_cast<long long>(n);
  double p = 1.0, disc = v, a = 0.0;
  for (long long k = 0; k < e; ++k) {
    const double q = t.q_at(static_cast<int>(x + k));
    a += disc * p * q;
    p *= 1.0 - q;
    disc *= v;
  }
  return a;
}

inline void check_assurance(std::string_view fn, const life_table& t, long long x, double rate,
                            double n) {
  t.check_age(fn, "x", x);
  if (!std::isfinite(rate) || !(rate > -1.0))
    throw invalid_input(check_message(fn, "rate", rate, "must be finite and > -1"));
  if (std::isnan(n) || n < 0.0) throw invalid_input(check_message(fn, "n", n, "must be >= 0"));
  if (std::isfinite(n) && n != std::floor(n))
    throw invalid_input(check_message(fn, "n", n, "must be a whole number of years"));
}

[[nodiscard]] inline double whole_life_assurance(const life_table& t, int x, double rate) {
  const double inf = std::numeric_limits<double>::infinity();
  check_assurance("whole_life_assurance", t, x, rate, inf);
  return assurance_unchecked(t, x, rate, inf);
}

[[nodiscard]] inline double term_assurance(const life_table& t, int x, int n, double rate) {
  check_assurance("term_assurance", t, x, rate, static_cast<double>(n));
  return assurance_unchecked(t, x, rate, static_cast<double>(n));
}

/// Flat arrays of one valuation per element (broadcast by the caller), over several tables:
/// table[k] indexes `tables`. Every element is checked first, in order (so the error names the
/// first bad value whatever the thread count), then the values are computed in blocks on up to
/// `threads` threads; each element is independent, so the result does not depend on `threads`.
struct annuity_batch_args {
  const std::int64_t* table = nullptr;
  const std::int64_t* x = nullptr;
  const double* rate = nullptr;
  const double* term = nullptr;
  const std::int64_t* deferral = nullptr;
  const double* escalation = nullptr;
  std::size_t n = 0;
};

[[nodiscard]] inline std::vector<double> annuity_batch(const std::vector<life_table>& tables,
                                                       const annuity_batch_args& a, int m,
                                                       FractionalAge method, bool immediate,
                                                       int threads = 1) {
  const char* fn = immediate ? "annuity_immediate" : "annuity_due";
  check_in_range(fn, "threads", threads, 1, 1024);
  if (!detail::allowed_m(m))
    throw invalid_input(check_message(fn, "m", m, "is not one of 1, 2, 3, 4, 6, 12"));
  for (std::size_t k = 0; k < a.n; ++k) {
    const auto ti = static_cast<std::size_t>(a.table[k]);
    annuity_options o{a.term[k], 0, m, a.escalation[k], method, immediate};
    if (a.deferral[k] < 0 || a.deferral[k] > 100000)
      throw invalid_input(check_message(fn, "deferral", a.deferral[k], "must lie in [0, 100000]"));
    o.deferral = static_cast<int>(a.deferral[k]);
    check_annuity(fn, tables.at(ti), a.x[k], a.rate[k], o);
  }
  std::vector<double> out(a.n);
  constexpr std::size_t block = 2048;
  const std::size_t n_blocks = (a.n + block - 1) / block;
  parallel_for(static_cast<std::ptrdiff_t>(n_blocks), threads, [&](std::ptrdiff_t b) {
    const std::size_t lo = static_cast<std::size_t>(b) * block, hi = std::min(a.n, lo + block);
    for (std::size_t k = lo; k < hi; ++k) {
      const annuity_options o{
          a.term[k], static_cast<int>(a.deferral[k]), m, a.escalation[k], method, immediate};
      out[k] = annuity_unchecked(tables[static_cast<std::size_t>(a.table[k])],
                                 static_cast<int>(a.x[k]), a.rate[k], o);
    }
  });
  return out;
}

/// Term (n finite) or whole-life (n = inf) assurances over flat arrays, as annuity_batch.
[[nodiscard]] inline std::vector<double> assurance_batch(const std::vector<life_table>& tables,
                                                         const std::int64_t* table,
                                                         const std::int64_t* x, const double* rate,
                                                         const double* n, std::size_t count,
                                                         bool whole_life, int threads = 1) {
  const char* fn = whole_life ? "whole_life_assurance" : "term_assurance";
  check_in_range(fn, "threads", threads, 1, 1024);
  for (std::size_t k = 0; k < count; ++k)
    check_assurance(fn, tables.at(static_cast<std::size_t>(table[k])), x[k], rate[k], n[k]);
  std::vector<double> out(count);
  constexpr std::size_t block = 2048;
  parallel_for(static_cast<std::ptrdiff_t>((count + block - 1) / block), threads,
               [&](std::ptrdiff_t b) {
                 const std::size_t lo = static_cast<std::size_t>(b) * block,
                                   hi = std::min(count, lo + block);
                 for (std::size_t k = lo; k < hi; ++k)
                   out[k] = assurance_unchecked(tables[static_cast<std::size_t>(table[k])],
                                                static_cast<int>(x[k]), rate[k], n[k]);
               });
  return out;
}

}  // namespace wifund
