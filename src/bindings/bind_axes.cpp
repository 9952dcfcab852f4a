// Bindings for include/wifund/core/axes.hpp: the names of every axis, exported once. The Python
// package (wifund.province, wifund.projection, wifund.benefits) reads its lists from here.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>
#include <vector>

#include "bindings.hpp"
#include "wifund/core/axes.hpp"

namespace py = pybind11;

namespace wifund::bindings {
namespace {
template <std::size_t N>
std::vector<std::string> names(const std::array<std::string_view, N>& a) {
  return {a.begin(), a.end()};
}
}  // namespace

void bind_axes(py::module_& m) {
  m.attr("revenue_items") = py::cast(names(revenue_items));
  m.attr("expenditure_items") = py::cast(names(expenditure_items));
  m.attr("short_term_items") =
      py::cast(std::vector<std::string>(expenditure_items.begin() + item::first_short_term,
                                        expenditure_items.begin() + item::end_short_term));
  m.attr("risk_classes") = py::cast(names(risk_class_names));
  m.attr("benefit_kinds") = py::cast(names(benefit_kind_names));
  m.attr("care_levels") = py::cast(names(care_level_names));
  m.attr("sexes") = py::cast(names(sex_names));
  m.attr("disability_grades") = py::make_tuple(grade::first, grade::last);
}
}  // namespace wifund::bindings
