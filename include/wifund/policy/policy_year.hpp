#pragma once
// The policy parameters resolved for one projection year. Python resolves the dated TOML files
// once per projection (wifund.Policy.at) into a vector of these; the engine never looks dates up.
#include <array>
#include <limits>
#include <vector>

#include "wifund/core/axes.hpp"
#include "wifund/core/types.hpp"
#include "wifund/policy/benefits.hpp"
#include "wifund/policy/rate_schedule.hpp"
#include "wifund/policy/unset.hpp"

namespace wifund {

/// A flat increase of benefits in payment for a cohort cut-off (Jilin 吉人社办字〔2017〕62号,
/// 吉人社发〔2022〕24号, 吉人社发〔2023〕5号; Ningxia 2007 and 2022 rounds), in yuan per month.
struct increment_event {
  int effective_year = 0;             ///< applied at the start of this year
  int cutoff_year = 0;                ///< cohorts awarded in this year or earlier
  std::array<double, 4> allowance{};  ///< grades 1..4 (fund-paid)
  std::array<double, 3> care{};       ///< full / major / partial
  double spouse = 0, other = 0, lone_extra = 0;
  /// The legacy monthly disability subsidy (按月领取伤残补助金), grades 1..10
  /// (吉人社发〔2022〕24号).
  std::array<double, grade::count> legacy_subsidy{};
  bool exclude_retired = false;  ///< Ningxia 2022 round: pensioners excluded
  /// Floor top-up of the allowance (吉人社发〔2022〕24号: "+30 if the result is below 2,907"): a
  /// cohort whose monthly allowance after the increment is below `floor` gets `floor_topup` more.
  /// The test is on the cohort's amount (one amount per cohort), before the minimum-wage floor.
  double floor = 0, floor_topup = 0;
};

/// How benefits in payment are indexed (人社部发〔2017〕58号: allowances weight wage growth,
/// dependants' pensions weight CPI, care follows the average wage and is never cut).
/// Modes: flat (only the dated increment events), percentage (wage/CPI-weighted growth), or flat by
/// grade (58号: everyone in a group gets rate x the previous year's provincial average monthly
/// amount of the group; groups are the allowance grades, the care levels and the dependants'
/// kinds). The increment events apply in every mode.
struct indexation_rule {
  bool percentage = false;  ///< percentage indexation (wage/CPI weights below)
  double allowance_wage_weight =
      unset;  ///< index = w x wage growth + (1 - w) x CPI (national: 0.6)
  double dependant_wage_weight = unset;  ///< (national: 0.3)
  bool care_follows_wage = false;
  bool flat_by_grade = false;  ///< + rate x previous-year provincial average of the group
  double by_grade_allowance_rate = unset;  ///< rates of the flat-by-grade mode, by benefit family
  double by_grade_care_rate = unset;
  double by_grade_dependant_rate = unset;
  bool exclude_retired = false;  ///< percentage / flat-by-grade rounds leave retired recipients out
};

/// What the reserve is sized on: annual collection (the older local 10%/30% families), annual
/// fund expenditure (人社部发〔2015〕72号 §6: "储备金的规模按当地基金支出规模的一定比例确定") or
/// the fund balance (条例 Art. 13: a share of the fund total set by the province).
enum class ReserveBase : int { contributions = 0, expenditure = 1, balance = 2 };

/// Provincial reserve (储备金, 条例 Art. 13; 人社部发〔2015〕72号 §6), counted inside the fund
/// balance. On contributions or expenditure: each year ratio x base is set aside, up to cap_ratio x
/// base. On the balance: the reserve is ratio x the year-end balance (cap_ratio not used). It pays
/// major accidents first (reserve use); when the balance would go negative the government advances
/// the difference (垫付, Art. 13), repaid first from later surpluses when advance_repaid, else a
/// subsidy.
struct reserve_rule {
  double ratio = unset;  ///< (national file: 0.10 of expenditure a year)
  ReserveBase base = ReserveBase::expenditure;
  double cap_ratio = unset;  ///< (national file: 0.20 of expenditure)
  bool advance_repaid =
      true;  ///< (national file: true) the fiscal advance is repaid from surpluses
};

/// The policy of one projection year. No defaults: every field is set from the policy files
/// (wifund._bridge.resolve_policy_year); unset numbers are NaN and rejected by make_context().
struct policy_year {
  int year = 0;
  /// Base rates of classes 1..8 and the unclassified rate (risk_class::unclassified; NaN where not
  /// defined). National 2015 rates: 0.2%, 0.4%, 0.7%, 0.9%, 1.1%, 1.3%, 1.6%, 1.9%.
  std::array<double, n_risk_classes> base_rate = unset_array<n_risk_classes>();
  phased_cut_rule cut{};
  double project_rate = unset;  ///< construction projects: fraction of contract value
  benefit_rules benefits{};
  double prevention_cap = unset;  ///< 人社部规〔2017〕13号: <= 3% of last year's contributions
  reserve_rule reserve{};
  rate_review_rule
      rate_review{};  ///< 以支定收 rate review (off unless the policy files turn it on)
  indexation_rule indexation{};
  std::vector<increment_event> increments;  ///< events effective in this year
  std::array<int, n_sexes> retirement_age{unset_int,
                                          unset_int};  ///< male, female (60, 55 until 2025)
};

}  // namespace wifund
