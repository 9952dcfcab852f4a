#pragma once
// A scenario: what varies between runs of one context. The economic paths (wage, employment,
// coverage, collection, CPI, disposable income, minimum wage, medical inflation, interest, project
// growth, other income, the planned prevention share) and the overrides that the rate-setting
// solvers vary: a multiplier on the base rates by class, a multiplier on the incidence level and
// an optional 以支定收 rate-review rule replacing the policy's.
// Validated cheaply on every run: a few comparisons per value, no string unless a check fails.
#include <array>
#include <string>

#include "wifund/core/axes.hpp"
#include "wifund/core/checks.hpp"
#include "wifund/economy/paths.hpp"
#include "wifund/fund/context.hpp"
#include "wifund/policy/rate_schedule.hpp"

namespace wifund {

struct scenario {
  economy_paths economy;
  /// Base rate used = policy base rate x multiplier, by class (1 = the policy's rate). Multiplying
  /// by exactly 1 changes no bit, so the default run equals the policy run.
  std::array<double, risk_class::count> rate_multiplier{1, 1, 1, 1, 1, 1, 1, 1, 1};
  /// Incidence used = claims incidence x multiplier (1 = the claims basis).
  double incidence_multiplier = 1;
  /// When true, `rate_review` replaces the policy's 以支定收 rate review in every year (an
  /// assumption-level override for Monte Carlo and the solvers; policy/rate_schedule.hpp).
  bool override_rate_review = false;
  rate_review_rule rate_review{};
  /// Monte Carlo inputs (include/wifund/stochastic/); empty means none and changes no bit.
  /// (C x risk_class::count) x T: injuries of city c, class k in year j = expected x
  /// claim_multiplier(c * risk_class::count + k, j) (a drawn count over its expectation).
  Matrix claim_multiplier;
  /// T: the medical-type short-term costs per injury (medical, rehabilitation, assistive devices,
  /// hospital food, appraisal) x this; the statutory lump sums and grants are not scaled.
  Vector severity_multiplier;
  /// C x T: deaths of catastrophic accidents (特别重大事故) on top of the expected deaths; they
  /// bring the funeral and death grants and the dependants' cohorts like any work-injury death.
  Matrix catastrophe_deaths;
};

/// Checks the scenario against the context: shapes and ranges of the paths, and that the scaled
/// base rates and incidences stay in [0, 1] where they are used.
inline void validate(const projection_context& x, const scenario& s) {
  static constexpr const char* fn = "scenario";
  s.economy.validate(x.cities(), x.years);
  if (s.override_rate_review) check_rate_review_rule("scenario", s.rate_review, x.start_year());
  if (!(s.incidence_multiplier >= 0.0) || !std::isfinite(s.incidence_multiplier))
    check_nonnegative(fn, "incidence_multiplier", s.incidence_multiplier);
  const Eigen::Index C = x.cities(), T = x.years;
  auto optional = [&](const Matrix& m, Eigen::Index rows, Eigen::Index cols, const char* name) {
    if (m.size() == 0) return;
    if (m.rows() != rows || m.cols() != cols)
      throw invalid_input(std::string("scenario: ") + name + " has shape " +
                          std::to_string(m.rows()) + "x" + std::to_string(m.cols()) +
                          ", expected " + std::to_string(rows) + "x" + std::to_string(cols));
    for (Eigen::Index r = 0; r < rows; ++r)
      for (Eigen::Index t = 0; t < cols; ++t)
        if (!(m(r, t) >= 0.0) || !std::isfinite(m(r, t)))
          check_nonnegative(fn,
                            std::string(name) + "[" + std::to_string(r) + ", year index " +
                                std::to_string(t) + "]",
                            m(r, t));
  };
  optional(s.claim_multiplier, C * risk_class::count, T, "claim_multiplier");
  optional(s.severity_multiplier, T, 1, "severity_multiplier");
  optional(s.catastrophe_deaths, C, T, "catastrophe_deaths");
  for (int k = 0; k < risk_class::count; ++k) {
    const double m = s.rate_multiplier[static_cast<std::size_t>(k)];
    if (!(m >= 0.0) || !std::isfinite(m))
      check_nonnegative(fn, "rate_multiplier[class " + detail::class_label(k) + "]", m);
    if (x.class_insured[static_cast<std::size_t>(k)])
      for (const auto& p : x.policy) {
        const double r = p.base_rate[static_cast<std::size_t>(k)] * m;
        if (!(r >= 0.0 && r <= 1.0))
          throw invalid_input(check_message(fn,
                                            "base rate x rate_multiplier [class " +
                                                detail::class_label(k) + "] in " +
                                                std::to_string(p.year),
                                            r, "must lie in [0, 1]"));
      }
    if (s.incidence_multiplier != 1.0)
      for (Eigen::Index t = 0; t < x.claims.incidence.rows(); ++t) {
        const double v = x.claims.incidence(t, k) * s.incidence_multiplier;
        if (!(v >= 0.0 && v <= 1.0))
          throw invalid_input(check_message(fn,
                                            "incidence x incidence_multiplier [class " +
                                                detail::class_label(k) + "] in " +
                                                std::to_string(x.start_year() + t),
                                            v, "must lie in [0, 1]"));
      }
  }
}

}  // namespace wifund
