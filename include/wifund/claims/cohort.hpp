#pragma once
// Cohorts of long-term beneficiaries (伤残津贴 grades 1-4, 生活护理费, 供养亲属抚恤金), rolled
// forward year by year with mortality, retirement, exits and indexation. The same functions serve
// the projection and (later) the valuation of benefits in payment.
//
// Timing convention (documented, explicit): benefits are paid monthly; a cohort's payments in a
// year are 12 x monthly amount x the average number alive, count x (1 - q/2) (deaths uniform over
// the year). Awards made during a year start on average at mid-year: 6 months are paid in the award
// year and the cohort is exposed to half a year of mortality (q/2).
//
// Months within a year (retirement, deferred dependants): a cohort's year is paid month by month
// over its payable months (all 12, or July-December in the award year); each month is paid to the
// average number alive over the year's exposure, count x (1 - exposure x q/2). Birth dates: a
// cohort carries its birth year and month; where they are not known (the stock without them, new
// awards) the birth year is (year the age refers to) - 1 - age, born in July (mid-year convention,
// mid_year_birth_month): age last birthday a at the start of year t means born in the year t - 1 -
// a on average at mid-year.
#include <algorithm>
#include <array>
#include <cstddef>
#include <vector>

#include "wifund/claims/assumptions.hpp"
#include "wifund/core/axes.hpp"
#include "wifund/core/types.hpp"
#include "wifund/policy/policy_year.hpp"
#include "wifund/policy/retirement.hpp"

namespace wifund {

/// Birth month assumed where a cohort's birth month is not known (born at mid-year).
inline constexpr int mid_year_birth_month = 7;
/// Retirement group not yet determined (female stock rows: split by female_cadre_share on reading).
inline constexpr int retirement_group_unset = -1;

struct cohort {
  int city = 0;
  BenefitKind kind = BenefitKind::allowance;
  int grade =
      1;  ///< disability grade 1..4 (allowance, care), 1..10 (legacy_subsidy); 0 for dependants
  int care_level = 0;  ///< CareLevel for care cohorts
  Sex sex = Sex::male;
  int age = 40;               ///< age last birthday at the start of the year
  double count = 0;           ///< expected number of people in the cohort
  double monthly_amount = 0;  ///< benefit per person per month, before the minimum-wage floor
  double pension = 0;         ///< basic pension per month once retired (allowance cohorts)
  int award_year = 0;
  bool retired = false;
  bool lone = false;  ///< dependants: orphan or lone elderly (+10%)
  int birth_year =
      0;  ///< year of birth (retirement age, 国发〔2024〕18号; dependants' eligibility age)
  int birth_month = mid_year_birth_month;  ///< 1..12
  int group = retirement_group_unset;  ///< allowance cohorts: retirement_group (male / female cadre
                                       ///< / worker)
  double pension_share =
      1;  ///< allowance cohorts: share with a pension at retirement (the rest keep the allowance)
  int retire_month =
      0;  ///< allowance cohorts: month index (12 x year + month - 1) of retirement, once retired
  int pay_from_month =
      0;  ///< month index from which the cohort is paid (deferred dependants; 0: from award)
  /// Allowance cohorts: the recipient's own wage (本人工资, Art. 64) and the wage of the Art. 39
  /// cap when given in the stock (monthly, as given, not indexed): the base of the dependants'
  /// pensions if the recipient dies (Art. 39 ¶3). 0: reconstructed as allowance / its Art. 35 rate.
  double own_wage = 0;
  double cap_wage = 0;
};

/// Month index (12 x year + month - 1) in which an allowance cohort reaches its statutory
/// retirement age (policy/retirement.hpp: the old ages for anyone reaching them before 2025).
/// A cohort without a group (not read through cohort_book::reset or award) is male or, for women, a
/// female cadre (old age 55, the single female age used before the 2024 decision).
[[nodiscard]] inline int cohort_retirement_month(const cohort& c) {
  const retirement_group g = c.group != retirement_group_unset
                                 ? static_cast<retirement_group>(c.group)
                             : c.sex == Sex::male ? retirement_group::male
                                                  : retirement_group::female_cadre;
  return retirement_month_index(c.birth_year, c.birth_month, g);
}

/// Share of recipients retiring in `year` with the minimum contribution years for a pension: the
/// assumption at 15 and 20 years, linear in the minimum in force (国发〔2024〕18号).
[[nodiscard]] inline double pension_qualify_share(int year, const claims_assumptions& a) {
  const double w = (minimum_contribution_years(year) - 15.0) / 5.0;
  return (1 - w) * a.pension_qualify_at_15 + w * a.pension_qualify_at_20;
}

/// Retires an allowance cohort that reaches its retirement age before the end of `year` (Art.
/// 35(3)): the basic pension is pension_ratio x the allowance then; a share pension_share of the
/// cohort has the minimum contribution years and receives the pension (and the fund's top-up), the
/// others keep the allowance from the fund. The months of `year` before the retirement month are
/// still paid as allowance (cohort_pay_and_roll).
inline void cohort_retire(cohort& c, int year, double pension_ratio) {
  if (c.kind != BenefitKind::allowance || c.retired) return;
  const int m = cohort_retirement_month(c);
  if (m >= 12 * (year + 1)) return;
  c.retired = true;
  c.retire_month = m;
  c.pension = pension_ratio * c.monthly_amount;
}

/// One-year death probability for a cohort's members.
[[nodiscard]] inline double cohort_q(const cohort& c, const mortality_basis& m,
                                     const claims_assumptions& a) {
  const bool male = c.sex == Sex::male;
  switch (c.kind) {
    case BenefitKind::allowance:
    case BenefitKind::care:
    case BenefitKind::legacy_subsidy: {
      // legacy_subsidy grades 5..10 take the lightest load (grade 4's): no table for them.
      const double load = a.disabled_mortality_load[grade::slot(
          std::clamp(c.grade, grade::first, grade::last_allowance))];
      return (male ? m.disabled_male : m.disabled_female).q(c.age, load);
    }
    default:
      return (male ? m.dependant_male : m.dependant_female).q(c.age, a.dependant_mortality_load);
  }
}

/// Monthly amount the fund pays one member of the cohort this year.
[[nodiscard]] inline double cohort_monthly_payable(const cohort& c, double minimum_wage,
                                                   const benefit_rules& r) {
  if (c.kind != BenefitKind::allowance) return c.monthly_amount;
  const double allowance =
      r.minimum_wage_floor ? std::max(c.monthly_amount, minimum_wage) : c.monthly_amount;
  return c.retired ? retirement_topup(allowance, c.pension, r) : allowance;
}

/// Groups of cohorts that a flat-by-grade round treats alike (人社部发〔2017〕58号: the base is the
/// previous year's provincial average of each grade, and everyone in a grade gets the same amount):
/// allowance cohorts by disability grade, care cohorts by care level, dependants by kind, the
/// legacy monthly subsidy by grade (1..10).
inline constexpr int index_group_width = grade::count;
inline constexpr int n_index_groups = n_benefit_kinds * index_group_width;
static_assert(n_care_levels <= index_group_width);
[[nodiscard]] constexpr std::size_t index_group(const cohort& c) noexcept {
  int sub = 0;
  if (c.kind == BenefitKind::allowance || c.kind == BenefitKind::legacy_subsidy)
    sub = c.grade - grade::first;
  if (c.kind == BenefitKind::care) sub = c.care_level;
  return static_cast<std::size_t>(index_of(c.kind) * index_group_width + sub);
}

/// The previous year's provincial average monthly amount of each index group (0 where no one of the
/// group is in payment), computed by index_group_averages() at the start of the year.
using index_group_amounts = std::array<double, n_index_groups>;

/// Averages over the cohorts in payment in the previous year (awarded before `year`, count > 0),
/// weighted by the number at the start of `year`, of the monthly amount before the minimum-wage
/// floor and the retirement top-up (the benefit as assessed), across all cities (provincial).
[[nodiscard]] inline index_group_amounts index_group_averages(const std::vector<cohort>& cohorts,
                                                              int year) {
  index_group_amounts sum{}, n{};
  for (const auto& c : cohorts) {
    if (c.award_year >= year || c.count <= 0) continue;
    sum[index_group(c)] += c.count * c.monthly_amount;
    n[index_group(c)] += c.count;
  }
  for (std::size_t i = 0; i < sum.size(); ++i) sum[i] = n[i] > 0 ? sum[i] / n[i] : 0.0;
  return sum;
}

/// Rate of the flat-by-grade round for a cohort's benefit family (the legacy monthly subsidy is a
/// disability benefit: the allowance's rate).
[[nodiscard]] inline double by_grade_rate(const indexation_rule& ix, BenefitKind k) noexcept {
  if (k == BenefitKind::allowance || k == BenefitKind::legacy_subsidy)
    return ix.by_grade_allowance_rate;
  return k == BenefitKind::care ? ix.by_grade_care_rate : ix.by_grade_dependant_rate;
}

/// Factor of the percentage round for a benefit kind (1 + the wage/CPI-weighted growth; 人社部发
/// 〔2017〕58号): the allowance and its pension, the legacy monthly subsidy (a disability benefit,
/// indexed like the allowance) and the dependants' pensions; 1 for care (re-based on the wage
/// instead, care_rebase_amount) and when the year's indexation is not a percentage round.
[[nodiscard]] inline double percentage_factor(const indexation_rule& ix, BenefitKind k,
                                              double wage_growth, double cpi) noexcept {
  if (!ix.percentage || k == BenefitKind::care) return 1.0;
  if (k == BenefitKind::allowance) {
    const double g = ix.allowance_wage_weight * wage_growth + (1 - ix.allowance_wage_weight) * cpi;
    return 1 + g;
  }
  if (k == BenefitKind::legacy_subsidy)
    return 1 + ix.allowance_wage_weight * wage_growth + (1 - ix.allowance_wage_weight) * cpi;
  return 1 + ix.dependant_wage_weight * wage_growth + (1 - ix.dependant_wage_weight) * cpi;
}

/// The amount care of a level is re-based to when it follows the wage (Art. 34: care_rate x the
/// previous year's average monthly wage; never cut: cohort_start_year takes the larger).
[[nodiscard]] inline double care_rebase_amount(const policy_year& p, int care_level,
                                               double prev_avg_monthly_wage) noexcept {
  return p.benefits.care_rate[static_cast<std::size_t>(care_level)] * prev_avg_monthly_wage;
}

/// Start-of-year changes: percentage indexation or the flat-by-grade round (`averages`: the
/// previous year's provincial average of each index group), care re-based on the average wage
/// (never cut), flat increments for eligible cohorts (with their floor top-up), retirement
/// (cohort_retire: reached in the year p.year), and the end of children's pensions at 18. With
/// `exclude_retired` the round skips retired allowance recipients (their pension is still indexed,
/// so their top-up shrinks). `averages` is read only in the flat-by-grade mode; cohort_book::roll()
/// always passes them.
inline void cohort_start_year(cohort& c, const policy_year& p, double wage_growth, double cpi,
                              double prev_avg_monthly_wage, double pension_ratio,
                              const index_group_amounts& averages = {}) {
  const auto& ix = p.indexation;
  const bool in_round = !(ix.exclude_retired && c.retired);
  if (ix.percentage) {
    const double f = percentage_factor(ix, c.kind, wage_growth, cpi);
    if (c.kind == BenefitKind::allowance) {
      if (in_round) c.monthly_amount *= f;
      c.pension *= f;  // pensions assumed indexed like the allowance
    } else if (c.kind != BenefitKind::care) {
      c.monthly_amount *= f;
    }
  }
  if (ix.flat_by_grade && in_round)
    c.monthly_amount += by_grade_rate(ix, c.kind) * averages[index_group(c)];
  if (c.kind == BenefitKind::care && ix.care_follows_wage)
    c.monthly_amount =
        std::max(c.monthly_amount, care_rebase_amount(p, c.care_level, prev_avg_monthly_wage));
  for (const auto& e : p.increments) {
    if (c.award_year > e.cutoff_year || (e.exclude_retired && c.retired)) continue;
    switch (c.kind) {
      case BenefitKind::allowance:
        c.monthly_amount += e.allowance[grade::slot(c.grade)];
        if (c.monthly_amount < e.floor) c.monthly_amount += e.floor_topup;  // 吉人社发〔2022〕24号
        break;
      case BenefitKind::care:
        c.monthly_amount += e.care[static_cast<std::size_t>(c.care_level)];
        break;
      case BenefitKind::legacy_subsidy:  // 吉人社发〔2022〕24号: +240...+80 by grade 1..10
        c.monthly_amount += e.legacy_subsidy[grade::slot(c.grade)];
        break;
      case BenefitKind::spouse:
        c.monthly_amount += e.spouse + (c.lone ? e.lone_extra : 0.0);
        break;
      default:
        c.monthly_amount += e.other + (c.lone ? e.lone_extra : 0.0);
        break;
    }
  }
  cohort_retire(c, p.year, pension_ratio);  // 国发〔2024〕18号 ages, by birth month and group
  if (c.kind == BenefitKind::child && c.age >= dependant_child_age_limit) c.count = 0.0;
}

/// What a cohort pays in a year: `main` to its own item (allowance, care or dependant's pension),
/// `topup` to the retirement top-up; the average number in payment and the deaths of the year.
struct cohort_year {
  double main = 0, topup = 0, in_payment = 0, deaths = 0;
};

/// Payments of the year for the cohort and the year-end roll: survivors and age + 1.
/// Months paid: July-December in the award year, all 12 otherwise, none before pay_from_month
/// (deferred dependants). An allowance cohort retiring in the year is paid the allowance for the
/// months before its retirement month and, from it, the top-up for its pension_share and the
/// allowance for the rest (pro rata months). `exit_hazard` is a yearly probability of leaving other
/// than by death (spouses: remarriage, employment), combined with mortality: d = q + h - q h.
/// The parts of a cohort's year that do not depend on its amounts: `main` the number alive x months
/// paid at the cohort's own rate (allowance cohorts: the allowance months, those before retirement
/// and the retired months of the share without a pension), `topup` the number alive x months of the
/// retirement top-up (retired allowance cohorts; 0 otherwise), the average number in payment, the
/// deaths of the year and the survival factor of the count. cohort_pay_and_roll multiplies them by
/// the amounts; the Monte Carlo's lean kernel (stochastic/lean.hpp) computes them once.
struct cohort_weights {
  double main = 0, topup = 0, in_payment = 0, deaths = 0, survival = 1;
};

[[nodiscard]] inline cohort_weights cohort_pay_weights(const cohort& c, double q, int year,
                                                       bool award_year, double exit_hazard) {
  const double exposure = award_year ? 0.5 : 1.0;
  const double d = exit_hazard > 0 ? q + exit_hazard - q * exit_hazard : q;
  const double alive =
      c.count * (1.0 - 0.5 * exposure * d);  // average number alive, per month paid
  const int first = 12 * year + (award_year ? 6 : 0), end = 12 * (year + 1);
  const int from = std::clamp(c.pay_from_month, first, end);
  cohort_weights w;
  w.in_payment = alive * (end - from) / 12.0;
  if (c.kind == BenefitKind::allowance) {
    const int ret = c.retired ? std::clamp(c.retire_month, from, end) : end;
    const double retired_months = end - ret;
    w.main = alive * ((ret - from) + (1.0 - c.pension_share) * retired_months);
    if (c.retired) w.topup = alive * c.pension_share * retired_months;
  } else {
    w.main = alive * (end - from);
  }
  w.deaths = c.count * exposure * q;
  w.survival = 1.0 - exposure * d;
  return w;
}

[[nodiscard]] inline cohort_year cohort_pay_and_roll(cohort& c, double q, int year,
                                                     double minimum_wage, const benefit_rules& r,
                                                     bool award_year, double exit_hazard) {
  const cohort_weights w = cohort_pay_weights(c, q, year, award_year, exit_hazard);
  cohort_year out;
  out.in_payment = w.in_payment;
  if (c.kind == BenefitKind::allowance) {
    const double allowance =
        r.minimum_wage_floor ? std::max(c.monthly_amount, minimum_wage) : c.monthly_amount;
    out.main = w.main * allowance;
    if (c.retired) out.topup = w.topup * retirement_topup(allowance, c.pension, r);
  } else {
    out.main = w.main * c.monthly_amount;
  }
  out.deaths = w.deaths;
  c.count *= w.survival;
  c.age += 1;
  return out;
}

}  // namespace wifund
