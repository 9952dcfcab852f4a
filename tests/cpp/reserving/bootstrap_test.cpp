// ODP bootstrap: the published RAA scale, reproducibility across thread counts and splits, and the
// simulated mean near the chain-ladder IBNR.
#include "wifund/reserving/bootstrap.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "triangle_data.hpp"
#include "wifund/reserving/mack.hpp"

namespace wr = wifund::reserving;
using wifund::Matrix;
using wifund::testing::load_triangle;

TEST(OdpBootstrap, RaaScale) {
  const auto m = wr::fit_odp_bootstrap(load_triangle("raa.csv"), true);
  EXPECT_NEAR(m.scale, 983.64, 0.005);
  EXPECT_EQ(m.n_obs, 55);
  EXPECT_EQ(m.n_params, 19);
  // The two corner cells have leverage 1 and are left out of the pool.
  EXPECT_NEAR(m.hat(0, 9), 1.0, 1e-9);
  EXPECT_NEAR(m.hat(9, 0), 1.0, 1e-9);
  EXPECT_EQ(m.pool.size(), 53u);
  double mean = 0;
  for (double r : m.pool) mean += r;
  EXPECT_NEAR(mean, 0.0, 1e-9);
}

TEST(OdpBootstrap, ReproducibleWhateverTheThreads) {
  const auto m = wr::fit_odp_bootstrap(load_triangle("genins.csv"), true);
  const Matrix one = wr::simulate_odp_bootstrap(m, wr::process_kind::odp, 42, 0, 300, 1);
  const Matrix two = wr::simulate_odp_bootstrap(m, wr::process_kind::odp, 42, 0, 300, 2);
  EXPECT_EQ(one, two);
  // Split into two calls at a block boundary.
  const Matrix head = wr::simulate_odp_bootstrap(m, wr::process_kind::odp, 42, 0, 128, 1);
  const Matrix tail = wr::simulate_odp_bootstrap(m, wr::process_kind::odp, 42, 128, 300, 2);
  EXPECT_EQ(head, one.topRows(128));
  EXPECT_EQ(tail, one.bottomRows(172));
  const Matrix other = wr::simulate_odp_bootstrap(m, wr::process_kind::odp, 43, 0, 300, 1);
  EXPECT_NE(other, one);
  EXPECT_THROW((void)wr::simulate_odp_bootstrap(m, wr::process_kind::odp, 42, 10, 300, 1),
               wifund::invalid_input);
}

TEST(OdpBootstrap, MomentsNearChainLadderAndMack) {
  const auto c = load_triangle("genins.csv");
  const auto m = wr::fit_odp_bootstrap(c, true);
  const double cl = wr::chain_ladder(c).total_ibnr();
  const double mack_se = wr::mack(c).total_se;
  for (auto kind : {wr::process_kind::odp, wr::process_kind::gamma}) {
    const Matrix s = wr::simulate_odp_bootstrap(m, kind, 7, 0, 4000, 2);
    const Eigen::VectorXd tot = s.rowwise().sum();
    const double mean = tot.mean();
    const double sd =
        std::sqrt((tot.array() - mean).square().sum() / static_cast<double>(tot.size() - 1));
    EXPECT_NEAR(mean / cl, 1.0, 0.03);
    // England & Verrall (1999): on these data the ODP prediction error of the total is about 16%
    // of the reserve against Mack's 13%, so the bootstrap spread is some 20% above Mack's.
    EXPECT_GT(sd / mack_se, 1.05);
    EXPECT_LT(sd / mack_se, 1.35);
  }
}

TEST(OdpBootstrap, StackEqualsSegmentStreams) {
  const std::vector<wr::odp_bootstrap_model> models = {
      wr::fit_odp_bootstrap(load_triangle("raa.csv"), true),
      wr::fit_odp_bootstrap(load_triangle("genins.csv"), false)};
  const Matrix stack =
      wr::simulate_odp_bootstrap_stack(models, wr::process_kind::gamma, 9, 3, 200, 2);
  ASSERT_EQ(stack.rows(), 400);
  for (int k = 0; k < 2; ++k)
    EXPECT_EQ(stack.middleRows(k * 200, 200),
              wr::simulate_odp_bootstrap(models[static_cast<std::size_t>(k)],
                                         wr::process_kind::gamma, 9, 0, 200, 1, 3 + k));
}

TEST(OdpBootstrap, ExactFitHasNoProcessVariance) {
  // Incrementals proportional in every origin (a multiplicative model fits exactly): phi = 0 and
  // every simulation returns the chain-ladder reserve.
  Matrix inc(4, 4);
  const double row[] = {100, 50, 20, 10}, size[] = {1.0, 2.0, 1.5, 3.0};
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) inc(i, j) = i + j < 4 ? size[i] * row[j] : std::nan("");
  const Matrix cum = wr::to_cumulative(inc);
  const auto m = wr::fit_odp_bootstrap(cum, false);
  EXPECT_NEAR(m.scale, 0.0, 1e-20);
  const Matrix s = wr::simulate_odp_bootstrap(m, wr::process_kind::odp, 1, 0, 64, 1);
  const double cl = wr::chain_ladder(cum).total_ibnr();
  for (int k = 0; k < 64; ++k) EXPECT_NEAR(s.row(k).sum(), cl, 1e-6 * cl);
}

TEST(OdpBootstrap, OversizedRequestsSayHowMuchMemoryTheyNeed) {
  const auto m = wr::fit_odp_bootstrap(load_triangle("raa.csv"), true);
  // 1e12 simulations x 10 origins x 8 bytes = 74,506 GiB: rejected before allocating.
  try {
    (void)wr::simulate_odp_bootstrap(m, wr::process_kind::odp, 1, 0, 1'000'000'000'000, 1);
    FAIL() << "no error";
  } catch (const wifund::insufficient_memory& e) {
    EXPECT_NE(std::string(e.what()).find(
                  "simulations [0, 1000000000000) x 10 origins needs 74505.806 GiB"),
              std::string::npos)
        << e.what();
  }
  const std::vector<wr::odp_bootstrap_model> two = {m, m};
  EXPECT_THROW((void)wr::simulate_odp_bootstrap_stack(two, wr::process_kind::odp, 1, 0,
                                                      1'000'000'000'000, 1),
               wifund::insufficient_memory);
  EXPECT_THROW((void)wr::simulate_odp_bootstrap_stack(two, wr::process_kind::odp, 1, 0, -1, 1),
               wifund::invalid_input);
}
