#pragma once
// Experience rating (费率浮动) of employers under a float schedule given as data (issue #13 item
// 4).
//
// The national frame is 人社部发〔2015〕71号: each employer's tier is set from its use of
// contributions (支缴率 = benefits ÷ contributions over the look-back window) and its injury
// incidence (工伤发生率 = injuries ÷ average insured headcount); one or two tiers per review;
// class 1 floats upward only; no floated rate below the class-1 base (domain README §2.3,
// review-2026-12.md §9). Provincial schedules (Jiangsu 苏人社规〔2023〕2号, Huainan, Shenzhen's
// two-dimensional schedule, Henan's blocking rules) are parameter sets of float_schedule, kept
// in python/wifund/data/float_schedules/*.toml; this header carries no policy values.
//
// The schedule is a grid: the ratio axis and the incidence axis are cut into bands by ascending
// edges (each band closed on the right or on the left, as the text says "≤" or "<"), and each
// (ratio band, incidence band) cell names a tier of the ladder. Rules are applied in this order:
//   1. years_insured < min_years                 -> base tier            (new_employer)
//   2. benefits > 0 and contributions == 0        -> the schedule's rule  (no_contributions)
//      (top tier, base tier, or an error naming the employer)
//   3. the grid cell; the zero-repeat tier when ratio and incidence are both 0 and the employer
//      was also at zero in the previous cycle                               (experience)
//   4. at most max_step tiers from the current tier (when given)          (step_limit)
//   5. class 1 does not float below the base tier                          (class1_up_only)
//   6. a blocking flag (arrears, fraud, fatal / mass accident ...) forbids tiers below the base
//                                                                           (blocked + flag bit)
//   7. rate = base_rate[class] × ladder[tier], raised to the class-1 base  (class1_floor)
// 0 ÷ 0 is a ratio (incidence) of 0: an employer with no benefits (injuries) has used nothing.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "wifund/core/checks.hpp"
#include "wifund/core/errors.hpp"

namespace wifund::ratesetting {

/// Why an employer got its multiplier (the last rule that set it).
enum class float_reason : std::uint8_t {
  experience = 0,
  new_employer = 1,
  no_contributions = 2,
  step_limit = 3,
  class1_up_only = 4,
  class1_floor = 5,
  blocked = 16,  ///< blocked + index of the first blocking flag set (bit b -> 16 + b)
};

/// What the schedule does with an employer that drew benefits but paid no contributions.
enum class no_contributions_rule : int { top_tier = 0, base_tier = 1, error = 2 };

/// One axis of the grid: band i is (edges[i-1], edges[i]] when right_closed, else
/// [edges[i-1], edges[i]); edges.size() + 1 bands. Empty edges: the axis is not used.
struct float_axis {
  std::vector<double> edges;
  bool right_closed = true;
};

struct float_schedule {
  std::vector<double> ladder;  ///< multipliers of the class base rate, ascending
  int base_tier = -1;          ///< index of the base rate (multiplier 1) in the ladder
  float_axis ratio;            ///< 支缴率 (fraction, 0.5 = 50 %)
  float_axis incidence;        ///< injuries ÷ insured (fraction, 0.002 = 2 ‰)
  std::vector<int> grid;       ///< tier per cell, ratio band major: grid[i * n_inc + j]
  int zero_repeat_tier = -1;   ///< tier at zero ratio and incidence in two cycles; -1: none
  int max_step = 0;            ///< tiers moved per review at most; 0: no limit
  bool class1_up_only = false;
  bool floor_class1_base = false;
  double min_years = 0.0;  ///< years insured below which the employer does not float
  no_contributions_rule no_contributions = no_contributions_rule::error;
  std::uint32_t block_mask = 0;    ///< flag bits that block downward floats
  std::vector<double> base_rates;  ///< base rate of classes 1..K (fraction of payroll)
};

/// Columns of n employers (pointers to n values each; optional ones may be null).
struct float_input {
  std::size_t n = 0;
  const int* risk_class = nullptr;  ///< 1..K
  const double* contributions = nullptr;
  const double* benefits = nullptr;
  const double* injuries = nullptr;
  const double* insured = nullptr;
  const double* years_insured = nullptr;
  const unsigned char* zero_previous = nullptr;  ///< optional: 1 = zero ratio and incidence before
  const std::uint32_t* flags = nullptr;          ///< optional: bit b = blocking flag b set
  const int* current_tier = nullptr;             ///< optional: tier index now (for max_step)
  const int* group = nullptr;  ///< optional: city code 0..groups-1 for the revenue effect
  int groups = 0;
};

/// Per-employer outputs: pointers to n values each, written by float_tiers.
struct float_output {
  double* ratio = nullptr;
  double* incidence = nullptr;
  double* multiplier = nullptr;
  double* rate = nullptr;
  std::uint8_t* reason = nullptr;
};

/// Revenue effect by (group, class), group major, K classes: employers, contributions over the
/// window, the same contributions at the new multipliers (contributions × new ÷ current).
struct float_totals {
  std::vector<double> employers, contributions, new_contributions;
};

inline int ladder_index(const std::vector<double>& ladder, double m) {
  for (std::size_t t = 0; t < ladder.size(); ++t)
    if (std::fabs(ladder[t] - m) <= 1e-9 * std::max(1.0, std::fabs(m))) return static_cast<int>(t);
  return -1;
}

/// Checks the schedule (ascending strictly increasing edges — overlapping thresholds are an error
/// — a grid of the right size naming ladder tiers, a ladder containing the base).
inline void validate(const float_schedule& s) {
  constexpr const char* fn = "float_schedule";
  if (s.ladder.empty()) throw invalid_input("float_schedule: ladder is empty");
  for (std::size_t t = 0; t < s.ladder.size(); ++t) {
    check_positive(fn, "ladder", s.ladder[t]);
    if (t > 0 && !(s.ladder[t] > s.ladder[t - 1]))
      throw invalid_input("float_schedule: ladder must be strictly ascending, got " +
                          format_value(s.ladder[t - 1]) + " then " + format_value(s.ladder[t]));
  }
  if (s.base_tier < 0 || s.base_tier >= static_cast<int>(s.ladder.size()))
    throw invalid_input("float_schedule: base_tier " + std::to_string(s.base_tier) +
                        " is outside the ladder");
  const auto check_axis = [](const char* name, const float_axis& a) {
    for (std::size_t i = 0; i < a.edges.size(); ++i) {
      check_finite(fn, name, a.edges[i]);
      if (i > 0 && !(a.edges[i] > a.edges[i - 1]))
        throw invalid_input(std::string("float_schedule: ") + name +
                            " thresholds overlap: " + format_value(a.edges[i - 1]) + " then " +
                            format_value(a.edges[i]) + " (must be strictly ascending)");
    }
  };
  check_axis("ratio", s.ratio);
  check_axis("incidence", s.incidence);
  const std::size_t cells = (s.ratio.edges.size() + 1) * (s.incidence.edges.size() + 1);
  if (s.grid.size() != cells)
    throw invalid_input("float_schedule: grid has " + std::to_string(s.grid.size()) +
                        " cells, expected " + std::to_string(cells) +
                        " (ratio bands × incidence bands)");
  const int top = static_cast<int>(s.ladder.size()) - 1;
  for (int t : s.grid)
    if (t < 0 || t > top)
      throw invalid_input("float_schedule: grid tier " + std::to_string(t) +
                          " is outside the ladder");
  if (s.zero_repeat_tier < -1 || s.zero_repeat_tier > top)
    throw invalid_input("float_schedule: zero_repeat tier outside the ladder");
  if (s.max_step < 0)
    throw invalid_input("float_schedule: max_step must be >= 0, got " + std::to_string(s.max_step));
  check_nonnegative(fn, "min_years", s.min_years);
  if (s.base_rates.empty()) throw invalid_input("float_schedule: base_rates is empty");
  for (double r : s.base_rates) check_nonnegative(fn, "base_rates", r);
}

inline int band(const float_axis& a, double x) {
  if (a.edges.empty()) return 0;
  const auto it = a.right_closed ? std::lower_bound(a.edges.begin(), a.edges.end(), x)
                                 : std::upper_bound(a.edges.begin(), a.edges.end(), x);
  return static_cast<int>(it - a.edges.begin());
}

/// The multipliers, rates and reasons of every employer (into out), and the revenue effect by
/// group and class (returned). Throws invalid_input naming the employer (row) and value for bad
/// data.
inline float_totals float_tiers(const float_schedule& s, const float_input& in,
                                const float_output& out) {
  validate(s);
  const std::size_t n = in.n;
  const int K = static_cast<int>(s.base_rates.size());
  const int n_inc = static_cast<int>(s.incidence.edges.size()) + 1;
  const int top = static_cast<int>(s.ladder.size()) - 1;
  const int G = in.group ? std::max(in.groups, 1) : 1;
  float_totals r;
  r.employers.assign(static_cast<std::size_t>(G) * K, 0.0);
  r.contributions.assign(r.employers.size(), 0.0);
  r.new_contributions.assign(r.employers.size(), 0.0);
  const auto row_error = [](std::size_t i, const char* what, const std::string& value,
                            const char* rule) {
    throw invalid_input("float_tiers: " + std::string(what) + " of employer row " +
                        std::to_string(i) + " is " + value + ": " + rule);
  };
  const double class1_base = s.base_rates[0];
  for (std::size_t i = 0; i < n; ++i) {
    const int k = in.risk_class[i];
    if (k < 1 || k > K)
      row_error(i, "risk_class", std::to_string(k),
                ("unknown class (known: 1.." + std::to_string(K) + ")").c_str());
    const double c = in.contributions[i], b = in.benefits[i];
    const double inj = in.injuries[i], ins = in.insured[i], yrs = in.years_insured[i];
    if (!(c >= 0) || !std::isfinite(c))
      row_error(i, "contributions", format_value(c), "must be finite and >= 0");
    if (!(b >= 0) || !std::isfinite(b))
      row_error(i, "benefits", format_value(b), "must be finite and >= 0");
    if (!(inj >= 0) || !std::isfinite(inj))
      row_error(i, "injuries", format_value(inj), "must be finite and >= 0");
    if (!(ins >= 0) || !std::isfinite(ins))
      row_error(i, "insured", format_value(ins), "must be finite and >= 0");
    if (!(yrs >= 0) || !std::isfinite(yrs))
      row_error(i, "years_insured", format_value(yrs), "must be finite and >= 0");
    if (inj > 0 && ins == 0) row_error(i, "insured", "0", "must be > 0 when injuries > 0");
    const int cur = in.current_tier ? in.current_tier[i] : s.base_tier;
    if (cur < 0 || cur > top)
      row_error(i, "current tier", std::to_string(cur), "is outside the ladder");
    const double ratio = c > 0 ? b / c : (b > 0 ? HUGE_VAL : 0.0);
    const double incid = ins > 0 ? inj / ins : 0.0;
    int tier = s.base_tier;
    float_reason why = float_reason::experience;
    if (yrs < s.min_years) {
      why = float_reason::new_employer;
    } else {
      if (c == 0 && b > 0) {
        why = float_reason::no_contributions;
        if (s.no_contributions == no_contributions_rule::error)
          row_error(i, "contributions", "0",
                    "benefits were paid but no contributions: the 支缴率 is undefined and the "
                    "schedule's no_contributions rule is 'error'");
        tier = s.no_contributions == no_contributions_rule::top_tier ? top : s.base_tier;
      } else {
        tier = s.grid[static_cast<std::size_t>(band(s.ratio, ratio) * n_inc +
                                               band(s.incidence, incid))];
        if (s.zero_repeat_tier >= 0 && ratio == 0 && incid == 0 && in.zero_previous &&
            in.zero_previous[i])
          tier = s.zero_repeat_tier;
      }
      if (s.max_step > 0 && std::abs(tier - cur) > s.max_step) {
        tier = tier > cur ? cur + s.max_step : cur - s.max_step;
        why = float_reason::step_limit;
      }
      if (s.class1_up_only && k == 1 && tier < s.base_tier) {
        tier = s.base_tier;
        why = float_reason::class1_up_only;
      }
      const std::uint32_t blocked = in.flags ? (in.flags[i] & s.block_mask) : 0u;
      if (blocked && tier < s.base_tier) {
        tier = s.base_tier;
        int bit = 0;
        while (!((blocked >> bit) & 1u)) ++bit;
        why = static_cast<float_reason>(static_cast<int>(float_reason::blocked) + bit);
      }
    }
    const double base = s.base_rates[static_cast<std::size_t>(k - 1)];
    double rate = base * s.ladder[static_cast<std::size_t>(tier)];
    if (s.floor_class1_base && rate < class1_base) {
      rate = class1_base;
      why = float_reason::class1_floor;
    }
    const double mult = base > 0 ? rate / base : s.ladder[static_cast<std::size_t>(tier)];
    out.ratio[i] = ratio;
    out.incidence[i] = incid;
    out.multiplier[i] = mult;
    out.rate[i] = rate;
    out.reason[i] = static_cast<std::uint8_t>(why);
    int g = 0;
    if (in.group) {
      g = in.group[i];
      if (g < 0 || g >= G) row_error(i, "city code", std::to_string(g), "is outside the groups");
    }
    const std::size_t cell = static_cast<std::size_t>(g) * K + static_cast<std::size_t>(k - 1);
    r.employers[cell] += 1.0;
    r.contributions[cell] += c;
    r.new_contributions[cell] += c * mult / s.ladder[static_cast<std::size_t>(cur)];
  }
  return r;
}

}  // namespace wifund::ratesetting
