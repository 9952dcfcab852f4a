// The cohort book: new awards through policy/benefits.hpp (allowance before the floor, care, the
// Art. 39 cap per family), dependants' eligibility (部令第18号 Arts. 3-4: a spouse deferred to 55),
// Art. 39 ¶3 (a grade-1 recipient's death) and the yearly roll (items, exits), worked by hand.
#include <gtest/gtest.h>

#include <map>
#include <numeric>
#include <tuple>
#include <vector>

#include "../test_data.hpp"
#include "wifund/claims/cohort_book.hpp"
#include "../policy/national_rules.hpp"

using namespace wifund;

namespace {
claims_assumptions basis() {
  claims_assumptions a = wifund::testing::no_injury_claims();
  a.grade_share = {0.01, 0.02, 0.03, 0.04, 0, 0, 0, 0, 0, 0};
  a.care_share = {{{0.5, 0.3, 0.1}, {0.3, 0.3, 0.2}, {0.1, 0.2, 0.3}, {0, 0.1, 0.2}}};
  a.entry_ages = {40};
  a.entry_age_weights = {1.0};
  a.male_share = 0.75;
  a.family_spouses = {1};  // one family: spouse, 2 children, 1 parent
  a.family_children = {2};
  a.family_parents = {1};
  a.family_weights = {1.0};
  a.lone_share = 0.0;
  a.dependant_incapacity_share = 0.0;
  return a;
}
/// CL2010-2013: disabled CL1/CL2, dependants CL5/CL6.
mortality_basis china_mortality() {
  return {wifund::testing::china_life_table("CL1"), wifund::testing::china_life_table("CL2"),
          wifund::testing::china_life_table("CL5"), wifund::testing::china_life_table("CL6")};
}
/// 100 retired grade-1 recipients aged 66: allowance 4,500 (90% x 5,000), pension 3,000.
cohort retired_grade1() {
  cohort r;
  r.kind = BenefitKind::allowance;
  r.grade = 1;
  r.sex = Sex::male;
  r.age = 66;
  r.birth_year = 1958;
  r.count = 100;
  r.monthly_amount = 4500;
  r.pension = 3000;
  r.retired = true;
  r.award_year = 2010;
  return r;
}
}  // namespace

TEST(CohortBook, AwardsUseTheBenefitFormulas) {
  const policy_year p = wifund::testing::national_policy_year(2025);
  const auto a = basis();
  cohort_book book;
  book.reset({}, 0, a);
  double awards[n_benefit_kinds] = {};
  book.award({0, 2025, 1000.0, 10.0, 6000.0, 8000.0, 6000.0}, a, p.benefits, awards);
  // Allowances: 1,000 x (1% + 2% + 3% + 4%) = 100 people, at rate_g x own wage before the floor.
  EXPECT_NEAR(awards[index_of(BenefitKind::allowance)], 100.0, 1e-12);
  double family_total = 0, dependants = 0;
  for (const auto& c : book.cohorts()) {
    if (c.kind == BenefitKind::allowance) {
      EXPECT_DOUBLE_EQ(c.monthly_amount, allowance_before_floor(c.grade, 6000.0, p.benefits));
    } else if (c.kind == BenefitKind::care) {
      EXPECT_DOUBLE_EQ(c.monthly_amount,
                       care_allowance(static_cast<CareLevel>(c.care_level), 8000.0, p.benefits));
    } else {
      family_total += c.count * c.monthly_amount;
      dependants += c.count;
    }
    EXPECT_EQ(c.award_year, 2025);
  }
  // Art. 39: spouse 40% + 3 others x 30% = 130% > 100% of own wage -> scaled to the cap.
  EXPECT_NEAR(dependants, 40.0, 1e-12);
  EXPECT_NEAR(family_total / 10.0, 6000.0, 1e-9);
  // The cap is on the wage before death (unclamped): 5,000 where the clamped own wage is 6,000.
  cohort_book low;
  low.reset({}, 0, a);
  double awards2[n_benefit_kinds] = {};
  low.award({0, 2025, 1000.0, 10.0, 6000.0, 8000.0, 5000.0}, a, p.benefits, awards2);
  double total2 = 0;
  for (const auto& c : low.cohorts())
    if (c.kind != BenefitKind::allowance && c.kind != BenefitKind::care)
      total2 += c.count * c.monthly_amount;
  EXPECT_NEAR(total2 / 10.0, 5000.0, 1e-9);
}

TEST(CohortBook, LargeFamilyCapBindsPerFamily) {
  const policy_year p = wifund::testing::national_policy_year(2025);
  auto a = basis();
  // Half the deaths leave a spouse only (40%, no cap), half a spouse, 2 children and 2 parents:
  // 40% + 4 x 30% = 160% -> every pension x 1 / 1.6. The expected family (1 spouse, 1 child,
  // 1 parent: 100%) would never bind.
  a.family_spouses = {1, 1};
  a.family_children = {0, 2};
  a.family_parents = {0, 2};
  a.family_weights = {0.5, 0.5};
  a.parent_age = 70;
  cohort_book book;
  book.reset({}, 0, a);
  int n = 0;
  book.award_dependants({0, 2025, 2.0, 60, Sex::male, 5000.0, 5000.0}, a, p.benefits,
                        [&](BenefitKind, double) { ++n; });
  double spouse_total = 0, others_total = 0, spouses = 0;
  for (const auto& c : book.cohorts()) {
    if (c.kind == BenefitKind::spouse) {
      spouses += c.count;
      spouse_total += c.count * c.monthly_amount;
    } else {
      others_total += c.count * c.monthly_amount;
    }
  }
  EXPECT_NEAR(spouses, 2.0, 1e-12);
  // Spouse 58 (female, >= 55: paid now): one at 2,000 and one at 2,000 / 1.6 = 1,250.
  EXPECT_NEAR(spouse_total, 2000.0 + 1250.0, 1e-9);
  // Children: the worker (60) is 20 years older than the mean entry age (40): 8 + 20 = 28, not
  // under 18, no children's pensions. Parents: 70 + 20 = 90, 2 x 1,500 / 1.6 = 1,875 per family.
  EXPECT_NEAR(others_total, 1875.0, 1e-9);
}

TEST(CohortBook, SpouseAged38IsDeferredTo55) {
  policy_year p = wifund::testing::national_policy_year(2025);
  p.indexation.percentage = false;
  auto a = basis();
  a.family_spouses = {1};
  a.family_children = {0};
  a.family_parents = {0};
  a.family_weights = {1.0};
  const mortality_basis m{
      wifund::testing::china_life_table("CL1"), wifund::testing::china_life_table("CL2"),
      wifund::testing::china_life_table("CL5"), wifund::testing::china_life_table("CL6")};
  cohort_book book;
  book.reset({}, 0, a);
  // A man of 40 dies in 2025; his widow is 38 (offset -2): below 55 and able to work, she is
  // deferred to July 2041, when she turns 55 (born mid-1986).
  book.award_dependants({0, 2025, 1.0, 40, Sex::male, 5000.0, 5000.0}, a, p.benefits,
                        [](BenefitKind, double) {});
  ASSERT_EQ(book.size(), 1u);
  EXPECT_EQ(book.cohorts()[0].age, 38);
  EXPECT_EQ(book.cohorts()[0].pay_from_month, 2041 * 12 + 6);
  const life_table& cl6 = m.dependant_female;
  double alive = 1.0;
  for (int y = 2025; y <= 2042; ++y) {
    double paid = 0, in_pay = 0;
    book.roll(
        y, p, 0, 0, 8000, a, m, [](int) { return 2000.0; },
        [&](int, int i, BenefitKind, double v, double n) {
          if (i == item::dependant_pension) paid += v;
          in_pay += n;
        },
        [](int, BenefitKind, double) {});
    const int age = 38 + (y - 2025);
    const double q = cl6.q(age, 1.0);
    const double exposure = y == 2025 ? 0.5 : 1.0;
    const double mean = alive * (1 - 0.5 * exposure * q);
    if (y < 2041) {
      EXPECT_EQ(paid, 0.0) << y;  // nothing before 55
      EXPECT_EQ(in_pay, 0.0) << y;
    } else if (y == 2041) {
      EXPECT_NEAR(paid, mean * 6 * 2000, 1e-9);  // July-December at 40% x 5,000
    } else {
      EXPECT_NEAR(paid, mean * 12 * 2000, 1e-9);
    }
    alive *= 1 - exposure * q;
  }
  // With an incapacity share of 10% (wholly unable to work), 10% are paid from the death.
  a.dependant_incapacity_share = 0.1;
  cohort_book now;
  now.reset({}, 0, a);
  now.award_dependants({0, 2025, 1.0, 40, Sex::male, 5000.0, 5000.0}, a, p.benefits,
                       [](BenefitKind, double) {});
  ASSERT_EQ(now.size(), 2u);
  EXPECT_NEAR(now.cohorts()[0].count, 0.1, 1e-15);
  EXPECT_EQ(now.cohorts()[0].pay_from_month, 0);
  EXPECT_NEAR(now.cohorts()[1].count, 0.9, 1e-15);
}

// Art. 39 ¶3: a grade-1 allowance recipient who dies is due the funeral grant (6 months of last
// year's average wage) and his dependants' pensions (on his own wage: allowance / 90%), not the
// death grant.
TEST(CohortBook, Grade1DeathBringsFuneralGrantAndDependants) {
  policy_year p = wifund::testing::national_policy_year(2025);
  p.indexation.percentage = false;
  auto a = basis();
  a.family_spouses = {1};
  a.family_children = {0};
  a.family_parents = {0};
  a.family_weights = {1.0};
  const mortality_basis m = china_mortality();
  const cohort r = retired_grade1();
  cohort_book book;
  book.reset({r}, 1, a);
  double by_item[item::count] = {}, spouses_awarded = 0;
  book.roll(
      2025, p, 0, 0, 8000, a, m, [](int) { return 2000.0; },
      [&](int, int i, BenefitKind, double v, double) { by_item[i] += v; },
      [&](int, BenefitKind k, double n) {
        if (k == BenefitKind::spouse) spouses_awarded += n;
      });
  const double q = m.disabled_male.q(66, 3.0);  // grade-1 load
  const double deaths = 100 * q;
  EXPECT_NEAR(by_item[item::funeral_grant], deaths * 6 * 8000, 1e-9);
  EXPECT_EQ(by_item[item::death_grant], 0.0);
  EXPECT_NEAR(spouses_awarded, deaths, 1e-12);
  // The widow is 64 (>= 55): paid from mid-year, 40% x 5,000 = 2,000 a month, six months.
  const double qs = m.dependant_female.q(64, 1.0);
  EXPECT_NEAR(by_item[item::dependant_pension], deaths * (1 - 0.25 * qs) * 6 * 2000, 1e-9);
  EXPECT_NEAR(by_item[item::allowance_topup], 100 * (1 - 0.5 * q) * 12 * 1500, 1e-9);
}

TEST(CohortBook, RollPaysByItemAndDropsExits) {
  policy_year p = wifund::testing::national_policy_year(2025);
  p.indexation.percentage = false;
  const auto a = basis();
  const mortality_basis m{
      wifund::testing::china_life_table("CL1"), wifund::testing::china_life_table("CL2"),
      wifund::testing::china_life_table("CL5"), wifund::testing::china_life_table("CL6")};
  cohort child;
  child.kind = BenefitKind::child;
  child.age = 18;
  child.count = 2;
  child.monthly_amount = 1000;
  child.award_year = 2015;
  cohort retired;
  retired.kind = BenefitKind::allowance;
  retired.grade = 1;
  retired.age = 70;
  retired.count = 1;
  retired.monthly_amount = 4000;
  retired.pension = 3000;
  retired.retired = true;
  retired.award_year = 2000;
  cohort_book book;
  book.reset({child, retired}, 2, a);
  double paid_by_item[item::count] = {};
  book.roll(
      2025, p, 0, 0, 8000, a, m, [](int) { return 2000.0; },
      [&](int, int i, BenefitKind, double paid, double) { paid_by_item[i] += paid; },
      [](int, BenefitKind, double) {});
  EXPECT_GE(book.size(),
            1u);  // the child's pension ended at 18 (the recipient's widow joined, Art. 39 ¶3)
  for (const auto& c : book.cohorts()) EXPECT_NE(c.kind, BenefitKind::child);
  EXPECT_GT(paid_by_item[item::funeral_grant], 0.0);
  EXPECT_GT(paid_by_item[item::allowance_topup], 0.0);
  EXPECT_EQ(paid_by_item[item::disability_allowance], 0.0);
  EXPECT_EQ(expenditure_item_of(retired), item::disability_allowance);
}

// The book takes the flat-by-grade averages before any cohort of the year changes: two grade-3
// cohorts (20 at 2,000, 20 at 3,000; average 2,500) in the flat_by_grade mode at 5% both get + 125.
TEST(CohortBook, FlatByGradeUsesPreviousYearAverages) {
  policy_year p = wifund::testing::national_policy_year(2025);
  p.indexation.percentage = false;
  p.indexation.flat_by_grade = true;
  p.indexation.by_grade_allowance_rate = 0.05;
  const auto a = basis();
  const mortality_basis m{
      wifund::testing::china_life_table("CL1"), wifund::testing::china_life_table("CL2"),
      wifund::testing::china_life_table("CL5"), wifund::testing::china_life_table("CL6")};
  cohort x;
  x.kind = BenefitKind::allowance;
  x.grade = 3;
  x.age = 45;
  x.birth_year = 1980;
  x.count = 20;
  x.award_year = 2020;
  cohort lo = x, hi = x;
  lo.monthly_amount = 2000;
  hi.monthly_amount = 3000;
  cohort_book book;
  book.reset({lo, hi}, 2, a);
  book.roll(
      2025, p, 0, 0, 8000, a, m, [](int) { return 0.0; },
      [](int, int, BenefitKind, double, double) {}, [](int, BenefitKind, double) {});
  // The two cohorts keep their places; their deaths' dependants (Art. 39 ¶3) join after them.
  ASSERT_GE(book.size(), 2u);
  EXPECT_DOUBLE_EQ(book.cohorts()[0].monthly_amount, 2125);
  EXPECT_DOUBLE_EQ(book.cohorts()[1].monthly_amount, 3125);
}

TEST(CohortBook, Grade1DeathUsesTheStockWagesWhereGiven) {
  // Art. 39 ¶3 with the deceased's actual wage (beneficiaries.csv own_wage / cap_wage): the widow's
  // 40% of the own wage 6,000 = 2,400 is capped at the 1,500 he earned (Art. 39: at most the wage
  // before death), instead of 40% x 4,500 / 90% = 2,000 (the reconstruction).
  policy_year p = wifund::testing::national_policy_year(2025);
  p.indexation.percentage = false;
  auto a = basis();
  const mortality_basis m = china_mortality();
  a.family_children = {0};
  a.family_parents = {0};
  cohort r = retired_grade1();
  r.own_wage = 6000;
  for (const double cap : {1500.0, 0.0}) {  // cap_wage given; not given: the own wage is the cap
    r.cap_wage = cap;
    cohort_book book;
    book.reset({r}, 1, a);
    double by_item[item::count] = {};
    book.roll(
        2025, p, 0, 0, 8000, a, m, [](int) { return 2000.0; },
        [&](int, int i, BenefitKind, double v, double) { by_item[i] += v; },
        [](int, BenefitKind, double) {});
    const double deaths = 100 * m.disabled_male.q(66, 3.0);
    const double qs = m.dependant_female.q(64, 1.0);
    const double pension = cap > 0 ? 1500.0 : 2400.0;
    EXPECT_NEAR(by_item[item::dependant_pension], deaths * (1 - 0.25 * qs) * 6 * pension, 1e-9);
  }
}

// award() books the dependants of the deaths of men and of women in one merge scope: children and
// parents of the same age, amount, lone flag and first month are one cohort (the spouses, of the
// other sex each, stay apart). Checked against award_dependants called once per sex on two books.
TEST(CohortBook, AwardMergesTheSameDependantsOfMenAndWomen) {
  const policy_year p = wifund::testing::national_policy_year(2025);
  auto a = basis();
  a.grade_share = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0};  // deaths only: the dependants are the whole book
  a.lone_share = 0.2;
  a.dependant_incapacity_share = 0.1;
  cohort_book book;
  book.reset({}, 0, a);
  double awards[n_benefit_kinds] = {};
  book.award({0, 2025, 1000.0, 10.0, 6000.0, 8000.0, 6000.0}, a, p.benefits, awards);
  // The same deaths, one sex per book: 7.5 men, 2.5 women (male_share 0.75).
  std::vector<cohort> separate;
  for (const Sex sex : sexes) {
    cohort_book one;
    one.reset({}, 0, a);
    const double deaths = 10.0 * (sex == Sex::male ? 0.75 : 0.25);
    one.award_dependants({0, 2025, deaths, 40, sex, 6000.0, 6000.0}, a, p.benefits,
                         [](BenefitKind, double) {});
    separate.insert(separate.end(), one.cohorts().begin(), one.cohorts().end());
  }
  const auto key = [](const cohort& c) {
    return std::tuple(index_of(c.kind), index_of(c.sex), c.age, c.lone, c.pay_from_month,
                      c.monthly_amount);
  };
  std::map<decltype(key(separate[0])), double> expected, got;
  for (const auto& c : separate) expected[key(c)] += c.count;
  for (const auto& c : book.cohorts()) {
    EXPECT_EQ(got.count(key(c)), 0u) << "two cohorts of one description";
    got[key(c)] += c.count;
  }
  ASSERT_EQ(got.size(), expected.size());
  EXPECT_LT(book.size(), separate.size());  // children and parents merged across the two sexes
  for (const auto& [k, n] : expected) EXPECT_NEAR(got.at(k), n, 1e-12 * n);
}

// roll() groups the deaths of allowance recipients by city and sex (one funeral-grant payment and
// one dependants' award per group, in the order of their first death) and drops extinct cohorts.
TEST(CohortBook, RollGroupsDeathsByCityAndSex) {
  const policy_year p = wifund::testing::national_policy_year(2026);
  const auto a = basis();
  std::vector<cohort> stock;
  for (const int city : {2, 0, 2}) {
    cohort c = retired_grade1();
    c.city = city;
    stock.push_back(c);
  }
  cohort gone = retired_grade1();
  gone.count = 1e-10;  // below the 1e-9 threshold after the year: dropped
  stock.push_back(gone);
  cohort_book book;
  book.reset(stock, 0, a);
  std::vector<int> funeral_cities;
  double funeral = 0;
  book.roll(
      2026, p, 0.05, 0.02, 8000.0, a, china_mortality(), [](int) { return 2000.0; },
      [&](int city, int i, BenefitKind, double paid, double) {
        if (i != item::funeral_grant) return;
        funeral_cities.push_back(city);
        funeral += paid;
      },
      [](int, BenefitKind, double) {});
  // Two groups (city 2 first: its first cohort died first), the deaths of three cohorts of 100
  // (and the tiny one, in city 0's group) at the grade-1 CL1 rate q(66) with its load.
  EXPECT_EQ(funeral_cities, (std::vector<int>{2, 0}));
  const double q =
      std::min(1.0, wifund::testing::china_life_table("CL1").q(66, a.disabled_mortality_load[0]));
  EXPECT_NEAR(funeral, (300 + 1e-10) * q * funeral_grant(8000.0, p.benefits), 1e-6);
  for (const auto& c : book.cohorts()) EXPECT_GE(c.count, 1e-9);
  std::size_t allowance = 0;
  for (const auto& c : book.cohorts()) allowance += c.kind == BenefitKind::allowance;
  EXPECT_EQ(allowance, 3u);
}
