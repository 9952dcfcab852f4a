#pragma once
// Short-term costs of the injuries of a year (step 4 of the projection): medical care,
// rehabilitation, assistive devices, hospital food, labour-capacity appraisal, the lump sums of
// grades 1..10, the medical subsidy on termination for grades 5..10, and the funeral and death
// grants. They are incurred in the injury year and paid over the following years by the payment
// pattern; `incurred_history` keeps, per city, the costs still awaiting payment.
#include <array>
#include <cstddef>
#include <vector>

#include "wifund/claims/assumptions.hpp"
#include "wifund/core/axes.hpp"
#include "wifund/policy/benefits.hpp"

namespace wifund {

/// Short-term costs of one injury year, by expenditure item [item::first_short_term,
/// item::end_short_term). (The short-term items come first, so a short-term item indexes these
/// arrays directly.)
using short_term_costs = std::array<double, item::n_short_term>;
static_assert(item::first_short_term == 0);

/// The year's price levels that the short-term costs of an injury year use.
struct short_term_prices {
  double medical_index = 1;  ///< product of (1 + medical inflation) since the base year
  double own_wage = 0;       ///< injury-weighted own wage (本人工资, Art. 64), monthly
  double prev_avg_wage = 0;  ///< previous-year provincial average monthly wage (Art. 36-39)
  double prev_disposable_income =
      0;  ///< previous-year national urban disposable income per head (Art. 39)
};

/// The short-term costs incurred by `injuries` recognised injuries of a city in one year, of which
/// `deaths` are deaths: per-case costs at base-year prices indexed by medical inflation, lump sums
/// and grants through policy/benefits.hpp.
[[nodiscard]] inline short_term_costs short_term_incurred(double injuries, double deaths,
                                                          const short_term_prices& px,
                                                          const claims_assumptions& a,
                                                          const benefit_rules& rules) {
  short_term_costs inc{};
  inc[item::medical] = injuries * a.medical_cost * px.medical_index;
  inc[item::rehabilitation] = injuries * a.rehabilitation_cost * px.medical_index;
  inc[item::assistive_devices] = injuries * a.device_cost * px.medical_index;
  inc[item::hospital_food] = injuries * a.hospital_days * rules.hospital_food_per_day;
  inc[item::appraisal] = injuries * a.appraisal_share * a.appraisal_fee * px.medical_index;
  double lump = 0, med_subsidy = 0;
  for (int g = grade::first; g <= grade::last; ++g) {
    const double graded = injuries * a.grade_share[grade::slot(g)];
    lump += graded * disability_lump_sum(g, px.own_wage, rules);
    if (g >= grade::first_subsidy)
      med_subsidy += graded * a.termination_share[grade::slot(g, grade::first_subsidy)] *
                     medical_subsidy(g, px.prev_avg_wage, rules);
  }
  inc[item::disability_lump_sum] = lump;
  inc[item::medical_subsidy] = med_subsidy;
  inc[item::funeral_grant] = deaths * funeral_grant(px.prev_avg_wage, rules);
  inc[item::death_grant] = deaths * death_grant(px.prev_disposable_income, rules);
  return inc;
}

/// Per city, the short-term costs of the last `lags` injury years (lag 0 = this year), as a ring.
/// Injury years before the first projected year are taken at the first year's level: the first
/// costs recorded for a city fill every lag (the documented convention of the projection).
class incurred_history {
 public:
  incurred_history() = default;
  incurred_history(int cities, int lags)
      : lags_(lags),
        head_(static_cast<std::size_t>(cities), 0),
        filled_(static_cast<std::size_t>(cities), 0),
        costs_(static_cast<std::size_t>(cities) * static_cast<std::size_t>(lags)) {}

  [[nodiscard]] int lags() const noexcept { return lags_; }
  [[nodiscard]] bool filled(int c) const noexcept {
    return filled_[static_cast<std::size_t>(c)] != 0;
  }

  /// Records the costs of a new injury year for city c (it becomes lag 0).
  void push(int c, const short_term_costs& inc) {
    const auto cs = static_cast<std::size_t>(c);
    if (!filled_[cs]) {
      for (int l = 0; l < lags_; ++l) slot(c, l) = inc;
      filled_[cs] = 1;
      return;
    }
    head_[cs] = (head_[cs] + 1) % lags_;
    slot(c, 0) = inc;
  }

  /// Sets the costs of lag l >= 1 (injury years before the next one), e.g. from actual figures:
  /// the next push() makes them lags l + 1.
  void set_before(int c, int l, const short_term_costs& inc) {
    const auto cs = static_cast<std::size_t>(c);
    filled_[cs] = 1;
    slot_raw(c, (head_[cs] + lags_ + 1 - l) % lags_) = inc;
  }

  /// Costs of city c with lag l (0 = the latest year pushed).
  [[nodiscard]] const short_term_costs& at(int c, int l) const {
    const auto cs = static_cast<std::size_t>(c);
    return costs_[cs * static_cast<std::size_t>(lags_) +
                  static_cast<std::size_t>((head_[cs] - l + lags_) % lags_)];
  }

  /// Paid this year for item i of city c: sum over lags of pattern[l] x incurred(lag l).
  [[nodiscard]] double paid(int c, int i, const std::vector<double>& pattern) const {
    double p = 0;
    for (int l = 0; l < lags_; ++l)
      p += pattern[static_cast<std::size_t>(l)] * at(c, l)[static_cast<std::size_t>(i)];
    return p;
  }

 private:
  short_term_costs& slot(int c, int l) {
    const auto cs = static_cast<std::size_t>(c);
    return slot_raw(c, (head_[cs] - l + lags_) % lags_);
  }
  short_term_costs& slot_raw(int c, int pos) {
    return costs_[static_cast<std::size_t>(c) * static_cast<std::size_t>(lags_) +
                  static_cast<std::size_t>(pos)];
  }

  int lags_ = 1;
  std::vector<int> head_;
  std::vector<char> filled_;
  std::vector<short_term_costs> costs_;
};

}  // namespace wifund
