// The private extension module wifund._core. Each area registers itself from its own TU
// (bind_<area>.cpp), as in boost-histogram's register_*.cpp.
#include "bindings.hpp"

PYBIND11_MODULE(_core, m) {
  m.doc() = "wifund C++ core (private; use the wifund package)";
#ifdef WIFUND_VERSION
  m.attr("__version__") = WIFUND_VERSION;
#endif
  wifund::bindings::bind_core(m);
  wifund::bindings::bind_axes(m);
  wifund::bindings::bind_life(m);
  wifund::bindings::bind_policy(m);
  wifund::bindings::bind_fund(m);
  wifund::bindings::bind_reserving(m);
  wifund::bindings::bind_forecast(m);
  wifund::bindings::bind_budget(m);
}
