#pragma once
// Responsibility sharing (责任分担) of a city's shortfall between the city (remitted to the
// provincial special account) and the province, as a banded rule given by parameters.
//
//  * Ningxia (宁人社发〔2023〕118号 附件 Arts. 4, 8): the non-policy revenue shortfall, floored at
//  0, and
//    the losses from missed coverage expansion and irregular spending are borne 100 % locally: no
//    bands, local ratio 1.
//  * Anhui (《工伤保险基金省级统收统支预算管理和责任分担办法》, 2025-01, read in a repost [V*]):
//  management
//    gaps 100 % local; the budget gap province : city 9 : 1 (budget drawn with a current surplus)
//    or 8 : 2 (with a deficit); the part of the final gap beyond the budgeted gap by more than 5 %
//    (10 %) of the budget split 60/40 (40/60) province/local.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "wifund/core/checks.hpp"
#include "wifund/core/errors.hpp"

namespace wifund::budget {

/// The parameters of a banded sharing rule (all shares are the local, i.e. city, part).
struct sharing_rule {
  double management_local =
      1.0;  ///< local share of management gaps (expansion loss, irregular spending)
  double local_surplus =
      1.0;  ///< local share of the budget gap, budget drawn with a current surplus
  double local_deficit = 1.0;      ///< ... drawn with a current deficit
  std::vector<double> bands;       ///< ascending thresholds on (gap - budgeted gap) / reference
  std::vector<double> band_local;  ///< local share of the part of the gap beyond each threshold
  bool marginal =
      true;  ///< true: each layer at its own share; false: the whole excess at the band reached
  double floor = 0.0;  ///< lower bound of the local budget-gap share, fraction of the reference
  double cap = std::numeric_limits<double>::infinity();  ///< upper bound, fraction of the reference
  double reward = 0.0;  ///< share of an over-completion (negative gap) returned to the city
};

/// Per-city inputs (views on arrays of length n owned by the caller).
struct sharing_input {
  int n = 0;
  const double* gap = nullptr;  ///< the non-policy gap to share (negative: over-completion)
  const double* budget_gap =
      nullptr;  ///< the gap already in the budget (>= 0; 0 for a revenue rule)
  const double* reference =
      nullptr;  ///< the amount the bands are fractions of (> 0 when bands are used)
  const unsigned char* surplus = nullptr;  ///< the city's budget was drawn with a current surplus
  const double* management = nullptr;      ///< management gaps (>= 0)
};

struct sharing_result {
  std::vector<double>
      deviation;          ///< (gap - budget gap) / reference (NaN when no bands and reference 0)
  std::vector<int> band;  ///< 0 = within the first threshold, i = beyond threshold i
  std::vector<double> within_local;  ///< local part of the gap up to the first threshold
  std::vector<double> excess_local;  ///< local part of the layers beyond it
  std::vector<double> gap_local;     ///< within + excess, after floor and cap
  std::vector<double> gap_province;  ///< the rest of the (positive) gap
  std::vector<double> management_local, management_province, reward, share;
};

/// Applies `rule` to every city: share = gap_local + management_local - reward.
[[nodiscard]] inline sharing_result share_shortfall(const sharing_input& in,
                                                    const sharing_rule& rule) {
  constexpr const char* fn = "budget::share_shortfall";
  check_unit_interval(fn, "management_local", rule.management_local);
  check_unit_interval(fn, "local_surplus", rule.local_surplus);
  check_unit_interval(fn, "local_deficit", rule.local_deficit);
  check_unit_interval(fn, "reward", rule.reward);
  if (rule.bands.size() != rule.band_local.size())
    throw invalid_input(std::string(fn) + ": bands and band_local must have the same length");
  for (std::size_t i = 0; i < rule.bands.size(); ++i) {
    check_nonnegative(fn, "bands", rule.bands[i]);
    check_unit_interval(fn, "band_local", rule.band_local[i]);
    if (i && !(rule.bands[i] > rule.bands[i - 1]))
      throw invalid_input(check_message(fn, "bands", rule.bands[i], "must be strictly ascending"));
  }
  check_nonnegative(fn, "floor", rule.floor);
  if (!(rule.cap >= rule.floor))
    throw invalid_input(check_message(fn, "cap", rule.cap, "must be >= floor"));

  const std::size_t n = static_cast<std::size_t>(std::max(in.n, 0)), nb = rule.bands.size();
  sharing_result r;
  for (auto* v : {&r.deviation, &r.within_local, &r.excess_local, &r.gap_local, &r.gap_province,
                  &r.management_local, &r.management_province, &r.reward, &r.share})
    v->assign(n, 0.0);
  r.band.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const double g = in.gap[i], b = in.budget_gap[i], ref = in.reference[i], mg = in.management[i];
    const std::string where = " (city " + std::to_string(i) + ")";
    check_finite(fn, "gap" + where, g);
    check_nonnegative(fn, "budget_gap" + where, b);
    check_nonnegative(fn, "management" + where, mg);
    if (nb && !(ref > 0.0))
      throw invalid_input(check_message(fn, "reference" + where, ref, "must be > 0 for bands"));
    const double ratio = in.surplus[i] ? rule.local_surplus : rule.local_deficit;
    r.deviation[i] = ref > 0.0 ? (g - b) / ref : std::numeric_limits<double>::quiet_NaN();
    if (g > 0.0) {
      // Layers: [0, b + t_0 ref] at the budget ratio, [b + t_j ref, b + t_{j+1} ref] at
      // band_local[j].
      double edge = nb ? std::min(g, b + rule.bands[0] * ref) : g;
      r.within_local[i] = ratio * edge;
      for (std::size_t j = 0; j < nb; ++j)
        if (g > b + rule.bands[j] * ref) r.band[i] = static_cast<int>(j + 1);
      if (nb && r.band[i] > 0) {
        if (rule.marginal) {
          for (std::size_t j = 0; j < nb; ++j) {
            const double lo = b + rule.bands[j] * ref;
            const double hi =
                j + 1 < nb ? b + rule.bands[j + 1] * ref : std::numeric_limits<double>::infinity();
            if (g > lo) r.excess_local[i] += rule.band_local[j] * (std::min(g, hi) - lo);
          }
        } else {
          // The whole excess over the budgeted gap at the share of the band reached (domain README
          // §4.6).
          const double in_budget = std::min(g, b);
          r.within_local[i] = ratio * in_budget;
          r.excess_local[i] =
              rule.band_local[static_cast<std::size_t>(r.band[i] - 1)] * (g - in_budget);
        }
      }
      double local = r.within_local[i] + r.excess_local[i];
      if (ref > 0.0)
        local = std::clamp(local, std::min(rule.floor * ref, g), std::min(rule.cap * ref, g));
      r.gap_local[i] = local;
      r.gap_province[i] = g - local;
    } else if (g < 0.0) {
      r.reward[i] = rule.reward * (-g);
    }
    r.management_local[i] = rule.management_local * mg;
    r.management_province[i] = mg - r.management_local[i];
    r.share[i] = r.gap_local[i] + r.management_local[i] - r.reward[i];
  }
  return r;
}

}  // namespace wifund::budget
