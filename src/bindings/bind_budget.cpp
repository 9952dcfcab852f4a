// Bindings for include/wifund/budget/: the submodule wifund._core.budget (execution table and
// outturn, Shapley / LMDI decomposition, banded sharing). Arrays are cast and their shapes checked
// with the GIL held; the kernels run with the GIL released.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <sstream>

#include "bindings.hpp"
#include "wifund/budget/decompose.hpp"
#include "wifund/budget/execution.hpp"
#include "wifund/budget/sharing.hpp"

namespace py = pybind11;

namespace wifund::bindings {
namespace {

using dvec = py::array_t<double, py::array::c_style | py::array::forcecast>;
using ivec = py::array_t<int, py::array::c_style | py::array::forcecast>;
using bvec = py::array_t<unsigned char, py::array::c_style | py::array::forcecast>;

void expect_shape(const char* fn, const char* name, const py::array& a,
                  std::vector<py::ssize_t> shape) {
  bool ok = a.ndim() == static_cast<py::ssize_t>(shape.size());
  for (std::size_t i = 0; ok && i < shape.size(); ++i)
    ok = a.shape(static_cast<py::ssize_t>(i)) == shape[i];
  if (!ok) {
    std::ostringstream os;
    os << fn << ": " << name << " has shape (";
    for (py::ssize_t i = 0; i < a.ndim(); ++i) os << (i ? ", " : "") << a.shape(i);
    os << "), expected (";
    for (std::size_t i = 0; i < shape.size(); ++i) os << (i ? ", " : "") << shape[i];
    os << ")";
    throw invalid_input(os.str());
  }
}

template <typename T>
py::array_t<T> owned(const std::vector<T>& v) {
  py::array_t<T> out(static_cast<py::ssize_t>(v.size()));
  std::copy(v.begin(), v.end(), out.mutable_data());
  return out;
}

py::dict execution_table(const dvec& actual, const bvec& complete, const bvec& has_last,
                         const dvec& annual, const dvec& adjusted, const dvec& monthly,
                         const ivec& kind, int as_of) {
  constexpr const char* fn = "execution_table";
  if (actual.ndim() != 4)
    throw invalid_input("execution_table: actual must be 4-d (city, line, year, month)");
  const py::ssize_t C = actual.shape(0), L = actual.shape(1), Y = actual.shape(2);
  expect_shape(fn, "actual", actual, {C, L, Y, 12});
  expect_shape(fn, "complete", complete, {C, Y});
  expect_shape(fn, "has_last", has_last, {C});
  expect_shape(fn, "annual", annual, {C, L});
  expect_shape(fn, "adjusted", adjusted, {C, L});
  expect_shape(fn, "monthly", monthly, {C, L, 12});
  expect_shape(fn, "kind", kind, {L});
  budget::execution_input in;
  in.cities = static_cast<int>(C);
  in.lines = static_cast<int>(L);
  in.years = static_cast<int>(Y);
  in.as_of = as_of;
  in.actual = actual.data();
  in.complete = complete.data();
  in.has_last = has_last.data();
  in.annual = annual.data();
  in.adjusted = adjusted.data();
  in.monthly = monthly.data();
  in.kind = kind.data();
  budget::execution_result r;
  {
    py::gil_scoped_release release;
    r = budget::execution_table(in);
  }
  py::dict d;
  const std::pair<const char*, const std::vector<double>*> cols[] = {
      {"annual_budget", &r.annual},
      {"adjusted_budget", &r.adjusted},
      {"period_actual", &r.period},
      {"cumulative_actual", &r.cumulative},
      {"same_period_last_year", &r.last_year},
      {"budget_to_date", &r.budget_to_date},
      {"outturn", &r.outturn},
      {"outturn_low", &r.outturn_low},
      {"outturn_high", &r.outturn_high}};
  for (const auto& [name, v] : cols) d[name] = owned(*v);
  d["n_years"] = owned(r.n_years);
  d["method"] = owned(r.method);
  d["last_year_missing"] = owned(r.last_year_missing);
  return d;
}

py::array_t<double> decompose(const dvec& x0, const dvec& x1, const std::string& method) {
  if (x0.ndim() != 2) throw invalid_input("decompose: x0 must be 2-d (unit, factor)");
  expect_shape("decompose", "x1", x1, {x0.shape(0), x0.shape(1)});
  if (method != "shapley" && method != "lmdi")
    throw invalid_input("decompose: method = '" + method + "' must be 'shapley' or 'lmdi'");
  const int n = static_cast<int>(x0.shape(0)), k = static_cast<int>(x0.shape(1));
  std::vector<double> out;
  {
    py::gil_scoped_release release;
    out = method == "shapley" ? budget::shapley_multiplicative(x0.data(), x1.data(), n, k)
                              : budget::lmdi_multiplicative(x0.data(), x1.data(), n, k);
  }
  py::array_t<double> a({static_cast<py::ssize_t>(n), static_cast<py::ssize_t>(k)});
  std::copy(out.begin(), out.end(), a.mutable_data());
  return a;
}

py::dict share_shortfall(const dvec& gap, const dvec& budget_gap, const dvec& reference,
                         const bvec& surplus, const dvec& management,
                         const budget::sharing_rule& rule) {
  const py::ssize_t n = gap.size();
  for (const auto& [name, a] : {std::pair<const char*, const py::array*>{"budget_gap", &budget_gap},
                                {"reference", &reference},
                                {"surplus", &surplus},
                                {"management", &management}})
    expect_shape("share_shortfall", name, *a, {n});
  budget::sharing_input in{static_cast<int>(n), gap.data(),     budget_gap.data(),
                           reference.data(),    surplus.data(), management.data()};
  budget::sharing_result r;
  {
    py::gil_scoped_release release;
    r = budget::share_shortfall(in, rule);
  }
  py::dict d;
  const std::pair<const char*, const std::vector<double>*> cols[] = {
      {"deviation", &r.deviation},
      {"within_local", &r.within_local},
      {"excess_local", &r.excess_local},
      {"gap_local", &r.gap_local},
      {"gap_province", &r.gap_province},
      {"management_local", &r.management_local},
      {"management_province", &r.management_province},
      {"reward", &r.reward},
      {"share", &r.share}};
  for (const auto& [name, v] : cols) d[name] = owned(*v);
  d["band"] = owned(r.band);
  return d;
}

}  // namespace

void bind_budget(py::module_& m) {
  m.attr("max_shapley_factors") = budget::max_shapley_factors;
  m.def("execution_table", &execution_table, py::arg("actual"), py::arg("complete"),
        py::arg("has_last"), py::arg("annual"), py::arg("adjusted"), py::arg("monthly"),
        py::arg("kind"), py::arg("as_of"),
        "Execution sums and projected outturn; rows (C + 1) x (L + 2), province first, totals last "
        "per block.");
  m.def("decompose", &decompose, py::arg("x0"), py::arg("x1"), py::arg("method") = "shapley",
        "Exact decomposition of prod(x1) - prod(x0) per row into one part per factor (Shapley or "
        "LMDI-I).");
  py::class_<budget::sharing_rule>(m, "SharingRule")
      .def(py::init<>())
      .def_readwrite("management_local", &budget::sharing_rule::management_local)
      .def_readwrite("local_surplus", &budget::sharing_rule::local_surplus)
      .def_readwrite("local_deficit", &budget::sharing_rule::local_deficit)
      .def_readwrite("bands", &budget::sharing_rule::bands)
      .def_readwrite("band_local", &budget::sharing_rule::band_local)
      .def_readwrite("marginal", &budget::sharing_rule::marginal)
      .def_readwrite("floor", &budget::sharing_rule::floor)
      .def_readwrite("cap", &budget::sharing_rule::cap)
      .def_readwrite("reward", &budget::sharing_rule::reward);
  m.def("share_shortfall", &share_shortfall, py::arg("gap"), py::arg("budget_gap"),
        py::arg("reference"), py::arg("surplus"), py::arg("management"), py::arg("rule"),
        "Local and provincial parts of each city's gap under a banded rule.");
}

}  // namespace wifund::bindings
