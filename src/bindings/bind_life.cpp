// Bindings for include/wifund/life/: life tables, their adjustments, annuity and assurance factors
// and the model-point valuation. The vectorised entry points take flat, already broadcast arrays
// (python/wifund/life.py does the numpy broadcasting and the type checks); the convention strings
// are mapped to the C++ enums here so that an unknown one is a ValueError naming the allowed
// values. Arrays are cast with the GIL held; the GIL is released only around the pure C++ work, and
// a C++ exception thrown there re-acquires it on unwinding before pybind11 translates it.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "bindings.hpp"
#include "wifund/life/adjust.hpp"
#include "wifund/life/annuity.hpp"
#include "wifund/life/life_table.hpp"
#include "wifund/life/model_points.hpp"

namespace py = pybind11;

namespace wifund::bindings {
namespace {
using array_d = py::array_t<double, py::array::c_style | py::array::forcecast>;
using array_i = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;

FractionalAge parse_fractional(const std::string& s) {
  if (s == "udd") return FractionalAge::udd;
  if (s == "woolhouse") return FractionalAge::woolhouse;
  if (s == "woolhouse3") return FractionalAge::woolhouse3;
  throw invalid_input("fractional = '" + s + "' is not one of 'udd', 'woolhouse', 'woolhouse3'");
}

WithinYear parse_within(const std::string& field, const std::string& s) {
  if (s == "udd") return WithinYear::udd;
  if (s == "constant_force") return WithinYear::constant_force;
  throw invalid_input(field + " = '" + s + "' is not one of 'udd', 'constant_force'");
}

/// Checks that every flat array has n elements (the Python layer broadcasts; this guards the C++).
std::size_t common_size(std::initializer_list<const py::array*> arrays) {
  const auto n = static_cast<std::size_t>((*arrays.begin())->size());
  for (const auto* a : arrays)
    if (static_cast<std::size_t>(a->size()) != n)
      throw invalid_input("life: flat argument arrays differ in length (" +
                          std::to_string(a->size()) + " vs " + std::to_string(n) + ")");
  return n;
}

void check_table_index(const std::vector<life_table>& tables, const array_i& idx) {
  const auto* p = idx.data();
  for (py::ssize_t k = 0; k < idx.size(); ++k)
    if (p[k] < 0 || static_cast<std::size_t>(p[k]) >= tables.size())
      throw invalid_input("life: table index " + std::to_string(p[k]) + " outside [0, " +
                          std::to_string(tables.size()) + ")");
}

py::array_t<double> to_array(const std::vector<double>& v) {
  return py::array_t<double>(static_cast<py::ssize_t>(v.size()), v.data());
}
}  // namespace

void bind_life(py::module_& m) {
  py::enum_<FractionalAge>(m, "FractionalAge")
      .value("udd", FractionalAge::udd)
      .value("woolhouse", FractionalAge::woolhouse)
      .value("woolhouse3", FractionalAge::woolhouse3);

  py::class_<life_table>(m, "LifeTable")
      .def(py::init<std::string, int, std::vector<double>>(), py::arg("name"), py::arg("min_age"),
           py::arg("qx"))
      .def_static("from_lx", &life_table::from_lx, py::arg("name"), py::arg("min_age"),
                  py::arg("lx"))
      .def_property_readonly("name", &life_table::name)
      .def_property_readonly("min_age", &life_table::min_age)
      .def_property_readonly("max_age", &life_table::max_age)
      .def_property_readonly("qx", [](const life_table& t) { return to_array(t.qx()); })
      .def(
          "lx", [](const life_table& t, double radix) { return to_array(t.lx(radix)); },
          py::arg("radix") = 100000.0)
      .def("q", &life_table::q, py::arg("age"), py::arg("load") = 1.0)
      .def("npx", &life_table::npx, py::arg("x"), py::arg("n"), py::arg("load") = 1.0)
      .def("curtate_expectancy", &life_table::curtate_expectancy, py::arg("x"),
           py::arg("load") = 1.0)
      .def("annuity_due", &life_table::annuity_due, py::arg("x"), py::arg("i"),
           py::arg("load") = 1.0)
      .def("whole_life_insurance", &life_table::whole_life_insurance, py::arg("x"), py::arg("i"),
           py::arg("load") = 1.0)
      .def("annuity_due_mthly", &life_table::annuity_due_mthly, py::arg("x"), py::arg("i"),
           py::arg("m"), py::arg("method") = FractionalAge::udd, py::arg("load") = 1.0)
      .def(py::pickle(
          [](const life_table& t) { return py::make_tuple(t.name(), t.min_age(), t.qx()); },
          [](const py::tuple& s) {
            return life_table(s[0].cast<std::string>(), s[1].cast<int>(),
                              s[2].cast<std::vector<double>>());
          }));

  // ---- adjustments: each returns a new table
  // ------------------------------------------------------
  m.def("life_multiply", &multiply, py::arg("table"), py::arg("factor"), py::arg("name") = "");
  m.def("life_multiply_band", &multiply_band, py::arg("table"), py::arg("factor"),
        py::arg("from_age"), py::arg("to_age"), py::arg("name") = "");
  m.def("life_set_forward", &set_forward, py::arg("table"), py::arg("years"), py::arg("name") = "");
  m.def("life_blend", &blend, py::arg("a"), py::arg("b"), py::arg("weight"), py::arg("name") = "");
  m.def("life_improve", &improve, py::arg("table"), py::arg("scale"), py::arg("birth_year"),
        py::arg("base_year"), py::arg("name") = "");

  // ---- vectorised functions over flat arrays
  // -----------------------------------------------------
  m.def(
      "life_survival",
      [](const std::vector<life_table>& tables, const array_i& idx, const array_i& x,
         const array_d& t, const std::string& within) {
        const auto n = common_size({&idx, &x, &t});
        check_table_index(tables, idx);
        const auto w = parse_within("fractional", within);
        std::vector<double> out;
        {
          py::gil_scoped_release release;
          out = survival_batch(tables, idx.data(), x.data(), t.data(), n, w);
        }
        return to_array(out);
      },
      py::arg("tables"), py::arg("table"), py::arg("x"), py::arg("t"), py::arg("fractional"));
  m.def(
      "life_expectancy",
      [](const std::vector<life_table>& tables, const array_i& idx, const array_i& x, bool complete,
         const std::string& within) {
        const auto n = common_size({&idx, &x});
        check_table_index(tables, idx);
        const auto w = parse_within("fractional", within);
        std::vector<double> out;
        {
          py::gil_scoped_release release;
          out = life_expectancy_batch(tables, idx.data(), x.data(), n, complete, w);
        }
        return to_array(out);
      },
      py::arg("tables"), py::arg("table"), py::arg("x"), py::arg("complete"),
      py::arg("fractional"));
  m.def(
      "life_annuity",
      [](const std::vector<life_table>& tables, const array_i& idx, const array_i& x,
         const array_d& rate, const array_d& term, const array_i& deferral,
         const array_d& escalation, int mm, const std::string& fractional, bool immediate,
         int threads) {
        const auto n = common_size({&idx, &x, &rate, &term, &deferral, &escalation});
        check_table_index(tables, idx);
        const auto method = parse_fractional(fractional);
        const annuity_batch_args a{
            idx.data(), x.data(), rate.data(), term.data(), deferral.data(), escalation.data(), n};
        std::vector<double> out;
        {
          py::gil_scoped_release release;
          out = annuity_batch(tables, a, mm, method, immediate, threads);
        }
        return to_array(out);
      },
      py::arg("tables"), py::arg("table"), py::arg("x"), py::arg("rate"), py::arg("term"),
      py::arg("deferral"), py::arg("escalation"), py::arg("m"), py::arg("fractional"),
      py::arg("immediate"), py::arg("threads") = 1);
  m.def(
      "life_assurance",
      [](const std::vector<life_table>& tables, const array_i& idx, const array_i& x,
         const array_d& rate, const array_d& n_years, bool whole_life, int threads) {
        const auto n = common_size({&idx, &x, &rate, &n_years});
        check_table_index(tables, idx);
        std::vector<double> out;
        {
          py::gil_scoped_release release;
          out = assurance_batch(tables, idx.data(), x.data(), rate.data(), n_years.data(), n,
                                whole_life, threads);
        }
        return to_array(out);
      },
      py::arg("tables"), py::arg("table"), py::arg("x"), py::arg("rate"), py::arg("n"),
      py::arg("whole_life"), py::arg("threads") = 1);
  m.def(
      "life_model_points",
      [](const life_table& t, const array_i& age, const array_i& term, const array_d& sum_assured,
         double rate, const std::string& within, int threads, bool by_year) {
        const auto n = common_size({&age, &term, &sum_assured});
        const auto w = parse_within("within_year", within);
        model_point_values r;
        {
          py::gil_scoped_release release;
          r = model_points(t, age.data(), term.data(), sum_assured.data(), n, rate, w, threads,
                           by_year);
        }
        return std::make_tuple(to_array(r.pv_annuity), to_array(r.pv_claims));
      },
      py::arg("table"), py::arg("age"), py::arg("term"), py::arg("sum_assured"), py::arg("rate"),
      py::arg("within_year"), py::arg("threads") = 1, py::arg("by_year") = true);
}
}  // namespace wifund::bindings
