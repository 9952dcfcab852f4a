// Life-table kernels: the lifelib BasicTerm_M-sized model-point valuation (10,000 lives, terms up
// to 20 years = 240 monthly steps + the starting point) with both kernels of model_points.hpp, and
// a vectorised annuity batch. The Python side-by-side run against numpy is
// benchmarks/python/life_vs_numpy.py.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "wifund/life/annuity.hpp"
#include "wifund/life/model_points.hpp"

namespace {
wifund::life_table cl1() {
  std::ifstream in(std::string(WIFUND_DATA_DIR) + "/life_tables/cl2010_2013_qx.csv");
  std::string line;
  std::getline(in, line);
  std::vector<double> q;
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    std::string age, c1;
    std::getline(ss, age, ',');
    std::getline(ss, c1, ',');
    q.push_back(std::stod(c1));
  }
  return wifund::life_table("CL1", 0, q);
}

struct portfolio {
  std::vector<std::int64_t> age, term;
  std::vector<double> sum;
};

/// BasicTerm_M-like points: entry ages 20-59, terms 10/15/20 years, sums 10k-1m (fixed seed).
portfolio points(std::size_t n) {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<int> a(20, 59), t(0, 2);
  std::uniform_real_distribution<double> s(1e4, 1e6);
  portfolio p;
  for (std::size_t k = 0; k < n; ++k) {
    p.age.push_back(a(rng));
    p.term.push_back(10 + 5 * t(rng));
    p.sum.push_back(s(rng));
  }
  p.term[0] = 20;  // at least one life runs the full 240 months
  return p;
}

void BM_ModelPoints(benchmark::State& state) {
  const auto t = cl1();
  const auto p = points(10000);
  const bool by_year = state.range(0) != 0;
  const int threads = static_cast<int>(state.range(1));
  for (auto _ : state) {
    auto r = wifund::model_points(t, p.age.data(), p.term.data(), p.sum.data(), p.age.size(), 0.03,
                                  wifund::WithinYear::constant_force, threads, by_year);
    benchmark::DoNotOptimize(r.pv_claims.data());
  }
  state.SetLabel(by_year ? "by policy year" : "month by month");
}
BENCHMARK(BM_ModelPoints)->ArgsProduct({{0, 1}, {1, 2}})->Unit(benchmark::kMillisecond);

void BM_AnnuityBatch(benchmark::State& state) {
  // 106 ages × 100 rates, monthly UDD whole-life annuities-due.
  const std::vector<wifund::life_table> tables{cl1()};
  std::vector<std::int64_t> idx, x, def;
  std::vector<double> rate, term, esc;
  for (int r = 0; r < 100; ++r)
    for (int a = 0; a <= 105; ++a) {
      idx.push_back(0);
      x.push_back(a);
      def.push_back(0);
      rate.push_back(0.001 * r);
      term.push_back(std::numeric_limits<double>::infinity());
      esc.push_back(0.0);
    }
  const wifund::annuity_batch_args args{idx.data(), x.data(),   rate.data(), term.data(),
                                        def.data(), esc.data(), idx.size()};
  for (auto _ : state) {
    auto v = wifund::annuity_batch(tables, args, 12, wifund::FractionalAge::udd, false, 1);
    benchmark::DoNotOptimize(v.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(idx.size()));
}
BENCHMARK(BM_AnnuityBatch)->Unit(benchmark::kMicrosecond);
}  // namespace
