// The argument checks of core/checks.hpp: every one throws wifund::invalid_input (a
// std::invalid_argument, ValueError in Python) whose message names the function, the field and the
// value; inverted pairs and oversized allocations are rejected before they reach std::clamp or new.
#include "wifund/core/checks.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

/// The message of the invalid_input thrown by f ("no error" when none is).
std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const wifund::invalid_input& e) {
    return e.what();
  }
  return "no error";
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}
}  // namespace

TEST(Checks, ErrorsAreInvalidArgument) {
  EXPECT_THROW(wifund::check_finite("f", "x", kNaN), std::invalid_argument);
  EXPECT_THROW(wifund::check_allocation("f", "n = 1", 1e30, 8), std::invalid_argument);
  static_assert(std::is_base_of_v<wifund::invalid_input, wifund::insufficient_memory>);
}

TEST(Checks, MessagesNameFunctionFieldAndValue) {
  const auto m = error_of([] { wifund::check_positive("mack", "exposure at origin 2001", -2.5); });
  EXPECT_TRUE(contains(m, "mack: exposure at origin 2001 = -2.5")) << m;
  EXPECT_TRUE(
      contains(error_of([] { wifund::check_nonnegative("f", "rate", kNaN); }), "rate = nan"));
  EXPECT_TRUE(
      contains(error_of([] { wifund::check_unit_interval("f", "decay", 1.5); }), "decay = 1.5"));
  EXPECT_TRUE(
      contains(error_of([] { wifund::check_in_range("f", "n_iter", -1, 0, 10); }), "n_iter = -1"));
  EXPECT_EQ(error_of([] { wifund::check_unit_interval("f", "decay", 1.0); }), "no error");
}

TEST(Checks, SquarableRejectsOverflowingSquares) {
  EXPECT_EQ(error_of([] { wifund::check_squarable("f", "c", 1e150); }), "no error");
  EXPECT_EQ(error_of([] { wifund::check_squarable("f", "c", -1e150); }), "no error");
  const auto big = error_of([] { wifund::check_squarable("f", "origin 1, age 2", 1e200); });
  EXPECT_TRUE(contains(big, "origin 1, age 2 = 1e+200")) << big;
  EXPECT_TRUE(contains(big, "1e+150")) << big;
  EXPECT_TRUE(
      contains(error_of([] { wifund::check_squarable("f", "c", -kInf); }), "-inf is not finite"));
  EXPECT_TRUE(
      contains(error_of([] { wifund::check_squarable("f", "c", kNaN); }), "nan is not finite"));
  // The bound is what it says: the square of the largest accepted value, times a large count, is
  // finite.
  EXPECT_TRUE(std::isfinite(wifund::max_squarable * wifund::max_squarable * 1e6));
}

TEST(Checks, InvertedPairIsRejectedBeforeAnyClamp) {
  EXPECT_EQ(error_of([] {
              wifund::check_ordered("own_wage", "base_clamp[0]", 0.6, "base_clamp[1]", 3.0);
            }),
            "no error");
  EXPECT_EQ(error_of([] { wifund::check_ordered("f", "lo", 2.0, "hi", 2.0); }), "no error");
  const auto m = error_of(
      [] { wifund::check_ordered("own_wage", "base_clamp[0]", 3.0, "base_clamp[1]", 0.6); });
  EXPECT_TRUE(contains(m, "own_wage: base_clamp[0] = 3 exceeds base_clamp[1] = 0.6")) << m;
  EXPECT_TRUE(
      contains(error_of([] { wifund::check_ordered("f", "lo", kNaN, "hi", 1.0); }), "lo = nan"));
  EXPECT_TRUE(
      contains(error_of([] { wifund::check_ordered("f", "lo", 0.0, "hi", kInf); }), "hi = inf"));
}

TEST(Checks, AllocationSaysHowManyGiBItNeeds) {
  constexpr std::uint64_t gib = 1ull << 30;
  EXPECT_EQ(error_of([] { wifund::check_allocation("f", "n = 10", 10.0, 8, 24 * gib); }),
            "no error");
  // 10 origins x 1e9 simulations of 8 bytes: 74.5 GiB on a 24 GiB machine.
  const auto m = error_of(
      [] { wifund::check_allocation("odp_bootstrap", "n_sims = 1000000000", 1e10, 8, 24 * gib); });
  EXPECT_TRUE(contains(m, "odp_bootstrap: n_sims = 1000000000 needs 74.506 GiB")) << m;
  EXPECT_TRUE(contains(m, "24.000 GiB")) << m;
  EXPECT_THROW(wifund::check_allocation("f", "x", kNaN, 8), wifund::insufficient_memory);
  EXPECT_THROW(wifund::check_allocation("f", "x", -1.0, 8), wifund::insufficient_memory);
  // Without an explicit limit the machine's memory is used; nothing has 2^80 bytes.
  EXPECT_THROW(wifund::check_allocation("f", "x", std::ldexp(1.0, 77), 8),
               wifund::insufficient_memory);
  EXPECT_GT(wifund::physical_memory_bytes(), 0u);
}
