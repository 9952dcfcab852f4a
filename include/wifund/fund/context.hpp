#pragma once
// What does not vary between the scenarios of a projection: the base data, the policy resolved for
// every year, the claims basis, the mortality tables and the horizon. Built and validated once by
// make_context(); immutable afterwards (held as shared_ptr<const>), so one context serves any
// number of scenarios and threads without copies. There are no caches inside: nothing is mutable.
#include <array>
#include <cmath>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "wifund/claims/assumptions.hpp"
#include "wifund/claims/cohort.hpp"
#include "wifund/core/axes.hpp"
#include "wifund/core/checks.hpp"
#include "wifund/core/types.hpp"
#include "wifund/fund/province_base.hpp"
#include "wifund/policy/policy_year.hpp"

namespace wifund {

struct projection_context {
  province_base base;
  std::vector<policy_year> policy;  ///< one per projection year, resolved (Python: wifund._bridge)
  claims_assumptions claims;
  mortality_basis mortality;
  int years = 0;
  /// Derived once: whether any city has insured workers in the class (their base rate must exist).
  std::array<bool, risk_class::count> class_insured{};

  [[nodiscard]] int start_year() const noexcept { return base.base_year + 1; }
  [[nodiscard]] int cities() const noexcept { return static_cast<int>(base.cities.size()); }
};

using context_ptr = std::shared_ptr<const projection_context>;

namespace detail {

inline std::string city_label(const province_base& b, int c) {
  if (c >= 0 && c < static_cast<int>(b.cities.size())) return b.cities[static_cast<std::size_t>(c)];
  std::string s(1,
                '#');  // appended, not "#" + ...: GCC 12 warns falsely (-Wrestrict) on the latter
  s += std::to_string(c);
  return s;
}

inline std::string class_label(int k) {
  return k == risk_class::unclassified ? std::string("U") : std::to_string(k + 1);
}

/// Whether a cohort passes every check of validate_cohorts (no strings built: a 900-city stock has
/// millions of rows and building the field names of each cost ~1 s).
[[nodiscard]] inline bool cohort_is_valid(const cohort& c, int n_cities) noexcept {
  const auto nonneg = [](double v) { return v >= 0.0 && std::isfinite(v); };
  const auto in = [](int v, int lo, int hi) { return v >= lo && v <= hi; };
  if (!in(c.city, 0, n_cities - 1) || !in(c.age, 0, 120) || !nonneg(c.count) ||
      !nonneg(c.monthly_amount) || !nonneg(c.pension) || !nonneg(c.own_wage) || !nonneg(c.cap_wage))
    return false;
  if ((c.kind == BenefitKind::allowance || c.kind == BenefitKind::care) &&
      !in(c.grade, grade::first, grade::last_allowance))
    return false;
  if (c.kind == BenefitKind::legacy_subsidy && !in(c.grade, grade::first, grade::last))
    return false;
  if (c.kind == BenefitKind::care && !in(c.care_level, 0, n_care_levels - 1)) return false;
  if (c.kind == BenefitKind::allowance && !c.retired && !in(c.birth_year, 1880, 2200)) return false;
  return in(c.birth_month, 1, 12) && in(c.group, retirement_group_unset, 2) &&
         c.pension_share >= 0.0 && c.pension_share <= 1.0;
}

/// Long-term cohorts in payment (the base stock or a stock from actual figures). The checks with
/// their messages run only on a cohort that fails cohort_is_valid.
inline void validate_cohorts(const char* fn, const char* what, const std::vector<cohort>& cohorts,
                             const province_base& b) {
  const int C = static_cast<int>(b.cities.size());
  for (std::size_t i = 0; i < cohorts.size(); ++i) {
    const auto& c = cohorts[i];
    if (cohort_is_valid(c, C)) continue;
    const std::string where =
        std::string(what) + "[" + std::to_string(i) + "] (" + city_label(b, c.city) + ")";
    check_in_range(fn, where + ".city", c.city, 0, C - 1);
    check_in_range(fn, where + ".age", c.age, 0, 120);
    check_nonnegative(fn, where + ".count", c.count);
    check_nonnegative(fn, where + ".monthly_amount", c.monthly_amount);
    check_nonnegative(fn, where + ".pension", c.pension);
    if (c.kind == BenefitKind::allowance || c.kind == BenefitKind::care)
      check_in_range(fn, where + ".grade", c.grade, grade::first, grade::last_allowance);
    if (c.kind == BenefitKind::legacy_subsidy)
      check_in_range(fn, where + ".grade", c.grade, grade::first, grade::last);
    check_nonnegative(fn, where + ".own_wage", c.own_wage);
    check_nonnegative(fn, where + ".cap_wage", c.cap_wage);
    if (c.kind == BenefitKind::care)
      check_in_range(fn, where + ".care_level", c.care_level, 0, n_care_levels - 1);
    if (c.kind == BenefitKind::allowance && !c.retired)  // the birth date sets the retirement month
      check_in_range(fn, where + ".birth_year", c.birth_year, 1880, 2200);
    check_in_range(fn, where + ".birth_month", c.birth_month, 1, 12);
    check_in_range(fn, where + ".group", c.group, retirement_group_unset, 2);
    check_unit_interval(fn, where + ".pension_share", c.pension_share);
  }
}

inline std::string format_number(double v) {
  std::ostringstream os;
  os.precision(17);
  os << v;
  return os.str();
}

/// A pair that must be ordered (low <= high); a reversed pair would reach std::clamp or a
/// threshold test inverted (issue #7). The message names the field, the year and both values.
inline void check_ordered(const char* fn, const std::string& field, int year, double lo,
                          double hi) {
  if (!(std::isfinite(lo) && std::isfinite(hi) && lo <= hi))
    throw invalid_input(check_message(fn, field + " in " + std::to_string(year),
                                      "[" + format_number(lo) + ", " + format_number(hi) + "]",
                                      "must be finite with low <= high"));
}

/// One resolved policy year: every number finite and in range, every pair ordered.
inline void validate_policy_year(const char* fn, const policy_year& p, int expected_year) {
  if (p.year != expected_year)
    throw invalid_input(std::string(fn) + ": policy year " + std::to_string(p.year) +
                        " found where " + std::to_string(expected_year) +
                        " was expected (one policy_year per projection year)");
  const std::string y = " in " + std::to_string(p.year);
  const auto& r = p.benefits;
  const auto [clamp_low, clamp_high] = r.base_clamp;
  check_ordered(fn, "benefits.base_clamp (own wage, Art. 64)", p.year, clamp_low, clamp_high);
  check_nonnegative(fn, "benefits.base_clamp[low]" + y, clamp_low);
  for (std::size_t g = 0; g < r.lump_sum_months.size(); ++g)
    check_nonnegative(fn, "benefits.lump_sum_months[grade " + std::to_string(g + 1) + "]" + y,
                      r.lump_sum_months[g]);
  for (std::size_t g = 0; g < r.allowance_rate.size(); ++g)
    check_nonnegative(fn, "benefits.allowance_rate[grade " + std::to_string(g + 1) + "]" + y,
                      r.allowance_rate[g]);
  for (std::size_t l = 0; l < r.care_rate.size(); ++l)
    check_nonnegative(fn, "benefits.care_rate[" + std::string(care_level_names[l]) + "]" + y,
                      r.care_rate[l]);
  for (std::size_t g = 0; g < r.medical_subsidy_months.size(); ++g)
    check_nonnegative(fn,
                      "benefits.medical_subsidy_months[grade " +
                          std::to_string(g + grade::first_subsidy) + "]" + y,
                      r.medical_subsidy_months[g]);
  for (const auto& [name, v] : {std::pair{"benefits.funeral_months", r.funeral_months},
                                {"benefits.death_grant_multiple", r.death_grant_multiple},
                                {"benefits.spouse_rate", r.spouse_rate},
                                {"benefits.other_rate", r.other_rate},
                                {"benefits.lone_extra", r.lone_extra},
                                {"benefits.dependant_cap", r.dependant_cap},
                                {"benefits.hospital_food_per_day", r.hospital_food_per_day},
                                {"reserve.ratio", p.reserve.ratio},
                                {"reserve.cap_ratio", p.reserve.cap_ratio}})
    check_nonnegative(fn, name + y, v);
  if (p.reserve.base == ReserveBase::balance)
    check_unit_interval(fn, "reserve.ratio (share of the balance)" + y, p.reserve.ratio);
  check_phased_cut_rule(fn, p.cut, p.year);
  check_rate_review_rule(fn, p.rate_review, p.year);
  check_unit_interval(fn, "project_rate" + y, p.project_rate);
  check_unit_interval(fn, "prevention_cap" + y, p.prevention_cap);
  check_unit_interval(fn, "indexation.allowance_wage_weight" + y,
                      p.indexation.allowance_wage_weight);
  check_unit_interval(fn, "indexation.dependant_wage_weight" + y,
                      p.indexation.dependant_wage_weight);
  // Flat-by-grade rates (人社部发〔2017〕58号) and the increments' floor top-ups
  // (吉人社发〔2022〕24号).
  check_unit_interval(fn, "indexation.by_grade_allowance_rate" + y,
                      p.indexation.by_grade_allowance_rate);
  check_unit_interval(fn, "indexation.by_grade_care_rate" + y, p.indexation.by_grade_care_rate);
  check_unit_interval(fn, "indexation.by_grade_dependant_rate" + y,
                      p.indexation.by_grade_dependant_rate);
  for (const auto& e : p.increments) {
    check_nonnegative(fn, "increments.floor" + y, e.floor);
    check_nonnegative(fn, "increments.floor_topup" + y, e.floor_topup);
  }
  check_in_range(fn, "retirement_age[male]" + y, p.retirement_age[index_of(Sex::male)], 16, 100);
  check_in_range(fn, "retirement_age[female]" + y, p.retirement_age[index_of(Sex::female)], 16,
                 100);
}

inline void validate_context(const projection_context& x) {
  static constexpr const char* fn = "make_context";
  const auto& b = x.base;
  check_in_range(fn, "years", x.years, 1, 50);
  const auto C = static_cast<Eigen::Index>(b.cities.size());
  if (C == 0) throw invalid_input("make_context: the province has no cities");
  for (const Matrix* m : {&b.insured, &b.wage, &b.avg_float})
    if (m->rows() != C || m->cols() != risk_class::count)
      throw invalid_input("make_context: base matrices must be cities x 9, got " +
                          std::to_string(m->rows()) + "x" + std::to_string(m->cols()));
  if (b.project_value.size() != C)
    throw invalid_input("make_context: project_value must have one value per city");
  if (static_cast<int>(x.policy.size()) != x.years)
    throw invalid_input("make_context: policy has " + std::to_string(x.policy.size()) +
                        " years, expected " + std::to_string(x.years));
  for (int j = 0; j < x.years; ++j)
    validate_policy_year(fn, x.policy[static_cast<std::size_t>(j)], x.start_year() + j);
  for (Eigen::Index c = 0; c < C; ++c) {
    const std::string city = city_label(b, static_cast<int>(c));
    check_nonnegative(fn, "project_value[" + city + "]", b.project_value[c]);
    for (int k = 0; k < risk_class::count; ++k) {
      const double n = b.insured(c, k);
      const double f = b.avg_float(c, k);
      // Strings are built only when a check fails (the context is built once, but cheaply).
      if (!(n >= 0.0) || !std::isfinite(n))
        check_nonnegative(fn, "insured[" + city + ", class " + class_label(k) + "]", n);
      if (!(f >= 0.0) || !std::isfinite(f))
        check_nonnegative(fn, "avg_float[" + city + ", class " + class_label(k) + "]", f);
      if (n > 0) {
        const std::string where = "[" + city + ", class " + class_label(k) + "]";
        check_positive(fn, "wage" + where, b.wage(c, k));
        for (const auto& p : x.policy) {
          const double rate = p.base_rate[static_cast<std::size_t>(k)];
          if (!(rate >= 0.0 && rate <= 1.0))
            throw invalid_input(
                check_message(fn, "base rate" + where + " in " + std::to_string(p.year), rate,
                              "is not defined in [0, 1] by the policy, but the class has insured"));
        }
      }
    }
  }
  for (const auto& [name, v] : {std::pair{"opening_balance", b.opening_balance},
                                {"opening_reserve", b.opening_reserve},
                                {"base_contributions", b.base_contributions},
                                {"disposable_income", b.disposable_income}})
    check_nonnegative(fn, name, v);
  check_positive(fn, "base_expenditure", b.base_expenditure);
  if (b.insured.sum() <= 0)
    throw invalid_input("make_context: the province has no insured workers");
  validate_cohorts(fn, "beneficiaries", b.beneficiaries, b);
  x.claims.validate(x.years);
}

}  // namespace detail

/// Builds and validates a context (throws invalid_input naming the field, city, class and year).
[[nodiscard]] inline context_ptr make_context(province_base base, std::vector<policy_year> policy,
                                              claims_assumptions claims, mortality_basis mortality,
                                              int years) {
  auto x = std::make_shared<projection_context>();
  x->base = std::move(base);
  x->policy = std::move(policy);
  x->claims = std::move(claims);
  x->mortality = std::move(mortality);
  x->years = years;
  detail::validate_context(*x);
  for (int k = 0; k < risk_class::count; ++k)
    x->class_insured[static_cast<std::size_t>(k)] = x->base.insured.col(k).sum() > 0;
  return x;
}

}  // namespace wifund
