#pragma once
// The book of long-term cohorts (step 5 of the projection): the new awards of a year (allowances
// and care for grades 1..4, pensions of the dependants of the deceased) and the yearly roll of
// every cohort in payment (indexation, increments, retirement, payment, mortality, exits). Amounts
// come from policy/benefits.hpp; the roll itself is claims/cohort.hpp.
#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cmath>
#include <cstddef>
#include <utility>
#include <vector>

#include "wifund/claims/assumptions.hpp"
#include "wifund/claims/cohort.hpp"
#include "wifund/core/axes.hpp"
#include "wifund/core/types.hpp"
#include "wifund/policy/benefits.hpp"
#include "wifund/policy/policy_year.hpp"

namespace wifund {

/// The expenditure item of a cohort's own payments (the top-up of retired allowance recipients goes
/// to item::allowance_topup, cohort_year::topup). The legacy monthly disability subsidy is booked
/// with the allowance (item::disability_allowance): both are monthly disability benefits of the
/// fund (伤残待遇), and the official execution table (社预执行07表) has a single benefits line, so
/// no separate item is reported anywhere; its numbers in payment stay visible by kind.
[[nodiscard]] constexpr int expenditure_item_of(const cohort& c) noexcept {
  switch (c.kind) {
    case BenefitKind::allowance:
    case BenefitKind::legacy_subsidy:
      return item::disability_allowance;
    case BenefitKind::care:
      return item::care_allowance;
    default:
      return item::dependant_pension;
  }
}

/// What the new awards of one city in one year are made of.
struct award_basis {
  int city = 0;
  int year = 0;              ///< award year (cohorts are not indexed in it)
  double injuries = 0;       ///< recognised injuries of the year
  double deaths = 0;         ///< of which deaths
  double own_wage = 0;       ///< injury-weighted own wage (Art. 64, clamped), monthly
  double prev_avg_wage = 0;  ///< previous-year provincial average monthly wage (care, Art. 34)
  double cap_wage = 0;       ///< injury-weighted wage before the injury, unclamped (Art. 39 cap)
};

/// The deaths of one group (same city, worker age and sex) whose dependants are awarded together.
struct death_basis {
  int city = 0;
  int year = 0;
  double deaths = 0;
  int age = 0;  ///< the worker's age in the year of death
  Sex sex = Sex::male;
  double own_wage = 0;  ///< 本人工资 the pensions are based on (Art. 39), monthly
  double cap_wage = 0;  ///< the deceased's wage before death (Art. 39 cap), monthly
};

/// Expected mortality: the roll applies each cohort's table probability as it is.
struct expected_death_q {
  constexpr double operator()(const cohort&, double q, bool) const noexcept { return q; }
};

/// No deaths other than the book's own in the year's Art. 39 para 3 groups (cohort_book::roll).
struct no_extra_deaths {
  template <class Add>
  constexpr void operator()(Add&&) const noexcept {}
};

/// Receives the dependants' cohorts of the deaths (award, award_dependants, roll) and the care
/// cohorts of the awards instead of the book, where the book is routed to one
/// (cohort_book::route_dependants: the Monte Carlo's lean kernel, stochastic/lean.hpp, rolls them
/// as precomputed unit profiles): the description and the number merge() would add, and the care
/// cohort award() would append.
class dependant_sink {
 public:
  virtual void add(const death_basis& d, BenefitKind kind, Sex sex, int age, double n,
                   double amount, bool lone, int pay_from) = 0;
  virtual void add_care(const cohort& x) = 0;

 protected:
  dependant_sink() = default;
  dependant_sink(const dependant_sink&) = default;
  dependant_sink& operator=(const dependant_sink&) = default;
  ~dependant_sink() = default;
};

/// The cohorts of long-term beneficiaries, in the order they joined (the order of payments).
class cohort_book {
 public:
  cohort_book() = default;

  /// Sends the dependants' cohorts of later deaths and the care cohorts of later awards to `sink`
  /// instead of the book (nullptr: back to the book). The numbers awarded still go to the callers'
  /// on_award / new_awards.
  void route_dependants(dependant_sink* sink) noexcept { sink_ = sink; }

  /// Starts the book from a stock of beneficiaries; empty cohorts are left out. `capacity` is the
  /// expected size (the stock plus the new awards to come), reserved once. Allowance cohorts not
  /// yet retired get their retirement group (female rows without one are split by
  /// female_cadre_share) and the share with a pension in their retirement year
  /// (pension_qualify_share).
  void reset(const std::vector<cohort>& stock, std::size_t capacity, const claims_assumptions& a) {
    cohorts_.clear();
    cohorts_.reserve(std::max(capacity, stock.size()));
    for (const auto& c : stock) {
      if (c.count <= 0) continue;
      if (c.kind != BenefitKind::allowance) {
        cohorts_.push_back(c);
        continue;
      }
      for (cohort x : split_by_group(c, a)) {
        if (x.count <= 0) continue;
        if (!x.retired) x.pension_share = pension_qualify_share(cohort_retirement_month(x) / 12, a);
        cohorts_.push_back(x);
      }
    }
  }

  /// A new cohort of the year: birth year from the age (mid-year convention of claims/cohort.hpp).
  [[nodiscard]] static cohort fresh(int city, BenefitKind kind, Sex sex, int age, double count,
                                    double amount, int year) {
    cohort x;
    x.city = city;
    x.kind = kind;
    x.grade = 0;
    x.care_level = 0;
    x.sex = sex;
    x.age = age;
    x.count = count;
    x.monthly_amount = amount;
    x.award_year = year;
    x.birth_year = year - 1 - age;
    x.birth_month = mid_year_birth_month;
    x.group = sex == Sex::male ? static_cast<int>(retirement_group::male) : retirement_group_unset;
    return x;
  }
  [[nodiscard]] const std::vector<cohort>& cohorts() const noexcept { return cohorts_; }
  [[nodiscard]] std::size_t size() const noexcept { return cohorts_.size(); }

  /// Adds the new long-term awards of one city and year, at this year's amounts (not indexed this
  /// year). Adds the number awarded of each kind to new_awards[kind] (n_benefit_kinds values).
  /// The dependants' cohorts of the whole call share one merge scope (begin_merge): those of the
  /// deaths of men and of women (children and parents of the same age, amount and eligibility) are
  /// one cohort, as are any that coincide across entry ages (exact: every number is linear in the
  /// count; the book is ~25% shorter).
  void award(const award_basis& w, const claims_assumptions& a, const benefit_rules& rules,
             double* new_awards) {
    begin_merge(cohorts_.size());
    for (std::size_t ai = 0; ai < a.entry_ages.size(); ++ai) {
      const int age = a.entry_ages[ai];
      const double w_age = a.entry_age_weights[ai];
      for (const Sex sex : sexes) {
        const double w_sex = w_age * (sex == Sex::male ? a.male_share : 1 - a.male_share);
        for (int g = grade::first; g <= grade::last_allowance; ++g) {
          const double n = w.injuries * a.grade_share[grade::slot(g)] * w_sex;
          if (n > 0) {
            cohort x = fresh(w.city, BenefitKind::allowance, sex, age, n,
                             allowance_before_floor(g, w.own_wage, rules), w.year);
            x.grade = g;
            for (cohort y : split_by_group(x, a)) {
              if (y.count <= 0) continue;
              y.pension_share = pension_qualify_share(cohort_retirement_month(y) / 12, a);
              cohort_retire(
                  y, w.year,
                  a.retirement_pension_ratio);  // already at the age: retired from the award
              cohorts_.push_back(y);
            }
            new_awards[index_of(BenefitKind::allowance)] += n;
          }
          for (int l = 0; l < n_care_levels; ++l) {
            const double nc = n * a.care_share[grade::slot(g)][static_cast<std::size_t>(l)];
            if (nc <= 0) continue;
            cohort x =
                fresh(w.city, BenefitKind::care, sex, age, nc,
                      care_allowance(static_cast<CareLevel>(l), w.prev_avg_wage, rules), w.year);
            x.grade = g;
            x.care_level = l;
            if (sink_ == nullptr)
              cohorts_.push_back(x);
            else
              sink_->add_care(x);
            new_awards[index_of(BenefitKind::care)] += nc;
          }
        }
        add_dependants({w.city, w.year, w.deaths * w_sex, age, sex, w.own_wage, w.cap_wage}, a,
                       rules, [&](BenefitKind kind, double n) { new_awards[index_of(kind)] += n; });
      }
    }
  }

  /// 供养亲属抚恤金 of the deaths of one group (Art. 39; 劳动和社会保障部令第18号 Arts. 3-4), the
  /// same for deaths at work and for the deaths of grade 1-4 recipients (Art. 39 ¶3). Each family
  /// composition f (weight family_weights[f]) is one family, its other dependants all lone (+10%)
  /// with probability lone_share; the Art. 39 cap is applied to each family (family_cap_scale)
  /// once, at the death, on every member who qualifies now or later (a deferred spouse included:
  /// the pensions of a family are determined together, and later re-determinations are not
  /// modelled). Eligibility: a spouse or parent below 60 (men) / 55 (women) is paid from the death
  /// if wholly unable to work (dependant_incapacity_share), otherwise from the month of reaching
  /// that age (a deferred cohort, exposed to mortality meanwhile); children are paid under 18 only.
  /// `on_award(kind, n)` receives the numbers awarded (deferred members included, at the death).
  template <class OnAward>
  void award_dependants(const death_basis& d, const claims_assumptions& a,
                        const benefit_rules& rules, OnAward&& on_award) {
    begin_merge(cohorts_.size());
    add_dependants(d, a, rules, std::forward<OnAward>(on_award));
  }

  /// The yearly roll of every cohort in `year`: start-of-year changes (not for the year's own
  /// awards), payments, mortality and age + 1; then cohorts that have left payment are dropped.
  /// `pay(city, item, kind, paid, in_payment)` receives each cohort's payments (yuan) and average
  /// number in payment; `minimum_wage(city)` is the monthly minimum wage in force in the year.
  /// Art. 39 ¶3: the deaths of the year among grade 1-4 allowance recipients (not the care cohorts,
  /// which are the same people) are due the funeral grant (6 x prev_avg_wage, paid in the year to
  /// item::funeral_grant) and their dependants' pensions; the deaths of a city and sex are grouped
  /// at their death-weighted mean age (rounded) and wages, the own wage being the cohort's given
  /// own_wage or else the own wage at the injury as indexed with the allowance (allowance before
  /// the floor / its Art. 35 rate), the cap's wage the given cap_wage, else the own wage. Those
  /// dependants join the book in the year (paid from mid-year, as any award); `award(city, kind,
  /// n)` receives their numbers. `death_q(cohort, q, award_year)` returns the death probability
  /// the roll applies to a cohort (default: q itself, expected mortality; the Monte Carlo's
  /// binomial mortality, stochastic/mortality.hpp, returns the realised deaths / (count x
  /// exposure)). The funeral grants of the year are paid after the loop over the book's cohorts
  /// and before the dependants they bring are rolled (mortality.hpp relies on that order).
  /// `extra_deaths(add)` may add deaths of grade 1-4 recipients outside the book to the year's
  /// groups, add(city, sex, deaths, age_sum, wage_sum, cap_sum) with the death-weighted sums of
  /// ages (at the start of the year), own wages and cap wages (the Monte Carlo's lean kernel,
  /// stochastic/lean.hpp: the precomputed stock's deaths); called before the book's cohorts.
  template <class MinimumWage, class Pay, class Award, class DeathQ = expected_death_q,
            class ExtraDeaths = no_extra_deaths>
  void roll(int year, const policy_year& p, double wage_growth, double cpi, double prev_avg_wage,
            const claims_assumptions& a, const mortality_basis& m, MinimumWage&& minimum_wage,
            Pay&& pay, Award&& award, DeathQ&& death_q = DeathQ{},
            ExtraDeaths&& extra_deaths = ExtraDeaths{}) {
    // Flat-by-grade indexation (人社部发〔2017〕58号): the previous year's provincial averages,
    // taken before any cohort of the year is changed.
    const index_group_amounts averages =
        p.indexation.flat_by_grade ? index_group_averages(cohorts_, year) : index_group_amounts{};
    // The deaths of the year by (city, sex): a direct index (slot 2 x city + sex) into the groups,
    // kept in the order of their first death (the order their dependants join the book).
    groups_.clear();
    extra_deaths(
        [&](int city, Sex sex, double deaths, double age_sum, double wage_sum, double cap_sum) {
          if (!(deaths > 0)) return;
          death_group& g = group_of(city, sex);
          g.deaths += deaths;
          g.age_sum += age_sum;
          g.wage_sum += wage_sum;
          g.cap_sum += cap_sum;
        });
    auto pay_one = [&](cohort& x, bool award_year) {
      const double q = death_q(static_cast<const cohort&>(x), cohort_q(x, m, a), award_year);
      const double h = x.kind == BenefitKind::spouse ? a.spouse_exit_hazard : 0.0;
      const cohort_year r =
          cohort_pay_and_roll(x, q, year, minimum_wage(x.city), p.benefits, award_year, h);
      pay(x.city, expenditure_item_of(x), x.kind, r.main, r.in_payment);
      if (x.retired) pay(x.city, item::allowance_topup, x.kind, r.topup, 0.0);
      if (x.kind == BenefitKind::allowance && r.deaths > 0) {
        death_group& g = group_of(x.city, x.sex);
        g.deaths += r.deaths;
        g.age_sum += r.deaths * (x.age - 1);
        const double own = x.own_wage > 0
                               ? x.own_wage
                               : x.monthly_amount / p.benefits.allowance_rate[grade::slot(x.grade)];
        g.wage_sum += r.deaths * own;
        g.cap_sum += r.deaths * (x.cap_wage > 0 ? x.cap_wage : own);
      }
    };
    // Cohorts that have left payment (children past 18, extinct groups: count < 1e-9 after the
    // year) are dropped in the same pass, keeping the order of the others (no separate erase pass).
    const std::size_t n0 = cohorts_.size();
    std::size_t kept = 0;
    for (std::size_t i = 0; i < n0; ++i) {
      cohort& x = cohorts_[i];
      const bool award_year = x.award_year == year;
      if (!award_year)
        cohort_start_year(x, p, wage_growth, cpi, prev_avg_wage, a.retirement_pension_ratio,
                          averages);
      if (x.count > 0) pay_one(x, award_year);
      if (x.count < 1e-9) continue;
      if (kept != i) cohorts_[kept] = x;
      ++kept;
    }
    cohorts_.resize(kept);
    for (const auto& g : groups_) {
      group_slot_[2 * static_cast<std::size_t>(g.city) +
                  static_cast<std::size_t>(index_of(g.sex))] = -1;
      pay(g.city, item::funeral_grant, BenefitKind::allowance,
          g.deaths * funeral_grant(prev_avg_wage, p.benefits), 0.0);
      award_dependants({g.city, year, g.deaths, static_cast<int>(std::lround(g.age_sum / g.deaths)),
                        g.sex, g.wage_sum / g.deaths, g.cap_sum / g.deaths},
                       a, p.benefits, [&](BenefitKind kind, double n) { award(g.city, kind, n); });
    }
    for (std::size_t i = kept; i < cohorts_.size(); ++i) pay_one(cohorts_[i], true);
    cohorts_.erase(std::remove_if(cohorts_.begin() + static_cast<std::ptrdiff_t>(kept),
                                  cohorts_.end(), [](const cohort& x) { return x.count < 1e-9; }),
                   cohorts_.end());
  }

 private:
  struct death_group;
  /// The year's death group of (city, sex), created (in the order of first death) when new.
  death_group& group_of(int city, Sex sex) {
    const std::size_t slot =
        2 * static_cast<std::size_t>(city) + static_cast<std::size_t>(index_of(sex));
    if (slot >= group_slot_.size()) group_slot_.resize(slot + 1, -1);
    int& gi = group_slot_[slot];
    if (gi < 0) {
      gi = static_cast<int>(groups_.size());
      groups_.push_back(death_group{city, sex});
    }
    return groups_[static_cast<std::size_t>(gi)];
  }

  /// award_dependants() inside the current merge scope.
  template <class OnAward>
  void add_dependants(const death_basis& d, const claims_assumptions& a, const benefit_rules& rules,
                      OnAward&& on_award) {
    if (d.deaths <= 0) return;
    double mean_entry_age = 0;
    for (std::size_t ai = 0; ai < a.entry_ages.size(); ++ai)
      mean_entry_age += a.entry_ages[ai] * a.entry_age_weights[ai];
    const int shift = static_cast<int>(std::lround(d.age - mean_entry_age));
    const int spouse_age = std::max(d.age + a.spouse_age_offset, 16);
    const int child_age = std::max(a.child_age + shift, 0);
    const int parent_age = std::clamp(a.parent_age + shift, 14, 110);
    auto place = [&](BenefitKind kind, Sex sex, int age, double n, double amount, bool lone,
                     int pay_from) {
      if (sink_ == nullptr)
        merge(kind, sex, age, n, amount, lone, pay_from, d);
      else if (n > 0)
        sink_->add(d, kind, sex, age, n, amount, lone, pay_from);
    };
    auto put = [&](BenefitKind kind, Sex sex, int age, double n, double amount, bool lone,
                   bool age_test) {
      if (n <= 0) return;
      on_award(kind, n);
      const int eligible = dependant_eligibility_age(sex == Sex::male);
      if (!age_test || age >= eligible) {
        place(kind, sex, age, n, amount, lone, 0);
        return;
      }
      const int birth_year = d.year - 1 - age;
      place(kind, sex, age, n * a.dependant_incapacity_share, amount, lone, 0);
      place(kind, sex, age, n * (1 - a.dependant_incapacity_share), amount, lone,
            (birth_year + eligible) * 12 + (mid_year_birth_month - 1));
    };
    const Sex spouse_sex = other_sex(d.sex);
    for (std::size_t f = 0; f < a.family_weights.size(); ++f) {
      const int sp = a.family_spouses[f], ch = a.family_children[f], pa = a.family_parents[f];
      const int others = ch + pa;
      for (const bool lone : {false, true}) {
        const double share =
            others > 0 ? (lone ? a.lone_share : 1 - a.lone_share) : (lone ? 0.0 : 1.0);
        const double n = d.deaths * a.family_weights[f] * share;
        if (n <= 0) continue;
        const double scale = family_cap_scale(sp, others, lone, d.own_wage, d.cap_wage, rules);
        put(BenefitKind::spouse, spouse_sex, spouse_age, n * sp,
            scale * dependant_rate(true, false, rules) * d.own_wage, false, true);
        const double other_amount = scale * dependant_rate(false, lone, rules) * d.own_wage;
        for (const Sex s : {d.sex, spouse_sex}) {
          if (child_age < dependant_child_age_limit)
            put(BenefitKind::child, s, child_age, 0.5 * n * ch, other_amount, lone, false);
          put(BenefitKind::parent, s, parent_age, 0.5 * n * pa, other_amount, lone, true);
        }
      }
    }
  }

  /// One or two cohorts (no heap allocation: split_by_group is called for every allowance cohort
  /// of the stock and of each year's awards).
  struct cohort_pair {
    std::array<cohort, 2> v;
    std::size_t n = 1;
    [[nodiscard]] const cohort* begin() const noexcept { return v.data(); }
    [[nodiscard]] const cohort* end() const noexcept { return v.data() + n; }
  };

  /// An allowance cohort by retirement group: men are `male`; women without a group are split into
  /// female cadres (female_cadre_share, old age 55) and female workers (old age 50).
  static cohort_pair split_by_group(const cohort& c, const claims_assumptions& a) {
    if (c.group != retirement_group_unset) return {{c, cohort{}}, 1};
    if (c.sex == Sex::male) {
      cohort x = c;
      x.group = static_cast<int>(retirement_group::male);
      return {{x, cohort{}}, 1};
    }
    cohort cadre = c, worker = c;
    cadre.group = static_cast<int>(retirement_group::female_cadre);
    cadre.count = c.count * a.female_cadre_share;
    worker.group = static_cast<int>(retirement_group::female_worker);
    worker.count = c.count * (1 - a.female_cadre_share);
    return {{cadre, worker}, 2};
  }

  /// Adds n to the cohort of the same description among those added since begin_merge(), or a new
  /// one. They are found through a small open-addressing table keyed on
  /// the description (a linear scan was quadratic in the family compositions: ~100 cohorts per
  /// death group); at most one cohort of a description exists, so the result is the scan's.
  void merge(BenefitKind kind, Sex sex, int age, double n, double amount, bool lone, int pay_from,
             const death_basis& d) {
    if (n <= 0) return;
    const std::uint64_t h = merge_hash(kind, sex, age, lone, pay_from, amount);
    const std::size_t mask = merge_slots_.size() - 1;
    for (std::size_t s = h & mask;; s = (s + 1) & mask) {
      const int idx = merge_slots_[s];
      if (idx < 0) {
        cohort x = fresh(d.city, kind, sex, age, n, amount, d.year);
        x.lone = lone;
        x.pay_from_month = pay_from;
        merge_slots_[s] = static_cast<int>(cohorts_.size());
        cohorts_.push_back(x);
        if (2 * ++merge_used_ > merge_slots_.size()) rehash_merge();
        return;
      }
      cohort& y = cohorts_[static_cast<std::size_t>(idx)];
      if (y.kind == kind && y.sex == sex && y.age == age && y.lone == lone &&
          y.pay_from_month == pay_from && y.monthly_amount == amount) {
        y.count += n;
        return;
      }
    }
  }

  /// Hash of a dependants' cohort description (the fields merge() compares).
  static std::uint64_t merge_hash(BenefitKind kind, Sex sex, int age, bool lone, int pay_from,
                                  double amount) noexcept {
    std::uint64_t h = std::bit_cast<std::uint64_t>(amount == 0 ? 0.0 : amount) *
                      0x9E3779B97F4A7C15ULL;  // -0 == 0
    h ^= (static_cast<std::uint64_t>(static_cast<unsigned>(age)) << 8) ^
         (static_cast<std::uint64_t>(index_of(kind)) << 1) ^
         static_cast<std::uint64_t>(index_of(sex)) ^ (static_cast<std::uint64_t>(lone) << 20) ^
         (static_cast<std::uint64_t>(static_cast<unsigned>(pay_from)) << 24);
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ULL;
    return h ^ (h >> 32);
  }

  /// Starts the merge scope of one death group: the cohorts from `first` on (an empty table).
  void begin_merge(std::size_t first) {
    merge_first_ = first;
    merge_slots_.assign(std::max<std::size_t>(merge_slots_.size(), 256), -1);
    merge_used_ = 0;
  }

  /// Doubles the merge table and re-inserts the cohorts of the current scope.
  void rehash_merge() {
    merge_slots_.assign(2 * merge_slots_.size(), -1);
    merge_used_ = 0;
    const std::size_t mask = merge_slots_.size() - 1;
    for (std::size_t i = merge_first_; i < cohorts_.size(); ++i) {
      const cohort& y = cohorts_[i];
      std::size_t s =
          merge_hash(y.kind, y.sex, y.age, y.lone, y.pay_from_month, y.monthly_amount) & mask;
      while (merge_slots_[s] >= 0) s = (s + 1) & mask;
      merge_slots_[s] = static_cast<int>(i);
      ++merge_used_;
    }
  }

  /// The deaths of one (city, sex) among allowance recipients in the year being rolled.
  struct death_group {
    int city;
    Sex sex;
    double deaths = 0, age_sum = 0, wage_sum = 0, cap_sum = 0;
  };

  std::vector<cohort> cohorts_;
  std::vector<death_group> groups_;  ///< scratch of roll(), kept to reuse its memory
  std::vector<int> group_slot_;      ///< slot 2 x city + sex -> index in groups_, -1 when none
  std::vector<int> merge_slots_;     ///< merge(): open-addressing table of the current scope
  std::size_t merge_first_ = 0;      ///< merge(): the scope (first cohort of the death group)
  std::size_t merge_used_ = 0;
  dependant_sink* sink_ = nullptr;  ///< route_dependants()
};

}  // namespace wifund
