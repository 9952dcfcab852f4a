// The BasicTerm-like model-point valuation (model_points.hpp): both kernels against a direct sum,
// and independence of the thread count.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "../test_data.hpp"
#include "wifund/life/model_points.hpp"

TEST(ModelPoints, KernelsAgreeWithDirectSum) {
  const auto t = wifund::testing::china_life_table("CL1");
  std::vector<std::int64_t> age{30, 45, 100, 105}, term{20, 10, 20, 3};
  std::vector<double> sum{1e5, 2e5, 1e5, 1e5};
  for (auto within : {wifund::WithinYear::constant_force, wifund::WithinYear::udd}) {
    const auto y =
        wifund::model_points(t, age.data(), term.data(), sum.data(), 4, 0.04, within, 1, true);
    const auto m =
        wifund::model_points(t, age.data(), term.data(), sum.data(), 4, 0.04, within, 2, false);
    for (std::size_t k = 0; k < age.size(); ++k) {
      // Direct: t/12_p_x from survival(), monthly death probability from its differences.
      double a = 0.0, c = 0.0;
      const auto w = within;
      for (int s = 0; s < 12 * term[k]; ++s) {
        const double p0 = t.survival(static_cast<int>(age[k]), s / 12.0, w);
        const double p1 = t.survival(static_cast<int>(age[k]), (s + 1) / 12.0, w);
        a += std::pow(1.04, -s / 12.0) * p0;
        c += std::pow(1.04, -(s + 1) / 12.0) * (p0 - p1);
      }
      EXPECT_NEAR(y.pv_annuity[k], a, 1e-10 * a);
      EXPECT_NEAR(m.pv_annuity[k], a, 1e-10 * a);
      EXPECT_NEAR(y.pv_claims[k], sum[k] * c, 1e-9 * sum[k] * c + 1e-9);
      EXPECT_NEAR(m.pv_claims[k], sum[k] * c, 1e-9 * sum[k] * c + 1e-9);
    }
  }
}

TEST(ModelPoints, BadAge) {
  const auto t = wifund::testing::china_life_table("CL1");
  std::int64_t age = 130, term = 10;
  double sum = 1.0;
  EXPECT_THROW((void)wifund::model_points(t, &age, &term, &sum, 1, 0.03, wifund::WithinYear::udd),
               std::out_of_range);
}
