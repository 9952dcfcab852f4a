#pragma once
// The axes of every projection array, in one place: their names, their order and named indices,
// so that no engine code writes `13` for the prevention fee or `8` for the unclassified employers.
// The names are exported once to Python (wifund._core.axes_*), where the labelled frames and the
// input checks read them; no other list of them is kept.
#include <array>
#include <cstddef>
#include <string_view>

#include "wifund/core/types.hpp"

namespace wifund {

/// Revenue items, in the order of the result arrays (条例 Art. 7: contributions, interest, other).
namespace revenue_item {
inline constexpr int contributions = 0;
inline constexpr int project_premiums = 1;  ///< construction projects (按项目参保)
inline constexpr int interest = 2;          ///< provincial level
inline constexpr int other_income = 3;      ///< provincial level
/// 财政垫付/补贴: the government's advance when the balance would go negative (条例 Art. 13),
/// provincial level
inline constexpr int fiscal_advance = 4;
inline constexpr int count = 5;
}  // namespace revenue_item
inline constexpr std::array<std::string_view, revenue_item::count> revenue_items{
    "contributions", "project_premiums", "interest", "other_income", "fiscal_advance"};

/// Expenditure items, in the order of the result arrays. The short-term items [first_short_term,
/// end_short_term) are costs of the injury year paid by the payment pattern; the long-term items
/// are benefits in payment (cohorts); prevention is charged at the provincial level.
namespace item {
inline constexpr int medical = 0;
inline constexpr int rehabilitation = 1;
inline constexpr int assistive_devices = 2;
inline constexpr int hospital_food = 3;
inline constexpr int appraisal = 4;
inline constexpr int disability_lump_sum = 5;   ///< 一次性伤残补助金 (Art. 35-37)
inline constexpr int medical_subsidy = 6;       ///< 一次性工伤医疗补助金 (Art. 36-37)
inline constexpr int funeral_grant = 7;         ///< 丧葬补助金 (Art. 39)
inline constexpr int death_grant = 8;           ///< 一次性工亡补助金 (Art. 39)
inline constexpr int disability_allowance = 9;  ///< 伤残津贴 before retirement (Art. 35)
inline constexpr int allowance_topup = 10;      ///< the fund's top-up after retirement (Art. 35)
inline constexpr int care_allowance = 11;       ///< 生活护理费 (Art. 34)
inline constexpr int dependant_pension = 12;    ///< 供养亲属抚恤金 (Art. 39)
inline constexpr int prevention = 13;           ///< 人社部规〔2017〕13号
inline constexpr int major_accident =
    14;  ///< major-accident cost, paid from the reserve first (Art. 13)
inline constexpr int advance_repayment = 15;  ///< repayment of the fiscal advance from surpluses
inline constexpr int count = 16;
inline constexpr int first_short_term = medical;
inline constexpr int end_short_term = death_grant + 1;
inline constexpr int n_short_term = end_short_term - first_short_term;
}  // namespace item
inline constexpr std::array<std::string_view, item::count> expenditure_items{
    "medical",           "rehabilitation",       "assistive_devices", "hospital_food",
    "appraisal",         "disability_lump_sum",  "medical_subsidy",   "funeral_grant",
    "death_grant",       "disability_allowance", "allowance_topup",   "care_allowance",
    "dependant_pension", "prevention",           "major_accident",    "advance_repayment"};

inline constexpr int n_revenue_items = revenue_item::count;
inline constexpr int n_expenditure_items = item::count;

/// Industry risk classes of 人社部发〔2015〕71号 (1..8) and the unclassified employers
/// (宁政办发〔2016〕134号).
namespace risk_class {
inline constexpr int first = 0;         ///< class 1
inline constexpr int unclassified = 8;  ///< "U"
inline constexpr int count = n_risk_classes;
/// The index of class 1..8.
[[nodiscard]] constexpr int of(int class_number) noexcept { return class_number - 1; }
}  // namespace risk_class
inline constexpr std::array<std::string_view, risk_class::count> risk_class_names{
    "1", "2", "3", "4", "5", "6", "7", "8", "U"};
static_assert(risk_class::unclassified == risk_class::count - 1);

/// Kinds of long-term benefit in payment (BenefitKind, core/types.hpp), by index.
inline constexpr std::array<std::string_view, n_benefit_kinds> benefit_kind_names{
    "allowance", "care", "spouse", "child", "parent", "legacy_subsidy"};
[[nodiscard]] constexpr int index_of(BenefitKind k) noexcept { return static_cast<int>(k); }

/// Care levels of 生活护理费 (Art. 34): full / major / partial (CareLevel, policy/benefits.hpp).
inline constexpr int n_care_levels = 3;
inline constexpr std::array<std::string_view, n_care_levels> care_level_names{"full", "major",
                                                                              "partial"};

/// Sexes as written in the beneficiary files ("M", "F"); index = Sex.
inline constexpr int n_sexes = 2;
inline constexpr std::array<std::string_view, n_sexes> sex_names{"M", "F"};
inline constexpr std::array<Sex, n_sexes> sexes{Sex::male, Sex::female};
[[nodiscard]] constexpr int index_of(Sex s) noexcept { return static_cast<int>(s); }
[[nodiscard]] constexpr Sex other_sex(Sex s) noexcept {
  return s == Sex::male ? Sex::female : Sex::male;
}

/// Disability grades (劳动能力鉴定 GB/T 16180): 1..10; the fund pays allowances and care for grades
/// 1..4 (Art. 35) and the medical subsidy on termination for grades 5..10 (Art. 36-37).
namespace grade {
inline constexpr int first = 1;
inline constexpr int last = 10;
inline constexpr int count = last - first + 1;
inline constexpr int last_allowance = 4;            ///< grades 1..4: 伤残津贴 from the fund
inline constexpr int n_allowance = last_allowance;  ///< number of fund-paid allowance grades
inline constexpr int first_subsidy = 5;  ///< grades 5..10: 一次性工伤医疗补助金
inline constexpr int n_subsidy = last - first_subsidy + 1;
/// Position of grade g in an array that starts at grade `from`.
[[nodiscard]] constexpr std::size_t slot(int g, int from = first) noexcept {
  return static_cast<std::size_t>(g - from);
}
}  // namespace grade

}  // namespace wifund
