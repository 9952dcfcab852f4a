// Bindings for include/wifund/life/: life tables and annuity factors.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "wifund/life/life_table.hpp"

namespace py = pybind11;

namespace wifund::bindings {
void bind_life(py::module_& m) {
  py::enum_<FractionalAge>(m, "FractionalAge")
      .value("udd", FractionalAge::udd)
      .value("woolhouse", FractionalAge::woolhouse);

  py::class_<life_table>(m, "LifeTable")
      .def(py::init<std::string, int, std::vector<double>>(), py::arg("name"), py::arg("min_age"),
           py::arg("qx"))
      .def_property_readonly("name", &life_table::name)
      .def_property_readonly("min_age", &life_table::min_age)
      .def_property_readonly("max_age", &life_table::max_age)
      .def("q", &life_table::q, py::arg("age"), py::arg("load") = 1.0)
      .def("npx", &life_table::npx, py::arg("x"), py::arg("n"), py::arg("load") = 1.0)
      .def("curtate_expectancy", &life_table::curtate_expectancy, py::arg("x"), py::arg("load") = 1.0)
      .def("annuity_due", &life_table::annuity_due, py::arg("x"), py::arg("i"), py::arg("load") = 1.0)
      .def("whole_life_insurance", &life_table::whole_life_insurance, py::arg("x"), py::arg("i"),
           py::arg("load") = 1.0)
      .def("annuity_due_mthly", &life_table::annuity_due_mthly, py::arg("x"), py::arg("i"),
           py::arg("m"), py::arg("method") = FractionalAge::udd, py::arg("load") = 1.0);
}
}  // namespace wifund::bindings
