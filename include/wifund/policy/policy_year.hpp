#pragma once
// The policy parameters resolved for one projection year. Python resolves the dated TOML files
// once per projection (wifund.Policy.at) into a vector of these; the engine never looks dates up.
#include <array>
#include <limits>
#include <vector>

#include "wifund/core/types.hpp"
#include "wifund/policy/benefits.hpp"
#include "wifund/policy/rate_schedule.hpp"

namespace wifund {

/// A flat increase of benefits in payment for a cohort cut-off (Jilin 吉人社办字〔2017〕62号,
/// 吉人社发〔2022〕24号; Ningxia 2007 and 2023 notices), in yuan per month.
struct increment_event {
  int effective_year = 0;   ///< applied at the start of this year
  int cutoff_year = 0;      ///< cohorts awarded in this year or earlier
  std::array<double, 4> allowance{};  ///< grades 1..4 (fund-paid)
  std::array<double, 3> care{};       ///< full / major / partial
  double spouse = 0, other = 0, lone_extra = 0;
  bool exclude_retired = false;       ///< Ningxia 2023: pensioners excluded
};

/// How benefits in payment are indexed (人社部发〔2017〕58号: allowances weight wage growth,
/// dependants' pensions weight CPI, care follows the average wage and is never cut).
struct indexation_rule {
  bool percentage = true;              ///< false: only the flat increment events apply
  double allowance_wage_weight = 0.6;  ///< index = w x wage growth + (1 - w) x CPI
  double dependant_wage_weight = 0.3;
  bool care_follows_wage = true;
};

enum class ReserveBase : int { contributions = 0, expenditure = 1 };

/// Provincial reserve (储备金, 条例 Art. 13; 人社部发〔2015〕72号 §6): each year ratio x base is
/// set aside, up to cap_ratio x base; the reserve counts inside the fund balance.
struct reserve_rule {
  double ratio = 0.10;
  ReserveBase base = ReserveBase::contributions;
  double cap_ratio = 0.30;
};

struct policy_year {
  int year = 0;
  /// Base rates of classes 1..8 and the unclassified rate (index 8; NaN where not defined).
  std::array<double, n_risk_classes> base_rate{0.002, 0.004, 0.007, 0.009, 0.011, 0.013, 0.016, 0.019,
                                               std::numeric_limits<double>::quiet_NaN()};
  phased_cut_rule cut{};
  double project_rate = 0.001;   ///< construction projects: fraction of contract value
  benefit_rules benefits{};
  double prevention_cap = 0.03;  ///< 人社部规〔2017〕13号: <= 3% of last year's contributions
  reserve_rule reserve{};
  indexation_rule indexation{};
  std::vector<increment_event> increments;  ///< events effective in this year
  std::array<int, 2> retirement_age{60, 55};  ///< male, female
};

}  // namespace wifund
