// Uses the installed headers: life expectancy from a tiny table; exits non-zero on a wrong value.
#include <cmath>
#include <cstdio>
#include <wifund/wifund.hpp>

int main() {
  const wifund::life_table t("toy", 0, {0.5, 0.5, 1.0});
  const double e0 = t.curtate_expectancy(0);  // 0.5 + 0.25 = 0.75
  std::printf("consumer: e0 = %.4f\n", e0);
  return std::abs(e0 - 0.75) < 1e-12 ? 0 : 1;
}
