#pragma once
// Private declarations shared by the binding translation units: one bind_<area>() per folder of
// include/wifund/, each called once from module.cpp with its submodule _core.<area> (so a new
// m.def in bind_<area>.cpp lands in _core.<area>; add its stub to python/wifund/_core/<area>.pyi).
#include <pybind11/pybind11.h>

#include "wifund/fund/context.hpp"

namespace wifund::bindings {
/// The Python-side handle of an immutable context (_core.fund.Context; also taken by
/// _core.stochastic).
struct py_context {
  context_ptr ptr;
};
void bind_core(pybind11::module_& m);
void bind_axes(pybind11::module_& m);
void bind_life(pybind11::module_& m);
void bind_policy(pybind11::module_& m);
void bind_fund(pybind11::module_& m);
void bind_reserving(pybind11::module_& m);
void bind_forecast(pybind11::module_& m);
void bind_budget(pybind11::module_& m);
void bind_valuation(pybind11::module_& m);
void bind_stochastic(pybind11::module_& m);
void bind_ratesetting(pybind11::module_& m);
}  // namespace wifund::bindings
