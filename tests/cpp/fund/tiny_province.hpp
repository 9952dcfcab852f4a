#pragma once
// A one-city province small enough to work by hand, shared by the fund tests.
#include "../test_data.hpp"
#include "wifund/fund/projection.hpp"
#include "../policy/national_rules.hpp"

namespace wifund::testing {

inline projection_input tiny_province(int years) {
  projection_input in;
  in.years = years;
  auto& b = in.base;
  b.base_year = 2024;
  b.cities = {"A"};
  b.insured = Matrix::Zero(1, n_risk_classes);
  b.wage = Matrix::Zero(1, n_risk_classes);
  b.avg_float = Matrix::Ones(1, n_risk_classes);
  b.insured(0, risk_class::of(1)) = 1000;
  b.wage(0, risk_class::of(1)) = 5000;
  b.project_value = Vector::Zero(1);
  cohort spouse;
  spouse.kind = BenefitKind::spouse;
  spouse.sex = Sex::female;
  spouse.age = 40;
  spouse.count = 10;
  spouse.monthly_amount = 1000;
  spouse.award_year = 2020;
  b.beneficiaries = {spouse};
  b.opening_balance = 200000;
  b.base_expenditure = 120000;  // months of payment at the base year end = 20
  b.base_contributions = 100000;
  b.disposable_income = 54188;
  for (int j = 0; j < years; ++j) {
    policy_year p = national_policy_year(2025 + j);
    p.indexation.percentage = false;
    p.reserve = {0.1, ReserveBase::contributions, 0.3};
    in.policy.push_back(p);
  }
  auto& e = in.economy;
  for (Matrix* m : {&e.wage_growth, &e.employment_growth, &e.coverage_growth})
    *m = Matrix::Zero(1, years);
  e.collection_rate = Matrix::Ones(1, years);
  e.minimum_wage = Matrix::Constant(1, years, 2000);
  for (Vector* v : {&e.cpi, &e.medical_inflation, &e.disposable_income_growth, &e.project_growth,
                    &e.other_income, &e.prevention_share})
    *v = Vector::Zero(years);
  e.interest_rate = Vector::Constant(years, 0.02);
  e.major_accident_cost = Vector::Zero(years);
  e.avg_wage_prev = Vector::Constant(years, unset);  // nothing published: the insured average
  in.claims = no_injury_claims();
  in.claims.incidence = Matrix::Zero(years, n_risk_classes);
  in.mortality = {china_life_table("CL1"), china_life_table("CL2"), china_life_table("CL5"),
                  china_life_table("CL6")};
  return in;
}

/// tiny_province with injuries, dependants, a payment pattern, growth and a phased cut: every part
/// of a step is exercised.
inline projection_input busy_province(int years) {
  auto in = tiny_province(years);
  in.base.cities = {"A", "B"};
  in.base.insured.conservativeResize(2, n_risk_classes);
  in.base.wage.conservativeResize(2, n_risk_classes);
  in.base.avg_float = Matrix::Ones(2, n_risk_classes);
  in.base.insured.row(1) << 2000, 500, 0, 300, 0, 0, 100, 0, 0;
  in.base.wage.row(1) << 4000, 6000, 0, 7000, 0, 0, 9000, 0, 0;
  in.base.project_value = Vector::Constant(2, 1e6);
  in.claims.incidence.col(risk_class::of(1)).setConstant(0.01);
  in.claims.incidence.col(risk_class::of(2)).setConstant(0.02);
  in.claims.incidence.col(risk_class::of(4)).setConstant(0.03);
  in.claims.incidence.col(risk_class::of(7)).setConstant(0.05);
  in.claims.grade_share = {0.001, 0.002, 0.003, 0.004, 0.01, 0.02, 0.05, 0.1, 0.15, 0.2};
  in.claims.death_share = 0.01;
  in.claims.care_share = {{{0.5, 0.3, 0.1}, {0.3, 0.3, 0.2}, {0.1, 0.2, 0.3}, {0, 0.1, 0.2}}};
  in.claims.termination_share = {0.5, 0.5, 0.5, 0.5, 0.5, 0.5};
  in.claims.medical_cost = 20000;
  in.claims.payment_pattern = {0.6, 0.3, 0.1};
  auto& e = in.economy;
  for (Matrix* m : {&e.wage_growth, &e.employment_growth, &e.coverage_growth, &e.collection_rate,
                    &e.minimum_wage})
    m->conservativeResize(2, years);
  e.wage_growth.setConstant(0.05);
  e.employment_growth.setConstant(0.01);
  e.coverage_growth.setConstant(0.0);
  e.collection_rate.setConstant(0.95);
  e.minimum_wage.setConstant(2000);
  e.cpi.setConstant(0.02);
  e.medical_inflation.setConstant(0.04);
  e.disposable_income_growth.setConstant(0.04);
  e.prevention_share.setConstant(0.02);
  e.project_growth.setConstant(0.03);
  for (auto& p : in.policy) {
    p.indexation.percentage = true;
    p.cut.active = true;
  }
  return in;
}

/// The context and scenario of an input.
inline std::pair<context_ptr, scenario> split(const projection_input& in) {
  scenario s;
  s.economy = in.economy;
  return {make_context(in.base, in.policy, in.claims, in.mortality, in.years), s};
}

/// Every array of two results is identical, bit for bit.
inline bool same_bits(const projection_result& a, const projection_result& b) {
  auto v = [](const Vector& x, const Vector& y) {
    return x.size() == y.size() && (x.array() == y.array()).all();
  };
  return a.start_year == b.start_year && a.years == b.years && a.cities == b.cities &&
         v(a.opening, b.opening) && v(a.contributions, b.contributions) &&
         v(a.project_premiums, b.project_premiums) && v(a.interest, b.interest) &&
         v(a.other_income, b.other_income) && v(a.revenue, b.revenue) &&
         v(a.expenditure, b.expenditure) && v(a.closing, b.closing) && v(a.reserve, b.reserve) &&
         v(a.months_of_payment, b.months_of_payment) && v(a.payg_cost_rate, b.payg_cost_rate) &&
         v(a.current_balance_ratio, b.current_balance_ratio) && v(a.phased_cut, b.phased_cut) &&
         v(a.covered_payroll, b.covered_payroll) && v(a.insured, b.insured) &&
         v(a.avg_monthly_wage, b.avg_monthly_wage) &&
         v(a.disposable_income_prev, b.disposable_income_prev) &&
         v(a.fiscal_advance, b.fiscal_advance) && v(a.advance_repayment, b.advance_repayment) &&
         v(a.advance_outstanding, b.advance_outstanding) && v(a.major_accident, b.major_accident) &&
         v(a.reserve_use, b.reserve_use) && v(a.rate_multiplier, b.rate_multiplier) &&
         v(a.benefit_avg_wage, b.benefit_avg_wage) && a.city_revenue == b.city_revenue &&
         a.city_expenditure == b.city_expenditure && a.insured_ck == b.insured_ck &&
         a.payroll_ck == b.payroll_ck && a.contributions_ck == b.contributions_ck &&
         a.rate_ck == b.rate_ck && a.injuries_ck == b.injuries_ck && a.in_payment == b.in_payment &&
         a.new_awards == b.new_awards && a.deaths == b.deaths;
}

}  // namespace wifund::testing
