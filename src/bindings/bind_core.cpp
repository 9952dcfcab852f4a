// Exception translation: wifund::invalid_input derives from std::invalid_argument and so reaches
// Python as ValueError through pybind11's built-in translator; convergence_error gets its own type.
#include <pybind11/pybind11.h>

#include "bindings.hpp"
#include "wifund/core/errors.hpp"

namespace py = pybind11;

namespace wifund::bindings {
void bind_core(py::module_& m) {
  static py::exception<wifund::convergence_error> exc(m, "ConvergenceError", PyExc_RuntimeError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const wifund::convergence_error& e) {
      py::set_error(exc, e.what());
    }
  });
}
}  // namespace wifund::bindings
