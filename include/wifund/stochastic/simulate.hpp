#pragma once
// The Monte Carlo kernel: scenarios first..first+count-1 of a seed, each drawn by the generator and
// projected by the engine's own year step (fund/step.hpp: phased cut, rate review, fiscal advance,
// cohorts), on up to `threads` threads. Scenario i writes only row i - first of the outputs, so
// the arrays do not depend on the thread count or on how the scenarios are cut into blocks. The
// state's cohort book draws the deaths of beneficiaries when binomial mortality is on
// (stochastic/mortality.hpp) and counts them (beneficiary_deaths) either way.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "wifund/core/axes.hpp"
#include "wifund/core/parallel.hpp"
#include "wifund/fund/projection.hpp"
#include "wifund/stochastic/generator.hpp"
#include "wifund/stochastic/lean.hpp"
#include "wifund/stochastic/mortality.hpp"

namespace wifund {

inline constexpr std::size_t n_sim_vectors = 14;
/// The provincial vectors of a simulation, one S x T matrix each.
inline constexpr std::array<std::string_view, n_sim_vectors> sim_vector_names{
    "revenue",        "expenditure",         "contributions",   "closing",
    "reserve",        "months_of_payment",   "phased_cut",      "payg_cost_rate",
    "fiscal_advance", "advance_outstanding", "rate_multiplier", "injuries",
    "deaths",         "beneficiary_deaths"};

/// S x T matrices of the provincial vectors, and (when asked) S x (C x T) city detail: each city's
/// expenditure (all items) and contributions, city-major within a row.
struct simulation_block {
  int start_year = 0, years = 0, cities = 0;
  std::uint64_t first = 0;
  std::array<Matrix, n_sim_vectors> values;
  Matrix city_expenditure, city_contributions;
  bool has_city = false;
  bool lean = false;  ///< run by the lean kernel (stochastic/lean.hpp), else the full year step
};

/// Kernel of a simulation: the lean kernel where it is exact for the generator (automatic), or
/// one of the two by name (lean refused with the reason where it is not exact).
enum class sim_method { automatic = 0, lean = 1, full = 2 };

/// Writes one scenario's years into its rows of a simulation_block. `Book`: the state's book
/// (mortality_book of the full kernel, lean_book of the lean one), read for the year's deaths of
/// beneficiaries.
template <class Book = mortality_book>
class simulation_sink {
 public:
  simulation_sink(simulation_block& b, Eigen::Index row, const Book* book = nullptr)
      : b_(b), row_(row), book_(book) {}
  void start(const projection_context&, int first_index) { first_ = first_index; }
  void record(int j, const year_flows& f) {
    const int col = j - first_;
    const auto& y = f.fund;
    double injuries = 0, deaths = 0;
    for (double v : f.injuries) injuries += v;
    for (double v : f.deaths) deaths += v;
    const double values[] = {y.revenue,
                             y.expenditure,
                             y.contributions + y.project_premiums,
                             y.closing,
                             y.reserve,
                             y.months_of_payment,
                             y.phased_cut,
                             y.payg_cost_rate,
                             y.fiscal_advance,
                             y.advance_outstanding,
                             y.rate_multiplier,
                             injuries,
                             deaths,
                             book_ != nullptr ? book_->year_deaths() : 0.0};
    static_assert(std::size(values) == n_sim_vectors);
    for (std::size_t v = 0; v < n_sim_vectors; ++v) b_.values[v](row_, col) = values[v];
    if (b_.has_city)
      for (int c = 0; c < f.cities; ++c) {
        double spent = 0, contributed = 0;
        for (int i = 0; i < item::count; ++i) spent += f.city_expenditure[f.exp(c, i)];
        for (int k = 0; k < risk_class::count; ++k) contributed += f.contributions[f.ck(c, k)];
        b_.city_expenditure(row_, c * b_.years + col) = spent;
        b_.city_contributions(row_, c * b_.years + col) = contributed;
      }
  }

 private:
  simulation_block& b_;
  Eigen::Index row_;
  const Book* book_;
  int first_ = 0;
};

/// Bytes of the city detail of `scenarios` scenarios (two S x C x T arrays of doubles).
[[nodiscard]] inline double city_detail_bytes(double scenarios, int cities, int years) {
  return 2.0 * 8.0 * scenarios * cities * years;
}

/// Runs scenarios first..first+count-1 of `seed` on up to `threads` threads, each with the lean
/// kernel (stochastic/lean.hpp: the stock rolled once per generator, the year's awards and the
/// dependants of every death rolled per scenario; equal to the full kernel to rounding) or the
/// full year step with the whole cohort book (`method`; automatic: lean where exact).
[[nodiscard]] inline simulation_block simulate(const scenario_generator& g, std::uint64_t seed,
                                               std::uint64_t first, std::size_t count, int threads,
                                               bool keep_city,
                                               sim_method method = sim_method::automatic) {
  const projection_context& x = g.context();
  if (method == sim_method::lean && g.lean() == nullptr)
    throw invalid_input("simulate: method = 'lean' is not exact for this generator: " +
                        g.lean_reason());
  const bool lean = method != sim_method::full && g.lean() != nullptr;
  simulation_block b;
  b.start_year = x.start_year();
  b.years = x.years;
  b.cities = x.cities();
  b.first = first;
  b.has_city = keep_city;
  b.lean = lean;
  const auto S = static_cast<Eigen::Index>(count);
  for (auto& m : b.values) m = Matrix::Zero(S, x.years);
  if (keep_city) {
    b.city_expenditure = Matrix::Zero(S, static_cast<Eigen::Index>(x.cities()) * x.years);
    b.city_contributions = Matrix::Zero(S, static_cast<Eigen::Index>(x.cities()) * x.years);
  }
  parallel_for(static_cast<std::ptrdiff_t>(count), threads, [&](std::ptrdiff_t i) {
    const std::uint64_t index = first + static_cast<std::uint64_t>(i);
    const scenario s = g.draw(seed, index);
    validate(x, s);
    if (lean) {
      thread_local lean_state st;  // one per thread, its memory reused scenario after scenario
      restart_lean_state(st, *g.lean(), x.claims);
      simulation_sink sink(b, static_cast<Eigen::Index>(i), &st.book);
      sink.start(x, st.next_index);
      for (int j = st.next_index; j < x.years; ++j) step(x, s, j, st, sink);
      return;
    }
    mc_state st = initial_mc_state(x, g.sources().mortality, seed, index);
    simulation_sink sink(b, static_cast<Eigen::Index>(i), &st.book);
    sink.start(x, st.next_index);
    for (int j = st.next_index; j < x.years; ++j) step(x, s, j, st, sink);
  });
  return b;
}

}  // namespace wifund
