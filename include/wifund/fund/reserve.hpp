#pragma once
// Provincial reserve fund (储备金): 条例 Art. 13 (a share of the fund total set by the province; it
// pays for major accidents; when it is short the government advances the money, 垫付) and
// 人社部发〔2015〕72号 §6
// ("储备金的规模按当地基金支出规模的一定比例确定…计算在工伤保险基金结存之内": a set proportion of
// expenditure; the reserve counts inside the fund balance). On contributions or expenditure (the
// generic family of §4.2 of the domain notes): each year ratio x base is set aside, up to cap x
// base. On the balance (Art. 13): ratio x the year-end balance. The reserve is drawn first for
// major accidents and can never exceed the (non-negative) fund balance it is part of.
#include <algorithm>

#include "wifund/core/checks.hpp"
#include "wifund/policy/policy_year.hpp"

namespace wifund {

/// The part of a major-accident cost paid from the reserve: all of it up to the reserve.
[[nodiscard]] inline double reserve_use(double reserve, double major_accident_cost) noexcept {
  return std::min(std::max(reserve, 0.0), std::max(major_accident_cost, 0.0));
}

/// The reserve at the year end, from last year's reserve less this year's use, the rule, the
/// year's base (contributions or expenditure, as the rule says) and the closing balance.
[[nodiscard]] inline double reserve_update(double previous, const reserve_rule& rule, double base,
                                           double closing) {
  check_nonnegative("reserve_update", "reserve ratio", rule.ratio);
  const double balance = std::max(closing, 0.0);
  if (rule.base == ReserveBase::balance) return std::min(rule.ratio * balance, balance);
  check_nonnegative("reserve_update", "reserve cap ratio", rule.cap_ratio);
  const double r = std::min(previous + rule.ratio * base, rule.cap_ratio * base);
  return std::clamp(r, 0.0, balance);
}

/// The fund's position after the government's advance (条例 Art. 13 垫付): the advance that keeps
/// the balance from going negative and the repayment of earlier advances from this year's surplus.
struct advance_flows {
  double advance = 0;      ///< 财政垫付 received in the year (revenue)
  double repayment = 0;    ///< repaid in the year from the surplus (expenditure)
  double outstanding = 0;  ///< advances not yet repaid at the year end
};

/// `closing_before` is the balance after every other flow of the year, `surplus` the year's revenue
/// less expenditure before the advance, `outstanding` the advances not repaid at the last year end.
/// A negative balance is brought to 0 by an advance; while advances are outstanding and repaid, the
/// year's surplus repays them first (never taking the balance below 0). An advance not repaid is a
/// subsidy (财政补贴) and is not carried.
[[nodiscard]] inline advance_flows fiscal_advance(double closing_before, double surplus,
                                                  double outstanding, bool repaid) noexcept {
  advance_flows a;
  if (closing_before < 0) {
    a.advance = -closing_before;
    a.outstanding = repaid ? outstanding + a.advance : 0.0;
    return a;
  }
  if (repaid && outstanding > 0 && surplus > 0)
    a.repayment = std::min({outstanding, surplus, closing_before});
  a.outstanding = repaid ? outstanding - a.repayment : 0.0;
  return a;
}

}  // namespace wifund
