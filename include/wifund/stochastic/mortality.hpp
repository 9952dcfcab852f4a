#pragma once
// Binomial mortality of beneficiaries for the Monte Carlo (issue #12: "mortality of beneficiaries
// either expected or binomial"; domain README §4.4). With stochastic_sources::mortality on, the
// deaths of each cohort in a year are drawn instead of taken at their expectation:
//   D = Binomial(floor(n), p) + f B,  B ~ Bernoulli(p),
// where n = floor(n) + f is the cohort's count (fractional: the book holds expected values, e.g.
// n = injuries x grade share x age/sex weight) and p = exposure x q the probability of the roll
// (q of the cohort's table, claims/cohort.hpp cohort_q; exposure 1/2 in the award year). The whole
// members die independently; the fractional remainder is one partial member who dies whole with
// probability p. So E[D] = n p exactly (the expected-mortality projection), D <= n always (no
// negative cohort), and Var[D] = (floor(n) + f^2) p (1 - p), within f (1 - f) p (1 - p) <= p (1 -
// p) / 4 of n p (1 - p). The realised deaths go through the book's own roll as the probability D /
// (n x exposure), so payments to the survivors, the Art. 39 ¶3 path (funeral grant and dependants'
// pensions of deceased grade 1-4 recipients, claims/cohort_book.hpp) and the dependants' later
// deaths all follow the drawn number. The spouses' exit on remarriage stays expected.
//
// Draws: stream stream_id::mortality (6) of core/random.hpp, one per scenario, consumed cohort by
// cohort in the book's order, so a scenario's deaths are a pure function of (seed, scenario):
// independent of threads and blocking. Binomial(m, p) (integer m): symmetry to p <= 1/2; while
// m p > 16, the split on the median order statistic (Devroye 1986, X.4.3; Knuth TAOCP 3.4.1): X ~
// Beta(i, m + 1 - i) with i = floor((m + 1) / 2) is the i-th smallest of m uniforms, then the count
// below p is Binomial(i - 1, p / X) if p < X, else i + Binomial(m - i, (p - X) / (1 - X)); below,
// inversion by sequential search (q^m >= e^-23 there: no underflow). Exact, O(log m) gammas.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <utility>

#include "wifund/claims/cohort_book.hpp"
#include "wifund/core/random.hpp"
#include "wifund/fund/context.hpp"
#include "wifund/fund/state.hpp"

namespace wifund {

/// Binomial(m, p) for an integer-valued m >= 0 and p in [0, 1] (see the header comment).
[[nodiscard]] inline double binomial(random_stream& r, double m, double p) {
  if (!(m >= 1) || !(p > 0)) return 0;
  if (p >= 1) return m;
  if (p > 0.5) return m - binomial(r, m, 1 - p);
  if (m * p > 16) {
    const double i = std::floor((m + 1) / 2);
    const double g1 = r.gamma(i, 1.0), g2 = r.gamma(m + 1 - i, 1.0);
    const double x = g1 / (g1 + g2);
    if (p < x) return binomial(r, i - 1, p / x);
    return i + binomial(r, m - i, (p - x) / (1 - x));
  }
  const double q = 1 - p, s = p / q, a = (m + 1) * s;
  double f = std::pow(q, m), u = r.uniform(), k = 0;
  while (u > f && k < m) {
    u -= f;
    k += 1;
    f *= a / k - s;
  }
  return k;
}

/// Deaths of a cohort of (fractional) count n with probability p: Binomial(floor(n), p) + f x
/// Bernoulli(p), f = n - floor(n).
[[nodiscard]] inline double cohort_deaths(random_stream& r, double n, double p) {
  const double whole = std::floor(n), f = n - whole;
  double d = binomial(r, whole, p);
  if (f > 0 && r.uniform() < p) d += f;
  return d;
}

/// The cohort book of a Monte Carlo scenario: the engine's cohort_book, with the deaths of each
/// roll drawn (binomial, when given a stream) or expected (without), and the year's deaths of
/// beneficiaries counted (simulation vector beneficiary_deaths).
class mortality_book : public cohort_book {
 public:
  mortality_book() = default;
  mortality_book(cohort_book b, std::optional<random_stream> r)
      : cohort_book(std::move(b)), rng_(std::move(r)) {}

  /// cohort_book::roll with the drawn deaths (same arguments).
  template <class MinimumWage, class Pay, class Award>
  void roll(int year, const policy_year& p, double wage_growth, double cpi, double prev_avg_wage,
            const claims_assumptions& a, const mortality_basis& m, MinimumWage&& minimum_wage,
            Pay&& pay, Award&& award) {
    deaths_ = variance_ = later_ = 0;
    bool dependants = false;  // the roll pays funeral grants after the book's cohorts, before the
                              // cohorts of the dependants it awards (claims/cohort_book.hpp)
    auto pay_seen = [&](int city, int i, BenefitKind kind, double paid, double n_pay) {
      if (i == item::funeral_grant) dependants = true;
      pay(city, i, kind, paid, n_pay);
    };
    cohort_book::roll(year, p, wage_growth, cpi, prev_avg_wage, a, m, minimum_wage, pay_seen, award,
                      [&](const cohort& c, double q, bool award_year) {
                        if (dependants) return draw(c, q, award_year, later_);
                        const double pr = std::min((award_year ? 0.5 : 1.0) * q, 1.0);
                        const double n = std::max(c.count, 0.0), whole = std::floor(n);
                        variance_ += (whole + (n - whole) * (n - whole)) * pr * (1 - pr);
                        return draw(c, q, award_year, deaths_);
                      });
  }

  /// Deaths of beneficiaries in the last roll (all kinds, dependants included).
  [[nodiscard]] double year_deaths() const noexcept { return deaths_ + later_; }
  /// Deaths among the cohorts in the book when the roll began (the year's new awards included),
  /// and the sum of the variances of their binomial draws given their counts, (floor(n) + f^2) p
  /// (1 - p); the rest of year_deaths() is the deaths of the dependants the roll awarded.
  [[nodiscard]] double book_deaths() const noexcept { return deaths_; }
  [[nodiscard]] double book_death_variance() const noexcept { return variance_; }

 private:
  /// The probability the roll applies to cohort c (table probability q): q itself (expected) or
  /// the drawn deaths / (count x exposure); adds the deaths to `sum`.
  double draw(const cohort& c, double q, bool award_year, double& sum) {
    const double exposure = award_year ? 0.5 : 1.0;
    const double pr = std::min(exposure * q, 1.0);
    if (!rng_ || !(c.count > 0) || !(pr > 0)) {
      sum += c.count * exposure * q;
      return q;
    }
    const double d = cohort_deaths(*rng_, c.count, pr);
    sum += d;
    return d / (c.count * exposure);
  }

  std::optional<random_stream> rng_;
  double deaths_ = 0, variance_ = 0, later_ = 0;
};

/// The state of one Monte Carlo scenario: a projection_state whose book is a mortality_book (the
/// member hides projection_state::book, which stays empty; fund/step.hpp's step() and
/// injuries_and_awards() are templates on the state and use this one).
struct mc_state : projection_state {
  mortality_book book;
};

/// The state at the base-year end (initial_state) with binomial deaths from stream
/// stream_id::mortality of (seed, scenario) when `binomial`, expected deaths otherwise.
[[nodiscard]] inline mc_state initial_mc_state(const projection_context& x, bool binomial,
                                               std::uint64_t seed, std::uint64_t scenario) {
  mc_state s;
  static_cast<projection_state&>(s) = initial_state(x);
  std::optional<random_stream> r;
  if (binomial) r.emplace(seed, scenario, stream_id::mortality);
  s.book = mortality_book(std::move(s.projection_state::book), std::move(r));
  return s;
}

/// One scenario's deaths of beneficiaries by year (3 x T): row 0 the deaths among the cohorts in
/// the book when each year's roll began (book_deaths), row 1 the deaths of the dependants the
/// roll awarded, row 2 the variance of row 0's binomial draws given that year's counts
/// (book_death_variance). `binomial` false: expected deaths (seed and index unused).
[[nodiscard]] inline Matrix scenario_deaths(const projection_context& x, const scenario& s,
                                            bool binomial, std::uint64_t seed,
                                            std::uint64_t index) {
  validate(x, s);
  mc_state st = initial_mc_state(x, binomial, seed, index);
  Matrix out = Matrix::Zero(3, x.years);
  struct deaths_sink {
    const mortality_book& book;
    Matrix& out;
    void start(const projection_context&, int) {}
    void record(int j, const year_flows&) {
      out(0, j) = book.book_deaths();
      out(1, j) = book.year_deaths() - book.book_deaths();
      out(2, j) = book.book_death_variance();
    }
  } sink{st.book, out};
  for (int j = st.next_index; j < x.years; ++j) step(x, s, j, st, sink);
  return out;
}

}  // namespace wifund
