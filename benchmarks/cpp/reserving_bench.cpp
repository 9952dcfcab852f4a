// Reserving kernels: chain ladder and Mack on one 10x10 triangle (RAA), a batch of 10,000 stacked
// 10x10 triangles, and the ODP bootstrap with 10,000 simulations on GenIns. The *_ref benchmark
// is a hand-written volume-weighted chain ladder loop, the floor for the library's version.
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>
#include <vector>

#include "wifund/reserving/batch.hpp"
#include "wifund/reserving/bootstrap.hpp"

namespace wr = wifund::reserving;
using wifund::Matrix;

namespace {
// Cumulative RAA (Mack 1994) and GenIns (Taylor & Ashe 1983) by origin row; NaN below the diagonal.
Matrix from_rows(const std::vector<std::vector<double>>& rows) {
  const auto n = static_cast<Eigen::Index>(rows.size());
  Matrix m = Matrix::Constant(n, n, std::nan(""));
  for (Eigen::Index i = 0; i < n; ++i)
    for (std::size_t j = 0; j < rows[static_cast<std::size_t>(i)].size(); ++j)
      m(i, static_cast<Eigen::Index>(j)) = rows[static_cast<std::size_t>(i)][j];
  return m;
}
const Matrix& raa() {
  static const Matrix m =
      from_rows({{5012, 8269, 10907, 11805, 13539, 16181, 18009, 18608, 18662, 18834},
                 {106, 4285, 5396, 10666, 13782, 15599, 15496, 16169, 16704},
                 {3410, 8992, 13873, 16141, 18735, 22214, 22863, 23466},
                 {5655, 11555, 15766, 21266, 23425, 26083, 27067},
                 {1092, 9565, 15836, 22169, 25955, 26180},
                 {1513, 6445, 11702, 12935, 15852},
                 {557, 4020, 10946, 12314},
                 {1351, 6947, 13112},
                 {3133, 5395},
                 {2063}});
  return m;
}
const Matrix& genins() {
  static const Matrix m = [] {
    const std::vector<std::vector<double>> inc = {
        {357848, 766940, 610542, 482940, 527326, 574398, 146342, 139950, 227229, 67948},
        {352118, 884021, 933894, 1183289, 445745, 320996, 527804, 266172, 425046},
        {290507, 1001799, 926219, 1016654, 750816, 146923, 495992, 280405},
        {310608, 1108250, 776189, 1562400, 272482, 352053, 206286},
        {443160, 693190, 991983, 769488, 504851, 470639},
        {396132, 937085, 847498, 805037, 705960},
        {440832, 847631, 1131398, 1063269},
        {359480, 1061648, 1443370},
        {376686, 986608},
        {344014}};
    return Matrix(wr::to_cumulative(from_rows(inc)));
  }();
  return m;
}

void BM_ChainLadder_RAA(benchmark::State& st) {
  for (auto _ : st) benchmark::DoNotOptimize(wr::chain_ladder(raa()).ibnr);
}
BENCHMARK(BM_ChainLadder_RAA);

// The floor: volume-weighted factors and projection in a plain loop, no checks, no allocation.
void BM_ChainLadder_RAA_ref(benchmark::State& st) {
  const Matrix& c = raa();
  for (auto _ : st) {
    double f[9], ibnr = 0.0;
    for (int j = 0; j < 9; ++j) {
      double num = 0, den = 0;
      for (int i = 0; i < 9 - j; ++i) {
        num += c(i, j + 1);
        den += c(i, j);
      }
      f[j] = num / den;
    }
    for (int i = 1; i < 10; ++i) {
      double x = c(i, 9 - i);
      const double latest = x;
      for (int j = 9 - i; j < 9; ++j) x *= f[j];
      ibnr += x - latest;
    }
    benchmark::DoNotOptimize(ibnr);
  }
}
BENCHMARK(BM_ChainLadder_RAA_ref);

void BM_Mack_RAA(benchmark::State& st) {
  for (auto _ : st) benchmark::DoNotOptimize(wr::mack(raa()).total_se);
}
BENCHMARK(BM_Mack_RAA);

std::vector<double> stack_of_raa(Eigen::Index n) {
  std::mt19937_64 rng(1);
  std::lognormal_distribution<double> noise(0.0, 0.1);  // test data only; results are not compared
  std::vector<double> buf;
  buf.reserve(static_cast<std::size_t>(n * 100));
  const Matrix inc = wr::to_incremental(raa());
  for (Eigen::Index s = 0; s < n; ++s) {
    Matrix m = inc;
    for (Eigen::Index k = 0; k < m.size(); ++k)
      if (!std::isnan(m.data()[k])) m.data()[k] = std::abs(m.data()[k]) * noise(rng) + 1.0;
    m = wr::to_cumulative(m);
    buf.insert(buf.end(), m.data(), m.data() + m.size());
  }
  return buf;
}

void BM_Batch_Mack_10000(benchmark::State& st) {
  static const std::vector<double> buf = stack_of_raa(10000);
  wr::batch_options o;
  o.method = wr::batch_method::mack;
  o.threads = static_cast<int>(st.range(0));
  for (auto _ : st)
    benchmark::DoNotOptimize(wr::reserve_batch(buf.data(), 10000, 10, 10, o).total_se);
}
BENCHMARK(BM_Batch_Mack_10000)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_OdpBootstrap_GenIns_10000(benchmark::State& st) {
  const auto model = wr::fit_odp_bootstrap(genins(), true);
  const auto kind = st.range(1) == 0 ? wr::process_kind::odp : wr::process_kind::gamma;
  for (auto _ : st)
    benchmark::DoNotOptimize(
        wr::simulate_odp_bootstrap(model, kind, 42, 0, 10000, static_cast<int>(st.range(0))));
}
BENCHMARK(BM_OdpBootstrap_GenIns_10000)
    ->Args({1, 0})
    ->Args({2, 0})
    ->Args({1, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
}  // namespace
