#pragma once
// Deterministic annual projection of a provincial work-injury insurance fund under provincial
// pooling with unified collection and expenditure (省级统筹, 统收统支), city by city and risk
// class by class. The shape (README "Layout and design"):
//
//   make_context(base, policy years, claims, mortality, years) -> context   (validated once,
//   immutable) scenario {economic paths, rate and incidence multipliers}              (validated
//   per run, cheaply) initial_state(context) | state_at_year_end(context, actuals) -> state
//   project(context, scenario, sink) = for j: step(context, scenario, j, state, sink)
//   (fund/step.hpp) sinks: full_result_sink (every array), fund_summary_sink (provincial vectors
//   only)
//
// A pure function of its inputs: no globals, no Python, no hidden state; one context can be
// projected from any number of threads at once.
#include <cstddef>
#include <utility>
#include <vector>

#include "wifund/claims/assumptions.hpp"
#include "wifund/core/parallel.hpp"
#include "wifund/economy/paths.hpp"
#include "wifund/fund/context.hpp"
#include "wifund/fund/province_base.hpp"
#include "wifund/fund/scenario.hpp"
#include "wifund/fund/sinks.hpp"
#include "wifund/fund/state.hpp"
#include "wifund/fund/step.hpp"
#include "wifund/policy/policy_year.hpp"

namespace wifund {

/// Projects from `state` (its next year) to the horizon into `sink`.
template <class Sink>
void project_from(const projection_context& x, const scenario& s, projection_state state,
                  Sink& sink) {
  validate(x, s);
  sink.start(x, state.next_index);
  for (int j = state.next_index; j < x.years; ++j) step(x, s, j, state, sink);
}

/// Projects from the base-year end to the horizon into `sink`.
template <class Sink>
void project(const projection_context& x, const scenario& s, Sink& sink) {
  project_from(x, s, initial_state(x), sink);
}

/// Every array of the projection.
[[nodiscard]] inline projection_result project(const projection_context& x, const scenario& s) {
  projection_result r;
  full_result_sink sink(r);
  project(x, s, sink);
  return r;
}

/// The provincial vectors only.
[[nodiscard]] inline fund_summary project_summary(const projection_context& x, const scenario& s) {
  fund_summary r;
  fund_summary_sink sink(r);
  project(x, s, sink);
  return r;
}

/// Fund summaries of many scenarios: one S x T matrix per vector of fund_summary_names.
struct fund_summaries {
  int start_year = 0, years = 0;
  std::array<Matrix, n_fund_summary> values;  ///< in the order of fund_summary_names
};

/// Projects n scenarios, scenario_at(i) for i = 0..n-1, from the same context on up to `threads`
/// threads (<= 0: one per core). Each scenario writes only its own rows, so the result does not
/// depend on the thread count or the scheduling; the context is only read.
template <class ScenarioAt>
[[nodiscard]] fund_summaries project_many(const projection_context& x, std::size_t n, int threads,
                                          ScenarioAt&& scenario_at) {
  fund_summaries out;
  out.start_year = x.start_year();
  out.years = x.years;
  for (auto& m : out.values) m = Matrix::Zero(static_cast<Eigen::Index>(n), x.years);
  parallel_for(static_cast<std::ptrdiff_t>(n), threads, [&](std::ptrdiff_t i) {
    std::array<double*, n_fund_summary> rows{};
    for (std::size_t v = 0; v < rows.size(); ++v)
      rows[v] = out.values[v].row(i).data();  // row-major: contiguous
    fund_summary_sink sink(rows);
    project(x, scenario_at(static_cast<std::size_t>(i)), sink);
  });
  return out;
}

[[nodiscard]] inline fund_summaries project_many(const projection_context& x,
                                                 const std::vector<scenario>& scenarios,
                                                 int threads) {
  return project_many(x, scenarios.size(), threads,
                      [&](std::size_t i) -> const scenario& { return scenarios[i]; });
}

/// One flat input (the context's parts and one scenario's paths): the simple way in for a single
/// run.
struct projection_input {
  province_base base;
  std::vector<policy_year> policy;  ///< one per projection year
  economy_paths economy;
  claims_assumptions claims;
  mortality_basis mortality;
  int years = 30;
};

/// Projects the fund for `in.years` years after the base year. Throws invalid_input on bad input.
[[nodiscard]] inline projection_result project(const projection_input& in) {
  const auto x = make_context(in.base, in.policy, in.claims, in.mortality, in.years);
  scenario s;
  s.economy = in.economy;
  return project(*x, s);
}

}  // namespace wifund
