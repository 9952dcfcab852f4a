#pragma once
// The book of long-term cohorts (step 5 of the projection): the new awards of a year (allowances and
// care for grades 1..4, pensions of the dependants of the deceased) and the yearly roll of every
// cohort in payment (indexation, increments, retirement, payment, mortality, exits). Amounts come
// from policy/benefits.hpp; the roll itself is claims/cohort.hpp.
#include <algorithm>
#include <cstddef>
#include <vector>

#include "wifund/claims/assumptions.hpp"
#include "wifund/claims/cohort.hpp"
#include "wifund/core/axes.hpp"
#include "wifund/core/types.hpp"
#include "wifund/policy/benefits.hpp"
#include "wifund/policy/policy_year.hpp"

namespace wifund {

/// The expenditure item a cohort's payments of the year go to; `retired_before` is whether the
/// member had retired before the year's payments (Art. 35: the fund then pays only the top-up).
[[nodiscard]] constexpr int expenditure_item_of(const cohort& c, bool retired_before) noexcept {
  switch (c.kind) {
    case BenefitKind::allowance: return retired_before ? item::allowance_topup : item::disability_allowance;
    case BenefitKind::care: return item::care_allowance;
    default: return item::dependant_pension;
  }
}

/// What the new awards of one city in one year are made of.
struct award_basis {
  int city = 0;
  int year = 0;                 ///< award year (cohorts are not indexed in it)
  double injuries = 0;          ///< recognised injuries of the year
  double deaths = 0;            ///< of which deaths
  double own_wage = 0;          ///< injury-weighted own wage (Art. 64), monthly
  double prev_avg_wage = 0;     ///< previous-year provincial average monthly wage (care, Art. 34)
};

/// The cohorts of long-term beneficiaries, in the order they joined (the order of payments).
class cohort_book {
 public:
  cohort_book() = default;

  /// Starts the book from a stock of beneficiaries; empty cohorts are left out. `capacity` is the
  /// expected size (the stock plus the new awards to come), reserved once.
  void reset(const std::vector<cohort>& stock, std::size_t capacity) {
    cohorts_.clear();
    cohorts_.reserve(std::max(capacity, stock.size()));
    for (const auto& c : stock)
      if (c.count > 0) cohorts_.push_back(c);
  }

  [[nodiscard]] const std::vector<cohort>& cohorts() const noexcept { return cohorts_; }
  [[nodiscard]] std::size_t size() const noexcept { return cohorts_.size(); }

  /// Adds the new long-term awards of one city and year, at this year's amounts (not indexed this
  /// year). Adds the number awarded of each kind to new_awards[kind] (n_benefit_kinds values).
  void award(const award_basis& w, const claims_assumptions& a, const benefit_rules& rules, double* new_awards) {
    auto add = [&](BenefitKind kind, int grade, int level, Sex sex, int age, double count, double amount, bool lone) {
      if (count <= 0) return;
      cohort x;
      x.city = w.city; x.kind = kind; x.grade = grade; x.care_level = level; x.sex = sex; x.age = age;
      x.count = count; x.monthly_amount = amount; x.award_year = w.year; x.lone = lone;
      cohorts_.push_back(x);
      new_awards[index_of(kind)] += count;
    };
    // Dependants of the deceased: the Art. 39 cap is applied to the expected family (pro-rata
    // scaling, as for an individual family). The factor does not depend on age or sex.
    const double others = a.children_per_death + a.parents_per_death;
    const double scale = expected_family_cap_scale(a.spouses_per_death, others, a.lone_share, rules);
    for (std::size_t ai = 0; ai < a.entry_ages.size(); ++ai) {
      const int age = a.entry_ages[ai];
      const double w_age = a.entry_age_weights[ai];
      for (const Sex sex : sexes) {
        const double w_sex = w_age * (sex == Sex::male ? a.male_share : 1 - a.male_share);
        for (int g = grade::first; g <= grade::last_allowance; ++g) {
          const double n = w.injuries * a.grade_share[grade::slot(g)] * w_sex;
          add(BenefitKind::allowance, g, 0, sex, age, n, allowance_before_floor(g, w.own_wage, rules), false);
          for (int l = 0; l < n_care_levels; ++l)
            add(BenefitKind::care, g, l, sex, age, n * a.care_share[grade::slot(g)][static_cast<std::size_t>(l)],
                care_allowance(static_cast<CareLevel>(l), w.prev_avg_wage, rules), false);
        }
        // The spouse has the other sex; children and parents are split evenly by sex.
        const double d = w.deaths * w_sex;
        const Sex spouse_sex = other_sex(sex);
        add(BenefitKind::spouse, 0, 0, spouse_sex, std::max(age + a.spouse_age_offset, 16), d * a.spouses_per_death,
            scale * dependant_rate(true, false, rules) * w.own_wage, false);
        for (const bool lone : {false, true}) {
          const double share = lone ? a.lone_share : 1 - a.lone_share;
          const double amount = scale * dependant_rate(false, lone, rules) * w.own_wage;
          add(BenefitKind::child, 0, 0, sex, a.child_age, 0.5 * d * a.children_per_death * share, amount, lone);
          add(BenefitKind::child, 0, 0, spouse_sex, a.child_age, 0.5 * d * a.children_per_death * share, amount, lone);
          add(BenefitKind::parent, 0, 0, sex, a.parent_age, 0.5 * d * a.parents_per_death * share, amount, lone);
          add(BenefitKind::parent, 0, 0, spouse_sex, a.parent_age, 0.5 * d * a.parents_per_death * share, amount, lone);
        }
      }
    }
  }

  /// The yearly roll of every cohort in `year`: start-of-year changes (not for the year's own
  /// awards), payments, mortality and age + 1; then cohorts that have left payment are dropped.
  /// `pay(city, item, kind, paid, in_payment)` receives each cohort's payments (yuan) and average
  /// number in payment; `minimum_wage(city)` is the monthly minimum wage in force in the year.
  template <class MinimumWage, class Pay>
  void roll(int year, const policy_year& p, double wage_growth, double cpi, double prev_avg_wage,
            const claims_assumptions& a, const mortality_basis& m, MinimumWage&& minimum_wage, Pay&& pay) {
    // Flat-by-grade indexation (人社部发〔2017〕58号): the previous year's provincial averages,
    // taken before any cohort of the year is changed.
    const index_group_amounts averages =
        p.indexation.flat_by_grade ? index_group_averages(cohorts_, year) : index_group_amounts{};
    for (auto& x : cohorts_) {
      const bool award_year = x.award_year == year;
      if (!award_year)
        cohort_start_year(x, p, wage_growth, cpi, prev_avg_wage, a.retirement_pension_ratio,
                          averages);
      if (x.count <= 0) continue;
      const double q = cohort_q(x, m, a);
      const bool retired_before = x.retired;
      double n_pay = 0;
      const double paid = cohort_pay_and_roll(x, q, minimum_wage(x.city), p.benefits, award_year, n_pay);
      pay(x.city, expenditure_item_of(x, retired_before), x.kind, paid, n_pay);
    }
    // Drop cohorts that have left payment (children past 18, extinct groups) to keep the loop short.
    std::erase_if(cohorts_, [](const cohort& x) { return x.count < 1e-9; });
  }

 private:
  std::vector<cohort> cohorts_;
};

}  // namespace wifund
