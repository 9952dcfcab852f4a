#pragma once
// The Monte Carlo's lean kernel (issue #12 "Must show": with expected mortality the survival of
// every cohort is the same in every scenario, so it can be computed once per context).
//
// The base-year stock of long-term beneficiaries is rolled once per context (lean_stock), with
// the projection's own functions (claims/cohort.hpp cohort_start_year for retirement and the end
// of children's pensions, cohort_q, cohort_pay_weights, cohort_pay_and_roll, the 1e-9 drop of
// claims/cohort_book.hpp), recording per year what does not depend on the scenario: each cohort's
// number alive x months paid (cohort_weights), its deaths and the numbers in payment. What a
// scenario changes is the amounts, and under the rules the kernel is exact for (lean_reason) they
// are functions of a few scenario numbers:
//  * percentage indexation (人社部发〔2017〕58号) multiplies every amount of a kind by the same
//  factor
//    (percentage_factor), so the amount of a stock cohort in year t is its base-year amount x the
//    product of the factors (allowance, legacy subsidy, dependants; the allowance's pension too);
//  * care re-based on the wage (Art. 34, never cut) is max(base amount, the running maximum of
//    care_rebase_amount): max(max(a, m1), m2) = max(a, max(m1, m2));
//  * the minimum-wage floor (Art. 35) and the retirement top-up (终身补差) are applied per cohort
//  to
//    the indexed amounts with the engine's functions (allowance_before_floor's floor,
//    retirement_topup); retirement and its month depend only on the birth date and group;
//  * the deaths of grade 1-4 recipients (Art. 39 para 3) have deterministic numbers and ages; their
//    own wages are the given own_wage or the indexed allowance / its Art. 35 rate, so the wage sum
//    is a fixed part + the allowance index x a precomputed part. They join the scenario's deaths
//    of the year in the book's own grouping (cohort_book::roll's extra_deaths), so the funeral
//    grants and the dependants' pensions are those of the full roll.
// The year's new awards (random counts, scenario-dependent wages) and the dependants of every death
// are rolled per scenario in a small cohort_book with the projection's own code. Floating sums are
// taken in another order than the full roll's: lean equals full to rounding (tests: 1e-9 of each
// vector's scale).
//
// Not exact (the full kernel is used, lean_reason says why): binomial mortality (deaths drawn
// cohort by cohort), the flat-by-grade round (provincial averages over stock and awards), flat
// increment events in a projection year (a floor top-up tested on each cohort's amount; the stock's
// amounts would have to be tracked per cohort with it), rounds that exclude retired recipients, and
// a stock cohort awarded in a projection year.
#include <algorithm>
#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "wifund/claims/cohort_book.hpp"
#include "wifund/core/axes.hpp"
#include "wifund/fund/context.hpp"
#include "wifund/fund/state.hpp"
#include "wifund/policy/benefits.hpp"

namespace wifund {

/// Why the lean kernel is not exact for a context (and binomial mortality); empty when it is.
[[nodiscard]] inline std::string lean_reason(const projection_context& x, bool binomial_mortality) {
  if (binomial_mortality)
    return "binomial mortality of beneficiaries (Sources.mortality) draws each cohort's deaths";
  for (int j = 0; j < x.years; ++j) {
    const policy_year& p = x.policy[static_cast<std::size_t>(j)];
    const std::string in = " in " + std::to_string(x.start_year() + j);
    if (p.indexation.flat_by_grade)
      return "flat-by-grade indexation" + in +
             " (the provincial averages of the stock and the awards)";
    if (p.indexation.exclude_retired)
      return "an indexation round excluding retired recipients" + in;
    if (!p.increments.empty())
      return "flat increment events" + in + " (a floor top-up tested on each cohort's amount)";
  }
  for (const auto& c : x.base.beneficiaries)
    if (c.award_year >= x.start_year())
      return "a stock cohort awarded in " + std::to_string(c.award_year) +
             ", a projection year (indexed from its award)";
  return {};
}

/// The stock's scenario-independent roll (see the header comment): built once per context.
class lean_stock {
 public:
  explicit lean_stock(const projection_context& x)
      : start_(x.start_year()), years_(x.years), cities_(x.cities()) {
    base_state_ = initial_state(x);
    std::vector<cohort> book = base_state_.book.cohorts();
    base_state_.book = cohort_book{};
    const auto C = static_cast<std::size_t>(cities_), T = static_cast<std::size_t>(years_);
    linear_.assign(T * C * 2, 0.0);
    in_payment_.assign(T * C * n_benefit_kinds, 0.0);
    deaths_.assign(T * C * 2, death_sums{});
    book_deaths_.assign(T, 0.0);
    allowance_first_.assign(T + 1, 0);
    care_first_.assign(T + 1, 0);
    for (const cohort& c : book) {
      base_amount_.push_back(c.monthly_amount);
      pension_.push_back(c.pension);
    }
    std::vector<char> alive(book.size(), 1);
    const auto& a = x.claims;
    for (int j = 0; j < years_; ++j) {
      const int t = start_ + j;
      const policy_year& p = x.policy[static_cast<std::size_t>(j)];
      allowance_first_[static_cast<std::size_t>(j)] = allowance_.size();
      care_first_[static_cast<std::size_t>(j)] = care_.size();
      for (std::size_t i = 0; i < book.size(); ++i) {
        if (!alive[i]) continue;
        cohort& c = book[i];
        // Retirement (cohort_retire) and the end of children's pensions, with indexation factors
        // of 1 and no wage: the probe's amounts stay the base-year ones, the pension of a cohort
        // retiring now is retirement_pension_ratio x its base amount (x the index, in a scenario).
        cohort_start_year(c, p, 0.0, 0.0, 0.0, a.retirement_pension_ratio);
        if (c.count > 0) {
          const double q = cohort_q(c, x.mortality, a);
          const double h = c.kind == BenefitKind::spouse ? a.spouse_exit_hazard : 0.0;
          const cohort_weights w = cohort_pay_weights(c, q, t, false, h);
          const std::size_t jc = static_cast<std::size_t>(j) * C + static_cast<std::size_t>(c.city);
          in_payment_[jc * n_benefit_kinds + static_cast<std::size_t>(index_of(c.kind))] +=
              w.in_payment;
          book_deaths_[static_cast<std::size_t>(j)] += w.deaths;
          switch (c.kind) {
            case BenefitKind::allowance:
              allowance_.push_back(
                  {static_cast<int>(i), c.city, w.main, c.retired ? w.topup : 0.0, c.retired});
              if (c.retired) pension_[i] = c.pension;
              if (w.deaths > 0) {
                death_sums& g = deaths_[jc * 2 + static_cast<std::size_t>(index_of(c.sex))];
                g.deaths += w.deaths;
                g.age_sum += w.deaths * c.age;
                // own wage: given, or the allowance (indexed) / its Art. 35 rate
                const double per_index =
                    c.monthly_amount / p.benefits.allowance_rate[grade::slot(c.grade)];
                if (c.own_wage > 0)
                  g.wage_fixed += w.deaths * c.own_wage;
                else
                  g.wage_indexed += w.deaths * per_index;
                if (c.cap_wage > 0)
                  g.cap_fixed += w.deaths * c.cap_wage;
                else if (c.own_wage > 0)
                  g.cap_fixed += w.deaths * c.own_wage;
                else
                  g.cap_indexed += w.deaths * per_index;
              }
              break;
            case BenefitKind::care:
              care_.push_back({c.city, c.care_level, c.monthly_amount, w.main});
              break;
            case BenefitKind::legacy_subsidy:
              linear_[jc * 2] += w.main * c.monthly_amount;
              break;
            default:
              linear_[jc * 2 + 1] += w.main * c.monthly_amount;
              break;
          }
          // the roll itself (count and age), as the book does
          (void)cohort_pay_and_roll(c, q, t, 0.0, p.benefits, false, h);
        }
        if (c.count < 1e-9) alive[i] = 0;  // cohort_book::roll drops it
      }
    }
    allowance_first_[T] = allowance_.size();
    care_first_[T] = care_.size();
  }

  [[nodiscard]] int start_year() const noexcept { return start_; }
  [[nodiscard]] int years() const noexcept { return years_; }
  /// The base-year state with an empty book (the stock is here).
  [[nodiscard]] const projection_state& base_state() const noexcept { return base_state_; }
  /// Expected deaths of the stock's beneficiaries (all kinds) in year index j.
  [[nodiscard]] double book_deaths(int j) const noexcept {
    return book_deaths_[static_cast<std::size_t>(j)];
  }
  /// Cohort-years of the stock evaluated per cohort in a scenario (allowance and care), and in all.
  [[nodiscard]] std::size_t per_cohort_steps() const noexcept {
    return allowance_.size() + care_.size();
  }

  /// Index products of a scenario up to the current year and the running maxima of care.
  struct indices {
    double allowance = 1, legacy = 1, dependant = 1;
    std::array<double, n_care_levels> care{};
  };

  /// The stock's payments of year index j to pay(city, item, kind, paid, in_payment) and its
  /// deaths of grade 1-4 recipients to add(city, sex, deaths, age_sum, wage_sum, cap_sum).
  template <class MinimumWage, class Pay>
  void pay(int j, const policy_year& p, const indices& ix, MinimumWage&& minimum_wage,
           Pay&& pay) const {
    const auto C = static_cast<std::size_t>(cities_);
    const auto J = static_cast<std::size_t>(j);
    const benefit_rules& r = p.benefits;
    scratch& sc = scratch_space();
    std::vector<double>& main = sc.main;
    std::vector<double>& top = sc.top;
    std::vector<double>& care = sc.care;
    std::vector<double>& mw = sc.mw;
    main.assign(C, 0.0);
    top.assign(C, 0.0);
    care.assign(C, 0.0);
    mw.resize(C);
    for (std::size_t c = 0; c < C; ++c) mw[c] = minimum_wage(static_cast<int>(c));
    for (std::size_t e = allowance_first_[J]; e < allowance_first_[J + 1]; ++e) {
      const allowance_entry& w = allowance_[e];
      const auto i = static_cast<std::size_t>(w.cohort);
      const auto c = static_cast<std::size_t>(w.city);
      const double amount = base_amount_[i] * ix.allowance;
      const double allowance = r.minimum_wage_floor ? std::max(amount, mw[c]) : amount;
      main[c] += w.main * allowance;
      if (w.retired) top[c] += w.topup * retirement_topup(allowance, pension_[i] * ix.allowance, r);
    }
    for (std::size_t e = care_first_[J]; e < care_first_[J + 1]; ++e) {
      const care_entry& w = care_[e];
      care[static_cast<std::size_t>(w.city)] +=
          w.main * std::max(w.amount, ix.care[static_cast<std::size_t>(w.level)]);
    }
    for (std::size_t c = 0; c < C; ++c) {
      const std::size_t jc = J * C + c;
      const double* n = &in_payment_[jc * n_benefit_kinds];
      const int city = static_cast<int>(c);
      pay(city, item::disability_allowance, BenefitKind::allowance, main[c],
          n[index_of(BenefitKind::allowance)]);
      pay(city, item::allowance_topup, BenefitKind::allowance, top[c], 0.0);
      pay(city, item::disability_allowance, BenefitKind::legacy_subsidy,
          linear_[jc * 2] * ix.legacy, n[index_of(BenefitKind::legacy_subsidy)]);
      pay(city, item::care_allowance, BenefitKind::care, care[c], n[index_of(BenefitKind::care)]);
      pay(city, item::dependant_pension, BenefitKind::spouse, linear_[jc * 2 + 1] * ix.dependant,
          n[index_of(BenefitKind::spouse)]);
      pay(city, item::dependant_pension, BenefitKind::child, 0.0, n[index_of(BenefitKind::child)]);
      pay(city, item::dependant_pension, BenefitKind::parent, 0.0,
          n[index_of(BenefitKind::parent)]);
    }
  }

  /// The stock's deaths of grade 1-4 recipients of year index j (Art. 39 para 3 groups).
  template <class Add>
  void deaths(int j, const indices& ix, Add&& add) const {
    const auto C = static_cast<std::size_t>(cities_);
    for (std::size_t c = 0; c < C; ++c)
      for (const Sex sex : sexes) {
        const death_sums& g = deaths_[(static_cast<std::size_t>(j) * C + c) * 2 +
                                      static_cast<std::size_t>(index_of(sex))];
        if (!(g.deaths > 0)) continue;
        add(static_cast<int>(c), sex, g.deaths, g.age_sum,
            g.wage_fixed + ix.allowance * g.wage_indexed,
            g.cap_fixed + ix.allowance * g.cap_indexed);
      }
  }

 private:
  struct allowance_entry {
    int cohort, city;
    double main, topup;
    bool retired;
  };
  struct care_entry {
    int city, level;
    double amount, main;
  };
  struct death_sums {
    double deaths = 0, age_sum = 0, wage_fixed = 0, wage_indexed = 0, cap_fixed = 0,
           cap_indexed = 0;
  };
  /// Per-thread sums of one year's payments by city (no allocation per scenario and year).
  struct scratch {
    std::vector<double> main, top, care, mw;
  };
  static scratch& scratch_space() {
    thread_local scratch s;
    return s;
  }

  int start_, years_, cities_;
  projection_state base_state_;
  std::vector<double> base_amount_, pension_;  ///< by stock cohort: base amount, pension base
  std::vector<allowance_entry> allowance_;     ///< by year (allowance_first_), cohort order
  std::vector<care_entry> care_;               ///< by year (care_first_)
  std::vector<std::size_t> allowance_first_, care_first_;
  std::vector<double> linear_;      ///< (j, city, {legacy, dependants}): sum of main x base amount
  std::vector<double> in_payment_;  ///< (j, city, kind)
  std::vector<death_sums> deaths_;  ///< (j, city, sex)
  std::vector<double> book_deaths_;
};

/// The cohort book of a lean scenario: the stock from a shared lean_stock, the year's awards and
/// every death's dependants in a small cohort_book; the same award() and roll() as cohort_book
/// (fund/step.hpp is a template on the state and drives it unchanged).
class lean_book {
 public:
  lean_book() = default;
  explicit lean_book(const lean_stock* stock) : stock_(stock) {}

  void award(const award_basis& w, const claims_assumptions& a, const benefit_rules& rules,
             double* new_awards) {
    book_.award(w, a, rules, new_awards);
  }

  template <class MinimumWage, class Pay, class Award>
  void roll(int year, const policy_year& p, double wage_growth, double cpi, double prev_avg_wage,
            const claims_assumptions& a, const mortality_basis& m, MinimumWage&& minimum_wage,
            Pay&& pay, Award&& award) {
    const int j = year - stock_->start_year();
    const auto& rule = p.indexation;
    ix_.allowance *= percentage_factor(rule, BenefitKind::allowance, wage_growth, cpi);
    ix_.legacy *= percentage_factor(rule, BenefitKind::legacy_subsidy, wage_growth, cpi);
    ix_.dependant *= percentage_factor(rule, BenefitKind::spouse, wage_growth, cpi);
    if (rule.care_follows_wage)
      for (int l = 0; l < n_care_levels; ++l) {
        double& mx = ix_.care[static_cast<std::size_t>(l)];
        mx = std::max(mx, care_rebase_amount(p, l, prev_avg_wage));
      }
    stock_->pay(j, p, ix_, minimum_wage, pay);
    deaths_ = stock_->book_deaths(j);
    book_.roll(
        year, p, wage_growth, cpi, prev_avg_wage, a, m, minimum_wage, pay, award,
        [&](const cohort& c, double q, bool award_year) {
          deaths_ += c.count * (award_year ? 0.5 : 1.0) * q;
          return q;
        },
        [&](auto&& add) { stock_->deaths(j, ix_, add); });
  }

  /// Deaths of beneficiaries in the last roll (all kinds; simulation vector beneficiary_deaths).
  [[nodiscard]] double year_deaths() const noexcept { return deaths_; }
  [[nodiscard]] std::size_t size() const noexcept { return book_.size(); }

 private:
  const lean_stock* stock_ = nullptr;
  cohort_book book_;
  lean_stock::indices ix_;
  double deaths_ = 0;
};

/// The state of one lean scenario (projection_state::book stays empty; step() uses this book).
struct lean_state : projection_state {
  lean_book book;
};

[[nodiscard]] inline lean_state initial_lean_state(const lean_stock& stock) {
  lean_state s;
  static_cast<projection_state&>(s) = stock.base_state();
  s.book = lean_book(&stock);
  return s;
}

}  // namespace wifund
