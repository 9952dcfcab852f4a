// Experience rating (ratesetting/float_tiers.hpp): a Huainan-like ladder worked by hand at its
// thresholds, the rules around the grid, the revenue totals and the schedule checks.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "wifund/ratesetting/float_tiers.hpp"

namespace wr = wifund::ratesetting;

namespace {
// ratio < 20 % -> 50 %; [20, 60) -> 80 %; [60, 80) -> 100 %; [80, 120) -> 120 %; >= 120 % -> 150 %
wr::float_schedule huainan_like() {
  wr::float_schedule s;
  s.ladder = {0.5, 0.8, 1.0, 1.2, 1.5};
  s.base_tier = 2;
  s.ratio = {{0.2, 0.6, 0.8, 1.2}, false};
  s.grid = {0, 1, 2, 3, 4};
  s.class1_up_only = true;
  s.floor_class1_base = true;
  s.min_years = 1.0;
  s.no_contributions = wr::no_contributions_rule::top_tier;
  s.block_mask = 1u;
  s.base_rates = {0.002, 0.004, 0.007};
  return s;
}

struct employers {
  std::vector<int> cls;
  std::vector<double> c, b, inj, ins, yrs;
  std::vector<std::uint32_t> flags;
  void add(int k, double contrib, double ben, double years = 3.0, std::uint32_t f = 0) {
    cls.push_back(k);
    c.push_back(contrib);
    b.push_back(ben);
    inj.push_back(0.0);
    ins.push_back(10.0);
    yrs.push_back(years);
    flags.push_back(f);
  }
};

struct run {
  std::vector<double> ratio, inc, mult, rate;
  std::vector<std::uint8_t> reason;
  wr::float_totals totals;
  run(const wr::float_schedule& s, const employers& e)
      : ratio(e.cls.size()),
        inc(e.cls.size()),
        mult(e.cls.size()),
        rate(e.cls.size()),
        reason(e.cls.size()) {
    wr::float_input in;
    in.n = e.cls.size();
    in.risk_class = e.cls.data();
    in.contributions = e.c.data();
    in.benefits = e.b.data();
    in.injuries = e.inj.data();
    in.insured = e.ins.data();
    in.years_insured = e.yrs.data();
    in.flags = e.flags.data();
    totals =
        wr::float_tiers(s, in, {ratio.data(), inc.data(), mult.data(), rate.data(), reason.data()});
  }
};
}  // namespace

TEST(FloatTiers, ThresholdsClosedOnTheLeft) {
  employers e;
  for (double ben : {199.0, 200.0, 599.0, 600.0, 799.0, 800.0, 1199.0, 1200.0})
    e.add(3, 1000.0, ben);
  const run r(huainan_like(), e);
  const std::vector<double> expected{0.5, 0.8, 0.8, 1.0, 1.0, 1.2, 1.2, 1.5};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_DOUBLE_EQ(r.mult[i], expected[i]) << i;
    EXPECT_DOUBLE_EQ(r.rate[i], 0.007 * expected[i]) << i;
  }
}

TEST(FloatTiers, RulesAroundTheGrid) {
  employers e;
  e.add(1, 1000.0, 0.0);           // class 1 upward only
  e.add(2, 1000.0, 0.0, 0.5);      // new employer
  e.add(2, 1000.0, 0.0, 3.0, 1u);  // blocked by flag 0
  e.add(2, 0.0, 10.0);             // benefits, no contributions: top tier
  e.add(2, 0.0, 0.0);              // nothing used: ratio 0
  const run r(huainan_like(), e);
  EXPECT_EQ(r.reason[0], static_cast<std::uint8_t>(wr::float_reason::class1_up_only));
  EXPECT_DOUBLE_EQ(r.mult[0], 1.0);
  EXPECT_EQ(r.reason[1], static_cast<std::uint8_t>(wr::float_reason::new_employer));
  EXPECT_EQ(r.reason[2], static_cast<std::uint8_t>(wr::float_reason::blocked));
  EXPECT_DOUBLE_EQ(r.mult[2], 1.0);
  EXPECT_DOUBLE_EQ(r.mult[3], 1.5);
  EXPECT_DOUBLE_EQ(r.mult[4], 0.5);  // 0.4 % x 50 % = 0.2 % = the class-1 base: the floor holds
  EXPECT_DOUBLE_EQ(r.rate[4], 0.002);
  // revenue totals, one group: class 2 contributions 2000, at the new multipliers 1000 + 1000
  EXPECT_DOUBLE_EQ(r.totals.employers[1], 4.0);
  EXPECT_DOUBLE_EQ(r.totals.contributions[1], 2000.0);
  EXPECT_DOUBLE_EQ(r.totals.new_contributions[1], 1000.0 + 1000.0);
}

TEST(FloatTiers, ClassOneFloor) {
  auto s = huainan_like();
  s.base_rates = {0.003, 0.005, 0.009};  // class 2 at 50 % would be 0.25 % < 0.3 %
  employers e;
  e.add(2, 1000.0, 0.0);
  const run r(s, e);
  EXPECT_DOUBLE_EQ(r.rate[0], 0.003);
  EXPECT_DOUBLE_EQ(r.mult[0], 0.6);
  EXPECT_EQ(r.reason[0], static_cast<std::uint8_t>(wr::float_reason::class1_floor));
}

TEST(FloatTiers, BadScheduleAndData) {
  auto s = huainan_like();
  s.ratio.edges = {0.2, 0.6, 0.6, 1.2};
  EXPECT_THROW(wr::validate(s), wifund::invalid_input);
  employers e;
  e.add(4, 1000.0, 0.0);  // unknown class
  EXPECT_THROW(run(huainan_like(), e), wifund::invalid_input);
  employers neg;
  neg.add(2, -1.0, 0.0);
  EXPECT_THROW(run(huainan_like(), neg), wifund::invalid_input);
}
