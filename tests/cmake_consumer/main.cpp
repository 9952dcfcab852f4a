// Uses the installed headers: life expectancy from a tiny table, and an ETS fit (which links NLopt
// through the package's find_dependency); exits non-zero on a wrong value.
#include <cmath>
#include <cstdio>
#include <vector>
#include <wifund/wifund.hpp>

int main() {
  const wifund::life_table t("toy", 0, {0.5, 0.5, 1.0});
  const double e0 = t.curtate_expectancy(0);  // 0.5 + 0.25 = 0.75
  std::printf("consumer: e0 = %.4f\n", e0);
  const std::vector<double> y = {10, 11, 12.5, 13, 14.2, 15.1, 16.4, 17.0, 18.3, 19.9};
  const auto fit = wifund::forecast::fit_ets(
      y, {wifund::forecast::error_type::additive, wifund::forecast::trend_type::additive, false});
  std::printf("consumer: AAN loglik = %.4f\n", fit.loglik);
  return std::abs(e0 - 0.75) < 1e-12 && std::isfinite(fit.loglik) ? 0 : 1;
}
