#pragma once
// Steps 1 and 3 of the projection year: the contribution base grows (insured with employment and
// coverage, wages with the wage paths), and contributions are collected by city x class,
//   contributions = N x W x 12 x base rate x review multiplier x average float x (1 - cut)
//                   x collection rate,
// plus construction-project premiums = contract value x project rate x (1 - cut); the 以支定收
// review multiplier (st.rate_multiplier, policy/rate_schedule.hpp) moves the class base rates only
// (rates: 人社部发〔2015〕71号; phased cut: 人社部发〔2018〕25号 … 人社部发〔2023〕19号).
#include <cstddef>

#include "wifund/core/axes.hpp"
#include "wifund/fund/context.hpp"
#include "wifund/fund/scenario.hpp"
#include "wifund/fund/state.hpp"
#include "wifund/policy/rate_schedule.hpp"

namespace wifund {

/// Step 1: insured and wages by city x class grow over year j.
inline void grow_contribution_base(const projection_context& x, const scenario& s, int j,
                                   projection_state& st) {
  const auto& e = s.economy;
  for (int c = 0; c < x.cities(); ++c) {
    const double growth_n = (1 + e.employment_growth(c, j)) * (1 + e.coverage_growth(c, j));
    for (int k = 0; k < risk_class::count; ++k) {
      st.insured(c, k) *= growth_n;
      st.wage(c, k) *= 1 + e.wage_growth(c, j);
    }
  }
}

/// Provincial totals of step 3.
struct contributions_total {
  double contributions = 0;  ///< collected from employers
  double projects = 0;       ///< construction-project premiums
  double payroll = 0;        ///< covered payroll (yuan a year)
  double insured = 0;
};

/// Step 3: contributions by city x class and construction-project premiums of year j under the
/// phased cut `cut`; writes the detail into st.flows (class detail and revenue items by city) and
/// grows the contract values.
inline contributions_total collect_contributions(const projection_context& x, const scenario& s,
                                                 int j, double cut, projection_state& st) {
  const auto& e = s.economy;
  const policy_year& p = x.policy[static_cast<std::size_t>(j)];
  auto& f = st.flows;
  contributions_total total;
  for (int c = 0; c < x.cities(); ++c) {
    double city_contrib = 0;
    for (int k = 0; k < risk_class::count; ++k) {
      const auto ks = static_cast<std::size_t>(k);
      const double n = st.insured(c, k);
      const double payroll = n * st.wage(c, k) * 12.0;
      const double rate =
          n > 0 ? contribution_rate(p.base_rate[ks] * s.rate_multiplier[ks] * st.rate_multiplier,
                                    x.base.avg_float(c, k), cut)
                : 0.0;
      const double due = payroll * rate;
      const double collected = due * e.collection_rate(c, j);
      const auto i = f.ck(c, k);
      f.insured[i] = n;
      f.payroll[i] = payroll;
      f.rate[i] = rate;
      f.contributions[i] = collected;
      city_contrib += collected;
      total.payroll += payroll;
      total.insured += n;
    }
    st.project_value[c] *= 1 + e.project_growth[j];
    const double city_projects = st.project_value[c] * p.project_rate * (1 - cut);
    f.city_revenue[f.rev(c, revenue_item::contributions)] = city_contrib;
    f.city_revenue[f.rev(c, revenue_item::project_premiums)] = city_projects;
    total.contributions += city_contrib;
    total.projects += city_projects;
  }
  return total;
}

}  // namespace wifund
