// Projections of the demonstration province (python/wifund/data/demo), in C++ only:
//  * BM_DemoProjection30y / BM_DemoSummary30y: one projection through the full sink / the fund
//    summary, from an input built here (demo files read once outside the timed loop; the national
//    rules in force from 2025; the claims basis of wifund.Assumptions.default());
//  * BM_LargeStockSummary30y: the demo's cities replicated 10 and 100 times (90 / 900 cities);
//  * BM_ProjectMany: 10,000 scenarios (wage-growth and interest paths varied) of one context
//    through the fund summary on 1 and 2 threads (scenarios per second);
//  * BM_PythonContext*: the very context Python built (wifund._bridge.build_context, jilin policy),
//    read from the file named by WIFUND_BENCH_CONTEXT (written by benchmarks/python/projection.py),
//    so that the Python rerun can be compared with the C++ time on the same input.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <limits>
#include <cmath>
#include <stdexcept>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "wifund/core/axes.hpp"
#include "wifund/fund/context_io.hpp"
#include "wifund/fund/projection.hpp"

namespace {
using namespace wifund;

std::vector<std::map<std::string, std::string>> read_csv(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  std::vector<std::string> names;
  std::stringstream hs(line);
  for (std::string c; std::getline(hs, c, ',');) names.push_back(c);
  std::vector<std::map<std::string, std::string>> rows;
  while (std::getline(in, line)) {
    std::map<std::string, std::string> row;
    std::stringstream ss(line);
    std::string cell;
    for (std::size_t j = 0; j < names.size(); ++j) {
      if (!std::getline(ss, cell, ',')) cell.clear();
      row[names[j]] = cell;
    }
    rows.push_back(row);
  }
  return rows;
}

template <std::size_t N>
int index_in(const std::array<std::string_view, N>& names, const std::string& name) {
  const auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) throw std::runtime_error("unknown axis name " + name);
  return static_cast<int>(it - names.begin());
}

/// Each city of `b` (with its collection rate and minimum wage) `copies` times, names suffixed.
void replicate_cities(province_base& b, Vector& coll, Vector& mw, int copies) {
  const auto C0 = static_cast<Eigen::Index>(b.cities.size());
  const std::vector<std::string> names = b.cities;
  const std::vector<cohort> stock = b.beneficiaries;
  b.cities.clear();
  b.beneficiaries.clear();
  b.beneficiaries.reserve(stock.size() * static_cast<std::size_t>(copies));
  for (int k = 0; k < copies; ++k) {
    for (const auto& n : names) b.cities.push_back(k == 0 ? n : n + "-" + std::to_string(k));
    for (cohort x : stock) {
      x.city += k * static_cast<int>(C0);
      b.beneficiaries.push_back(x);
    }
  }
  b.insured = b.insured.replicate(copies, 1).eval();
  b.wage = b.wage.replicate(copies, 1).eval();
  b.avg_float = b.avg_float.replicate(copies, 1).eval();
  b.project_value = b.project_value.replicate(copies, 1).eval();
  coll = coll.replicate(copies, 1).eval();
  mw = mw.replicate(copies, 1).eval();
}

life_table table(const std::string& column) {
  const auto rows = read_csv(std::string(WIFUND_DATA_DIR) + "/life_tables/cl2010_2013_qx.csv");
  std::vector<double> qx;
  for (const auto& r : rows) qx.push_back(std::stod(r.at(column)));
  return life_table(column, 0, qx);
}

/// The national rules in force from 2025 (python/wifund/data/policy/national.toml), written out:
/// the C++ structs carry no policy defaults of their own.
policy_year national_rules(int year) {
  policy_year p;
  p.year = year;
  p.base_rate = {0.002, 0.004, 0.007,
                 0.009, 0.011, 0.013,
                 0.016, 0.019, std::numeric_limits<double>::quiet_NaN()};
  p.cut = {false, 18.0, 24.0, 0.20, 0.50, 1.0, 18.0, 1.0};
  p.project_rate = 0.001;
  auto& r = p.benefits;
  r.lump_sum_months = {27, 25, 23, 21, 18, 16, 13, 11, 9, 7};
  r.allowance_rate = {0.90, 0.85, 0.80, 0.75};
  r.minimum_wage_floor = true;
  r.retirement_topup = true;
  r.care_rate = {0.50, 0.40, 0.30};
  r.funeral_months = 6;
  r.death_grant_multiple = 20;
  r.spouse_rate = 0.40;
  r.other_rate = 0.30;
  r.lone_extra = 0.10;
  r.dependant_cap = 1.0;
  r.medical_subsidy_months = {24, 18, 12, 9, 6, 4};
  r.hospital_food_per_day = 20;
  r.base_clamp = {0.6, 3.0};
  p.prevention_cap = 0.03;
  p.reserve = {0.10, ReserveBase::contributions, 0.30};
  // Percentage indexation (wage/CPI weights 0.6 / 0.3), care re-based on the wage; the
  // flat-by-grade rates are not read in this mode but must be set (make_context checks them: they
  // were unset and every demo benchmark failed at start-up), at national.toml's 0.04
  // (人社部发〔2017〕58号).
  p.indexation = {true, 0.6, 0.3, true, false, 0.04, 0.04, 0.04, false};
  p.retirement_age = {60, 55};
  return p;
}

/// Month index (12 x year + month - 1) of a YYYY-MM pay_from cell; 0 where empty (in payment).
int pay_from_month(const std::string& s) {
  if (s.empty()) return 0;
  return 12 * std::stoi(s.substr(0, 4)) + std::stoi(s.substr(5)) - 1;
}

/// The demo input; `copies` > 1 replicates each city (and its insured and beneficiaries) that many
/// times (a 900-city province at copies = 100, as benchmarks/python/run_outputs.py makes it).
projection_input demo_input(int years, int copies = 1) {
  const std::string dir = std::string(WIFUND_DATA_DIR) + "/demo/";
  projection_input in;
  in.years = years;
  auto& b = in.base;
  b.base_year = 2024;
  std::map<std::string, int> city_index;
  const auto cities = read_csv(dir + "cities.csv");
  const auto C0 = static_cast<Eigen::Index>(cities.size());
  b.project_value = Vector::Zero(C0);
  Vector coll(C0), mw(C0);
  for (const auto& r : cities) {
    const int c = static_cast<int>(b.cities.size());
    city_index[r.at("city")] = c;
    b.cities.push_back(r.at("city"));
    coll[c] = std::stod(r.at("collection_rate"));
    mw[c] = std::stod(r.at("minimum_wage"));
    b.project_value[c] = std::stod(r.at("project_value"));
  }
  b.insured = Matrix::Zero(C0, n_risk_classes);
  b.wage = Matrix::Zero(C0, n_risk_classes);
  b.avg_float = Matrix::Ones(C0, n_risk_classes);
  for (const auto& r : read_csv(dir + "insured.csv")) {
    const int c = city_index.at(r.at("city"));
    const int k = index_in(risk_class_names, r.at("risk_class"));
    b.insured(c, k) = std::stod(r.at("insured"));
    b.wage(c, k) = std::stod(r.at("avg_monthly_wage"));
    b.avg_float(c, k) = std::stod(r.at("avg_float"));
  }
  for (const auto& r : read_csv(dir + "beneficiaries.csv")) {
    cohort x;
    x.city = city_index.at(r.at("city"));
    x.kind = static_cast<BenefitKind>(index_in(benefit_kind_names, r.at("kind")));
    x.grade = r.at("grade").empty() ? 0 : std::stoi(r.at("grade"));
    x.care_level = r.at("care_level").empty() ? 0 : index_in(care_level_names, r.at("care_level"));
    x.sex = sexes[static_cast<std::size_t>(index_in(sex_names, r.at("sex")))];
    x.age = std::stoi(r.at("age"));
    x.count = std::stod(r.at("count"));
    x.monthly_amount = std::stod(r.at("monthly_amount"));
    x.pension = std::stod(r.at("pension"));
    x.award_year = std::stoi(r.at("award_year"));
    x.retired = r.at("retired") == "1";
    x.lone = r.at("lone") == "1";
    x.birth_year =
        b.base_year - x.age;  // born at mid-year (claims/cohort.hpp), as wifund.Province reads it
    if (r.count("birth_year") && !r.at("birth_year").empty())
      x.birth_year = std::stoi(r.at("birth_year"));
    if (r.count("birth_month") && !r.at("birth_month").empty())
      x.birth_month = std::stoi(r.at("birth_month"));
    x.group =
        x.sex == Sex::male ? static_cast<int>(retirement_group::male) : retirement_group_unset;
    if (r.count("pay_from")) x.pay_from_month = pay_from_month(r.at("pay_from"));
    b.beneficiaries.push_back(x);
  }
  if (copies > 1) replicate_cities(b, coll, mw, copies);
  const auto C = static_cast<Eigen::Index>(b.cities.size());
  b.opening_balance = 2.78e9 * copies;
  b.opening_reserve = 3.3e8 * copies;
  b.base_expenditure = 1.88e9 * copies;
  b.base_contributions = 1.56e9 * copies;
  b.disposable_income = 54188;
  for (int j = 0; j < years; ++j) in.policy.push_back(national_rules(2025 + j));
  auto& e = in.economy;
  e.wage_growth = Matrix::Constant(C, years, 0.05);
  e.employment_growth = Matrix::Constant(C, years, 0.005);
  e.coverage_growth = Matrix::Constant(C, years, 0.01);
  e.collection_rate = coll.replicate(1, years);
  e.minimum_wage = mw.replicate(1, years);
  e.cpi = Vector::Constant(years, 0.015);
  e.medical_inflation = Vector::Constant(years, 0.05);
  e.interest_rate = Vector::Constant(years, 0.015);
  e.disposable_income_growth = Vector::Constant(years, 0.045);
  e.project_growth = Vector::Zero(years);
  e.other_income = Vector::Zero(years);
  e.prevention_share = Vector::Constant(years, 0.02);
  e.major_accident_cost = Vector::Zero(years);
  e.avg_wage_prev = Vector::Constant(years, std::numeric_limits<double>::quiet_NaN());
  auto& a = in.claims;
  a.incidence = Matrix::Zero(years, n_risk_classes);
  const double inc[] = {0.0010, 0.0020, 0.0035, 0.0045, 0.0060, 0.0075, 0.0095, 0.0120, 0.0040};
  for (int k = 0; k < n_risk_classes; ++k) a.incidence.col(k).setConstant(inc[k]);
  a.grade_share = {0.002, 0.003, 0.004, 0.006, 0.010, 0.018, 0.035, 0.070, 0.120, 0.180};
  a.death_share = 0.011;
  a.care_share = {{{0.45, 0.30, 0.15}, {0.15, 0.30, 0.25}, {0.05, 0.10, 0.25}, {0.0, 0.05, 0.15}}};
  a.termination_share = {0.5, 0.5, 0.5, 0.5, 0.5, 0.5};
  a.medical_cost = 18000;
  a.rehabilitation_cost = 1500;
  a.device_cost = 800;
  a.appraisal_fee = 600;
  a.appraisal_share = 0.55;
  a.hospital_days = 15;
  a.payment_pattern = {1.0};
  a.entry_ages = {30, 40, 50};
  a.entry_age_weights = {0.35, 0.40, 0.25};
  a.male_share = 0.78;
  a.family_spouses = {1, 1, 1, 1, 1, 1, 0, 0, 0};
  a.family_children = {0, 1, 2, 1, 2, 0, 0, 0, 0};
  a.family_parents = {0, 0, 0, 1, 1, 1, 1, 2, 0};
  a.family_weights = {0.25, 0.20, 0.10, 0.10, 0.05, 0.10, 0.05, 0.05, 0.10};
  a.dependant_incapacity_share = 0.05;
  a.spouse_exit_hazard = 0.0;
  a.female_cadre_share = 0.3;
  a.pension_qualify_at_15 = 0.95;
  a.pension_qualify_at_20 = 0.90;
  a.spouse_age_offset = -2;
  a.child_age = 8;
  a.parent_age = 68;
  a.lone_share = 0.1;
  a.retirement_pension_ratio = 0.81;
  a.disabled_mortality_load = {3.0, 2.5, 2.0, 1.5};
  a.dependant_mortality_load = 1.0;
  in.mortality = {table("CL1"), table("CL2"), table("CL5"), table("CL6")};
  return in;
}

std::pair<context_ptr, scenario> demo(int years, int copies = 1) {
  const auto in = demo_input(years, copies);
  scenario s;
  s.economy = in.economy;
  return {make_context(in.base, in.policy, in.claims, in.mortality, in.years), s};
}

void BM_DemoProjection30y(benchmark::State& state) {
  const auto [x, s] = demo(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto r = project(*x, s);
    benchmark::DoNotOptimize(r.closing.data());
  }
  state.counters["cohorts_in"] = static_cast<double>(x->base.beneficiaries.size());
}
BENCHMARK(BM_DemoProjection30y)->Arg(30)->Arg(50)->Unit(benchmark::kMillisecond);

void BM_DemoSummary30y(benchmark::State& state) {
  const auto [x, s] = demo(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto r = project_summary(*x, s);
    benchmark::DoNotOptimize(r.closing.data());
  }
}
BENCHMARK(BM_DemoSummary30y)->Arg(30)->Unit(benchmark::kMillisecond);

/// A large stock: the demo's cities replicated range(0) times (900 cities at 100: 2.4 million stock
/// rows), 30 years through the fund summary; the book's size at the start is reported.
void BM_LargeStockSummary30y(benchmark::State& state) {
  const auto [x, s] = demo(30, static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto r = project_summary(*x, s);
    benchmark::DoNotOptimize(r.closing.data());
  }
  state.counters["cities"] = static_cast<double>(x->cities());
  state.counters["cohorts_in"] = static_cast<double>(x->base.beneficiaries.size());
}
BENCHMARK(BM_LargeStockSummary30y)->Arg(10)->Arg(100)->Iterations(1)->Unit(benchmark::kSecond);

/// The flat input of the foundation (make_context and its validation inside the timed loop).
void BM_DemoFlatInput30y(benchmark::State& state) {
  const auto in = demo_input(30);
  for (auto _ : state) {
    auto r = project(in);
    benchmark::DoNotOptimize(r.closing.data());
  }
}
BENCHMARK(BM_DemoFlatInput30y)->Unit(benchmark::kMillisecond);

/// 10,000 scenarios of one context through the fund summary; range(0) = threads.
void BM_ProjectMany(benchmark::State& state) {
  const auto [x, s] = demo(30);
  std::vector<scenario> many(10000, s);
  for (std::size_t i = 0; i < many.size(); ++i) {
    many[i].economy.wage_growth.array() += 0.00001 * static_cast<double>(i % 1000) - 0.005;
    many[i].economy.interest_rate.array() += 0.0001 * static_cast<double>(i % 37);
  }
  for (auto _ : state) {
    auto r = project_many(*x, many, static_cast<int>(state.range(0)));
    benchmark::DoNotOptimize(r.values[2].data());
  }
  state.counters["scenarios_per_s"] = benchmark::Counter(
      static_cast<double>(many.size()), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_ProjectMany)->Arg(1)->Arg(2)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

/// The context Python built, from the file named by WIFUND_BENCH_CONTEXT (scenario: its economy,
/// saved beside it as <file>.scenario by the Python script is not needed: the paths are rebuilt
/// from the context's own horizon with the default assumptions).
context_ptr python_context() {
  const char* path = std::getenv("WIFUND_BENCH_CONTEXT");
  if (!path) return nullptr;
  std::ifstream f(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  return load_context(bytes);
}

scenario default_scenario(const projection_context& x) {
  // wifund.Assumptions.default() paths; collection rates and minimum wages from the demo cities.
  const auto in = demo_input(x.years);
  scenario s;
  s.economy = in.economy;
  s.economy.minimum_wage = Matrix(in.economy.minimum_wage.rows(), x.years);
  for (int j = 0; j < x.years; ++j)
    s.economy.minimum_wage.col(j) = in.economy.minimum_wage.col(0) * std::pow(1.04, j + 1);
  return s;
}

void BM_PythonContextFull(benchmark::State& state) {
  const auto x = python_context();
  if (!x) {
    state.SkipWithError("set WIFUND_BENCH_CONTEXT (benchmarks/python/projection.py writes it)");
    return;
  }
  const auto s = default_scenario(*x);
  for (auto _ : state) {
    auto r = project(*x, s);
    benchmark::DoNotOptimize(r.closing.data());
  }
}
BENCHMARK(BM_PythonContextFull)->Unit(benchmark::kMillisecond);

void BM_PythonContextSummary(benchmark::State& state) {
  const auto x = python_context();
  if (!x) {
    state.SkipWithError("set WIFUND_BENCH_CONTEXT (benchmarks/python/projection.py writes it)");
    return;
  }
  const auto s = default_scenario(*x);
  for (auto _ : state) {
    auto r = project_summary(*x, s);
    benchmark::DoNotOptimize(r.closing.data());
  }
}
BENCHMARK(BM_PythonContextSummary)->Unit(benchmark::kMillisecond);

}  // namespace
