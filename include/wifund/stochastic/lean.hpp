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
//  * percentage indexation (人社部发〔2017〕58号) multiplies every amount of a kind by one
//    factor (percentage_factor), so the amount of a stock cohort in year t is its base-year amount
//    x the product of the factors (allowance, legacy subsidy, dependants; the allowance's pension
//    too);
//  * care re-based on the wage (Art. 34, never cut) is max(base amount, the running maximum of
//    care_rebase_amount): max(max(a, m1), m2) = max(a, max(m1, m2));
//  * the minimum-wage floor (Art. 35) and the retirement top-up (终身补差) apply to
//    the indexed amounts with the engine's functions (allowance_before_floor's floor,
//    retirement_topup); retirement and its month depend only on the birth date and group;
//  * the deaths of grade 1-4 recipients (Art. 39 para 3) have deterministic numbers and ages; their
//    own wages are the given own_wage or the indexed allowance / its Art. 35 rate, so the wage sum
//    is a fixed part + the allowance index x a precomputed part. They join the scenario's deaths
//    of the year in the book's own grouping (cohort_book::roll's extra_deaths), so the funeral
//    grants and the dependants' pensions are those of the full roll.
// The sums over the stock's cohorts of a year are taken by sorted amounts where a floor applies
// (lean_sorted_sums: the allowances not retired under the minimum wage, care under its re-based
// amount: one binary search per city and year) and per cohort only for the retired allowances
// (the top-up compares the floored allowance with each cohort's own pension).
// Dependants' pensions (供养亲属抚恤金, Art. 39) are linear in the award: every dependants' cohort
// a death brings (at work, or of a grade 1-4 recipient) is its number x amount on a unit profile
// (one member of its kind, sex, age and deferral rolled once per context with the roll's
// functions: months alive in payment and deaths by year since the award), indexed from the year
// after the award by the scenario's dependants' factor. The cohort_book routes them here instead of
// merging them into the book (cohort_book::route_dependants); they are found with the same code
// (add_dependants: family compositions, the Art. 39 cap, deferral to the eligibility age).
// The care cohorts of the year's awards (生活护理费, Art. 34) are linear too: their number on a
// unit profile by grade, sex and age, their amount the award's care_allowance re-based on the wage
// from the next year (one amount per award year, city and level). The year's new allowance
// awards (the floor, retirement, their deaths' Art. 39 para 3 grouping) are rolled per scenario
// in a small cohort_book with the projection's own code. Floating sums are
// taken in another order than the full roll's, and a dependants' profile drops at 1e-9 of a
// member rather than 1e-9 of a cohort: lean equals full to rounding (tests: 1e-9 of each
// vector's scale). The lean state's year_flows leave out the numbers in payment of the awarded
// dependants and care cohorts (in_payment; no simulation vector reads them); every amount is there.
//
// Not exact (the full kernel is used, lean_reason says why): binomial mortality (deaths drawn
// cohort by cohort), the flat-by-grade round (provincial averages over stock and awards), flat
// increment events in a projection year (a floor top-up tested on each cohort's amount; the stock's
// amounts would have to be tracked per cohort with it), rounds that exclude retired recipients, and
// a stock cohort awarded in a projection year.
#include <algorithm>
#include <array>
#include <cstddef>
#include <limits>
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

/// Groups of (amount, weight) pairs sorted by amount with prefix sums of the weights and the
/// weighted amounts: the sum over a group of weight x max(amount x scale, floor) in one binary
/// search (amount x scale < floor is monotone in the amount for scale > 0). The lean kernel's
/// minimum-wage floor of the stock's allowances (Art. 35) and the re-based care (Art. 34).
class lean_sorted_sums {
 public:
  void build(std::vector<std::vector<std::pair<double, double>>>& groups) {
    first_.assign(1, 0);
    amount_.clear();
    w_.clear();
    wa_.clear();
    for (auto& g : groups) {
      std::sort(g.begin(), g.end());
      double w = 0, wa = 0;
      for (const auto& [a, x] : g) {
        w += x;
        wa += x * a;
        amount_.push_back(a);
        w_.push_back(w);
        wa_.push_back(wa);
      }
      first_.push_back(amount_.size());
    }
  }
  [[nodiscard]] std::size_t size() const noexcept { return amount_.size(); }
  [[nodiscard]] double sum_max(std::size_t g, double scale, double floor) const {
    const std::size_t f = first_[g], e = first_[g + 1];
    if (f == e) return 0.0;
    const auto b = amount_.begin() + static_cast<std::ptrdiff_t>(f);
    const auto it = std::partition_point(b, amount_.begin() + static_cast<std::ptrdiff_t>(e),
                                         [&](double a) { return a * scale < floor; });
    const std::size_t i = f + static_cast<std::size_t>(it - b);  // [f, i): below the floor
    const double below = i > f ? floor * w_[i - 1] : 0.0;
    return below + scale * (wa_[e - 1] - (i > f ? wa_[i - 1] : 0.0));
  }

 private:
  std::vector<std::size_t> first_{0};
  std::vector<double> amount_, w_, wa_;
};

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
    std::vector<std::vector<std::pair<double, double>>> floor_groups(T * C),
        care_groups(T * C * n_care_levels);
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
              if (c.retired) {  // the floor and the top-up per cohort
                allowance_.push_back({static_cast<int>(i), c.city, w.main, w.topup});
                pension_[i] = c.pension;
              } else {  // the floor by sorted amounts (lean_sorted_sums)
                floor_groups[jc].emplace_back(c.monthly_amount, w.main);
              }
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
              care_groups[jc * n_care_levels + static_cast<std::size_t>(c.care_level)].emplace_back(
                  c.monthly_amount, w.main);
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
    floor_.build(floor_groups);
    care_.build(care_groups);
    build_dependant_profiles(x);
  }

  /// Oldest age of a dependants' cohort at its award that has a unit profile.
  static constexpr int max_dependant_age = 150;
  /// Number of dependants' unit profiles (kind x sex x age x deferral; dependant_profile).
  static constexpr std::size_t n_dependant_profiles = 3 * 2 * (max_dependant_age + 1) * 2;

  /// Index of the unit profile of a dependants' cohort (spouse, child or parent; deferred: paid
  /// from the month of reaching the eligibility age, cohort_book's deferred cohorts).
  [[nodiscard]] static std::size_t dependant_profile(BenefitKind kind, Sex sex, int age,
                                                     bool deferred) {
    if (age < 0 || age > max_dependant_age)
      throw invalid_input("lean kernel: a dependants' cohort aged " + std::to_string(age) +
                          " at its award, outside 0.." + std::to_string(max_dependant_age));
    const auto k = static_cast<std::size_t>(index_of(kind) - index_of(BenefitKind::spouse));
    return ((k * 2 + static_cast<std::size_t>(index_of(sex))) * (max_dependant_age + 1) +
            static_cast<std::size_t>(age)) *
               2 +
           (deferred ? 1 : 0);
  }
  /// Number alive x months paid (main) and deaths, `k` years after the award, of one member.
  [[nodiscard]] const double* dependant_main(std::size_t profile) const noexcept {
    return &dep_main_[profile * static_cast<std::size_t>(years_)];
  }
  [[nodiscard]] const double* dependant_deaths(std::size_t profile) const noexcept {
    return &dep_deaths_[profile * static_cast<std::size_t>(years_)];
  }
  /// The unit profile of a care cohort of the awards (its survival depends on the grade's load,
  /// the sex and the age, not on the care level or the award year).
  [[nodiscard]] static std::size_t care_profile(int grade, Sex sex, int age) {
    if (age < 0 || age > max_dependant_age || grade < grade::first || grade > grade::last_allowance)
      throw invalid_input("lean kernel: a care cohort of grade " + std::to_string(grade) +
                          " aged " + std::to_string(age) + " at its award, outside grades 1..4" +
                          " and ages 0.." + std::to_string(max_dependant_age));
    return (static_cast<std::size_t>(grade - grade::first) * 2 +
            static_cast<std::size_t>(index_of(sex))) *
               (max_dependant_age + 1) +
           static_cast<std::size_t>(age);
  }
  [[nodiscard]] const double* care_main(std::size_t profile) const noexcept {
    return &care_main_[profile * static_cast<std::size_t>(years_)];
  }
  [[nodiscard]] const double* care_deaths(std::size_t profile) const noexcept {
    return &care_deaths_[profile * static_cast<std::size_t>(years_)];
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
    return allowance_.size() + floor_.size() + care_.size();
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
      top[c] += w.topup * retirement_topup(allowance, pension_[i] * ix.allowance, r);
    }
    for (std::size_t c = 0; c < C; ++c) {
      const std::size_t jc = J * C + c;
      main[c] +=
          floor_.sum_max(jc, ix.allowance,
                         r.minimum_wage_floor ? mw[c] : -std::numeric_limits<double>::infinity());
      for (std::size_t l = 0; l < static_cast<std::size_t>(n_care_levels); ++l)
        care[c] += care_.sum_max(jc * n_care_levels + l, 1.0, ix.care[l]);
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
  /// The unit profiles of the dependants' cohorts (header comment): one member of each kind, sex,
  /// age and deferral, awarded in the first projection year and rolled with the roll's functions
  /// to the horizon. A dependant's year depends on its age, kind and sex, the months since its
  /// award and (deferred) the months to its eligibility age, none of which moves with the award
  /// year (the indexation factor is the scenario's, the table probabilities do not depend on the
  /// calendar year), so the profile serves every award year.
  void build_dependant_profiles(const projection_context& x) {
    const auto T = static_cast<std::size_t>(years_);
    const std::size_t n = n_dependant_profiles;
    dep_main_.assign(n * static_cast<std::size_t>(years_), 0.0);
    dep_deaths_.assign(n * static_cast<std::size_t>(years_), 0.0);
    for (const BenefitKind kind : {BenefitKind::spouse, BenefitKind::child, BenefitKind::parent})
      for (const Sex sex : sexes)
        for (int age = 0; age <= max_dependant_age; ++age)
          for (const bool deferred : {false, true}) {
            const std::size_t pi = dependant_profile(kind, sex, age, deferred);
            cohort c = cohort_book::fresh(0, kind, sex, age, 1.0, 1.0, start_);
            if (deferred)  // cohort_book's deferred cohorts: paid from the eligibility age
              c.pay_from_month =
                  (start_ - 1 - age + dependant_eligibility_age(sex == Sex::male)) * 12 +
                  (mid_year_birth_month - 1);
            unit_profile(x, c, &dep_main_[pi * T], &dep_deaths_[pi * T]);
          }
    const std::size_t nc = care_profile(grade::last_allowance, Sex::female, max_dependant_age) + 1;
    care_main_.assign(nc * T, 0.0);
    care_deaths_.assign(nc * T, 0.0);
    for (int g = grade::first; g <= grade::last_allowance; ++g)
      for (const Sex sex : sexes)
        for (int age = 0; age <= max_dependant_age; ++age) {
          const std::size_t pi = care_profile(g, sex, age);
          cohort c = cohort_book::fresh(0, BenefitKind::care, sex, age, 1.0, 1.0, start_);
          c.grade = g;
          unit_profile(x, c, &care_main_[pi * T], &care_deaths_[pi * T]);
        }
  }

  /// Rolls one member awarded in the first projection year to the horizon with the roll's
  /// functions (claims/cohort_book.hpp roll: start-of-year changes after the award year, payment
  /// weights, mortality, the 1e-9 drop): number alive x months paid and deaths by year.
  /// Not inlined: inlined into the loops above, GCC 12 propagates the dependants' grade 0 into
  /// cohort_start_year's increment branches of the allowance kinds (never taken for them) and
  /// warns of an out-of-bounds read (-Warray-bounds, an error under WIFUND_WERROR).
  [[gnu::noinline]] void unit_profile(const projection_context& x, cohort c, double* main,
                                      double* deaths) const {
    const auto& a = x.claims;
    const double h = c.kind == BenefitKind::spouse ? a.spouse_exit_hazard : 0.0;
    for (int k = 0; k < years_; ++k) {
      const int t = start_ + k;
      const policy_year& p = x.policy[static_cast<std::size_t>(k)];
      const bool award_year = k == 0;
      if (!award_year) cohort_start_year(c, p, 0.0, 0.0, 0.0, a.retirement_pension_ratio);
      if (c.count > 0) {
        const double q = cohort_q(c, x.mortality, a);
        const cohort_weights w = cohort_pay_weights(c, q, t, award_year, h);
        main[k] = w.main;
        deaths[k] = w.deaths;
        (void)cohort_pay_and_roll(c, q, t, 0.0, p.benefits, award_year, h);
      }
      if (c.count < 1e-9) break;
    }
  }

  struct allowance_entry {  ///< a retired allowance cohort of a year
    int cohort, city;
    double main, topup;
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
  std::vector<allowance_entry> allowance_;  ///< retired, by year (allowance_first_), cohort order
  std::vector<std::size_t> allowance_first_;
  lean_sorted_sums floor_;          ///< (j, city): allowance cohorts not retired (the floor)
  lean_sorted_sums care_;           ///< (j, city, care level)
  std::vector<double> linear_;      ///< (j, city, {legacy, dependants}): sum of main x base amount
  std::vector<double> in_payment_;  ///< (j, city, kind)
  std::vector<death_sums> deaths_;  ///< (j, city, sex)
  std::vector<double> book_deaths_;
  std::vector<double> dep_main_, dep_deaths_;    ///< (dependant_profile, years since the award)
  std::vector<double> care_main_, care_deaths_;  ///< (care_profile, years since the award)
};

/// The cohort book of a lean scenario: the stock from a shared lean_stock; the year's awards of
/// allowance and care in a small cohort_book; the dependants of every death (at work, and of
/// grade 1-4 recipients) as n x amount on their unit profiles (the book routes them here,
/// cohort_book::route_dependants). The same award() and roll() as cohort_book (fund/step.hpp is a
/// template on the state and drives it unchanged).
class lean_book final : public dependant_sink {
 public:
  lean_book() = default;
  lean_book(const lean_book&) = delete;  // the inner book points to this one
  lean_book& operator=(const lean_book&) = delete;
  ~lean_book() = default;

  /// Back to the base-year end of `stock` (no awards), keeping the memory of the previous
  /// scenario's book (the Monte Carlo reuses one state per thread: no allocation per scenario).
  void restart(const lean_stock* stock, const claims_assumptions& a, int cities) {
    stock_ = stock;
    book_.reset({}, 0, a);
    book_.route_dependants(this);
    ix_ = lean_stock::indices{};
    deaths_ = 0;
    cities_ = cities;
    const auto T = static_cast<std::size_t>(stock->years());
    dep_pay_.assign(static_cast<std::size_t>(cities) * T, 0.0);
    dep_deaths_.assign(T, 0.0);
    acc_n_.assign(static_cast<std::size_t>(cities) * lean_stock::n_dependant_profiles, 0.0);
    acc_na_.assign(acc_n_.size(), 0.0);
    touched_.clear();
    care_w_.assign(T * static_cast<std::size_t>(cities) * n_care_levels * T, 0.0);
    care_amount_.assign(T * static_cast<std::size_t>(cities) * n_care_levels, 0.0);
    care_deaths_.assign(T, 0.0);
  }

  void award(const award_basis& w, const claims_assumptions& a, const benefit_rules& rules,
             double* new_awards) {
    book_.award(w, a, rules, new_awards);
  }

  /// A dependants' cohort of a death of the year (dependant_sink): rolled at the year's roll, once
  /// the year's indexation factor is known (every number is linear in the cohort's count and
  /// amount, so the cohorts of one city and profile are summed first, as merge() does).
  void add(const death_basis& d, BenefitKind kind, Sex sex, int age, double n, double amount, bool,
           int pay_from) override {
    // summed by (city, profile) first: the family compositions of a death share a few profiles
    const std::size_t i = static_cast<std::size_t>(d.city) * lean_stock::n_dependant_profiles +
                          lean_stock::dependant_profile(kind, sex, age, pay_from != 0);
    if (acc_n_[i] == 0) touched_.push_back(i);  // n > 0 here (cohort_book places none empty)
    acc_n_[i] += n;
    acc_na_[i] += n * amount;
  }

  /// A care cohort of the year's awards (dependant_sink): its number on its unit profile, its
  /// amount the (year, city, level)'s (care_allowance of the year's average wage, the same for
  /// every cohort of an award).
  void add_care(const cohort& x) override {
    const auto T = static_cast<std::size_t>(stock_->years());
    const auto J = static_cast<std::size_t>(x.award_year - stock_->start_year());
    const std::size_t g =
        (J * static_cast<std::size_t>(cities_) + static_cast<std::size_t>(x.city)) * n_care_levels +
        static_cast<std::size_t>(x.care_level);
    care_amount_[g] = x.monthly_amount;
    const std::size_t pi = lean_stock::care_profile(x.grade, x.sex, x.age);
    const double* w = stock_->care_main(pi);
    const double* dd = stock_->care_deaths(pi);
    double* out = &care_w_[g * T];
    for (std::size_t k = 0; J + k < T; ++k) {
      out[J + k] += x.count * w[k];
      care_deaths_[J + k] += x.count * dd[k];
    }
  }

  template <class MinimumWage, class Pay, class Award>
  void roll(int year, const policy_year& p, double wage_growth, double cpi, double prev_avg_wage,
            const claims_assumptions& a, const mortality_basis& m, MinimumWage&& minimum_wage,
            Pay&& pay, Award&& award) {
    const int j = year - stock_->start_year();
    pay_care_awards(j, p, prev_avg_wage, pay);
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
    deaths_ = stock_->book_deaths(j) + deaths_care_;
    book_.roll(
        year, p, wage_growth, cpi, prev_avg_wage, a, m, minimum_wage, pay, award,
        [&](const cohort& c, double q, bool award_year) {
          deaths_ += c.count * (award_year ? 0.5 : 1.0) * q;
          return q;
        },
        [&](auto&& add) { stock_->deaths(j, ix_, add); });
    // The dependants awarded this year (at work, in award(), and in the roll's groups) on their
    // unit profiles: amounts at award, indexed from the next year (payment / index kept as of
    // now, x the index of the year it is paid).
    const auto T = static_cast<std::size_t>(stock_->years());
    const auto J = static_cast<std::size_t>(j);
    for (const std::size_t i : touched_) {
      const std::size_t profile = i % lean_stock::n_dependant_profiles;
      const double* w = stock_->dependant_main(profile);
      const double* dd = stock_->dependant_deaths(profile);
      double* out = &dep_pay_[(i / lean_stock::n_dependant_profiles) * T];
      const double scaled = acc_na_[i] / ix_.dependant, n = acc_n_[i];
      for (std::size_t k = 0; J + k < T; ++k) {
        out[J + k] += scaled * w[k];
        dep_deaths_[J + k] += n * dd[k];
      }
      acc_n_[i] = acc_na_[i] = 0;
    }
    touched_.clear();
    for (int c = 0; c < cities_; ++c)
      pay(c, item::dependant_pension, BenefitKind::spouse,
          dep_pay_[static_cast<std::size_t>(c) * T + J] * ix_.dependant, 0.0);
    deaths_ += dep_deaths_[J];
  }

  /// The care cohorts of the awards of years up to j (their amounts re-based on the wage and never
  /// cut from the year after their award, as cohort_start_year does; Art. 34).
  template <class Pay>
  void pay_care_awards(int j, const policy_year& p, double prev_avg_wage, Pay&& pay) {
    const auto T = static_cast<std::size_t>(stock_->years());
    const auto J = static_cast<std::size_t>(j);
    const auto C = static_cast<std::size_t>(cities_);
    constexpr auto L = static_cast<std::size_t>(n_care_levels);
    for (std::size_t c = 0; c < C; ++c) {
      double paid = 0;
      for (std::size_t y = 0; y <= J; ++y)
        for (std::size_t l = 0; l < L; ++l) {
          const std::size_t g = (y * C + c) * L + l;
          if (y < J && p.indexation.care_follows_wage)
            care_amount_[g] = std::max(care_amount_[g],
                                       care_rebase_amount(p, static_cast<int>(l), prev_avg_wage));
          paid += care_w_[g * T + J] * care_amount_[g];
        }
      pay(static_cast<int>(c), item::care_allowance, BenefitKind::care, paid, 0.0);
    }
    deaths_care_ = care_deaths_[J];
  }

  /// Deaths of beneficiaries in the last roll (all kinds; simulation vector beneficiary_deaths).
  [[nodiscard]] double year_deaths() const noexcept { return deaths_; }
  /// Cohorts in the small book (the awards of allowance and care still in payment).
  [[nodiscard]] std::size_t size() const noexcept { return book_.size(); }

 private:
  const lean_stock* stock_ = nullptr;
  cohort_book book_;
  lean_stock::indices ix_;
  double deaths_ = 0;
  int cities_ = 0;
  std::vector<double> dep_pay_;         ///< (city, year): dependants' payments / the year's index
  std::vector<double> dep_deaths_;      ///< (year)
  std::vector<double> acc_n_, acc_na_;  ///< (city, profile): the year's number, number x amount
  std::vector<std::size_t> touched_;    ///< entries of acc_ in use this year
  std::vector<double> care_w_;          ///< (award year, city, level, year): number x months paid
  std::vector<double> care_amount_;     ///< (award year, city, level): the amount in payment
  std::vector<double> care_deaths_;     ///< (year)
  double deaths_care_ = 0;
};

/// The state of one lean scenario (projection_state::book stays empty; step() uses this book).
struct lean_state : projection_state {
  lean_book book;
};

/// Sets `s` to the base-year end of `stock` (its vectors keep their memory).
inline void restart_lean_state(lean_state& s, const lean_stock& stock,
                               const claims_assumptions& a) {
  static_cast<projection_state&>(s) = stock.base_state();
  s.book.restart(&stock, a, s.insured.rows() > 0 ? static_cast<int>(s.insured.rows()) : 0);
}

}  // namespace wifund
