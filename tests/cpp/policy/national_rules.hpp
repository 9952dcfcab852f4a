#pragma once
// Parameter sets for the C++ tests, written out because the structs carry no defaults of their own:
// the national rules in force from 2025 (python/wifund/data/policy/national.toml) and a claims
// basis with no injuries (the other values of wifund.Assumptions.default()).
#include <limits>

#include "wifund/claims/assumptions.hpp"
#include "wifund/policy/policy_year.hpp"

namespace wifund::testing {

inline benefit_rules national_benefits() {
  benefit_rules r;
  r.lump_sum_months = {27, 25, 23, 21, 18, 16, 13, 11, 9, 7};  // 条例 Art. 35-37
  r.allowance_rate = {0.90, 0.85, 0.80, 0.75};                 // Art. 35
  r.minimum_wage_floor = true;
  r.retirement_topup = true;
  r.care_rate = {0.50, 0.40, 0.30};  // Art. 34
  r.funeral_months = 6;              // Art. 39
  r.death_grant_multiple = 20;       // Art. 39 (Decree 586)
  r.spouse_rate = 0.40;
  r.other_rate = 0.30;
  r.lone_extra = 0.10;
  r.dependant_cap = 1.0;
  r.medical_subsidy_months = {24, 18, 12, 9, 6, 4};  // assumed (province-specific)
  r.hospital_food_per_day = 20;
  r.base_clamp = {0.6, 3.0};  // Art. 64
  return r;
}

/// The phased-cut thresholds of 人社部发〔2018〕25号, full take-up, stop below 18 months, a whole
/// year inside the window, inactive (outside the window).
inline phased_cut_rule national_cut() { return {false, 18.0, 24.0, 0.20, 0.50, 1.0, 18.0, 1.0}; }

inline policy_year national_policy_year(int year) {
  policy_year p;
  p.year = year;
  p.base_rate = {0.002, 0.004, 0.007,
                 0.009, 0.011, 0.013,
                 0.016, 0.019, std::numeric_limits<double>::quiet_NaN()};
  p.cut = national_cut();
  p.project_rate = 0.001;
  p.benefits = national_benefits();
  p.prevention_cap = 0.03;
  p.reserve = {0.10, ReserveBase::contributions, 0.30};
  // 人社部发〔2017〕58号 weights (assumed); flat-by-grade rates 4% (unused: mode percentage)
  p.indexation = {true, 0.6, 0.3, true, false, 0.04, 0.04, 0.04, false};
  p.retirement_age = {60, 55};
  return p;
}

/// A claims basis with no injuries (incidence left for the caller to size); the rest as
/// wifund.Assumptions.default().
inline claims_assumptions no_injury_claims() {
  claims_assumptions a;
  a.grade_share = {};
  a.death_share = 0;
  a.care_share = {};
  a.termination_share = {};
  a.medical_cost = a.rehabilitation_cost = a.device_cost = a.appraisal_fee = 0;
  a.appraisal_share = 0;
  a.hospital_days = 0;
  a.payment_pattern = {1.0};
  a.entry_ages = {30, 40, 50};
  a.entry_age_weights = {0.35, 0.40, 0.25};
  a.male_share = 0.78;
  a.family_spouses = {1, 1, 1, 1, 1, 1, 0, 0, 0};
  a.family_children = {0, 1, 2, 1, 2, 0, 0, 0, 0};
  a.family_parents = {0, 0, 0, 1, 1, 1, 1, 2, 0};
  a.family_weights = {0.25, 0.20, 0.10, 0.10, 0.05, 0.10, 0.05, 0.05, 0.10};
  a.spouse_age_offset = -2;
  a.child_age = 8;
  a.parent_age = 68;
  a.lone_share = 0.1;
  a.dependant_incapacity_share = 0.05;
  a.spouse_exit_hazard = 0.0;
  a.female_cadre_share = 0.3;
  a.pension_qualify_at_15 = 0.95;
  a.pension_qualify_at_20 = 0.90;
  a.retirement_pension_ratio = 0.81;
  a.disabled_mortality_load = {3.0, 2.5, 2.0, 1.5};
  a.dependant_mortality_load = 1.0;
  return a;
}

}  // namespace wifund::testing
