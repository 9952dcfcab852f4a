// ETS estimation and model selection (forecast/ets_fit.hpp): likelihood maxima, fixed parameters,
// initialisation, batch fits and bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "wifund/forecast/ets.hpp"
#include "wifund/forecast/ets_fit.hpp"

namespace fc = wifund::forecast;
using E = fc::error_type;
using T = fc::trend_type;

namespace {
std::vector<double> wage_like(int n, double g = 0.05) {
  std::vector<double> y(static_cast<std::size_t>(n));
  for (int t = 0; t < n; ++t)
    y[static_cast<std::size_t>(t)] = 100.0 * std::exp(g * t) * (1.0 + 0.02 * std::sin(1.7 * t));
  return y;
}
}  // namespace

TEST(EtsFit, MaximumIsLocalAndCriteriaConsistent) {
  const auto y = wage_like(30);
  const fc::ets_spec spec{E::additive, T::additive, true};
  const auto r = fc::fit_ets(y, spec);
  EXPECT_EQ(r.df_model, 6);
  EXPECT_NEAR(r.aicc - r.aic, 2.0 * 6 * 7 / (30 - 6 - 1.0), 1e-9);
  EXPECT_GE(r.params.alpha, fc::ets_smoothing_lower);
  EXPECT_LE(r.params.phi, fc::ets_phi_upper);
  // No feasible perturbation of a free parameter improves the likelihood.
  const double bs = r.params.beta / r.params.alpha;
  for (double d : {-1e-3, 1e-3}) {
    fc::ets_params q = r.params;
    q.level0 += d * 10;
    EXPECT_LE(fc::ets_filter(spec, q, y).loglik, r.loglik + 1e-9);
    q = r.params;
    q.alpha = std::clamp(q.alpha + d, fc::ets_smoothing_lower, fc::ets_smoothing_upper);
    q.beta = bs * q.alpha;
    EXPECT_LE(fc::ets_filter(spec, q, y).loglik, r.loglik + 1e-9);
    q = r.params;
    q.phi = std::clamp(q.phi + d, fc::ets_phi_lower, fc::ets_phi_upper);
    EXPECT_LE(fc::ets_filter(spec, q, y).loglik, r.loglik + 1e-9);
  }
}

TEST(EtsFit, FixedParametersStayFixed) {
  const auto y = wage_like(25);
  fc::ets_options o;
  o.fixed.alpha = 0.7;
  o.fixed.beta = 0.05;
  const auto r = fc::fit_ets(y, {E::multiplicative, T::additive, false}, o);
  EXPECT_DOUBLE_EQ(r.params.alpha, 0.7);
  EXPECT_NEAR(r.params.beta, 0.05, 1e-15);
  EXPECT_EQ(r.df_model, 3);  // the two initial states + sigma
}

TEST(EtsFit, InitialisationMeanings) {
  const auto y = wage_like(12);
  const auto h = fc::ets_heuristic_init(y, T::additive);
  // OLS line through the first 10 points, t = 1..10.
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (int t = 1; t <= 10; ++t) sx += t, sy += y[t - 1], sxx += t * t, sxy += t * y[t - 1];
  const double slope = (10 * sxy - sx * sy) / (10 * sxx - sx * sx);
  EXPECT_NEAR(h.trend, slope, 1e-10);
  EXPECT_NEAR(h.level, (sy - slope * sx) / 10, 1e-10);
  const auto s = fc::ets_simple_init(y, T::multiplicative);
  EXPECT_DOUBLE_EQ(s.level, y[0]);
  EXPECT_DOUBLE_EQ(s.trend, y[1] / y[0]);
  fc::ets_options o;
  o.init = fc::init_method::legacy_heuristic;
  const auto r = fc::fit_ets(y, {E::additive, T::additive, false}, o);
  EXPECT_DOUBLE_EQ(r.params.level0, y[0]);
  EXPECT_DOUBLE_EQ(r.params.trend0, y[1] - y[0]);
  EXPECT_EQ(r.df_model, 3);
}

TEST(EtsFit, BadInputThrowsWithClearMessages) {
  const fc::ets_spec damped{E::additive, T::additive, true};
  try {
    (void)fc::fit_ets(wage_like(6), damped);
    FAIL() << "expected invalid_input";
  } catch (const wifund::invalid_input& e) {
    EXPECT_NE(std::string(e.what()).find("need at least 8"), std::string::npos) << e.what();
  }
  auto y = wage_like(20);
  y[4] = std::nan("");
  EXPECT_THROW((void)fc::fit_ets(y, damped), wifund::invalid_input);
  y[4] = -1.0;
  EXPECT_NO_THROW((void)fc::fit_ets(y, damped));
  EXPECT_THROW((void)fc::fit_ets(y, {E::multiplicative, T::none, false}), wifund::invalid_input);
  EXPECT_THROW((void)fc::fit_ets(y, {E::additive, T::multiplicative, false}),
               wifund::invalid_input);
  EXPECT_THROW((void)fc::fit_ets(wage_like(20), {E::additive, T::none, true}),
               wifund::invalid_input);
}

TEST(EtsFit, BatchIsIndependentOfThreadCountAndKeepsErrors) {
  std::vector<std::vector<double>> ys;
  for (int i = 0; i < 9; ++i) ys.push_back(wage_like(20 + i, 0.01 * i));
  ys[3][5] = std::nan("");
  const fc::ets_spec spec{E::additive, T::additive, true};
  const auto a = fc::fit_ets_many(ys, spec, false, {}, fc::criterion::aicc, 1);
  const auto b = fc::fit_ets_many(ys, spec, false, {}, fc::criterion::aicc, 3);
  for (std::size_t i = 0; i < ys.size(); ++i) {
    EXPECT_EQ(a[i].ok, i != 3);
    EXPECT_EQ(a[i].ok, b[i].ok);
    if (a[i].ok) {
      EXPECT_EQ(a[i].fit.loglik, b[i].fit.loglik);
    }
  }
  EXPECT_NE(a[3].error.find("series 3[5]"), std::string::npos) << a[3].error;
}

TEST(EtsAuto, PicksSmallestAiccAmongCandidates) {
  const auto y = wage_like(24);
  const auto best = fc::auto_ets(y);
  for (const auto& spec : fc::ets_candidates(y))
    EXPECT_LE(best.aicc, fc::fit_ets(y, spec).aicc + 1e-9);
  auto neg = y;
  neg[0] = -5.0;
  EXPECT_EQ(fc::ets_candidates(neg).size(), 3u);
}

TEST(EtsFit, ClosedFormInitialStatesMinimiseTheSumOfSquares) {
  const auto y = wage_like(25);
  const fc::ets_spec spec{E::additive, T::additive, true};
  const fc::ets_initial centre = fc::ets_heuristic_init(y, T::additive);
  const double alpha = 0.4, beta_star = 0.3, phi = 0.9;
  const auto s = fc::detail::ls_initial_states(y, true, alpha, beta_star, phi, centre);
  const fc::ets_params p{alpha, alpha * beta_star, phi, s.level, s.trend};
  const double sse = fc::ets_filter(spec, p, y).mse * 25.0;
  EXPECT_NEAR(s.sse, sse, 1e-9 * sse);  // the one-pass minimum equals an explicit pass
  for (double dl : {-0.01, 0.01})
    for (double db : {-0.01, 0.0, 0.01}) {
      fc::ets_params q = p;
      q.level0 += dl;
      q.trend0 += db;
      EXPECT_GT(fc::ets_filter(spec, q, y).mse * 25.0, sse);
    }
}

TEST(EtsFit, GivenParametersAreCheckedWhereTheyEnter) {
  const auto y = wage_like(20);
  const fc::ets_spec aadn{E::additive, T::additive, true};
  // ets_with_params: every parameter is given, so a NaN is an error (not "estimate it").
  fc::ets_params p{0.5, 0.1, 0.9, 100.0, 5.0};
  p.alpha = std::nan("");
  EXPECT_THROW((void)fc::ets_with_params(y, aadn, p), wifund::invalid_input);
  p = {0.5, 0.1, 0.9, 100.0, 5.0};
  p.phi = std::nan("");
  EXPECT_THROW((void)fc::ets_with_params(y, aadn, p), wifund::invalid_input);
  p = {0.5, 0.1, 0.9, std::nan(""), 5.0};
  EXPECT_THROW((void)fc::ets_with_params(y, aadn, p), wifund::invalid_input);
  p = {1.5, 0.1, 0.9, 100.0, 5.0};
  EXPECT_THROW((void)fc::ets_with_params(y, aadn, p), wifund::invalid_input);
  // Fixed parameters outside their ranges.
  fc::ets_options o;
  o.fixed.alpha = 0.0;
  EXPECT_THROW((void)fc::fit_ets(y, {}, o), wifund::invalid_input);
  // Forecast arguments.
  const auto r = fc::fit_ets(y, {});
  EXPECT_THROW((void)fc::ets_forecast(r, 0), wifund::invalid_input);
  EXPECT_THROW((void)fc::ets_forecast(r, 3, 1.0), wifund::invalid_input);
  EXPECT_THROW((void)fc::ets_forecast(r, 3, std::nan("")), wifund::invalid_input);
  // A simulation too large for memory says so instead of throwing std::bad_alloc.
  EXPECT_THROW((void)fc::ets_simulate(r.spec, r.params, 1.0, 0.0, 1.0, 100000, 10000000, 1),
               wifund::insufficient_memory);
}

TEST(EtsFit, MultiplicativeTrendWithALineThroughZeroKeepsAnOrderedBox) {
  // y_t = t - 1e-11 (t = 1..12): the least-squares line through the first ten points has an
  // intercept of -1e-11, so the heuristic growth factor 1 + slope / intercept is about -1e11.
  std::vector<double> y;
  for (int t = 1; t <= 12; ++t) y.push_back(t - 1e-11);
  const fc::ets_spec mmn{E::multiplicative, T::multiplicative, false};
  const auto r =
      fc::fit_ets(y, mmn);  // estimated: start from y_1 / y_0 instead (and no inverted box)
  EXPECT_TRUE(std::isfinite(r.loglik));
  EXPECT_GT(r.params.trend0, 0.0);
  EXPECT_THROW((void)fc::fit_ets(y, mmn, {fc::init_method::heuristic, {}}), wifund::invalid_input);
}
