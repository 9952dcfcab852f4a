#pragma once
// Benefit formulas of the Regulation on Work-Injury Insurance (工伤保险条例, State Council Decree
// 375, revised by Decree 586, in force 2011-01-01). One place for every amount, so that the
// projection, a future valuation and the Python helpers wifund.benefits.* all use the same code.
//
// Amounts are in yuan, unrounded doubles: the Regulation prescribes no rounding, and rounding to
// the fen is left to the reporting layer (wifund.report) so that identities hold exactly.
#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "wifund/core/axes.hpp"
#include "wifund/core/checks.hpp"
#include "wifund/policy/unset.hpp"

namespace wifund {

/// The benefit parameters in force on one date (resolved from the dated policy files). No defaults:
/// the values quoted below are the national ones (python/wifund/data/policy/national.toml).
struct benefit_rules {
  /// 一次性伤残补助金: months of own wage by grade 1..10 (Art. 35-37).
  std::array<double, grade::count> lump_sum_months = unset_array<grade::count>();  // 27, 25, ..., 7
  /// 伤残津贴: fraction of own wage, grades 1..4, paid monthly by the fund (Art. 35).
  std::array<double, grade::n_allowance> allowance_rate =
      unset_array<grade::n_allowance>();  // 90..75%
  /// Art. 35: if the allowance is below the local minimum wage the fund pays the difference.
  bool minimum_wage_floor = false;
  /// Art. 35: after retirement the fund pays the difference if the pension is below the allowance.
  bool retirement_topup = false;
  /// 生活护理费: fraction of the previous-year provincial average monthly wage,
  /// levels full / major / partial (Art. 34).
  std::array<double, n_care_levels> care_rate = unset_array<n_care_levels>();  // 50/40/30%
  /// 丧葬补助金 = months of the previous-year average monthly wage (Art. 39).
  double funeral_months = unset;  // 6
  /// 一次性工亡补助金 = multiple of the previous-year national urban disposable income per head
  /// (Art. 39 as revised by Decree 586).
  double death_grant_multiple = unset;  // 20
  /// 供养亲属抚恤金 (Art. 39): spouse 40%, each other dependant 30%, +10% for an orphan or a lone
  /// elderly person; the total at first determination may not exceed the deceased's own wage.
  double spouse_rate = unset;    // 0.40
  double other_rate = unset;     // 0.30
  double lone_extra = unset;     // 0.10
  double dependant_cap = unset;  // 1.0
  /// 一次性工伤医疗补助金, grades 5..10, months of the previous-year average monthly wage.
  /// Set by each province; the Jilin and Ningxia values were not found (an assumed parameter).
  std::array<double, grade::n_subsidy> medical_subsidy_months = unset_array<grade::n_subsidy>();
  /// 住院伙食补助费, yuan per hospital day, set by the pooling-area government.
  double hospital_food_per_day = unset;
  /// Own wage (本人工资, Art. 64) is clamped to [lo, hi] x the pooling-area average wage.
  std::array<double, 2> base_clamp = unset_array<2>();  // [0.6, 3.0]
};

enum class CareLevel : int { full = 0, major = 1, partial = 2 };

/// 本人工资 (Art. 64): the average monthly contribution wage of the 12 months before the injury,
/// clamped to [60%, 300%] of the pooling-area average monthly wage of the previous year.
[[nodiscard]] inline double own_wage(double contribution_wage, double avg_monthly_wage,
                                     const benefit_rules& r) {
  check_nonnegative("own_wage", "contribution_wage", contribution_wage);
  check_positive("own_wage", "avg_monthly_wage", avg_monthly_wage);
  // std::clamp with low > high is undefined behaviour: a reversed pair must never reach it (issue
  // #7).
  if (!(r.base_clamp[0] <= r.base_clamp[1]))
    throw invalid_input("own_wage: base_clamp = [" + std::to_string(r.base_clamp[0]) + ", " +
                        std::to_string(r.base_clamp[1]) +
                        "] is reversed (low > high) or not a number");
  return std::clamp(contribution_wage, r.base_clamp[0] * avg_monthly_wage,
                    r.base_clamp[1] * avg_monthly_wage);
}

/// 一次性伤残补助金 for grade 1..10 (Art. 35-37): months_g x own wage.
[[nodiscard]] inline double disability_lump_sum(int grade, double own_wage_monthly,
                                                const benefit_rules& r) {
  check_in_range("disability_lump_sum", "grade", grade, grade::first, grade::last);
  check_nonnegative("disability_lump_sum", "own_wage", own_wage_monthly);
  return r.lump_sum_months[grade::slot(grade)] * own_wage_monthly;
}

/// Monthly 伤残津贴 for grade 1..4 (Art. 35) before the minimum-wage floor: rate_g x own wage. This
/// is the amount a cohort keeps; the floor is applied at each payment with that year's minimum
/// wage.
[[nodiscard]] inline double allowance_before_floor(int grade, double own_wage_monthly,
                                                   const benefit_rules& r) {
  return r.allowance_rate[grade::slot(grade)] * own_wage_monthly;
}

/// Monthly 伤残津贴 for grade 1..4 (Art. 35): rate_g x own wage, raised to the minimum wage when
/// below it (the fund pays the difference).
[[nodiscard]] inline double disability_allowance(int grade, double own_wage_monthly,
                                                 double minimum_wage, const benefit_rules& r) {
  check_in_range("disability_allowance", "grade (fund-paid allowance)", grade, grade::first,
                 grade::last_allowance);
  check_nonnegative("disability_allowance", "own_wage", own_wage_monthly);
  check_nonnegative("disability_allowance", "minimum_wage", minimum_wage);
  const double a = allowance_before_floor(grade, own_wage_monthly, r);
  return r.minimum_wage_floor ? std::max(a, minimum_wage) : a;
}

/// Monthly fund top-up after retirement (Art. 35): max(0, allowance - basic pension).
[[nodiscard]] inline double retirement_topup(double allowance, double pension,
                                             const benefit_rules& r) {
  check_nonnegative("retirement_topup", "allowance", allowance);
  check_nonnegative("retirement_topup", "pension", pension);
  return r.retirement_topup ? std::max(0.0, allowance - pension) : 0.0;
}

/// Monthly 生活护理费 (Art. 34): 50% / 40% / 30% of the previous-year average monthly wage.
[[nodiscard]] inline double care_allowance(CareLevel level, double avg_monthly_wage,
                                           const benefit_rules& r) {
  check_nonnegative("care_allowance", "avg_monthly_wage", avg_monthly_wage);
  return r.care_rate[static_cast<std::size_t>(level)] * avg_monthly_wage;
}

/// 丧葬补助金 (Art. 39): 6 x the previous-year average monthly wage.
[[nodiscard]] inline double funeral_grant(double avg_monthly_wage, const benefit_rules& r) {
  check_nonnegative("funeral_grant", "avg_monthly_wage", avg_monthly_wage);
  return r.funeral_months * avg_monthly_wage;
}

/// 一次性工亡补助金 (Art. 39): 20 x the previous-year national urban disposable income per head.
[[nodiscard]] inline double death_grant(double disposable_income, const benefit_rules& r) {
  check_nonnegative("death_grant", "disposable_income", disposable_income);
  return r.death_grant_multiple * disposable_income;
}

/// 一次性工伤医疗补助金 for grade 5..10 on termination: months_g x average monthly wage.
[[nodiscard]] inline double medical_subsidy(int grade, double avg_monthly_wage,
                                            const benefit_rules& r) {
  check_in_range("medical_subsidy", "grade", grade, grade::first_subsidy, grade::last);
  check_nonnegative("medical_subsidy", "avg_monthly_wage", avg_monthly_wage);
  return r.medical_subsidy_months[grade::slot(grade, grade::first_subsidy)] * avg_monthly_wage;
}

/// One dependant of a deceased worker (部令第18号 defines who qualifies).
struct dependant {
  bool spouse = false;  ///< spouse 40%, anyone else 30%
  bool lone = false;    ///< orphan or lone elderly person: +10%
};

/// Art. 39 rate of one dependant's pension: spouse 40%, anyone else 30%, +10% for an orphan or a
/// lone elderly person.
[[nodiscard]] inline double dependant_rate(bool spouse, bool lone,
                                           const benefit_rules& r) noexcept {
  return (spouse ? r.spouse_rate : r.other_rate) + (lone ? r.lone_extra : 0.0);
}

/// Art. 39 cap at first determination: the factor applied to every pension of a family whose total
/// (`total`, yuan or a multiple of the own wage) exceeds `cap` (same unit), so that the total
/// equals it.
[[nodiscard]] inline double dependant_cap_scale(double total, double cap) noexcept {
  return total > cap && total > 0.0 ? cap / total : 1.0;
}

/// The Art. 39 cap for one family (the projection's new awards, per family composition): `spouses`
/// spouses and `others` other dependants (children, parents), the others all orphans / lone elderly
/// (+10%) when `lone`. The pensions are rates x `own_wage` (本人工资, the clamped Art. 64 wage);
/// their sum may not exceed dependant_cap x `cap_wage`, the deceased's wage before death
/// (生前的工资, Art. 39 ¶1 — the actual, unclamped wage; review-2026-12 §4). Returns the pro-rata
/// factor on every pension of the family, as dependant_pensions() applies it.
[[nodiscard]] inline double family_cap_scale(int spouses, int others, bool lone, double own_wage,
                                             double cap_wage, const benefit_rules& r) {
  check_in_range("family_cap_scale", "spouses", spouses, 0, 1);
  check_in_range("family_cap_scale", "others", others, 0, 20);
  check_nonnegative("family_cap_scale", "own_wage", own_wage);
  check_nonnegative("family_cap_scale", "cap_wage", cap_wage);
  const double total =
      (spouses * dependant_rate(true, false, r) + others * dependant_rate(false, lone, r)) *
      own_wage;
  return dependant_cap_scale(total, r.dependant_cap * cap_wage);
}

/// Age from which a spouse, parent or grandparent qualifies without being wholly unable to work
/// (劳动和社会保障部令第18号 Art. 3(2)): 60 for men, 55 for women. Children and younger siblings
/// qualify under 18 (Art. 3(3)).
[[nodiscard]] constexpr int dependant_eligibility_age(bool male) noexcept { return male ? 60 : 55; }
inline constexpr int dependant_child_age_limit = 18;

/// Monthly 供养亲属抚恤金 for each dependant (Art. 39). When the sum exceeds the cap
/// (dependant_cap x own wage), every pension is scaled down in proportion so the total equals it.
[[nodiscard]] inline std::vector<double> dependant_pensions(double own_wage_monthly,
                                                            const std::vector<dependant>& people,
                                                            const benefit_rules& r) {
  check_nonnegative("dependant_pensions", "own_wage", own_wage_monthly);
  std::vector<double> out;
  out.reserve(people.size());
  double total = 0.0;
  for (const auto& d : people) {
    out.push_back(dependant_rate(d.spouse, d.lone, r) * own_wage_monthly);
    total += out.back();
  }
  const double scale = dependant_cap_scale(total, r.dependant_cap * own_wage_monthly);
  if (scale != 1.0)
    for (auto& v : out) v *= scale;
  return out;
}

}  // namespace wifund
