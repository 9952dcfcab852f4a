// Budget execution (budget/execution.hpp): the sums of the execution table and the projected
// outturn, one city and one revenue line worked by hand.
#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "wifund/budget/execution.hpp"

namespace wb = wifund::budget;

namespace {
// One city, one revenue line, `years` years (the last is the budget year), as of June.
struct one_line {
  int years;
  std::vector<double> actual;  // [1][1][years][12]
  std::vector<unsigned char> complete, has_last;
  std::array<double, 1> annual{130.0}, adjusted{120.0};
  std::array<double, 12> monthly{};
  std::array<int, 1> kind{0};
  explicit one_line(int y)
      : years(y),
        actual(static_cast<std::size_t>(12 * y), 0.0),
        complete(static_cast<std::size_t>(y), 1),
        has_last{1} {
    for (int k = 0; k < 12; ++k) {
      for (int h = 0; h + 1 < y; ++h)
        actual[static_cast<std::size_t>(h * 12 + k)] = 10.0;                 // 120 a year
      if (k < 6) actual[static_cast<std::size_t>((y - 1) * 12 + k)] = 12.0;  // 72 so far this year
      monthly[static_cast<std::size_t>(k)] = k < 6 ? 8.0 : 12.0;             // phasing: 48 by June
    }
  }
  wb::execution_input input() const {
    return {1,
            1,
            years,
            6,
            actual.data(),
            complete.data(),
            has_last.data(),
            annual.data(),
            adjusted.data(),
            monthly.data(),
            kind.data()};
  }
};
// Rows: (C + 1) x (L + 2): the province block (line, revenue total, expenditure total), then the
// city.
constexpr std::size_t province_line = 0, province_revenue = 1, city_line = 3, city_revenue = 4,
                      city_expenditure = 5;
}  // namespace

TEST(Execution, SumsAndOutturnFromLastYearsPattern) {
  const one_line d(2);
  const auto r = wb::execution_table(d.input());
  ASSERT_EQ(r.rows(), 6u);
  for (const std::size_t t : {province_line, province_revenue, city_line, city_revenue}) {
    EXPECT_EQ(r.annual[t], 130.0);
    EXPECT_EQ(r.adjusted[t], 120.0);
    EXPECT_EQ(r.period[t], 12.0);      // June
    EXPECT_EQ(r.cumulative[t], 72.0);  // 6 x 12
    EXPECT_EQ(r.last_year[t], 60.0);   // last year's January-June, 6 x 10
    EXPECT_EQ(r.budget_to_date[t], 48.0);
    // Last year: 120 for the year, 60 by June, so 72 x 120 / 60 = 144; one scenario, no spread.
    EXPECT_NEAR(r.outturn[t], 144.0, 1e-12);
    EXPECT_NEAR(r.outturn_low[t], 144.0, 1e-12);
    EXPECT_NEAR(r.outturn_high[t], 144.0, 1e-12);
    EXPECT_EQ(r.method[t], static_cast<int>(wb::outturn_method::history));
    EXPECT_EQ(r.n_years[t], 1);
  }
  EXPECT_EQ(r.cumulative[city_expenditure], 0.0);  // no expenditure line
}

TEST(Execution, PhasingAndEvenMonthsWithoutAUsablePriorYear) {
  one_line d(2);
  d.complete[0] = 0;  // last year not reported in full: the budget's phasing, 72 x 120 / 48 = 180
  auto r = wb::execution_table(d.input());
  EXPECT_NEAR(r.outturn[city_line], 180.0, 1e-12);
  EXPECT_EQ(r.method[city_line], static_cast<int>(wb::outturn_method::phasing));
  EXPECT_EQ(r.n_years[city_line], 0);
  // No prior year and no adjusted budget: twelve even months, 72 x 12 / 6 = 144; no last year.
  one_line e(1);
  e.adjusted[0] = 0.0;
  r = wb::execution_table(e.input());
  EXPECT_NEAR(r.outturn[city_line], 144.0, 1e-12);
  EXPECT_EQ(r.method[city_line], static_cast<int>(wb::outturn_method::even));
  EXPECT_EQ(r.last_year[city_line], 0.0);
  EXPECT_EQ(r.last_year_missing[city_line], 1);
}

TEST(Execution, BadInputIsRejected) {
  one_line d(2);
  auto in = d.input();
  in.as_of = 13;
  EXPECT_THROW((void)wb::execution_table(in), wifund::invalid_input);
  d.kind[0] = 2;
  EXPECT_THROW((void)wb::execution_table(d.input()), wifund::invalid_input);
}
