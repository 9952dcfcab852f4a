#pragma once
// The fast path of the valuation (issue #11, performance): the same per-row values as
// value_cohorts(per_row = true) of value.hpp, computed without a cohort book per row chunk.
//
// Why it is the same number: in the per-row mode each row is rolled in a book of its own (its row
// number as the city), so nothing couples two rows (the flat-by-grade round, which would, is
// refused there as here). A row's value is therefore
//   (a) the payments to the row's own cohorts (the retirement groups of cohort_book::reset), rolled
//       year by year with the projection's functions (cohort_start_year, cohort_q,
//       cohort_pay_and_roll of claims/cohort.hpp, in the order cohort_book::roll calls them), and
//   (b) for an allowance row, the Art. 39 ¶3 funeral grant and dependants' pensions of each year's
//       deaths (条例 Art. 39 ¶3; 劳动和社会保障部令第18号).
// (b) is where the time went: each year's deaths start new dependant cohorts, rolled to their end.
// Their pensions are (Art. 39 cap scale) x rate x own wage, indexed by percentage and raised by
// flat increments, so for given death year k, age at death, sex and ratio rho = cap wage / own wage
// (which fixes the cap scale of every family composition) the value of the dependants of d deaths
// at own wage w is exactly affine:  d x (w x A + B),  A and B the values per death with own wage 1
// (minus B) and 0. A and B (and their yearly payments, for the cash table) are computed once per
// (k, age, sex, rho) by the projection's own cohort_book::award_dependants and cohort_book::roll,
// and reused by every row dying in year k at that age.
//
// Rows of one shape (every field but city, count, amount, pension and own wage) share two probes:
// see "rows sharing a shape" below; the others are rolled one by one as in (a).
// Rows that are equal in every field but the count have proportional values: they are valued once,
// with the sum of their counts, and the values shared out by count (a model-point compression that
// changes nothing but the rounding; cohort_book drops cohorts below 1e-9 persons, so a merged row
// is cut later, and more precisely, than each of its parts).
//
// Differences from value_cohorts: none per row but the rounding. By city and kind, the dependants
// of each row's deaths are grouped per row (as in the per-row mode), not per city and sex at their
// mean age as value_cohorts(per_row = false) does (the projection's grouping); a female allowance
// row whose retirement groups (female cadre / worker) differ in own wage and whose cap wage is
// given without its own wage is grouped per retirement group, not per row (the cap scale is not
// affine).
#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <unordered_map>
#include <vector>

#include "wifund/valuation/value.hpp"

namespace wifund {

/// Values of value_cohorts_fast: pv by row (as value_cohorts with per_row = true) and by city x
/// kind paid (the dependants of a row's deaths under their own kind).
struct fast_valuation_result {
  Matrix pv;          ///< rows x n_valuation_items (0 rows if not opts.per_row)
  Matrix pv_by_kind;  ///< (city x n_benefit_kinds + kind) x n_valuation_items
  Matrix cash;        ///< years x n_valuation_items, undiscounted payments of all rows
  Vector discount_factor;
  std::size_t distinct_rows = 0;    ///< row shapes probed + distinct rows of the general path
  std::size_t dependant_bases = 0;  ///< (death year, age, sex, rho) whose dependants were rolled
};

namespace detail {

/// Dependants of one death (own wage 1: a + b; own wage 0: b), by the kind paid, at the valuation
/// date; and their yearly payments from the death year.
struct dependant_unit {
  std::array<double, n_benefit_kinds> a{}, b{};
  std::vector<double> cash_a, cash_b;
  double weight_a = 0, weight_b = 0;  ///< sum over rows of deaths x own wage, of deaths
  int k = 0;
};

/// The equality key of a row (every field but the count).
struct row_key {
  std::array<std::uint64_t, 10> v{};
  bool operator==(const row_key&) const = default;
};
struct row_key_hash {
  std::size_t operator()(const row_key& k) const noexcept {
    std::uint64_t h = 1469598103934665603ULL;
    for (const auto x : k.v) h = (h ^ x) * 1099511628211ULL + (h >> 29);
    return static_cast<std::size_t>(h);
  }
};

[[nodiscard]] inline row_key key_of(const cohort& c) {
  auto pack = [](int a, int b) {
    return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(a)) << 32) |
           static_cast<std::uint32_t>(b);
  };
  row_key k;
  k.v[0] = pack(c.city, index_of(c.kind));
  k.v[1] = pack(c.grade, c.care_level);
  k.v[2] = pack(index_of(c.sex), c.age);
  k.v[3] = pack(c.award_year, (c.retired ? 1 : 0) | (c.lone ? 2 : 0));
  k.v[4] = pack(c.birth_year, c.birth_month);
  k.v[5] = pack(c.group, c.retire_month);
  k.v[6] = pack(c.pay_from_month, 0);
  k.v[7] = std::bit_cast<std::uint64_t>(c.monthly_amount) ^
           (std::bit_cast<std::uint64_t>(c.pension) * 31);
  k.v[8] = std::bit_cast<std::uint64_t>(c.pension_share) ^
           (std::bit_cast<std::uint64_t>(c.own_wage) * 131);
  k.v[9] = std::bit_cast<std::uint64_t>(c.cap_wage) ^ std::bit_cast<std::uint64_t>(c.pension);
  return k;
}

[[nodiscard]] inline bool same_row(const cohort& a, const cohort& b) {
  return a.city == b.city && a.kind == b.kind && a.grade == b.grade &&
         a.care_level == b.care_level && a.sex == b.sex && a.age == b.age &&
         a.monthly_amount == b.monthly_amount && a.pension == b.pension &&
         a.award_year == b.award_year && a.retired == b.retired && a.lone == b.lone &&
         a.birth_year == b.birth_year && a.birth_month == b.birth_month && a.group == b.group &&
         a.pension_share == b.pension_share && a.retire_month == b.retire_month &&
         a.pay_from_month == b.pay_from_month && a.own_wage == b.own_wage &&
         a.cap_wage == b.cap_wage;
}

}  // namespace detail

/// The values of value_cohorts(x, e, rows, j0, opts with per_row = true, end_index) per row (if
/// opts.per_row; else only the totals), and by city and kind paid, by the fast path described at
/// the top of this file.
[[nodiscard]] inline fast_valuation_result value_cohorts_fast(const projection_context& x,
                                                              const valuation_economy& e,
                                                              const std::vector<cohort>& rows,
                                                              int j0, const valuation_options& opts,
                                                              int end_index = -1) {
  const detail::valued_years_t valued = detail::valued_years(x, e, rows, j0, opts, end_index, true);
  const auto& years = valued.years;
  const Vector& D = valued.D;
  const int C = x.cities();
  const int n_years = static_cast<int>(years.size());
  const claims_assumptions& a = x.claims;
  const mortality_basis& m = x.mortality;
  const auto n_rows = static_cast<Eigen::Index>(rows.size());
  fast_valuation_result out;
  out.pv = Matrix(opts.per_row ? n_rows : 0, n_valuation_items);  // every row written below
  out.pv_by_kind = Matrix::Zero(C * n_benefit_kinds, n_valuation_items);
  out.cash = Matrix::Zero(n_years, n_valuation_items);
  out.discount_factor = D;
  const int s_topup = valuation_slot(item::allowance_topup);
  const int s_dep = valuation_slot(item::dependant_pension);
  const int s_funeral = valuation_slot(item::funeral_grant);

  // Whether a flat increment can reach a dependant awarded in year index k (else B = 0).
  std::vector<char> increments_from(static_cast<std::size_t>(n_years) + 1, 0);
  for (int k = n_years - 1; k >= 0; --k) {
    bool any = false;
    for (int t = k; t < n_years && !any; ++t)
      for (const auto& inc : years[static_cast<std::size_t>(t)].p.increments)
        if (inc.cutoff_year >= years[static_cast<std::size_t>(k)].p.year) any = true;
    increments_from[static_cast<std::size_t>(k)] = any ? 1 : 0;
  }

  // --- the dependants of one death, per (k, age, sex, rho) ---
  std::deque<detail::dependant_unit> units;
  constexpr int n_ages = 131;
  std::vector<int> unit_of_rho1(static_cast<std::size_t>(2 * n_years * n_ages), -1);
  struct other_key {
    int k, age, sex;
    double rho;
    bool operator==(const other_key&) const = default;
  };
  struct other_hash {
    std::size_t operator()(const other_key& o) const noexcept {
      return std::hash<double>{}(o.rho) ^
             (static_cast<std::size_t>(o.k) * 1000003u + static_cast<std::size_t>(o.age) * 7919u +
              static_cast<std::size_t>(o.sex));
    }
  };
  std::unordered_map<other_key, int, other_hash> unit_of_other;
  cohort_book dep_book;
  auto roll_dependants = [&](int k, int age, Sex sex, double own, double rho,
                             std::array<double, n_benefit_kinds>& pv, std::vector<double>& cash) {
    cash.assign(static_cast<std::size_t>(n_years - k), 0.0);
    dep_book.reset({}, 64, a);
    const auto& y0 = years[static_cast<std::size_t>(k)];
    dep_book.award_dependants({0, y0.p.year, 1.0, age, sex, own, rho * own}, a, y0.p.benefits,
                              [](BenefitKind, double) {});
    for (int t = k; t < n_years && dep_book.size() > 0; ++t) {
      const auto& y = years[static_cast<std::size_t>(t)];
      const double d = D[t];
      dep_book.roll(
          y.p.year, y.p, y.wage_growth, y.cpi, y.prev_avg_wage, a, m,
          [&](int) { return y.minimum_wage[0]; },
          [&](int, int it, BenefitKind kind, double paid, double) {
            if (paid == 0 || valuation_slot(it) < 0) return;
            pv[static_cast<std::size_t>(index_of(kind))] += d * paid;
            cash[static_cast<std::size_t>(t - k)] += paid;
          },
          [](int, BenefitKind, double) {});
    }
  };
  auto make_unit = [&](int k, int age, Sex sex, double rho) {
    detail::dependant_unit& u = units.emplace_back();
    u.k = k;
    std::array<double, n_benefit_kinds> pv1{};
    std::vector<double> cash1;
    roll_dependants(k, age, sex, 1.0, rho, pv1, cash1);
    if (increments_from[static_cast<std::size_t>(k)]) {
      roll_dependants(k, age, sex, 0.0, rho, u.b, u.cash_b);
    } else {
      u.cash_b.assign(cash1.size(), 0.0);
    }
    for (std::size_t i = 0; i < pv1.size(); ++i) u.a[i] = pv1[i] - u.b[i];
    u.cash_a.resize(cash1.size());
    for (std::size_t i = 0; i < cash1.size(); ++i) u.cash_a[i] = cash1[i] - u.cash_b[i];
    return static_cast<int>(units.size() - 1);
  };
  auto unit = [&](int k, int age, Sex sex, double rho) -> detail::dependant_unit& {
    if (rho == 1.0 && age >= 0 && age < n_ages) {
      int& slot =
          unit_of_rho1[static_cast<std::size_t>((index_of(sex) * n_years + k) * n_ages + age)];
      if (slot < 0) slot = make_unit(k, age, sex, rho);
      return units[static_cast<std::size_t>(slot)];
    }
    const other_key key{k, age, index_of(sex), rho};
    auto it = unit_of_other.find(key);
    if (it == unit_of_other.end())
      it = unit_of_other.emplace(key, make_unit(k, age, sex, rho)).first;
    return units[static_cast<std::size_t>(it->second)];
  };

  // --- rows sharing a shape: one probe per shape, then a short loop per row ---
  // A row's cohort_start_year is linear in (monthly amount, pension) unless a flat increment can
  // reach it (the floor top-up of 吉人社发〔2022〕24号 is not) or it is a care row (re-based with a
  // max): for a shape (every field but city, count, amount, pension and own wage) a probe with
  // amount 1 and pension 0, and one with amount 0 and pension 1, rolled with the same functions,
  // give the amount and pension of every year as a0 x F_k and a0 x P_k + p0 x Q_k; the months paid
  // and the deaths do not depend on the amounts. Per row the year loop is then a few
  // multiplications and the minimum-wage floor and top-up maxima (allowance), the re-basing max
  // (care), or nothing at all (the other kinds: a0 x sum_k D_k M_k F_k). Rows with a cap wage
  // (their rho moves with the indexed own wage) or reached by an increment take the general path
  // below.
  int last_cutoff = std::numeric_limits<int>::min();
  for (const auto& y : years)
    for (const auto& inc : y.p.increments) last_cutoff = std::max(last_cutoff, inc.cutoff_year);
  // shape_of_row[i]: the shape of row i (-1: the general path); the shapes' first rows
  std::vector<int> shape_of_row(rows.size(), -1);
  std::vector<std::size_t> shape_first;
  auto shape_of = [](const cohort& c) {
    cohort z = c;
    z.city = 0;
    z.count = 1.0;
    z.monthly_amount = 1.0;
    z.pension = 0.0;
    z.own_wage = c.own_wage > 0 ? 1.0 : 0.0;
    z.cap_wage = 0.0;
    return z;
  };
  std::size_t n_general = 0;
  {
    std::unordered_map<detail::row_key, int, detail::row_key_hash> first_shape;
    std::vector<int> chain;        // shapes with the same key
    std::vector<cohort> shape_at;  // shape_of(rows[shape_first[g]])
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const cohort& r = rows[i];
      if (!(r.count > 0)) continue;
      if (r.cap_wage > 0 || r.award_year <= last_cutoff) {
        ++n_general;
        continue;
      }
      const cohort z = shape_of(r);
      const auto [it, fresh] = first_shape.try_emplace(detail::key_of(z), -1);
      int g = fresh ? -1 : it->second;
      while (g >= 0 && !detail::same_row(shape_at[static_cast<std::size_t>(g)], z))
        g = chain[static_cast<std::size_t>(g)];
      if (g < 0) {
        g = static_cast<int>(shape_first.size());
        shape_first.push_back(i);
        shape_at.push_back(z);
        chain.push_back(it->second);
        it->second = g;
      }
      shape_of_row[i] = g;
    }
  }
  struct probe_year {
    double months = 0, topup_months = 0;  ///< alive x months paid (allowance / top-up), per person
    double amount = 0, pension_a = 0, pension_p = 0;  ///< F_k, P_k, Q_k
    double rebase = 0;                                ///< care: the re-based floor of the year
    double deaths = 0;
    detail::dependant_unit* unit = nullptr;
  };
  /// A shape's probes (one per cohort of cohort_book::reset), its key-level sums per unit count
  /// (the linear kinds' PV and the Art. 39 ¶3 parts), and the sums over its rows of count, count x
  /// amount and count x own wage (the weights of the key-level cash flows).
  struct shape_values {
    std::vector<std::vector<probe_year>> probes;
    std::array<double, n_benefit_kinds> dep_amount{}, dep_own{}, dep_fixed{};
    double linear_pv = 0, funeral_pv = 0;
    double w_count = 0, w_amount = 0, w_own = 0;
    bool allowance = false, care = false, own_given = false;
    int grade = 0, s_main = 0, row_kind = 0;
  };
  std::vector<shape_values> shapes(shape_first.size());
  cohort_book probe_book;
  std::vector<cohort> probe_rows(1);
  const double no_rebase = -std::numeric_limits<double>::infinity();
  for (std::size_t g = 0; g < shapes.size(); ++g) {
    const cohort shape = shape_of(rows[shape_first[g]]);
    shape_values& sv = shapes[g];
    const bool allowance = shape.kind == BenefitKind::allowance;
    const bool care = shape.kind == BenefitKind::care;
    sv.allowance = allowance;
    sv.care = care;
    sv.own_given = shape.own_wage > 0;
    sv.grade = shape.grade;
    sv.s_main = valuation_slot(expenditure_item_of(shape));
    sv.row_kind = index_of(shape.kind);
    // the probes: amount 1 pension 0 (and amount 0 pension 1 for the allowance's top-up)
    probe_rows[0] = shape;
    probe_rows[0].own_wage = 0;
    probe_book.reset(probe_rows, 2, a);
    auto& probes = sv.probes;
    probes.assign(probe_book.size(), {});
    for (std::size_t s = 0; s < probe_book.size(); ++s) {
      cohort c = probe_book.cohorts()[s];
      cohort cp = c;
      cp.monthly_amount = 0.0;
      cp.pension = 1.0;
      auto& py = probes[s];
      for (int k = 0; k < n_years; ++k) {
        const auto& y = years[static_cast<std::size_t>(k)];
        const bool award_year = c.award_year == y.p.year;
        probe_year out_k;
        out_k.rebase = no_rebase;
        if (!award_year) {
          const double before = c.monthly_amount;
          cohort_start_year(c, y.p, y.wage_growth, y.cpi, y.prev_avg_wage,
                            a.retirement_pension_ratio, index_group_amounts{});
          if (allowance)
            cohort_start_year(cp, y.p, y.wage_growth, y.cpi, y.prev_avg_wage,
                              a.retirement_pension_ratio, index_group_amounts{});
          if (care && y.p.indexation.care_follows_wage) {
            out_k.rebase =
                y.p.benefits.care_rate[static_cast<std::size_t>(c.care_level)] * y.prev_avg_wage;
            c.monthly_amount = before;  // the probe keeps 1: the per-row loop re-bases
          }
        }
        if (c.count > 0) {
          const double q = cohort_q(c, m, a);
          const double h = c.kind == BenefitKind::spouse ? a.spouse_exit_hazard : 0.0;
          cohort unit_amount = c;  // months paid: the payments of amount 1, no floor, no pension
          unit_amount.monthly_amount = 1.0;
          unit_amount.pension = 0.0;
          const cohort_year mo =
              cohort_pay_and_roll(unit_amount, q, y.p.year, 0.0, y.p.benefits, award_year, h);
          out_k.months = mo.main;
          out_k.topup_months = c.retired ? mo.topup : 0.0;
          out_k.amount = c.monthly_amount;
          out_k.pension_a = c.pension;
          out_k.pension_p = cp.pension;
          const cohort_year r =
              cohort_pay_and_roll(c, q, y.p.year, 0.0, y.p.benefits, award_year, h);
          cp.count = c.count;
          cp.age = c.age;
          out_k.deaths = allowance ? r.deaths : 0.0;
          if (out_k.deaths > 0) out_k.unit = &unit(k, c.age - 1, c.sex, 1.0);
        }
        py.push_back(out_k);
        if (c.count < 1e-9) break;
      }
    }
    for (const auto& py : probes)
      for (std::size_t k = 0; k < py.size(); ++k) {
        const auto& pk = py[k];
        const auto& y = years[k];
        const double d = D[static_cast<Eigen::Index>(k)];
        sv.linear_pv += d * pk.months * pk.amount;
        if (pk.deaths > 0) {
          sv.funeral_pv += d * pk.deaths * funeral_grant(y.prev_avg_wage, y.p.benefits);
          const double per_amount =
              pk.deaths * pk.amount / y.p.benefits.allowance_rate[grade::slot(shape.grade)];
          for (std::size_t kd = 0; kd < sv.dep_amount.size(); ++kd) {
            sv.dep_amount[kd] += per_amount * pk.unit->a[kd];
            sv.dep_own[kd] += pk.deaths * pk.unit->a[kd];
            sv.dep_fixed[kd] += pk.deaths * pk.unit->b[kd];
          }
        }
      }
    out.distinct_rows += 1;
  }
  // the rows of the shapes, in the order of the rows (sequential memory: walking each shape's rows
  // across the book was two cache misses a row, most of the time of this function)
  const bool per_row = opts.per_row;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const int g = shape_of_row[i];
    if (g < 0) {
      if (per_row) out.pv.row(static_cast<Eigen::Index>(i)).setZero();  // the general path's later
      continue;
    }
    shape_values& sv = shapes[static_cast<std::size_t>(g)];
    const cohort& row = rows[i];
    const double n = row.count, a0 = row.monthly_amount, p0 = row.pension;
    std::array<double, n_valuation_items> pv_row{};
    auto by_kind = [&](int kind) {
      return out.pv_by_kind.row(static_cast<Eigen::Index>(row.city * n_benefit_kinds + kind));
    };
    sv.w_count += n;
    sv.w_amount += n * a0;
    sv.w_own += n * row.own_wage;
    // (the year loops sum into locals, which stay in registers: the same additions in the same
    // order)
    double main_pv = 0, topup_pv = 0;
    if (sv.allowance) {
      double main_sum = 0, topup_sum = 0;
      for (const auto& py : sv.probes)
        for (std::size_t k = 0; k < py.size(); ++k) {
          const auto& pk = py[k];
          const auto& y = years[k];
          const double amount = a0 * pk.amount;
          const double allowance_k =
              y.p.benefits.minimum_wage_floor
                  ? std::max(amount, y.minimum_wage[static_cast<std::size_t>(row.city)])
                  : amount;
          const double main = n * pk.months * allowance_k;
          const double d = D[static_cast<Eigen::Index>(k)];
          main_sum += d * main;
          out.cash(static_cast<Eigen::Index>(k), sv.s_main) += main;
          if (pk.topup_months > 0) {
            const double top =
                n * pk.topup_months *
                retirement_topup(allowance_k, a0 * pk.pension_a + p0 * pk.pension_p, y.p.benefits);
            topup_sum += d * top;
            out.cash(static_cast<Eigen::Index>(k), s_topup) += top;
          }
        }
      main_pv = main_sum;
      topup_pv = topup_sum;
      const double funeral = n * sv.funeral_pv;
      pv_row[static_cast<std::size_t>(s_funeral)] += funeral;
      by_kind(index_of(BenefitKind::allowance))[s_funeral] += funeral;
      double dep_total = 0;
      for (int kd = 0; kd < n_benefit_kinds; ++kd) {
        const auto ukd = static_cast<std::size_t>(kd);
        const double v =
            n * ((sv.own_given ? row.own_wage * sv.dep_own[ukd] : a0 * sv.dep_amount[ukd]) +
                 sv.dep_fixed[ukd]);
        if (v == 0) continue;
        by_kind(kd)[s_dep] += v;
        dep_total += v;
      }
      pv_row[static_cast<std::size_t>(s_dep)] += dep_total;
    } else if (sv.care) {
      double main_sum = 0;
      double* cash = out.cash.data() + sv.s_main;  // row-major: year k at cash[k x items]
      for (const auto& py : sv.probes) {
        double amount = a0;
        for (std::size_t k = 0; k < py.size(); ++k) {
          const auto& pk = py[k];
          amount = std::max(amount, pk.rebase);
          const double main = n * pk.months * amount;
          main_sum += D[static_cast<Eigen::Index>(k)] * main;
          cash[k * static_cast<std::size_t>(n_valuation_items)] += main;
        }
      }
      main_pv = main_sum;
    } else {
      main_pv = n * a0 * sv.linear_pv;
    }
    pv_row[static_cast<std::size_t>(sv.s_main)] += main_pv;
    by_kind(sv.row_kind)[sv.s_main] += main_pv;
    if (sv.allowance) {
      pv_row[static_cast<std::size_t>(s_topup)] += topup_pv;
      by_kind(sv.row_kind)[s_topup] += topup_pv;
    }
    if (per_row)
      for (int s = 0; s < n_valuation_items; ++s)
        out.pv(static_cast<Eigen::Index>(i), s) = pv_row[static_cast<std::size_t>(s)];
  }
  // the cash of the key-level parts, and the weights of the dependants' yearly payments
  for (const shape_values& sv : shapes)
    for (const auto& py : sv.probes)
      for (std::size_t k = 0; k < py.size(); ++k) {
        const auto& pk = py[k];
        const auto& y = years[k];
        const auto kk = static_cast<Eigen::Index>(k);
        if (!sv.allowance && !sv.care)
          out.cash(kk, sv.s_main) += sv.w_amount * pk.months * pk.amount;
        if (pk.deaths <= 0) continue;
        out.cash(kk, s_funeral) +=
            sv.w_count * pk.deaths * funeral_grant(y.prev_avg_wage, y.p.benefits);
        pk.unit->weight_a +=
            pk.deaths * (sv.own_given ? sv.w_own
                                      : sv.w_amount * pk.amount /
                                            y.p.benefits.allowance_rate[grade::slot(sv.grade)]);
        pk.unit->weight_b += pk.deaths * sv.w_count;
      }

  // --- the other rows: equal rows merged (representative, summed count) ---
  std::vector<int> group_of(rows.size(), -1);
  std::vector<std::size_t> rep;
  std::vector<double> group_count;
  {
    std::unordered_map<detail::row_key, int, detail::row_key_hash> first_group;
    first_group.reserve(n_general);
    std::vector<int> next;  // groups with the same key, chained
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (!(rows[i].count > 0) || shape_of_row[i] >= 0) continue;
      const auto [it, fresh] = first_group.try_emplace(detail::key_of(rows[i]), -1);
      int g = fresh ? -1 : it->second;
      while (g >= 0 && !detail::same_row(rows[rep[static_cast<std::size_t>(g)]], rows[i]))
        g = next[static_cast<std::size_t>(g)];
      if (g < 0) {
        g = static_cast<int>(rep.size());
        rep.push_back(i);
        group_count.push_back(0.0);
        next.push_back(it->second);
        it->second = g;
      }
      group_of[i] = g;
      group_count[static_cast<std::size_t>(g)] += rows[i].count;
    }
  }
  out.distinct_rows += rep.size();

  // --- each distinct row: its own cohorts, and the dependants of its deaths ---
  Matrix group_pv = Matrix::Zero(static_cast<Eigen::Index>(rep.size()), n_valuation_items);
  cohort_book own_book;
  std::vector<cohort> one(1);
  for (std::size_t g = 0; g < rep.size(); ++g) {
    one[0] = rows[rep[g]];
    one[0].count = group_count[g];
    const int city = one[0].city;
    const int row_kind = index_of(one[0].kind);
    own_book.reset(one, 2, a);
    auto gpv = group_pv.row(static_cast<Eigen::Index>(g));
    auto by_kind = [&](int kind) {
      return out.pv_by_kind.row(static_cast<Eigen::Index>(city * n_benefit_kinds + kind));
    };
    for (cohort c : own_book.cohorts()) {
      // cohort_book::roll, for one cohort (claims/cohort_book.hpp): start of year (not in the
      // award year), payments, mortality, the Art. 39 ¶3 deaths; dropped below 1e-9 persons.
      for (int k = 0; k < n_years; ++k) {
        const auto& y = years[static_cast<std::size_t>(k)];
        const int year = y.p.year;
        const bool award_year = c.award_year == year;
        if (!award_year)
          cohort_start_year(c, y.p, y.wage_growth, y.cpi, y.prev_avg_wage,
                            a.retirement_pension_ratio, index_group_amounts{});
        if (c.count > 0) {
          const double q = cohort_q(c, m, a);
          const double h = c.kind == BenefitKind::spouse ? a.spouse_exit_hazard : 0.0;
          const cohort_year r =
              cohort_pay_and_roll(c, q, year, y.minimum_wage[static_cast<std::size_t>(city)],
                                  y.p.benefits, award_year, h);
          const double d = D[k];
          const int s_main = valuation_slot(expenditure_item_of(c));
          if (r.main != 0) {
            gpv[s_main] += d * r.main;
            by_kind(row_kind)[s_main] += d * r.main;
            out.cash(k, s_main) += r.main;
          }
          if (c.retired && r.topup != 0) {
            gpv[s_topup] += d * r.topup;
            by_kind(row_kind)[s_topup] += d * r.topup;
            out.cash(k, s_topup) += r.topup;
          }
          if (c.kind == BenefitKind::allowance && r.deaths > 0) {
            const double funeral = r.deaths * funeral_grant(y.prev_avg_wage, y.p.benefits);
            gpv[s_funeral] += d * funeral;
            by_kind(index_of(BenefitKind::allowance))[s_funeral] += d * funeral;
            out.cash(k, s_funeral) += funeral;
            const double own =
                c.own_wage > 0
                    ? c.own_wage
                    : c.monthly_amount / y.p.benefits.allowance_rate[grade::slot(c.grade)];
            const double cap = c.cap_wage > 0 ? c.cap_wage : own;
            const double rho = own > 0 ? cap / own : 1.0;
            detail::dependant_unit& u = unit(k, c.age - 1, c.sex, rho);
            double total = 0;
            for (int kd = 0; kd < n_benefit_kinds; ++kd) {
              const double v = r.deaths * (own * u.a[static_cast<std::size_t>(kd)] +
                                           u.b[static_cast<std::size_t>(kd)]);
              if (v == 0) continue;
              by_kind(kd)[s_dep] += v;
              total += v;
            }
            gpv[s_dep] += total;
            u.weight_a += r.deaths * own;
            u.weight_b += r.deaths;
          }
        }
        if (c.count < 1e-9) break;
      }
    }
  }
  for (const auto& u : units)
    for (std::size_t t = 0; t < u.cash_a.size(); ++t)
      out.cash(u.k + static_cast<Eigen::Index>(t), s_dep) +=
          u.weight_a * u.cash_a[t] + u.weight_b * u.cash_b[t];
  out.dependant_bases = units.size();
  for (std::size_t i = 0; i < rows.size() && per_row; ++i) {
    const int g = group_of[i];
    if (g < 0) continue;
    const double share = rows[i].count / group_count[static_cast<std::size_t>(g)];
    out.pv.row(static_cast<Eigen::Index>(i)) = share * group_pv.row(g);
  }
  return out;
}

}  // namespace wifund
