#pragma once
// Deterministic annual projection of a provincial work-injury insurance fund under provincial
// pooling with unified collection and expenditure (省级统筹, 统收统支), city by city and risk
// class by class. A pure function of its input: no globals, no Python, no hidden state.
//
// Year t (index j = t - start_year), in this order:
//  1. insured N and average wage W by city x class grow with employment, coverage and wage paths;
//  2. the phased cut is decided from months of payment at the previous year end under the rule in
//     force on 1 January of t (人社部发〔2018〕25号 … 人社部发〔2023〕19号);
//  3. contributions = N x W x 12 x base rate x average float x (1 - cut) x collection rate, plus
//     construction-project premiums = contract value x project rate x (1 - cut);
//  4. new injuries = N x incidence by class, split into grades 1..10 and deaths; short-term costs
//     incurred in the injury year (medical, rehabilitation, devices, food, appraisal, lump sums,
//     medical subsidy, funeral and death grants) are paid over the years by the payment pattern;
//  5. long-term cohorts are indexed, retire, receive flat increments, are joined by the year's new
//     awards, are paid, and roll forward with mortality (claims/cohort.hpp);
//  6. prevention fee = min(planned share, cap) x last year's contributions (人社部规〔2017〕13号);
//  7. interest = rate x (opening + half the year's net cash flow) (mid-year convention);
//     closing = opening + revenue - expenditure (interest counted in revenue);
//  8. reserve (inside the balance, 人社部发〔2015〕72号 §6) = min(previous + ratio x base, cap x base),
//     limited to [0, closing]; months of payment = closing / (expenditure / 12);
//     PAYG cost rate = expenditure / covered payroll; current balance ratio = (R - E) / E.
#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "wifund/claims/assumptions.hpp"
#include "wifund/claims/cohort.hpp"
#include "wifund/core/checks.hpp"
#include "wifund/core/types.hpp"
#include "wifund/economy/paths.hpp"
#include "wifund/fund/reserve.hpp"
#include "wifund/fund/roll_forward.hpp"
#include "wifund/policy/benefits.hpp"
#include "wifund/policy/policy_year.hpp"
#include "wifund/policy/rate_schedule.hpp"

namespace wifund {

/// Revenue items, in the order of the result arrays.
inline constexpr std::array<std::string_view, 4> revenue_items{"contributions", "project_premiums", "interest",
                                                                "other_income"};
/// Expenditure items, in the order of the result arrays. The first nine are short-term costs of the
/// injury year (paid by the payment pattern); the next four are long-term benefits in payment.
inline constexpr std::array<std::string_view, 14> expenditure_items{
    "medical",          "rehabilitation",  "assistive_devices", "hospital_food", "appraisal",
    "disability_lump_sum", "medical_subsidy", "funeral_grant", "death_grant",  "disability_allowance",
    "allowance_topup",  "care_allowance",  "dependant_pension", "prevention"};
inline constexpr int n_revenue_items = static_cast<int>(revenue_items.size());
inline constexpr int n_expenditure_items = static_cast<int>(expenditure_items.size());
inline constexpr int n_short_term_items = 9;

/// Base-year data of a province (the year before the first projection year).
struct province_base {
  int base_year = 2024;
  std::vector<std::string> cities;
  Matrix insured;     ///< C x 9: insured headcount by city x class at the base year
  Matrix wage;        ///< C x 9: average monthly wage (yuan)
  Matrix avg_float;   ///< C x 9: average float multiplier of the employers (1 = base rate)
  Vector project_value;  ///< C: construction contract value started in the base year (yuan)
  std::vector<cohort> beneficiaries;  ///< long-term benefits in payment at the base-year end
  double opening_balance = 0;   ///< fund balance at the base-year end, reserve included
  double opening_reserve = 0;
  double base_expenditure = 0;  ///< fund expenditure in the base year (for months of payment)
  double base_contributions = 0;  ///< contributions collected in the base year (prevention cap)
  double disposable_income = 0;   ///< national urban disposable income per head in the base year
};

struct projection_input {
  province_base base;
  std::vector<policy_year> policy;  ///< one per projection year
  economy_paths economy;
  claims_assumptions claims;
  mortality_basis mortality;
  int years = 30;
};

/// All results of one projection. City arrays have C + 1 rows: the last row is the provincial level
/// (省本级: interest, other income, prevention), so that city sums reproduce the fund totals.
struct projection_result {
  int start_year = 0, years = 0, cities = 0;
  Vector opening, contributions, project_premiums, interest, other_income, revenue, expenditure, closing,
      reserve, months_of_payment, payg_cost_rate, current_balance_ratio, phased_cut, covered_payroll, insured,
      avg_monthly_wage, disposable_income_prev;
  std::vector<double> city_revenue;      ///< [(C+1), T, 4] row-major
  std::vector<double> city_expenditure;  ///< [(C+1), T, 14]
  std::vector<double> insured_ck, payroll_ck, contributions_ck, rate_ck, injuries_ck;  ///< [C, 9, T]
  std::vector<double> in_payment, new_awards;  ///< [C, 5, T]: average number in payment, new awards
  std::vector<double> deaths;                  ///< [C, T]: deaths from work injury

  [[nodiscard]] std::size_t rev_index(int c, int j, int item) const {
    return (static_cast<std::size_t>(c) * years + j) * n_revenue_items + item;
  }
  [[nodiscard]] std::size_t exp_index(int c, int j, int item) const {
    return (static_cast<std::size_t>(c) * years + j) * n_expenditure_items + item;
  }
  [[nodiscard]] std::size_t ck_index(int c, int k, int j) const {
    return (static_cast<std::size_t>(c) * n_risk_classes + k) * years + j;
  }
  [[nodiscard]] std::size_t kind_index(int c, int kind, int j) const {
    return (static_cast<std::size_t>(c) * n_benefit_kinds + kind) * years + j;
  }
};

namespace detail {

inline std::string city_label(const province_base& b, int c) {
  return c >= 0 && c < static_cast<int>(b.cities.size()) ? b.cities[static_cast<std::size_t>(c)]
                                                          : "#" + std::to_string(c);
}

inline void validate_input(const projection_input& in) {
  static constexpr const char* fn = "project";
  const auto& b = in.base;
  check_in_range(fn, "years", in.years, 1, 50);
  const auto C = static_cast<Eigen::Index>(b.cities.size());
  if (C == 0) throw invalid_input("project: the province has no cities");
  for (const Matrix* m : {&b.insured, &b.wage, &b.avg_float})
    if (m->rows() != C || m->cols() != n_risk_classes)
      throw invalid_input("project: base matrices must be cities x 9, got " + std::to_string(m->rows()) + "x" +
                          std::to_string(m->cols()));
  if (b.project_value.size() != C) throw invalid_input("project: project_value must have one value per city");
  if (static_cast<int>(in.policy.size()) != in.years)
    throw invalid_input("project: policy has " + std::to_string(in.policy.size()) + " years, expected " +
                        std::to_string(in.years));
  for (Eigen::Index c = 0; c < C; ++c) {
    const std::string city = city_label(b, static_cast<int>(c));
    check_nonnegative(fn, "project_value[" + city + "]", b.project_value[c]);
    for (int k = 0; k < n_risk_classes; ++k) {
      const std::string where = "[" + city + ", class " + (k == 8 ? std::string("U") : std::to_string(k + 1)) + "]";
      const double n = b.insured(c, k);
      check_nonnegative(fn, "insured" + where, n);
      check_nonnegative(fn, "avg_float" + where, b.avg_float(c, k));
      if (n > 0) {
        check_positive(fn, "wage" + where, b.wage(c, k));
        for (const auto& p : in.policy)
          if (!(p.base_rate[static_cast<std::size_t>(k)] >= 0.0 && p.base_rate[static_cast<std::size_t>(k)] <= 1.0))
            throw invalid_input(check_message(fn, "base rate" + where + " in " + std::to_string(p.year),
                                              p.base_rate[static_cast<std::size_t>(k)],
                                              "is not defined in [0, 1] by the policy, but the class has insured"));
      }
    }
  }
  for (const auto& [name, v] : {std::pair{"opening_balance", b.opening_balance}, {"opening_reserve", b.opening_reserve},
                                {"base_contributions", b.base_contributions}, {"disposable_income", b.disposable_income}})
    check_nonnegative(fn, name, v);
  check_positive(fn, "base_expenditure", b.base_expenditure);
  if (b.insured.sum() <= 0) throw invalid_input("project: the province has no insured workers");
  for (std::size_t i = 0; i < b.beneficiaries.size(); ++i) {
    const auto& c = b.beneficiaries[i];
    const std::string where = "beneficiaries[" + std::to_string(i) + "] (" + city_label(b, c.city) + ")";
    check_in_range(fn, where + ".city", c.city, 0, static_cast<int>(C) - 1);
    check_in_range(fn, where + ".age", c.age, 0, 120);
    check_nonnegative(fn, where + ".count", c.count);
    check_nonnegative(fn, where + ".monthly_amount", c.monthly_amount);
    check_nonnegative(fn, where + ".pension", c.pension);
    if (c.kind == BenefitKind::allowance || c.kind == BenefitKind::care) check_in_range(fn, where + ".grade", c.grade, 1, 4);
    if (c.kind == BenefitKind::care) check_in_range(fn, where + ".care_level", c.care_level, 0, 2);
  }
  in.economy.validate(C, in.years);
  in.claims.validate(in.years);
}

}  // namespace detail

/// Projects the fund for `in.years` years after the base year. Throws invalid_input on bad input.
[[nodiscard]] inline projection_result project(const projection_input& in) {
  detail::validate_input(in);
  const auto& b = in.base;
  const auto& e = in.economy;
  const auto& a = in.claims;
  const int C = static_cast<int>(b.cities.size());
  const int T = in.years;
  const int K = n_risk_classes;

  projection_result r;
  r.start_year = b.base_year + 1;
  r.years = T;
  r.cities = C;
  for (Vector* v : {&r.opening, &r.contributions, &r.project_premiums, &r.interest, &r.other_income, &r.revenue,
                    &r.expenditure, &r.closing, &r.reserve, &r.months_of_payment, &r.payg_cost_rate,
                    &r.current_balance_ratio, &r.phased_cut, &r.covered_payroll, &r.insured, &r.avg_monthly_wage,
                    &r.disposable_income_prev})
    *v = Vector::Zero(T);
  r.city_revenue.assign(static_cast<std::size_t>(C + 1) * T * n_revenue_items, 0.0);
  r.city_expenditure.assign(static_cast<std::size_t>(C + 1) * T * n_expenditure_items, 0.0);
  for (auto* v : {&r.insured_ck, &r.payroll_ck, &r.contributions_ck, &r.rate_ck, &r.injuries_ck})
    v->assign(static_cast<std::size_t>(C) * K * T, 0.0);
  for (auto* v : {&r.in_payment, &r.new_awards}) v->assign(static_cast<std::size_t>(C) * n_benefit_kinds * T, 0.0);
  r.deaths.assign(static_cast<std::size_t>(C) * T, 0.0);

  // State carried from year to year.
  Matrix N = b.insured, W = b.wage;
  Vector project_value = b.project_value;
  std::vector<cohort> cohorts;
  cohorts.reserve(b.beneficiaries.size() + static_cast<std::size_t>(C) * T * 64);
  for (const auto& c : b.beneficiaries)
    if (c.count > 0) cohorts.push_back(c);
  auto avg_wage = [&](const Matrix& n, const Matrix& w) { return (n.array() * w.array()).sum() / n.sum(); };
  double aw_prev = avg_wage(N, W);              // AW_{t-1}: provincial average monthly wage
  double di_prev = b.disposable_income;         // national urban disposable income of t-1
  double balance = b.opening_balance, reserve = b.opening_reserve;
  double months_prev = b.opening_balance / (b.base_expenditure / 12.0);
  double contrib_prev = b.base_contributions;
  double medical_index = 1.0;
  // Short-term costs incurred by injury year (index j), per city and item, for the payment pattern.
  std::vector<std::array<double, n_short_term_items>> incurred(static_cast<std::size_t>(C) * T);
  const int lags = static_cast<int>(a.payment_pattern.size());

  for (int j = 0; j < T; ++j) {
    const int t = r.start_year + j;
    const policy_year& p = in.policy[static_cast<std::size_t>(j)];
    const benefit_rules& rules = p.benefits;

    // 1. Insured and wages.
    for (int c = 0; c < C; ++c) {
      const double growth_n = (1 + e.employment_growth(c, j)) * (1 + e.coverage_growth(c, j));
      for (int k = 0; k < K; ++k) {
        N(c, k) *= growth_n;
        W(c, k) *= 1 + e.wage_growth(c, j);
      }
    }
    const double aw = avg_wage(N, W);
    const double wage_growth_prov = aw / aw_prev - 1.0;
    medical_index *= 1 + e.medical_inflation[j];

    // 2. Phased cut from the previous year-end months of payment.
    const double cut = phased_cut(months_prev, p.cut);
    r.phased_cut[j] = cut;

    double contributions = 0, projects = 0, payroll_total = 0;
    for (int c = 0; c < C; ++c) {
      // 3. Contributions by class and construction projects.
      double city_contrib = 0;
      for (int k = 0; k < K; ++k) {
        const double n = N(c, k);
        const double payroll = n * W(c, k) * 12.0;
        const double rate = n > 0 ? contribution_rate(p.base_rate[static_cast<std::size_t>(k)], b.avg_float(c, k), cut) : 0.0;
        const double due = payroll * rate;
        const double collected = due * e.collection_rate(c, j);
        r.insured_ck[r.ck_index(c, k, j)] = n;
        r.payroll_ck[r.ck_index(c, k, j)] = payroll;
        r.rate_ck[r.ck_index(c, k, j)] = rate;
        r.contributions_ck[r.ck_index(c, k, j)] = collected;
        city_contrib += collected;
        payroll_total += payroll;
        r.insured[j] += n;
      }
      project_value[c] *= 1 + e.project_growth[j];
      const double city_projects = project_value[c] * p.project_rate * (1 - cut);
      r.city_revenue[r.rev_index(c, j, 0)] = city_contrib;
      r.city_revenue[r.rev_index(c, j, 1)] = city_projects;
      contributions += city_contrib;
      projects += city_projects;

      // 4. New injuries and their short-term costs (incurred in the injury year).
      double injuries = 0, injured_wage = 0;
      for (int k = 0; k < K; ++k) {
        const double i_ck = N(c, k) * a.incidence(j, k);
        r.injuries_ck[r.ck_index(c, k, j)] = i_ck;
        injuries += i_ck;
        if (i_ck > 0) injured_wage += i_ck * own_wage(W(c, k), aw_prev, rules);
      }
      const double ow = injuries > 0 ? injured_wage / injuries : 0.0;  // injury-weighted own wage
      const double deaths = injuries * a.death_share;
      r.deaths[static_cast<std::size_t>(c) * T + j] = deaths;
      auto& inc = incurred[static_cast<std::size_t>(c) * T + j];
      inc[0] = injuries * a.medical_cost * medical_index;
      inc[1] = injuries * a.rehabilitation_cost * medical_index;
      inc[2] = injuries * a.device_cost * medical_index;
      inc[3] = injuries * a.hospital_days * rules.hospital_food_per_day;
      inc[4] = injuries * a.appraisal_share * a.appraisal_fee * medical_index;
      double lump = 0, med_subsidy = 0;
      for (int g = 1; g <= 10; ++g) {
        const double graded = injuries * a.grade_share[static_cast<std::size_t>(g - 1)];
        lump += graded * disability_lump_sum(g, ow, rules);
        if (g >= 5)
          med_subsidy += graded * a.termination_share[static_cast<std::size_t>(g - 5)] * medical_subsidy(g, aw_prev, rules);
      }
      inc[5] = lump;
      inc[6] = med_subsidy;
      inc[7] = deaths * funeral_grant(aw_prev, rules);
      inc[8] = deaths * death_grant(di_prev, rules);
      for (int item = 0; item < n_short_term_items; ++item) {
        double paid = 0;
        for (int l = 0; l < lags; ++l) {
          // Injury years before the first projection year are taken at the first year's level.
          const int src = std::max(j - l, 0);
          paid += a.payment_pattern[static_cast<std::size_t>(l)] * incurred[static_cast<std::size_t>(c) * T + src][item];
        }
        r.city_expenditure[r.exp_index(c, j, item)] = paid;
      }

      // 5a. New long-term awards of the year (amounts at this year's level, not indexed this year).
      auto add = [&](BenefitKind kind, int grade, int level, Sex sex, int age, double count, double amount, bool lone) {
        if (count <= 0) return;
        cohort x;
        x.city = c; x.kind = kind; x.grade = grade; x.care_level = level; x.sex = sex; x.age = age;
        x.count = count; x.monthly_amount = amount; x.award_year = t; x.lone = lone;
        cohorts.push_back(x);
        r.new_awards[r.kind_index(c, static_cast<int>(kind), j)] += count;
      };
      for (std::size_t ai = 0; ai < a.entry_ages.size(); ++ai) {
        const int age = a.entry_ages[ai];
        const double w_age = a.entry_age_weights[ai];
        for (int s = 0; s < 2; ++s) {
          const Sex sex = s == 0 ? Sex::male : Sex::female;
          const double w = w_age * (s == 0 ? a.male_share : 1 - a.male_share);
          for (int g = 1; g <= 4; ++g) {
            const double n = injuries * a.grade_share[static_cast<std::size_t>(g - 1)] * w;
            add(BenefitKind::allowance, g, 0, sex, age, n, rules.allowance_rate[static_cast<std::size_t>(g - 1)] * ow,
                false);
            for (int l = 0; l < 3; ++l)
              add(BenefitKind::care, g, l, sex, age, n * a.care_share[static_cast<std::size_t>(g - 1)][static_cast<std::size_t>(l)],
                  care_allowance(static_cast<CareLevel>(l), aw_prev, rules), false);
          }
          // Dependants of the deceased: the spouse has the other sex; the Art. 39 cap is applied
          // to the expected family (pro-rata scaling, as for an individual family).
          const double d = deaths * w;
          const double others = a.children_per_death + a.parents_per_death;
          const double family_rate = a.spouses_per_death * rules.spouse_rate + others * rules.other_rate +
                                     others * a.lone_share * rules.lone_extra;
          const double cap = rules.dependant_cap;
          const double scale = family_rate > cap && family_rate > 0 ? cap / family_rate : 1.0;
          const Sex spouse_sex = sex == Sex::male ? Sex::female : Sex::male;
          add(BenefitKind::spouse, 0, 0, spouse_sex, std::max(age + a.spouse_age_offset, 16), d * a.spouses_per_death,
              scale * rules.spouse_rate * ow, false);
          for (int lone = 0; lone < 2; ++lone) {
            const double share = lone ? a.lone_share : 1 - a.lone_share;
            const double amount = scale * (rules.other_rate + (lone ? rules.lone_extra : 0.0)) * ow;
            // Children and parents are split evenly by sex.
            add(BenefitKind::child, 0, 0, sex, a.child_age, 0.5 * d * a.children_per_death * share, amount, lone);
            add(BenefitKind::child, 0, 0, spouse_sex, a.child_age, 0.5 * d * a.children_per_death * share, amount, lone);
            add(BenefitKind::parent, 0, 0, sex, a.parent_age, 0.5 * d * a.parents_per_death * share, amount, lone);
            add(BenefitKind::parent, 0, 0, spouse_sex, a.parent_age, 0.5 * d * a.parents_per_death * share, amount, lone);
          }
        }
      }
    }

    // 5b. Long-term cohorts: start-of-year changes, payments, roll forward.
    for (auto& x : cohorts) {
      const bool award_year = x.award_year == t;
      if (!award_year) cohort_start_year(x, p, wage_growth_prov, e.cpi[j], aw_prev, a.retirement_pension_ratio);
      if (x.count <= 0) continue;
      const double q = cohort_q(x, in.mortality, a);
      const bool retired_before = x.retired;
      double n_pay = 0;
      const double paid = cohort_pay_and_roll(x, q, e.minimum_wage(x.city, j), rules, award_year, n_pay);
      int item = 0;
      switch (x.kind) {
        case BenefitKind::allowance: item = retired_before ? 10 : 9; break;
        case BenefitKind::care: item = 11; break;
        default: item = 12; break;
      }
      r.city_expenditure[r.exp_index(x.city, j, item)] += paid;
      r.in_payment[r.kind_index(x.city, static_cast<int>(x.kind), j)] += n_pay;
    }
    // Drop cohorts that have left payment (children past 18, extinct groups) to keep the loop short.
    std::erase_if(cohorts, [](const cohort& x) { return x.count < 1e-9; });

    // 6. Prevention fee, provincial level.
    const double prevention = std::min(e.prevention_share[j], p.prevention_cap) * contrib_prev;
    r.city_expenditure[r.exp_index(C, j, 13)] = prevention;

    // 7. Fund roll-forward (统收统支: one provincial special account).
    double expenditure = 0;
    for (int c = 0; c <= C; ++c)
      for (int item = 0; item < n_expenditure_items; ++item) expenditure += r.city_expenditure[r.exp_index(c, j, item)];
    const double other = e.other_income[j];
    const double interest = interest_mid_year(e.interest_rate[j], balance, contributions + projects + other - expenditure);
    r.city_revenue[r.rev_index(C, j, 2)] = interest;
    r.city_revenue[r.rev_index(C, j, 3)] = other;
    const double revenue = contributions + projects + interest + other;
    r.opening[j] = balance;
    r.contributions[j] = contributions;
    r.project_premiums[j] = projects;
    r.interest[j] = interest;
    r.other_income[j] = other;
    r.revenue[j] = revenue;
    r.expenditure[j] = expenditure;
    balance = balance + revenue - expenditure;
    r.closing[j] = balance;

    // 8. Reserve fund and indicators.
    const double base = p.reserve.base == ReserveBase::contributions ? contributions + projects : expenditure;
    reserve = reserve_update(reserve, p.reserve, base, balance);
    r.reserve[j] = reserve;
    r.months_of_payment[j] = months_of_payment(balance, expenditure, t);
    r.covered_payroll[j] = payroll_total;
    r.payg_cost_rate[j] = payroll_total > 0 ? expenditure / payroll_total : 0.0;
    r.current_balance_ratio[j] = (revenue - expenditure) / expenditure;
    r.avg_monthly_wage[j] = aw;
    r.disposable_income_prev[j] = di_prev;

    months_prev = r.months_of_payment[j];
    contrib_prev = contributions + projects;
    aw_prev = aw;
    di_prev *= 1 + e.disposable_income_growth[j];
  }
  return r;
}

}  // namespace wifund
