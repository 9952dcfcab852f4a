#pragma once
// Contribution rates: class base rate x average float x rate-review multiplier x (1 - phased cut).
//  * base rates and float tiers: 人社部发〔2015〕71号 (eight industry risk classes);
//  * phased cut (阶段性降低费率) tied to months of payment capacity: 人社部发〔2018〕25号,
//    国办发〔2019〕13号 and annual extensions to 人社部发〔2023〕19号 ("实施期限延长至2024年底";
//    the national cut ends 2024-12-31, later cuts are provincial): M >= 24 -> -50%, 18 <= M < 24 ->
//    -20%, M < 18 -> no cut. The cut is always taken from the pre-reduction base rate, never
//    compounded on last year's cut (Henan 2020, Shangqiu 2022). The rule is discretionary ("可以"):
//    take_up is the share of the cut the pooling area applies;
//    "下调费率期间，统筹地区工伤保险基金累计结余达到合理支付月数 范围的，停止下调": no cut while M
//    < stop_months (Henan: "低于18个月后，停止下调"). Windows run by month (2018-05-01 ->
//    2019-04-30; 人社厅发〔2021〕2号 2021-05-01 -> 2022-04-30): year_share is the share of the
//    calendar year's months inside a window, and the cut applies to that share of the year's
//    contributions (flows spread evenly over the year);
//  * 以支定收 rate review (条例 Art. 8; 吉政发〔2020〕20号
//  "适时调整费率政策，确保全省基金规模合理";
//    浙人社发〔2023〕58号 below 9–12 months; 人社部发〔2015〕72号 about 9 months for provincial
//    pooling): in each review year the multiplier on the base rates moves one step up when months
//    of payment are below the band, one step down above it, within [floor, cap], effective lag
//    years later.
#include <cmath>
#include <string>

#include "wifund/core/checks.hpp"
#include "wifund/policy/unset.hpp"

namespace wifund {

/// The phased-cut rule of one year. No defaults (the national values 18 / 24 months, 20% / 50%,
/// take-up 1, stop at 18 months are in national.toml); read only when active.
struct phased_cut_rule {
  bool active = false;          ///< some month of the year is inside a cut window
  double lower_months = unset;  ///< below this: no cut
  double upper_months = unset;  ///< at or above this: the larger cut
  double lower_cut = unset;     ///< cut for lower <= M < upper
  double upper_cut = unset;     ///< cut for M >= upper
  double take_up = unset;       ///< share of the cut applied (可以: 0 = none, 1 = all of it)
  double stop_months = unset;   ///< no cut while M < stop_months (停止下调)
  double year_share = unset;    ///< share of the year's months inside the window (0..1, monthly)
};

/// The fraction by which the year's base rates are cut, given months of payment M at the reference
/// date (the previous year end): tier x take_up x year_share, 0 when M < stop_months.
[[nodiscard]] inline double phased_cut(double months_of_payment, const phased_cut_rule& rule) {
  if (!rule.active) return 0.0;
  if (std::isnan(months_of_payment)) throw invalid_input("phased_cut: months_of_payment is NaN");
  if (months_of_payment < rule.stop_months) return 0.0;
  double tier = 0.0;
  if (months_of_payment >= rule.upper_months)
    tier = rule.upper_cut;
  else if (months_of_payment >= rule.lower_months)
    tier = rule.lower_cut;
  return tier * rule.take_up * rule.year_share;
}

/// Range checks of an active phased-cut rule; the message names the field and the year.
inline void check_phased_cut_rule(const char* fn, const phased_cut_rule& r, int year) {
  if (!r.active) return;
  const std::string y = " in " + std::to_string(year);
  if (!(std::isfinite(r.lower_months) && std::isfinite(r.upper_months) &&
        r.lower_months <= r.upper_months))
    throw invalid_input(check_message(
        fn, "cut.months (lower, upper)" + y,
        "[" + format_value(r.lower_months) + ", " + format_value(r.upper_months) + "]",
        "must be finite with low <= high"));
  check_unit_interval(fn, "cut.lower_cut" + y, r.lower_cut);
  check_unit_interval(fn, "cut.upper_cut" + y, r.upper_cut);
  if (!(r.lower_cut <= r.upper_cut))
    throw invalid_input(
        check_message(fn, "cut reductions (lower_cut, upper_cut)" + y,
                      "[" + format_value(r.lower_cut) + ", " + format_value(r.upper_cut) + "]",
                      "must be finite with low <= high"));
  check_unit_interval(fn, "cut.take_up" + y, r.take_up);
  check_nonnegative(fn, "cut.stop_months" + y, r.stop_months);
  check_unit_interval(fn, "cut.year_share" + y, r.year_share);
}

/// The 以支定收 rate review (off unless active). The multiplier applies to every class base rate.
struct rate_review_rule {
  bool active = false;
  double band_low = unset;      ///< months of payment below this: rates go up one step
  double band_high = unset;     ///< months of payment above this: rates go down one step
  int first_year = unset_int;   ///< the first review year
  int cycle_years = unset_int;  ///< a review every cycle_years years from first_year (>= 1)
  double step = unset;          ///< change of the multiplier per review (additive, > 0)
  double floor = unset;         ///< lowest multiplier
  double cap = unset;           ///< highest multiplier
  int lag_years = unset_int;  ///< years from the review to the new rate (0: the review year itself)
};

/// The longest lag a review may have (the state keeps that many decisions in flight).
inline constexpr int max_review_lag = 5;

/// Whether `year` is a review year of the rule.
[[nodiscard]] inline bool is_review_year(const rate_review_rule& r, int year) noexcept {
  return r.active && year >= r.first_year && (year - r.first_year) % r.cycle_years == 0;
}

/// The multiplier decided by a review at months of payment M from the multiplier m last decided:
/// m + step below the band, m - step above it, unchanged inside [band_low, band_high]; within
/// [floor, cap].
[[nodiscard]] inline double reviewed_multiplier(double m, double months_of_payment,
                                                const rate_review_rule& r) {
  if (std::isnan(months_of_payment)) throw invalid_input("rate review: months_of_payment is NaN");
  double next = m;
  if (months_of_payment < r.band_low)
    next = m + r.step;
  else if (months_of_payment > r.band_high)
    next = m - r.step;
  return std::fmin(std::fmax(next, r.floor), r.cap);
}

/// Range checks of an active rate-review rule; the message names the field and the year.
inline void check_rate_review_rule(const char* fn, const rate_review_rule& r, int year) {
  if (!r.active) return;
  const std::string y = " in " + std::to_string(year);
  if (!(std::isfinite(r.band_low) && std::isfinite(r.band_high) && r.band_low >= 0 &&
        r.band_low <= r.band_high))
    throw invalid_input(
        check_message(fn, "rate_review.band_months (low, high)" + y,
                      "[" + format_value(r.band_low) + ", " + format_value(r.band_high) + "]",
                      "must be finite and >= 0 with low <= high"));
  if (r.first_year == unset_int || r.first_year < 1900 || r.first_year > 2200)
    throw invalid_input(fn + std::string(": rate_review.first_year") + y + " = " +
                        std::to_string(r.first_year) + " must be a year in 1900..2200");
  if (r.cycle_years < 1 || r.cycle_years > 50)
    throw invalid_input(fn + std::string(": rate_review.cycle_years") + y + " = " +
                        std::to_string(r.cycle_years) + " must be in 1..50");
  if (!(r.step > 0) || !std::isfinite(r.step)) check_positive(fn, "rate_review.step" + y, r.step);
  check_nonnegative(fn, "rate_review.floor" + y, r.floor);
  if (!(std::isfinite(r.cap) && r.floor <= r.cap && r.floor <= 1.0 && 1.0 <= r.cap))
    throw invalid_input(
        check_message(fn, "rate_review.bounds (floor, cap)" + y,
                      "[" + format_value(r.floor) + ", " + format_value(r.cap) + "]",
                      "must be finite with floor <= 1 <= cap"));
  if (r.lag_years < 0 || r.lag_years > max_review_lag)
    throw invalid_input(fn + std::string(": rate_review.lag_years") + y + " = " +
                        std::to_string(r.lag_years) + " must be in 0.." +
                        std::to_string(max_review_lag));
}

/// Effective rate of one employer group: base rate x average float multiplier x (1 - cut).
[[nodiscard]] inline double contribution_rate(double base_rate, double float_multiplier,
                                              double cut) {
  check_unit_interval("contribution_rate", "base_rate", base_rate);
  check_nonnegative("contribution_rate", "float_multiplier", float_multiplier);
  check_unit_interval("contribution_rate", "cut", cut);
  return base_rate * float_multiplier * (1.0 - cut);
}

}  // namespace wifund
