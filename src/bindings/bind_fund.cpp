// Bindings for include/wifund/fund/ (and the claims/economy inputs it takes): the projection
// context, scenarios, the projection through either sink, and project_many. Inputs are cast and
// validated with the GIL held; the projections themselves run with the GIL released. A Context
// holds a shared_ptr<const projection_context>: Python threads (and the C++ threads of
// project_many) share it read-only, without copies.
#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <iterator>

#include "bindings.hpp"
#include "wifund/budget/draft.hpp"
#include "wifund/fund/context_io.hpp"
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
/// birth_year, birth_month and group (retirement_group, -1: split women by female_cadre_share) are
/// the columns of the 2025 retirement rule (claims/cohort.hpp).
std::vector<cohort> make_cohorts(const ivec& city, const ivec& kind, const ivec& grade,
                                 const ivec& care_level, const ivec& sex, const ivec& age,
                                 const dvec& count, const dvec& amount, const dvec& pension,
                                 const ivec& award_year, const ivec& retired, const ivec& lone,
                                 const ivec& birth_year, const ivec& birth_month,
                                 const ivec& group) {
  const auto n = city.size();
  for (const py::array* a :
       {static_cast<const py::array*>(&birth_year), static_cast<const py::array*>(&birth_month),
        static_cast<const py::array*>(&group)})
    if (a->size() != n) throw invalid_input("make_cohorts: all columns must have the same length");
  for (const py::array* a :
       {static_cast<const py::array*>(&kind), static_cast<const py::array*>(&grade),
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
    if (k < 0 || k >= n_benefit_kinds)
      throw invalid_input("make_cohorts: kind " + std::to_string(k) + " is unknown");
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
    c.birth_year = birth_year.at(i);
    c.birth_month = birth_month.at(i);
    c.group = group.at(i);
  }
  return out;
}

/// The optional stock columns (None: not given): own_wage and cap_wage of allowance rows (Art. 39
/// ¶3, 0 = reconstructed), pay_from_month of deferred dependants (0 = in payment).
void set_cohort_extras(std::vector<cohort>& cohorts, const py::object& own_wage,
                       const py::object& cap_wage, const py::object& pay_from_month) {
  const auto n = static_cast<py::ssize_t>(cohorts.size());
  auto column = [&](const py::object& o, auto setter, auto tag) {
    if (o.is_none()) return;
    const auto v = o.cast<decltype(tag)>();
    if (v.size() != n) throw invalid_input("make_cohorts: all columns must have the same length");
    for (py::ssize_t i = 0; i < n; ++i) setter(cohorts[static_cast<std::size_t>(i)], v.at(i));
  };
  column(
      own_wage, [](cohort& c, double x) { c.own_wage = x; }, dvec{});
  column(
      cap_wage, [](cohort& c, double x) { c.cap_wage = x; }, dvec{});
  column(
      pay_from_month, [](cohort& c, int x) { c.pay_from_month = x; }, ivec{});
}

/// set_beneficiaries(city, kind, ...) of a class holding a `beneficiaries` cohort stock
/// (ProvinceBase, YearEndActuals): one column per cohort field, the optional ones None.
template <class T>
void def_set_beneficiaries(py::class_<T>& cls) {
  cls.def(
      "set_beneficiaries",
      [](T& t, const ivec& city, const ivec& kind, const ivec& grade, const ivec& care_level,
         const ivec& sex, const ivec& age, const dvec& count, const dvec& amount,
         const dvec& pension, const ivec& award_year, const ivec& retired, const ivec& lone,
         const ivec& birth_year, const ivec& birth_month, const ivec& group,
         const py::object& own_wage, const py::object& cap_wage, const py::object& pay_from_month) {
        t.beneficiaries =
            make_cohorts(city, kind, grade, care_level, sex, age, count, amount, pension,
                         award_year, retired, lone, birth_year, birth_month, group);
        set_cohort_extras(t.beneficiaries, own_wage, cap_wage, pay_from_month);
      },
      py::arg("city"), py::arg("kind"), py::arg("grade"), py::arg("care_level"), py::arg("sex"),
      py::arg("age"), py::arg("count"), py::arg("monthly_amount"), py::arg("pension"),
      py::arg("award_year"), py::arg("retired"), py::arg("lone"), py::arg("birth_year"),
      py::arg("birth_month"), py::arg("group"), py::arg("own_wage") = py::none(),
      py::arg("cap_wage") = py::none(), py::arg("pay_from_month") = py::none());
}

py::dict result_to_dict(const projection_result& r) {
  py::dict d;
  d["start_year"] = r.start_year;
  d["years"] = r.years;
  d["cities"] = r.cities;
  const std::pair<const char*, const Vector*> fund[] = {
      {"opening", &r.opening},
      {"contributions", &r.contributions},
      {"project_premiums", &r.project_premiums},
      {"interest", &r.interest},
      {"other_income", &r.other_income},
      {"revenue", &r.revenue},
      {"expenditure", &r.expenditure},
      {"closing", &r.closing},
      {"reserve", &r.reserve},
      {"months_of_payment", &r.months_of_payment},
      {"payg_cost_rate", &r.payg_cost_rate},
      {"current_balance_ratio", &r.current_balance_ratio},
      {"phased_cut", &r.phased_cut},
      {"covered_payroll", &r.covered_payroll},
      {"insured", &r.insured},
      {"avg_monthly_wage", &r.avg_monthly_wage},
      {"disposable_income_prev", &r.disposable_income_prev},
      {"fiscal_advance", &r.fiscal_advance},
      {"advance_repayment", &r.advance_repayment},
      {"advance_outstanding", &r.advance_outstanding},
      {"major_accident", &r.major_accident},
      {"reserve_use", &r.reserve_use},
      {"rate_multiplier", &r.rate_multiplier},
      {"benefit_avg_wage", &r.benefit_avg_wage}};
  for (const auto& [name, v] : fund) d[name] = py::array_t<double>(v->size(), v->data());
  const py::ssize_t C = r.cities, T = r.years;
  d["city_revenue"] = to_array(r.city_revenue, {C + 1, T, revenue_item::count});
  d["city_expenditure"] = to_array(r.city_expenditure, {C + 1, T, item::count});
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

py::dict summary_to_dict(const fund_summary& s) {
  py::dict d;
  d["start_year"] = s.start_year;
  d["years"] = s.years;
  const Vector* v[] = {&s.revenue,        &s.expenditure,       &s.closing,
                       &s.reserve,        &s.months_of_payment, &s.phased_cut,
                       &s.payg_cost_rate, &s.fiscal_advance,    &s.advance_outstanding,
                       &s.rate_multiplier};
  static_assert(std::size(v) == n_fund_summary);
  for (std::size_t i = 0; i < fund_summary_names.size(); ++i)
    d[py::str(std::string(fund_summary_names[i]))] =
        py::array_t<double>(v[i]->size(), v[i]->data());
  return d;
}

enum class sink_kind { full, summary };

sink_kind parse_sink(const std::string& s) {
  if (s == "full") return sink_kind::full;
  if (s == "summary") return sink_kind::summary;
  throw invalid_input("project: sink = '" + s + "' must be 'full' or 'summary'");
}

py::tuple economy_state(const economy_paths& e) {
  return py::make_tuple(e.wage_growth, e.employment_growth, e.coverage_growth, e.collection_rate,
                        e.minimum_wage, e.cpi, e.medical_inflation, e.interest_rate,
                        e.disposable_income_growth, e.project_growth, e.other_income,
                        e.prevention_share, e.major_accident_cost, e.avg_wage_prev);
}

economy_paths economy_from_state(const py::tuple& t) {
  if (t.size() != 14) throw invalid_input("EconomyPaths: bad pickled state");
  economy_paths e;
  e.wage_growth = t[0].cast<Matrix>();
  e.employment_growth = t[1].cast<Matrix>();
  e.coverage_growth = t[2].cast<Matrix>();
  e.collection_rate = t[3].cast<Matrix>();
  e.minimum_wage = t[4].cast<Matrix>();
  e.cpi = t[5].cast<Vector>();
  e.medical_inflation = t[6].cast<Vector>();
  e.interest_rate = t[7].cast<Vector>();
  e.disposable_income_growth = t[8].cast<Vector>();
  e.project_growth = t[9].cast<Vector>();
  e.other_income = t[10].cast<Vector>();
  e.prevention_share = t[11].cast<Vector>();
  e.major_accident_cost = t[12].cast<Vector>();
  e.avg_wage_prev = t[13].cast<Vector>();
  return e;
}

}  // namespace

void bind_fund(py::module_& m) {
  m.attr("context_format_version") = context_format_version;
  m.attr("fund_summary_vectors") =
      py::cast(std::vector<std::string>(fund_summary_names.begin(), fund_summary_names.end()));

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
      .def_readwrite("prevention_share", &economy_paths::prevention_share)
      .def_readwrite("major_accident_cost", &economy_paths::major_accident_cost)
      .def_readwrite("avg_wage_prev", &economy_paths::avg_wage_prev)
      .def(py::pickle([](const economy_paths& e) { return economy_state(e); },
                      [](const py::tuple& t) { return economy_from_state(t); }));

  py::class_<scenario>(
      m, "Scenario",
      "What varies between runs of one Context: the economic paths and the solvers' overrides "
      "(rate_multiplier by class, incidence_multiplier).")
      .def(py::init([](const economy_paths& e,
                       const std::array<double, risk_class::count>& rate_multiplier,
                       double incidence_multiplier) {
             scenario s;
             s.economy = e;
             s.rate_multiplier = rate_multiplier;
             s.incidence_multiplier = incidence_multiplier;
             return s;
           }),
           py::arg("economy"),
           py::arg("rate_multiplier") =
               std::array<double, risk_class::count>{1, 1, 1, 1, 1, 1, 1, 1, 1},
           py::arg("incidence_multiplier") = 1.0)
      .def_readwrite("economy", &scenario::economy)
      .def_readwrite("rate_multiplier", &scenario::rate_multiplier)
      .def_readwrite("incidence_multiplier", &scenario::incidence_multiplier)
      .def_readwrite("override_rate_review", &scenario::override_rate_review)
      .def_readwrite("rate_review", &scenario::rate_review)
      .def_readwrite("claim_multiplier", &scenario::claim_multiplier)
      .def_readwrite("severity_multiplier", &scenario::severity_multiplier)
      .def_readwrite("catastrophe_deaths", &scenario::catastrophe_deaths)
      .def(py::pickle(
          [](const scenario& s) {
            const auto& r = s.rate_review;
            return py::make_tuple(
                economy_state(s.economy), s.rate_multiplier, s.incidence_multiplier,
                s.override_rate_review,
                py::make_tuple(r.active, r.band_low, r.band_high, r.first_year, r.cycle_years,
                               r.step, r.floor, r.cap, r.lag_years),
                s.claim_multiplier, s.severity_multiplier, s.catastrophe_deaths);
          },
          [](const py::tuple& t) {
            if (t.size() != 5 && t.size() != 8) throw invalid_input("Scenario: bad pickled state");
            scenario s;
            s.economy = economy_from_state(t[0].cast<py::tuple>());
            s.rate_multiplier = t[1].cast<std::array<double, risk_class::count>>();
            s.incidence_multiplier = t[2].cast<double>();
            s.override_rate_review = t[3].cast<bool>();
            const auto r = t[4].cast<py::tuple>();
            s.rate_review = {r[0].cast<bool>(),   r[1].cast<double>(), r[2].cast<double>(),
                             r[3].cast<int>(),    r[4].cast<int>(),    r[5].cast<double>(),
                             r[6].cast<double>(), r[7].cast<double>(), r[8].cast<int>()};
            if (t.size() == 8) {  // the Monte Carlo inputs (stochastic/generator.hpp)
              s.claim_multiplier = t[5].cast<Matrix>();
              s.severity_multiplier = t[6].cast<Vector>();
              s.catastrophe_deaths = t[7].cast<Matrix>();
            }
            return s;
          }));

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
      .def_readwrite("family_spouses", &claims_assumptions::family_spouses)
      .def_readwrite("family_children", &claims_assumptions::family_children)
      .def_readwrite("family_parents", &claims_assumptions::family_parents)
      .def_readwrite("family_weights", &claims_assumptions::family_weights)
      .def_readwrite("dependant_incapacity_share", &claims_assumptions::dependant_incapacity_share)
      .def_readwrite("spouse_exit_hazard", &claims_assumptions::spouse_exit_hazard)
      .def_readwrite("female_cadre_share", &claims_assumptions::female_cadre_share)
      .def_readwrite("pension_qualify_at_15", &claims_assumptions::pension_qualify_at_15)
      .def_readwrite("pension_qualify_at_20", &claims_assumptions::pension_qualify_at_20)
      .def_readwrite("spouse_age_offset", &claims_assumptions::spouse_age_offset)
      .def_readwrite("child_age", &claims_assumptions::child_age)
      .def_readwrite("parent_age", &claims_assumptions::parent_age)
      .def_readwrite("lone_share", &claims_assumptions::lone_share)
      .def_readwrite("retirement_pension_ratio", &claims_assumptions::retirement_pension_ratio)
      .def_readwrite("disabled_mortality_load", &claims_assumptions::disabled_mortality_load)
      .def_readwrite("dependant_mortality_load", &claims_assumptions::dependant_mortality_load);

  auto province_base_class =
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
                                 [](const province_base& b) { return b.beneficiaries.size(); });
  def_set_beneficiaries(province_base_class);

  py::class_<projection_input>(m, "ProjectionInput")
      .def(py::init<>())
      .def_readwrite("base", &projection_input::base)
      .def_readwrite("policy", &projection_input::policy)
      .def_readwrite("economy", &projection_input::economy)
      .def_readwrite("claims", &projection_input::claims)
      .def_readwrite("mortality", &projection_input::mortality)
      .def_readwrite("years", &projection_input::years);

  py::class_<py_context>(
      m, "Context",
      "What does not vary between scenarios (base data, resolved policy years, claims basis, "
      "mortality, horizon): validated once by make_context, immutable, shared between "
      "threads without copies, picklable (versioned).")
      .def_property_readonly("years", [](const py_context& c) { return c.ptr->years; })
      .def_property_readonly("start_year", [](const py_context& c) { return c.ptr->start_year(); })
      .def_property_readonly("cities", [](const py_context& c) { return c.ptr->base.cities; })
      .def_property_readonly("n_beneficiary_cohorts",
                             [](const py_context& c) { return c.ptr->base.beneficiaries.size(); })
      .def_property_readonly("format_version",
                             [](const py_context&) { return context_format_version; })
      .def(
          "to_bytes", [](const py_context& c) { return py::bytes(save_context(*c.ptr)); },
          "The context as versioned bytes (the pickle payload; also read by the C++ benchmark).")
      .def_static(
          "from_bytes",
          [](const py::bytes& b) { return py_context{load_context(std::string_view(b))}; },
          py::arg("data"))
      .def(
          "with_claims",
          [](const py_context& c, const claims_assumptions& claims) {
            const auto& x = *c.ptr;
            return py_context{make_context(x.base, x.policy, claims, x.mortality, x.years)};
          },
          py::arg("claims"),
          "A new context with another claims basis (everything else shared by value).")
      .def(py::pickle(
          [](const py_context& c) {
            return py::make_tuple(context_format_version, py::bytes(save_context(*c.ptr)));
          },
          [](const py::tuple& t) {
            if (t.size() != 2) throw invalid_input("Context: bad pickled state");
            const auto version = t[0].cast<std::uint32_t>();
            if (version != context_format_version)
              throw invalid_input("Context: pickled with format version " +
                                  std::to_string(version) + ", this wifund reads version " +
                                  std::to_string(context_format_version));
            return py_context{load_context(std::string_view(t[1].cast<py::bytes>()))};
          }));

  m.def(
      "make_context",
      [](const province_base& base, const std::vector<policy_year>& policy,
         const claims_assumptions& claims, const mortality_basis& mortality,
         int years) { return py_context{make_context(base, policy, claims, mortality, years)}; },
      py::arg("base"), py::arg("policy"), py::arg("claims"), py::arg("mortality"), py::arg("years"),
      "Builds and validates a projection context once (raises ValueError naming field, city, "
      "class, year).");

  auto year_end_actuals_class =
      py::class_<year_end_actuals>(
          m, "YearEndActuals",
          "Actual figures at a year end, to start a projection from what really happened.")
          .def(py::init<>())
          .def_readwrite("year", &year_end_actuals::year)
          .def_readwrite("balance", &year_end_actuals::balance)
          .def_readwrite("reserve", &year_end_actuals::reserve)
          .def_readwrite("insured", &year_end_actuals::insured)
          .def_readwrite("wage", &year_end_actuals::wage)
          .def_readwrite("project_value", &year_end_actuals::project_value)
          .def_readwrite("expenditure", &year_end_actuals::expenditure)
          .def_readwrite("contributions", &year_end_actuals::contributions)
          .def_readwrite("disposable_income", &year_end_actuals::disposable_income)
          .def_readwrite("medical_index", &year_end_actuals::medical_index)
          .def_readwrite("advance_outstanding", &year_end_actuals::advance_outstanding)
          .def_readwrite("rate_multiplier", &year_end_actuals::rate_multiplier);
  def_set_beneficiaries(year_end_actuals_class);

  m.def(
      "year_end_state",
      [](const py_context& c, const scenario& s, int year) {
        py::gil_scoped_release release;
        return year_end_from_projection(*c.ptr, s, year);
      },
      py::arg("context"), py::arg("scenario"), py::arg("year"),
      "The projection's state at the end of year (base year .. horizon - 1) as YearEndActuals: "
      "project(context, scenario, actuals=year_end_state(context, scenario, y)) continues the "
      "projection from y + 1 (the budget draft's start, wifund.budget.draft).");

  m.def(
      "project",
      [](const py_context& c, const scenario& s, const std::string& sink,
         const year_end_actuals* actuals) {
        const sink_kind kind = parse_sink(sink);
        const projection_context& x = *c.ptr;
        projection_result full;
        fund_summary summary;
        {
          py::gil_scoped_release release;  // pure C++ from here: the context is shared read-only
          projection_state st = actuals ? state_at_year_end(x, *actuals) : initial_state(x);
          if (kind == sink_kind::full) {
            full_result_sink out(full);
            project_from(x, s, std::move(st), out);
          } else {
            fund_summary_sink out(summary);
            project_from(x, s, std::move(st), out);
          }
        }
        return kind == sink_kind::full ? result_to_dict(full) : summary_to_dict(summary);
      },
      py::arg("context"), py::arg("scenario"), py::arg("sink") = "full",
      py::arg("actuals") = nullptr,
      "Projects one scenario of a context. sink='full' returns every array (as project(input)); "
      "sink='summary' only the provincial vectors. With actuals, starts from that year end.");

  m.def(
      "project_many",
      [](const py_context& c, const std::vector<const scenario*>& scenarios, int threads) {
        for (std::size_t i = 0; i < scenarios.size(); ++i)
          if (scenarios[i] == nullptr)
            throw invalid_input("project_many: scenario " + std::to_string(i) + " is None");
        fund_summaries out;
        {
          py::gil_scoped_release release;
          out = project_many(*c.ptr, scenarios.size(), threads,
                             [&](std::size_t i) -> const scenario& { return *scenarios[i]; });
        }
        py::dict d;
        d["start_year"] = out.start_year;
        d["years"] = out.years;
        for (std::size_t v = 0; v < fund_summary_names.size(); ++v)
          d[py::str(std::string(fund_summary_names[v]))] = py::cast(std::move(out.values[v]));
        return d;
      },
      py::arg("context"), py::arg("scenarios"), py::arg("threads") = 1,
      "Fund summaries of many scenarios of one context (S x T arrays), on `threads` threads; the "
      "result "
      "does not depend on the thread count.");

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
