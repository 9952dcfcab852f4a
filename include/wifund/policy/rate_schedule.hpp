#pragma once
// Contribution rates: class base rate x average float x (1 - phased cut).
//  * base rates and float tiers: 人社部发〔2015〕71号 (eight industry risk classes);
//  * phased cut (阶段性降低费率) tied to months of payment capacity: 人社部发〔2018〕25号,
//    国办发〔2019〕13号 and annual extensions to 人社部发〔2023〕19号 (to 2024-12-31):
//    M >= 24 -> -50%, 18 <= M < 24 -> -20%, M < 18 -> no cut. The cut is always taken from the
//    pre-reduction base rate, never compounded on last year's cut (Henan 2020, Shangqiu 2022).
#include <cmath>

#include "wifund/core/checks.hpp"
#include "wifund/policy/unset.hpp"

namespace wifund {

/// The phased-cut rule in force on the reference date (end of the previous year). No defaults (the
/// national values 18 / 24 months, 20% / 50% are in national.toml); read only when active.
struct phased_cut_rule {
  bool active = false;           ///< inside the national policy window
  double lower_months = unset;   ///< below this: no cut
  double upper_months = unset;   ///< at or above this: the larger cut
  double lower_cut = unset;      ///< cut for lower <= M < upper
  double upper_cut = unset;      ///< cut for M >= upper
};

/// The fraction by which base rates are cut, given months of payment M at the reference date.
[[nodiscard]] inline double phased_cut(double months_of_payment, const phased_cut_rule& rule) {
  if (!rule.active) return 0.0;
  if (std::isnan(months_of_payment))
    throw invalid_input("phased_cut: months_of_payment is NaN");
  if (months_of_payment >= rule.upper_months) return rule.upper_cut;
  if (months_of_payment >= rule.lower_months) return rule.lower_cut;
  return 0.0;
}

/// Effective rate of one employer group: base rate x average float multiplier x (1 - cut).
[[nodiscard]] inline double contribution_rate(double base_rate, double float_multiplier, double cut) {
  check_unit_interval("contribution_rate", "base_rate", base_rate);
  check_nonnegative("contribution_rate", "float_multiplier", float_multiplier);
  check_unit_interval("contribution_rate", "cut", cut);
  return base_rate * float_multiplier * (1.0 - cut);
}

}  // namespace wifund
