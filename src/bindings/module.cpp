// The private extension module wifund._core. Each area registers itself from its own TU
// (bind_<area>.cpp, as in boost-histogram's register_*.cpp) into its own submodule
// (_core.core, _core.axes, _core.life, _core.policy, _core.fund, _core.reserving,
// _core.forecast, _core.budget). The stubs are python/wifund/_core/<area>.pyi.
//
// Each submodule is also entered in sys.modules as "wifund._core.<area>", so that
// `import wifund._core.fund`, `from wifund._core.fund import Context` and pickle (which finds a
// class by its __module__, here "wifund._core.fund") work although _core is not a package.
#include <string>

#include "bindings.hpp"

namespace py = pybind11;

namespace {
void add_submodule(py::module_& m, const char* name, const char* doc, void (*bind)(py::module_&)) {
  py::module_ sub = m.def_submodule(name, doc);
  py::module_::import("sys").attr("modules")[py::str(sub.attr("__name__"))] = sub;
  bind(sub);
}
}  // namespace

PYBIND11_MODULE(_core, m) {
  namespace wb = wifund::bindings;
  m.doc() = "wifund C++ core (private; use the wifund package)";
#ifdef WIFUND_VERSION
  m.attr("__version__") = WIFUND_VERSION;
#endif
  add_submodule(m, "core", "Exception types of the core (core/errors.hpp)", wb::bind_core);
  add_submodule(m, "axes", "Names and order of every axis (core/axes.hpp)", wb::bind_axes);
  add_submodule(m, "life", "Life tables, annuities and model points (life/)", wb::bind_life);
  add_submodule(m, "policy", "Benefit, contribution and reserve rules (policy/)", wb::bind_policy);
  add_submodule(m, "fund", "Projection context, scenarios and the projection (fund/)",
                wb::bind_fund);
  add_submodule(m, "reserving", "Claims reserving kernels (private; use wifund.reserving)",
                wb::bind_reserving);
  add_submodule(m, "forecast", "ETS, trends and backtests (forecast/)", wb::bind_forecast);
  add_submodule(m, "budget",
                "Budget execution, variance decomposition and responsibility sharing (budget/)",
                wb::bind_budget);
  add_submodule(m, "valuation", "Valuation of benefits in payment, financing values (valuation/)",
                wb::bind_valuation);
  add_submodule(m, "stochastic", "Monte Carlo generator and kernel (stochastic/)",
                wb::bind_stochastic);
  add_submodule(m, "ratesetting", "Experience rating of employers (ratesetting/)",
                wb::bind_ratesetting);
}
