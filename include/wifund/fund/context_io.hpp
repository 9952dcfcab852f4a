#pragma once
// A projection context as bytes and back, for pickling (Dask workers, process pools) and for the
// C++ benchmark, which projects the very context Python built. The format is versioned
// (context_format_version) and exact: doubles are copied bit for bit (native byte order, IEEE 754),
// so a context read back projects bit-identically. Reading re-validates through make_context().
#include <array>
#include <concepts>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "wifund/core/errors.hpp"
#include "wifund/fund/context.hpp"

namespace wifund {

/// Bumped whenever a field of the context (or of the structs inside it) is added, removed or moved.
inline constexpr std::uint32_t context_format_version =
    3;  // 3: claims (families, retirement groups), increments (floors, flat by grade), fund rules
        // (rate review, advance)

namespace detail {

// Field lists, one per struct, shared by the writer and the reader (S is T or const T).
template <class A, class S>
requires std::same_as<std::remove_const_t<S>, cohort>
void fields(A& a, S& c) {
  a(c.city, c.kind, c.grade, c.care_level, c.sex, c.age, c.count, c.monthly_amount, c.pension,
    c.award_year, c.retired, c.lone, c.birth_year, c.birth_month, c.group, c.pension_share,
    c.retire_month, c.pay_from_month);
}
template <class A, class S>
requires std::same_as<std::remove_const_t<S>, province_base>
void fields(A& a, S& b) {
  a(b.base_year, b.cities, b.insured, b.wage, b.avg_float, b.project_value, b.beneficiaries,
    b.opening_balance, b.opening_reserve, b.base_expenditure, b.base_contributions,
    b.disposable_income);
}
template <class A, class S>
requires std::same_as<std::remove_const_t<S>, benefit_rules>
void fields(A& a, S& r) {
  a(r.lump_sum_months, r.allowance_rate, r.minimum_wage_floor, r.retirement_topup, r.care_rate,
    r.funeral_months, r.death_grant_multiple, r.spouse_rate, r.other_rate, r.lone_extra,
    r.dependant_cap, r.medical_subsidy_months, r.hospital_food_per_day, r.base_clamp);
}
template <class A, class S>
requires std::same_as<std::remove_const_t<S>, phased_cut_rule>
void fields(A& a, S& r) {
  a(r.active, r.lower_months, r.upper_months, r.lower_cut, r.upper_cut, r.take_up, r.stop_months,
    r.year_share);
}
template <class A, class S>
requires std::same_as<std::remove_const_t<S>, rate_review_rule>
void fields(A& a, S& r) {
  a(r.active, r.band_low, r.band_high, r.first_year, r.cycle_years, r.step, r.floor, r.cap,
    r.lag_years);
}
template <class A, class S>
requires std::same_as<std::remove_const_t<S>, reserve_rule>
void fields(A& a, S& r) { a(r.ratio, r.base, r.cap_ratio, r.advance_repaid); }
template <class A, class S>
requires std::same_as<std::remove_const_t<S>, indexation_rule>
void fields(A& a, S& r) {
  a(r.percentage, r.allowance_wage_weight, r.dependant_wage_weight, r.care_follows_wage,
    r.flat_by_grade, r.by_grade_allowance_rate, r.by_grade_care_rate, r.by_grade_dependant_rate,
    r.exclude_retired);
}
template <class A, class S>
requires std::same_as<std::remove_const_t<S>, increment_event>
void fields(A& a, S& e) {
  a(e.effective_year, e.cutoff_year, e.allowance, e.care, e.spouse, e.other, e.lone_extra,
    e.exclude_retired, e.floor, e.floor_topup);
}
template <class A, class S>
requires std::same_as<std::remove_const_t<S>, policy_year>
void fields(A& a, S& p) {
  a(p.year, p.base_rate, p.cut, p.project_rate, p.benefits, p.prevention_cap, p.reserve,
    p.rate_review, p.indexation, p.increments, p.retirement_age);
}
template <class A, class S>
requires std::same_as<std::remove_const_t<S>, claims_assumptions>
void fields(A& a, S& c) {
  a(c.incidence, c.grade_share, c.death_share, c.care_share, c.termination_share, c.medical_cost,
    c.rehabilitation_cost, c.device_cost, c.appraisal_fee, c.appraisal_share, c.hospital_days,
    c.payment_pattern, c.entry_ages, c.entry_age_weights, c.male_share, c.family_spouses,
    c.family_children, c.family_parents, c.family_weights, c.spouse_age_offset, c.child_age,
    c.parent_age, c.lone_share, c.dependant_incapacity_share, c.spouse_exit_hazard,
    c.female_cadre_share, c.pension_qualify_at_15, c.pension_qualify_at_20,
    c.retirement_pension_ratio, c.disabled_mortality_load, c.dependant_mortality_load);
}

template <class T>
concept raw_value = std::is_arithmetic_v<T> || std::is_enum_v<T>;

class archive_writer {
 public:
  template <class... T>
  void operator()(const T&... v) {
    (put(v), ...);
  }
  [[nodiscard]] std::string take() { return std::move(buf_); }

  template <raw_value T>
  void put(const T& v) {
    buf_.append(reinterpret_cast<const char*>(&v), sizeof(T));
  }
  void put(const std::string& s) {
    put(static_cast<std::uint64_t>(s.size()));
    buf_.append(s);
  }
  template <class T>
  void put(const std::vector<T>& v) {
    put(static_cast<std::uint64_t>(v.size()));
    for (const auto& x : v) put(x);
  }
  template <class T, std::size_t N>
  void put(const std::array<T, N>& v) {
    for (const auto& x : v) put(x);
  }
  void put(const Matrix& m) {
    put(static_cast<std::int64_t>(m.rows()));
    put(static_cast<std::int64_t>(m.cols()));
    buf_.append(reinterpret_cast<const char*>(m.data()),
                static_cast<std::size_t>(m.size()) * sizeof(double));
  }
  void put(const Vector& v) {
    put(static_cast<std::int64_t>(v.size()));
    buf_.append(reinterpret_cast<const char*>(v.data()),
                static_cast<std::size_t>(v.size()) * sizeof(double));
  }
  void put(const life_table& t) {
    put(t.name());
    put(t.min_age());
    std::vector<double> qx;
    // q(age) with load 1 returns the stored q exactly (q <= 1), so the table is rebuilt bit for
    // bit.
    for (int age = t.min_age(); age < t.max_age(); ++age) qx.push_back(t.q(age));
    qx.push_back(1.0);
    put(qx);
  }
  template <class T>
  requires requires(archive_writer& w, const T& v) { fields(w, v); }
  void put(const T& v) { fields(*this, v); }

 private:
  std::string buf_;
};

class archive_reader {
 public:
  explicit archive_reader(std::string_view data) : data_(data) {}
  template <class... T>
  void operator()(T&... v) {
    (get(v), ...);
  }
  [[nodiscard]] bool at_end() const noexcept { return pos_ == data_.size(); }

  template <raw_value T>
  void get(T& v) {
    bytes(&v, sizeof(T));
  }
  void get(std::string& s) {
    s.resize(count());
    bytes(s.data(), s.size());
  }
  template <class T>
  void get(std::vector<T>& v) {
    v.resize(count());
    for (auto& x : v) get(x);
  }
  template <class T, std::size_t N>
  void get(std::array<T, N>& v) {
    for (auto& x : v) get(x);
  }
  void get(Matrix& m) {
    std::int64_t r = 0, c = 0;
    get(r);
    get(c);
    if (r < 0 || c < 0 ||
        static_cast<std::uint64_t>(r) * static_cast<std::uint64_t>(c) >
            remaining() / sizeof(double))
      fail();
    m.resize(r, c);
    bytes(m.data(), static_cast<std::size_t>(m.size()) * sizeof(double));
  }
  void get(Vector& v) {
    std::int64_t n = 0;
    get(n);
    if (n < 0 || static_cast<std::uint64_t>(n) > remaining() / sizeof(double)) fail();
    v.resize(n);
    bytes(v.data(), static_cast<std::size_t>(n) * sizeof(double));
  }
  void get(life_table& t) {
    std::string name;
    int min_age = 0;
    std::vector<double> qx;
    (*this)(name, min_age, qx);
    t = life_table(std::move(name), min_age, std::move(qx));
  }
  template <class T>
  requires requires(archive_reader& r, T& v) { fields(r, v); }
  void get(T& v) { fields(*this, v); }

 private:
  std::size_t count() {
    std::uint64_t n = 0;
    get(n);
    if (n > remaining()) fail();  // every element takes at least one byte
    return static_cast<std::size_t>(n);
  }
  [[nodiscard]] std::size_t remaining() const noexcept { return data_.size() - pos_; }
  void bytes(void* out, std::size_t n) {
    if (n > remaining()) fail();
    std::memcpy(out, data_.data() + pos_, n);
    pos_ += n;
  }
  [[noreturn]] static void fail() {
    throw invalid_input("load_context: the data is truncated or corrupt");
  }

  std::string_view data_;
  std::size_t pos_ = 0;
};

inline constexpr std::string_view context_magic = "wifund.context";

}  // namespace detail

/// The context as bytes (versioned; see context_format_version).
[[nodiscard]] inline std::string save_context(const projection_context& x) {
  detail::archive_writer w;
  for (char ch : detail::context_magic) w.put(ch);
  w(context_format_version, x.base, x.policy, x.claims, x.mortality.disabled_male,
    x.mortality.disabled_female, x.mortality.dependant_male, x.mortality.dependant_female, x.years);
  return w.take();
}

/// A context from save_context() bytes; re-validated. Throws invalid_input on another format
/// version.
[[nodiscard]] inline context_ptr load_context(std::string_view data) {
  detail::archive_reader r(data);
  std::string magic(detail::context_magic.size(), '\0');
  for (auto& ch : magic) r.get(ch);
  if (magic != detail::context_magic)
    throw invalid_input("load_context: not a wifund projection context");
  std::uint32_t version = 0;
  r.get(version);
  if (version != context_format_version)
    throw invalid_input("load_context: format version " + std::to_string(version) +
                        " is not the supported version " + std::to_string(context_format_version));
  province_base base;
  std::vector<policy_year> policy;
  claims_assumptions claims;
  mortality_basis m;
  int years = 0;
  r(base, policy, claims, m.disabled_male, m.disabled_female, m.dependant_male, m.dependant_female,
    years);
  if (!r.at_end()) throw invalid_input("load_context: trailing data after the context");
  return make_context(std::move(base), std::move(policy), std::move(claims), std::move(m), years);
}

}  // namespace wifund
