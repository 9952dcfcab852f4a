// Triangle operations and checks (reserving/triangle.hpp): the cumulative/incremental round trip,
// latest diagonal and link ratios on RAA, and triangle_error carrying the place of a bad cell.
#include "wifund/reserving/triangle.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "triangle_data.hpp"
#include "wifund/reserving/batch.hpp"

namespace wr = wifund::reserving;
using wifund::Matrix;
using wifund::testing::load_triangle;

TEST(Triangle, IncrementalRoundTripAndLatest) {
  const Matrix c = load_triangle("raa.csv");
  const Matrix back = wr::to_cumulative(wr::to_incremental(c));
  for (int i = 0; i < 10; ++i)
    for (int j = 0; j < 10 - i; ++j) EXPECT_DOUBLE_EQ(back(i, j), c(i, j));
  const auto len = wr::observed_lengths(c, {}, "test");
  EXPECT_EQ(len[0], 10);
  EXPECT_EQ(len[9], 1);
  EXPECT_DOUBLE_EQ(wr::latest_diagonal(c, len)(9), 2063.0);
  EXPECT_NEAR(wr::link_ratios(c)(0, 0), 8269.0 / 5012.0, 1e-15);
}

TEST(Triangle, LinkRatiosAreNanWhereUnobservedOrDividingByZero) {
  Matrix c(2, 3);
  c << 1.0, 2.0, std::nan(""), 0.0, 1.0, std::nan("");
  const Matrix r = wr::link_ratios(c);
  EXPECT_EQ(r(0, 0), 2.0);
  EXPECT_TRUE(std::isnan(r(0, 1)));  // age 3 unobserved
  EXPECT_TRUE(std::isnan(r(1, 0)));  // C(1, 1) = 0
}

TEST(TriangleError, CarriesTheCellItNames) {
  const wr::triangle_axes ax{{"2001", "2002"}, {"1", "2", "3"}, ""};
  Matrix hole(2, 3);
  hole << 1.0, std::nan(""), 2.0, 1.0, 2.0, std::nan("");
  try {
    (void)wr::observed_lengths(hole, ax, "Triangle");
    FAIL();
  } catch (const wr::triangle_error& e) {
    EXPECT_EQ(e.segment(), -1);
    EXPECT_EQ(e.origin(), 0);  // origin 2001
    EXPECT_EQ(e.age(), 1);     // age 2, the first missing one
    EXPECT_EQ(
        std::string(e.what()),
        "Triangle: the triangle has a hole at origin 2001, age 2 (missing) while origin 2001, "
        "age 3 is observed");
    EXPECT_EQ(e.reason(), e.what());
  }
  Matrix inf(1, 2);
  inf << 1.0, std::numeric_limits<double>::infinity();
  try {
    (void)wr::observed_lengths(inf, ax, "Triangle");
    FAIL();
  } catch (const wr::triangle_error& e) {
    EXPECT_EQ(e.origin(), 0);
    EXPECT_EQ(e.age(), 1);
    EXPECT_NE(std::string(e.what()).find("origin 2001, age 2 = inf is not finite"),
              std::string::npos)
        << e.what();
  }
  Matrix empty(2, 2);
  empty << 1.0, 2.0, std::nan(""), std::nan("");
  try {
    (void)wr::observed_lengths(empty, ax, "Triangle");
    FAIL();
  } catch (const wr::triangle_error& e) {
    EXPECT_EQ(e.origin(), 1);
    EXPECT_EQ(e.age(), -1);  // the whole row: no age in particular
  }
}

TEST(TriangleError, BatchAddsTheSegmentPosition) {
  // Two segments of RAA; the second has a hole at origin 1983, age 4.
  const Matrix c = load_triangle("raa.csv");
  const auto n = static_cast<std::size_t>(c.size());
  std::vector<double> stack(2 * n);
  for (int s = 0; s < 2; ++s)
    for (int i = 0; i < 10; ++i)
      for (int j = 0; j < 10; ++j) stack[static_cast<std::size_t>(s * 100 + i * 10 + j)] = c(i, j);
  stack[100 + 2 * 10 + 3] = std::nan("");
  wr::triangle_axes ax;
  for (int y = 1981; y <= 1990; ++y) ax.origins.push_back(std::to_string(y));
  try {
    (void)wr::reserve_batch(stack.data(), 2, 10, 10, {}, ax);
    FAIL();
  } catch (const wr::triangle_error& e) {
    EXPECT_EQ(e.segment(), 1);
    EXPECT_EQ(e.origin(), 2);
    EXPECT_EQ(e.age(), 3);
    EXPECT_EQ(std::string(e.what()).rfind("segment #1: ", 0), 0u) << e.what();
    EXPECT_EQ(std::string(e.what()), "segment #1: " + e.reason());
    EXPECT_NE(e.reason().find("hole at origin 1983, age #3"), std::string::npos) << e.reason();
  }
}
