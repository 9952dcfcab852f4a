#pragma once
// Provincial reserve fund (储备金): 条例 Art. 13 (ratio and use set by the province) and
// 人社部发〔2015〕72号 §6 (a set proportion; the reserve counts inside the fund balance).
// Generic family of §4.2 of the domain notes: each year ratio x base is set aside, up to cap x base;
// the reserve can never exceed the (non-negative) fund balance it is part of.
#include <algorithm>

#include "wifund/core/checks.hpp"
#include "wifund/policy/policy_year.hpp"

namespace wifund {

/// The reserve at the year end, from last year's reserve, the rule, the year's base (contributions
/// or expenditure, as the rule says) and the closing balance.
[[nodiscard]] inline double reserve_update(double previous, const reserve_rule& rule, double base, double closing) {
  check_nonnegative("reserve_update", "reserve ratio", rule.ratio);
  check_nonnegative("reserve_update", "reserve cap ratio", rule.cap_ratio);
  double r = std::min(previous + rule.ratio * base, rule.cap_ratio * base);
  return std::clamp(r, 0.0, std::max(closing, 0.0));
}

}  // namespace wifund
