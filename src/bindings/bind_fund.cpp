// Bindings for include/wifund/fund/ (and the claims/economy inputs it takes): the projection.
// Inputs are cast and validated with the GIL held; the projection itself runs with the GIL released.
#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "wifund/fund/projection.hpp"

namespace py = pybind11;

namespace wifund::bindings {
namespace {

using ivec = py::array_t<int, py::array::c_style | py::array::forcecast>;
using dvec = py::array_t<double, py::array::c_style | py::array::forcecast>;

py::array_t<double> to_array(const std::vector<double>& v, std::vector<py::ssize_t> shape) {
  py::array_t<double> out(shape);
  std::copy(v.begin(), v.end(), out.mutable_data());
  return out;
}

/// Builds the cohort vector from column arrays (one element per cohort).
std::vector<cohort> make_cohorts(const ivec& city, const ivec& kind, const ivec& grade, const ivec& care_level,
                                 const ivec& sex, const ivec& age, const dvec& count, const dvec& amount,
                                 const dvec& pension, const ivec& award_year, const ivec& retired, const ivec& lone) {
  const auto n = city.size();
  for (const py::array* a : {static_cast<const py::array*>(&kind), static_cast<const py::array*>(&grade),
                             static_cast<const py::array*>(&care_level), static_cast<const py::array*>(&sex),
                             static_cast<const py::array*>(&age), static_cast<const py::array*>(&count),
                             static_cast<const py::array*>(&amount), static_cast<const py::array*>(&pension),
                             static_cast<const py::array*>(&award_year), static_cast<const py::array*>(&retired),
                             static_cast<const py::array*>(&lone)})
    if (a->size() != n) throw invalid_input("make_cohorts: all columns must have the same length");
  std::vector<cohort> out(static_cast<std::size_t>(n));
  for (py::ssize_t i = 0; i < n; ++i) {
    auto& c = out[static_cast<std::size_t>(i)];
    c.city = city.at(i);
    const int k = kind.at(i);
    if (k < 0 || k >= n_benefit_kinds) throw invalid_input("make_cohorts: kind " + std::to_string(k) + " is unknown");
    c.kind = static_cast<BenefitKind>(k);
    c.grade = grade.at(i);
    c.care_level = care_level.at(i);
    c.sex = sex.at(i) == 0 ? Sex::male : Sex::female;
    c.age = age.at(i);
    c.count = count.at(i);
    c.monthly_amount = amount.at(i);
    c.pension = pension.at(i);
    c.award_year = award_year.at(i);
    c.retired = retired.at(i) != 0;
    c.lone = lone.at(i) != 0;
  }
  return out;
}

py::dict result_to_dict(const projection_result& r) {
  py::dict d;
  d["start_year"] = r.start_year;
  d["years"] = r.years;
  d["cities"] = r.cities;
  const std::pair<const char*, const Vector*> fund[] = {
      {"opening", &r.opening}, {"contributions", &r.contributions}, {"project_premiums", &r.project_premiums},
      {"interest", &r.interest}, {"other_income", &r.other_income}, {"revenue", &r.revenue},
      {"expenditure", &r.expenditure}, {"closing", &r.closing}, {"reserve", &r.reserve},
      {"months_of_payment", &r.months_of_payment}, {"payg_cost_rate", &r.payg_cost_rate},
      {"current_balance_ratio", &r.current_balance_ratio}, {"phased_cut", &r.phased_cut},
      {"covered_payroll", &r.covered_payroll}, {"insured", &r.insured}, {"avg_monthly_wage", &r.avg_monthly_wage},
      {"disposable_income_prev", &r.disposable_income_prev}};
  for (const auto& [name, v] : fund) d[name] = py::array_t<double>(v->size(), v->data());
  const py::ssize_t C = r.cities, T = r.years;
  d["city_revenue"] = to_array(r.city_revenue, {C + 1, T, n_revenue_items});
  d["city_expenditure"] = to_array(r.city_expenditure, {C + 1, T, n_expenditure_items});
  d["insured_ck"] = to_array(r.insured_ck, {C, n_risk_classes, T});
  d["payroll_ck"] = to_array(r.payroll_ck, {C, n_risk_classes, T});
  d["contributions_ck"] = to_array(r.contributions_ck, {C, n_risk_classes, T});
  d["rate_ck"] = to_array(r.rate_ck, {C, n_risk_classes, T});
  d["injuries_ck"] = to_array(r.injuries_ck, {C, n_risk_classes, T});
  d["in_payment"] = to_array(r.in_payment, {C, n_benefit_kinds, T});
  d["new_awards"] = to_array(r.new_awards, {C, n_benefit_kinds, T});
  d["deaths"] = to_array(r.deaths, {C, T});
  return d;
}

}  // namespace

void bind_fund(py::module_& m) {
  m.attr("revenue_items") = py::cast(std::vector<std::string>(revenue_items.begin(), revenue_items.end()));
  m.attr("expenditure_items") = py::cast(std::vector<std::string>(expenditure_items.begin(), expenditure_items.end()));
  m.attr("benefit_kinds") = py::cast(std::vector<std::string>{"allowance", "care", "spouse", "child", "parent"});

  py::class_<mortality_basis>(m, "MortalityBasis")
      .def(py::init<life_table, life_table, life_table, life_table>(), py::arg("disabled_male"),
           py::arg("disabled_female"), py::arg("dependant_male"), py::arg("dependant_female"));

  py::class_<economy_paths>(m, "EconomyPaths")
      .def(py::init<>())
      .def_readwrite("wage_growth", &economy_paths::wage_growth)
      .def_readwrite("employment_growth", &economy_paths::employment_growth)
      .def_readwrite("coverage_growth", &economy_paths::coverage_growth)
      .def_readwrite("collection_rate", &economy_paths::collection_rate)
      .def_readwrite("minimum_wage", &economy_paths::minimum_wage)
      .def_readwrite("cpi", &economy_paths::cpi)
      .def_readwrite("medical_inflation", &economy_paths::medical_inflation)
      .def_readwrite("interest_rate", &economy_paths::interest_rate)
      .def_readwrite("disposable_income_growth", &economy_paths::disposable_income_growth)
      .def_readwrite("project_growth", &economy_paths::project_growth)
      .def_readwrite("other_income", &economy_paths::other_income)
      .def_readwrite("prevention_share", &economy_paths::prevention_share);

  py::class_<claims_assumptions>(m, "ClaimsAssumptions")
      .def(py::init<>())
      .def_readwrite("incidence", &claims_assumptions::incidence)
      .def_readwrite("grade_share", &claims_assumptions::grade_share)
      .def_readwrite("death_share", &claims_assumptions::death_share)
      .def_readwrite("care_share", &claims_assumptions::care_share)
      .def_readwrite("termination_share", &claims_assumptions::termination_share)
      .def_readwrite("medical_cost", &claims_assumptions::medical_cost)
      .def_readwrite("rehabilitation_cost", &claims_assumptions::rehabilitation_cost)
      .def_readwrite("device_cost", &claims_assumptions::device_cost)
      .def_readwrite("appraisal_fee", &claims_assumptions::appraisal_fee)
      .def_readwrite("appraisal_share", &claims_assumptions::appraisal_share)
      .def_readwrite("hospital_days", &claims_assumptions::hospital_days)
      .def_readwrite("payment_pattern", &claims_assumptions::payment_pattern)
      .def_readwrite("entry_ages", &claims_assumptions::entry_ages)
      .def_readwrite("entry_age_weights", &claims_assumptions::entry_age_weights)
      .def_readwrite("male_share", &claims_assumptions::male_share)
      .def_readwrite("spouses_per_death", &claims_assumptions::spouses_per_death)
      .def_readwrite("children_per_death", &claims_assumptions::children_per_death)
      .def_readwrite("parents_per_death", &claims_assumptions::parents_per_death)
      .def_readwrite("spouse_age_offset", &claims_assumptions::spouse_age_offset)
      .def_readwrite("child_age", &claims_assumptions::child_age)
      .def_readwrite("parent_age", &claims_assumptions::parent_age)
      .def_readwrite("lone_share", &claims_assumptions::lone_share)
      .def_readwrite("retirement_pension_ratio", &claims_assumptions::retirement_pension_ratio)
      .def_readwrite("disabled_mortality_load", &claims_assumptions::disabled_mortality_load)
      .def_readwrite("dependant_mortality_load", &claims_assumptions::dependant_mortality_load);

  py::class_<province_base>(m, "ProvinceBase")
      .def(py::init<>())
      .def_readwrite("base_year", &province_base::base_year)
      .def_readwrite("cities", &province_base::cities)
      .def_readwrite("insured", &province_base::insured)
      .def_readwrite("wage", &province_base::wage)
      .def_readwrite("avg_float", &province_base::avg_float)
      .def_readwrite("project_value", &province_base::project_value)
      .def_readwrite("opening_balance", &province_base::opening_balance)
      .def_readwrite("opening_reserve", &province_base::opening_reserve)
      .def_readwrite("base_expenditure", &province_base::base_expenditure)
      .def_readwrite("base_contributions", &province_base::base_contributions)
      .def_readwrite("disposable_income", &province_base::disposable_income)
      .def_property_readonly("n_beneficiary_cohorts",
                             [](const province_base& b) { return b.beneficiaries.size(); })
      .def("set_beneficiaries",
           [](province_base& b, const ivec& city, const ivec& kind, const ivec& grade, const ivec& care_level,
              const ivec& sex, const ivec& age, const dvec& count, const dvec& amount, const dvec& pension,
              const ivec& award_year, const ivec& retired, const ivec& lone) {
             b.beneficiaries = make_cohorts(city, kind, grade, care_level, sex, age, count, amount, pension,
                                            award_year, retired, lone);
           },
           py::arg("city"), py::arg("kind"), py::arg("grade"), py::arg("care_level"), py::arg("sex"),
           py::arg("age"), py::arg("count"), py::arg("monthly_amount"), py::arg("pension"), py::arg("award_year"),
           py::arg("retired"), py::arg("lone"));

  py::class_<projection_input>(m, "ProjectionInput")
      .def(py::init<>())
      .def_readwrite("base", &projection_input::base)
      .def_readwrite("policy", &projection_input::policy)
      .def_readwrite("economy", &projection_input::economy)
      .def_readwrite("claims", &projection_input::claims)
      .def_readwrite("mortality", &projection_input::mortality)
      .def_readwrite("years", &projection_input::years);

  m.def(
      "project",
      [](const projection_input& in) {
        projection_result r;
        {
          py::gil_scoped_release release;  // pure C++ from here: no Python objects touched
          r = project(in);
        }
        return result_to_dict(r);
      },
      py::arg("input"), "Runs one deterministic projection; returns a dict of numpy arrays.");
}
}  // namespace wifund::bindings
