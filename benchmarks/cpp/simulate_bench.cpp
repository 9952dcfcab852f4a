// The Monte Carlo kernel per scenario (issue #12 performance), lean (stochastic/lean.hpp: the
// stock rolled once per generator) against full (the engine's year step with the whole cohort
// book), on the very context Python built (wifund._bridge.build_context, the demo province and its
// default policy, 30 years), read from the file named by WIFUND_BENCH_CONTEXT (written by
// benchmarks/python/simulate_vs_numpy.py --context-file). The deterministic scenario is a flat one
// built here (wages +5 %, CPI 2 %, interest 2 %, minimum wages +4 % a year), the sources Poisson
// claim counts and catastrophes (rate 0.5 a year); 8 scenarios an iteration on one thread
// (items_per_second: scenarios a second; the time is of 8 scenarios). BM_LeanStockBuild: the
// once-per-generator roll of the stock.
//
//   WIFUND_BENCH_CONTEXT=build/bench/demo_context.bin build/dev/benchmarks/cpp/simulate_bench
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <memory>
#include <utility>
#include <sstream>
#include <string>

#include "wifund/fund/context_io.hpp"
#include "wifund/stochastic/simulate.hpp"

namespace {
using namespace wifund;

constexpr int per_iteration = 8;

std::shared_ptr<const projection_context> bench_context() {
  const char* path = std::getenv("WIFUND_BENCH_CONTEXT");
  if (path == nullptr) return nullptr;
  std::ostringstream bytes;
  bytes << std::ifstream(path, std::ios::binary).rdbuf();
  return load_context(bytes.str());
}

scenario flat_scenario(const projection_context& x) {
  const Eigen::Index C = x.cities(), T = x.years;
  scenario s;
  auto& e = s.economy;
  e.wage_growth = Matrix::Constant(C, T, 0.05);
  e.employment_growth = Matrix::Constant(C, T, 0.01);
  e.coverage_growth = Matrix::Zero(C, T);
  e.collection_rate = Matrix::Constant(C, T, 0.98);
  e.minimum_wage = Matrix(C, T);
  for (Eigen::Index j = 0; j < T; ++j)
    e.minimum_wage.col(j).setConstant(1900.0 * std::pow(1.04, static_cast<double>(j + 1)));
  using V = Vector economy_paths::*;
  for (const auto& [path, value] :
       {std::pair<V, double>{&economy_paths::cpi, 0.02},
        {&economy_paths::medical_inflation, 0.04},
        {&economy_paths::interest_rate, 0.02},
        {&economy_paths::disposable_income_growth, 0.05},
        {&economy_paths::project_growth, 0.03},
        {&economy_paths::other_income, 0.0},
        {&economy_paths::prevention_share, 0.0},
        {&economy_paths::major_accident_cost, 0.0},
        {&economy_paths::avg_wage_prev, std::numeric_limits<double>::quiet_NaN()}})
    e.*path = Vector::Constant(T, value);
  return s;
}

stochastic_sources bench_sources() {
  stochastic_sources src;
  src.claims = true;
  src.claim_counts = ClaimCounts::poisson;
  src.catastrophes = true;
  src.catastrophe_rate = 0.5;
  return src;
}

void run(benchmark::State& state, sim_method method) {
  const auto x = bench_context();
  if (!x) {
    state.SkipWithError("set WIFUND_BENCH_CONTEXT (simulate_vs_numpy.py --context-file writes it)");
    return;
  }
  const scenario_generator g(x, flat_scenario(*x), bench_sources());
  std::uint64_t first = 0;
  for (auto _ : state) {
    auto b = simulate(g, 1, first, per_iteration, 1, false, method);
    benchmark::DoNotOptimize(b.values[3].data());
    first += per_iteration;
  }
  state.SetItemsProcessed(state.iterations() * per_iteration);
}

void BM_SimulateLean(benchmark::State& state) { run(state, sim_method::lean); }
BENCHMARK(BM_SimulateLean)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();

void BM_SimulateFull(benchmark::State& state) { run(state, sim_method::full); }
BENCHMARK(BM_SimulateFull)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();

void BM_LeanStockBuild(benchmark::State& state) {
  const auto x = bench_context();
  if (!x) {
    state.SkipWithError("set WIFUND_BENCH_CONTEXT (simulate_vs_numpy.py --context-file writes it)");
    return;
  }
  for (auto _ : state) {
    const lean_stock stock(*x);
    benchmark::DoNotOptimize(stock.book_deaths(0));
  }
}
BENCHMARK(BM_LeanStockBuild)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();

}  // namespace
