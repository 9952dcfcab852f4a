// Bindings for include/wifund/policy/: benefit rules and formulas, resolved policy years.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "wifund/policy/benefits.hpp"
#include "wifund/policy/policy_year.hpp"
#include "wifund/policy/rate_schedule.hpp"
#include "wifund/policy/retirement.hpp"

namespace py = pybind11;

namespace wifund::bindings {
void bind_policy(py::module_& m) {
  py::class_<benefit_rules>(m, "BenefitRules")
      .def(py::init<>())
      .def_readwrite("lump_sum_months", &benefit_rules::lump_sum_months)
      .def_readwrite("allowance_rate", &benefit_rules::allowance_rate)
      .def_readwrite("minimum_wage_floor", &benefit_rules::minimum_wage_floor)
      .def_readwrite("retirement_topup", &benefit_rules::retirement_topup)
      .def_readwrite("care_rate", &benefit_rules::care_rate)
      .def_readwrite("funeral_months", &benefit_rules::funeral_months)
      .def_readwrite("death_grant_multiple", &benefit_rules::death_grant_multiple)
      .def_readwrite("spouse_rate", &benefit_rules::spouse_rate)
      .def_readwrite("other_rate", &benefit_rules::other_rate)
      .def_readwrite("lone_extra", &benefit_rules::lone_extra)
      .def_readwrite("dependant_cap", &benefit_rules::dependant_cap)
      .def_readwrite("medical_subsidy_months", &benefit_rules::medical_subsidy_months)
      .def_readwrite("hospital_food_per_day", &benefit_rules::hospital_food_per_day)
      .def_readwrite("base_clamp", &benefit_rules::base_clamp);

  py::enum_<CareLevel>(m, "CareLevel")
      .value("full", CareLevel::full)
      .value("major", CareLevel::major)
      .value("partial", CareLevel::partial);

  m.def("own_wage", &own_wage, py::arg("contribution_wage"), py::arg("avg_monthly_wage"),
        py::arg("rules"));
  m.def("disability_lump_sum", &disability_lump_sum, py::arg("grade"), py::arg("own_wage"),
        py::arg("rules"));
  m.def("disability_allowance", &disability_allowance, py::arg("grade"), py::arg("own_wage"),
        py::arg("min_wage"), py::arg("rules"));
  m.def("retirement_topup", &retirement_topup, py::arg("allowance"), py::arg("pension"),
        py::arg("rules"));
  m.def("care_allowance", &care_allowance, py::arg("level"), py::arg("avg_monthly_wage"),
        py::arg("rules"));
  m.def("funeral_grant", &funeral_grant, py::arg("avg_monthly_wage"), py::arg("rules"));
  m.def("death_grant", &death_grant, py::arg("disposable_income"), py::arg("rules"));
  m.def("medical_subsidy", &medical_subsidy, py::arg("grade"), py::arg("avg_monthly_wage"),
        py::arg("rules"));
  m.def(
      "dependant_pensions",
      [](double own, const std::vector<std::pair<bool, bool>>& people, const benefit_rules& r) {
        std::vector<dependant> ds;
        for (auto [spouse, lone] : people) ds.push_back({spouse, lone});
        return dependant_pensions(own, ds, r);
      },
      py::arg("own_wage"), py::arg("dependants"), py::arg("rules"),
      "dependants: list of (is_spouse, is_orphan_or_lone_elderly) pairs");

  py::class_<phased_cut_rule>(m, "PhasedCutRule")
      .def(py::init<>())
      .def_readwrite("active", &phased_cut_rule::active)
      .def_readwrite("lower_months", &phased_cut_rule::lower_months)
      .def_readwrite("upper_months", &phased_cut_rule::upper_months)
      .def_readwrite("lower_cut", &phased_cut_rule::lower_cut)
      .def_readwrite("upper_cut", &phased_cut_rule::upper_cut)
      .def_readwrite("take_up", &phased_cut_rule::take_up)
      .def_readwrite("stop_months", &phased_cut_rule::stop_months)
      .def_readwrite("year_share", &phased_cut_rule::year_share);
  py::class_<rate_review_rule>(m, "RateReviewRule",
                               "以支定收 rate review (条例 Art. 8; policy/rate_schedule.hpp)")
      .def(py::init<>())
      .def_readwrite("active", &rate_review_rule::active)
      .def_readwrite("band_low", &rate_review_rule::band_low)
      .def_readwrite("band_high", &rate_review_rule::band_high)
      .def_readwrite("first_year", &rate_review_rule::first_year)
      .def_readwrite("cycle_years", &rate_review_rule::cycle_years)
      .def_readwrite("step", &rate_review_rule::step)
      .def_readwrite("floor", &rate_review_rule::floor)
      .def_readwrite("cap", &rate_review_rule::cap)
      .def_readwrite("lag_years", &rate_review_rule::lag_years);
  m.def("is_review_year", &is_review_year, py::arg("rule"), py::arg("year"));
  m.def("reviewed_multiplier", &reviewed_multiplier, py::arg("multiplier"),
        py::arg("months_of_payment"), py::arg("rule"));
  m.attr("max_review_lag") = max_review_lag;
  // Statutory retirement age under 国发〔2024〕18号 (policy/retirement.hpp); group 0 male, 1 female
  // cadre, 2 female worker (the Python layer maps the names).
  m.def(
      "retirement_age_months",
      [](int birth_year, int birth_month, int group) {
        if (group < 0 || group > 2)
          throw invalid_input("retirement_age_months: group = " + std::to_string(group) +
                              " must be 0, 1 or 2");
        return retirement_age_months(birth_year, birth_month, static_cast<retirement_group>(group));
      },
      py::arg("birth_year"), py::arg("birth_month"), py::arg("group"));
  m.def("minimum_contribution_years", &minimum_contribution_years, py::arg("year"));
  m.def("family_cap_scale", &family_cap_scale, py::arg("spouses"), py::arg("others"),
        py::arg("lone"), py::arg("own_wage"), py::arg("cap_wage"), py::arg("rules"));
  m.def("phased_cut", &phased_cut, py::arg("months_of_payment"), py::arg("rule"));

  py::class_<increment_event>(m, "IncrementEvent")
      .def(py::init<>())
      .def_readwrite("effective_year", &increment_event::effective_year)
      .def_readwrite("cutoff_year", &increment_event::cutoff_year)
      .def_readwrite("allowance", &increment_event::allowance)
      .def_readwrite("care", &increment_event::care)
      .def_readwrite("spouse", &increment_event::spouse)
      .def_readwrite("other", &increment_event::other)
      .def_readwrite("lone_extra", &increment_event::lone_extra)
      .def_readwrite("exclude_retired", &increment_event::exclude_retired)
      .def_readwrite("floor", &increment_event::floor)
      .def_readwrite("floor_topup", &increment_event::floor_topup)
      .def_readwrite("legacy_subsidy", &increment_event::legacy_subsidy);

  py::class_<indexation_rule>(m, "IndexationRule")
      .def(py::init<>())
      .def_readwrite("percentage", &indexation_rule::percentage)
      .def_readwrite("allowance_wage_weight", &indexation_rule::allowance_wage_weight)
      .def_readwrite("dependant_wage_weight", &indexation_rule::dependant_wage_weight)
      .def_readwrite("care_follows_wage", &indexation_rule::care_follows_wage)
      .def_readwrite("flat_by_grade", &indexation_rule::flat_by_grade)
      .def_readwrite("by_grade_allowance_rate", &indexation_rule::by_grade_allowance_rate)
      .def_readwrite("by_grade_care_rate", &indexation_rule::by_grade_care_rate)
      .def_readwrite("by_grade_dependant_rate", &indexation_rule::by_grade_dependant_rate)
      .def_readwrite("exclude_retired", &indexation_rule::exclude_retired);

  py::enum_<ReserveBase>(m, "ReserveBase")
      .value("contributions", ReserveBase::contributions)
      .value("expenditure", ReserveBase::expenditure)
      .value("balance", ReserveBase::balance);
  py::class_<reserve_rule>(m, "ReserveRule")
      .def(py::init<>())
      .def_readwrite("ratio", &reserve_rule::ratio)
      .def_readwrite("base", &reserve_rule::base)
      .def_readwrite("cap_ratio", &reserve_rule::cap_ratio)
      .def_readwrite("advance_repaid", &reserve_rule::advance_repaid);

  py::class_<policy_year>(m, "PolicyYear")
      .def(py::init<>())
      .def_readwrite("year", &policy_year::year)
      .def_readwrite("base_rate", &policy_year::base_rate)
      .def_readwrite("cut", &policy_year::cut)
      .def_readwrite("project_rate", &policy_year::project_rate)
      .def_readwrite("benefits", &policy_year::benefits)
      .def_readwrite("prevention_cap", &policy_year::prevention_cap)
      .def_readwrite("reserve", &policy_year::reserve)
      .def_readwrite("rate_review", &policy_year::rate_review)
      .def_readwrite("indexation", &policy_year::indexation)
      .def_readwrite("increments", &policy_year::increments)
      .def_readwrite("retirement_age", &policy_year::retirement_age);
}
}  // namespace wifund::bindings
