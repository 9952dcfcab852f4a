// One 30-year projection of the demonstration province (python/wifund/data/demo), in C++ only.
// The demo files are read once outside the timed loop; the policy is the national rule set in force
// from 2025 (the C++ defaults of policy_year) and the claims basis mirrors wifund.Assumptions.default().
#include <benchmark/benchmark.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

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

life_table table(const std::string& column) {
  const auto rows = read_csv(std::string(WIFUND_DATA_DIR) + "/life_tables/cl2010_2013_qx.csv");
  std::vector<double> qx;
  for (const auto& r : rows) qx.push_back(std::stod(r.at(column)));
  return life_table(column, 0, qx);
}

projection_input demo_input(int years) {
  const std::string dir = std::string(WIFUND_DATA_DIR) + "/demo/";
  projection_input in;
  in.years = years;
  auto& b = in.base;
  std::map<std::string, int> city_index;
  const auto cities = read_csv(dir + "cities.csv");
  const auto C = static_cast<Eigen::Index>(cities.size());
  b.project_value = Vector::Zero(C);
  Vector coll(C), mw(C);
  for (const auto& r : cities) {
    const int c = static_cast<int>(b.cities.size());
    city_index[r.at("city")] = c;
    b.cities.push_back(r.at("city"));
    coll[c] = std::stod(r.at("collection_rate"));
    mw[c] = std::stod(r.at("minimum_wage"));
    b.project_value[c] = std::stod(r.at("project_value"));
  }
  b.insured = Matrix::Zero(C, n_risk_classes);
  b.wage = Matrix::Zero(C, n_risk_classes);
  b.avg_float = Matrix::Ones(C, n_risk_classes);
  for (const auto& r : read_csv(dir + "insured.csv")) {
    const int c = city_index.at(r.at("city"));
    const int k = r.at("risk_class") == "U" ? 8 : std::stoi(r.at("risk_class")) - 1;
    b.insured(c, k) = std::stod(r.at("insured"));
    b.wage(c, k) = std::stod(r.at("avg_monthly_wage"));
    b.avg_float(c, k) = std::stod(r.at("avg_float"));
  }
  const std::map<std::string, BenefitKind> kinds{{"allowance", BenefitKind::allowance}, {"care", BenefitKind::care},
                                                 {"spouse", BenefitKind::spouse}, {"child", BenefitKind::child},
                                                 {"parent", BenefitKind::parent}};
  const std::map<std::string, int> levels{{"full", 0}, {"major", 1}, {"partial", 2}, {"", 0}};
  for (const auto& r : read_csv(dir + "beneficiaries.csv")) {
    cohort x;
    x.city = city_index.at(r.at("city"));
    x.kind = kinds.at(r.at("kind"));
    x.grade = r.at("grade").empty() ? 0 : std::stoi(r.at("grade"));
    x.care_level = levels.at(r.at("care_level"));
    x.sex = r.at("sex") == "M" ? Sex::male : Sex::female;
    x.age = std::stoi(r.at("age"));
    x.count = std::stod(r.at("count"));
    x.monthly_amount = std::stod(r.at("monthly_amount"));
    x.pension = std::stod(r.at("pension"));
    x.award_year = std::stoi(r.at("award_year"));
    x.retired = r.at("retired") == "1";
    x.lone = r.at("lone") == "1";
    b.beneficiaries.push_back(x);
  }
  b.opening_balance = 2.78e9;
  b.opening_reserve = 3.3e8;
  b.base_expenditure = 1.88e9;
  b.base_contributions = 1.56e9;
  b.disposable_income = 54188;
  for (int j = 0; j < years; ++j) {
    policy_year p;
    p.year = 2025 + j;
    in.policy.push_back(p);
  }
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
  in.mortality = {table("CL1"), table("CL2"), table("CL5"), table("CL6")};
  return in;
}

void BM_DemoProjection30y(benchmark::State& state) {
  const auto in = demo_input(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto r = project(in);
    benchmark::DoNotOptimize(r.closing.data());
  }
  state.counters["cohorts_in"] = static_cast<double>(in.base.beneficiaries.size());
}
BENCHMARK(BM_DemoProjection30y)->Arg(30)->Arg(50)->Unit(benchmark::kMillisecond);

}  // namespace
