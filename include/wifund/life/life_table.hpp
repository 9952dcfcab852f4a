#pragma once
// Life tables by single age with a terminal age at which q = 1, and the standard functions on them:
// survival n_p_x, curtate life expectancy e_x = sum_{k>=1} k_p_x, whole-life annuity-due factors and
// their m-thly versions under UDD or Woolhouse (both documented conventions; Bowers et al. ch. 5).
// Used with the China Life Insurance Experience Tables 2010-2013 (CL1..CL6, shipped in the package)
// and the SOA Illustrative Life Table in tests.
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "wifund/core/checks.hpp"

namespace wifund {

/// How m-thly annuity payments are approximated from annual life-table values.
enum class FractionalAge : int { udd = 0, woolhouse = 1 };

class life_table {
 public:
  life_table() = default;
  /// qx[k] is the one-year death probability at age min_age + k; the last one must be 1.
  life_table(std::string name, int min_age, std::vector<double> qx)
      : name_(std::move(name)), min_age_(min_age), qx_(std::move(qx)) {
    static constexpr const char* fn = "life_table";
    if (qx_.size() < 2) throw invalid_input(std::string(fn) + ": table '" + name_ + "' needs at least two ages");
    for (std::size_t k = 0; k < qx_.size(); ++k) {
      const double q = qx_[k];
      if (!(q >= 0.0 && q <= 1.0))
        throw invalid_input(check_message(fn, name_ + " q[" + std::to_string(min_age_ + static_cast<int>(k)) + "]", q,
                                          "must lie in [0, 1]"));
    }
    if (qx_.back() != 1.0)
      throw invalid_input(check_message(fn, name_ + " q[omega]", qx_.back(), "must equal 1 at the terminal age"));
  }

  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  [[nodiscard]] int min_age() const noexcept { return min_age_; }
  [[nodiscard]] int max_age() const noexcept { return min_age_ + static_cast<int>(qx_.size()) - 1; }

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
    if (i <= -1.0) throw invalid_input(check_message("life_table::annuity_due", "interest rate i", i, "must be > -1"));
    const double v = 1.0 / (1.0 + i);
    double p = 1.0, disc = 1.0, a = 0.0;
    for (int age = x; age <= max_age() && p > 0.0; ++age) {
      a += disc * p;
      p *= 1.0 - q(age, load);
      disc *= v;
    }
    return a;
  }

  /// Whole-life insurance A_x = sum_k v^{k+1} k_p_x q_{x+k} (payable at the end of the year of death).
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
    const double d = i / (1.0 + i);
    const double im = md * (std::pow(1.0 + i, 1.0 / md) - 1.0);
    const double dm = md * (1.0 - std::pow(1.0 + i, -1.0 / md));
    const double alpha = (i * d) / (im * dm);
    const double beta = (i - im) / (im * dm);
    return alpha * a - beta;
  }

 private:
  std::string name_;
  int min_age_ = 0;
  std::vector<double> qx_;
};

}  // namespace wifund
