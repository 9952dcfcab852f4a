// The axes: names and named indices agree, and the short-term / long-term split is where the
// result arrays expect it.
#include <gtest/gtest.h>

#include "wifund/core/axes.hpp"
#include "wifund/policy/benefits.hpp"

using namespace wifund;

TEST(Axes, NamedIndicesMatchNames) {
  EXPECT_EQ(expenditure_items[item::prevention], "prevention");
  EXPECT_EQ(expenditure_items[item::medical], "medical");
  EXPECT_EQ(expenditure_items[item::death_grant], "death_grant");
  EXPECT_EQ(expenditure_items[item::disability_allowance], "disability_allowance");
  EXPECT_EQ(expenditure_items[item::allowance_topup], "allowance_topup");
  EXPECT_EQ(expenditure_items[item::care_allowance], "care_allowance");
  EXPECT_EQ(expenditure_items[item::dependant_pension], "dependant_pension");
  EXPECT_EQ(item::n_short_term, 9);
  EXPECT_EQ(revenue_items[revenue_item::interest], "interest");
  EXPECT_EQ(revenue_items[revenue_item::other_income], "other_income");
  EXPECT_EQ(risk_class_names[risk_class::unclassified], "U");
  EXPECT_EQ(risk_class_names[risk_class::of(8)], "8");
  EXPECT_EQ(benefit_kind_names[index_of(BenefitKind::parent)], "parent");
  EXPECT_EQ(care_level_names[static_cast<std::size_t>(CareLevel::partial)], "partial");
  EXPECT_EQ(sex_names[index_of(Sex::female)], "F");
  EXPECT_EQ(other_sex(Sex::male), Sex::female);
}

TEST(Axes, GradeSlots) {
  EXPECT_EQ(grade::count, 10);
  EXPECT_EQ(grade::slot(1), 0u);
  EXPECT_EQ(grade::slot(10), 9u);
  EXPECT_EQ(grade::slot(5, grade::first_subsidy), 0u);
  EXPECT_EQ(grade::n_subsidy, 6);
  EXPECT_EQ(grade::n_allowance, 4);
}
