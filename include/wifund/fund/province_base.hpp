#pragma once
// Base-year data of a province: what the projection starts from (the year before its first year).
#include <string>
#include <vector>

#include "wifund/claims/cohort.hpp"
#include "wifund/core/types.hpp"

namespace wifund {

/// Base-year data of a province (the year before the first projection year).
struct province_base {
  int base_year = 0;
  std::vector<std::string> cities;
  Matrix insured;        ///< C x 9: insured headcount by city x class at the base year
  Matrix wage;           ///< C x 9: average monthly wage (yuan)
  Matrix avg_float;      ///< C x 9: average float multiplier of the employers (1 = base rate)
  Vector project_value;  ///< C: construction contract value started in the base year (yuan)
  std::vector<cohort> beneficiaries;  ///< long-term benefits in payment at the base-year end
  double opening_balance = 0;         ///< fund balance at the base-year end, reserve included
  double opening_reserve = 0;
  double base_expenditure = 0;    ///< fund expenditure in the base year (for months of payment)
  double base_contributions = 0;  ///< contributions collected in the base year (prevention cap)
  double disposable_income = 0;   ///< national urban disposable income per head in the base year
};

}  // namespace wifund
