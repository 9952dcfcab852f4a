#pragma once
// One projection year, in the documented order (README "The projection model"):
//  1. insured and wages grow (fund/contributions.hpp);
//  2. the phased cut is decided on the previous year-end months of payment (人社部发〔2018〕25号 …
//     人社部发〔2023〕19号), always from the base rate, x take-up x the share of the year's months
//     in the window; in a review year the 以支定收 rate review (条例 Art. 8) decides the multiplier
//     on the base rates from the same months, in force lag years later;
//  3. contributions and construction-project premiums (fund/contributions.hpp);
//  4. new injuries = insured x incidence by class, split into grades and deaths; their short-term
//     costs are incurred in the injury year and paid by the payment pattern
//     (claims/short_term.hpp);
//  5. new long-term awards join the cohorts, which are indexed, retire, receive flat increments,
//  are
//     paid and roll forward with mortality; deaths of grade 1-4 recipients bring the funeral grant
//     and dependants' pensions (Art. 39 ¶3) (claims/cohort_book.hpp);
//  6. prevention fee = min(planned share, cap) x last year's contributions (人社部规〔2017〕13号);
//  7. a major-accident cost (scenario) is charged, paid from the reserve first (条例 Art. 13);
//     interest = rate x (opening + half the year's net flow), never on a negative balance; when the
//     balance would go negative the government advances the difference (财政垫付, Art. 13), repaid
//     first from later surpluses (or a subsidy); closing = opening + revenue - expenditure;
//  8. reserve (inside the balance, 人社部发〔2015〕72号 §6) and the indicators.
// step() reads the context and the scenario, updates the state and hands the year to the sink.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>

#include "wifund/claims/cohort_book.hpp"
#include "wifund/claims/short_term.hpp"
#include "wifund/core/axes.hpp"
#include "wifund/fund/context.hpp"
#include "wifund/fund/contributions.hpp"
#include "wifund/fund/reserve.hpp"
#include "wifund/fund/roll_forward.hpp"
#include "wifund/fund/scenario.hpp"
#include "wifund/fund/state.hpp"
#include "wifund/fund/year_flows.hpp"
#include "wifund/policy/benefits.hpp"
#include "wifund/policy/rate_schedule.hpp"

namespace wifund {

/// Steps 4 and 5a for every city: injuries, short-term costs incurred and paid, new awards.
/// `State` is projection_state or a type with the same members (the Monte Carlo's state of
/// stochastic/mortality.hpp, whose book draws binomial deaths).
template <class State = projection_state>
void injuries_and_awards(const projection_context& x, const scenario& s, int j, State& st) {
  const auto& a = x.claims;
  const policy_year& p = x.policy[static_cast<std::size_t>(j)];
  const benefit_rules& rules = p.benefits;
  auto& f = st.flows;
  for (int c = 0; c < x.cities(); ++c) {
    double injuries = 0, injured_wage = 0, actual_wage = 0;
    for (int k = 0; k < risk_class::count; ++k) {
      double i_ck = st.insured(c, k) * (a.incidence(j, k) * s.incidence_multiplier);
      if (s.claim_multiplier.size() != 0) i_ck *= s.claim_multiplier(c * risk_class::count + k, j);
      f.injuries[f.ck(c, k)] = i_ck;
      injuries += i_ck;
      if (i_ck > 0) {
        // Art. 64: the average wage of the 12 months before the injury. Injuries at mid-year: those
        // months are centred on 1 January, the geometric mid-point of last year's and this year's
        // wage.
        const double w12 = st.wage(c, k) / std::sqrt(1.0 + s.economy.wage_growth(c, j));
        injured_wage += i_ck * own_wage(w12, st.avg_wage_prev, rules);
        actual_wage += i_ck * w12;  // the deceased's wage before death, unclamped (Art. 39 cap)
      }
    }
    const double ow = injuries > 0 ? injured_wage / injuries : 0.0;  // injury-weighted own wage
    const double cap_wage = injuries > 0 ? actual_wage / injuries : 0.0;
    double deaths = injuries * a.death_share;
    if (s.catastrophe_deaths.size() != 0) deaths += s.catastrophe_deaths(c, j);
    f.deaths[static_cast<std::size_t>(c)] = deaths;
    short_term_costs inc = short_term_incurred(
        injuries, deaths, {st.medical_index, ow, st.avg_wage_prev, st.income_prev}, a, rules);
    if (s.severity_multiplier.size() != 0)
      for (const int i : {item::medical, item::rehabilitation, item::assistive_devices,
                          item::hospital_food, item::appraisal})
        inc[static_cast<std::size_t>(i)] *= s.severity_multiplier[j];
    st.pending.push(c, inc);
    for (int i = item::first_short_term; i < item::end_short_term; ++i)
      f.city_expenditure[f.exp(c, i)] = st.pending.paid(c, i, a.payment_pattern);
    st.book.award({c, x.start_year() + j, injuries, deaths, ow, st.avg_wage_prev, cap_wage}, a,
                  rules, &f.new_awards[f.ckind(c, BenefitKind::allowance)]);
  }
}

/// Projects year j = st.next_index (year start_year + j) and hands it to sink.record(j, flows).
/// `State`: as for injuries_and_awards.
template <class State, class Sink>
void step(const projection_context& x, const scenario& s, int j, State& st, Sink& sink) {
  if (j != st.next_index || j < 0 || j >= x.years)
    throw invalid_input("step: year index " + std::to_string(j) +
                        " is not the state's next year index " + std::to_string(st.next_index) +
                        " within 0.." + std::to_string(x.years - 1));
  const auto& e = s.economy;
  const int C = x.cities();
  const int t = x.start_year() + j;
  const policy_year& p = x.policy[static_cast<std::size_t>(j)];
  auto& f = st.flows;
  f.clear();

  // AW_{t-1} for the year's benefits: the published figure of t - 1 where given, else the insured
  // average scaled by the last published / insured ratio (exactly the insured average when none).
  if (!std::isnan(e.avg_wage_prev[j]))
    st.avg_wage_ratio = e.avg_wage_prev[j] / st.insured_wage_prev;
  st.avg_wage_prev = st.insured_wage_prev * st.avg_wage_ratio;

  // 1. Insured and wages.
  grow_contribution_base(x, s, j, st);
  const double aw = provincial_avg_wage(st.insured, st.wage);
  const double wage_growth_prov = aw / st.insured_wage_prev - 1.0;
  st.medical_index *= 1 + e.medical_inflation[j];

  // 2. Phased cut from the previous year-end months of payment; the rate review.
  const double cut = phased_cut(st.months_prev, p.cut);
  constexpr int slots = max_review_lag + 1;
  double& due = st.rate_pending[static_cast<std::size_t>(j % slots)];
  if (!std::isnan(due)) {
    st.rate_multiplier = due;
    due = unset;
  }
  const rate_review_rule& review = s.override_rate_review ? s.rate_review : p.rate_review;
  if (is_review_year(review, t)) {
    st.rate_decided = reviewed_multiplier(st.rate_decided, st.months_prev, review);
    if (review.lag_years == 0)
      st.rate_multiplier = st.rate_decided;
    else
      st.rate_pending[static_cast<std::size_t>((j + review.lag_years) % slots)] = st.rate_decided;
  }

  // 3. Contributions; 4-5a. injuries, short-term costs, new awards.
  const contributions_total in = collect_contributions(x, s, j, cut, st);
  injuries_and_awards(x, s, j, st);

  // 5b. Long-term cohorts: start-of-year changes, payments, roll forward.
  st.book.roll(
      t, p, wage_growth_prov, e.cpi[j], st.avg_wage_prev, x.claims, x.mortality,
      [&](int city) { return e.minimum_wage(city, j); },
      [&](int city, int i, BenefitKind kind, double paid, double n_pay) {
        f.city_expenditure[f.exp(city, i)] += paid;
        f.in_payment[f.ckind(city, kind)] += n_pay;
      },
      [&](int city, BenefitKind kind, double n) { f.new_awards[f.ckind(city, kind)] += n; });

  // 6. Prevention fee, provincial level.
  f.city_expenditure[f.exp(C, item::prevention)] =
      std::min(e.prevention_share[j], p.prevention_cap) * st.contrib_prev;

  // 7. Fund roll-forward (统收统支: one provincial special account). A major accident is paid from
  // the reserve first; a balance that would go negative earns no interest and is brought to 0 by
  // the fiscal advance (条例 Art. 13), repaid first from later surpluses.
  const double accident = e.major_accident_cost[j];
  f.city_expenditure[f.exp(C, item::major_accident)] = accident;
  double expenditure = 0;
  for (int c = 0; c <= C; ++c)
    for (int i = 0; i < item::count; ++i) expenditure += f.city_expenditure[f.exp(c, i)];
  const double other = e.other_income[j];
  const double net = in.contributions + in.projects + other - expenditure;
  const double interest = interest_mid_year(e.interest_rate[j], st.balance, net);
  const double closing_before = st.balance + net + interest;
  const advance_flows adv = fiscal_advance(closing_before, net + interest, st.advance_outstanding,
                                           p.reserve.advance_repaid);
  f.city_revenue[f.rev(C, revenue_item::interest)] = interest;
  f.city_revenue[f.rev(C, revenue_item::other_income)] = other;
  f.city_revenue[f.rev(C, revenue_item::fiscal_advance)] = adv.advance;
  f.city_expenditure[f.exp(C, item::advance_repayment)] = adv.repayment;
  const double revenue = in.contributions + in.projects + interest + other + adv.advance;
  const double spending = expenditure;  // fund expenditure proper (months of payment, cost rate)
  expenditure += adv.repayment;
  auto& y = f.fund;
  y.opening = st.balance;
  y.contributions = in.contributions;
  y.project_premiums = in.projects;
  y.interest = interest;
  y.other_income = other;
  y.revenue = revenue;
  y.expenditure = expenditure;
  // closing = opening + revenue - expenditure (up to rounding), never below 0: an advance brings
  // the balance to exactly 0, a repayment takes at most the balance before it.
  st.balance = adv.advance > 0 ? 0.0 : closing_before - adv.repayment;
  y.closing = st.balance;
  y.fiscal_advance = adv.advance;
  y.advance_repayment = adv.repayment;
  y.advance_outstanding = st.advance_outstanding = adv.outstanding;
  y.major_accident = accident;

  // 8. Reserve fund and indicators.
  const double use = reserve_use(st.reserve, accident);
  const double base =
      p.reserve.base == ReserveBase::contributions ? in.contributions + in.projects : spending;
  st.reserve = reserve_update(st.reserve - use, p.reserve, base, st.balance);
  y.reserve = st.reserve;
  y.reserve_use = use;
  y.months_of_payment = months_of_payment(st.balance, spending, t);
  y.covered_payroll = in.payroll;
  y.payg_cost_rate = in.payroll > 0 ? spending / in.payroll : 0.0;
  y.current_balance_ratio = (revenue - adv.advance - spending) / spending;
  y.phased_cut = cut;
  y.rate_multiplier = st.rate_multiplier;
  y.benefit_avg_wage = st.avg_wage_prev;
  y.insured = in.insured;
  y.avg_monthly_wage = aw;
  y.disposable_income_prev = st.income_prev;

  st.months_prev = y.months_of_payment;
  st.contrib_prev = in.contributions + in.projects;
  st.insured_wage_prev = aw;
  st.avg_wage_prev = aw * st.avg_wage_ratio;
  st.income_prev *= 1 + e.disposable_income_growth[j];
  st.next_index = j + 1;
  sink.record(j, static_cast<const year_flows&>(f));
}

}  // namespace wifund
