#pragma once
// Economic assumption paths for a projection of T years over C cities. City-level paths are C x T
// matrices (Python broadcasts a provincial path to every city); province-wide ones are length T.
// All growth rates are annual fractions applied from the base year to year start + j.
#include <cmath>
#include <string>

#include "wifund/core/checks.hpp"
#include "wifund/core/types.hpp"

namespace wifund {

struct economy_paths {
  Matrix wage_growth;               ///< C x T, average wage growth by city
  Matrix employment_growth;         ///< C x T, growth of insured employment
  Matrix coverage_growth;           ///< C x T, extra growth from coverage expansion (扩面)
  Matrix collection_rate;           ///< C x T, contributions received / due (征缴率), in [0, 1]
  Matrix minimum_wage;              ///< C x T, monthly minimum wage (yuan) in force in the year
  Vector cpi;                       ///< T, consumer price inflation
  Vector medical_inflation;         ///< T, growth of medical cost per case
  Vector interest_rate;             ///< T, rate credited on the fund balance
  Vector disposable_income_growth;  ///< T, national urban disposable income per head
  Vector project_growth;            ///< T, growth of construction contract value
  Vector other_income;              ///< T, other income (yuan), provincial level
  Vector prevention_share;  ///< T, prevention fee planned as a share of last year's contributions
  /// T, major-accident cost of the year (yuan; 0 = none), paid from the reserve first (条例 Art.
  /// 13): the hook for catastrophe scenarios of the Monte Carlo work.
  Vector major_accident_cost;
  /// T, AW_{t-1} used in year start + j: the published provincial average monthly wage of the year
  /// before (全口径城镇单位就业人员平均工资 / 12), the basis of the own-wage clamp, care, funeral
  /// grant and medical subsidy. NaN: not published for that year; the insured average wage is used,
  /// scaled by the last published / insured ratio (1 when nothing is published).
  Vector avg_wage_prev;

  /// Checks shapes against (cities, years) and the ranges of every value; the message names the
  /// path, the city index and the year index.
  void validate(Eigen::Index cities, Eigen::Index years) const {
    auto mat = [&](const Matrix& m, const char* name, double lo, double hi) {
      if (m.rows() != cities || m.cols() != years)
        throw invalid_input(std::string("economy_paths: ") + name + " has shape " +
                            std::to_string(m.rows()) + "x" + std::to_string(m.cols()) +
                            ", expected " + std::to_string(cities) + "x" + std::to_string(years));
      for (Eigen::Index c = 0; c < cities; ++c)
        for (Eigen::Index t = 0; t < years; ++t) {
          const double v = m(c, t);
          if (!(v >= lo && v <= hi))
            throw invalid_input(check_message("economy_paths",
                                              std::string(name) + "[city " + std::to_string(c) +
                                                  ", year index " + std::to_string(t) + "]",
                                              v, "is out of range"));
        }
    };
    auto vec = [&](const Vector& v, const char* name, double lo, double hi) {
      if (v.size() != years)
        throw invalid_input(std::string("economy_paths: ") + name + " has length " +
                            std::to_string(v.size()) + ", expected " + std::to_string(years));
      for (Eigen::Index t = 0; t < years; ++t)
        if (!(v[t] >= lo && v[t] <= hi))
          throw invalid_input(check_message(
              "economy_paths", std::string(name) + "[year index " + std::to_string(t) + "]", v[t],
              "is out of range"));
    };
    mat(wage_growth, "wage_growth", -0.5, 1.0);
    mat(employment_growth, "employment_growth", -0.5, 1.0);
    mat(coverage_growth, "coverage_growth", -0.5, 1.0);
    mat(collection_rate, "collection_rate", 0.0, 1.0);
    mat(minimum_wage, "minimum_wage", 0.0, 1e7);
    vec(cpi, "cpi", -0.5, 1.0);
    vec(medical_inflation, "medical_inflation", -0.5, 1.0);
    vec(interest_rate, "interest_rate", -0.5, 1.0);
    vec(disposable_income_growth, "disposable_income_growth", -0.5, 1.0);
    vec(project_growth, "project_growth", -0.9, 10.0);
    vec(other_income, "other_income", -1e15, 1e15);
    vec(prevention_share, "prevention_share", 0.0, 1.0);
    vec(major_accident_cost, "major_accident_cost", 0.0, 1e15);
    if (avg_wage_prev.size() != years)
      throw invalid_input("economy_paths: avg_wage_prev has length " +
                          std::to_string(avg_wage_prev.size()) + ", expected " +
                          std::to_string(years));
    for (Eigen::Index t = 0; t < years; ++t)
      if (!std::isnan(avg_wage_prev[t]) && !(avg_wage_prev[t] > 0 && avg_wage_prev[t] < 1e7))
        throw invalid_input(check_message(
            "economy_paths", "avg_wage_prev[year index " + std::to_string(t) + "]",
            avg_wage_prev[t], "must be NaN (not published) or in (0, 1e7) yuan a month"));
  }
};

}  // namespace wifund
