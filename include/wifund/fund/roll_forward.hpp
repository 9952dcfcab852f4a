#pragma once
// Fund roll-forward in the provincial special account under 统收统支 (one account, 收支两条线):
// closing = opening + revenue - expenditure, interest counted in revenue (条例 Art. 7), and the
// indicators of the fund's capacity.
#include <algorithm>
#include <string>

#include "wifund/core/errors.hpp"

namespace wifund {

/// Interest credited for a year on the opening balance plus half of the year's net flow before
/// interest (flows spread evenly over the year). A negative average balance earns nothing: the fund
/// cannot go below 0 (the government advances the shortfall, 条例 Art. 13, fund/reserve.hpp), and
/// an advance earns the fund no deposit interest.
[[nodiscard]] inline double interest_mid_year(double rate, double opening,
                                              double net_flow_before_interest) noexcept {
  const double average = opening + 0.5 * net_flow_before_interest;
  return average > 0 ? rate * average : 0.0;
}

/// 可支付月数: balance (reserve included) / (annual expenditure / 12).
[[nodiscard]] inline double months_of_payment(double balance, double annual_expenditure, int year) {
  if (!(annual_expenditure > 0))
    throw invalid_input(
        "months_of_payment: expenditure in " + std::to_string(year) +
        " is not positive, so months of payment is undefined; check incidence and beneficiaries");
  return balance / (annual_expenditure / 12.0);
}

}  // namespace wifund
