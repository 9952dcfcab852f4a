#pragma once
// Claims assumptions: how many injuries the insured suffer, how they split by disability grade and
// death, what each costs, who enters the long-term benefit cohorts, and the mortality bases.
#include <array>
#include <string>
#include <vector>

#include "wifund/core/axes.hpp"
#include "wifund/core/checks.hpp"
#include "wifund/core/types.hpp"
#include "wifund/life/life_table.hpp"
#include "wifund/policy/unset.hpp"

namespace wifund {

/// No defaults: they live in wifund.assumptions (CLAIMS_DEFAULTS) and Python sets every field; an
/// unset number is NaN (or unset_int, an empty vector) and validate() rejects it naming it.
struct claims_assumptions {
  /// Recognised injuries (认定工伤) per insured person-year, T x 9 (classes 1..8, unclassified).
  Matrix incidence;
  /// Shares of recognised injuries assessed at grade 1..10 (the rest receive medical care only).
  std::array<double, grade::count> grade_share = unset_array<grade::count>();
  /// Share of recognised injuries that are deaths (因工死亡).
  double death_share = unset;
  /// For grades 1..4: share of awards with a care allowance at level full / major / partial.
  std::array<std::array<double, n_care_levels>, grade::n_allowance> care_share{
      unset_array<n_care_levels>(), unset_array<n_care_levels>(), unset_array<n_care_levels>(),
      unset_array<n_care_levels>()};
  /// Grades 5..10: share who leave employment in the injury year and receive the
  /// 一次性工伤医疗补助金 from the fund.
  std::array<double, grade::n_subsidy> termination_share = unset_array<grade::n_subsidy>();
  /// Costs per recognised injury at base-year prices (yuan), indexed by medical inflation.
  double medical_cost = unset, rehabilitation_cost = unset, device_cost = unset,
         appraisal_fee = unset;
  double appraisal_share = unset;  ///< share of injuries sent to labour-capacity appraisal
  double hospital_days = unset;    ///< hospital days per injury (for the food subsidy)
  /// Share of a year's short-term cost paid in the injury year, one year later, ... (sums to 1).
  std::vector<double> payment_pattern;
  /// Ages at injury and their weights; share of injured who are men.
  std::vector<int> entry_ages;
  std::vector<double> entry_age_weights;
  double male_share = unset;
  /// Families of the deceased (Art. 39 cap per family): composition f has family_spouses[f] spouses
  /// (0 or 1), family_children[f] children and family_parents[f] parents, with weight
  /// family_weights[f] (weights sum to 1; the weighted means are the dependants per death).
  std::vector<int> family_spouses, family_children, family_parents;
  std::vector<double> family_weights;
  /// Ages of the dependants: spouse = worker age + offset; child_age and parent_age are the ages
  /// for a worker of the mean entry age, shifted by the worker's age difference from it (a
  /// recipient dying at 70 has no child under 18). Orphan / lone-elderly share of the other
  /// dependants.
  int spouse_age_offset = unset_int;
  int child_age = unset_int, parent_age = unset_int;
  double lone_share = unset;
  /// 部令第18号 Art. 3(1): share of spouses and parents below the age test who are wholly unable to
  /// work (paid from the death); the others are deferred to 60 (men) / 55 (women).
  double dependant_incapacity_share = unset;
  /// 部令第18号 Art. 4: yearly probability that a spouse in payment (or deferred) leaves by
  /// remarriage or employment (0: no exits but deaths).
  double spouse_exit_hazard = unset;
  /// 国发〔2024〕18号: share of female allowance recipients in the female-cadre group (old age 55);
  /// the others are female workers (old age 50).
  double female_cadre_share = unset;
  /// Share of grade 1-4 recipients who have the minimum contribution years for a pension at
  /// retirement, at a minimum of 15 years and of 20 years (linear in between; 国发〔2024〕18号
  /// raises it from 2030). The others keep the allowance from the fund (Art. 35).
  double pension_qualify_at_15 = unset, pension_qualify_at_20 = unset;
  /// Basic pension / allowance at retirement, for the fund's top-up (Art. 35). Default from the
  /// worked example in S34: allowance 4,220, pension 3,420 -> 0.81.
  double retirement_pension_ratio = unset;
  /// Mortality loads on the disabled-life tables for grades 1..4 and on the dependants' tables.
  std::array<double, grade::n_allowance> disabled_mortality_load =
      unset_array<grade::n_allowance>();
  double dependant_mortality_load = unset;

  void validate(Eigen::Index years) const {
    static constexpr const char* fn = "claims_assumptions";
    if (incidence.rows() != years || incidence.cols() != n_risk_classes)
      throw invalid_input(
          std::string(fn) + ": incidence must be years x 9 (classes 1..8, unclassified), got " +
          std::to_string(incidence.rows()) + "x" + std::to_string(incidence.cols()));
    for (Eigen::Index t = 0; t < incidence.rows(); ++t)
      for (Eigen::Index k = 0; k < incidence.cols(); ++k)
        check_unit_interval(fn,
                            "incidence[year index " + std::to_string(t) + ", class index " +
                                std::to_string(k) + "]",
                            incidence(t, k));
    double s = death_share;
    for (int g = grade::first; g <= grade::last; ++g) {
      check_unit_interval(fn, "grade_share[grade " + std::to_string(g) + "]",
                          grade_share[grade::slot(g)]);
      s += grade_share[grade::slot(g)];
    }
    check_unit_interval(fn, "death_share", death_share);
    if (s > 1.0 + 1e-12)
      throw invalid_input(check_message(fn, "sum of grade shares and death share", s, "exceeds 1"));
    for (int g = grade::first; g <= grade::last_allowance; ++g) {
      double c = 0;
      for (std::size_t l = 0; l < n_care_levels; ++l) {
        check_unit_interval(fn, "care_share[grade " + std::to_string(g) + "]",
                            care_share[grade::slot(g)][l]);
        c += care_share[grade::slot(g)][l];
      }
      if (c > 1.0 + 1e-12)
        throw invalid_input(
            check_message(fn, "care shares of grade " + std::to_string(g), c, "exceed 1"));
    }
    for (int g = grade::first_subsidy; g <= grade::last; ++g)
      check_unit_interval(fn, "termination_share[grade " + std::to_string(g) + "]",
                          termination_share[grade::slot(g, grade::first_subsidy)]);
    for (auto [name, v] : {std::pair{"medical_cost", medical_cost},
                           {"rehabilitation_cost", rehabilitation_cost},
                           {"device_cost", device_cost},
                           {"appraisal_fee", appraisal_fee},
                           {"hospital_days", hospital_days}})
      check_nonnegative(fn, name, v);
    check_unit_interval(fn, "appraisal_share", appraisal_share);
    check_unit_interval(fn, "male_share", male_share);
    check_unit_interval(fn, "lone_share", lone_share);
    check_unit_interval(fn, "dependant_incapacity_share", dependant_incapacity_share);
    check_unit_interval(fn, "spouse_exit_hazard", spouse_exit_hazard);
    check_unit_interval(fn, "female_cadre_share", female_cadre_share);
    check_unit_interval(fn, "pension_qualify_share at 15 years", pension_qualify_at_15);
    check_unit_interval(fn, "pension_qualify_share at 20 years", pension_qualify_at_20);
    const std::size_t nf = family_weights.size();
    if (nf == 0 || family_spouses.size() != nf || family_children.size() != nf ||
        family_parents.size() != nf)
      throw invalid_input(std::string(fn) +
                          ": family_spouses, family_children, family_parents and family_weights "
                          "must be non-empty and of equal length");
    double fw = 0;
    for (std::size_t f = 0; f < nf; ++f) {
      const std::string at = "[family " + std::to_string(f) + "]";
      check_in_range(fn, "family_spouses" + at, family_spouses[f], 0, 1);
      check_in_range(fn, "family_children" + at, family_children[f], 0, 10);
      check_in_range(fn, "family_parents" + at, family_parents[f], 0, 4);
      check_unit_interval(fn, "family_weights" + at, family_weights[f]);
      fw += family_weights[f];
    }
    if (std::abs(fw - 1.0) > 1e-9)
      throw invalid_input(check_message(fn, "sum of family_weights", fw, "must equal 1"));
    check_in_range(fn, "spouse_age_offset", spouse_age_offset, -40, 40);
    check_in_range(fn, "child_age", child_age, 0, 17);
    check_in_range(fn, "parent_age", parent_age, 14, 120);
    check_nonnegative(fn, "retirement_pension_ratio", retirement_pension_ratio);
    if (payment_pattern.empty())
      throw invalid_input(std::string(fn) + ": payment_pattern is empty");
    double p = 0;
    for (std::size_t l = 0; l < payment_pattern.size(); ++l) {
      check_unit_interval(fn, "payment_pattern[lag " + std::to_string(l) + "]", payment_pattern[l]);
      p += payment_pattern[l];
    }
    if (std::abs(p - 1.0) > 1e-9)
      throw invalid_input(check_message(fn, "sum of payment_pattern", p, "must equal 1"));
    if (entry_ages.empty() || entry_ages.size() != entry_age_weights.size())
      throw invalid_input(
          std::string(fn) +
          ": entry_ages and entry_age_weights must be non-empty and of equal length");
    double w = 0;
    for (std::size_t a = 0; a < entry_ages.size(); ++a) {
      check_in_range(fn, "entry_ages", entry_ages[a], 14, 100);
      check_nonnegative(fn, "entry_age_weights", entry_age_weights[a]);
      w += entry_age_weights[a];
    }
    if (std::abs(w - 1.0) > 1e-9)
      throw invalid_input(check_message(fn, "sum of entry_age_weights", w, "must equal 1"));
    for (const double load : disabled_mortality_load)
      check_positive(fn, "disabled_mortality_load", load);
    check_positive(fn, "dependant_mortality_load", dependant_mortality_load);
  }
};

/// The mortality tables used for beneficiaries (China Life Insurance Experience Tables 2010-2013
/// by default: CL1/CL2 for injured workers with a grade load, CL5/CL6 for dependants).
struct mortality_basis {
  life_table disabled_male, disabled_female, dependant_male, dependant_female;
};

}  // namespace wifund
