#pragma once
// Adjustments of a life table. Each returns a new table (the argument is never changed) whose q are
// checked like any other table's, so an adjusted table always ends in q_omega = 1.
//   multiply     q'_x = min(1, f_x q_x), a scalar or one factor per age (a disabled-life load by
//                grade, or a load on an age band: factors of 1 outside it);
//   set_forward  q'_x = q_{x+k} (k > 0: a rated-up age; k < 0: a set-back, the table grows by |k|);
//   blend        q'_x = (1 − w_x) q^a_x + w_x q^b_x on tables with the same ages;
//   improve      the cohort table of lives born in year b from a base-year table and an annual
//                improvement scale AA_x: q'_x = q_x (1 − AA_x)^{(b + x) − base_year}
//                (the Scale AA / CMI-style projection of period rates to the calendar year b + x).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <sstream>
#include <string>
#include <vector>

#include "wifund/core/checks.hpp"
#include "wifund/life/life_table.hpp"

namespace wifund {

namespace detail {
inline std::string short_number(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}
/// A per-age vector of the table's length, or a scalar broadcast to it.
inline std::vector<double> per_age(const life_table& t, const std::vector<double>& v,
                                   std::string_view function, std::string_view field) {
  if (v.size() == 1) return std::vector<double>(t.size(), v[0]);
  if (v.size() != t.size()) {
    std::ostringstream os;
    os << function << ": " << field << " has " << v.size() << " values; table '" << t.name()
       << "' has " << t.size() << " ages [" << t.min_age() << ", " << t.max_age()
       << "] (give one value or one per age)";
    throw invalid_input(os.str());
  }
  return v;
}
inline std::string age_field(std::string_view field, const life_table& t, std::size_t k) {
  return std::string(field) + " at age " + std::to_string(t.min_age() + static_cast<int>(k));
}
}  // namespace detail

/// q'_x = min(1, factor_x q_x); `factor` is one value or one per age of the table, each finite and
/// >= 0. The terminal age keeps q = 1 (a factor below 1 there would leave lives alive past the
/// table).
[[nodiscard]] inline life_table multiply(const life_table& t, const std::vector<double>& factor,
                                         std::string name = "") {
  static constexpr const char* fn = "multiply";
  const auto f = detail::per_age(t, factor, fn, "factor");
  for (std::size_t k = 0; k < f.size(); ++k)
    if (!(f[k] >= 0.0) || !std::isfinite(f[k]))
      throw invalid_input(check_message(
          fn, factor.size() == 1 ? std::string("factor") : detail::age_field("factor", t, k), f[k],
          "must be finite and >= 0"));
  std::vector<double> q(t.size());
  for (std::size_t k = 0; k < q.size(); ++k) q[k] = std::min(1.0, f[k] * t.qx()[k]);
  q.back() = 1.0;
  if (name.empty())
    name = t.name() + (factor.size() == 1 ? " x" + detail::short_number(factor[0]) : " x(by age)");
  return life_table(std::move(name), t.min_age(), std::move(q));
}

/// A scalar load on the age band [from_age, to_age] (both inside the table), 1 elsewhere.
[[nodiscard]] inline life_table multiply_band(const life_table& t, double factor, int from_age,
                                              int to_age, std::string name = "") {
  t.check_age("multiply", "from_age", from_age);
  t.check_age("multiply", "to_age", to_age);
  if (from_age > to_age)
    throw invalid_input(check_message("multiply", "from_age", from_age,
                                      "exceeds to_age = " + std::to_string(to_age)));
  std::vector<double> f(t.size(), 1.0);
  for (int a = from_age; a <= to_age; ++a) f[static_cast<std::size_t>(a - t.min_age())] = factor;
  if (name.empty())
    name = t.name() + " x" + detail::short_number(factor) + " [" + std::to_string(from_age) + ", " +
           std::to_string(to_age) + "]";
  return multiply(t, f, std::move(name));
}

/// Age set-forward by `years` (q'_x = q_{x+years}); ages whose x + years passes ω get q = 1. A
/// negative value sets back: q'_x = q_{x−|years|}, the first |years| ages take the first q and the
/// table gains |years| ages at its end (its terminal q = 1 moves to ω + |years|).
[[nodiscard]] inline life_table set_forward(const life_table& t, int years, std::string name = "") {
  if (years < -200 || years > 200)
    throw invalid_input(check_message("set_forward", "years", years, "must lie in [-200, 200]"));
  const auto& q0 = t.qx();
  const long long n0 = static_cast<long long>(q0.size());
  const long long n = years >= 0 ? n0 : n0 - years;
  std::vector<double> q(static_cast<std::size_t>(n));
  for (long long k = 0; k < n; ++k) {
    const long long src = std::clamp<long long>(k + years, 0, n0 - 1);
    q[static_cast<std::size_t>(k)] = q0[static_cast<std::size_t>(src)];
  }
  if (name.empty()) name = t.name() + (years >= 0 ? " +" : " ") + std::to_string(years) + "y";
  return life_table(std::move(name), t.min_age(), std::move(q));
}

/// (1 − w_x) q^a_x + w_x q^b_x; both tables cover the same ages; w is one weight or one per age, in
/// [0, 1].
[[nodiscard]] inline life_table blend(const life_table& a, const life_table& b,
                                      const std::vector<double>& weight, std::string name = "") {
  static constexpr const char* fn = "blend";
  if (a.min_age() != b.min_age() || a.max_age() != b.max_age()) {
    std::ostringstream os;
    os << fn << ": table '" << b.name() << "' covers ages [" << b.min_age() << ", " << b.max_age()
       << "], table '" << a.name() << "' [" << a.min_age() << ", " << a.max_age()
       << "] (blended tables need the same ages)";
    throw invalid_input(os.str());
  }
  const auto w = detail::per_age(a, weight, fn, "weight");
  for (std::size_t k = 0; k < w.size(); ++k)
    if (!(w[k] >= 0.0 && w[k] <= 1.0))
      throw invalid_input(check_message(
          fn, weight.size() == 1 ? std::string("weight") : detail::age_field("weight", a, k), w[k],
          "must lie in [0, 1]"));
  std::vector<double> q(a.size());
  for (std::size_t k = 0; k < q.size(); ++k) q[k] = (1.0 - w[k]) * a.qx()[k] + w[k] * b.qx()[k];
  q.back() = 1.0;  // both end in 1; keep it exact under rounding
  if (name.empty())
    name = a.name() + "/" + b.name() +
           (weight.size() == 1 ? " w" + detail::short_number(weight[0]) : " w(by age)");
  return life_table(std::move(name), a.min_age(), std::move(q));
}

/// The cohort table for lives born in `birth_year` from a period table for `base_year` and annual
/// improvement rates AA_x (one or one per age, each finite and < 1; negative = deterioration):
/// q'_x = min(1, q_x (1 − AA_x)^{birth_year + x − base_year}); the terminal age keeps q = 1.
[[nodiscard]] inline life_table improve(const life_table& t, const std::vector<double>& scale,
                                        int birth_year, int base_year, std::string name = "") {
  static constexpr const char* fn = "improve";
  check_in_range(fn, "birth_year", birth_year, 1800, 2300);
  check_in_range(fn, "base_year", base_year, 1800, 2300);
  const auto aa = detail::per_age(t, scale, fn, "scale");
  for (std::size_t k = 0; k < aa.size(); ++k)
    if (!(aa[k] < 1.0 && aa[k] > -1.0))
      throw invalid_input(check_message(
          fn, scale.size() == 1 ? std::string("scale") : detail::age_field("scale", t, k), aa[k],
          "must lie in (-1, 1)"));
  std::vector<double> q(t.size());
  for (std::size_t k = 0; k < q.size(); ++k) {
    const int age = t.min_age() + static_cast<int>(k);
    const double years = static_cast<double>(birth_year + age - base_year);
    // q = 0 stays 0 even where (1 − AA)^years overflows to inf (0 × inf would be NaN).
    const double q0 = t.qx()[k];
    q[k] = q0 == 0.0 ? 0.0 : std::min(1.0, q0 * std::pow(1.0 - aa[k], years));
  }
  q.back() = 1.0;
  if (name.empty()) name = t.name() + " cohort " + std::to_string(birth_year);
  return life_table(std::move(name), t.min_age(), std::move(q));
}

}  // namespace wifund
