// Bindings for include/wifund/valuation/: the valuation of benefits in payment and the financing
// values of a projection. Both take the flat projection input (_core.fund.ProjectionInput, built by
// wifund._bridge.build_input): its base's beneficiaries are the rows valued, its policy, claims,
// mortality and economy the basis. python/wifund/valuation.py does the checks and the tables.
#include <pybind11/eigen.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "wifund/fund/context.hpp"
#include "wifund/fund/projection.hpp"
#include "wifund/valuation/fast.hpp"
#include "wifund/valuation/financing.hpp"
#include "wifund/valuation/value.hpp"

namespace py = pybind11;

namespace wifund::bindings {
namespace {

context_ptr context_of(const projection_input& in) {
  return make_context(in.base, in.policy, in.claims, in.mortality, in.years);
}

scenario scenario_of(const projection_input& in, double incidence_multiplier) {
  scenario s;
  s.economy = in.economy;
  s.incidence_multiplier = incidence_multiplier;
  return s;
}

/// Whether every check of detail::validate_cohorts (fund/context.hpp) passes for `c`, without
/// building its messages (it builds about fifteen strings a row: 1 µs a row at a million rows).
bool cohort_passes(const cohort& c, int cities) {
  auto nonnegative = [](double v) { return v >= 0.0 && std::isfinite(v); };
  auto in = [](int v, int lo, int hi) { return v >= lo && v <= hi; };
  const bool graded = c.kind == BenefitKind::allowance || c.kind == BenefitKind::care;
  return in(c.city, 0, cities - 1) && in(c.age, 0, 120) && nonnegative(c.count) &&
         nonnegative(c.monthly_amount) && nonnegative(c.pension) &&
         (!graded || in(c.grade, grade::first, grade::last_allowance)) &&
         (c.kind != BenefitKind::legacy_subsidy || in(c.grade, grade::first, grade::last)) &&
         nonnegative(c.own_wage) && nonnegative(c.cap_wage) &&
         (c.kind != BenefitKind::care || in(c.care_level, 0, n_care_levels - 1)) &&
         (c.kind != BenefitKind::allowance || c.retired || in(c.birth_year, 1880, 2200)) &&
         in(c.birth_month, 1, 12) && in(c.group, retirement_group_unset, 2) &&
         c.pension_share >= 0.0 && c.pension_share <= 1.0;
}

/// Runs `value(x, e, beneficiaries, o)` on the input's context and economic paths, without the GIL.
/// The context is built without the beneficiaries (checked as make_context checks them, with its
/// messages): the paths do not depend on them (valuation_economy_of), and the projection that
/// computes the paths would otherwise roll every row valued for the context's 50 years. The rows
/// are moved out of the input while the base is copied, and back.
template <class Value>
auto valued(projection_input& in, const std::vector<double>& discount, int max_years, bool per_row,
            Value&& value) {
  std::vector<cohort> rows;
  rows.swap(in.base.beneficiaries);
  struct put_back {
    std::vector<cohort>& from;
    std::vector<cohort>& to;
    ~put_back() { to.swap(from); }
  } restore{rows, in.base.beneficiaries};
  const int cities = static_cast<int>(in.base.cities.size());
  for (const cohort& c : rows)
    if (!cohort_passes(c, cities)) {
      detail::validate_cohorts("make_context", "beneficiaries", rows, in.base);
      break;
    }
  const auto x = make_context(in.base, in.policy, in.claims, in.mortality, in.years);
  const scenario s = scenario_of(in, 0.0);
  validate(*x, s);
  valuation_options o;
  o.discount = discount;
  o.max_years = max_years;
  o.per_row = per_row;
  py::gil_scoped_release release;
  const valuation_economy e = valuation_economy_of(*x, s);
  return value(*x, e, rows, o);
}

}  // namespace

void bind_valuation(py::module_& m) {
  m.attr("items") = [] {
    std::vector<std::string> v;
    for (int i : valuation_items) v.emplace_back(expenditure_items[static_cast<std::size_t>(i)]);
    return v;
  }();
  m.def(
      "value",
      [](projection_input& in, int start_index, const std::vector<double>& discount, int max_years,
         bool per_row, int end_index) {
        const valuation_result r =
            valued(in, discount, max_years, per_row,
                   [&](const auto& x, const auto& e, const auto& b, const auto& o) {
                     return value_cohorts(x, e, b, start_index, o, end_index);
                   });
        py::dict d;
        d["pv"] = r.pv;
        d["cash"] = r.cash;
        d["discount_factor"] = r.discount_factor;
        return d;
      },
      py::arg("input"), py::arg("start_index"), py::arg("discount"), py::arg("max_years") = 150,
      py::arg("per_row") = true, py::arg("end_index") = -1,
      "Present values (rows or cities x items) at 1 January of year start_index of the input's "
      "beneficiaries, the yearly cash flows (years x items) and the discount factors (mid-year).");
  m.def(
      "value_fast",
      [](projection_input& in, int start_index, const std::vector<double>& discount, int max_years,
         int end_index, bool per_row) {
        fast_valuation_result r =
            valued(in, discount, max_years, per_row,
                   [&](const auto& x, const auto& e, const auto& b, const auto& o) {
                     return value_cohorts_fast(x, e, b, start_index, o, end_index);
                   });
        py::dict d;
        d["pv"] = py::cast(std::move(r.pv));  // moved, not copied (40 MB at 1,000,000 rows)
        d["pv_by_kind"] = r.pv_by_kind;
        d["cash"] = r.cash;
        d["discount_factor"] = r.discount_factor;
        d["distinct_rows"] = r.distinct_rows;
        d["dependant_bases"] = r.dependant_bases;
        return d;
      },
      py::arg("input"), py::arg("start_index"), py::arg("discount"), py::arg("max_years") = 150,
      py::arg("end_index") = -1, py::arg("per_row") = true,
      "The fast path (valuation/fast.hpp): the per-row present values of value(per_row=True) "
      "(rows x items; 0 rows if not per_row), by city x kind paid, the yearly cash flows, the "
      "discount factors, and the numbers of distinct rows and of dependant bases rolled.");
  m.def(
      "financing",
      [](const projection_input& in, const std::vector<double>& discount, int max_years,
         int end_index, double incidence_multiplier, const std::string& method) {
        const financing_method how = financing_method_of(method);
        const auto x = context_of(in);
        valuation_options o;
        o.discount = discount;
        o.max_years = max_years;
        financing_values r;
        {
          py::gil_scoped_release release;
          r = financing(*x, scenario_of(in, incidence_multiplier), o, end_index, how);
        }
        py::dict d;
        d["liability_end"] = r.liability_end;
        d["award_capital"] = r.award_capital;
        d["liability_start"] = r.liability_start;
        d["cash"] = r.cash;
        return d;
      },
      py::arg("input"), py::arg("discount"), py::arg("max_years") = 150, py::arg("end_index") = -1,
      py::arg("incidence_multiplier") = 1.0, py::arg("method") = "pass",
      "Liability at each year end and capital value at 1 January of each year's long-term awards "
      "(years x items), the stock's liability at 1 January of the first year (1 x items) and, with "
      "method 'pass' (one roll of the book tagged by vintage, the default), the book's "
      "undiscounted "
      "payments by year from the first (years x items; 'roll', the reference: a roll to extinction "
      "at every year end, no rows).");
}

}  // namespace wifund::bindings
