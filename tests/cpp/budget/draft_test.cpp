// year_end_from_projection (the state a budget draft starts from, include/wifund/budget/draft.hpp):
// the projection continued from the packed state of any year end equals the uninterrupted one.
#include "wifund/budget/draft.hpp"

#include <gtest/gtest.h>

#include "../fund/tiny_province.hpp"

using namespace wifund;
using wifund::testing::busy_province;
using wifund::testing::split;

TEST(Draft, ProjectionFromAnyYearEndStateContinuesIt) {
  const auto [x, s] = split(busy_province(8));
  const auto whole = project(*x, s);
  for (int year : {x->base.base_year, x->base.base_year + 1, x->base.base_year + 5}) {
    projection_result rest;
    full_result_sink sink(rest);
    project_from(*x, s, state_at_year_end(*x, year_end_from_projection(*x, s, year)), sink);
    const int skip = year - x->base.base_year;
    ASSERT_EQ(rest.start_year, year + 1);
    ASSERT_EQ(rest.years, x->years - skip);
    for (int j = 0; j < rest.years; ++j) {
      EXPECT_DOUBLE_EQ(rest.contributions[j], whole.contributions[j + skip]) << year << " " << j;
      EXPECT_DOUBLE_EQ(rest.expenditure[j], whole.expenditure[j + skip]) << year << " " << j;
      EXPECT_DOUBLE_EQ(rest.closing[j], whole.closing[j + skip]) << year << " " << j;
      EXPECT_DOUBLE_EQ(rest.phased_cut[j], whole.phased_cut[j + skip]) << year << " " << j;
    }
  }
  EXPECT_THROW((void)year_end_from_projection(*x, s, x->base.base_year + x->years), invalid_input);
  EXPECT_THROW((void)year_end_from_projection(*x, s, x->base.base_year - 1), invalid_input);
}
