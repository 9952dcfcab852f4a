#pragma once
// Life tables by single age with a terminal age at which q = 1, and the standard functions on them:
// survival t_p_x (whole and fractional t, UDD or constant force within the year; Bowers et al.
// §3.6), curtate and complete life expectancy (Bowers §3.5), and the whole-life annuity-due factors
// the projection engine uses (Bowers ch. 5). Used with the China Life Insurance Experience Tables
// 2010-2013 (CL1..CL6, shipped in the package) and the SOA Illustrative Life Table in tests.
//
// Two families of members live here:
//   * q(), npx(), curtate_expectancy(), annuity_due(), whole_life_insurance(), annuity_due_mthly()
//     are the engine's: they never throw on ages (ages past the end die, ages before the start take
//     the first value), because cohorts age past the table inside a projection. Keep them
//     unchanged.
//   * survival(), life_expectancy() and the functions of annuity.hpp / adjust.hpp check their ages
//     against the table (std::out_of_range naming the age and the table's range) — they are what a
//     user calls directly.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wifund/core/checks.hpp"

namespace wifund {

/// How m-thly annuity payments are approximated from annual life-table values.
/// udd: exact under a uniform distribution of deaths in each year of age, α(m) ä − β(m)
/// (Bowers 5.4.11). woolhouse: two-term Woolhouse, ä − (m−1)/(2m) (Bowers 5.4.14 without the μ
/// term). woolhouse3: three-term Woolhouse, also − (m²−1)/(12m²)(μ + δ) (Dickson, Hardy & Waters,
/// AMLCR 5.11).
enum class FractionalAge : int { udd = 0, woolhouse = 1, woolhouse3 = 2 };

/// How survival is interpolated within a year of age (fractional t in t_p_x).
/// udd: s_p_y = 1 − s q_y (Bowers 3.6.1); constant_force: s_p_y = p_y^s (Bowers 3.6.2).
enum class WithinYear : int { udd = 0, constant_force = 1 };

class life_table {
 public:
  life_table() = default;
  /// qx[k] is the one-year death probability at age min_age + k; every q in [0, 1], the last one 1.
  life_table(std::string name, int min_age, std::vector<double> qx)
      : name_(std::move(name)), min_age_(min_age), qx_(std::move(qx)) {
    const std::string fn = "life_table '" + name_ + "'";
    if (min_age_ < 0) throw invalid_input(check_message(fn, "start_age", min_age_, "must be >= 0"));
    if (qx_.size() < 2)
      throw invalid_input(fn + ": qx needs at least two ages, got " + std::to_string(qx_.size()));
    for (std::size_t k = 0; k < qx_.size(); ++k) {
      const double q = qx_[k];
      if (!(q >= 0.0 && q <= 1.0))
        throw invalid_input(check_message(fn, qx_field(k), q, "must lie in [0, 1]"));
    }
    // A table that does not end in q = 1 leaves lives alive past its last age, where nothing is
    // known.
    if (qx_.back() != 1.0)
      throw invalid_input(check_message(fn, "last " + qx_field(qx_.size() - 1), qx_.back(),
                                        "must be 1 (q_omega = 1 at the terminal age)"));
  }

  /// A table from l_x (any radix): q_x = 1 − l_{x+1}/l_x, and q = 1 at the last age. l_x must be
  /// finite, > 0 at the first age, non-negative and non-increasing; once l_x = 0 the following q
  /// are 1.
  static life_table from_lx(std::string name, int min_age, const std::vector<double>& lx) {
    const std::string fn = "life_table::from_lx '" + name + "'";
    if (lx.size() < 2)
      throw invalid_input(fn + ": lx needs at least two ages, got " + std::to_string(lx.size()));
    for (std::size_t k = 0; k < lx.size(); ++k) {
      const std::string f = "lx[" + std::to_string(k) + "]";
      if (!std::isfinite(lx[k]) || lx[k] < 0.0)
        throw invalid_input(check_message(fn, f, lx[k], "must be finite and >= 0"));
      if (k == 0 && !(lx[k] > 0.0))
        throw invalid_input(check_message(fn, f, lx[k], "must be > 0 (the radix)"));
      if (k > 0 && lx[k] > lx[k - 1])
        throw invalid_input(check_message(fn, f, lx[k],
                                          "exceeds lx[" + std::to_string(k - 1) +
                                              "] = " + format_value(lx[k - 1]) +
                                              " (l_x must not increase)"));
    }
    std::vector<double> qx(lx.size());
    for (std::size_t k = 0; k + 1 < lx.size(); ++k)
      qx[k] = lx[k] > 0.0 ? 1.0 - lx[k + 1] / lx[k] : 1.0;
    qx.back() = 1.0;  // the last age given is the terminal age ω
    return life_table(std::move(name), min_age, std::move(qx));
  }

  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  [[nodiscard]] int min_age() const noexcept { return min_age_; }
  [[nodiscard]] int max_age() const noexcept { return min_age_ + static_cast<int>(qx_.size()) - 1; }
  [[nodiscard]] const std::vector<double>& qx() const noexcept { return qx_; }
  [[nodiscard]] std::size_t size() const noexcept { return qx_.size(); }

  /// l_x at every age of the table from l_{min_age} = radix.
  [[nodiscard]] std::vector<double> lx(double radix = 100000.0) const {
    std::vector<double> l(qx_.size());
    double v = radix;
    for (std::size_t k = 0; k < qx_.size(); ++k) {
      l[k] = v;
      v *= 1.0 - qx_[k];
    }
    return l;
  }

  /// Throws std::out_of_range "function: field = x is outside the table 'name' [min, max]".
  void check_age(std::string_view function, std::string_view field, long long x) const {
    if (x < min_age_ || x > max_age()) {
      std::ostringstream os;
      os << function << ": " << field << " = " << x << " is outside the table '" << name_ << "' ["
         << min_age_ << ", " << max_age() << "]";
      throw std::out_of_range(os.str());
    }
  }

  /// q at an age inside the table (no load, no extrapolation).
  [[nodiscard]] double q_at(int age) const noexcept {
    return qx_[static_cast<std::size_t>(age - min_age_)];
  }

  /// q_x with a multiplicative load (capped at 1); ages above the table end die with certainty and
  /// ages below its start take the first value.
  [[nodiscard]] double q(int age, double load = 1.0) const noexcept {
    if (age >= max_age()) return 1.0;
    const int k = age < min_age_ ? 0 : age - min_age_;
    const double v = qx_[static_cast<std::size_t>(k)] * load;
    return v < 1.0 ? v : 1.0;
  }

  /// n_p_x: probability that a life aged x survives n whole years.
  [[nodiscard]] double npx(int x, int n, double load = 1.0) const noexcept {
    double p = 1.0;
    for (int k = 0; k < n && p > 0.0; ++k) p *= 1.0 - q(x + k, load);
    return p;
  }

  /// t_p_x for an age x inside the table and a duration t >= 0 (fractional t interpolated within
  /// the year of age by `within`); 0 once x + t passes the terminal age.
  [[nodiscard]] double survival(int x, double t, WithinYear within = WithinYear::udd) const {
    check_age("survival", "x", x);
    if (!(t >= 0.0) || std::isinf(t))
      throw invalid_input(check_message("survival", "t", t, "must be finite and >= 0"));
    return survival_unchecked(x, t, within);
  }
  [[nodiscard]] double survival_unchecked(int x, double t, WithinYear within) const noexcept {
    const double whole = std::floor(t);
    const double s = t - whole;
    int age = x;
    double p = 1.0;
    for (double k = 0.0; k < whole; k += 1.0, ++age) {
      if (age > max_age()) return 0.0;
      p *= 1.0 - q_at(age);
      if (p == 0.0) return 0.0;
    }
    if (s == 0.0) return p;
    if (age > max_age()) return 0.0;
    const double qa = q_at(age);
    return p * (within == WithinYear::udd ? 1.0 - s * qa : std::pow(1.0 - qa, s));
  }

  /// Curtate life expectancy e_x = sum_{k>=1} k_p_x, or the complete one e°_x = ∫ t_p_x dt with
  /// `within` interpolation (UDD: e°_x = e_x + 1/2, Bowers 3.5.2 and 3.6).
  [[nodiscard]] double life_expectancy(int x, bool complete,
                                       WithinYear within = WithinYear::udd) const {
    check_age("life_expectancy", "x", x);
    double p = 1.0, e = 0.0;
    for (int a = x; a <= max_age() && p > 0.0; ++a) {
      const double qa = q_at(a);
      if (complete) {
        // ∫_0^1 s_p_a ds: 1 − q/2 under UDD; (1 − p)/(−ln p) = q/(−log1p(−q)) under constant force.
        double part;
        if (within == WithinYear::udd)
          part = 1.0 - 0.5 * qa;
        else if (qa >= 1.0)
          part = 0.0;
        else if (qa == 0.0)
          part = 1.0;
        else
          part = qa / -std::log1p(-qa);
        e += p * part;
      }
      p *= 1.0 - qa;
      if (!complete) e += p;
    }
    return e;
  }

  /// Curtate life expectancy e_x = sum_{k>=1} k_p_x.
  [[nodiscard]] double curtate_expectancy(int x, double load = 1.0) const noexcept {
    double p = 1.0, e = 0.0;
    for (int a = x; a < max_age() + 1 && p > 0.0; ++a) {
      p *= 1.0 - q(a, load);
      e += p;
    }
    return e;
  }

  /// Whole-life annuity-due of 1 a year, ä_x = sum_k v^k k_p_x, at effective rate i.
  [[nodiscard]] double annuity_due(int x, double i, double load = 1.0) const {
    check_finite("life_table::annuity_due", "interest rate i", i);
    if (i <= -1.0)
      throw invalid_input(
          check_message("life_table::annuity_due", "interest rate i", i, "must be > -1"));
    const double v = 1.0 / (1.0 + i);
    double p = 1.0, disc = 1.0, a = 0.0;
    for (int age = x; age <= max_age() && p > 0.0; ++age) {
      a += disc * p;
      p *= 1.0 - q(age, load);
      disc *= v;
    }
    return a;
  }

  /// Whole-life insurance A_x = sum_k v^{k+1} k_p_x q_{x+k} (payable at the end of the year of
  /// death).
  [[nodiscard]] double whole_life_insurance(int x, double i, double load = 1.0) const {
    const double d = i / (1.0 + i);
    return 1.0 - d * annuity_due(x, i, load);
  }

  /// m-thly annuity-due ä_x^(m) paying 1/m each 1/m year (1 a year in total).
  /// UDD: α(m) ä_x − β(m) with the exact α, β of Bowers et al. (5.4.11);
  /// Woolhouse: ä_x − (m−1)/(2m) (two-term formula).
  [[nodiscard]] double annuity_due_mthly(int x, double i, int m, FractionalAge method,
                                         double load = 1.0) const {
    check_in_range("life_table::annuity_due_mthly", "payments per year m", m, 1, 365);
    const double a = annuity_due(x, i, load);
    if (m == 1) return a;
    const double md = static_cast<double>(m);
    if (method == FractionalAge::woolhouse) return a - (md - 1.0) / (2.0 * md);
    if (method != FractionalAge::udd)
      throw invalid_input(
          "life_table::annuity_due_mthly: three-term Woolhouse needs wifund::annuity "
          "(annuity.hpp)");
    const double d = i / (1.0 + i);
    const double im = md * (std::pow(1.0 + i, 1.0 / md) - 1.0);
    const double dm = md * (1.0 - std::pow(1.0 + i, -1.0 / md));
    const double alpha = (i * d) / (im * dm);
    const double beta = (i - im) / (im * dm);
    return alpha * a - beta;
  }

 private:
  std::string qx_field(std::size_t k) const {
    std::string f = "qx[" + std::to_string(k) + "]";
    if (min_age_ != 0) f += " (age " + std::to_string(min_age_ + static_cast<int>(k)) + ")";
    return f;
  }

  std::string name_;
  int min_age_ = 0;
  std::vector<double> qx_;
};

/// survival() over flat arrays (table index, age, duration), each element checked first, in order.
[[nodiscard]] inline std::vector<double> survival_batch(const std::vector<life_table>& tables,
                                                        const std::int64_t* table,
                                                        const std::int64_t* x, const double* t,
                                                        std::size_t n, WithinYear within) {
  for (std::size_t k = 0; k < n; ++k) {
    tables.at(static_cast<std::size_t>(table[k])).check_age("survival", "x", x[k]);
    if (!(t[k] >= 0.0) || std::isinf(t[k]))
      throw invalid_input(check_message("survival", "t", t[k], "must be finite and >= 0"));
  }
  std::vector<double> out(n);
  for (std::size_t k = 0; k < n; ++k)
    out[k] = tables[static_cast<std::size_t>(table[k])].survival_unchecked(static_cast<int>(x[k]),
                                                                           t[k], within);
  return out;
}

/// life_expectancy() over flat arrays (table index, age).
[[nodiscard]] inline std::vector<double> life_expectancy_batch(
    const std::vector<life_table>& tables, const std::int64_t* table, const std::int64_t* x,
    std::size_t n, bool complete, WithinYear within) {
  for (std::size_t k = 0; k < n; ++k)
    tables.at(static_cast<std::size_t>(table[k])).check_age("life_expectancy", "x", x[k]);
  std::vector<double> out(n);
  for (std::size_t k = 0; k < n; ++k)
    out[k] = tables[static_cast<std::size_t>(table[k])].life_expectancy(static_cast<int>(x[k]),
                                                                        complete, within);
  return out;
}

}  // namespace wifund
