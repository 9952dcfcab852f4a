#pragma once
// Shared vocabulary types: sexes, risk classes, benefit kinds and the Eigen aliases used at the
// Python boundary (row-major, so numpy C-order arrays map without copies).
#include <Eigen/Dense>
#include <array>
#include <cstddef>
#include <string_view>

namespace wifund {

using Vector = Eigen::VectorXd;
using Matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

enum class Sex : int { male = 0, female = 1 };

/// Industry risk classes of 人社部发〔2015〕71号 (1..8) plus the "unclassified" employers that
/// Ningxia rates at 0.75% (宁政办发〔2016〕134号). Index 0..7 = classes 1..8, index 8 =
/// unclassified.
inline constexpr int n_risk_classes = 9;

/// Kinds of long-term benefit in payment (the cohorts rolled forward with mortality).
enum class BenefitKind : int {
  allowance = 0,  // 伤残津贴 grades 1-4 (条例 Art. 35); after retirement the fund pays a top-up
  care = 1,       // 生活护理费 (Art. 34), levels full / major / partial
  spouse = 2,     // 供养亲属抚恤金, spouse (Art. 39)
  child = 3,      // dependant child, ends at age 18 (部令18号)
  parent = 4,     // dependant parent or other life-long dependant
  /// 按月领取伤残补助金: the legacy monthly disability subsidy, grades 1-10, of recipients awarded
  /// under the pre-2004 rules (a monthly subsidy instead of the lump sum), paid for life; stock
  /// only (no new awards), raised by Jilin's rounds (吉人社发〔2022〕24号: +240...+80 by grade).
  legacy_subsidy = 5,
};
inline constexpr int n_benefit_kinds = 6;

}  // namespace wifund
