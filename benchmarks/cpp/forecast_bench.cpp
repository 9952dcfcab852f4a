// ETS fitting throughput: one damped-trend series of length 30 (the statsmodels comparison unit),
// a batch of 1,000 on 1 and 2 threads, and the raw likelihood pass the optimiser repeats.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "wifund/forecast/ets_fit.hpp"

namespace fc = wifund::forecast;

namespace {
/// Deterministic wage-like series (growth, volatility and noise vary by index).
std::vector<std::vector<double>> make_series(int count, int n) {
  std::vector<std::vector<double>> ys(static_cast<std::size_t>(count));
  std::uint64_t s = 12345;
  auto uni = [&s] {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(s >> 11) * 0x1.0p-53;
  };
  for (auto& y : ys) {
    const double g = 0.01 + 0.06 * uni(), vol = 0.005 + 0.05 * uni();
    double level = 100.0;
    for (int t = 0; t < n; ++t) {
      level *= std::exp(g + vol * (uni() - 0.5) * 3.46);
      y.push_back(level * (1.0 + 0.02 * (uni() - 0.5)));
    }
  }
  return ys;
}
const fc::ets_spec damped{fc::error_type::additive, fc::trend_type::additive, true};
}  // namespace

static void BM_EtsLoglikPass(benchmark::State& state) {
  const auto y = make_series(1, 30)[0];
  for (auto _ : state)
    benchmark::DoNotOptimize(fc::ets_loglik_star(damped, y, 0.5, 0.1, 0.95, 100.0, 1.0));
}
BENCHMARK(BM_EtsLoglikPass);

static void BM_FitAAdN(benchmark::State& state) {
  const auto ys = make_series(64, 30);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(fc::fit_ets(ys[i++ % ys.size()], damped).loglik);
}
BENCHMARK(BM_FitAAdN)->Unit(benchmark::kMicrosecond);

static void BM_FitMMdN(benchmark::State& state) {
  const auto ys = make_series(64, 30);
  const fc::ets_spec spec{fc::error_type::multiplicative, fc::trend_type::multiplicative, true};
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(fc::fit_ets(ys[i++ % ys.size()], spec).loglik);
}
BENCHMARK(BM_FitMMdN)->Unit(benchmark::kMicrosecond);

static void BM_FitMany1000AAdN(benchmark::State& state) {
  const auto ys = make_series(1000, 30);
  const int threads = static_cast<int>(state.range(0));
  for (auto _ : state)
    benchmark::DoNotOptimize(
        fc::fit_ets_many(ys, damped, false, {}, fc::criterion::aicc, threads).size());
}
BENCHMARK(BM_FitMany1000AAdN)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

static void BM_AutoEts(benchmark::State& state) {
  const auto ys = make_series(16, 30);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(fc::auto_ets(ys[i++ % ys.size()]).aicc);
}
BENCHMARK(BM_AutoEts)->Unit(benchmark::kMillisecond);
