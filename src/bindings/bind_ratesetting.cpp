// Bindings for include/wifund/ratesetting/: the submodule wifund._core.ratesetting (experience
// rating of employers under a float schedule). The schedule arrives as plain values (its TOML
// form is read and checked by python/wifund/ratesetting.py); columns as numpy arrays, cast and
// length-checked with the GIL held; the kernel runs with the GIL released.
#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "wifund/ratesetting/float_tiers.hpp"
#include "wifund/ratesetting/solve.hpp"

namespace py = pybind11;

namespace wifund::bindings {
namespace {

using dvec = py::array_t<double, py::array::c_style | py::array::forcecast>;
using ivec = py::array_t<int, py::array::c_style | py::array::forcecast>;
using bvec = py::array_t<unsigned char, py::array::c_style | py::array::forcecast>;
using uvec = py::array_t<std::uint32_t, py::array::c_style | py::array::forcecast>;

template <typename T>
py::array_t<T> owned(std::vector<T>&& v) {
  py::array_t<T> out(static_cast<py::ssize_t>(v.size()));
  std::copy(v.begin(), v.end(), out.mutable_data());
  return out;
}

template <typename A>
const typename A::value_type* column(const char* name, const A& a, py::ssize_t n) {
  if (a.ndim() != 1 || a.shape(0) != n)
    throw invalid_input(std::string("float_tiers: column ") + name + " has " +
                        std::to_string(a.ndim() == 1 ? a.shape(0) : -1) + " values, expected " +
                        std::to_string(n));
  return a.data();
}

py::dict float_tiers(const ivec& risk_class, const dvec& contributions, const dvec& benefits,
                     const dvec& injuries, const dvec& insured, const dvec& years_insured,
                     const std::optional<bvec>& zero_previous, const std::optional<uvec>& flags,
                     const std::optional<ivec>& current_tier, const std::optional<ivec>& group,
                     int groups, const std::vector<double>& ladder, int base_tier,
                     const std::vector<double>& ratio_edges, bool ratio_right_closed,
                     const std::vector<double>& incidence_edges, bool incidence_right_closed,
                     const std::vector<int>& grid, int zero_repeat_tier, int max_step,
                     bool class1_up_only, bool floor_class1_base, double min_years,
                     int no_contributions, std::uint32_t block_mask,
                     const std::vector<double>& base_rates) {
  if (risk_class.ndim() != 1) throw invalid_input("float_tiers: risk_class must be 1-d");
  const py::ssize_t n = risk_class.shape(0);
  if (no_contributions < 0 || no_contributions > 2)
    throw invalid_input("float_tiers: no_contributions must be 0 (top), 1 (base) or 2 (error)");
  ratesetting::float_schedule s;
  s.ladder = ladder;
  s.base_tier = base_tier;
  s.ratio = {ratio_edges, ratio_right_closed};
  s.incidence = {incidence_edges, incidence_right_closed};
  s.grid = grid;
  s.zero_repeat_tier = zero_repeat_tier;
  s.max_step = max_step;
  s.class1_up_only = class1_up_only;
  s.floor_class1_base = floor_class1_base;
  s.min_years = min_years;
  s.no_contributions = static_cast<ratesetting::no_contributions_rule>(no_contributions);
  s.block_mask = block_mask;
  s.base_rates = base_rates;
  ratesetting::float_input in;
  in.n = static_cast<std::size_t>(n);
  in.risk_class = risk_class.data();
  in.contributions = column("contributions", contributions, n);
  in.benefits = column("benefits", benefits, n);
  in.injuries = column("injuries", injuries, n);
  in.insured = column("insured", insured, n);
  in.years_insured = column("years_insured", years_insured, n);
  if (zero_previous) in.zero_previous = column("zero_previous_cycle", *zero_previous, n);
  if (flags) in.flags = column("flags", *flags, n);
  if (current_tier) in.current_tier = column("current_tier", *current_tier, n);
  if (group) {
    in.group = column("group", *group, n);
    in.groups = groups;
  }
  py::array_t<double> ratio(n), incidence(n), multiplier(n), rate(n);
  py::array_t<std::uint8_t> reason(n);
  ratesetting::float_output out{ratio.mutable_data(), incidence.mutable_data(),
                                multiplier.mutable_data(), rate.mutable_data(),
                                reason.mutable_data()};
  ratesetting::float_totals r;
  {
    py::gil_scoped_release release;
    r = ratesetting::float_tiers(s, in, out);
  }
  py::dict d;
  d["ratio"] = ratio;
  d["incidence"] = incidence;
  d["multiplier"] = multiplier;
  d["rate"] = rate;
  d["reason"] = reason;
  d["by_employers"] = owned(std::move(r.employers));
  d["by_contributions"] = owned(std::move(r.contributions));
  d["by_new_contributions"] = owned(std::move(r.new_contributions));
  return d;
}

using class_array = std::array<double, risk_class::count>;

ratesetting::rate_lever make_lever(int kind, int first_index, int last_index,
                                   const class_array& relativities) {
  if (kind < 0 || kind > 2)
    throw invalid_input("solve: lever kind = " + std::to_string(kind) +
                        " must be 0 (multiplier), 1 (class_rates) or 2 (cut_depth)");
  ratesetting::rate_lever l;
  l.kind = static_cast<ratesetting::lever_kind>(kind);
  l.first_index = first_index;
  l.last_index = last_index;
  l.relativities = relativities;
  return l;
}

ratesetting::evaluation_method make_method(int method) {
  if (method < 0 || method > 2)
    throw invalid_input("solve: method = " + std::to_string(method) +
                        " must be 0 (automatic), 1 (split) or 2 (engine)");
  return static_cast<ratesetting::evaluation_method>(method);
}

py::dict result_dict(const ratesetting::solve_result& r) {
  py::dict d;
  d["lever_value"] = r.lever_value;
  d["achieved"] = r.achieved;
  d["goal"] = r.goal;
  d["second"] = r.second;
  d["evaluations"] = r.evaluations;
  d["converged"] = r.converged;
  d["reachable"] = r.reachable;
  d["closest_lever"] = r.closest_lever;
  d["closest_achieved"] = r.closest_achieved;
  d["bracket_low"] = r.bracket_low;
  d["bracket_high"] = r.bracket_high;
  d["method"] = r.method;
  return d;
}

py::dict solve_fund(const py_context& c, const scenario& s, int lever_kind, int lever_first,
                    int lever_last, const class_array& relativities, int target_kind, double months,
                    double band_high, int first_index, int at_index, double lo, double hi,
                    double x_tol, int max_evaluations, int grid, int method,
                    double check_tolerance) {
  if (target_kind < 0 || target_kind > 3)
    throw invalid_input("solve: target kind = " + std::to_string(target_kind) + " must be 0..3");
  const auto lever = make_lever(lever_kind, lever_first, lever_last, relativities);
  ratesetting::fund_target t;
  t.kind = static_cast<ratesetting::target_kind>(target_kind);
  t.months = months;
  t.band_high = band_high;
  t.first_index = first_index;
  t.at_index = at_index;
  ratesetting::solve_result r;
  {
    py::gil_scoped_release release;
    r = ratesetting::solve(*c.ptr, s, lever, t, lo, hi, x_tol, max_evaluations, grid, 1e-11,
                           make_method(method), check_tolerance);
  }
  return result_dict(r);
}

py::dict evaluate(const py_context& c, const scenario& s, int lever_kind, int lever_first,
                  int lever_last, const class_array& relativities, double value, double reference) {
  const auto lever = make_lever(lever_kind, lever_first, lever_last, relativities);
  const projection_context& x = *c.ptr;
  ratesetting::detail::check_lever(x, lever);
  ratesetting::solver_summary f;
  {
    py::gil_scoped_release release;
    projection_context work = x;
    if (std::isnan(reference)) {
      ratesetting::apply_lever(x, work, lever, value);
      f = ratesetting::run_summary(work, s);
    } else {
      // the split evaluation: the benefit side of an engine run at `reference`, then `value`
      ratesetting::lever_evaluator e(x, s, ratesetting::evaluation_method::split);
      ratesetting::apply_lever(x, e.work(), lever, reference);
      (void)e();
      ratesetting::apply_lever(x, e.work(), lever, value);
      f = e();
    }
  }
  py::dict d;
  d["start_year"] = f.start_year;
  d["years"] = f.years;
  d["revenue"] = f.revenue;
  d["expenditure"] = f.expenditure;
  d["fiscal_advance"] = f.fiscal_advance;
  d["advance_repayment"] = f.advance_repayment;
  d["closing"] = f.closing;
  d["months_of_payment"] = f.months_of_payment;
  d["phased_cut"] = f.phased_cut;
  d["rate_multiplier"] = f.rate_multiplier;
  return d;
}

py::dict solve_probability(const scenario_generator& g, int lever_kind, int lever_first,
                           int lever_last, const class_array& relativities, double months,
                           int within, double at_most, std::uint64_t seed, std::size_t scenarios,
                           int threads, double lo, double hi, double x_tol, int max_evaluations,
                           int grid, int method, double check_tolerance,
                           double split_memory_limit) {
  const auto lever = make_lever(lever_kind, lever_first, lever_last, relativities);
  ratesetting::probability_target t{months, within, at_most, seed, scenarios, threads};
  const auto m = make_method(method);
  ratesetting::solve_result r;
  {
    py::gil_scoped_release release;
    r = ratesetting::solve_probability(g, lever, t, lo, hi, x_tol, max_evaluations, grid, m,
                                       check_tolerance, split_memory_limit);
  }
  return result_dict(r);
}

}  // namespace

void bind_ratesetting(py::module_& m) {
  m.def("float_tiers", &float_tiers, py::arg("risk_class"), py::arg("contributions"),
        py::arg("benefits"), py::arg("injuries"), py::arg("insured"), py::arg("years_insured"),
        py::arg("zero_previous").none(true), py::arg("flags").none(true),
        py::arg("current_tier").none(true), py::arg("group").none(true), py::arg("groups"),
        py::arg("ladder"), py::arg("base_tier"), py::arg("ratio_edges"),
        py::arg("ratio_right_closed"), py::arg("incidence_edges"),
        py::arg("incidence_right_closed"), py::arg("grid"), py::arg("zero_repeat_tier"),
        py::arg("max_step"), py::arg("class1_up_only"), py::arg("floor_class1_base"),
        py::arg("min_years"), py::arg("no_contributions"), py::arg("block_mask"),
        py::arg("base_rates"),
        "Tier, multiplier, rate and reason code of every employer under a float schedule, and "
        "the revenue effect by (group, class) (ratesetting/float_tiers.hpp).");
  m.def("solve", &solve_fund, py::arg("context"), py::arg("scenario"), py::arg("lever_kind"),
        py::arg("lever_first"), py::arg("lever_last"), py::arg("relativities"),
        py::arg("target_kind"), py::arg("months"), py::arg("band_high"), py::arg("first_index"),
        py::arg("at_index"), py::arg("lo"), py::arg("hi"), py::arg("x_tol") = 1e-12,
        py::arg("max_evaluations") = 100, py::arg("grid") = 8, py::arg("method") = 0,
        py::arg("check_tolerance") = 1e-12,
        "The lever value at which a deterministic target on the fund is met: a bracket on a grid "
        "of the bounds, then TOMS 748; the first evaluation an engine run, the others the "
        "rate-dependent part only (method 0: checked against the engine to check_tolerance, "
        "else the engine; 1: split unchecked; 2: the engine every time) (ratesetting/solve.hpp, "
        "split.hpp).");
  m.def("evaluate", &evaluate, py::arg("context"), py::arg("scenario"), py::arg("lever_kind"),
        py::arg("lever_first"), py::arg("lever_last"), py::arg("relativities"), py::arg("value"),
        py::arg("reference") = std::numeric_limits<double>::quiet_NaN(),
        "The solver's provincial vectors with the lever at one value: an engine run (reference "
        "NaN) or the split evaluation on the benefit side of an engine run at the lever value "
        "`reference` (ratesetting/solve.hpp apply_lever, split.hpp).");
  m.def("solve_probability", &solve_probability, py::arg("generator"), py::arg("lever_kind"),
        py::arg("lever_first"), py::arg("lever_last"), py::arg("relativities"), py::arg("months"),
        py::arg("within"), py::arg("at_most"), py::arg("seed"), py::arg("scenarios"),
        py::arg("threads"), py::arg("lo"), py::arg("hi"), py::arg("x_tol") = 1e-6,
        py::arg("max_evaluations") = 60, py::arg("grid") = 4, py::arg("method") = 0,
        py::arg("check_tolerance") = 1e-12, py::arg("split_memory_limit") = 4e9,
        "The lever value at which P(months of payment < months within N years) <= at_most: TOMS "
        "748 on the order statistic of the scenarios' lowest months with common random numbers, "
        "the scenarios split after one engine run of each (method as for solve; automatic: the "
        "engine when the split would keep more than split_memory_limit bytes) "
        "(ratesetting/solve.hpp).");
  m.attr("reason_blocked") = static_cast<int>(ratesetting::float_reason::blocked);
}

}  // namespace wifund::bindings
