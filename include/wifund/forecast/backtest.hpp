#pragma once
// Rolling-origin evaluation (Tashman 2000; FPP3 sec. 5.10 "time series cross-validation"): for
// every origin o >= min_train the model is fitted to y[0..o) and forecasts y[o..o+horizon). The
// rows carry everything the accuracy measures need (actual, forecast, interval, the MASE scale of
// that training window), so that MAPE, MASE, bias and coverage are aggregated by the caller per
// model, horizon or series without refitting.
#include <cstdint>
#include <exception>
#include <span>
#include <string>
#include <vector>

#include "wifund/core/checks.hpp"
#include "wifund/core/errors.hpp"
#include "wifund/forecast/ets_fit.hpp"
#include "wifund/forecast/interval.hpp"
#include "wifund/forecast/trend.hpp"

namespace wifund::forecast {

/// A forecasting method by name: an ETS form, automatic ETS, the two growth models, the baselines.
struct model_kind {
  enum class family : int {
    ets = 0,
    ets_auto = 1,
    loglinear = 2,
    growth_rw = 3,
    naive = 4,
    drift = 5
  };
  family kind = family::naive;
  ets_spec spec{};
  std::string name;
};

/// Parses "naive", "drift", "loglinear", "growth_rw", "auto" or an ETS short name ("ANN", "AAdN",
/// "MMN", ...).
inline model_kind parse_model_kind(const std::string& name) {
  using F = model_kind::family;
  if (name == "naive") return {F::naive, {}, name};
  if (name == "drift") return {F::drift, {}, name};
  if (name == "loglinear") return {F::loglinear, {}, name};
  if (name == "growth_rw") return {F::growth_rw, {}, name};
  if (name == "auto") return {F::ets_auto, {}, name};
  for (auto e : {error_type::additive, error_type::multiplicative})
    for (auto t : {trend_type::none, trend_type::additive, trend_type::multiplicative})
      for (bool d : {false, true}) {
        const ets_spec s{e, t, d};
        if (d && !s.has_trend()) continue;
        if (s.short_name() == name) return {F::ets, s, name};
      }
  throw invalid_input("forecast: model '" + name +
                      "' is not one of naive, drift, loglinear, growth_rw, auto or an ETS name "
                      "such as ANN, AAdN, MAN");
}

/// Mixes a base seed with indices (splitmix64), so simulated intervals depend only on what is
/// forecast, never on which thread forecasts it.
[[nodiscard]] inline std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t a,
                                               std::uint64_t b = 0) noexcept {
  std::uint64_t z = seed ^ (a * 0x9E3779B97F4A7C15ULL) ^ (b * 0xBF58476D1CE4E5B9ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

/// Fits `model` to y and forecasts `steps` ahead with a central interval at `level`.
inline forecast_interval forecast_with(const model_kind& model, std::span<const double> y,
                                       int steps, double level, std::uint64_t seed) {
  using F = model_kind::family;
  switch (model.kind) {
    case F::naive:
      return naive_forecast(y, steps, level);
    case F::drift:
      return drift_forecast(y, steps, level);
    case F::loglinear:
      return loglinear_forecast(fit_loglinear_trend(y), steps, level);
    case F::growth_rw:
      return growth_rw_forecast(fit_growth_rw(y), steps, level);
    case F::ets_auto:
      return ets_forecast(auto_ets(y), steps, level, 5000, seed);
    case F::ets:
      break;
  }
  return ets_forecast(fit_ets(y, model.spec), steps, level, 5000, seed);
}

/// One forecast of one back-test: series, model and origin index, horizon h (1-based).
struct backtest_row {
  long series = 0, model = 0, origin = 0, h = 0;
  double actual = 0.0, forecast = 0.0, lower = 0.0, upper = 0.0;
  double mase_scale = 0.0;  // mean |y_t - y_{t-1}| over the training window (in-sample naive MAE)
};

/// Rolling-origin back-test of every model on every series, in parallel over (series, model)
/// pairs with a fixed partition. Throws invalid_input when a series is shorter than min_train + 1
/// and rethrows the first model failure (naming series, model and origin).
inline std::vector<backtest_row> rolling_origin(const std::vector<std::vector<double>>& ys,
                                                const std::vector<model_kind>& models, int horizon,
                                                int min_train, double level, std::uint64_t seed,
                                                int threads = 0) {
  check_in_range("backtest", "horizon", horizon, 1, 1000);
  check_in_range("backtest", "min_train", min_train, 2, 100000);
  if (models.empty()) throw invalid_input("backtest: no models given");
  for (std::size_t s = 0; s < ys.size(); ++s)
    if (static_cast<int>(ys[s].size()) <= min_train)
      throw invalid_input("backtest: series " + std::to_string(s) + " has " +
                          std::to_string(ys[s].size()) + " observations; min_train = " +
                          std::to_string(min_train) + " leaves nothing to forecast");
  // The MASE scale of a window is the mean absolute one-step change of y[0..origin); it only grows
  // with the origin, so it is 0 for some window exactly when the first min_train values are equal.
  for (std::size_t s = 0; s < ys.size(); ++s) {
    bool constant = true;
    for (int t = 1; t < min_train; ++t)
      constant = constant && ys[s][static_cast<std::size_t>(t)] == ys[s][0];
    if (constant)
      throw invalid_input(check_message(
          "backtest",
          "series " + std::to_string(s) + " y[0.." + std::to_string(min_train - 1) + "]", ys[s][0],
          "is constant over the first training window: the MASE scale (mean "
          "absolute one-step change) is 0"));
  }
  const std::size_t n_tasks = ys.size() * models.size();
  std::vector<std::vector<backtest_row>> parts(n_tasks);
  std::vector<std::string> errors(n_tasks);
  parallel_for(n_tasks, threads, [&](std::size_t task) {
    const std::size_t s = task / models.size(), m = task % models.size();
    const auto& y = ys[s];
    const int n = static_cast<int>(y.size());
    int origin = min_train;
    try {
      for (; origin < n; ++origin) {
        const std::span<const double> train(y.data(), static_cast<std::size_t>(origin));
        const int steps = std::min(horizon, n - origin);
        const auto f = forecast_with(models[m], train, steps, level,
                                     derive_seed(seed, s, static_cast<std::uint64_t>(origin)));
        double scale = 0.0;
        for (int t = 1; t < origin; ++t) scale += std::abs(train[t] - train[t - 1]);
        scale /= origin - 1;
        for (int h = 0; h < steps; ++h)
          parts[task].push_back({static_cast<long>(s), static_cast<long>(m), origin, h + 1,
                                 y[static_cast<std::size_t>(origin + h)], f.mean[h], f.lower[h],
                                 f.upper[h], scale});
      }
    } catch (const std::exception& e) {
      errors[task] = "backtest: series " + std::to_string(s) + ", model " + models[m].name +
                     ", origin " + std::to_string(origin) + ": " + e.what();
    }
  });
  for (const auto& e : errors)
    if (!e.empty()) throw invalid_input(e);
  std::vector<backtest_row> rows;
  for (auto& p : parts) rows.insert(rows.end(), p.begin(), p.end());
  return rows;
}

}  // namespace wifund::forecast
