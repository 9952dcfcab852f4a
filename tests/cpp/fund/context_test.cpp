// The projection context: validated once (including the ordered pairs of issue #7), immutable,
// shared between threads, and saved / loaded bit for bit.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <thread>

#include "tiny_province.hpp"
#include "wifund/fund/context_io.hpp"

using namespace wifund;
using wifund::testing::busy_province;
using wifund::testing::same_bits;
using wifund::testing::split;

namespace {
std::string message_of(const projection_input& in) {
  try {
    (void)make_context(in.base, in.policy, in.claims, in.mortality, in.years);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(Context, BuildsOnceAndMarksInsuredClasses) {
  const auto [x, s] = split(busy_province(5));
  EXPECT_EQ(x->start_year(), 2025);
  EXPECT_EQ(x->cities(), 2);
  EXPECT_TRUE(x->class_insured[risk_class::of(1)]);
  EXPECT_FALSE(x->class_insured[risk_class::unclassified]);
}

TEST(Context, ReversedPairsAreRejectedNamingFieldYearAndValues) {
  auto in = busy_province(3);
  in.policy[1].benefits.base_clamp = {3.0, 0.6};  // reversed own-wage clamp (issue #7)
  const std::string m = message_of(in);
  EXPECT_NE(m.find("base_clamp"), std::string::npos) << m;
  EXPECT_NE(m.find("2026"), std::string::npos) << m;
  EXPECT_NE(m.find("[3, 0.59999999999999998]"), std::string::npos) << m;
  in = busy_province(3);
  in.policy[0].cut.lower_months = 30;  // above upper_months = 24
  EXPECT_NE(message_of(in).find("cut.months"), std::string::npos) << message_of(in);
  in = busy_province(3);
  in.policy[2].cut.lower_cut = 0.6;  // larger than upper_cut = 0.5
  EXPECT_NE(message_of(in).find("2027"), std::string::npos);
  in = busy_province(3);
  in.policy[0].cut.active = false;  // outside the window the thresholds are not used: not checked
  in.policy[0].cut.lower_months = 30;
  EXPECT_EQ(message_of(in), "");
  in = busy_province(3);
  in.policy[1].year = 2030;
  EXPECT_NE(message_of(in).find("policy year 2030"), std::string::npos);
  // A reversed clamp never reaches std::clamp through the formula either.
  benefit_rules r = in.policy[0].benefits;
  r.base_clamp = {3.0, 0.6};
  EXPECT_THROW((void)own_wage(5000, 5000, r), invalid_input);
}

TEST(Context, SaveLoadProjectsBitIdentically) {
  const auto [x, s] = split(busy_province(12));
  const std::string bytes = save_context(*x);
  const auto y = load_context(bytes);
  EXPECT_TRUE(same_bits(project(*x, s), project(*y, s)));
  EXPECT_EQ(save_context(*y), bytes);
  EXPECT_THROW((void)load_context(bytes.substr(0, bytes.size() / 2)), invalid_input);
  std::string other = bytes;
  other[detail::context_magic.size()] =
      static_cast<char>(context_format_version + 1);  // the version field
  EXPECT_THROW((void)load_context(other), invalid_input);
  EXPECT_THROW((void)load_context("not a context"), invalid_input);
}

TEST(Context, SharedBetweenThreadsGivesIdenticalResults) {
  const auto [x, s] = split(busy_province(20));
  const auto ref = project(*x, s);
  projection_result a, b;
  std::thread t1([&, &x = x, &s = s] { a = project(*x, s); });
  std::thread t2([&, &x = x, &s = s] { b = project(*x, s); });
  t1.join();
  t2.join();
  EXPECT_TRUE(same_bits(a, ref));
  EXPECT_TRUE(same_bits(b, ref));
}
